"""How much of each page is translated: ``python -m sphinx_prolo.languages.status FOLDER``.

Reads every ``.po`` file under FOLDER (one per page, as Sphinx writes them with
``gettext_compact = False``) and prints, per page, the share of its messages translated, and how
many are fuzzy (shown in English until someone checks them) or missing (shown in English).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po


@dataclass
class PageStatus:
    page: str
    translated: int
    fuzzy: int
    missing: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0


def page_status(path: Path, folder: Path) -> PageStatus:
    """The counts of one catalog (its header is not a message)."""
    with path.open("rb") as file:
        catalog = read_po(file)
    translated = fuzzy = missing = 0
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            fuzzy += 1
        elif message.string:
            translated += 1
        else:
            missing += 1
    page = path.relative_to(folder).with_suffix("").as_posix()
    return PageStatus(page, translated, fuzzy, missing)


def report(folder: Path) -> list[str]:
    """One line per page, then the whole site's line."""
    pages = [page_status(path, folder) for path in sorted(folder.rglob("*.po"))]
    width = max((len(status.page) for status in pages), default=4)
    lines = [
        f"{status.page:<{width}}  {status.share:4.0%} translated  "
        f"({status.translated} of {status.total}; {status.fuzzy} fuzzy, {status.missing} missing)"
        for status in pages
    ]
    done = sum(status.translated for status in pages)
    total = sum(status.total for status in pages)
    lines.append(f"{'all pages':<{width}}  {done / total if total else 1:4.0%} translated")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m sphinx_prolo.languages.status LOCALE/LANG/LC_MESSAGES")
        return 2
    print("\n".join(report(Path(args[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
