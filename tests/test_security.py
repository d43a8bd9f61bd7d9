"""Hostile text in every place a writer or a configuration can put it is escaped in HTML."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conftest import config_warning, soup

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Projects

SCRIPT = "<script>alert(1)</script>"
HANDLER = '" onmouseover="alert(2)" x="'
QUOTES = "'\"><img src=x onerror=alert(3)>"
HOSTILE = f"{SCRIPT} {HANDLER} {QUOTES}"


def yaml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML string


def hostile_site() -> dict[str, str]:
    return {
        "conf.py": (
            "extensions = "
            '["myst_parser", "sphinx_design", "sphinx_prolo", "sphinxext.opengraph"]\n'
            "smartquotes = False  # compare the text exactly as written\n"
            'myst_enable_extensions = ["colon_fence"]\n'
            'exclude_patterns = ["_build"]\n'
            'prolo_article_patterns = ["articles/*"]\n'
            'prolo_please_note_source = "_notices/note.rst"\n'
            'html_baseurl = "https://clinic.example/"\n'
            'today = "2026-11-26"\n'
        ),
        "index.md": (
            "# Home\n\n:::{article-index}\n:::\n\n"
            f":::{{article-index}}\n:category: {HOSTILE}\n:::\n\n"
            "```{toctree}\n:glob:\narticles/*\n```\n"
        ),
        "_notices/note.rst": (
            f"Note with {SCRIPT} and {HANDLER}.\n\n.. raw:: html\n\n   {SCRIPT}\n"
        ),
        "articles/hostile.rst": (
            f":summary: {HOSTILE}\n:category: {HOSTILE}\n:aliases: ok-alias\n"
            f":related: target\n:reviewed: 2026-10-01\n\n"
            f"{'=' * 90}\n{HOSTILE}\n{'=' * 90}\n\n"
            f".. disclaimer::\n   :class: {HOSTILE}\n   :name: {HOSTILE}\n\n   {HOSTILE}\n\n"
            f"See :therapy:`target` and :therapy:`{HANDLER} <target>`.\n"
        ),
        "articles/badslug.md": (
            f"---\nslug: {yaml_string(HOSTILE)}\naliases: [{yaml_string(SCRIPT)}]\n---\n\n"
            "# Bad slug\n\nSee {therapy}`hostile`.\n"
        ),
        "articles/target.md": (
            f"---\nsummary: {yaml_string(HOSTILE)}\ncategory: {yaml_string(HOSTILE)}\n---\n\n"
            "# Target\n\nSee {therapy}`hostile`.\n"
        ),
    }


def unsafe_markup(page: BeautifulSoup) -> list[str]:
    """Scripts we did not expect and event-handler attributes anywhere in the page."""
    found = []
    for tag in page.find_all(True):
        for name in tag.attrs:
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
        if tag.name == "script" and tag.get("type") != "application/ld+json":
            body = tag.string or ""
            if "alert(" in body:
                found.append(f"<script>{body[:40]}")
        if tag.name == "img" and tag.get("src") == "x":
            found.append("<img src=x>")
    return found


def test_hostile_text_is_escaped_in_every_page(project: Projects) -> None:
    project.write("hostile", hostile_site())
    app = project("hostile", name="hostile")
    app.build()
    pages = sorted(app.outdir.rglob("*.html"))
    assert len(pages) >= 4
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert SCRIPT not in text, path.name
        assert 'onmouseover="alert' not in text, path.name
        assert "<img src=x" not in text, path.name
        assert unsafe_markup(BeautifulSoup(text, "html.parser")) == [], path.name

    page = soup(app.outdir / "articles/hostile.html")
    # The text is all there, shown as text.
    assert HOSTILE in page.find("h1").get_text()
    assert page.find("meta", attrs={"name": "description"})["content"] == HOSTILE
    assert page.find("meta", property="og:description")["content"] == HOSTILE
    assert page.find("meta", property="og:title")["content"] == HOSTILE
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["description"] == HOSTILE
    assert data["name"] == HOSTILE
    note = page.select_one("div.prolo-please-note")
    assert SCRIPT in note.get_text()
    links = page.select("a.prolo-therapy")
    assert HANDLER in [link.get_text() for link in links]
    target = soup(app.outdir / "articles/target.html")
    assert target.select("a.prolo-therapy")[0]["title"] == HOSTILE
    catalog = soup(app.outdir / "index.html").select("div.prolo-catalog")
    assert HOSTILE in [heading.get_text() for heading in catalog[0].find_all("h2")]


def html_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \tjavascript:alert(1)",
        "java\nscript:alert(1)",
        "java\tscript:alert(1)",
        "\x00javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "&#x6a&#x61vascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        " data:,x",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "vb&#115;cript:msgbox(1)",
    ],
)
def test_unsafe_schemes_in_configuration_are_refused(project: Projects, value: str) -> None:
    project.write("refuse", {"conf.py": 'extensions = ["sphinx_prolo"]\n', "index.rst": "T\n=\n"})
    app = project("refuse", name="refuse", confoverrides={"prolo_terms_url": value})
    assert re.match(r"^prolo_terms_url = .* is not accepted", config_warning(app))
    assert app.config.prolo_terms_url == ""
