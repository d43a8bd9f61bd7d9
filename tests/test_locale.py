"""The extension speaks the reader's language: every document message translated, none left out;
and the writer's: its console messages come out in the terminal's language.

Messages are found with Babel's own extractor, the one ``make locale`` runs, so a message added to
the code without a translation fails here, by name.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import sphinx_prolo
from conftest import MYST_CONF, soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

PACKAGE = Path(sphinx_prolo.__file__).parent
ROOT = PACKAGE.parent
CATALOGS = sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/sphinx_prolo.po"))


def messages(*keywords: str) -> list[str]:
    """Every message of the package marked with one of *keywords*, as ``make locale`` extracts
    them (``_``: document text; ``__``: console text; both go to the one catalog)."""
    found = extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=dict.fromkeys(keywords)
    )
    return sorted({message for _file, _line, message, _comments, _context in found})


def document_messages() -> list[str]:
    """Every message of the package marked with ``_()``: the text that reaches pages."""
    return messages("_")


def test_the_extractor_finds_the_messages() -> None:
    documents = document_messages()
    assert "Related articles" in documents
    assert "Disclaimer" in documents
    assert len(documents) >= 12
    console = messages("__")
    assert "related article %r not found%s" in console
    assert "link check: %s" in console
    assert len(console) >= 100
    assert not set(console) & {"Related articles", "Disclaimer"}


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_message_has_a_translation(po_path: Path) -> None:
    with po_path.open("rb") as stream:
        catalog = read_po(stream)
    missing = [
        message
        for message in messages("_", "__")
        if message not in catalog or not catalog[message].string or catalog[message].fuzzy
    ]
    assert missing == [], f"{po_path}: run 'make locale' and translate: {missing}"


def test_french_catalog_is_shipped() -> None:
    assert [p.parent.parent.name for p in CATALOGS] == ["fr"]


def test_every_console_message_is_a_literal() -> None:
    """Babel extracts only a literal: ``__(f"...")``, ``__(text)`` or ``__("a" + b)`` would
    print English to every terminal, unseen by ``make locale``."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        nodes = list(ast.walk(tree))
        calls = [
            node
            for node in nodes
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__"
        ]
        called = {id(call.func) for call in calls}
        for call in calls:
            argument = call.args[0] if len(call.args) == 1 and not call.keywords else None
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                wrong.append(f"{path.relative_to(ROOT)}:{call.lineno}: {ast.unparse(call)}")
        # __ handed on (a callback, an alias) makes calls that Babel cannot see.
        wrong += [
            f"{path.relative_to(ROOT)}:{node.lineno}: __ used, not called"
            for node in nodes
            if isinstance(node, ast.Name)
            and node.id == "__"
            and isinstance(node.ctx, ast.Load)
            and id(node) not in called
        ]
    assert wrong == []


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


#: A site with two mistakes of the writer's: one in conf.py, found while Sphinx reads it, and one
#: in an article's front matter; each message is made of several translated pieces.
CONSOLE_SITE = {
    "conf.py": MYST_CONF + 'prolo_terms_url = "javascript:alert(1)"\n',
    "index.md": "# Home\n\n```{toctree}\nart/a\n```\n",
    "art/a.md": "---\nsummary: One article.\nrelated: [nothere]\n---\n\n# A\n\nText.\n",
}
FRENCH_LINES = (
    "WARNING: prolo_terms_url = 'javascript:alert(1)' n’est pas accepté\u00a0: le schéma "
    "'javascript:' n’est pas permis\u00a0; utilisez un nom de document (comme 'terms') ou une "
    "URL http(s)\u00a0; la valeur par défaut, '', est utilisée [prolo.config]",
    "art/a.md:3: WARNING: article lié 'nothere' introuvable [prolo.metadata]",
)
ENGLISH_LINES = (
    "WARNING: prolo_terms_url = 'javascript:alert(1)' is not accepted: the 'javascript:' scheme "
    "is not allowed; use a document name (such as 'terms') or an http(s) URL; the default, '', "
    "is used [prolo.config]",
    "art/a.md:3: WARNING: related article 'nothere' not found [prolo.metadata]",
)


def console_of(tmp_path: Path, name: str, terminal: dict[str, str]) -> tuple[list[str], Path]:
    """The warning lines of ``sphinx-build`` run in a fresh process whose terminal's locale is
    *terminal* (every LANG, LC_* and LANGUAGE of this one left out), and its output folder.

    ``sphinx-build`` sets the process's locale from the environment and reads the console's
    language from it, once per process: only a new process shows what a writer's terminal shows.
    """
    site = tmp_path / "site"
    if not site.exists():
        for relative, text in CONSOLE_SITE.items():
            (site / relative).parent.mkdir(parents=True, exist_ok=True)
            (site / relative).write_text(text, encoding="utf-8")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"LANG", "LANGUAGE"} and not key.startswith("LC_")
    }
    environment.update(terminal, PYTHONPATH=str(ROOT))
    outdir = tmp_path / name
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-N", "-E", str(site), str(outdir)],
        env=environment,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [line.replace(f"{site}/", "") for line in result.stderr.splitlines() if line.strip()]
    return lines, outdir


def locale_exists(name: str) -> bool:
    probe = [sys.executable, "-c", f"import locale; locale.setlocale(locale.LC_ALL, {name!r})"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize(
    "terminal",
    [
        # Python's gettext, which Sphinx uses, honours LANGUAGE when the process's locale names
        # no language (C): French on any machine, no locale to install.
        {"LANGUAGE": "fr"},
        {"LC_ALL": "C", "LANGUAGE": "fr_CA:fr"},
        # A French terminal as it usually is; run where the fr_CA.UTF-8 locale exists (without
        # it, sphinx-build itself stops at setlocale, before the extension is loaded).
        {"LANG": "fr_CA.UTF-8"},
    ],
    ids=["LANGUAGE", "C-LANGUAGE", "LANG"],
)
def test_a_french_terminal_gets_the_warnings_in_french(
    tmp_path: Path, terminal: dict[str, str]
) -> None:
    if "LANG" in terminal and not locale_exists(terminal["LANG"]):
        pytest.skip(f"the {terminal['LANG']} locale is not installed here")
    lines, outdir = console_of(tmp_path, "fr", terminal)
    assert lines == list(FRENCH_LINES)
    # The terminal's language is the console's only: the site's pages stay in conf.py's.
    assert soup(outdir / "art" / "a.html").find("html")["lang"] == "en"


def test_an_english_terminal_still_gets_english(tmp_path: Path) -> None:
    lines, _outdir = console_of(tmp_path, "en", {"LANG": "C.UTF-8"})
    assert lines == list(ENGLISH_LINES)
