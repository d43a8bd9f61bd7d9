"""``sphinx_prolo.navigation`` as an extension of its own: any Sphinx site, nothing else added.

A site shaped like real documentation (``test-navigation-realdocs``) is built with only
``extensions = ["sphinx_prolo.navigation"]`` and with no extension at all, for each theme the
navigation serves: every file of the output is the same byte for byte, but ``.buildinfo``, which
Sphinx writes with a hash of the configuration (the list of extensions differs).
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

import pytest

from conftest import warnings_of
from sphinx_prolo.navigation import FAST_NAVIGATION, costs

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects

ROOT = "navigation-realdocs"
NAVIGATION = "sphinx_prolo.navigation"
#: The themes served, those installed: the package that provides each.
THEMES = [
    theme
    for theme in (
        "furo",
        "alabaster",
        "sphinx_rtd_theme",
        "pydata_sphinx_theme",
        "sphinx_book_theme",
    )
    if importlib.util.find_spec(theme) is not None
]
#: Which ``-v`` line says a theme's navigation was served.
SERVED = {
    "furo": "navigation served from the site tree",
    "pydata_sphinx_theme": "of usage/index: served from the site tree",
    "sphinx_book_theme": "sidebar: served from the site tree",
}


@pytest.fixture(autouse=True)
def serve_small_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve this small site although it does not pay (``test_navigation_costs.py`` tests that
    choice): the pages must be the same when served."""
    monkeypatch.setattr(costs, "MAKING", 0.0)
    monkeypatch.setattr(costs, "SAMPLES", 0)


def build(
    project: Projects,
    name: str,
    extensions: list[str],
    theme: str,
    parallel: int = 0,
    **overrides: Any,
) -> SphinxTestApp:
    project.source(ROOT, name)
    app = project(
        ROOT,
        name=name,
        confoverrides={"extensions": extensions, "html_theme": theme, **overrides},
        verbosity=1,
        parallel=parallel,
    )
    app.build()
    return app


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every file a build wrote, but ``.buildinfo`` (a hash of the configuration)."""
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.name != ".buildinfo"
    }


def assert_same_output(served: SphinxTestApp, plain: SphinxTestApp) -> None:
    served_files, plain_files = output_files(served.outdir), output_files(plain.outdir)
    assert served_files.keys() == plain_files.keys()
    assert sum(name.endswith(".html") for name in plain_files) >= 20
    for name, content in plain_files.items():
        assert served_files[name] == content, f"{name} differs from the site without it"


@pytest.mark.parametrize("theme", THEMES)
def test_alone_it_changes_no_byte_of_any_site(project: Projects, theme: str) -> None:
    served = build(project, f"alone-{theme}", [NAVIGATION], theme)
    plain = build(project, f"plain-{theme}", [], theme)
    assert warnings_of(served) == warnings_of(plain) == []
    said = served.status.getvalue()
    assert SERVED.get(theme, "): served from the site tree") in said, said
    assert "left to the theme after an error" not in said
    assert_same_output(served, plain)


def test_alone_it_registers_only_the_navigation(project: Projects) -> None:
    app = build(project, "alone-only", [NAVIGATION], "alabaster")
    assert NAVIGATION in app.extensions and "sphinx_prolo" not in app.extensions
    extension = app.extensions[NAVIGATION]
    assert extension.parallel_read_safe is True and extension.parallel_write_safe is True
    assert "prolo" not in app.env.domains
    assert [value.name for value in app.config if value.name.startswith("prolo_")] == [
        FAST_NAVIGATION
    ]
    assert not [path for path in app.outdir.rglob("*") if "prolo" in path.name]


@pytest.mark.parametrize(
    "extensions",
    [
        [NAVIGATION, "sphinx_prolo"],
        ["sphinx_prolo", NAVIGATION],
        ["sphinx_prolo"],
    ],
    ids=["navigation-first", "navigation-second", "whole-only"],
)
def test_with_the_whole_extension_in_either_order(
    project: Projects, extensions: list[str]
) -> None:
    """The whole extension declares the option and sets the navigation up through the same
    ``setup()``: either order, or both, registers everything once."""
    app = build(project, f"whole-{len(extensions)}-{extensions[0]}", extensions, "furo")
    assert {NAVIGATION, "sphinx_prolo"} <= set(app.extensions)
    assert warnings_of(app) == []
    assert app.config.prolo_fast_navigation is True
    said = app.status.getvalue()
    assert said.count("navigation served from the site tree") == 1, said


def test_turned_off_it_serves_nothing(project: Projects) -> None:
    app = build(project, "alone-off", [NAVIGATION], "furo", prolo_fast_navigation=False)
    assert "site tree" not in app.status.getvalue()
    assert warnings_of(app) == []
