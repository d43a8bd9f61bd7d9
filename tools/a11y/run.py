"""`make a11y`: Lighthouse's accessibility score of each kind of page, in Debian's Chromium.

Serves the built sites on 127.0.0.1 as they are published (the Learning Centre at /, the French
one at /fr/, the handbook at /handbook/), runs npm's `lighthouse` (pinned in package.json,
installed by `npm ci` here) over one page of each kind, accessibility category only, and writes
each report as JSON and HTML to docs/_build/a11y/ (CI keeps the folder). Prints each score; exits
with 1 when a page scores under 100 or Lighthouse fails, naming the audits that failed.
``run.py article fr-404`` runs only the page kinds named.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent.parent / "docs" / "_build"
REPORTS = BUILD / "a11y"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-background-networking --disable-gpu"
#: Where each site is published, and the folder it is built in.
SITES = {"/fr/": BUILD / "html-fr", "/handbook/": BUILD / "handbook", "/": BUILD / "html"}
#: One page of each kind a reader opens (the 404 page at its own address: Lighthouse does not
#: audit a page answered with status 404, and the page is the same).
PAGES = {
    "landing": "/index.html",
    "article": "/learning-centre/prolotherapy.html",
    "search": "/search.html?q=injection",
    "terms": "/terms.html",
    "about": "/about.html",
    "404": "/404.html",
    "condition": "/conditions/tennis-elbow.html",
    "reviewers": "/reviewers.html",
    "no-results": "/search.html?q=zzqqxxwv",
    "fr-landing": "/fr/index.html",
    "fr-article": "/fr/learning-centre/prolotherapy.html",
    "fr-search": "/fr/search.html?q=injection",
    "fr-terms": "/fr/terms.html",
    "fr-about": "/fr/about.html",
    "fr-404": "/fr/404.html",
    "fr-condition": "/fr/conditions/tennis-elbow.html",
    "fr-reviewers": "/fr/reviewers.html",
    "handbook-landing": "/handbook/index.html",
    "handbook-guide": "/handbook/writing-guide/notices.html",
    "handbook-search": "/handbook/search.html?q=notice",
}


class SitesHandler(SimpleHTTPRequestHandler):
    """Each address answered from the site published under its prefix."""

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        for prefix, folder in SITES.items():
            if path.startswith(prefix):
                relative = Path(path[len(prefix) :])
                if ".." in relative.parts:
                    return str(folder / "404.html")
                return str(folder / relative)
        return str(BUILD / "missing")

    def log_message(self, format: str, *args: object) -> None:
        pass


def audit(name: str, url: str) -> tuple[int | None, list[str]]:
    """Run Lighthouse on *url*; its score (0-100, None when it failed) and the failed audits."""
    target = REPORTS / name
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=accessibility",
        # The desktop layout shows every part of the page at once (sidebar, contents); the
        # phone layout, with its drawers closed, is covered by axe in tests/test_browser.py.
        "--preset=desktop",
        "--output=json",
        "--output=html",
        f"--output-path={target}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    result = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, text=True
    )
    report_path = target.with_name(f"{name}.report.json")
    if result.returncode != 0 or not report_path.is_file():
        return None, [result.stderr.strip()[-2000:] or f"lighthouse exited {result.returncode}"]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        return None, [str(report["runtimeError"].get("message", report["runtimeError"]))]
    category = report["categories"]["accessibility"]
    failed = [
        f"{ref['id']}: {report['audits'][ref['id']]['title']}"
        for ref in category["auditRefs"]
        if ref["weight"] > 0 and report["audits"][ref["id"]]["score"] not in (None, 1)
    ]
    return round(category["score"] * 100), failed


def main() -> int:
    missing = [str(folder) for folder in SITES.values() if not (folder / "index.html").is_file()]
    if missing:
        print(f"make a11y: build the sites first (make html html-fr handbook): {missing}")
        return 1
    if not LIGHTHOUSE.is_file():
        print(f"make a11y: {LIGHTHOUSE} is missing: run npm ci in {HERE}")
        return 1
    REPORTS.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SitesHandler))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}"
    chosen = {name: path for name, path in PAGES.items() if name in sys.argv[1:]} or PAGES
    worst = 100
    try:
        # Two at a time: each Lighthouse run spends most of its time waiting on its Chromium.
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = pool.map(lambda name: audit(name, address + chosen[name]), chosen)
        for (name, path), (score, failed) in zip(chosen.items(), results, strict=True):
            shown = "failed" if score is None else str(score)
            print(f"{name:20} {shown:>6}  {path}")
            for line in failed:
                print(f"{'':20}   {line}")
            worst = min(worst, -1 if score is None else score)
    finally:
        server.shutdown()
        server.server_close()
    print(f"reports: {REPORTS}")
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())
