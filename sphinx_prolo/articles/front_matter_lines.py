"""Where front matter sits: its fields as Sphinx reads them, the lines of its keys and items.

MyST front matter and a reStructuredText field list before the title both end up as a docinfo
node (:func:`docinfo_fields`); warnings and link-check rows point at the key's own line in the
source file (:func:`key_lines`, :func:`item_lines`), which the doctree does not keep.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes


def docinfo_fields(doctree: nodes.document) -> dict[str, str]:
    """The leading field list (front matter or rST docinfo) as name -> text."""
    index = doctree.first_child_not_matching_class(nodes.PreBibliographic)  # type: ignore[arg-type]
    docinfo = doctree[index] if index is not None else None
    if not isinstance(docinfo, nodes.docinfo):
        return {}
    fields: dict[str, str] = {}
    for node in docinfo.children:
        if isinstance(node, nodes.field) and len(node) == 2:
            fields[node[0].astext().strip()] = node[1].astext().strip()
        else:  # a bibliographic field such as :date:, which is none of ours
            fields[node.__class__.__name__] = node.astext()
    return fields


def key_lines(path: str | os.PathLike[str]) -> dict[str, int]:
    """Line numbers of the metadata keys at the top of the source file at *path*."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, int] = {}
    if lines and lines[0].strip() == "---":  # MyST front matter
        pattern = re.compile(r"^([A-Za-z0-9_-]+)\s*:")
        for number, line in enumerate(lines[1:], start=2):
            if line.strip() == "---":
                break
            if match := pattern.match(line):
                found.setdefault(match.group(1), number)
    else:  # rST: a field list before the title
        pattern = re.compile(r"^:([A-Za-z0-9_-]+):")
        for number, line in enumerate(lines, start=1):
            if match := pattern.match(line):
                found.setdefault(match.group(1), number)
            elif line.strip() and not line.startswith((" ", "\t", "..")):
                break
    return found


def item_lines(path: str | os.PathLike[str], key: str) -> list[int]:
    """The line of each item of the YAML list under *key* in the front matter at *path*."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    start = key_lines(path).get(key)
    if start is None or not lines or lines[0].strip() != "---":
        return []
    found = []
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip() == "---" or re.match(r"^[A-Za-z0-9_-]+\s*:", line):
            break
        if re.match(r"^\s*- ", line):
            found.append(number)
    return found
