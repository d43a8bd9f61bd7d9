"""Where a build's time goes: one HTML build of a generated Learning Centre, timed by phase.

The build runs in this process (``sphinx.cmd.build.build_main``) with timers around Sphinx's own
phases, so that the figures come from a real build rather than from the profiler's estimates:

- read: reading and parsing every source (``Builder.read``); with ``-j`` the main process only
  forks the readers, unpickles each worker's environment and merges it (shown on its own line);
- resolve: ``get_and_resolve_doctree`` (toctrees, references, post-transforms);
- search index: feeding each page to the indexer (stemming every word) and writing
  ``searchindex.js``;
- write: turning each doctree into HTML and rendering the theme's template; with ``-j`` this runs
  in the worker processes, while the main process resolves and indexes the next pages;
- finish: static files, the search index file, the inventory.

``--profile FILE`` also runs cProfile over the (serial) build, prints the time spent in
sphinx-prolo's own code (each call into the package from outside it, by module) and saves the
profile for ``python -m pstats``.  ``--hide-stemmer`` hides PyStemmer, so that
``snowballstemmer`` falls back to its pure-Python stemmers, as on a machine without it.

    python benchmarks/profile_build.py --articles 1000 [-j 2] [--profile build.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Seconds of wall-clock time by phase, in the main process.
SPENT: dict[str, float] = defaultdict(float)
#: Nesting of timed calls, so that a phase inside another is not counted twice.
_STACK: list[str] = []


def timed(owner: type, attribute: str, phase: str) -> None:
    """Wrap ``owner.attribute`` so that its wall-clock time is added to *phase*."""
    original: Callable[..., Any] = getattr(owner, attribute)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        # Forking workers and waiting for them: counted for the phase that does it.
        if owner.__name__ == "ParallelTasks" and _STACK:
            phase_here = f"{_STACK[-1].split(':')[0]}: {phase}"
        else:
            phase_here = phase
        _STACK.append(phase_here)
        try:
            return original(*args, **kwargs)
        finally:
            _STACK.pop()
            elapsed = time.perf_counter() - start
            SPENT[phase_here] += elapsed
            if _STACK:  # counted here, not in the enclosing phase
                SPENT[_STACK[-1]] -= elapsed

    setattr(owner, attribute, wrapper)


def instrument() -> None:
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.parallel import ParallelTasks

    timed(Builder, "read", "read")
    timed(BuildEnvironment, "merge_info_from", "read: merge workers' environments")
    timed(BuildEnvironment, "check_consistency", "consistency check")
    timed(BuildEnvironment, "get_and_resolve_doctree", "resolve")
    timed(StandaloneHTMLBuilder, "index_page", "search index: feed pages")
    timed(StandaloneHTMLBuilder, "dump_search_index", "search index: write searchindex.js")
    timed(StandaloneHTMLBuilder, "write_doc", "write: HTML and templates")
    timed(StandaloneHTMLBuilder, "post_process_images", "write: images")
    timed(Builder, "write_documents", "write: other (main process)")
    timed(StandaloneHTMLBuilder, "finish", "finish (static files, inventory)")
    timed(ParallelTasks, "_join_one", "fork workers, receive their results")
    timed(ParallelTasks, "join", "wait for the workers")


def prolo_time(profile: pstats.Stats) -> dict[str, float]:
    """Seconds spent in sphinx-prolo (its calls into Sphinx included), by module: every call
    into the package's code from code outside it."""
    by_module: dict[str, float] = defaultdict(float)
    stats: dict[Any, Any] = profile.stats  # type: ignore[attr-defined]
    for (filename, _line, _name), (_cc, _nc, _tt, _ct, callers) in stats.items():
        if "sphinx_prolo" not in filename:
            continue
        module = Path(filename).stem
        for (caller_file, _l, _n), edge in callers.items():
            if "sphinx_prolo" not in caller_file:
                by_module[module] += edge[3]
    return dict(by_module)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--theme", default="furo")
    parser.add_argument("--profile", type=Path, help="run cProfile and save it here")
    parser.add_argument("--hide-stemmer", action="store_true", help="build without PyStemmer")
    parser.add_argument("-D", dest="overrides", action="append", default=[])
    parser.add_argument("--source", type=Path, help="an existing project instead of a corpus")
    parser.add_argument("--out", type=Path, help="keep the output here (default: thrown away)")
    args = parser.parse_args()
    if args.hide_stemmer:
        sys.modules["Stemmer"] = None  # type: ignore[assignment]
    from corpus import write_learning_centre
    from sphinx.cmd.build import build_main

    instrument()
    with tempfile.TemporaryDirectory(prefix="prolo-profile-") as folder:
        work = Path(folder)
        source = args.source or write_learning_centre(work / "src", args.articles, "prolo")
        out = args.out or work / "out"
        shutil.rmtree(out, ignore_errors=True)
        command = ["-q", "-b", "html", "-j", str(args.jobs), "-d", str(out / "doctrees")]
        command += ["-D", f"html_theme={args.theme}"]
        for override in args.overrides:
            command += ["-D", override]
        command += [str(source), str(out / "html")]
        profiler = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        status = profiler.runcall(build_main, command) if profiler else build_main(command)
        wall = time.perf_counter() - start
        if status:
            sys.exit(f"build failed ({status})")
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    import snowballstemmer

    stemmer = type(snowballstemmer.stemmer("english")).__module__
    print(
        f"{args.articles} articles, -j {args.jobs}, {args.theme}, stemmer from {stemmer}: "
        f"{wall:.2f} s wall; CPU (user + system) {own.ru_utime:.2f} + {own.ru_stime:.2f} s "
        f"main process, {children.ru_utime:.2f} + {children.ru_stime:.2f} s workers; "
        f"peak RSS {own.ru_maxrss / 1024:.0f} MB main"
    )
    accounted = 0.0
    for phase, seconds in sorted(SPENT.items(), key=lambda item: -item[1]):
        if seconds > 0.005:
            accounted += seconds
            print(f"  {phase:<45} {seconds:8.2f} s {100 * seconds / wall:5.1f}%")
    rest = wall - accounted
    other = "other (start-up, pickling the environment)"
    print(f"  {other:<45} {rest:8.2f} s {100 * rest / wall:5.1f}%")
    if profiler and args.profile:
        profiler.dump_stats(args.profile)
        stats = pstats.Stats(str(args.profile))
        table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
        total = sum(row[3] for key, row in table.items() if key[2] == "build_main")
        print(f"sphinx-prolo's own code under cProfile (of {total:.2f} s profiled):")
        for module, seconds in sorted(prolo_time(stats).items(), key=lambda item: -item[1]):
            print(f"  {module:<45} {seconds:8.2f} s {100 * seconds / total:5.1f}%")


if __name__ == "__main__":
    main()
