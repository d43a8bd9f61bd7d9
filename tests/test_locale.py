"""The extension speaks the reader's language: every document message translated, none left out.

Messages are found with Babel's own extractor, the one ``make locale`` runs, so a message added to
the code without a translation fails here, by name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import sphinx_prolo
from conftest import soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

PACKAGE = Path(sphinx_prolo.__file__).parent
CATALOGS = sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/sphinx_prolo.po"))


def document_messages() -> list[str]:
    """Every message of the package marked with ``_()``, as ``make locale`` extracts them."""
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords={"_": None})
    return sorted({message for _file, _line, message, _comments, _context in found})


def test_the_extractor_finds_the_messages() -> None:
    messages = document_messages()
    assert "Related articles" in messages
    assert "Disclaimer" in messages
    assert len(messages) >= 12


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_message_has_a_translation(po_path: Path) -> None:
    with po_path.open("rb") as stream:
        catalog = read_po(stream)
    missing = [
        message
        for message in document_messages()
        if message not in catalog or not catalog[message].string or catalog[message].fuzzy
    ]
    assert missing == [], f"{po_path}: run 'make locale' and translate: {missing}"


def test_french_catalog_is_shipped() -> None:
    assert [p.parent.parent.name for p in CATALOGS] == ["fr"]


FRENCH_SITE = {
    "conf.py": (
        'extensions = ["myst_parser", "sphinx_design", "sphinx_prolo"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'exclude_patterns = ["_build"]\n'
        'prolo_article_patterns = ["art/*"]\n'
        'prolo_terms_url = "conditions"\n'
        'language = "fr"\n'
        'today = "2026-11-26"\n'
    ),
    "index.md": (
        "# Accueil\n\n:::{article-index}\n:::\n\n```{toctree}\n:glob:\nart/*\nconditions\n"
        "liste\n```\n"
    ),
    "liste.md": "# Liste\n\n:::{article-index}\n:category: Injections\n:::\n",
    "conditions.md": "# Conditions\n\nNos conditions.\n",
    "art/prp.md": (
        "---\nsummary: Injections de votre propre sang.\ncategory: Injections\n"
        "reviewed: 2026-10-01\n---\n\n# Injections de PRP\n\nVoir {therapy}`prolo`.\n"
    ),
    "art/prolo.md": (
        "---\nsummary: Une injection.\nreviewed: 2026-09-15\nnext-review: 2027-03-01\n---\n\n"
        "# Prolothérapie\n\nTexte.\n"
    ),
}


def test_a_french_article_has_no_english_from_the_extension(project: Projects) -> None:
    project.write("fr", FRENCH_SITE)
    app = project("fr", name="fr")
    app.build()
    assert warnings_of(app) == []
    english = document_messages()
    pages = ["art/prp.html", "art/prolo.html", "index.html", "liste.html"]
    seen = set()
    for page in pages:
        html = soup(app.outdir / page)
        assert html.find("html")["lang"] == "fr"
        body = html.select_one("div.body") or html
        text = " ".join(body.get_text().split())
        seen.add(text)
        for message in english:
            # The text of each message before its first placeholder, as a page would show it.
            words = message.split("%")[0].split("{")[0].strip()
            if not re.search(r"[A-Za-z]", words):  # punctuation (": ") is in every language
                continue
            # As a whole phrase: "Article" (a column of the content report) is not English in
            # "Articles liés".
            found = re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text)
            assert found is None, f"{page}: English from the extension: {words!r}"
    everything = " ".join(seen)
    # What the pages must show, in French: both notices, related list, review lines, catalog.
    for french in (
        "Avertissement",
        "À noter",
        "Articles liés",
        "Page révisée pour la dernière fois le 1er octobre 2026",
        "Prochaine révision prévue le 1er mars 2027",
        "Autres articles",
        "Dernière révision",
        "Conditions générales d’utilisation",
    ):
        assert french in everything, french
