"""Benchmark: this checkout's sphinx-prolo against an earlier revision's, side by side (ratios).

For a refactoring whose bar is "the benchmark does not get worse": the same generated Learning
Centre (see ``corpus.py``) is built with the package of this working tree and with the package of
a git revision, in one run, each build a separate ``python -m sphinx`` process from a clean output
folder. The two alternate within every round and the one that goes first alternates between
rounds, so slow and fast moments of the machine fall on both alike; each figure is the median of
``--repeat`` rounds of CPU time (user + system of the build's processes).

    .venv/bin/python benchmarks/bench_against.py --revision 66c5141 --sizes 100,300
    make bench-against REVISION=66c5141

The revision's package is taken with ``git archive`` into a temporary folder and put first on
``PYTHONPATH`` for its builds; Sphinx, furo and the rest are this environment's for both.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import sphinx, versions
from corpus import write_learning_centre

ROOT = Path(__file__).resolve().parent.parent
BUILDERS = ("dummy", "html")


def package_of(revision: str, folder: Path) -> Path:
    """Unpack the ``sphinx_prolo`` package of *revision* into *folder*; return the folder."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "sphinx_prolo"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def head() -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revision", required=True, help="the git revision to compare with")
    parser.add_argument(
        "--this",
        default=None,
        help="a git revision to measure instead of the working tree (default: the working tree)",
    )
    parser.add_argument(
        "--sizes", default="100,300", help="numbers of articles (default: 100,300)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds per figure (default: 3)")
    parser.add_argument("--jobs", type=int, default=1, help="sphinx -j (default: 1)")
    args = parser.parse_args()
    counts = sorted(int(size) for size in args.sizes.split(",") if size.strip())

    rows = []
    with tempfile.TemporaryDirectory(prefix="prolo-against-") as folder:
        work = Path(folder)
        old = package_of(args.revision, work / "old-package")
        new = ROOT if args.this is None else package_of(args.this, work / "new-package")
        this = "this tree" if args.this is None else args.this
        # Builds start in the temporary folder: from this checkout, Python would put its own
        # sphinx_prolo (the current directory) ahead of PYTHONPATH's.
        os.chdir(work)
        environments = {
            this: {**os.environ, "PYTHONPATH": str(new)},
            args.revision: {**os.environ, "PYTHONPATH": str(old)},
        }
        for name, env in environments.items():
            where = subprocess.run(
                [sys.executable, "-c", "import sphinx_prolo; print(sphinx_prolo.__file__)"],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout.strip()
            expected = old if name == args.revision else new
            if not Path(where).is_relative_to(expected):
                sys.exit(f"{name}: sphinx_prolo is imported from {where}, not from {expected}")
            print(f"{name}: {where}")
        for count in counts:
            source = write_learning_centre(work / f"n{count}", count, "prolo")
            for builder in BUILDERS:
                times: dict[str, list[float]] = {name: [] for name in environments}
                for number in range(args.repeat):
                    order = list(environments)
                    if number % 2:
                        order.reverse()
                    for name in order:
                        out = work / "out" / f"{count}-{builder}-{len(times[name])}-{name[:4]}"
                        seconds = sphinx(
                            source, out, builder, {}, args.jobs, env=environments[name]
                        )
                        times[name].append(seconds)
                        label = f"N={count} {builder:<5} round {number + 1}: {name:<10}"
                        print(f"  {label} {seconds:7.2f} s")
                new, before = (statistics.median(times[name]) for name in environments)
                rows.append((count, builder, new, before))

    measured = f"the working tree at {head()}" if args.this is None else args.this
    print()
    print(
        f"sphinx-prolo {measured} against {args.revision}: {versions()}; -j {args.jobs}, "
        f"median CPU seconds of {args.repeat} rounds"
    )
    print()
    print(f"| articles | builder | {this} | {args.revision} | ratio |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for count, builder, new, before in rows:
        print(f"| {count} | {builder} | {new:.2f} | {before:.2f} | {new / before:.2f} |")


if __name__ == "__main__":
    main()
