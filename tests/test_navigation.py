"""furo's navigation rendered once per build: every page byte-identical to furo's own.

Each test builds the same project twice, with ``prolo_fast_navigation`` on and off, and compares
every HTML page.  A counter on furo's parser shows which builds furo's own computation served, so
an identical result cannot come from the fast path quietly switching itself off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import furo
import furo.navigation as furo_navigation
import pytest

from conftest import html_pages, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import BeautifulSoup, Tag
    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects


class FuroParses:
    """Counts the navigation trees furo parses (it gets nothing to parse when we render them).

    Both names of furo's parser are counted: the one furo calls, and the one sphinx-prolo falls
    back to for a page it cannot serve.  ``in_fast`` and ``in_stock`` are set by ``build_pair``.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = self.in_fast = self.in_stock = 0
        original = furo_navigation.get_navigation_tree

        def counting(toctree_html: str) -> str:
            if toctree_html:
                self.count += 1
            return original(toctree_html)

        monkeypatch.setattr(furo, "get_navigation_tree", counting)
        monkeypatch.setattr(furo_navigation, "get_navigation_tree", counting)


@pytest.fixture
def furo_parses(monkeypatch: pytest.MonkeyPatch) -> FuroParses:
    return FuroParses(monkeypatch)


def build_pair(
    project: Projects,
    root: str,
    builder: str = "html",
    *,
    name: str | None = None,
    fast_kwargs: dict[str, Any] | None = None,
    counter: FuroParses | None = None,
) -> tuple[SphinxTestApp, SphinxTestApp]:
    """Build copies of a project with the navigation rendering on and off; fast build first."""
    source = name or root
    project.source(root, source)
    project.clone(source, f"{source}-stock")
    fast = project(root, builder, name=source, **(fast_kwargs or {}))
    fast.build()
    stock = project(
        root, builder, name=f"{source}-stock", confoverrides={"prolo_fast_navigation": False}
    )
    before_stock = counter.count if counter is not None else 0
    stock.build()
    if counter is not None:
        counter.in_fast = before_stock
        counter.in_stock = counter.count - before_stock
        assert counter.in_stock > 0, "furo never parsed a tree: the comparison proves nothing"
    return fast, stock


def assert_same_pages(fast: SphinxTestApp, stock: SphinxTestApp, minimum: int) -> None:
    fast_pages, stock_pages = html_pages(fast.outdir), html_pages(stock.outdir)
    assert fast_pages.keys() == stock_pages.keys()
    assert len(fast_pages) >= minimum
    for page, content in stock_pages.items():
        assert fast_pages[page] == content, f"{page} differs from furo's own navigation"


def sidebar(page: Path) -> Tag:
    tree = soup(page).select_one("div.sidebar-tree")
    assert tree is not None
    return tree


def entry(tree: Tag | BeautifulSoup, text: str) -> Tag:
    """The list item whose own link reads *text* (the first one, in document order)."""
    for item in tree.select("li"):
        link = item.find("a")
        if link is not None and link.get_text() == text:
            return item
    raise AssertionError(f"no navigation entry {text!r}")


def classes(tag: Tag) -> list[str]:
    return list(tag.get("class") or [])


# --- byte-identical pages -----------------------------------------------------------------------

# index, two guides, the deep guide and its leaf, a hidden page, three articles, two orphans,
# genindex and search
PAGES = 13


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_page_is_identical_to_furos_own(
    project: Projects, furo_parses: FuroParses, builder: str
) -> None:
    fast, stock = build_pair(project, "navigation", builder, counter=furo_parses)
    assert warnings_of(fast) == warnings_of(stock) == []
    assert (furo_parses.in_fast, furo_parses.in_stock) == (0, PAGES)
    assert_same_pages(fast, stock, PAGES)


def test_singlehtml_keeps_furos_rendering(project: Projects, furo_parses: FuroParses) -> None:
    fast, stock = build_pair(project, "navigation", "singlehtml", counter=furo_parses)
    assert furo_parses.in_fast == furo_parses.in_stock, "furo rendered the pages of both builds"
    # singlehtml has no genindex page, which Sphinx reports for the Elsewhere toctree.
    assert warnings_of(fast) == warnings_of(stock)
    assert_same_pages(fast, stock, 1)


def test_parallel_writes_are_identical_to_furos_own(
    project: Projects, furo_parses: FuroParses
) -> None:
    fast, stock = build_pair(
        project, "navigation", fast_kwargs={"parallel": 2}, counter=furo_parses
    )
    # The counter sees the pages written in the main process (the first document, genindex,
    # search); the writer process inherits the template from it.
    assert furo_parses.in_fast == 0
    assert warnings_of(fast) == warnings_of(stock) == []
    assert_same_pages(fast, stock, PAGES)


def test_incremental_build_after_a_title_change(project: Projects) -> None:
    """The tree is made again for each build, so a changed title shows on every page."""
    first = project("navigation", name="edited")
    first.build()
    leaf = first.srcdir / "guides/deep/leaf.md"
    leaf.write_text("# Leaf, renamed\n\nThe deepest page.\n", encoding="utf-8")
    touch_later(leaf)
    again = project("navigation", name="edited")
    again.build()
    project.clone("edited", "edited-stock")
    stock = project(
        "navigation", name="edited-stock", confoverrides={"prolo_fast_navigation": False}
    )
    stock.build()
    assert_same_pages(again, stock, PAGES)
    assert entry(sidebar(again.outdir / "articles/beta.html"), "1.1.1. Leaf, renamed")


# --- the marking, asserted explicitly -----------------------------------------------------------


@pytest.fixture
def fast_site(project: Projects) -> SphinxTestApp:
    app = project("navigation", "html")
    app.build()
    assert warnings_of(app) == []
    return app


def test_current_page_and_its_ancestors(fast_site: SphinxTestApp) -> None:
    tree = sidebar(fast_site.outdir / "guides/deep/leaf.html")
    leaf = entry(tree, "1.1.1. Leaf: dos & don’ts, “quoted” ")
    assert classes(leaf) == ["toctree-l3", "current", "current-page"]
    link = leaf.find("a")
    assert link is not None
    assert classes(link) == ["current", "reference", "internal"]
    assert link["href"] == "#"

    for text, level, number in (
        ("1. Guides", "toctree-l1", 1),
        ("1.1. A deep guide with code", "toctree-l2", 2),
    ):
        ancestor = entry(tree, text)
        assert classes(ancestor) == [level, "current", "has-children"]
        toggle = ancestor.find("input", recursive=False)
        assert toggle is not None
        assert toggle.has_attr("checked")
        assert toggle["id"] == toggle["name"] == f"toctree-checkbox-{number}"
        label = ancestor.find("label", recursive=False)
        assert label is not None
        assert label["for"] == f"toctree-checkbox-{number}"
        # furo names the toggle with aria-label (2025.09.25 on) or hidden text in its label.
        name = toggle.get("aria-label") or label.get_text()
        assert name == f"Toggle navigation of {text}"
    assert [classes(ul) for ul in tree.select("ul")][:3] == [["current"]] * 3

    # Siblings and other branches are not marked, and links are relative to the page.
    first = entry(tree, "2. First steps")
    assert classes(first) == ["toctree-l1"]
    assert first.a is not None
    assert first.a["href"] == "../first.html"
    second = entry(tree, "3. A second top-level heading")
    assert second.a is not None
    assert second.a["href"] == "../first.html#a-second-top-level-heading"
    assert entry(tree, "Navigation test site").a["href"] == "../../index.html"  # type: ignore[index]
    assert len(tree.select("li.current")) == 3
    assert len(tree.select("input[checked]")) == 2


def test_a_page_listed_twice_is_current_in_both_places(fast_site: SphinxTestApp) -> None:
    """``articles/alpha`` is in the guides and in the glob: the later entry is the current page."""
    tree = sidebar(fast_site.outdir / "articles/alpha.html")
    entries = [item for item in tree.select("li") if item.a and item.a.get_text() == "1.2. Alpha"]
    assert [classes(item) for item in entries] == [
        ["toctree-l2", "current"],
        ["toctree-l1", "current", "current-page"],
    ]
    assert all(item.a is not None and item.a["href"] == "#" for item in entries)
    assert classes(entry(tree, "1. Guides")) == ["toctree-l1", "current", "has-children"]


def test_a_page_with_a_self_entry(fast_site: SphinxTestApp) -> None:
    """The deep guide lists itself: both of its entries are current, the ``self`` one last."""
    tree = sidebar(fast_site.outdir / "guides/deep/index.html")
    guide = entry(tree, "1.1. A deep guide with code")
    assert classes(guide) == ["toctree-l2", "current", "has-children"]
    itself = entry(tree, "A deep guide with code")
    assert classes(itself) == ["toctree-l3", "current", "current-page"]
    leaf = entry(tree, "1.1.1. Leaf: dos & don’ts, “quoted” ")
    assert classes(leaf) == ["toctree-l3"]
    assert leaf.a is not None
    assert leaf.a["href"] == "leaf.html"


def test_generated_pages_and_orphans(fast_site: SphinxTestApp) -> None:
    index = sidebar(fast_site.outdir / "genindex.html")
    assert classes(entry(index, "Index")) == ["toctree-l1", "current", "current-page"]
    for orphan in ("orphan-rst.html", "orphan-myst.html", "search.html"):
        tree = sidebar(fast_site.outdir / orphan)
        assert tree.select("li.current, ul.current, input[checked]") == [], orphan
        assert len(tree.select("input.toctree-checkbox")) == 2


def test_dirhtml_addresses(project: Projects) -> None:
    app = project("navigation", "dirhtml")
    app.build()
    tree = sidebar(app.outdir / "guides/deep/leaf/index.html")
    assert entry(tree, "Navigation test site").a["href"] == "../../../"  # type: ignore[index]
    assert entry(tree, "1.1. A deep guide with code").a["href"] == "../"  # type: ignore[index]
    assert classes(entry(tree, "1.1.1. Leaf: dos & don’ts, “quoted” ")) == [
        "toctree-l3",
        "current",
        "current-page",
    ]


# --- sites the template leaves to furo, and other themes ----------------------------------------


ONLY_SITES = {
    "only-top-level": "G\n=\n\n.. toctree::\n\n   leaf\n\n.. only:: html\n\n   Web\n   ===\n",
    "only-toctree": (
        "G\n=\n\n.. toctree::\n\n   leaf\n\nSub\n---\n\n.. only:: latex\n\n"
        "   .. toctree::\n\n      print\n"
    ),
}


@pytest.mark.parametrize("site", sorted(ONLY_SITES))
def test_only_directives_that_change_the_tree_per_page(
    project: Projects, furo_parses: FuroParses, site: str
) -> None:
    """Sphinx keeps a page's ancestors whole: ``only`` around a top heading or a toctree shows."""
    project.write(
        site,
        {
            "conf.py": 'extensions = ["sphinx_prolo"]\nhtml_theme = "furo"\n',
            "index.rst": "Home\n====\n\n.. toctree::\n\n   g/index\n   other\n",
            "other.rst": "Other\n=====\n",
            "g/index.rst": ONLY_SITES[site],
            "g/leaf.rst": "Leaf\n====\n",
            "g/print.rst": ":orphan:\n\nPrint\n=====\n",
        },
    )
    fast, stock = build_pair(project, "navigation", name=site, counter=furo_parses)
    pages = len(html_pages(stock.outdir))
    assert furo_parses.in_fast == furo_parses.in_stock == pages, "furo rendered every page"
    assert_same_pages(fast, stock, 6)


NAMES = ["it's", "a & b", "ünïcode", "two words"]


@pytest.mark.parametrize(
    ("builder", "names", "served"),
    [
        ("html", [*NAMES, 'say "hi"'], True),  # html escapes names in addresses
        ("dirhtml", NAMES, True),
        # dirhtml writes a double quote as it is: pages that link to that page are left to furo
        ("dirhtml", [*NAMES, 'say "hi"'], False),
    ],
    ids=["html", "dirhtml", "dirhtml-double-quote"],
)
def test_unusual_document_names(
    project: Projects, furo_parses: FuroParses, builder: str, names: list[str], served: bool
) -> None:
    files = {
        "conf.py": 'extensions = ["sphinx_prolo"]\nhtml_theme = "furo"\n',
        "index.rst": "Home\n====\n\n.. toctree::\n\n   sub/index\n"
        + "".join(f"   {name}\n" for name in names),
        "sub/index.rst": "Sub\n===\n\n.. toctree::\n\n   inner\n",
        "sub/inner.rst": "Inner\n=====\n",
    }
    for name in names:
        files[f"{name}.rst"] = f"Page {name}\n{'=' * (5 + len(name))}\n"
    site = f"names-{builder}-{len(names)}"
    project.write(site, files)
    fast, stock = build_pair(project, "navigation", builder, name=site, counter=furo_parses)
    assert_same_pages(fast, stock, 5 + len(names))
    # Unserved, every page is left to furo but the quoted page itself, which links to itself "#".
    assert furo_parses.in_fast == (0 if served else furo_parses.in_stock - 1)
    if served:
        assert (
            fast.outdir.joinpath("a & b.html" if builder == "html" else "a & b/index.html")
            .read_text(encoding="utf-8")
            .count('class="current reference internal" href="#"')
            == 1
        )


def test_other_themes_are_left_alone(project: Projects) -> None:
    project.write(
        "alabaster",
        {
            "conf.py": 'extensions = ["sphinx_prolo"]\nhtml_theme = "alabaster"\n',
            "index.rst": "Home\n====\n\n.. toctree::\n\n   page\n",
            "page.rst": "Page\n====\n",
        },
    )
    fast, stock = build_pair(project, "navigation", name="alabaster")
    assert warnings_of(fast) == warnings_of(stock) == []
    assert_same_pages(fast, stock, 4)


def test_unknown_furo_version_warns_once_and_keeps_furos_rendering(
    project: Projects, furo_parses: FuroParses, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(furo, "__version__", "2099.01.01")
    fast, stock = build_pair(project, "navigation", counter=furo_parses)
    lines = warnings_of(fast)
    assert len(lines) == 1, lines
    assert lines[0].startswith("WARNING: furo 2099.01.01 is not a version")
    assert lines[0].endswith("[prolo.navigation]")
    assert warnings_of(stock) == []
    assert furo_parses.in_fast == furo_parses.in_stock == PAGES, "furo rendered every page"
    assert_same_pages(fast, stock, PAGES)
