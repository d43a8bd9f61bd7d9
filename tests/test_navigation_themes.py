"""Every theme's ``toctree()`` served from the site tree: byte-identical to Sphinx's own.

``prolo_fast_navigation`` serves whatever a theme asks of the page's ``toctree()``; each page is
compared with a build of the same project where Sphinx computes it (the option off), for each
theme the extension serves, in html and dirhtml and with parallel writes.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from sphinx.builders.html import StandaloneHTMLBuilder

from conftest import html_pages, warnings_of
from sphinx_prolo.navigation import costs, toctree_template
from sphinx_prolo.navigation import pydata as navigation_pydata
from sphinx_prolo.navigation.furo_template import NavigationTemplate
from sphinx_prolo.navigation.toctree import ToctreeTemplate, template_for, toctree_key
from sphinx_prolo.navigation.tree import site_tree

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects

#: The themes served, and how: through ``toctree()``, or pydata-sphinx-theme's own resolution of
#: the page's section for its sidebar; Sphinx's basic theme shows no site navigation.
THEMES = {
    "alabaster": "toctree",
    "sphinx_rtd_theme": "toctree",
    "sphinx_book_theme": "toctree",
    "basic": None,
}

PAGES = 13  # the navigation root's pages, genindex and search included


@pytest.fixture(autouse=True)
def serve_small_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve these sites although they are far too small for it to pay: the tests here check
    what is served; whether to serve is tested in ``test_navigation_costs.py``."""
    monkeypatch.setattr(costs, "MAKING", 0.0)
    monkeypatch.setattr(costs, "SAMPLES", 0)


class ToctreeCalls:
    """Counts Sphinx's own computations of a page's ``toctree()``, and pages served here."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = self.in_fast = self.in_stock = 0
        self.served = self.served_in_fast = self.served_in_stock = 0
        original = StandaloneHTMLBuilder._get_local_toctree
        fill = NavigationTemplate.page_pieces

        def filling(template: NavigationTemplate, *args: Any) -> list[str] | None:
            pieces = fill(template, *args)
            self.served += pieces is not None
            return pieces

        monkeypatch.setattr(NavigationTemplate, "page_pieces", filling)

        def counting(
            builder: StandaloneHTMLBuilder, docname: str, *args: Any, **kwargs: Any
        ) -> str:
            self.count += 1
            return original(builder, docname, *args, **kwargs)

        monkeypatch.setattr(StandaloneHTMLBuilder, "_get_local_toctree", counting)


@pytest.fixture
def sphinx_calls(monkeypatch: pytest.MonkeyPatch) -> ToctreeCalls:
    return ToctreeCalls(monkeypatch)


def build_pair(
    project: Projects,
    theme: str,
    builder: str = "html",
    counter: ToctreeCalls | None = None,
    **kwargs: Any,
) -> tuple[SphinxTestApp, SphinxTestApp]:
    name = f"navigation-{theme}-{builder}"
    project.source("navigation", name)
    project.clone(name, f"{name}-stock")
    # As an override: sphinx.testing quietly swaps alabaster set in conf.py for "basic".
    fast = project("navigation", builder, name=name, confoverrides={"html_theme": theme}, **kwargs)
    fast.build()
    if counter is not None:
        counter.in_fast, counter.served_in_fast = counter.count, counter.served
    stock = project(
        "navigation",
        builder,
        name=f"{name}-stock",
        confoverrides={"html_theme": theme, "prolo_fast_navigation": False},
        **kwargs,
    )
    stock.build()
    if counter is not None:
        counter.in_stock = counter.count - counter.in_fast
        counter.served_in_stock = counter.served - counter.served_in_fast
    return fast, stock


def assert_same_pages(fast: SphinxTestApp, stock: SphinxTestApp) -> None:
    fast_pages, stock_pages = html_pages(fast.outdir), html_pages(stock.outdir)
    assert fast_pages.keys() == stock_pages.keys()
    assert len(fast_pages) >= PAGES
    for page, content in stock_pages.items():
        assert fast_pages[page] == content, f"{page} differs from Sphinx's own toctree()"


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_is_identical_to_sphinxs_own(
    project: Projects, sphinx_calls: ToctreeCalls, theme: str, builder: str
) -> None:
    fast, stock = build_pair(project, theme, builder, counter=sphinx_calls)
    assert fast.builder.theme.name == stock.builder.theme.name == theme
    assert warnings_of(fast) == warnings_of(stock) == []
    assert_same_pages(fast, stock)
    assert sphinx_calls.served_in_stock == 0
    if THEMES[theme] == "toctree":
        # Sphinx computed the toctree for every page of the stock build, but only for the
        # pages the template was verified on in the fast one: the three sampled pages, and for
        # a sidebar rewritten by the theme, the page that asked for it first.
        assert sphinx_calls.in_stock >= PAGES
        assert sphinx_calls.in_fast <= 4
        assert sphinx_calls.served_in_fast >= PAGES
    if theme == "sphinx_book_theme":
        # Its sidebar, rewritten by pydata-sphinx-theme's BeautifulSoup pass, from a template.
        sidebars = navigation_pydata._SIDEBARS[fast].templates
        assert list(sidebars) and all(template is not None for template in sidebars.values())


@pytest.mark.parametrize("theme", [theme for theme, served in THEMES.items() if served])
def test_parallel_writes_are_identical_to_sphinxs_own(project: Projects, theme: str) -> None:
    fast, stock = build_pair(project, theme, parallel=2)
    assert warnings_of(fast) == warnings_of(stock) == []
    assert_same_pages(fast, stock)


#: ``python -m sphinx`` with :func:`serve_small_sites`'s costs, for builds in fresh processes.
SERVING = """
import sys
from sphinx_prolo.navigation import costs
costs.MAKING, costs.SAMPLES = 0.0, 0
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    ("builder", "jobs"),
    [("html", "1"), ("dirhtml", "1"), ("html", "2")],
    ids=["html", "dirhtml", "j2"],
)
def test_pydata_section_sidebars_are_identical_to_the_themes_own(
    project: Projects, builder: str, jobs: str
) -> None:
    """pydata-sphinx-theme resolves each page's section for its sidebar itself (not through
    ``toctree()``), then rewrites it with BeautifulSoup; both are served.  Built in fresh
    processes: the theme keeps state between applications in one process (sphinx-book-theme's
    template context leaks into it)."""
    source = project.source("navigation", "navigation-pydata")
    # Its header fails on a root toctree entry that is not a document ("genindex", a URL with a
    # query), with or without sphinx-prolo.
    index = source / "index.md"
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.strip() != "genindex" and "?q=" not in line]
    index.write_text("".join(kept), encoding="utf-8")
    outputs = {}
    for fast in ("1", "0"):
        out = source.parent / f"pydata-{builder}-{jobs}-{fast}"
        command = [sys.executable, "-c", SERVING, "-v", "-E", "-j", jobs, "-b", builder]
        command += ["-D", "html_theme=pydata_sphinx_theme", "-D", f"prolo_fast_navigation={fast}"]
        result = subprocess.run(
            [*command, str(source), str(out)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr
        outputs[fast] = (out, result.stdout)
    (fast_out, said), (stock_out, _) = outputs["1"], outputs["0"]
    # Each section's sidebar served: the guides (two pages and the deep guide under them).
    assert "toctree(" in said and "of guides/index: served from the site tree" in said
    assert "sidebar of guides/index: served from the site tree" in said
    # The header's links to the top-level sections, from a template too.
    assert "header links: served from the site tree" in said
    assert "left to Sphinx" not in said
    fast_pages, stock_pages = html_pages(fast_out), html_pages(stock_out)
    assert fast_pages.keys() == stock_pages.keys() and len(fast_pages) >= PAGES - 1
    for page, content in stock_pages.items():
        if jobs == "1":
            assert fast_pages[page] == content, f"{page} differs from the theme's own"
        elif page != "articles/alpha.html":
            # In parallel builds pydata-sphinx-theme 0.16 marks its header's current section
            # differently from one build to the next, with or without sphinx-prolo: compare the
            # section sidebars.  A page listed in two toctrees (alpha) belongs to the section of
            # whichever toctree Sphinx's parallel read merged last, which also varies.
            assert section_sidebar(fast_pages[page]) == section_sidebar(content), page
    sidebar = fast_out / (
        "guides/deep/leaf.html" if builder == "html" else "guides/deep/leaf/index.html"
    )
    assert "bd-sidenav" in sidebar.read_text(encoding="utf-8")


def section_sidebar(page: bytes) -> str:
    nav = BeautifulSoup(page, "html.parser").select_one("nav.bd-docs-nav")
    return "" if nav is None else str(nav)


@pytest.mark.parametrize("part", [0, 10**9], ids=["shown-part", "whole-text"])
@pytest.mark.parametrize("root", ["navigation", "navigation-realdocs"])
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_set_of_arguments_on_every_page(
    project: Projects, monkeypatch: pytest.MonkeyPatch, builder: str, root: str, part: int
) -> None:
    """Whatever a theme asks: every combination of the arguments, on every page of the root;
    each page made from the part of the template it shows, or from the whole text."""
    monkeypatch.setattr(toctree_template, "_SMALL_PART", part)
    extensions = {"extensions": []} if root == "navigation-realdocs" else {}
    app = project(root, builder, confoverrides={"html_theme": "basic", **extensions})
    app.build()
    html_builder = app.builder
    assert isinstance(html_builder, StandaloneHTMLBuilder)
    pages = sorted(app.env.all_docs)
    compared = 0
    collapsed_somewhere = False
    for collapse, includehidden, maxdepth, titles_only in itertools.product(
        [True, False], [True, False], [-1, 0, 1, 2, 3], [True, False]
    ):
        arguments = {
            "collapse": collapse,
            "includehidden": includehidden,
            "maxdepth": maxdepth,
            "titles_only": titles_only,
        }
        tree = site_tree(html_builder, arguments)
        assert tree is not None
        template = template_for(tree, collapse, app.env)
        assert isinstance(template, ToctreeTemplate)
        full = template.render(html_builder, "index") if collapse else None
        for page in pages:
            expected = html_builder._get_local_toctree(page, **arguments)
            assert template.render(html_builder, page) == expected, (arguments, page)
            compared += 1
            collapsed_somewhere |= full is not None and len(expected) < len(full or "")
    assert compared == 40 * len(pages)
    assert collapsed_somewhere or root != "navigation"


def test_arguments_as_sphinx_reads_them() -> None:
    assert toctree_key({}) == (True, False, 0, False)
    assert toctree_key({"maxdepth": "", "collapse": 0}) == (False, False, 0, False)
    assert toctree_key({"maxdepth": "3", "titles_only": 1}) == (True, False, 3, True)
    assert toctree_key({"maxdepth": "deep"}) is None
    assert toctree_key({"startdepth": 1}) is None


@pytest.fixture
def differing_template(monkeypatch: pytest.MonkeyPatch) -> None:
    original = ToctreeTemplate.render

    def changed(self: ToctreeTemplate, builder: Any, pagename: str) -> str | None:
        rendered = original(self, builder, pagename)
        return None if rendered is None else rendered.replace("<li", "<li data-changed")

    monkeypatch.setattr(ToctreeTemplate, "render", changed)


@pytest.mark.usefixtures("differing_template")
def test_a_template_that_differs_is_left_to_sphinx_quietly(
    project: Projects, sphinx_calls: ToctreeCalls
) -> None:
    fast, stock = build_pair(project, "alabaster", counter=sphinx_calls)
    assert sphinx_calls.in_fast >= PAGES  # every page computed by Sphinx
    assert warnings_of(fast) == warnings_of(stock) == []
    assert_same_pages(fast, stock)
    assert "data-changed" not in (fast.outdir / "index.html").read_text(encoding="utf-8")
