"""``sphinx_prolo.navigation`` as an extension of its own: any Sphinx site, nothing else added.

A site shaped like real documentation (``test-navigation-realdocs``) is built with only
``extensions = ["sphinx_prolo.navigation"]`` and with no extension at all, for each theme the
navigation serves: every file of the output is the same byte for byte, but ``.buildinfo``, which
Sphinx writes with a hash of the configuration (the list of extensions differs).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import warnings_of
from sphinx_prolo.navigation import FAST_NAVIGATION, costs

if TYPE_CHECKING:
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


#: Themes built in a process of their own: pydata-sphinx-theme keeps state between applications
#: in one process (after sphinx-book-theme, its templates miss ``translate``).
FRESH_PROCESS = {"pydata_sphinx_theme"}

#: Builds one site in a fresh process, the served navigation's costs as
#: :func:`serve_small_sites` sets them, and an error injected where asked.
LAUNCH = """
import functools, importlib, json, sys
from sphinx.application import Sphinx
from sphinx_prolo.navigation import costs
costs.MAKING, costs.SAMPLES = 0.0, 0
source, out, settings, inject = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
if inject:
    module, _, name = inject.partition(":")
    *path, attribute = name.split(".")
    owner = functools.reduce(getattr, path, importlib.import_module(module))
    def raising(*args, **kwargs):
        raise KeyError(("s", 11))
    setattr(owner, attribute, raising)
app = Sphinx(source, source, out + "/html", out + "/doctrees", "html", confoverrides=settings,
             status=sys.stdout, warning=sys.stderr, verbosity=1, parallel=int(sys.argv[5]))
app.build()
"""


@dataclass
class Built:
    """What the tests read of a build made in a fresh process."""

    srcdir: Path
    outdir: Path
    status: StringIO
    warning: StringIO


def build(
    project: Projects,
    name: str,
    extensions: list[str],
    theme: str,
    parallel: int = 0,
    inject: str = "",
    fresh: bool = False,
    **overrides: Any,
) -> Any:
    """*name*, a copy of the site, built with *extensions* and *theme*; in a fresh process
    with *fresh* or *inject* (``module:attribute`` replaced by a function that raises)."""
    source = project.source(ROOT, name)
    settings = {"extensions": extensions, "html_theme": theme, **overrides}
    if theme in FRESH_PROCESS or inject or fresh:
        out = source / "_build"
        command = [sys.executable, "-c", LAUNCH, str(source), str(out), json.dumps(settings)]
        result = subprocess.run(
            [*command, inject, str(parallel)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert result.returncode == 0, result.stderr
        return Built(source, out / "html", StringIO(result.stdout), StringIO(result.stderr))
    app = project(ROOT, name=name, confoverrides=settings, verbosity=1, parallel=parallel)
    app.build()
    return app


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every file a build wrote, but ``.buildinfo`` (a hash of the configuration)."""
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.name != ".buildinfo"
    }


def assert_same_output(served: Any, plain: Any) -> None:
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
