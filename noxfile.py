"""The version matrix: the test suite on the oldest and the newest Sphinx that we support.

Each end of the Sphinx range runs twice: once with the oldest myst-parser we declare, together
with the oldest declared release of every other package the tests use (docutils, Babel and the
docs extra), so that each floor in ``pyproject.toml`` is proven; and once with the newest release
of everything that fits that Sphinx, so that a new release of any of them is tried as soon as it
is out.

The navigation is byte-identical to furo's for every furo release named in
``sphinx_prolo.navigation.furo.FURO_MARKUP``: each of them, and the newest furo on PyPI, gets a
short
session of its own (``furo(version=...)``) with the navigation tests and the docs build.

    make matrix                     # every session, one after the other (or: .venv/bin/nox)
    .venv/bin/nox -l                # list the sessions
    .venv/bin/nox -s "tests(sphinx='8.0.0', myst='5.2.0')"
    .venv/bin/nox -s "furo(version='2025.7.19')"
    .venv/bin/nox -- -k linkcheck   # anything after ``--`` goes to pytest

Every session installs the themes whose ``toctree()`` sphinx-prolo serves (alabaster with Sphinx,
sphinx-rtd-theme, pydata-sphinx-theme, sphinx-book-theme: the test extra), at their oldest
declared release in the floor sessions, so ``tests/test_navigation_themes.py`` compares each
theme's pages with Sphinx's own at both ends of the range.

``PROLO_REQUIRE_BROWSER=1`` (as CI sets it) is passed on to pytest, so a missing Chromium fails
the browser tests instead of skipping them. Every session makes its own virtual environment under
``.nox/`` with the standard library's ``venv``, from the Python 3.11 on the PATH, and keeps it for
the next run.
"""

from __future__ import annotations

import os

import nox

nox.needs_version = ">=2024.4"
nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"

#: The two ends of the supported Sphinx range, as a session label and the requirement for it.
#: 8.0.0 is the first Sphinx 8 release; 9.0.x is the newest line that runs on Python 3.11
#: (Sphinx 9.1 needs Python 3.12), and its newest patch release is the one tested.
SPHINX = {
    "8.0.0": "sphinx==8.0.0",
    "9.0.x": "sphinx>=9.0,<9.1",
}

#: The oldest myst-parser that passes the suite: 5.2.0 is the first release that turns an
#: impossible date in YAML front matter (``reviewed: 2020-02-30``) into a warning instead of a
#: crash, and 5.1.0 the first that gives its warnings the document's name rather than its path.
MYST_OLDEST = "5.2.0"

#: The oldest declared release of everything else, installed with the oldest myst-parser.
#: Some have no release that fits both ends of the Sphinx range: their oldest for each end.
FLOORS_ANY_SPHINX = [
    "docutils==0.20",
    "babel==2.13.0",
    "sphinx-sitemap==2.6.0",
    # The first release that escapes the page text it copies into <meta> tags (test_security).
    "sphinxext-opengraph==0.11.0",
    "sphinx-notfound-page==1.1.0",
    "pyphen==0.14.0",
]
FLOORS = {
    "8.0.0": [
        *FLOORS_ANY_SPHINX,
        "furo==2024.8.6",
        "sphinx-design==0.6.1",
        "sphinx-rtd-theme==3.0.0",
        "pydata-sphinx-theme==0.16.0",
        "sphinx-book-theme==1.1.0",
    ],
    # furo 2025.12.19, sphinx-design 0.7.0 and sphinx-rtd-theme 3.1.0 are the first releases
    # that accept Sphinx 9.
    "9.0.x": [
        *FLOORS_ANY_SPHINX,
        "furo==2025.12.19",
        "sphinx-design==0.7.0",
        "sphinx-rtd-theme==3.1.0",
        "pydata-sphinx-theme==0.16.0",
        "sphinx-book-theme==1.1.0",
    ],
}

#: The furo releases whose navigation sphinx-prolo reproduces byte for byte (FURO_MARKUP in
#: sphinx_prolo/navigation.py), and the newest on PyPI, each with the newest Sphinx it accepts
#: here: furo before 2025.12.19 requires Sphinx < 9, so those run on the newest Sphinx 8.
SPHINX_8_NEWEST = "sphinx>=8.2,<9"
FURO = {
    "2024.8.6": SPHINX_8_NEWEST,
    "2025.7.19": SPHINX_8_NEWEST,
    "2025.9.25": SPHINX_8_NEWEST,
    "2025.12.19": SPHINX["9.0.x"],
    "newest": SPHINX["9.0.x"],
}
#: What a furo session runs: the navigation compared with furo's own, and the docs built strictly.
FURO_TESTS = ["tests/test_navigation.py", "tests/test_docs_site.py"]

#: Shown at the start of every session, so that its log says what it really tested.
PACKAGES = [
    "sphinx",
    "myst-parser",
    "docutils",
    "babel",
    "furo",
    "sphinx-design",
    "sphinx-sitemap",
    "sphinxext-opengraph",
    "sphinx-notfound-page",
    "sphinx-rtd-theme",
    "pydata-sphinx-theme",
    "sphinx-book-theme",
    "pyphen",
    "markdown-it-py",
    "mdit-py-plugins",
    "playwright",
    "pytest",
]
SHOW_VERSIONS = (
    "import sys\n"
    "from importlib.metadata import version\n"
    "print(', '.join(f'{name} {version(name)}' for name in sys.argv[1:]))\n"
)


@nox.session(python=PYTHON)
@nox.parametrize(
    ("sphinx", "myst"),
    [(sphinx, myst) for sphinx in SPHINX for myst in (MYST_OLDEST, "newest")],
)
def tests(session: nox.Session, sphinx: str, myst: str) -> None:
    """Run the test suite (``pytest -q``, as ``make test`` does) on one Sphinx and myst-parser."""
    if myst == "newest":
        # Eager upgrades, so that a kept environment moves on to releases made since it was made.
        options = ["--upgrade", "--upgrade-strategy", "eager"]
        pins = [SPHINX[sphinx], "myst-parser"]
    else:
        options = []
        pins = [SPHINX[sphinx], f"myst-parser=={myst}", *FLOORS[sphinx]]
    session.install(*options, "-e", ".[test]", *pins)
    session.run("python", "-c", SHOW_VERSIONS, *PACKAGES)

    env = {}
    if "PROLO_REQUIRE_BROWSER" in os.environ:
        env["PROLO_REQUIRE_BROWSER"] = os.environ["PROLO_REQUIRE_BROWSER"]
    session.run("pytest", "-q", "-n", "auto", *session.posargs, env=env)


@nox.session(python=PYTHON)
@nox.parametrize("version", list(FURO))
def furo(session: nox.Session, version: str) -> None:
    """Run the navigation tests and the docs build on one furo release (or the newest)."""
    if version == "newest":
        options = ["--upgrade", "--upgrade-strategy", "eager"]
        pins = [FURO[version], "furo"]
    else:
        options = []
        pins = [FURO[version], f"furo=={version}"]
    session.install(*options, "-e", ".[test]", *pins)
    session.run("python", "-c", SHOW_VERSIONS, *PACKAGES)
    session.run("pytest", "-q", "-n", "auto", *FURO_TESTS, *session.posargs)
