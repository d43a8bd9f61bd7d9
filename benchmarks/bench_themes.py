"""Benchmark: every served theme's navigation, stock and sphinx-prolo's, against the floor.

For each size N the same generated Learning Centre (see ``corpus.py``) is built in full HTML, each
build a separate process from a clean output folder:

- for each theme whose ``toctree()`` sphinx-prolo serves (furo, alabaster, sphinx-rtd-theme,
  pydata-sphinx-theme, sphinx-book-theme; each with its default options, as users get it):
  *stock*, with ``prolo_fast_navigation = False`` (the theme's navigation computed by Sphinx on
  every page), and *sphinx-prolo*, the default;
- the *floor*: the same sources with Sphinx's ``basic`` theme, which shows no site navigation;
- ``-j 2`` against ``-j 1`` (wall-clock time) for sphinx-prolo's builds and the floor;
- the peak memory (RSS) of the stock and sphinx-prolo builds at ``-j 1``;
- the floor without sphinx-prolo: the same articles written with Sphinx's own markup (related
  lists and review dates by hand, as ``corpus.py``'s built-in markup does), the extension not
  loaded: its time and memory against the floor's;
- the search index with and without PyStemmer (furo, sphinx-prolo's navigation): the time, and
  whether the two ``searchindex.js`` files are identical.

Times are CPU seconds (user + system of the build and its workers) unless marked *wall*. Every
figure is the median of ``--repeat`` builds run in rotating order, except the stock builds at
``--stock-once-from`` articles or more (one build each: stock navigation grows with the square
of N, so one stock build at 1,000 articles can take many minutes) and the ``-j`` comparison,
which takes the fastest of its builds (the least disturbed by other work on the machine).
A theme that is not installed is left out; one that sphinx-prolo does not serve yet shows a
speed-up of about 1.

``--quick`` (N = 100, one build each) takes a few minutes; the full run (N = 100, 300, 1,000)
takes well over an hour, most of it in the stock builds at 1,000 articles. The full run also
draws the scaling chart (``theme-scaling.svg``; matplotlib, from the ``bench`` extra), which
``--chart-only`` redraws from the tables already written.

Two more modes:

- ``--alone``: the navigation as an extension of its own. The same articles in Sphinx's own
  markup, built without sphinx-prolo and with only ``sphinx_prolo.navigation`` (alternating,
  ``benchmarks/bench_real_docs.py``'s comparison), every page compared; a table and its chart.
- ``--real-docs DIR``: documentation someone else wrote (a folder with its ``conf.py``, for
  example Sphinx's own ``doc/``), on and off per theme, in alternating rounds
  (``benchmarks/bench_real_docs.py``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_docs import compare
from bench_real_docs import main as real_docs_main
from corpus import write_learning_centre

GENERATED = Path(__file__).resolve().parent.parent / "docs" / "handbook" / "_generated"
RESULTS = GENERATED / "theme-benchmark-results.md"
CHART = GENERATED / "theme-scaling.svg"
ALONE_RESULTS = GENERATED / "navigation-alone-results.md"
ALONE_CHART = GENERATED / "navigation-alone-scaling.svg"
REAL_DOCS_RESULTS = GENERATED / "real-docs-results.md"

#: The themes sphinx-prolo serves: (html_theme, the package that provides it).
THEMES = (
    ("furo", "furo"),
    ("alabaster", "alabaster"),
    ("sphinx_rtd_theme", "sphinx_rtd_theme"),
    ("pydata_sphinx_theme", "pydata_sphinx_theme"),
    ("sphinx_book_theme", "sphinx_book_theme"),
)

#: Runs Sphinx's command line in this process; argv[1] == "hide" hides PyStemmer first, so that
#: snowballstemmer uses its pure-Python stemmers, as on a machine without PyStemmer.
LAUNCH = """
import sys
if sys.argv[1] == "hide":
    sys.modules["Stemmer"] = None
from sphinx.cmd.build import main
sys.exit(main(sys.argv[2:]))
"""


@dataclass
class Run:
    cpu: float
    wall: float
    rss_mb: float


@dataclass
class Build:
    """One kind of build of one corpus, and its runs."""

    label: str
    theme: str
    overrides: dict[str, str] = field(default_factory=dict)
    jobs: int = 1
    hide_stemmer: bool = False
    once: bool = False
    #: Build the same text written with Sphinx's own markup, without sphinx-prolo loaded.
    without_extension: bool = False
    runs: list[Run] = field(default_factory=list)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def fastest_wall(self) -> float:
        return min(run.wall for run in self.runs)

    @property
    def rss(self) -> float:
        return max(run.rss_mb for run in self.runs)


def sphinx(source: Path, out: Path, build: Build) -> Run:
    """One clean build in its own process: its CPU and wall-clock time and its peak memory."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    command = [sys.executable, "-c", LAUNCH, "hide" if build.hide_stemmer else "keep"]
    command += ["-q", "-b", "html", "-j", str(build.jobs), "-d", str(out / "doctrees")]
    command += ["-D", f"html_theme={build.theme}"]
    for name, value in build.overrides.items():
        command += ["-D", f"{name}={value}"]
    command += [str(source), str(out / "html")]
    errors = out / "stderr.txt"
    with errors.open("w", encoding="utf-8") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        # wait4: this build's own figures (its workers included), not every child's so far.
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    text = errors.read_text(encoding="utf-8").strip()
    if process.returncode != 0:
        sys.exit(f"build failed: {' '.join(command)}\n{text}")
    if text:
        print(f"  warnings ({build.label}):\n{text[:1000]}")
    # ru_maxrss is in kilobytes on Linux.
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


@dataclass
class SizeResult:
    count: int
    builds: dict[str, Build]
    index_identical: bool | None = None


def installed_themes() -> list[str]:
    found = []
    for theme, package in THEMES:
        try:
            importlib.import_module(package)
        except ImportError:
            print(f"{theme} is not installed: left out")
        else:
            found.append(theme)
    return found


def measure_size(
    count: int, themes: list[str], work: Path, repeat: int, stock_once_from: int
) -> SizeResult:
    source = write_learning_centre(work / f"n{count}", count, "prolo")
    bare = write_learning_centre(work / f"n{count}-bare", count, "builtin", load_extension=False)
    builds: dict[str, Build] = {}
    stock_once = count >= stock_once_from
    for theme in themes:
        builds[f"{theme} stock"] = Build(
            f"n{count}-{theme}-stock", theme, {"prolo_fast_navigation": "0"}, once=stock_once
        )
        builds[f"{theme} prolo"] = Build(f"n{count}-{theme}-prolo", theme)
        builds[f"{theme} prolo -j 2"] = Build(f"n{count}-{theme}-prolo-j2", theme, jobs=2)
    builds["floor"] = Build(f"n{count}-basic", "basic")
    builds["floor -j 2"] = Build(f"n{count}-basic-j2", "basic", jobs=2)
    builds["floor without sphinx-prolo"] = Build(
        f"n{count}-basic-without-extension", "basic", without_extension=True
    )
    if "furo" in themes:
        builds["furo prolo no PyStemmer"] = Build(
            f"n{count}-furo-prolo-pure-python-stemmer", "furo", hide_stemmer=True
        )
    order = list(builds.values())
    for number in range(repeat):
        shift = number % len(order)
        for build in order[shift:] + order[:shift]:
            if build.once and build.runs:
                continue
            where = bare if build.without_extension else source
            build.runs.append(sphinx(where, work / "out" / build.label, build))
            run = build.runs[-1]
            print(
                f"  N={count} round {number + 1}: {build.label:<42} {run.cpu:8.2f} s CPU "
                f"{run.wall:8.2f} s wall {run.rss_mb:6.0f} MB"
            )
    result = SizeResult(count, builds)
    if "furo" in themes:
        with_c = work / "out" / builds["furo prolo"].label / "html" / "searchindex.js"
        without = work / "out" / builds["furo prolo no PyStemmer"].label / "html"
        result.index_identical = with_c.read_bytes() == (without / "searchindex.js").read_bytes()
    return result


# --- the report ---------------------------------------------------------------------------------


def versions(themes: list[str]) -> str:
    from importlib.metadata import PackageNotFoundError, version

    names = ["sphinx", "myst-parser", *(theme.replace("_", "-") for theme in themes)]
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return f"Python {platform.python_version()}, " + ", ".join(found)


def report(
    sizes: list[SizeResult], themes: list[str], repeat: int, stock_once_from: int, total: float
) -> str:
    once = [size.count for size in sizes if size.count >= stock_once_from]
    lines = [
        "# Theme benchmark",
        "",
        f"Generated by `benchmarks/bench_themes.py` on {time.strftime('%Y-%m-%d')}: "
        f"{os.cpu_count()} CPUs, {versions(themes)}; the whole run took {total / 60:.0f} "
        f"minutes. CPU seconds (user + system of each build and its workers), "
        + (
            f"the median of {repeat} clean builds run in rotating order"
            if repeat > 1
            else "one clean build each (a quick run: the figures are rough)"
        )
        + (
            f" (the stock builds at N = {', '.join(map(str, once))}: one build each)"
            if once and repeat > 1
            else ""
        )
        + ". *Floor*: the same sources with Sphinx's `basic` theme, which has no site "
        "navigation. Ratios are the result; seconds depend on the machine.",
        "",
        "## Navigation: each theme stock, with sphinx-prolo, and the floor",
        "",
        "| theme | N | stock (s) | sphinx-prolo (s) | floor (s) | speed-up | sphinx-prolo / floor "
        "| ms per article | per article vs smallest N |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for theme in themes:
        base = sizes[0].builds[f"{theme} prolo"].cpu / sizes[0].count
        for size in sizes:
            stock = size.builds[f"{theme} stock"].cpu
            fast = size.builds[f"{theme} prolo"].cpu
            floor = size.builds["floor"].cpu
            per_article = fast / size.count
            lines.append(
                f"| {theme} | {size.count} | {stock:.2f} | {fast:.2f} | {floor:.2f} "
                f"| {stock / fast:.1f}x | {fast / floor:.2f} | {per_article * 1000:.1f} "
                f"| {per_article / base:.2f} |"
            )
    lines += [
        "",
        "## Parallel builds: `-j 2` against `-j 1`",
        "",
        "Wall-clock seconds, the fastest of the builds (the least disturbed by other work on the "
        "machine), and CPU seconds of all processes.",
        "",
        "| build | N | `-j 1` wall (s) | `-j 2` wall (s) | `-j 1` / `-j 2` "
        "| `-j 1` CPU (s) | `-j 2` CPU (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in [*((f"{theme} prolo", theme) for theme in themes), ("floor", "floor")]:
        for size in sizes:
            one, two = size.builds[name], size.builds[f"{name} -j 2"]
            lines.append(
                f"| {label} | {size.count} | {one.fastest_wall:.2f} | {two.fastest_wall:.2f} "
                f"| {one.fastest_wall / two.fastest_wall:.2f} | {one.cpu:.2f} | {two.cpu:.2f} |"
            )
    lines += [
        "",
        "## Peak memory (RSS, `-j 1`)",
        "",
        "Each theme with its own navigation (stock) and with sphinx-prolo's; last, the floor "
        "with sphinx-prolo against the same articles written with Sphinx's own markup (the "
        "related lists and review dates by hand) and built without sphinx-prolo.",
        "",
        "| build | N | stock or without (MB) | sphinx-prolo (MB) | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for theme in themes:
        for size in sizes:
            stock, fast = size.builds[f"{theme} stock"].rss, size.builds[f"{theme} prolo"].rss
            lines.append(
                f"| {theme} | {size.count} | {stock:.0f} | {fast:.0f} | {fast / stock:.2f} |"
            )
    for size in sizes:
        bare, floor = size.builds["floor without sphinx-prolo"], size.builds["floor"]
        lines.append(
            f"| floor | {size.count} | {bare.rss:.0f} | {floor.rss:.0f} "
            f"| {floor.rss / bare.rss:.2f} |"
        )
    lines += [
        "",
        "## The floor with and without sphinx-prolo",
        "",
        "The `basic` theme (no site navigation), the articles with sphinx-prolo against the "
        "same articles written with Sphinx's own markup and built without it: what the "
        "extension costs a build, navigation aside.",
        "",
        "| N | without sphinx-prolo (s) | with sphinx-prolo (s) | ratio |",
        "|---:|---:|---:|---:|",
    ]
    for size in sizes:
        bare, floor = size.builds["floor without sphinx-prolo"], size.builds["floor"]
        lines.append(
            f"| {size.count} | {bare.cpu:.2f} | {floor.cpu:.2f} | {floor.cpu / bare.cpu:.2f} |"
        )
    if "furo" in themes:
        lines += [
            "",
            "## The search index with and without PyStemmer",
            "",
            "furo with sphinx-prolo's navigation; *without*: PyStemmer hidden, so that Sphinx "
            "stems with snowballstemmer's pure-Python code.",
            "",
            "| N | with PyStemmer (s) | without (s) | speed-up | `searchindex.js` identical |",
            "|---:|---:|---:|---:|---|",
        ]
        for size in sizes:
            with_c = size.builds["furo prolo"].cpu
            without = size.builds["furo prolo no PyStemmer"].cpu
            same = "yes" if size.index_identical else "**no**"
            lines.append(
                f"| {size.count} | {with_c:.2f} | {without:.2f} | {without / with_c:.2f}x "
                f"| {same} |"
            )
    return "\n".join(lines) + "\n"


# --- the navigation alone, and the charts -------------------------------------------------------


def measure_alone(
    count: int, themes: list[str], work: Path, repeat: int, once_from: int
) -> list[dict[str, Any]]:
    """Each theme without sphinx-prolo and with only ``sphinx_prolo.navigation``, N articles."""
    source = write_learning_centre(
        work / f"alone-n{count}", count, "builtin", load_extension=False
    )
    rounds = 1 if count >= once_from else repeat
    results = []
    for theme in themes:
        result = compare(
            source, theme, work / f"alone-n{count}-out", rounds=rounds, label=f"N={count} "
        )
        results.append({**result, "count": count, "rounds": rounds})
    return results


def alone_report(results: list[dict[str, Any]], themes: list[str], total: float) -> str:
    lines = [
        "# The navigation alone",
        "",
        f"Generated by `benchmarks/bench_themes.py --alone` on {time.strftime('%Y-%m-%d')}: "
        f"{os.cpu_count()} CPUs, {versions(themes)}; the whole run took {total / 60:.0f} minutes. "
        "The generated articles in Sphinx's own markup (no sphinx-prolo directive or role), "
        'built with `extensions = ["myst_parser", "sphinx_design"]` (*without*) and with '
        "`sphinx_prolo.navigation` added (*with*), each theme with its default options. CPU "
        "seconds, the medians of alternating rounds; *identical*: every page of the last round "
        "compared byte for byte.",
        "",
        "| theme | N | without (s) | with the navigation (s) | speed-up | rounds | identical |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for result in sorted(results, key=lambda r: (themes.index(r["theme"]), r["count"])):
        same = "yes" if not result["differ"] else f"**no** ({len(result['differ'])} pages)"
        lines.append(
            f"| {result['theme']} | {result['count']} | {result['off']:.2f} | {result['on']:.2f} "
            f"| {result['off'] / result['on']:.1f}x | {result['rounds']} | {same} |"
        )
    return "\n".join(lines) + "\n"


#: One line of a chart: theme, N, the theme's own navigation (s), the served one (s), floor (s).
ChartRow = tuple[str, int, float, float, float | None]


def write_chart(rows: list[ChartRow], path: Path, title: str, labels: tuple[str, str]) -> None:
    """CPU seconds against the number of articles, one panel per theme, both axes logarithmic:
    a build that grows with the square of N climbs twice as steeply as one that grows with N."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no chart drawn")
        return
    matplotlib.rcParams.update({"svg.hashsalt": "sphinx-prolo", "svg.fonttype": "none"})
    themes = list(dict.fromkeys(row[0] for row in rows))
    figure, axes = plt.subplots(
        1, len(themes), figsize=(2.5 * len(themes), 3.4), sharey=True, layout="constrained"
    )
    for axis, theme in zip([axes] if len(themes) == 1 else axes, themes, strict=True):
        mine = sorted((row for row in rows if row[0] == theme), key=lambda row: row[1])
        counts = [row[1] for row in mine]
        axis.plot(counts, [row[2] for row in mine], "s--", color="#b2182b", label=labels[0])
        axis.plot(counts, [row[3] for row in mine], "o-", color="#2166ac", label=labels[1])
        floors = [row[4] for row in mine]
        if all(floor is not None for floor in floors):
            axis.plot(counts, floors, ":", color="#555555", label="floor (basic theme)")
        axis.set(xscale="log", yscale="log", title=theme.replace("_", "-"), xlabel="articles")
        axis.set_xticks(counts, [str(count) for count in counts])
        axis.grid(True, which="major", linewidth=0.3)
    (axes if len(themes) == 1 else axes[0]).set_ylabel("CPU seconds per build")
    handles, names = (axes if len(themes) == 1 else axes[0]).get_legend_handles_labels()
    figure.legend(handles, names, loc="outside lower center", ncols=3, frameon=False)
    figure.suptitle(title)
    figure.savefig(path, metadata={"Date": None, "Creator": None})
    plt.close(figure)
    print(f"chart written to {path}")


def chart_rows(sizes: list[SizeResult], themes: list[str]) -> list[ChartRow]:
    return [
        (
            theme,
            size.count,
            size.builds[f"{theme} stock"].cpu,
            size.builds[f"{theme} prolo"].cpu,
            size.builds["floor"].cpu,
        )
        for theme in themes
        for size in sizes
    ]


def rows_from_tables(path: Path) -> list[ChartRow]:
    """The figures of the navigation table already written (``--chart-only``)."""
    rows: list[ChartRow] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 9 and cells[1].isdigit() and cells[5].endswith("x"):
            rows.append(
                (cells[0], int(cells[1]), float(cells[2]), float(cells[3]), float(cells[4]))
            )
    return rows


THEME_CHART_TITLE = "Each theme's navigation, stock and served by sphinx-prolo"
ALONE_CHART_TITLE = "sphinx_prolo.navigation alone, on Sphinx's own markup"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="100,300,1000", help="comma-separated numbers of articles"
    )
    parser.add_argument("--repeat", type=int, default=3, help="builds per figure (default: 3)")
    parser.add_argument(
        "--stock-once-from",
        type=int,
        default=1000,
        help="from this many articles on, one stock build per theme (default: 1000)",
    )
    parser.add_argument("--themes", help="comma-separated html_theme names (default: all served)")
    parser.add_argument(
        "--quick", action="store_true", help="N = 100, one build each (a few minutes)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"where to write the tables (default: {RESULTS.name} in the handbook, "
        "except with --quick: printed only)",
    )
    parser.add_argument(
        "--alone", action="store_true", help="the navigation alone against no sphinx-prolo"
    )
    parser.add_argument("--real-docs", type=Path, metavar="DIR", help="docs someone else wrote")
    parser.add_argument(
        "--chart-only", action="store_true", help=f"redraw {CHART.name} from {RESULTS.name}"
    )
    args = parser.parse_args()
    if args.chart_only:
        write_chart(rows_from_tables(RESULTS), CHART, THEME_CHART_TITLE, ("stock", "sphinx-prolo"))
        return
    if args.real_docs is not None:
        output = args.output or REAL_DOCS_RESULTS
        extra = ["--themes", args.themes] if args.themes else []
        real_docs_main(
            [str(args.real_docs), "--rounds", str(args.repeat), "--output", str(output), *extra]
        )
        return
    if args.quick:
        args.sizes, args.repeat = "100", 1
    counts = sorted(int(size) for size in args.sizes.split(",") if size.strip())
    themes = installed_themes()
    if args.themes:
        wanted = args.themes.split(",")
        themes = [theme for theme in themes if theme in wanted]
    start = time.perf_counter()
    if args.alone:
        with tempfile.TemporaryDirectory(prefix="prolo-bench-alone-") as folder:
            results = [
                result
                for count in counts
                for result in measure_alone(
                    count, themes, Path(folder), args.repeat, args.stock_once_from
                )
            ]
        text = alone_report(results, themes, time.perf_counter() - start)
        print()
        print(text)
        if not args.quick:
            (args.output or ALONE_RESULTS).write_text(text, encoding="utf-8")
            rows = [(r["theme"], r["count"], r["off"], r["on"], None) for r in results]
            labels = ("without sphinx-prolo", "with sphinx_prolo.navigation")
            write_chart(rows, ALONE_CHART, ALONE_CHART_TITLE, labels)
        return
    with tempfile.TemporaryDirectory(prefix="prolo-bench-themes-") as folder:
        work = Path(folder)
        sizes = [
            measure_size(count, themes, work, args.repeat, args.stock_once_from)
            for count in counts
        ]
    total = time.perf_counter() - start
    text = report(sizes, themes, args.repeat, args.stock_once_from, total)
    print()
    print(text)
    output = args.output or (None if args.quick else RESULTS)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        print(f"written to {output}")
        write_chart(chart_rows(sizes, themes), CHART, THEME_CHART_TITLE, ("stock", "sphinx-prolo"))
    print(f"the whole run took {total / 60:.1f} minutes")


if __name__ == "__main__":
    main()
