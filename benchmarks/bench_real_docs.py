"""Benchmark: the served navigation on real documentation, on and off, theme by theme.

``python benchmarks/bench_real_docs.py DIR``: DIR is a folder of documentation someone else wrote
(the folder holding its ``conf.py``, for example Sphinx's own ``doc/``). For each installed theme
the served navigation supports (each with its default options, or ``--option NAME=VALUE`` for
theme options), the docs are built:

- *off*: as they are (with ``prolo_fast_navigation = False`` if they load sphinx-prolo already);
- *on*: with ``sphinx_prolo.navigation`` added to their ``extensions``;

in alternating rounds (on, off, then off, on, ...), each build a separate process from a clean
output folder. The ratio printed per theme is the median over rounds of each round's on/off CPU
ratio (user + system of the build and its workers): below 1 the served navigation is faster.
The last round's pages are compared byte for byte, on against off.

The docs must build with what is installed (their extensions, and whatever their ``conf.py``
imports); intersphinx and other network access is theirs to have or not, and it is the same for
both sides. Nothing is written into DIR except by the docs' own build steps, if any: the output
goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The themes whose navigation is served: (html_theme, the package that provides it).
THEMES = (
    ("furo", "furo"),
    ("alabaster", "alabaster"),
    ("sphinx_rtd_theme", "sphinx_rtd_theme"),
    ("pydata_sphinx_theme", "pydata_sphinx_theme"),
    ("sphinx_book_theme", "sphinx_book_theme"),
)
NAVIGATION = "sphinx_prolo.navigation"


@dataclass
class Side:
    """One side of the comparison (on or off) for one theme, and its runs."""

    label: str
    overrides: list[str]
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)


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


def extensions_of(source: Path) -> list[str]:
    """The extensions the docs' ``conf.py`` lists, read as Sphinx reads it."""
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    return list(Config.read(source, overrides={}, tags=Tags()).extensions)


def build(source: Path, out: Path, overrides: list[str], builder: str, jobs: int) -> float:
    """One clean build in its own process; its CPU seconds (the process and its workers)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", builder, "-j", str(jobs)]
    command += [*overrides, "-d", str(out / "doctrees"), str(source), str(out / "html")]
    with (out.parent / f"{out.name}-stderr.txt").open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build failed: {' '.join(command)}\nsee {stderr.name}")
    return usage.ru_utime + usage.ru_stime


def same_pages(first: Path, second: Path) -> tuple[int, list[str]]:
    """How many HTML pages the two outputs have, and which differ (or exist on one side only)."""
    pages = {path.relative_to(first) for path in first.rglob("*.html")}
    pages |= {path.relative_to(second) for path in second.rglob("*.html")}
    differ = []
    for page in sorted(pages):
        one, two = first / page, second / page
        if not (one.exists() and two.exists()) or one.read_bytes() != two.read_bytes():
            differ.append(str(page))
    return len(pages), differ


def sides(source: Path, theme: str, options: list[str]) -> tuple[Side, Side]:
    extensions = extensions_of(source)
    common = ["-D", f"html_theme={theme}", *options]
    off = Side("off", [*common])
    if "sphinx_prolo" in extensions or NAVIGATION in extensions:
        off.overrides += ["-D", "prolo_fast_navigation=0"]
        on = Side("on", [*common])
    else:
        on = Side("on", [*common, "-D", "extensions=" + ",".join([*extensions, NAVIGATION])])
    return on, off


def compare(
    source: Path,
    theme: str,
    work: Path,
    *,
    rounds: int = 3,
    builder: str = "html",
    jobs: int = 1,
    theme_options: tuple[str, ...] = (),
    label: str = "",
) -> dict[str, Any]:
    """The on/off figures of one theme on the docs in *source*, from alternating rounds, and
    whether the last round's pages are the same."""
    options = [item for option in theme_options for item in ("-D", f"html_theme_options.{option}")]
    on, off = sides(source, theme, options)
    for number in range(rounds):
        order = (on, off) if number % 2 == 0 else (off, on)
        for side in order:
            out = work / f"{theme}-{side.label}"
            start = time.perf_counter()
            side.cpu.append(build(source, out, side.overrides, builder, jobs))
            side.wall.append(time.perf_counter() - start)
        print(
            f"  {label}{theme} round {number + 1}: on {on.cpu[-1]:.2f} s, "
            f"off {off.cpu[-1]:.2f} s CPU, on/off {on.cpu[-1] / off.cpu[-1]:.3f}",
            flush=True,
        )
    ratios = [one / two for one, two in zip(on.cpu, off.cpu, strict=True)]
    count, differ = same_pages(work / f"{theme}-on" / "html", work / f"{theme}-off" / "html")
    return {
        "theme": theme,
        "on": statistics.median(on.cpu),
        "off": statistics.median(off.cpu),
        "ratios": ratios,
        "median": statistics.median(ratios),
        "pages": count,
        "differ": differ,
    }


def report(
    source: Path, args: argparse.Namespace, results: list[dict[str, Any]], title: str = ""
) -> str:
    options = ", ".join(args.option) or "default options"
    lines = [
        f"{title or f'Real docs: `{source}`'}, {args.builder}, `-j {args.jobs}`, {options}; "
        f"{args.rounds} alternating rounds. CPU seconds (medians); *on/off*: the median of "
        "each round's ratio.",
        "",
        "| theme | off (s) | on (s) | on/off (median) | each round | pages | identical |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for result in results:
        ratios = ", ".join(f"{ratio:.2f}" for ratio in result["ratios"])
        differ = result["differ"]
        same = "yes" if not differ else f"**no**: {', '.join(differ[:5])}"
        lines.append(
            f"| {result['theme']} | {result['off']:.2f} | {result['on']:.2f} "
            f"| {result['median']:.3f} | {ratios} | {result['pages']} | {same} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the docs' folder (the one with conf.py)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default: 3)")
    parser.add_argument("--themes", help="comma-separated html_theme names (default: all)")
    parser.add_argument("--builder", default="html", help="html (default) or dirhtml")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="Sphinx's -j (default: 1)")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a theme option for every theme (html_theme_options), repeatable",
    )
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument("--title", default="", help="what the table's first line calls the docs")
    args = parser.parse_args(argv)
    args.source = args.source.resolve()
    if not (args.source / "conf.py").is_file():
        sys.exit(f"{args.source} has no conf.py")
    themes = installed_themes()
    if args.themes:
        themes = [theme for theme in themes if theme in args.themes.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="prolo-bench-real-docs-") as folder:
        for theme in themes:
            result = compare(
                args.source,
                theme,
                Path(folder),
                rounds=args.rounds,
                builder=args.builder,
                jobs=args.jobs,
                theme_options=tuple(args.option),
            )
            results.append(result)
    text = report(args.source, args, results, args.title)
    print()
    print(text)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"written to {args.output}")


if __name__ == "__main__":
    main()
