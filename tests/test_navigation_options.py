"""The themes' own navigation options, on a site shaped like real docs, and errors never fatal.

Each case builds ``test-navigation-realdocs`` (captions, numbered sections, hidden toctrees inside
nested ones, a document in two toctrees, a page with its own ``tocdepth``) with only
``sphinx_prolo.navigation`` and with no extension, and compares every file.  Then errors are
injected into the served navigation: the build must succeed, with the same pages, and say under
``-v`` what was left to the theme.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

import pytest
from test_navigation_extension import (
    NAVIGATION,
    assert_same_output,
    build,
    serve_small_sites,  # noqa: F401 (an autouse fixture: this module's sites are served too)
)

from conftest import warnings_of

if TYPE_CHECKING:
    from conftest import Projects

#: sphinx-rtd-theme's issue #29 case first: it made the build fail before.
RTD_OPTIONS = [
    {"titles_only": True, "includehidden": False, "navigation_depth": 2},
    {"titles_only": True, "includehidden": True, "navigation_depth": -1},
    {"titles_only": False, "includehidden": False, "navigation_depth": 1},
    {"collapse_navigation": False},
    {"collapse_navigation": False, "titles_only": True, "includehidden": False},
    {"collapse_navigation": False, "navigation_depth": 2, "includehidden": False},
    {"collapse_navigation": True, "navigation_depth": 3, "titles_only": False},
]
GLOBALTOC = {"html_sidebars": {"**": ["globaltoc.html", "relations.html", "searchbox.html"]}}
ALABASTER_CASES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"sidebar_collapse": False}, {}),
    ({"sidebar_collapse": True, "sidebar_includehidden": False}, {}),
    ({"sidebar_collapse": False, "sidebar_includehidden": False}, {}),
    ({}, GLOBALTOC),
    ({"globaltoc_collapse": False, "globaltoc_maxdepth": 2}, GLOBALTOC),
    ({"globaltoc_collapse": True, "globaltoc_includehidden": False}, GLOBALTOC),
]
PYDATA_OPTIONS = [
    {"navigation_depth": 1},
    {"navigation_depth": 2, "show_nav_level": 2},
    {"show_nav_level": 3},
    {"collapse_navigation": True},
]
BOOK_OPTIONS = [
    {"max_navbar_depth": 2},
    {"show_navbar_depth": 2},
    {"max_navbar_depth": 1, "show_navbar_depth": 1},
    {"collapse_navbar": True},
]


def installed(theme: str) -> Any:
    return pytest.mark.skipif(
        importlib.util.find_spec(theme) is None, reason=f"{theme} is not installed"
    )


def assert_served_as_the_theme_does(
    project: Projects, theme: str, options: dict[str, Any], **overrides: Any
) -> str:
    """Build with and without the navigation; the same files.  The ``-v`` text of the first."""
    name = f"{theme}-{abs(hash(repr((options, overrides))))}"
    overrides = {"html_theme_options": options, **overrides}
    served = build(project, f"{name}-served", [NAVIGATION], theme, **overrides)
    plain = build(project, f"{name}-plain", [], theme, **overrides)
    assert warnings_of(served) == warnings_of(plain) == []
    assert_same_output(served, plain)
    said = served.status.getvalue()
    assert "left to the theme after an error" not in said
    return said


@installed("sphinx_rtd_theme")
@pytest.mark.parametrize("options", RTD_OPTIONS, ids=repr)
def test_sphinx_rtd_theme_options(project: Projects, options: dict[str, Any]) -> None:
    said = assert_served_as_the_theme_does(project, "sphinx_rtd_theme", options)
    assert "): served from the site tree" in said


@installed("sphinx_rtd_theme")
def test_sphinx_rtd_theme_titles_only_with_parallel_writes(project: Projects) -> None:
    options = {"html_theme_options": RTD_OPTIONS[0]}
    served = build(project, "rtd-j2", [NAVIGATION], "sphinx_rtd_theme", parallel=2, **options)
    plain = build(project, "rtd-j1", [], "sphinx_rtd_theme", **options)
    assert warnings_of(served) == warnings_of(plain) == []
    assert_same_output(served, plain)
    assert "): served from the site tree" in served.status.getvalue()


@pytest.mark.parametrize(("options", "overrides"), ALABASTER_CASES, ids=repr)
def test_alabaster_options_and_globaltoc(
    project: Projects, options: dict[str, Any], overrides: dict[str, Any]
) -> None:
    said = assert_served_as_the_theme_does(project, "alabaster", options, **overrides)
    assert "): served from the site tree" in said


@installed("pydata_sphinx_theme")
@pytest.mark.parametrize("options", PYDATA_OPTIONS, ids=repr)
def test_pydata_sphinx_theme_options(project: Projects, options: dict[str, Any]) -> None:
    said = assert_served_as_the_theme_does(project, "pydata_sphinx_theme", options)
    assert "of usage/index: served from the site tree" in said


@installed("sphinx_book_theme")
@pytest.mark.parametrize("options", BOOK_OPTIONS, ids=repr)
def test_sphinx_book_theme_options(project: Projects, options: dict[str, Any]) -> None:
    said = assert_served_as_the_theme_does(project, "sphinx_book_theme", options)
    # A sidebar that collapses changes shape from page to page: the theme draws it.
    expected = (
        "sidebar: left to the theme" if options.get("collapse_navbar") else "sidebar: served"
    )
    assert expected in said


# --- never fatal --------------------------------------------------------------------------------


#: Where an error is injected (``module:attribute``, in a fresh process), for which theme, and
#: what the ``-v`` line names.
FAILURES = {
    "toctree-render": (
        "sphinx_prolo.navigation.toctree_template:ToctreeTemplate.render",
        "sphinx_rtd_theme",
        "toctree(collapse=",
    ),
    "toctree-making": (
        "sphinx_prolo.navigation.toctree:template_for",
        "alabaster",
        "toctree(collapse=",
    ),
    "furo-render": (
        "sphinx_prolo.navigation.furo_template:NavigationTemplate.render",
        "furo",
        "furo's navigation",
    ),
    "furo-making": ("sphinx_prolo.navigation.furo:template_for", "furo", "furo's navigation"),
    "sidebar-making": (
        "sphinx_prolo.navigation.pydata:_sidebar_template",
        "sphinx_book_theme",
        "generate_toctree_html()",
    ),
    "header-making": (
        "sphinx_prolo.navigation.pydata_header:header_template",
        "pydata_sphinx_theme",
        "generate_header_nav_html()",
    ),
}


@pytest.mark.parametrize("where", FAILURES)
def test_an_error_leaves_the_navigation_to_the_theme(project: Projects, where: str) -> None:
    inject, theme, what = FAILURES[where]
    if importlib.util.find_spec(theme) is None:
        pytest.skip(f"{theme} is not installed")
    options = RTD_OPTIONS[0] if theme == "sphinx_rtd_theme" else {}
    said = assert_served_as_the_theme_or_fails(project, theme, options, inject)
    lines = [line for line in said.splitlines() if "after an error" in line]
    assert lines, said
    assert any(what in line for line in lines), lines
    assert all("KeyError: ('s', 11)" in line for line in lines), lines
    # Once per template: the rest of the build's calls go to the theme without a word.
    assert len(lines) <= 2, lines


def assert_served_as_the_theme_or_fails(
    project: Projects, theme: str, options: dict[str, Any], inject: str
) -> str:
    name = f"failing-{theme}"
    served = build(
        project, f"{name}-served", [NAVIGATION], theme, inject=inject, html_theme_options=options
    )
    # Both sides in fresh processes: themes keep a little state between builds in one.
    plain = build(project, f"{name}-plain", [], theme, fresh=True, html_theme_options=options)
    assert warnings_of(served) == warnings_of(plain) == []
    assert_same_output(served, plain)
    return str(served.status.getvalue())
