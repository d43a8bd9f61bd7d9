"""The CI workflows: pinned actions, the same checks as .ci/run, the link cache where the link
checker keeps it, and the link-check issue's report; actionlint where it is installed."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from sphinx_prolo.linkcheck.cache import DEFAULT_CACHE_NAME

ROOT = Path(__file__).parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
QUICKSTART_WORKFLOW = ROOT / "sphinx_prolo/quickstart_files/dot-github/workflows/docs.yml"
ALL_WORKFLOWS = [*WORKFLOWS, QUICKSTART_WORKFLOW]
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def workflow(name: str) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((ROOT / ".github/workflows" / name).read_text())
    return loaded


def steps(name: str) -> list[dict[str, Any]]:
    return [step for job in workflow(name)["jobs"].values() for step in job.get("steps", [])]


def test_the_three_workflows_exist() -> None:
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "linkcheck.yml", "release.yml"]


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    uses = re.findall(r"uses: (.*)", path.read_text(encoding="utf-8"))
    assert uses
    assert [use for use in uses if not PINNED.match(use)] == []


def test_ci_runs_every_check_of_ci_run() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = " ".join(str(step.get("run", "")) for step in steps("ci.yml"))
    wanted = set(re.findall(r"\bmake ([\w-]+)", script))
    assert wanted >= {"test", "lint", "html", "html-fr", "handbook", "linkcheck", "matrix"}
    assert sorted(target for target in wanted if f"make {target}" not in commands) == []
    assert 'faketime -f "+15y" make test' in commands
    assert "apt-get install -y -qq chromium" in commands
    environments = [step.get("env", {}) for step in steps("ci.yml")]
    assert {"PROLO_REQUIRE_BROWSER": "1"} in environments
    assert {"PROLO_LINKCHECK_OFFLINE": "1"} in environments
    assert workflow("ci.yml")[True] == {"push": None, "pull_request": None}  # YAML's "on"


def test_the_weekly_link_check_keeps_the_cache_the_link_checker_writes() -> None:
    linkcheck = workflow("linkcheck.yml")
    assert set(linkcheck[True]) == {"schedule", "workflow_dispatch"}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-b linkcheck $(SPHINXOPTS) $(DOCS) $(BUILDDIR)/linkcheck\n" in makefile
    assert linkcheck["env"]["LINK_CACHE"] == f"docs/_build/linkcheck/{DEFAULT_CACHE_NAME}"
    cached = [step for step in steps("linkcheck.yml") if "actions/cache" in step.get("uses", "")]
    assert [step["with"]["path"] for step in cached] == ["${{ env.LINK_CACHE }}"] * 2
    assert cached[1]["if"] == "always()"
    # The Learning Centre keeps the cache at its default place, the link-check output folder.
    assert "prolo_linkcheck_cache" not in (ROOT / "docs" / "conf.py").read_text()


def test_release_publishes_with_trusted_publishing_only() -> None:
    release = workflow("release.yml")
    assert release[True] == {"push": {"tags": ["v*"]}}
    publish = release["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert "secrets" not in (ROOT / ".github/workflows/release.yml").read_text()
    build = " ".join(str(step.get("run", "")) for step in release["jobs"]["build"]["steps"])
    assert "python -m build" in build and "twine check --strict dist/*" in build


@pytest.fixture(scope="module")
def linkcheck_report() -> ModuleType:
    path = ROOT / ".github" / "scripts" / "linkcheck_report.py"
    spec = importlib.util.spec_from_file_location("linkcheck_report", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_issue_lists_broken_links_and_overdue_reviews(linkcheck_report: ModuleType) -> None:
    rows = [
        {"filename": "a.md", "lineno": 3, "status": "working", "uri": "https://ok.example/"},
        {"filename": "a.md", "lineno": 4, "status": "broken", "uri": "https://x.example/|y",
         "info": "404 Client Error <b>@team"},
        {"filename": "b.md", "lineno": 9, "status": "timeout", "uri": "https://slow.example/"},
        {"filename": "lc/c.md", "lineno": 7, "status": "broken", "uri": "review:lc/c",
         "info": "review overdue: the next review was due on 2026-01-01"},
    ]  # fmt: skip
    body = linkcheck_report.report(rows, "https://ci.example/run/1")
    assert "## Broken links (2)" in body and "## Overdue reviews (1)" in body
    assert "| a.md | 4 | https://x.example/\\|y | 404 Client Error \\<b\\>\\@team |" in body
    assert "| lc/c.md | 7 | review:lc/c | review overdue: the next review was due" in body
    assert "ok.example" not in body
    assert "https://ci.example/run/1" in body
    assert "## Overdue reviews (0)\n\nNone." in linkcheck_report.report(rows[:2])


def actionlint() -> str | None:
    found = shutil.which("actionlint") or Path(sys.executable).with_name("actionlint")
    return str(found) if Path(found).exists() else None


def test_actionlint_passes_on_every_workflow() -> None:
    program = actionlint()
    assert program is not None, "actionlint is missing: the test extra installs it"
    result = subprocess.run([program, *map(str, ALL_WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
