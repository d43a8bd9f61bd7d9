"""The source distribution is self-consistent: an unpacked sdist has what its tests read."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
#: Files outside the package and tests/ that the test suite reads.
READ_BY_TESTS = ["ARCHITECTURE.md", "noxfile.py", ".readthedocs.yaml", "pyproject.toml"]


def tracked(folder: str) -> set[str]:
    try:
        listing = subprocess.run(
            ["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.fail("git is needed to know which files the repository holds")
    return {line for line in listing.splitlines() if line}


def test_sdist_holds_the_package_its_tests_and_what_they_read(tmp_path: Path) -> None:
    from hatchling.builders.sdist import SdistBuilder

    built = next(SdistBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    with tarfile.open(built) as archive:
        top = archive.getnames()[0].split("/")[0]
        members = {name.removeprefix(top + "/") for name in archive.getnames()}
    needed = tracked("sphinx_prolo") | tracked("tests") | tracked("docs") | set(READ_BY_TESTS)
    assert sorted(needed - members) == []
    assert not any(name.startswith("docs/_build/") for name in members)
