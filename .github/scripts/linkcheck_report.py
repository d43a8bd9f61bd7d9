"""The body of the link-check issue: broken links and overdue reviews from ``output.json``.

Usage: ``python .github/scripts/linkcheck_report.py OUTPUT_JSON [RUN_URL]`` prints Markdown.
Each row of ``output.json`` (one JSON object a line, as Sphinx's link checker writes it) has
``filename``, ``lineno``, ``status``, ``uri`` and ``info``; sphinx-prolo writes overdue reviews as
rows whose ``uri`` starts with ``review:``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FAILED = {"broken", "timeout"}


def cell(text: object) -> str:
    """*text* safe inside a Markdown table cell: one line, no pipes, no markup, no mentions."""
    flat = " ".join(str(text).split())
    for char in "\\|`*_[]<>@#":
        flat = flat.replace(char, "\\" + char)
    return flat


def report(rows: list[dict[str, object]], run_url: str = "") -> str:
    failed = [row for row in rows if row.get("status") in FAILED]
    reviews = [row for row in failed if str(row.get("uri", "")).startswith("review:")]
    links = [row for row in failed if row not in reviews]
    lines = ["The weekly link check of the Learning Centre failed."]
    if run_url:
        lines.append(f"Run and its `output.json`: {run_url}")
    for title, group in (("Broken links", links), ("Overdue reviews", reviews)):
        lines += ["", f"## {title} ({len(group)})", ""]
        if not group:
            lines.append("None.")
            continue
        lines += ["| file | line | link | what happened |", "| --- | --- | --- | --- |"]
        for row in group:
            where, line = cell(row.get("filename", "")), cell(row.get("lineno", ""))
            uri, info = cell(row.get("uri", "")), cell(row.get("info", "") or row.get("status"))
            lines.append(f"| {where} | {line} | {uri} | {info} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = Path(argv[0]).read_text(encoding="utf-8") if Path(argv[0]).exists() else ""
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    sys.stdout.write(report(rows, argv[1] if len(argv) > 1 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
