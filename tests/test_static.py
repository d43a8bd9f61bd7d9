"""Files the extension ships: the stylesheet's colour contrast and the compiled catalogs."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import sphinx_prolo
from sphinx_prolo.notices.directives import STATIC_DIR

CSS = (STATIC_DIR / "sphinx-prolo.css").read_text(encoding="utf-8")
BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")
PROPERTY = re.compile(r"(--prolo-[a-z-]+)\s*:\s*(#[0-9a-fA-F]{6})\s*;")


def colour_blocks() -> dict[str, dict[str, str]]:
    """Map each selector that sets ``--prolo-*`` colours to those colours."""
    blocks: dict[str, dict[str, str]] = {}
    for selector, body in BLOCK.findall(re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)):
        colours = dict(PROPERTY.findall(body))
        if colours:
            key = " ".join(selector.replace("@media (prefers-color-scheme: dark)", "").split())
            if key in blocks:
                key = "auto " + key
            blocks[key] = colours
    return blocks


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


BOXES = ("prolo-disclaimer", "prolo-please-note", "prolo-seek-help", "prolo-seek-help-urgent")

SELECTORS = {
    (kind, mode): selector
    for kind in BOXES
    for mode, selector in (
        ("light", f".{kind}"),
        ("dark", f'body[data-theme="dark"] .{kind}'),
        ("auto-dark", f'body:not([data-theme="light"]) .{kind}'),
    )
}


@pytest.mark.parametrize(("kind", "mode"), sorted(SELECTORS))
def test_notice_text_contrast_is_at_least_4_5_to_1(kind: str, mode: str) -> None:
    blocks = colour_blocks()
    colours = {**blocks[f".{kind}"], **blocks[SELECTORS[kind, mode]]}
    for text, background in (
        ("--prolo-text", "--prolo-background"),
        ("--prolo-link", "--prolo-background"),
        ("--prolo-title-text", "--prolo-title-background"),
    ):
        ratio = contrast(colours[text], colours[background])
        assert ratio >= 4.5, (kind, mode, text, background, round(ratio, 2))


def test_dark_colours_are_the_same_from_the_toggle_and_from_the_system() -> None:
    blocks = colour_blocks()
    for kind in BOXES:
        assert blocks[SELECTORS[kind, "dark"]] == blocks[SELECTORS[kind, "auto-dark"]]
        assert blocks[SELECTORS[kind, "dark"]] != blocks[f".{kind}"]


def test_the_boxes_have_distinct_colours() -> None:
    blocks = colour_blocks()
    for mode in ("light", "dark"):
        for key in ("--prolo-accent", "--prolo-background"):
            values = [blocks[SELECTORS[kind, mode]][key] for kind in BOXES]
            assert len(set(values)) == len(BOXES), (mode, key, values)


@pytest.mark.parametrize("po_path", sorted(sphinx_prolo.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")))
def test_compiled_catalog_matches_its_source(po_path: Path) -> None:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    with po_path.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    messages = [message for message in catalog if message.id]
    assert messages
    for message in messages:
        assert message.string, f"untranslated: {message.id!r}"
        assert compiled.gettext(message.id) == message.string, "run `make locale`"
