"""The source distribution is self-consistent: unpacked, it holds what its tests import and read,
and pytest finds the same tests there as in the source tree it was built from.  The wheel works
on its own: installed (not editable) into a fresh virtual environment, its quickstart writes a
site that builds strictly with the wheel's stylesheet, catalogs and templates."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
#: Folders shipped whole: the package, its tests and the Learning Centre the tests build.
SHIPPED = ("sphinx_prolo", "tests", "docs", ".github")
#: Files outside those folders that the test suite reads.
READ_BY_TESTS = (
    "ARCHITECTURE.md",
    "CHANGELOG.md",
    "noxfile.py",
    ".readthedocs.yaml",
    ".pre-commit-config.yaml",
    ".ci/run",
    "Makefile",
    "pyproject.toml",
)
#: Build and test output, never part of the sdist.
OUTPUT = ("docs/_build", "tests/_artifacts", "__pycache__", ".pytest_cache", ".hypothesis")


def is_output(name: str) -> bool:
    return any(
        name == part or name.startswith(part + "/") or f"/{part}/" in f"/{name}" for part in OUTPUT
    )


def source_files() -> set[str]:
    """The files the sdist must hold, as paths relative to the source tree.

    In a git checkout: every file under SHIPPED that git tracks or would track (what hatchling
    looks at), plus READ_BY_TESTS.  In an unpacked sdist there is no git: the files on disk.
    """
    if (ROOT / ".git").exists():
        listing = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *SHIPPED],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        names = {name for name in listing if (ROOT / name).is_file()}
    else:
        names = {
            path.relative_to(ROOT).as_posix()
            for folder in SHIPPED
            for path in (ROOT / folder).rglob("*")
            if path.is_file()
        }
    return {name for name in names if not is_output(name)} | set(READ_BY_TESTS)


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, built by hatchling as `python -m build --sdist` would, unpacked."""
    from hatchling.builders.sdist import SdistBuilder

    dist = tmp_path_factory.mktemp("dist")
    built = next(SdistBuilder(str(ROOT)).build(directory=str(dist), versions=["standard"]))
    with tarfile.open(built) as archive:
        tops = {name.split("/")[0] for name in archive.getnames()}
        assert len(tops) == 1, tops
        archive.extractall(dist / "unpacked", filter="data")
    return dist / "unpacked" / tops.pop()


def test_sdist_holds_the_package_its_tests_and_what_they_read(unpacked: Path) -> None:
    members = {path.relative_to(unpacked).as_posix() for path in unpacked.rglob("*")}
    assert sorted(source_files() - members) == []
    assert sorted(name for name in members if is_output(name)) == []
    assert "PKG-INFO" in members


def collected(where: Path) -> list[str]:
    """The ids of the tests pytest collects in *where*, with the interpreter running this test."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=where,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_unpacked_sdist_runs_its_own_code_and_collects_every_test(unpacked: Path) -> None:
    imported = subprocess.run(
        [sys.executable, "-c", "import sphinx_prolo; print(sphinx_prolo.__file__)"],
        cwd=unpacked,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(imported).is_relative_to(unpacked), imported
    here = collected(ROOT)
    assert len(here) > 100
    assert collected(unpacked) == here


def without_faketime(environment: dict[str, str]) -> dict[str, str]:
    """*environment* at the real date: pip's TLS checks fail with the clock moved by faketime."""
    moved = {"LD_PRELOAD", "FAKETIME", "DYLD_INSERT_LIBRARIES", "DYLD_FORCE_FLAT_NAMESPACE"}
    return {key: value for key, value in environment.items() if key not in moved}


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("NOX_CURRENT_SESSION")),
    reason="the matrix pins versions this test does not use: its fresh environment takes the "
    "newest releases (make test runs it once)",
)
def test_the_built_wheel_in_a_fresh_venv_writes_and_builds_a_strict_quickstart_site(
    tmp_path: Path,
) -> None:
    """The Bar of issue 16: the wheel (not this checkout) installed with its dependencies from the
    package index, ``sphinx-prolo-quickstart`` run from it, then ``make html`` in the new site."""
    from hatchling.builders.wheel import WheelBuilder

    wheel = next(WheelBuilder(str(ROOT)).build(directory=str(tmp_path / "dist")))
    venv = tmp_path / "venv"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
    }
    environment["PYTHONDONTWRITEBYTECODE"] = "1"

    def run(*command: str | Path, cwd: Path = tmp_path, **extra: str) -> str:
        result = subprocess.run(
            [str(part) for part in command],
            cwd=cwd,
            env={**environment, **extra},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, (command, result.stdout[-3000:], result.stderr[-3000:])
        return result.stdout

    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    pip = (python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check")
    environment_now = without_faketime(environment)
    subprocess.run([*map(str, pip), f"{wheel}[readability]"], env=environment_now, check=True)
    site = tmp_path / "site"
    run(venv / "bin" / "sphinx-prolo-quickstart", site, "--language", "fr", "--name", "Essai")
    # The site's own requirements (myst-parser, furo, sphinx-design; sphinx-prolo is the wheel's),
    # installed as its Makefile would, at the real date; `make html` then finds them installed.
    subprocess.run(
        [*map(str, pip), "-r", str(site / "requirements.txt")], env=environment_now, check=True
    )
    (venv / ".installed").touch()
    run("make", "html", f"VENV={venv}", cwd=site)

    shown = run(python, "-c", "import sphinx_prolo; print(sphinx_prolo.__file__)")
    assert Path(shown.strip()).is_relative_to(venv), shown
    out = site / "_build" / "html"
    assert (out / "_static" / "sphinx-prolo.css").read_bytes() == (
        ROOT / "sphinx_prolo" / "static" / "sphinx-prolo.css"
    ).read_bytes()
    article = (out / "articles" / "staying-active.html").read_text(encoding="utf-8")
    assert "This article gives <strong>general information</strong> only." in article
    assert "Please note: research on this topic is still growing" in article
    # The review line in French: the wheel's compiled catalog (sphinx_prolo/locale) is used.
    assert "Prochaine révision prévue le" in article
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="articles/staying-active.html"' in index
