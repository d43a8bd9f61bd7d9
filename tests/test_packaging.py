"""The source distribution is self-consistent: unpacked, it holds what its tests import and read,
and pytest finds the same tests there as in the source tree it was built from."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
#: Folders shipped whole: the package, its tests and the Learning Centre the tests build.
SHIPPED = ("sphinx_prolo", "tests", "docs")
#: Files outside those folders that the test suite reads.
READ_BY_TESTS = (
    "ARCHITECTURE.md",
    "CHANGELOG.md",
    "noxfile.py",
    ".readthedocs.yaml",
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
