"""Shared fixtures: build small Sphinx projects from ``tests/roots/test-*`` and read the output."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

# Warnings on the console follow the terminal's language (sphinx-prolo ships French): the tests
# read them in English whatever the developer's terminal speaks.
os.environ["LANGUAGE"] = "en"

ROOTS = Path(__file__).parent / "roots"
DOCS = Path(__file__).parent.parent / "docs"
#: The writers' and maintainers' handbook, a site of its own inside docs/.
HANDBOOK = DOCS / "handbook"
_ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


#: The start of a MyST site's conf.py as most tests write it: articles under art/.
MYST_CONF = (
    'extensions = ["myst_parser", "sphinx_prolo"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_article_patterns = ["art/*"]\n'
)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def warnings_of(app: SphinxTestApp) -> list[str]:
    """A build's warning lines, without colours, with the source directory shown as ``SRC``."""
    text = _ESCAPES.sub("", app.warning.getvalue())
    text = text.replace(str(app.srcdir) + "/", "SRC/").replace(str(app.srcdir), "SRC")
    return [line for line in text.splitlines() if line.strip()]


def config_warning(app: SphinxTestApp) -> str:
    """The one warning a mistake in conf.py gives (a ``prolo.config`` warning, or Sphinx's own
    type check), without its "WARNING: " prefix; the setting kept its default and the build
    goes on."""
    lines = [
        line.removeprefix("WARNING: ")
        for line in warnings_of(app)
        if line.endswith("[prolo.config]") or line.startswith("WARNING: The config value `")
    ]
    assert len(lines) == 1, warnings_of(app)
    return lines[0]


def touch_later(path: Path) -> None:
    """Give *path* a modification time clearly after the last build read it."""
    later = time.time() + 10
    os.utime(path, (later, later))


def html_pages(outdir: Path) -> dict[str, bytes]:
    """Every HTML page of a build, by path relative to *outdir*."""
    return {
        str(path.relative_to(outdir)): path.read_bytes() for path in sorted(outdir.rglob("*.html"))
    }


def article_inventory(path: Path) -> dict[str, tuple[str, str]]:
    """The ``prolo:article`` entries of an ``objects.inv``, read by Sphinx's own reader:
    slug or alias -> (page, display name)."""
    with path.open("rb") as stream:
        data = InventoryFile.load(stream, "", posixpath.join)
    # Sphinx 9 gives item objects, Sphinx 8 tuples (project, version, uri, display name).
    return {
        name: (item.uri, item.display_name) if hasattr(item, "uri") else (item[2], item[3])
        for name, item in data.get("prolo:article", {}).items()
    }


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


class Projects:
    """Makes Sphinx apps for copies of test roots; see :func:`project`."""

    def __init__(self, make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> None:
        self._make_app = make_app
        self._tmp_path = tmp_path
        self._apps: list[SphinxTestApp] = []

    def source(self, root: str, name: str | None = None) -> Path:
        """The folder holding the copy of test root *root* called *name* (copied on first use)."""
        srcdir = self._tmp_path / (name or root)
        if not srcdir.exists():
            shutil.copytree(ROOTS / f"test-{root}", srcdir)
        return srcdir

    def copy_of(self, folder: Path, name: str) -> Path:
        """Copy any project *folder* (without its build) to a folder called *name*."""
        target = self._tmp_path / name
        if not target.exists():
            shutil.copytree(folder, target, ignore=shutil.ignore_patterns("_build"))
        return target

    def clone(self, name: str, new_name: str) -> Path:
        """Copy project folder *name* (without its build) to a new folder *new_name*."""
        target = self._tmp_path / new_name
        shutil.copytree(self._tmp_path / name, target, ignore=shutil.ignore_patterns("_build"))
        return target

    def write(self, name: str, files: dict[str, str]) -> Path:
        """Make a project folder *name* from *files* (relative path -> text)."""
        srcdir = self._tmp_path / name
        for relpath, text in files.items():
            path = srcdir / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return srcdir

    def __call__(
        self, root: str, buildername: str = "html", *, name: str | None = None, **kwargs: Any
    ) -> SphinxTestApp:
        # One application at a time: docutils keeps node and directive registrations in
        # global state, which the previous application must hand back first.
        for previous in self._apps:
            previous.cleanup()
        srcdir = self.source(root, name)
        kwargs.setdefault("builddir", srcdir / "_build")
        app = self._make_app(buildername, srcdir=srcdir, **kwargs)
        self._apps.append(app)
        return app


@pytest.fixture
def project(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> Projects:
    """Copy a test root into a fresh folder and return a Sphinx app for it (not yet built).

    ``project("notices-myst", "html", confoverrides={...}, parallel=2, name="copy")``.  Calling it
    again with the same ``name`` reuses the folder, which is how incremental builds are tested;
    ``project.source(root, name)`` gives the folder, to edit it before the first build.
    """
    return Projects(make_app, tmp_path)


#: Modules whose tests are marked ``slow`` (long generated runs) or ``browser`` (Chromium);
#: ``make test-fast`` runs the rest.
SLOW_MODULES = {
    "test_fuzz",
    "test_properties",
    "test_docs_site",
    "test_packaging",
    # whole generated sites built serially and in parallel, and with and without PyStemmer
    "test_build_modes",
    "test_search_stemmer",
    # every theme with its own options on a tree shaped like real docs
    "test_navigation_options",
    "test_linkcheck_cache_damage",
}
#: Single tests of the fast modules that build a site several times over (parallel against
#: serial, every theme in html, dirhtml and -j 2): run by `make test`, not by `make test-fast`.
SLOW_TESTS = {
    "test_parallel_reads_keep_the_problems_of_the_notice_source_as_it_is_now",
    "test_pydata_section_sidebars_are_identical_to_the_themes_own",
    "test_every_set_of_arguments_on_every_page",
    "test_external_links_are_reported_exactly_as_sphinx_reports_them",
    # a quickstart site written and built strictly once per hostile value
    "test_no_name_becomes_code_or_markup_and_each_shows_as_written",
    "test_the_terms_link_is_the_one_given_everywhere",
    "test_the_first_article_guide_does_what_it_says",
}
BROWSER_MODULES = {"test_browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__ if item.module is not None else ""
        if module in SLOW_MODULES or item.name.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        if module in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how much the property and fuzz tests exercised, for the record."""
    import sys

    properties = sys.modules.get("test_properties")
    fuzz = sys.modules.get("test_fuzz")
    if properties is not None and properties.STATS["steps"]:
        stats = properties.STATS
        terminalreporter.write_line(
            f"sphinx-prolo property tests: {stats['steps']} edit steps in "
            f"{stats['sequences']} sequences, each compared with a fresh build"
        )
        modes = stats.get("modes", {})
        if modes:
            furo = sum(n for (theme, *_), n in modes.items() if theme == "furo")
            parallel = sum(n for (_, *jobs), n in modes.items() if 2 in jobs)
            terminalreporter.write_line(
                f"  drawn build modes: {furo} of {sum(modes.values())} sequences with furo, "
                f"{parallel} with a parallel build, {stats['languages']['fr']} in French; "
                f"seed {stats['seed']} "
                f"(rerun with PROLO_HYPOTHESIS_SEED={stats['seed']})"
            )
    if fuzz is not None and fuzz.DOCUMENTS_BUILT["count"]:
        terminalreporter.write_line(
            f"sphinx-prolo fuzz tests: {fuzz.DOCUMENTS_BUILT['count']} generated documents built"
            f" (seeds {', '.join(map(str, fuzz.DOCUMENTS_BUILT['seeds']))})"
        )
