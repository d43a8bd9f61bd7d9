"""Never slower: the navigation is served only where that costs less than the theme's own.

The choice is made per build, in links rather than seconds (``navigation.costs``), so these
tests know which way each build goes; ``-v`` says it, with the figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder

from conftest import html_pages, warnings_of
from sphinx_prolo.navigation.costs import pages_under, pays, tree_links
from sphinx_prolo.navigation.tree import FURO_TOCTREE_ARGS, site_tree

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects

ROOT = "navigation-realdocs"
NAVIGATION = "sphinx_prolo.navigation"


def test_the_choice_in_figures() -> None:
    # Sphinx's own docs (measured: 155 documents, about 2,600 links in the tree): a collapsed
    # sidebar shows 18 links, and serving it cost more than Sphinx's own passes.
    assert not pays(shown=18, pages=155, tree=2611)
    # Its "contents" page, written last, asks for the whole tree once.
    assert not pays(shown=404, pages=1, tree=2611)
    # The same tree uncollapsed on every page (sphinx-rtd-theme's collapse_navigation=False).
    assert pays(shown=2000, pages=155, tree=2611)
    # furo shows the whole tree: from nine pages up.
    assert not pays(shown=50, pages=8, tree=50)
    assert pays(shown=50, pages=9, tree=50)
    # 1,000 articles, every one a top-level entry: a collapsed sidebar still shows them all.
    assert pays(shown=1000, pages=1001, tree=4000)
    assert not pays(shown=0, pages=1000, tree=10)


def test_the_tree_is_counted_without_resolving_it(project: Projects) -> None:
    app = project(ROOT, confoverrides={"extensions": [], "html_theme": "basic"})
    app.build()
    builder = app.builder
    assert isinstance(builder, StandaloneHTMLBuilder)
    for includehidden in (True, False):
        for titles_only in (True, False):
            arguments = {**FURO_TOCTREE_ARGS, "includehidden": includehidden}
            tree = site_tree(builder, {**arguments, "titles_only": titles_only})
            assert tree is not None
            counted = tree_links(app.env, "index", includehidden, titles_only)
            # Within a fifth of the links Sphinx resolves (sections hidden by titles_only,
            # toctrees that are entries of a table of contents, are not told apart).
            assert 0.8 * len(tree.links) <= counted <= 1.2 * len(tree.links), arguments
            for maxdepth in (1, 2, 3):
                limited = {**arguments, "titles_only": titles_only, "maxdepth": maxdepth}
                tree = site_tree(builder, limited)
                assert tree is not None
                shown = [link for link in tree.links if not set(link.lists) & tree.over_depth]
                counted = tree_links(app.env, "index", includehidden, titles_only, maxdepth)
                assert 0.75 * len(shown) <= counted <= 1.25 * len(shown), (limited, len(shown))
    assert pages_under(app.env, "usage/index") == 6  # itself, two pages, config's two, advanced
    assert pages_under(app.env, "faq") == 1


def verbose_build(
    project: Projects, name: str, theme: str, parallel: int = 0, **overrides: object
) -> tuple[SphinxTestApp, str]:
    project.source(ROOT, name)
    app = project(
        ROOT,
        name=name,
        confoverrides={"extensions": [NAVIGATION], "html_theme": theme, **overrides},
        verbosity=1,
        parallel=parallel,
    )
    app.build()
    assert warnings_of(app) == []
    return app, app.status.getvalue()


def decisions(said: str) -> list[str]:
    return [line for line in said.splitlines() if "toctree(" in line or "furo " in line]


@pytest.mark.parametrize("theme", ["alabaster", "sphinx_rtd_theme"])
def test_a_collapsed_sidebar_of_a_few_links_is_left_to_sphinx(
    project: Projects, theme: str
) -> None:
    _app, said = verbose_build(project, f"collapsed-{theme}", theme)
    (line,) = decisions(said)
    assert "toctree(collapse=True" in line
    assert "left to Sphinx, which costs less here" in line, line
    assert "pages to write: 19;" in line


def test_a_whole_tree_on_every_page_is_served(project: Projects) -> None:
    _app, said = verbose_build(
        project, "uncollapsed", "sphinx_rtd_theme", html_theme_options={"collapse_navigation": 0}
    )
    (line,) = decisions(said)
    assert "toctree(collapse=False" in line and "served from the site tree" in line, line


def test_furo_says_which_way_its_build_went(project: Projects) -> None:
    _app, said = verbose_build(project, "furo", "furo")
    (line,) = decisions(said)
    assert "navigation served from the site tree (pages to write: 19;" in line, line
    project.write(
        "two-pages", {"conf.py": "", "index.rst": TWO_PAGES, "other.rst": "Other\n=====\n"}
    )
    app = project(
        "two-pages",
        name="two-pages",
        confoverrides={"extensions": [NAVIGATION], "html_theme": "furo"},
        verbosity=1,
    )
    app.build()
    # furo computes its own navigation, through a toctree() left to Sphinx too.
    line, toctree = decisions(app.status.getvalue())
    assert "left to Sphinx, which costs less here" in toctree
    assert "navigation left to furo, which costs less here (pages to write: 2;" in line, line


TWO_PAGES = """Two pages
=========

.. toctree::

   other
"""

CONTENTS = """{% extends "layout.html" %}
{% block body %}{{ toctree(collapse=False, maxdepth=3) }}{% endblock %}
"""


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "j2"])
def test_arguments_asked_on_one_page_only_are_left_to_sphinx(
    project: Projects, monkeypatch: pytest.MonkeyPatch, parallel: int
) -> None:
    """An extra page written last that shows the whole tree once (Sphinx's own docs have one):
    making a template for it would cost more than the page, also when the documents were
    written by other processes (-j 2), which the main process does not count."""
    computed: list[str] = []
    original = StandaloneHTMLBuilder._get_local_toctree

    def counting(builder: StandaloneHTMLBuilder, docname: str, **kwargs: Any) -> str:
        computed.append(docname)
        return original(builder, docname, **kwargs)

    monkeypatch.setattr(StandaloneHTMLBuilder, "_get_local_toctree", counting)
    project.source(ROOT, f"contents-{parallel}")
    project.write(f"contents-{parallel}", {"_templates/contents.html": CONTENTS})
    _app, said = verbose_build(
        project,
        f"contents-{parallel}",
        "alabaster",
        parallel,
        templates_path=["_templates"],
        html_additional_pages={"contents": "contents.html"},
        html_theme_options={"sidebar_collapse": False},
    )
    lines = decisions(said)
    assert len(lines) == 2, lines
    assert "toctree(collapse=False, includehidden=True" in lines[0]
    assert "served from the site tree" in lines[0]
    assert "toctree(collapse=False, includehidden=False, maxdepth=3" in lines[1]
    assert "links shown on each page: about" in lines[1], lines[1]
    assert "pages to write: 1;" in lines[1], lines[1]
    assert "left to Sphinx, which costs less here" in lines[1]
    assert computed.count("contents") == 1


def test_many_top_level_pages_are_served_even_collapsed(project: Projects) -> None:
    """A flat site (every article a top-level entry, as the generated Learning Centre): a
    collapsed sidebar still shows every page, and serving pays."""
    files = {
        "conf.py": "",
        "index.rst": "Articles\n========\n\n.. toctree::\n   :glob:\n\n   a/*\n",
    }
    for number in range(40):
        files[f"a/{number:02d}.rst"] = f"Article {number}\n==========\n\nOne\n---\n\nTwo\n---\n"
    project.write("flat", files)
    plain = project("flat", name="flat", confoverrides={"html_theme": "alabaster"})
    plain.build()
    expected = html_pages(plain.outdir)
    project.write("flat-served", files)
    served = project(
        "flat-served",
        name="flat-served",
        confoverrides={"extensions": [NAVIGATION], "html_theme": "alabaster"},
        verbosity=1,
    )
    served.build()
    (line,) = decisions(served.status.getvalue())
    assert "toctree(collapse=True" in line and "served from the site tree" in line, line
    assert html_pages(served.outdir) == expected
