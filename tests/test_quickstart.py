"""``sphinx-prolo-quickstart``: the site it writes builds strictly and passes an offline link
check as written; it refuses to overwrite files and refuses unsafe option values; no option value
becomes code or markup; a run that cannot finish leaves nothing behind."""

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
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from sphinx_prolo import __version__
from sphinx_prolo.quickstart import main, markdown_text, settings_of, site_files

ROOT = Path(__file__).parent.parent
#: A name with everything that must not reach conf.py, Markdown or HTML unescaped.
AWKWARD_NAME = "Harbour <b>Physio</b> & \"Co\" *Learning* {Centre} [x](y) \\ 'q'"


def sphinx(
    site: Path, builder: str, cwd: Path | None = None, **environment: str
) -> subprocess.CompletedProcess[str]:
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
        cwd=cwd or site,
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
#: Where the guide's checkout of sphinx-prolo is.
CHECKOUT = "~/src/sphinx-prolo"


def guide_commands() -> list[list[str]]:
    """The commands of "Your first article in ten minutes", as the shell splits them, in the
    order of the page (the other ways to install sphinx-prolo included)."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"^ *```console\n(.*?)^ *```$", text, flags=re.DOTALL | re.MULTILINE)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    assert lines and all(line.startswith("$ ") for line in lines), lines
    return [shlex.split(line[2:]) for line in lines]


def pip_would_install(*arguments: str, cwd: Path) -> list[str]:
    """What ``pip install *arguments*`` installs ("name version"), asked of pip as a dry run
    without the network, dependencies or the packages already installed."""
    dry_run = ["--dry-run", "--quiet", "--report", "-", "--no-index", "--no-deps"]
    alone = ["--ignore-installed", "--no-build-isolation"]
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", *dry_run, *alone, *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["install"]
    return [f"{item['metadata']['name']} {item['metadata']['version']}" for item in report]


def test_the_first_article_guide_does_what_it_says(tmp_path: Path) -> None:
    """Follow "Your first article in ten minutes" as a clinic on a clean machine would, as far as
    a test can without the network: the folder and environment it makes, what each way it gives
    to install sphinx-prolo installs (from the package index, a checkout, a wheel), the
    quickstart it runs there, the make targets and files it names, and how CI finds the wheel."""
    from hatchling.builders.wheel import WheelBuilder
    from packaging.requirements import Requirement

    guide = GUIDE.read_text(encoding="utf-8")
    here = tmp_path / "work"
    here.mkdir()
    venv = ""
    installs: list[list[str]] = []
    for program, *arguments in guide_commands():
        if program == "mkdir":
            (here / arguments[0]).mkdir()
        elif program == "cd":
            here = here / arguments[0]
        elif program == "python3":
            assert arguments[:2] == ["-m", "venv"]
            venv = arguments[2]
            # (without pip, which the test does not use: quicker)
            subprocess.run(
                [sys.executable, "-m", "venv", "--without-pip", here / venv], check=True
            )
        elif program == f"{venv}/bin/python":
            assert arguments[:3] == ["-m", "pip", "install"]
            installs.append(arguments[3:])
        elif program == f"{venv}/bin/sphinx-prolo-quickstart":
            assert main([str(here / arguments[0]), *arguments[1:]]) == 0
        elif program == "cp":
            shutil.copy(here / arguments[0], here / arguments[1])
        else:
            assert program == "make"
            assert re.search(rf"^{arguments[0]}:", (here / "Makefile").read_text(), re.MULTILINE)
    site = here
    makefile = (site / "Makefile").read_text(encoding="utf-8")
    assert ast.literal_eval(
        re.search(r"^project = (.*)$", (site / "conf.py").read_text(), re.MULTILINE)[1]
    ) == ("Harbour Physiotherapy Learning Centre")

    # The environment the guide makes is the one `make html` uses, and what it installs there
    # satisfies the site's requirements, so `make html` downloads only the rest.
    assert re.search(r"^VENV \?= (.*)$", makefile, re.MULTILINE)[1] == venv
    assert (site / venv).is_dir()
    requirements = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ours = next(Requirement(line) for line in requirements if line.startswith("sphinx-prolo"))
    assert ours.specifier.contains(__version__)

    # Three ways to install it, each installing this version of sphinx-prolo: by name (once
    # released; this project's name), from a checkout, from the wheel `make dist` builds.
    assert installs == [["sphinx-prolo"], [CHECKOUT], [f"{CHECKOUT}/dist/sphinx_prolo-*.whl"]]
    assert 'name = "sphinx-prolo"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f"`pip install -e {CHECKOUT}`" in guide
    assert pip_would_install(str(ROOT), cwd=tmp_path) == [f"sphinx-prolo {__version__}"]
    project_makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^dist:.*\n(?:\t.*\n)*?\t.* --outdir dist ", project_makefile, re.MULTILINE)
    dist = tmp_path / "dist"
    next(WheelBuilder(str(ROOT)).build(directory=str(dist)))
    [wheel] = dist.glob(Path(installs[2][0]).name)
    assert pip_would_install(str(wheel), cwd=tmp_path) == [f"sphinx-prolo {__version__}"]

    # Publishing before the release: the wheel in wheels/ and the requirements line the guide
    # names, with "# " removed, let pip (as CI and Read the Docs run it) install it from there.
    assert "`--find-links wheels`" in guide and "# --find-links wheels" in requirements
    (site / "wheels").mkdir()
    shutil.copy(wheel, site / "wheels")
    published = [line.removeprefix("# ") for line in requirements if "find-links" in line]
    (site / "published.txt").write_text("\n".join([*published, str(ours)]) + "\n")
    installed = pip_would_install("-r", str(site / "published.txt"), cwd=tmp_path)
    assert installed == [f"sphinx-prolo {__version__}"]
    (site / "published.txt").unlink()
    shutil.rmtree(site / "wheels")
    shutil.rmtree(site / venv)

    # Every file the guide names is one the quickstart wrote (or the copy the guide makes).
    named = set(re.findall(r"`((?:[\w.-]+/)*[\w.-]*\.(?:md|py|yaml|yml|txt)|Makefile)`", guide))
    assert named
    assert sorted(name for name in named if not (site / name).is_file()) == []
    assert set(written(site)) - named == {".gitignore", "articles/heat-and-cold-packs.md"}


# --- hostile option values: markers filled once, nothing becomes code -------------------------

#: A Terms URL that, pasted unquoted into conf.py, runs a shell command (no space, no "&").
CRAFTED_TERMS = "https://x.example/'+str(__import__('os').system('touch${IFS}PWNED'))+'"
HOSTILE_NAMES = [
    "@@TERMS@@",
    "Clinic @@TERMS@@",
    "A @@OPTIONAL@@",
    "@@TODAY@@ clinic",
    "@@PROJECT@@ @@NAME_MD@@ @@YEAR@@ @@LANGUAGE@@ @@VERSION@@ @@NOSUCHKEY@@",
    "Quotes \"\"\" and ''' and \\",
    "Braces {project} %(name)s %s $HOME ${IFS} `id`",
    "Clínica Ōsaka 診療所 🦴 «Centre»",
    "ends in a backslash \\",
]


def conf_values(site: Path) -> tuple[ast.Module, dict[str, ast.expr]]:
    conf = ast.parse((site / "conf.py").read_text(encoding="utf-8"))
    values = {
        node.targets[0].id: node.value
        for node in conf.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    return conf, values


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_name_becomes_code_or_markup_and_each_shows_as_written(
    tmp_path: Path, name: str
) -> None:
    site = tmp_path / "site"
    assert main([str(site), "--name", name, "--terms-url", CRAFTED_TERMS]) == 0
    conf, values = conf_values(site)  # a SyntaxError here is the bug
    # The only call in conf.py is the template's own: every option value is a literal.
    calls = [ast.unparse(node) for node in ast.walk(conf) if isinstance(node, ast.Call)]
    assert calls == ["escape(project)"]
    assert ast.literal_eval(values["project"]) == name.strip()
    assert ast.literal_eval(values["prolo_terms_url"]) == CRAFTED_TERMS
    article = (site / "articles" / "staying-active.md").read_text(encoding="utf-8")
    assert f"reviewed: {dt.date.today().isoformat()}\n" in article
    result = sphinx(site, "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.rglob("PWNED"))
    index = BeautifulSoup((site / "_build" / "html" / "index.html").read_bytes(), "html.parser")
    heading = index.h1.get_text().removesuffix("¶").replace("\u201c", '"').replace("\u201d", '"')
    assert heading.replace("\u2018", "'").replace("\u2019", "'") == name.strip()
    assert index.title is not None and index.title.get_text() == name.strip()


# --- the Terms link: the one given, wherever the site links the Terms -------------------------

#: Every ASCII character Markdown or conf.py could read as syntax that a Terms URL may hold.
AWKWARD_TERMS = "https://clinic.example/t(e)r<m>s`*_[x]{y}\\'\"%41$~é?q=1#top"


def link_to_terms(page: Path, within: str) -> str:
    """The address of the link to the Terms in the *within* part of *page*."""
    part = BeautifulSoup(page.read_bytes(), "html.parser").select_one(within)
    assert part is not None, within
    link = part.find("a", string=re.compile("terms of use", re.IGNORECASE))
    assert link is not None, part
    return str(link["href"])


@pytest.mark.parametrize(
    ("terms", "page", "from_article", "from_about"),
    [
        ("terms", "terms.md", "../terms.html", "terms.html"),
        (
            "/policies/terms.md",
            "policies/terms.md",
            "../policies/terms.html",
            "policies/terms.html",
        ),
        ("https://clinic.example/legal/terms", None, None, None),
        (AWKWARD_TERMS, None, None, None),
    ],
)
def test_the_terms_link_is_the_one_given_everywhere(
    tmp_path: Path, terms: str, page: str | None, from_article: str | None, from_about: str | None
) -> None:
    site = tmp_path / "site"
    assert main([str(site), "--terms-url", terms]) == 0
    pages = [name for name in written(site) if name.endswith(".md")]
    if page is None:  # the Terms are elsewhere: no Terms page of our own in the site
        assert pages == [
            "_notices/disclaimer.md",
            "_notices/please-note.md",
            "about.md",
            "articles/staying-active.md",
            "index.md",
        ]
        from_article = from_about = terms
    else:
        assert page in pages and "terms.md" not in set(pages) - {page}
    result = sphinx(site, "html")
    assert result.returncode == 0, result.stderr
    out = site / "_build" / "html"
    article = out / "articles" / "staying-active.html"
    about = out / "about.html"
    found = [link_to_terms(article, ".prolo-disclaimer"), link_to_terms(about, "article")]
    if page is None:
        # A URL is written as given (a browser reads %-escapes as the characters they stand for).
        found = [unquote(href) for href in found]
        assert found == [unquote(terms)] * 2
        assert not (out / "terms.html").exists()
    else:
        assert found == [from_article, from_about]


@pytest.mark.parametrize(
    "terms",
    ["index", "about.md", "articles/terms", "_notices/terms", "search", "genindex", "README"],
)
def test_a_terms_page_that_would_clash_with_another_page_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], terms: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([str(tmp_path / "site"), "--terms-url", terms])
    assert stopped.value.code == 2
    assert "--terms-url" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


# --- a quickstart that cannot finish leaves nothing behind -------------------------------------


def error_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.splitlines()


@pytest.mark.parametrize("where", [".github", "articles", "."])
def test_a_file_where_a_folder_must_be_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    site = tmp_path / "site"
    site.parent.mkdir(exist_ok=True)
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    (site / where).write_text("mine\n")
    before = written(tmp_path)
    assert main([str(site)]) == 1
    [line] = error_lines(capsys)
    assert line == (
        f"sphinx-prolo-quickstart: nothing was written: {(site / where).resolve()} is a file, "
        "not a folder"
    )
    assert written(tmp_path) == before
    # Once the file is out of the way, the same command writes the site.
    (site / where).unlink()
    assert main([str(site)]) == 0


def test_a_site_inside_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    assert main([str(tmp_path / "notes.txt" / "site")]) == 1
    [line] = error_lines(capsys)
    assert line.startswith("sphinx-prolo-quickstart: nothing was written: ")
    assert f"{tmp_path / 'notes.txt'} is a file, not a folder" in line
    assert written(tmp_path) == ["notes.txt"]


def test_a_folder_where_a_file_must_be_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "conf.py").mkdir()
    (tmp_path / "index.md").symlink_to(tmp_path / "nowhere.md")  # a broken link is there, too
    assert main([str(tmp_path)]) == 1
    [line] = error_lines(capsys)
    assert f"{tmp_path / 'conf.py'} exists already" in line
    assert f"{tmp_path / 'index.md'} exists already" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conf.py", "index.md"]


def test_a_path_too_long_for_the_file_system_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    terms = "t" * 300 + "/terms"
    assert main([str(tmp_path / "site"), "--terms-url", terms]) == 1
    [line] = error_lines(capsys)
    assert line.startswith("sphinx-prolo-quickstart: nothing was written: cannot write ")
    assert "Traceback" not in line and "t" * 300 in line
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("existing", [False, True])
def test_a_write_that_fails_midway_removes_what_it_wrote(tmp_path: Path, existing: bool) -> None:
    """A real failure part way: the process may write no file larger than the site's largest,
    so every file before that one is written, then the write fails (EFBIG)."""
    site = tmp_path / "site"
    if existing:
        (site / "articles").mkdir(parents=True)
        (site / "articles" / "mine.md").write_text("mine\n")
    files = site_files(settings_of([str(site)]))
    sizes = [len(text.encode("utf-8")) for text in files.values()]
    largest = sizes.index(max(sizes))
    assert largest > 0, "the largest file must not be the first one written"
    limit = max(sizes) - 1
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from sphinx_prolo.quickstart import main\n"
        f"sys.exit(main([{str(site)!r}]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()
    failed = site / list(files)[largest]
    assert line.startswith(
        f"sphinx-prolo-quickstart: nothing was written: cannot write {failed}: "
    )
    assert written(tmp_path) == (["site/articles/mine.md"] if existing else [])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == (
        ["site", "site/articles", "site/articles/mine.md"] if existing else []
    )


def test_the_configuration_reads_the_notices_colon_fences(site: Path) -> None:
    """The README's `:::{disclaimer}` needs MyST's colon_fence: the site turns it on."""
    _, values = conf_values(site)
    assert "colon_fence" in ast.literal_eval(values["myst_enable_extensions"])
