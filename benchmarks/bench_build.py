"""Benchmark: what sphinx-prolo costs a build, and what its furo navigation saves (ratios).

Generated Learning Centres (see ``corpus.py``) of N articles are built, each build a separate
``python -m sphinx`` process from a clean output folder.  For every size the builds of one round
run one after the other in an order that rotates between rounds, and each figure is the median of
``--repeat`` rounds, so slow and fast moments of the machine fall on every variant alike.

- The directives and the role: articles with sphinx-prolo's ``disclaimer``, ``please-note`` and
  ``therapy`` against the same text with Sphinx's ``admonition`` and ``doc``, nothing else
  (related section off, no review dates), read phase (``-b dummy``) and full HTML.
- Whole articles: the same with everything the extension adds to an article (related list with
  backlinks, review dates), against the same output written by hand with ``doc`` references;
  the read phase also against a build that does not load the extension at all.
  In both comparisons both sides load sphinx-prolo, so furo's navigation is rendered the same
  way; the built-in side has no article patterns, so the extension has nothing to do there.
- Navigation: the whole articles in full HTML with furo's own navigation
  (``prolo_fast_navigation = False``) and with the extension's, and the time per article.
- Incremental: at one size, a rebuild after one article's body was edited against a rebuild
  with nothing changed.
- The environment pickle with and without the extension.

The tables are printed and written to ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import article_path, write_learning_centre

RESULTS = (
    Path(__file__).resolve().parent.parent
    / "docs"
    / "handbook"
    / "_generated"
    / "benchmark-results.md"
)


@dataclass
class Build:
    """One kind of build of one corpus, and the times it took."""

    label: str
    source: Path
    builder: str
    overrides: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    pickle_size: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)


#: "cpu": user + system time of the build's processes, which other work on a shared machine
#: barely changes; "wall": elapsed time (shows what -j gains).  Set from --clock.
CLOCK = "cpu"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sphinx(
    source: Path,
    out: Path,
    builder: str,
    overrides: dict[str, str],
    jobs: int,
    env: dict[str, str] | None = None,
) -> float:
    """Run one build in its own process (with *env*, if given, as its environment); return its
    time in seconds (see :data:`CLOCK`)."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", builder, "-j", str(jobs)]
    command += ["-d", str(out / "doctrees")]
    for name, value in overrides.items():
        command += ["-D", f"{name}={value}"]
    command += [str(source), str(out / builder)]
    start, start_cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    elapsed = time.perf_counter() - start if CLOCK == "wall" else _children_cpu() - start_cpu
    if result.returncode != 0:
        sys.exit(f"build failed: {' '.join(command)}\n{result.stderr}")
    if result.stderr.strip():
        print(f"  warnings from {source.name} ({builder}):\n{result.stderr.strip()[:2000]}")
    return elapsed


def clean_build(build: Build, work: Path, jobs: int) -> None:
    out = work / "out" / build.label
    shutil.rmtree(out, ignore_errors=True)
    build.times.append(sphinx(build.source, out, build.builder, build.overrides, jobs))
    pickle = out / "doctrees" / "environment.pickle"
    build.pickle_size = pickle.stat().st_size


def rounds(builds: list[Build], work: Path, repeat: int, jobs: int, title: str) -> None:
    for number in range(repeat):
        shift = number % len(builds)
        for build in builds[shift:] + builds[:shift]:
            clean_build(build, work, jobs)
            print(f"  {title} round {number + 1}: {build.label:<22} {build.times[-1]:7.2f} s")


@dataclass
class SizeResult:
    count: int
    builds: dict[str, Build]

    def median(self, key: str) -> float:
        return self.builds[key].median


def measure_size(count: int, work: Path, repeat: int, jobs: int) -> SizeResult:
    root = work / f"n{count}"
    sources = {
        "prolo-core": write_learning_centre(root / "prolo-core", count, "prolo", extras=False),
        "builtin-core": write_learning_centre(
            root / "builtin-core", count, "builtin", extras=False
        ),
        "prolo": write_learning_centre(root / "prolo", count, "prolo"),
        "builtin": write_learning_centre(root / "builtin", count, "builtin"),
        "no-extension": write_learning_centre(
            root / "no-extension", count, "builtin", load_extension=False
        ),
    }
    builds: dict[str, Build] = {}
    for name, source in sources.items():
        builds[f"read {name}"] = Build(f"n{count}-read-{name}", source, "dummy")
    for name in ("prolo-core", "builtin-core", "prolo", "builtin"):
        builds[f"html {name}"] = Build(f"n{count}-html-{name}", sources[name], "html")
    # The reading-level check off, to measure what it costs (issue: under 5%).
    no_grade = {"prolo_reading_grade_target": "0"}
    builds["read prolo ungraded"] = Build(
        f"n{count}-read-prolo-ungraded", sources["prolo"], "dummy", no_grade
    )
    builds["html prolo ungraded"] = Build(
        f"n{count}-html-prolo-ungraded", sources["prolo"], "html", no_grade
    )
    builds["html stock furo"] = Build(
        f"n{count}-html-stock-furo", sources["prolo"], "html", {"prolo_fast_navigation": "0"}
    )
    rounds(list(builds.values()), work, repeat, jobs, f"N={count}")
    return SizeResult(count, builds)


@dataclass
class IncrementalResult:
    count: int
    noop: list[float]
    edit: list[float]


def measure_incremental(count: int, work: Path, repeat: int, jobs: int) -> IncrementalResult:
    source = write_learning_centre(work / f"incremental-n{count}", count, "prolo")
    out = work / "out" / f"incremental-n{count}"
    shutil.rmtree(out, ignore_errors=True)
    sphinx(source, out, "html", {}, jobs)  # the build that later ones update
    # The first rebuild after a clean build currently rewrites every page (sphinx-prolo's
    # stale-page check records its per-page digests only from the second build on); settle
    # that before timing, so the rounds compare an edit with a true no-op.
    sphinx(source, out, "html", {}, jobs)
    article = article_path(source, count // 2)
    original = article.read_text(encoding="utf-8")
    result = IncrementalResult(count, [], [])
    for number in range(repeat):
        # Alternate which of the two goes first.
        for kind in ("noop", "edit") if number % 2 == 0 else ("edit", "noop"):
            if kind == "edit":
                edited = original.replace(
                    "This page\nexplains", f"This page (revision {number + 1})\nexplains"
                )
                assert edited != original
                # Written now, so newer than the last build's reading of it.
                article.write_text(edited, encoding="utf-8")
            elapsed = sphinx(source, out, "html", {}, jobs)
            getattr(result, kind).append(elapsed)
            print(f"  incremental N={count} round {number + 1}: {kind:<5} {elapsed:7.2f} s")
    article.write_text(original, encoding="utf-8")
    return result


# --- the report ---------------------------------------------------------------------------------


def versions() -> str:
    import furo
    import myst_parser
    import sphinx as sphinx_package
    import sphinx_design

    return (
        f"Python {platform.python_version()}, Sphinx {sphinx_package.__version__}, "
        f"furo {furo.__version__}, myst-parser {myst_parser.__version__}, "
        f"sphinx-design {sphinx_design.__version__}"
    )


def read_and_html_rows(sizes: list[SizeResult], one: str, other: str) -> list[str]:
    """Table rows: the read phase and the full HTML build of variant *one* against *other*."""
    rows = []
    for size in sizes:
        read, read_other = size.median(f"read {one}"), size.median(f"read {other}")
        html, html_other = size.median(f"html {one}"), size.median(f"html {other}")
        rows.append(
            f"| {size.count} | {read:.2f} | {read_other:.2f} | {read / read_other:.3f} "
            f"| {html:.2f} | {html_other:.2f} | {html / html_other:.3f} |"
        )
    return rows


def report(
    sizes: list[SizeResult], incremental: IncrementalResult | None, repeat: int, jobs: int
) -> str:
    lines = [
        "# Build benchmark",
        "",
        f"Generated by `benchmarks/bench_build.py` on {time.strftime('%Y-%m-%d')}: "
        f"{os.cpu_count()} CPUs, {versions()}; `-j {jobs}`. Times are "
        + (
            "CPU seconds (user + system) of each build's processes, which other work on the "
            "machine barely disturbs"
            if CLOCK == "cpu"
            else "wall-clock seconds"
        )
        + f"; each figure is the median of {repeat} clean builds, run in rotating order so "
        "that the variants share the machine's slow and fast moments. Ratios are the result; "
        "seconds depend on the machine.",
        "",
        "## The directives and the role",
        "",
        "Articles with sphinx-prolo's `disclaimer`, `please-note` and `therapy` against the "
        "same text with Sphinx's `admonition` directive and `doc` references, and nothing else "
        "(`prolo_related_section = False`, no review dates). Both sides load sphinx-prolo, so "
        "furo's navigation is rendered the same way; only the prolo side has article patterns. "
        "Read phase: `-b dummy`.",
        "",
        "| N | read: prolo (s) | read: built-ins (s) | ratio "
        "| HTML: prolo (s) | HTML: built-ins (s) | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += read_and_html_rows(sizes, "prolo-core", "builtin-core")
    lines += [
        "",
        "## Whole articles, against the same output written by hand",
        "",
        "Every article also shows what the extension adds to it: the related list (its "
        "`related` key, its references and its backlinks, with summaries) and the review "
        "dates, which the built-in side writes out by hand with `doc` references. *No "
        "extension* is that built-in side without sphinx-prolo loaded at all.",
        "",
        "| N | read: prolo (s) | read: built-ins (s) | ratio | read: no extension (s) | ratio "
        "| HTML: prolo (s) | HTML: built-ins (s) | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        read, builtin = size.median("read prolo"), size.median("read builtin")
        bare = size.median("read no-extension")
        html, html_builtin = size.median("html prolo"), size.median("html builtin")
        lines.append(
            f"| {size.count} | {read:.2f} | {builtin:.2f} | {read / builtin:.3f} "
            f"| {bare:.2f} | {read / bare:.3f} "
            f"| {html:.2f} | {html_builtin:.2f} | {html / html_builtin:.3f} |"
        )
    lines += [
        "",
        "## The reading-level check",
        "",
        "Whole articles with the reading-level check (the default) and without it "
        "(`prolo_reading_grade_target = 0`): what grading every article's prose costs.",
        "",
        "| N | read: checked (s) | read: unchecked (s) | ratio "
        "| HTML: checked (s) | HTML: unchecked (s) | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += read_and_html_rows(sizes, "prolo", "prolo ungraded")
    smallest = sizes[0]
    per_article_base = smallest.median("html prolo") / smallest.count
    lines += [
        "",
        "## Navigation: furo's own against sphinx-prolo's",
        "",
        "Full HTML builds of the whole articles; furo's own with `prolo_fast_navigation = False`.",
        "",
        "| N | furo's own (s) | sphinx-prolo's (s) | speed-up "
        f"| ms per article (sphinx-prolo's) | per article vs N = {smallest.count} |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        stock, fast = size.median("html stock furo"), size.median("html prolo")
        per_article = fast / size.count
        lines.append(
            f"| {size.count} | {stock:.2f} | {fast:.2f} | {stock / fast:.1f}x "
            f"| {per_article * 1000:.1f} | {per_article / per_article_base:.2f} |"
        )
    if incremental is not None:
        noop, edit = statistics.median(incremental.noop), statistics.median(incremental.edit)
        lines += [
            "",
            f"## Incremental builds (N = {incremental.count}, HTML)",
            "",
            "| nothing changed (s) | one article's body edited (s) | ratio |",
            "|---:|---:|---:|",
            f"| {noop:.2f} | {edit:.2f} | {edit / noop:.2f} |",
        ]
    lines += [
        "",
        "## Environment pickle",
        "",
        "| N | with the extension (bytes) | without (bytes) | ratio |",
        "|---:|---:|---:|---:|",
    ]
    for size in sizes:
        with_it = size.builds["read prolo"].pickle_size
        without = size.builds["read no-extension"].pickle_size
        lines.append(f"| {size.count} | {with_it:,} | {without:,} | {with_it / without:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100,300,1000",
        help="comma-separated numbers of articles (default: 100,300,1000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="builds per figure (default: 3)")
    parser.add_argument(
        "--incremental",
        type=int,
        default=300,
        help="articles in the incremental benchmark; 0 skips it (default: 300)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="sphinx -j (default: 1)")
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="cpu: user+system time of each build, robust on a busy machine (default); "
        "wall: elapsed time",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the table")
    args = parser.parse_args()
    global CLOCK
    CLOCK = args.clock
    counts = sorted(int(size) for size in args.sizes.split(",") if size.strip())
    with tempfile.TemporaryDirectory(prefix="prolo-bench-") as folder:
        work = Path(folder)
        sizes = [measure_size(count, work, args.repeat, args.jobs) for count in counts]
        incremental = None
        if args.incremental:
            incremental = measure_incremental(args.incremental, work, args.repeat, args.jobs)
    text = report(sizes, incremental, args.repeat, args.jobs)
    print()
    print(text)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
