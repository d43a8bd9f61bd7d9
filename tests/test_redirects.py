"""Moved articles keep working: ``redirect-from`` pages at the old addresses."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import html_pages, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects

CONF = (
    'extensions = ["myst_parser", "sphinx_prolo"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_article_patterns = ["articles/*"]\n'
)
INDEX = "# Home\n\n```{toctree}\n:glob:\narticles/*\n```\n"
PRP_TITLE = "Platelet-rich plasma (PRP) injections"


def site(prp_front_matter: str, **extra: str) -> dict[str, str]:
    files = {
        "conf.py": CONF,
        "index.md": INDEX,
        "articles/prp.md": f"---\n{prp_front_matter}\n---\n\n# {PRP_TITLE}\n\nText.\n",
        "articles/prolotherapy.md": "# Prolotherapy\n\nSee {therapy}`prp`.\n",
    }
    files.update(extra)
    return files


def build(
    project: Projects, name: str, files: dict[str, str], builder: str = "html", **kw: object
):  # type: ignore[no-untyped-def]
    project.write(name, files)
    app = project("unused", builder, name=name, **kw)
    app.build()
    return app


def page_path(builder: str, docname: str) -> str:
    """Where *docname*'s page is, relative to the output folder."""
    if builder == "dirhtml" and docname != "index":
        return f"{docname}/index.html"
    return f"{docname}.html"


def lands_on(app: SphinxTestApp, old_page: str, url: str) -> str:
    """The page (relative to the output folder) that *url*, written in *old_page*, leads to."""
    resolved = urlsplit(urljoin(f"http://site.test/{old_page}", url))
    assert resolved.netloc == "site.test", url
    path = unquote(resolved.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    assert (app.outdir / path).is_file(), path
    return path


def refresh_url(page: Path) -> str:
    content = soup(page).find("meta", attrs={"http-equiv": "refresh"})["content"]
    delay, _sep, url = content.partition("; url=")
    assert delay == "0"
    return url


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_old_addresses_lead_to_the_article_at_any_depth(project: Projects, builder: str) -> None:
    front = 'redirect-from: ["a/b/old", "prp-old.md", "learning-centre/prp"]'
    app = build(project, builder, site(front), builder)
    assert warnings_of(app) == []
    new_page = page_path(builder, "articles/prp")
    for old in ("a/b/old", "prp-old", "learning-centre/prp"):
        old_page = page_path(builder, old)
        path = app.outdir / old_page
        assert path.is_file(), old_page
        page = soup(path)
        assert lands_on(app, old_page, refresh_url(path)) == new_page
        assert lands_on(app, old_page, page.find("link", rel="canonical")["href"]) == new_page
        link = page.find("body").find("a")
        assert lands_on(app, old_page, link["href"]) == new_page
        assert link.get_text() == PRP_TITLE
        assert (
            page.find("body").get_text(" ", strip=True) == f"This page has moved to {PRP_TITLE} ."
        )
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert page.find("title").get_text() == f"Page moved: {PRP_TITLE}"
        assert page.find("html")["lang"] == "en"
        assert page.find("script") is None
    # The suffix is not part of the name; the article's own page is untouched.
    assert not (app.outdir / page_path(builder, "prp-old.md")).exists()
    assert soup(app.outdir / new_page).find("h1").get_text().startswith(PRP_TITLE)


def test_canonical_is_absolute_with_html_baseurl_and_the_page_speaks_the_site_language(
    project: Projects,
) -> None:
    files = site("redirect-from: a/old")
    files["conf.py"] += 'html_baseurl = "https://clinic.example/lc/"\nlanguage = "fr"\n'
    app = build(project, "fr", files)
    page = soup(app.outdir / "a/old.html")
    assert (
        page.find("link", rel="canonical")["href"] == "https://clinic.example/lc/articles/prp.html"
    )
    assert refresh_url(app.outdir / "a/old.html") == "../articles/prp.html"
    assert page.find("html")["lang"] == "fr"
    assert (
        page.find("body").get_text(" ", strip=True)
        == f"Cette page a été déplacée\u00a0: {PRP_TITLE} ."
    )


def test_titles_are_escaped_in_the_redirect_page(project: Projects) -> None:
    title = """PRP <script>alert("x")</script> & 'q'"""
    files = site("redirect-from: old")
    files["conf.py"] += "smartquotes = False\n"
    files["articles/prp.md"] = f"---\nredirect-from: old\n---\n\n# {title}\n\nText.\n"
    app = build(project, "escape", files)
    raw = (app.outdir / "old.html").read_text(encoding="utf-8")
    assert "<script" not in raw
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;" in raw
    page = soup(app.outdir / "old.html")
    assert page.find("body").find("a").get_text() == title
    assert page.find("title").get_text() == f"Page moved: {title}"


def test_bad_entries_are_warned_at_the_key_and_the_good_ones_still_work(project: Projects) -> None:
    front = (
        "summary: PRP.\n"
        'redirect-from: ["good", "/abs", "javascript:alert(1)", "https://x.test/a", "x/../y",'
        ' "", 5, "articles/prp", "has space", "good"]'
    )
    app = build(project, "bad", site(front))
    where = "SRC/articles/prp.md:3: WARNING: redirect-from: "
    absolute = (
        "is ignored: an old name is a document name relative to the source folder,"
        " not an absolute path or a URL [prolo.metadata]"
    )
    assert warnings_of(app) == [
        f"{where}'/abs' {absolute}",
        f"{where}'javascript:alert(1)' {absolute}",
        f"{where}'https://x.test/a' {absolute}",
        f"{where}'x/../y' is ignored: it must not contain '..' [prolo.metadata]",
        f"{where}'' is ignored: it is empty [prolo.metadata]",
        f"{where}5 is not a document name; it is ignored [prolo.metadata]",
        f"{where}'articles/prp' is ignored: it is this article's own name [prolo.metadata]",
        f"{where}'has space' is ignored: it is not a document name (words separated by '/')"
        " [prolo.metadata]",
    ]
    assert lands_on(app, "good.html", refresh_url(app.outdir / "good.html")) == "articles/prp.html"
    assert json.loads((app.outdir / ".prolo-redirects.json").read_text()) == ["good.html"]


def test_a_value_that_is_neither_text_nor_a_list_is_warned_and_ignored(
    project: Projects,
) -> None:
    app = build(project, "mapping", site("redirect-from: {old: new}"))
    assert warnings_of(app) == [
        "SRC/articles/prp.md:2: WARNING: redirect-from should be a document name or a list of"
        " them, not a mapping; it is ignored [prolo.metadata]"
    ]
    assert not (app.outdir / ".prolo-redirects.json").exists()


def test_taken_names_are_warned_once_and_never_overwrite_a_page(project: Projects) -> None:
    files = site(
        'redirect-from: ["index", "articles/prolotherapy", "search", "shared", "mine"]',
        **{
            "articles/exercise.md": "---\nredirect-from: [shared]\n---\n\n# Exercise\n\nText.\n",
        },
    )
    app = build(project, "taken", files)
    where = "SRC/articles/prp.md:2: WARNING: redirect-from: "
    assert warnings_of(app) == [
        f"{where}'index' is a document of this site; no redirect is written [prolo.redirect]",
        f"{where}'articles/prolotherapy' is a document of this site; no redirect is written"
        " [prolo.redirect]",
        f"{where}'search' is a page of this site; no redirect is written [prolo.redirect]",
        f"{where}'shared' is also claimed by SRC/articles/exercise.md, which keeps it;"
        " no redirect to this article is written [prolo.redirect]",
    ]
    assert soup(app.outdir / "index.html").find("h1").get_text().startswith("Home")
    assert soup(app.outdir / "search.html").find("meta", attrs={"http-equiv": "refresh"}) is None
    assert lands_on(app, "shared.html", refresh_url(app.outdir / "shared.html")) == (
        "articles/exercise.html"
    )
    assert lands_on(app, "mine.html", refresh_url(app.outdir / "mine.html")) == "articles/prp.html"


def test_rst_articles_list_old_names_in_their_field_list(project: Projects) -> None:
    files = {
        "conf.py": 'extensions = ["sphinx_prolo"]\nexclude_patterns = ["_build"]\n'
        'prolo_article_patterns = ["articles/*"]\n',
        "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   articles/*\n",
        "articles/prp.rst": ":redirect-from: old/prp.rst, older\n\nPRP\n===\n\nText.\n",
    }
    app = build(project, "rst", files)
    assert warnings_of(app) == []
    assert lands_on(app, "old/prp.html", refresh_url(app.outdir / "old/prp.html")) == (
        "articles/prp.html"
    )
    assert (app.outdir / "older.html").is_file()


@pytest.mark.parametrize("builder", ["singlehtml", "text"])
def test_other_builders_write_no_redirect_pages(project: Projects, builder: str) -> None:
    app = build(project, builder, site("redirect-from: old"), builder)
    assert warnings_of(app) == []
    assert not list(app.outdir.rglob("old*"))


def redirect_pages(outdir: Path) -> dict[str, bytes]:
    pages = html_pages(outdir)
    return {path: text for path, text in pages.items() if b"sphinx-prolo redirect page" in text}


def test_parallel_build_writes_the_same_redirect_pages_as_a_serial_one(
    project: Projects,
) -> None:
    files = site(
        'redirect-from: ["a/b/old", "shared"]',
        **{
            f"articles/extra{number}.md": f"---\nredirect-from: [old{number}, shared]\n---\n\n"
            f"# Extra {number}\n\nText.\n"
            for number in range(8)
        },
    )
    serial = build(project, "serial", files)
    serial_pages = redirect_pages(serial.outdir)
    serial_warnings = warnings_of(serial)
    parallel = build(project, "parallel", files, parallel=2)
    assert redirect_pages(parallel.outdir) == serial_pages
    assert sorted(warnings_of(parallel)) == sorted(serial_warnings)
    assert len(serial_pages) == 10  # a/b/old, old0..old7, shared (won by extra0)
    assert len(serial_warnings) == 8  # shared: prp and extra1..extra7 lose


def test_incremental_builds_add_and_remove_redirect_pages_as_a_clean_build(
    project: Projects,
) -> None:
    srcdir = project.write("edits", site('redirect-from: ["gone-soon", "stays"]'))
    project("unused", name="edits").build()
    assert (srcdir / "_build/html/gone-soon.html").is_file()
    # Drop one old name, and rename prolotherapy, keeping its old address.
    prp = srcdir / "articles/prp.md"
    prp.write_text(prp.read_text().replace('"gone-soon", ', ""))
    touch_later(prp)
    (srcdir / "articles/prolotherapy.md").unlink()
    moved = srcdir / "articles/prolo.md"
    moved.write_text("---\nredirect-from: articles/prolotherapy\n---\n\n# Prolotherapy\n\nText.\n")
    touch_later(moved)
    app = project("unused", name="edits")
    app.build()
    assert warnings_of(app) == []
    assert not (app.outdir / "gone-soon.html").exists()
    old_page = "articles/prolotherapy.html"
    assert lands_on(app, old_page, refresh_url(app.outdir / old_page)) == "articles/prolo.html"
    project.clone("edits", "edits-clean")
    clean = project("unused", name="edits-clean")
    clean.build()
    assert redirect_pages(app.outdir) == redirect_pages(clean.outdir)
    assert (app.outdir / ".prolo-redirects.json").read_bytes() == (
        clean.outdir / ".prolo-redirects.json"
    ).read_bytes()


def test_link_check_lists_every_redirect_as_a_working_row(project: Projects) -> None:
    files = site("summary: PRP.\nredirect-from: [a/b/old, prp-old]")
    files["conf.py"] += "prolo_linkcheck_offline = True\n"
    app = build(project, "links", files, "linkcheck")
    rows = [
        json.loads(line)
        for line in (app.outdir / "output.json").read_text(encoding="utf-8").splitlines()
    ]
    assert [row for row in rows if row["uri"].startswith("redirect:")] == [
        {
            "filename": "articles/prp.md",
            "lineno": 3,
            "status": "working",
            "code": 0,
            "uri": f"redirect:{old}",
            "info": " -> articles/prp",
        }
        for old in ("a/b/old", "prp-old")
    ]
    lines = (app.outdir / "output.txt").read_text(encoding="utf-8").splitlines()
    assert "articles/prp.md:3: [working] redirect:a/b/old -> articles/prp" in lines
    assert app.statuscode == 0
