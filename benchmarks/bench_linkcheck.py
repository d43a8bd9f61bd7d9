"""Benchmark: a first link-check run against a cached second run (ratio, side by side).

A local server on 127.0.0.1 answers every request after 50 ms.  The site has 200 external links.
Runs alternate (first run with an empty cache, then a second run with the cache it left), three
pairs by default, and the table shows the medians and their ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from linkserver import LinkServer


def make_site(root: Path, base: str, links: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_prolo"]\nexclude_patterns = ["_build"]\n'
        "linkcheck_workers = 5\nlinkcheck_timeout = 10\n",
        encoding="utf-8",
    )
    lines = ["# Links", ""] + [f"- <{base}/page-{number}>" for number in range(links)]
    (root / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def linkcheck(source: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "linkcheck", str(source), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    firsts, seconds, second_requests = [], [], []
    with tempfile.TemporaryDirectory() as tmp, LinkServer(latency=args.latency) as server:
        source = Path(tmp) / "site"
        make_site(source, server.base, args.links)
        for _ in range(args.repeat):
            out = Path(tmp) / "out"
            shutil.rmtree(out, ignore_errors=True)
            firsts.append(linkcheck(source, out))
            server.reset()
            seconds.append(linkcheck(source, out))
            second_requests.append(server.total())
    first, second = statistics.median(firsts), statistics.median(seconds)
    print(f"Link-check cache: {args.links} external links, {args.latency * 1000:.0f} ms latency")
    print(f"{'run':<28}{'median s':>10}")
    print(f"{'first run (empty cache)':<28}{first:>10.2f}")
    print(f"{'second run (cached)':<28}{second:>10.2f}")
    print(f"requests in second runs: {second_requests}")
    print(f"ratio first / cached: {first / second:.1f}x")


if __name__ == "__main__":
    main()
