"""``sphinx-prolo-quickstart``: the site it writes builds strictly and passes an offline link
check as written; it refuses to overwrite files and refuses unsafe option values."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinx_prolo.quickstart import main, markdown_text

ROOT = Path(__file__).parent.parent
#: A name with everything that must not reach conf.py, Markdown or HTML unescaped.
AWKWARD_NAME = "Harbour <b>Physio</b> & \"Co\" *Learning* {Centre} [x](y) \\ 'q'"


def sphinx(site: Path, builder: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """A strict build of *site* in a fresh process, with this checkout's sphinx_prolo."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **environment}
    strict = ["-n", "-W", "--keep-going", "-q"]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            builder,
            *strict,
            str(site),
            str(site / "_build" / builder),
        ],
        env=env,
        capture_output=True,
        text=True,
    )


def written(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quickstart") / "centre"
    assert main([str(folder), "--name", AWKWARD_NAME, "--base-url", "https://c.example/lc"]) == 0
    return folder


def test_the_site_has_every_file_a_clinic_needs(site: Path) -> None:
    assert written(site) == [
        ".github/workflows/docs.yml",
        ".gitignore",
        ".readthedocs.yaml",
        "Makefile",
        "_notices/disclaimer.md",
        "_notices/please-note.md",
        "about.md",
        "articles/staying-active.md",
        "conf.py",
        "index.md",
        "requirements.txt",
        "terms.md",
    ]
    conf = ast.parse((site / "conf.py").read_text(encoding="utf-8"))
    values = {
        node.targets[0].id: node.value
        for node in conf.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert ast.literal_eval(values["project"]) == AWKWARD_NAME
    assert ast.literal_eval(values["html_baseurl"]) == "https://c.example/lc/"
    assert "\t$(BIN)/python -m sphinx -b html $(SPHINXOPTS)" in (site / "Makefile").read_text()
    # The review date is the day the site was written, so the site builds strictly for years.
    article = (site / "articles" / "staying-active.md").read_text(encoding="utf-8")
    assert f"reviewed: {dt.date.today().isoformat()}\n" in article


def test_the_site_builds_strictly_with_both_notices_and_the_catalog(site: Path) -> None:
    result = sphinx(site, "html")
    assert result.returncode == 0, result.stderr
    out = site / "_build" / "html"
    article = BeautifulSoup((out / "articles" / "staying-active.html").read_bytes(), "html.parser")
    text = " ".join(article.get_text().split())
    assert "This article gives general information only." in text  # _notices/disclaimer.md
    assert "Please note: research on this topic is still growing" in text  # please-note.md
    assert article.find("a", href="../terms.html", string="terms of use")
    index = BeautifulSoup((out / "index.html").read_bytes(), "html.parser")
    catalog = index.select_one(".prolo-catalog")
    assert catalog is not None
    assert "Getting started" in catalog.get_text()
    assert catalog.find("a", href="articles/staying-active.html")
    # The awkward name reaches every page as text: heading, window title, the theme's brand.
    assert (
        " ".join(index.h1.get_text().split())
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2018", "'")
        .replace("\u2019", "'")
        .startswith(AWKWARD_NAME)
    )
    assert index.title is not None and index.title.get_text() == AWKWARD_NAME
    assert index.select_one(".sidebar-brand-text").get_text() == AWKWARD_NAME
    assert index.find("b") is None


def test_the_site_passes_an_offline_link_check(site: Path) -> None:
    result = sphinx(site, "linkcheck", PROLO_LINKCHECK_OFFLINE="1")
    assert result.returncode == 0, result.stderr
    rows = [
        json.loads(line)
        for line in (site / "_build" / "linkcheck" / "output.json").read_text().splitlines()
    ]
    assert rows and all(row["status"] in {"working", "unchecked"} for row in rows), rows


def test_existing_files_are_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "conf.py").write_text("# mine\n")
    (tmp_path / "_notices").mkdir()
    (tmp_path / "_notices" / "disclaimer.md").write_text("mine\n")
    assert main([str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert str(tmp_path / "conf.py") in error
    assert str(tmp_path / "_notices" / "disclaimer.md") in error
    assert "index.md" not in error
    assert written(tmp_path) == ["_notices/disclaimer.md", "conf.py"]
    assert (tmp_path / "conf.py").read_text() == "# mine\n"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--name", "Two\nlines"),
        ("--name", "   "),
        ("--name", "x" * 121),
        ("--language", "en; import os"),
        ("--language", "../fr"),
        ("--language", "English"),
        ("--terms-url", "javascript:alert(1)"),
        ("--terms-url", "JaVaScRiPt:alert(1)"),
        ("--terms-url", "../../etc/passwd"),
        ("--terms-url", "data:text/html,x"),
        ("--base-url", "javascript:alert(1)"),
        ("--base-url", "https://c.example/\"onload='x'"),
        ("--base-url", "ftp://c.example/"),
        ("--feedback-url", "javascript:alert(1)"),
    ],
)
def test_unsafe_values_are_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([str(tmp_path / "site"), option, value])
    assert stopped.value.code == 2
    assert option in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_accepted_values_reach_the_configuration(tmp_path: Path) -> None:
    options = ["--language", "pt_BR", "--terms-url", "https://clinic.example/terms"]
    options += ["--feedback-url", "mailto:lc@clinic.example"]
    assert main([str(tmp_path), *options]) == 0
    conf = (tmp_path / "conf.py").read_text(encoding="utf-8")
    assert "language = 'pt_BR'\n" in conf
    assert "prolo_terms_url = 'https://clinic.example/terms'\n" in conf
    assert "prolo_feedback_url = 'mailto:lc@clinic.example'\n" in conf
    assert "html_baseurl" not in conf


def test_markdown_text_escapes_every_punctuation_character() -> None:
    assert markdown_text("a*b_[c](d)<e>{f}") == "a\\*b\\_\\[c\\]\\(d\\)\\<e\\>\\{f\\}"


def test_the_console_script_is_declared() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'sphinx-prolo-quickstart = "sphinx_prolo.quickstart:main"' in pyproject


GUIDE = ROOT / "docs" / "handbook" / "writing-guide" / "first-article.md"


def guide_commands() -> list[list[str]]:
    """The commands of "Your first article in ten minutes", as the shell splits them."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL)
    return [shlex.split(line[2:]) for block in blocks for line in block.splitlines()]


def test_the_first_article_guide_does_what_it_says(tmp_path: Path) -> None:
    commands = guide_commands()
    assert commands[0][:4] == ["python3", "-m", "pip", "install"]
    assert commands[0][4] == "sphinx-prolo"
    here = tmp_path
    for command in commands[1:]:
        if command[0] == "sphinx-prolo-quickstart":
            assert main([str(here / command[1]), *command[2:]]) == 0
        elif command[0] == "cd":
            here = here / command[1]
        elif command[0] == "cp":
            shutil.copy(here / command[1], here / command[2])
        else:
            assert command[0] == "make"
            assert re.search(rf"^{command[1]}:", (here / "Makefile").read_text(), re.MULTILINE)
    assert ast.literal_eval(
        re.search(r"^project = (.*)$", (here / "conf.py").read_text(), re.MULTILINE)[1]
    ) == ("Harbour Physiotherapy Learning Centre")
    # Every file the guide names is one the quickstart wrote (or the copy the guide makes).
    named = set(re.findall(r"`((?:[\w.-]+/)*[\w.-]*\.(?:md|py|yaml|yml|txt)|Makefile)`",
                           GUIDE.read_text(encoding="utf-8")))  # fmt: skip
    assert named
    assert sorted(name for name in named if not (here / name).is_file()) == []
    assert set(written(here)) - named == {".gitignore", "articles/heat-and-cold-packs.md"}
