"""The ``disclaimer`` and ``please-note`` directives, built in real Sphinx projects."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import config_warning, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

    from conftest import Projects as Project

DISCLAIMER_START = "This article is general information for education only."
PLEASE_NOTE_START = "This article is not a literature review."


def notices(page: BeautifulSoup) -> list[Tag]:
    return page.select("div.admonition.prolo-disclaimer, div.admonition.prolo-please-note")


def check_standard_page(page: BeautifulSoup, terms_href: str) -> None:
    first, note, second = notices(page)

    assert first["class"] == ["admonition", "prolo-disclaimer"]
    assert first["role"] == "note"
    assert first["aria-label"] == "Disclaimer"
    assert first.select_one("p.admonition-title").get_text() == "Disclaimer"
    paragraphs = first.find_all("p", class_=False)
    assert paragraphs[0].get_text().startswith(DISCLAIMER_START)
    link = paragraphs[1].find("a")
    assert link.get_text() == "Terms and Conditions of Use"
    assert link["href"] == terms_href

    assert note["class"] == ["admonition", "prolo-please-note", "wide", "compact"]
    assert note["id"] == "closing-note"
    assert note["aria-label"] == "Please note"
    assert note.select_one("p.admonition-title").get_text() == "Please note"
    texts = [p.get_text() for p in note.find_all("p", class_=False)]
    assert texts[0].startswith(PLEASE_NOTE_START)
    assert texts[1] == "Ask us about this page."
    assert note.find("strong").get_text() == "this page"

    assert second["id"] == "second"
    texts = [p.get_text() for p in second.find_all("p", class_=False)]
    assert texts[0].startswith(DISCLAIMER_START)
    assert texts[-1] == "Our own extra words."


def test_myst_notices_render_with_defaults_content_class_and_name(project: Project) -> None:
    app = project("notices-myst")
    app.build()
    assert warnings_of(app) == []
    check_standard_page(soup(app.outdir / "index.html"), "terms.html")


def test_rst_notices_render_with_defaults_content_class_and_name(project: Project) -> None:
    app = project("notices-rst")
    app.build()
    assert warnings_of(app) == []
    check_standard_page(soup(app.outdir / "index.html"), "https://clinic.example/terms")


def test_stylesheet_is_linked_and_copied(project: Project) -> None:
    app = project("notices-myst")
    app.build()
    page = soup(app.outdir / "index.html")
    hrefs = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(href.startswith("_static/sphinx-prolo.css") for href in hrefs)
    assert (app.outdir / "_static" / "sphinx-prolo.css").is_file()


def test_notice_sources_replace_builtin_text_with_links_from_the_file(project: Project) -> None:
    app = project("notices-source")
    app.build()
    assert warnings_of(app) == []  # in particular, no "not in any toctree" for the sources
    assert not (app.outdir / "_notices").exists()
    for page_path, terms_href in (
        ("index.html", "terms.html"),
        ("guide/page3.html", "../terms.html"),
    ):
        page = soup(app.outdir / page_path)
        disclaimer, note = notices(page)
        assert "The clinic disclaimer." in disclaimer.get_text()
        assert DISCLAIMER_START not in disclaimer.get_text()
        assert disclaimer.find("strong").get_text() == "general information"
        assert disclaimer.find("a", string="our terms")["href"] == terms_href
        assert "Our own note: this is not a literature review." in note.get_text()
        assert PLEASE_NOTE_START not in note.get_text()
        assert note.find("a")["href"] == terms_href
    page3_note = notices(soup(app.outdir / "guide/page3.html"))[1]
    assert page3_note.find_all("p")[-1].get_text() == "Only on page 3."


def test_editing_a_notice_source_rebuilds_every_page_that_shows_it(project: Project) -> None:
    app = project("notices-source", name="incremental")
    app.build()
    source = app.srcdir / "_notices" / "disclaimer.md"
    time.sleep(0.01)
    source.write_text("A *new* disclaimer wording.\n", encoding="utf-8")
    future = time.time() + 5
    os.utime(source, (future, future))

    again = project("notices-source", name="incremental")
    again.build()
    assert warnings_of(again) == []
    pages = ["index.html", *(f"guide/page{i}.html" for i in range(1, 8))]
    for page_path in pages:
        disclaimer = notices(soup(again.outdir / page_path))[0]
        assert "A new disclaimer wording." in disclaimer.get_text(), page_path
        assert "The clinic disclaimer." not in disclaimer.get_text()


def html_files(outdir: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(outdir)): path.read_bytes() for path in sorted(outdir.rglob("*.html"))
    }


def test_parallel_build_equals_serial_build(project: Project) -> None:
    serial = project("notices-source", name="serial")
    serial.build()
    parallel = project("notices-source", name="parallel", parallel=2)
    parallel.build()
    assert parallel.parallel == 2
    assert warnings_of(serial) == warnings_of(parallel) == []
    serial_pages = html_files(serial.outdir)
    assert len(serial_pages) >= 9
    assert html_files(parallel.outdir) == serial_pages


def test_french_titles_and_builtin_text(project: Project) -> None:
    app = project("notices-myst", confoverrides={"language": "fr"})
    app.build()
    assert warnings_of(app) == []
    first, note, _ = notices(soup(app.outdir / "index.html"))
    assert first["aria-label"] == "Avertissement"
    assert first.select_one("p.admonition-title").get_text() == "Avertissement"
    assert "Ce n’est pas un avis médical" in first.get_text()
    assert first.find("a").get_text() == "Conditions générales d’utilisation"
    assert note.select_one("p.admonition-title").get_text() == "À noter"
    assert "Cet article n’est pas une revue de la littérature." in note.get_text()


BUILDER_OUTPUTS = {
    "dirhtml": "index.html",
    "singlehtml": "index.html",
    "epub": "index.xhtml",
    "latex": "notices.tex",
    "text": "index.txt",
    "man": "notices.1",
    "texinfo": "notices.texi",
}


@pytest.mark.parametrize("builder", sorted(BUILDER_OUTPUTS))
def test_every_builder_renders_title_and_text(project: Project, builder: str) -> None:
    app = project("notices-rst", builder)
    app.build()
    assert warnings_of(app) == []
    output = (app.outdir / BUILDER_OUTPUTS[builder]).read_text(encoding="utf-8")
    # Writers wrap and escape text differently; compare words, not layout.
    words = " ".join(output.replace("\\-", "-").split())
    for expected in (
        "Disclaimer",
        "Please note",
        "It is not medical advice",
        "not a literature review",
        "Our own extra words.",
        "Terms and Conditions of Use",
    ):
        assert expected in words, (builder, expected)


def test_html_builders_mark_notices_for_assistive_technology(project: Project) -> None:
    for builder in ("dirhtml", "singlehtml", "epub"):
        app = project("notices-rst", builder, name=builder)
        app.build()
        page = soup(app.outdir / BUILDER_OUTPUTS[builder])
        found = notices(page)
        assert len(found) == 3, builder
        assert all(node["role"] == "note" for node in found), builder


def test_bad_directive_input_is_reported_with_file_line_and_subtype(project: Project) -> None:
    app = project("notices-bad")
    app.build()
    assert warnings_of(app) == [
        "SRC/index.md:3: WARNING: the disclaimer directive takes no argument; 'stray words here'"
        " is shown as text after the notice [prolo.notice]",
        "SRC/index.md:6: WARNING: unknown option :colour: for the please-note directive; it"
        " accepts :class:, :name: [prolo.notice]",
        "SRC/index.md:10: WARNING: invalid value '!!!' for option :class: of the disclaimer"
        ' directive (cannot make "!!!" into a class name); ignored [prolo.notice]',
        "SRC/rst.rst:4: WARNING: the please-note directive takes no argument; 'an argument' is"
        " shown as text after the notice [prolo.notice]",
        "SRC/rst.rst:6: WARNING: unknown option :unknown: for the disclaimer directive; it"
        " accepts :class:, :name: [prolo.notice]",
    ]
    # Nothing is lost: the stray argument is still shown, every notice still renders.
    page = soup(app.outdir / "index.html")
    assert len(notices(page)) == 3
    assert notices(page)[0].find_all("p")[-1].get_text() == "stray words here"


def test_problems_in_notice_sources_are_reported_once_with_their_file_and_line(
    project: Project,
) -> None:
    srcdir = project.source("notices-source", name="broken")
    (srcdir / "_notices" / "disclaimer.md").write_text(
        "Fine start.\n\n```{nosuchdirective}\n```\n\n<script>alert('x')</script>\n",
        encoding="utf-8",
    )
    (srcdir / "_notices" / "please-note.rst").write_text(
        "Broken *emphasis and :nosuchrole:`x`.\n", encoding="utf-8"
    )
    app = project("notices-source", name="broken")
    app.build()
    assert warnings_of(app) == [
        "SRC/_notices/disclaimer.md:3: WARNING: Unknown directive type: 'nosuchdirective'"
        " [prolo.notice]",
        "SRC/_notices/disclaimer.md:6: WARNING: raw markup is not allowed in a notice source;"
        " shown as text [prolo.notice]",
        "SRC/_notices/please-note.rst:1: WARNING: Inline emphasis start-string without"
        " end-string. [prolo.notice]",
        'SRC/_notices/please-note.rst:1: WARNING: Unknown interpreted text role "nosuchrole".'
        " [prolo.notice]",
    ]
    disclaimer = notices(soup(app.outdir / "guide/page1.html"))[0]
    assert disclaimer.find("script") is None
    assert "<script>alert('x')</script>" in disclaimer.get_text()


def test_missing_notice_source_falls_back_to_builtin_text(project: Project) -> None:
    srcdir = project.source("notices-source")
    (srcdir / "_notices" / "disclaimer.md").unlink()
    app = project("notices-source")
    app.build()
    assert warnings_of(app) == [
        "WARNING: prolo_disclaimer_source: file '_notices/disclaimer.md' not found in the source"
        " directory; the built-in text is shown [prolo.notice]",
    ]
    disclaimer = notices(soup(app.outdir / "index.html"))[0]
    assert disclaimer.get_text().count(DISCLAIMER_START) == 1


def test_unreadable_notice_source_falls_back_to_builtin_text(project: Project) -> None:
    srcdir = project.source("notices-source", name="unreadable")
    (srcdir / "_notices" / "disclaimer.md").write_bytes(b"\xff\xfe not utf-8 \xff")
    app = project("notices-source", name="unreadable")
    app.build()
    lines = warnings_of(app)
    assert len(lines) == 1
    assert lines[0].startswith(
        "WARNING: prolo_disclaimer_source: cannot read '_notices/disclaimer.md' ("
    )
    assert lines[0].endswith("); the built-in text is shown [prolo.notice]")
    assert DISCLAIMER_START in notices(soup(app.outdir / "index.html"))[0].get_text()


def test_terms_url_naming_a_missing_document_is_reported_once(project: Project) -> None:
    app = project("notices-myst", confoverrides={"prolo_terms_url": "legal/terms"})
    app.build()
    assert warnings_of(app) == [
        "WARNING: prolo_terms_url = 'legal/terms' is not a document of this project; the Terms"
        " link of the disclaimer is shown as plain text [prolo.notice]",
    ]
    first = notices(soup(app.outdir / "index.html"))[0]
    assert first.find("a") is None
    assert "Terms and Conditions of Use" in first.get_text()


def test_a_terms_url_with_a_query_is_accepted(project: Project) -> None:
    url = "https://clinic.example/terms?lang=en&print=1"
    app = project("notices-myst", confoverrides={"prolo_terms_url": url})
    app.build()
    assert warnings_of(app) == []
    assert app.config.prolo_terms_url == url


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("javascript:alert(1)", "the 'javascript:' scheme is not allowed"),
        ("JavaScript:alert(1)", "the 'javascript:' scheme is not allowed"),
        (" java\tscript:alert(1)", "the 'javascript:' scheme is not allowed"),
        ("&#106;avascript:alert(1)", "the 'javascript:' scheme is not allowed"),
        ("data:text/html,<script>alert(1)</script>", "the 'data:' scheme is not allowed"),
        ("vbscript:msgbox", "the 'vbscript:' scheme is not allowed"),
        ("ftp://clinic.example/terms", "the 'ftp:' scheme is not allowed"),
        ("https://", "the address has no host name"),
        ("https://clinic.example/our terms", "contains a space or an invisible character"),
        ("https://clinic.example/&#116;erms", "contains an HTML character reference"),
        ("//evil.example/terms", "is not accepted"),
        ("../outside", "is not accepted"),
        ("terms page", "is not accepted"),
    ],
)
def test_unsafe_terms_url_is_a_config_error(project: Project, value: str, message: str) -> None:
    text = config_warning(project("notices-myst", confoverrides={"prolo_terms_url": value}))
    assert text.startswith(f"prolo_terms_url = {value!r}")
    assert message in text
    assert "a document name (such as 'terms') or an http(s) URL" in text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("prolo_terms_url", 42, "The config value `prolo_terms_url' has type `int'"),
        ("prolo_terms_url", ["terms"], "The config value `prolo_terms_url' has type `list'"),
        (
            "prolo_disclaimer_source",
            3,
            "The config value `prolo_disclaimer_source' has type `int'",
        ),
        (
            "prolo_please_note_source",
            "_notices/note.txt",
            "prolo_please_note_source = '_notices/note.txt' has no known source suffix",
        ),
        (
            "prolo_disclaimer_source",
            "../elsewhere.md",
            "prolo_disclaimer_source = '../elsewhere.md' is not accepted",
        ),
    ],
)
def test_config_values_of_the_wrong_kind_are_config_errors(
    project: Project, name: str, value: object, message: str
) -> None:
    app = project("notices-myst", confoverrides={name: value})
    assert config_warning(app).startswith(message)
    assert getattr(app.config, name) in {"", None}  # the default: the built-in text, no link


def test_option_and_source_text_is_escaped_in_html(project: Project) -> None:
    srcdir = project.source("notices-source", name="escape")
    (srcdir / "_notices" / "disclaimer.md").write_text(
        'Text with \\<b onmouseover="alert(1)"> and a "quote\' here.\n', encoding="utf-8"
    )
    (srcdir / "index.md").write_text(
        '# Home\n\n:::{disclaimer}\n:name: x"><script>alert(1)</script>\n:::\n\n'
        "```{toctree}\n:glob:\nterms\nguide/*\n```\n",
        encoding="utf-8",
    )
    app = project("notices-source", name="escape")
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=" in html
    page = soup(app.outdir / "index.html")
    assert page.find("script", string="alert(1)") is None
    assert notices(page)[0]["id"].startswith("x")


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("Intro.\n\n## Section two\n\nMore text.\n", "a heading"),
        ("Intro.\n\n:::{please-note}\n:::\n", "another notice"),
    ],
    ids=["heading", "notice"],
)
def test_a_notice_that_swallowed_the_article_is_reported(
    project: Project, body: str, what: str
) -> None:
    # The closing ":::" of the disclaimer is missing: everything after it is inside the box.
    project.write(
        "swallowed",
        {
            "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'myst_enable_extensions = ["colon_fence"]\nexclude_patterns = ["_build"]\n',
            "index.md": f"# Home\n\n:::{{disclaimer}}\n\n{body}",
        },
    )
    app = project("swallowed", name="swallowed")
    app.build()
    assert [w for w in warnings_of(app) if "[prolo.notice]" in w] == [
        f"SRC/index.md:3: WARNING: the disclaimer directive contains {what}; is its closing"
        " ':::' (or the end of its indented block) missing? [prolo.notice]"
    ]


def test_parallel_reads_keep_the_problems_of_the_notice_source_as_it_is_now(
    project: Project,
) -> None:
    # Two processes read the changed pages; only the first one's pages show the please-note
    # notice, so only it parses the edited source.  The second brings back the previous build's
    # (empty) list of the file's problems, which must not replace the current one.
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
        'myst_enable_extensions = ["colon_fence"]\nexclude_patterns = ["_build"]\n'
        'prolo_please_note_source = "_notices/note.md"\n',
        "_notices/note.md": "Our own note.\n",
        "a-note.md": "# With the note\n\n:::{please-note}\n:::\n",
        "index.md": "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n",
    }
    # The second process's pages are long, so that it most likely finishes (and is merged) last.
    files |= {f"page-{n:02}.md": f"# Page {n}\n\n" + "Text.\n\n" * n**3 for n in range(12)}
    src = project.write("stale-problems", files)
    app = project("stale-problems", name="stale-problems", parallel=2)
    app.build()
    assert [w for w in warnings_of(app) if "[prolo." in w] == []

    (src / "_notices/note.md").write_text("Our own note.\n\n:::{disclaimer}\n:::\n")
    for path in src.glob("*.md"):  # every page is read again, in both processes
        touch_later(path)
    touch_later(src / "_notices/note.md")
    app = project("stale-problems", name="stale-problems", parallel=2)
    app.build()
    assert app.parallel == 2
    assert [w for w in warnings_of(app) if "[prolo." in w] == [
        "SRC/_notices/note.md:3: WARNING: a notice source cannot contain the disclaimer "
        "directive [prolo.notice]"
    ]
