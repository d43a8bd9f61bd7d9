"""furo's navigation rendered once per build: every page byte-identical to furo's own.

Each test builds the same project twice, with ``prolo_fast_navigation`` on and off, and compares
every HTML page.  A counter on furo's parser shows which builds furo's own computation served, so
an identical result cannot come from the fast path quietly switching itself off.  A furo release
the tests never saw is simulated by changing ``furo.__version__``: it must be verified on a few
pages of the build and served, or left to furo without a warning.
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import furo
import furo.navigation as furo_navigation
import pytest

from conftest import html_pages, soup, touch_later, warnings_of
from sphinx_prolo.navigation import costs
from sphinx_prolo.navigation import furo as navigation
from sphinx_prolo.navigation.furo import FURO_MARKUP, sample_pages, site_tree

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import CodeType, FrameType

    from bs4 import BeautifulSoup, Tag
    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects


class FuroParses:
    """Counts the navigation trees furo parses (it gets nothing to parse when we render them).

    Both names of furo's parser are counted: the one furo calls, and the one sphinx-prolo falls
    back to for a page it cannot serve.  ``in_fast`` and ``in_stock`` are set by ``build_pair``.
    Trees furo parses for sphinx-prolo to compare an unseen furo version with are counted apart,
    in ``compared``: they are no page's navigation.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = self.in_fast = self.in_stock = self.compared = 0
        original = furo_navigation.get_navigation_tree

        def counting(toctree_html: str) -> str:
            if not toctree_html:
                pass
            elif called_from(navigation._furos_own.__code__):
                self.compared += 1
            else:
                self.count += 1
            return original(toctree_html)

        monkeypatch.setattr(furo, "get_navigation_tree", counting)
        monkeypatch.setattr(furo_navigation, "get_navigation_tree", counting)


@pytest.fixture(autouse=True)
def serve_small_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve these sites although they are far too small for it to pay: the tests here check
    what is served; whether to serve is tested in ``test_navigation_costs.py``."""
    monkeypatch.setattr(costs, "MAKING", 0.0)
    monkeypatch.setattr(costs, "SAMPLES", 0)


def called_from(code: CodeType) -> bool:
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False


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


@pytest.mark.parametrize(
    ("builder", "page", "home"),
    [
        ("html", "404.html", "index.html"),
        ("dirhtml", "404/index.html", ""),
    ],
)
def test_the_not_found_page_gets_absolute_navigation_links(
    project: Projects, builder: str, page: str, home: str
) -> None:
    # sphinx-notfound-page's page is served at any depth: every navigation link is absolute,
    # under the site's prefix, and leads where the home page's own navigation leads.
    prefix = "/en/latest/"
    app = project(
        "navigation",
        builder,
        confoverrides={
            "extensions": ["myst_parser", "sphinx_prolo", "notfound.extension"],
            "notfound_urls_prefix": prefix,
        },
    )
    app.build()
    assert warnings_of(app) == []

    def hrefs(tree: Tag) -> list[str]:
        return [str(link["href"]) for link in tree.select("a[href]")]

    def absolute(href: str) -> str:
        # The home page links to itself as "#"; furo's icons and other sites stay as they are.
        if href == "#":
            return prefix + home
        return href if href.startswith(("#", "http:", "https:")) else urljoin(prefix + home, href)

    missing = hrefs(sidebar(app.outdir / page))
    from_home = [absolute(href) for href in hrefs(sidebar(app.outdir / (home or "index.html")))]
    assert missing == from_home
    pages = [href for href in missing if not href.startswith(("#", "http:", "https:"))]
    assert all(href.startswith(prefix) for href in pages), pages
    assert len(pages) >= 10


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


# --- a furo version the tests never saw: verified on the build's own pages ---------------------

UNSEEN = "2099.1.1"
# The root document, the deepest page of the tree and the page of the hidden toctree.
SAMPLED = ("index", "guides/deep/leaf", "hidden-page")


@pytest.fixture
def unseen_furo(monkeypatch: pytest.MonkeyPatch, furo_parses: FuroParses) -> FuroParses:
    """A furo release that is not in ``FURO_MARKUP`` (its markup is that of the installed one)."""
    monkeypatch.setattr(furo, "__version__", UNSEEN)
    return furo_parses


def status_of(app: SphinxTestApp) -> str:
    return app.status.getvalue()


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_an_unseen_furo_version_is_verified_and_served(
    project: Projects, unseen_furo: FuroParses, builder: str
) -> None:
    fast, stock = build_pair(
        project,
        "navigation",
        builder,
        fast_kwargs={"verbosity": 1, "warningiserror": True},
        counter=unseen_furo,
    )
    assert warnings_of(fast) == warnings_of(stock) == []
    # furo computed the sampled pages' navigation for the comparison, and no page's own.
    assert unseen_furo.compared == len(SAMPLED)
    assert (unseen_furo.in_fast, unseen_furo.in_stock) == (0, PAGES)
    assert_same_pages(fast, stock, PAGES)
    assert f"furo {UNSEEN}: navigation verified against furo's own on {', '.join(SAMPLED)}" in (
        status_of(fast)
    )


def test_an_unseen_furo_version_with_parallel_writes(
    project: Projects, unseen_furo: FuroParses
) -> None:
    fast, stock = build_pair(
        project, "navigation", fast_kwargs={"parallel": 2}, counter=unseen_furo
    )
    # The main process verified before the writer process was forked; the writer inherits the
    # decision (what furo parses there is not counted here, but every page is compared).
    assert (unseen_furo.compared, unseen_furo.in_fast) == (len(SAMPLED), 0)
    assert "navigation verified" not in status_of(fast), "said without -v"
    assert warnings_of(fast) == warnings_of(stock) == []
    assert_same_pages(fast, stock, PAGES)


def differing_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make furo's decoration differ from both known families, as a future release might."""
    counting = furo_navigation.get_navigation_tree

    def redesigned(toctree_html: str) -> str:
        return counting(toctree_html).replace('role="switch"', 'role="button"')

    monkeypatch.setattr(furo, "get_navigation_tree", redesigned)
    monkeypatch.setattr(furo_navigation, "get_navigation_tree", redesigned)


def test_an_unseen_furo_version_that_differs_is_left_to_furo_quietly(
    project: Projects, unseen_furo: FuroParses, monkeypatch: pytest.MonkeyPatch
) -> None:
    differing_markup(monkeypatch)
    fast, stock = build_pair(
        project, "navigation", fast_kwargs={"verbosity": 1}, counter=unseen_furo
    )
    assert warnings_of(fast) == warnings_of(stock) == []
    # furo rendered every page itself, after rendering the sampled ones for the comparison.
    assert unseen_furo.compared == len(SAMPLED)
    assert unseen_furo.in_fast == unseen_furo.in_stock == PAGES
    assert_same_pages(fast, stock, PAGES)
    assert 'role="button"' in (fast.outdir / "index.html").read_text(encoding="utf-8")
    assert (
        f"furo {UNSEEN}: sphinx-prolo's navigation could not be verified against furo's own on "
        f"{', '.join(SAMPLED)}; furo renders the navigation itself"
    ) in status_of(fast)


def test_the_fallback_is_silent_without_verbosity(
    project: Projects, unseen_furo: FuroParses, monkeypatch: pytest.MonkeyPatch
) -> None:
    differing_markup(monkeypatch)
    app = project("navigation", "html")
    app.build()
    assert warnings_of(app) == []
    assert "furo renders the navigation itself" not in status_of(app)
    assert (unseen_furo.compared, unseen_furo.count) == (len(SAMPLED), PAGES)


def missing_navigation_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # furo itself keeps the name it imported into its package.
    monkeypatch.delattr(furo_navigation, "get_navigation_tree")


def unrecognisable_compute(monkeypatch: pytest.MonkeyPatch) -> None:
    # furo still calls it, but it is no plain function whose call could be recognised.
    monkeypatch.setattr(
        furo, "_compute_navigation_tree", functools.partial(furo._compute_navigation_tree)
    )


@pytest.mark.parametrize("change", [missing_navigation_tree, unrecognisable_compute])
def test_a_furo_without_the_functions_relied_on_is_left_to_furo_quietly(
    project: Projects,
    unseen_furo: FuroParses,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[pytest.MonkeyPatch], None],
) -> None:
    change(monkeypatch)
    fast, stock = build_pair(
        project, "navigation", fast_kwargs={"verbosity": 1}, counter=unseen_furo
    )
    assert warnings_of(fast) == []
    assert unseen_furo.compared == 0
    assert unseen_furo.in_fast == unseen_furo.in_stock == PAGES, "furo rendered every page"
    assert_same_pages(fast, stock, PAGES)
    assert (
        f"furo {UNSEEN}: furo._compute_navigation_tree or furo.navigation.get_navigation_tree "
        "is missing or changed; furo renders the navigation itself"
    ) in status_of(fast)


def test_a_known_furo_version_is_served_without_verification(
    project: Projects, furo_parses: FuroParses, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The installed furo may be a newer release (the newest-furo test session).
    monkeypatch.setattr(furo, "__version__", max(FURO_MARKUP))
    app = project("navigation", "html", verbosity=1)
    app.build()
    assert (furo_parses.compared, furo_parses.count) == (0, 0)
    assert "navigation verified" not in status_of(app)


def test_sampled_pages_do_not_depend_on_the_order_documents_were_read(
    project: Projects,
) -> None:
    conf = 'extensions = ["sphinx_prolo"]\nhtml_theme = "furo"\n'
    project.write(
        "two-hidden",
        {
            "conf.py": conf,
            "index.rst": "Home\n====\n\n.. toctree::\n\n   b\n   a\n",
            "a.rst": "A\n=\n\n.. toctree::\n   :hidden:\n\n   a1\n",
            "b.rst": "B\n=\n\n.. toctree::\n   :hidden:\n\n   b1\n   b2/deep\n",
            "a1.rst": "A1\n==\n",
            "b1.rst": "B1\n==\n",
            "b2/deep.rst": "Deep\n====\n\n.. toctree::\n\n   deeper\n",
            "b2/deeper.rst": "Deeper\n======\n",
        },
    )
    app = project("navigation", "html", name="two-hidden")
    app.build()
    tree = site_tree(app.builder)
    assert tree is not None
    # The root, the deepest page, then the hidden toctree of the first document by name.
    expected = ["index", "b2/deeper", "a1"]
    assert sample_pages(app.env, tree) == expected
    for order in (sorted, reversed):
        app.env.tocs = {name: app.env.tocs[name] for name in order(list(app.env.tocs))}
        assert sample_pages(app.env, tree) == expected


NOXFILE = Path(__file__).parent.parent / "noxfile.py"


def test_the_version_matrix_installs_every_furo_release_claimed() -> None:
    """``make matrix`` has a session for each release in FURO_MARKUP, and for the newest."""
    noxfile = ast.parse(NOXFILE.read_text(encoding="utf-8"))
    sessions = next(
        node.value
        for node in noxfile.body
        if isinstance(node, ast.Assign)
        and [target.id for target in node.targets if isinstance(target, ast.Name)] == ["FURO"]
    )
    assert isinstance(sessions, ast.Dict)
    versions = {ast.literal_eval(key) for key in sessions.keys if key is not None}
    # furo spells its own version with zero-padded months and days; PyPI does not.
    claimed = {".".join(str(int(part)) for part in version.split(".")) for version in FURO_MARKUP}
    assert versions == {*claimed, "newest"}
