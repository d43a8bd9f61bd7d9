"""Fuzzed input: thousands of generated documents never crash a build.

Every problem must come out as a warning with a location (a file, and a line where one exists),
never a traceback.  Each project also draws its configuration (languages Babel does not know,
``today`` and review dates at the ends of the calendar, the longest review interval) and, often,
notice source files full of markup of every kind.  Damaged link-check caches are fuzzed by
``test_linkcheck``.  ``PROLO_FUZZ_SEED`` picks other documents (``make fuzz`` tries several); the
seed of every project is printed at the end of the run and in every failure, to replay it.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

import pytest
from fuzzdocs import DocumentMaker

from conftest import warnings_of

if TYPE_CHECKING:
    from conftest import Projects

SEED = int(os.environ.get("PROLO_FUZZ_SEED", "20261126"))
PROJECTS = int(os.environ.get("PROLO_FUZZ_PROJECTS", "8"))
DOCUMENTS_PER_PROJECT = 260
# "file:line: WARNING: ..." or, for a whole file, "file: WARNING" (MyST also writes "file::").
LOCATED = re.compile(r"^SRC/[^:]+(:\d*)?: (WARNING|ERROR|CRITICAL): ")

CONF = (
    'extensions = ["myst_parser", "sphinx_design", "sphinx_prolo"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_article_patterns = ["fz/*"]\n'
    'prolo_terms_url = "terms"\n'
    'today = "2026-11-26"\n'
    "suppress_warnings = ['toc.not_included']\n"
)

DOCUMENTS_BUILT: dict[str, Any] = {"count": 0, "seeds": []}


def project_files(seed: int) -> tuple[dict[str, str], dict[str, Any]]:
    """The files and the configuration overrides of generated project *seed*."""
    maker = DocumentMaker(seed)
    files = {"conf.py": CONF, "index.md": "# Fuzz\n", "terms.md": "# Terms\n"}
    for number in range(DOCUMENTS_PER_PROJECT):
        if maker.random.random() < 0.75:
            files[f"fz/doc{number}.md"] = maker.myst()
        else:
            files[f"fz/doc{number}.rst"] = maker.rst()
    overrides = maker.config()
    for setting, stem in (("prolo_disclaimer_source", "d"), ("prolo_please_note_source", "n")):
        if maker.random.random() < 0.6:
            suffix = maker.choice([".md", ".rst"])
            files[f"_notices/{stem}{suffix}"] = maker.notice_source(suffix)
            overrides[setting] = f"_notices/{stem}{suffix}"
    return files, overrides


@pytest.mark.parametrize("index", range(PROJECTS))
def test_generated_documents_never_crash_and_every_warning_has_a_location(
    project: Projects, index: int
) -> None:
    seed = SEED + index
    # Shown with the test's output on failure; replay with PROLO_FUZZ_SEED={seed - index}.
    print(f"sphinx-prolo fuzz: seed {seed}")
    DOCUMENTS_BUILT["seeds"].append(seed)
    files, overrides = project_files(seed)
    project.write(f"fuzz{index}", files)
    app = project("fuzz", name=f"fuzz{index}", freshenv=True, confoverrides=overrides)
    try:
        app.build()  # raising here (a traceback) is the failure this test exists for
    except Exception as exc:
        pytest.fail(f"seed {seed} ({overrides}): the build raised {exc!r}")
    DOCUMENTS_BUILT["count"] += sum(1 for name in files if name.startswith("fz/"))
    unlocated = [
        line
        for line in warnings_of(app)
        if "WARNING" in line or "ERROR" in line or "CRITICAL" in line
        if not LOCATED.match(line)
    ]
    assert unlocated == [], f"seed {seed}: warnings without a location: {unlocated[:5]}"
    prolo = [line for line in warnings_of(app) if "[prolo." in line]
    assert prolo, f"seed {seed}: the broken input produced no sphinx-prolo warning at all"
    # The pages were written, every one of them.
    assert len(list((app.outdir / "fz").glob("*.html"))) == DOCUMENTS_PER_PROJECT
