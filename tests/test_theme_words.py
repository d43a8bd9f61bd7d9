"""The theme's own words on a French page: furo's marked and written words, Sphinx's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import MYST_CONF, soup, warnings_of
from sphinx_prolo.languages import theme_words

if TYPE_CHECKING:
    from conftest import Projects

FILES = {
    "conf.py": MYST_CONF + 'html_theme = "furo"\nhtml_logo = "logo.svg"\n',
    "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>\n',
    "index.md": "# Accueil du site\n\n## Partie\n\nTexte.\n\n```{toctree}\n:glob:\nart/*\n```\n",
    "art/knee.md": "# Knee\n\n## Part\n\nText.\n",
}


def test_furo_s_words_are_french_on_a_french_page(project: Projects) -> None:
    pytest.importorskip("furo")
    project.write("theme-fr", FILES)
    app = project("theme-fr", name="theme-fr", confoverrides={"language": "fr"})
    app.build()
    assert warnings_of(app) == []
    for page in ("index.html", "art/knee.html", "search.html"):
        html = (app.outdir / page).read_text(encoding="utf-8")
        for english in [*theme_words.written_words(), *theme_words.marked_words()]:
            if english in {"Menu", "Edit this page", "View this page", "Previous"}:
                continue  # the same in French, or not on these pages
            assert f">{english}<" not in html and f'"{english}"' not in html, (page, english)
        assert "Made with" not in html, page
    page = soup(app.outdir / "art/knee.html")
    assert page.select_one("a.skip-to-content").get_text().strip() == "Aller au contenu"
    assert page.select_one("label[for=__navigation]") is not None
    # Named by aria-label (furo 2025 and later) or by hidden text (earlier releases).
    labels = {tag["aria-label"] for tag in page.select("[aria-label]")}
    labels |= {tag.get_text() for tag in page.select(".visually-hidden")}
    assert "Afficher ou masquer la navigation du site" in labels
    assert "Retour en haut" in page.get_text()
    footer = page.select_one("footer").get_text()
    assert "Conçu avec" in " ".join(footer.split())
    search = soup(app.outdir / "search.html").get_text()
    assert "Veuillez activer JavaScript pour utiliser la recherche." in search


def test_an_english_page_is_furo_s_own(project: Projects) -> None:
    pytest.importorskip("furo")
    project.write("theme-en", FILES)
    app = project("theme-en", name="theme-en")
    app.build()
    html = (app.outdir / "art/knee.html").read_text(encoding="utf-8")
    assert "Skip to content" in html
    assert "Made with" in html
