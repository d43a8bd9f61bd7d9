"""Toctree captions get the ``aria-level`` their heading role needs, in every HTML builder and
theme, on top of whatever translator a theme or another extension installs
(``sphinx_prolo.site.html_translator``; Sphinx's own bug is sphinx-doc/sphinx#14030)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.writers.html5 import HTML5Translator

from conftest import Projects, warnings_of
from sphinx_prolo.site.html_translator import CaptionLevelMixin

FILES = {
    "index.md": "# Home\n\n```{toctree}\n:caption: Guides\n\nguide\n```\n\n"
    "```{toctree}\n:caption: More\n\nmore\n```\n",
    "guide.md": "# Guide\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n",
    "more.md": "# More\n\nText.\n",
}
CONF = 'extensions = ["myst_parser", "sphinx_prolo"]\nhtml_theme = "{theme}"\n'
#: A translator another extension installs in conf.py: it marks every paragraph.
OWN_TRANSLATOR = """
from sphinx.writers.html5 import HTML5Translator

class MarkingTranslator(HTML5Translator):
    def visit_paragraph(self, node):
        node["classes"].append("marked")
        super().visit_paragraph(node)

def setup(app):
    for name in ("html", "dirhtml", "singlehtml"):
        app.set_translator(name, MarkingTranslator)
"""


def html_dir(project: Projects, name: str) -> Path:
    """Where the project folder *name* was built (``project`` builds into its _build)."""
    return project.source("unused", name) / "_build" / "html"


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def captions(html: str) -> list[str]:
    """Every toctree caption's opening tag, as written."""
    return re.findall(r'<p [^>]*class="caption"[^>]*>', html)


def build(
    project: Projects, theme: str, builder: str, extra: str = "", page: str = "index.html"
) -> tuple[str, type]:
    """Build the small site with *theme* and *builder*: *page* and the translator class."""
    name = f"{theme}-{builder}-{'own' if extra else 'plain'}"
    project.write(name, {**FILES, "conf.py": CONF.format(theme=theme) + extra})
    app = project(name, builder, name=name)  # the folder just written
    app.build()
    assert warnings_of(app) == []
    return (app.outdir / page).read_text(encoding="utf-8"), app.builder.get_translator_class()


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
@pytest.mark.parametrize("theme", ["furo", "alabaster", "pydata_sphinx_theme"])
def test_every_toctree_caption_is_a_heading_of_level_two(
    project: Projects, theme: str, builder: str
) -> None:
    html, translator = build(project, theme, builder)
    written = captions(html)
    # Both captions, wherever the theme shows them; pydata-sphinx-theme's single page shows no
    # site tree at all.
    if (theme, builder) != ("pydata_sphinx_theme", "singlehtml"):
        assert len(written) >= 2, written
    for tag in written:
        assert 'role="heading"' in tag, tag
        assert tag.count("aria-level=") == 1, tag
        assert 'aria-level="2"' in tag, tag
    assert issubclass(translator, CaptionLevelMixin)
    assert issubclass(translator, HTML5Translator)


def test_a_theme_s_own_translator_keeps_working_with_the_mixin(project: Projects) -> None:
    """pydata-sphinx-theme subclasses the builder's translator when the builder starts: its
    tables keep its classes, and its own aria-level and ours make one attribute."""
    html, translator = build(project, "pydata_sphinx_theme", "html")
    guide = (Path(html_dir(project, "pydata_sphinx_theme-html-plain")) / "guide.html").read_text(
        encoding="utf-8"
    )
    names = [cls.__name__ for cls in translator.__mro__]
    assert names.index("BootstrapHTML5TranslatorMixin") < names.index("CaptionLevelMixin")
    table = soup_of(guide).select_one("article table")
    assert table is not None and table["class"] == ["table"], table
    written = captions(html)
    assert written and all(tag.count("aria-level=") == 1 for tag in written), written


def test_another_extension_s_translator_is_kept_under_the_mixin(project: Projects) -> None:
    html, translator = build(project, "furo", "html", OWN_TRANSLATOR, page="more.html")
    assert [cls.__name__ for cls in translator.__mro__[:3]] == [
        "MarkingTranslator",
        "CaptionLevelMixin",
        "MarkingTranslator",
    ]
    assert '<p class="marked">Text.</p>' in html
    written = captions(html)
    assert len(written) == 2 and all('aria-level="2"' in tag for tag in written), written


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_builders_other_than_html_keep_their_translator(project: Projects, builder: str) -> None:
    name = f"other-{builder}"
    project.write(name, {**FILES, "conf.py": CONF.format(theme="furo")})
    app = project(name, builder, name=name)
    app.build()
    assert not issubclass(app.builder.get_translator_class(), CaptionLevelMixin)
