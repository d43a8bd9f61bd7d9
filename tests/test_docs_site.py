"""The Learning Centre in docs/ builds cleanly and carries what every article must carry; the
writers' handbook in docs/handbook/ is a site of its own, absent from the patients' one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import DOCS, HANDBOOK, html_pages, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from bs4 import BeautifulSoup
    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects


def articles() -> list[str]:
    return sorted(path.stem for path in (DOCS / "learning-centre").glob("*.md"))


def conditions() -> list[str]:
    return sorted(path.stem for path in (DOCS / "conditions").glob("*.md"))


def test_docs_build_strictly_without_warnings(project: Projects) -> None:
    app = docs_app(project)
    app.build()
    assert warnings_of(app) == []
    assert len(articles()) >= 6
    for name in articles():
        page = soup(app.outdir / "learning-centre" / f"{name}.html")
        check_article(page, name)
    assert len(conditions()) >= 8
    for name in conditions():
        page = soup(app.outdir / "conditions" / f"{name}.html")
        labelled = [
            item
            for item in page.select("div.prolo-treatments li")
            if item.select("span[class^=prolo-evidence-]")
        ]
        assert len(labelled) >= 2, name
    landing = soup(app.outdir / "index.html")
    # The conditions A to Z first, then the treatments by topic: a card for every page.
    cards = landing.select("div.prolo-catalog div.sd-card")
    assert len(cards) == len(conditions()) + len(articles())
    linked = {a["href"] for a in landing.select("div.prolo-catalog a")}
    assert {f"conditions/{name}.html" for name in conditions()} <= linked
    categories = [h.get_text() for h in landing.select("div.prolo-catalog h2")]
    assert len(categories) >= 2


def docs_app(project: Projects, builder: str = "html") -> SphinxTestApp:
    """An app for a copy of docs/ (without its build), nitpicky like the CI build."""
    project.copy_of(DOCS, "docs")
    return project("docs", builder, name="docs", confoverrides={"nitpicky": True})


def check_article(page: BeautifulSoup, name: str) -> None:
    body = page.select_one("article") or page
    assert len(body.select("div.prolo-disclaimer")) == 1, name
    assert len(body.select("div.prolo-please-note")) == 1, name
    assert body.select("a.prolo-therapy"), name
    assert body.select_one("div.prolo-review"), name


def test_prolotherapy_article_covers_what_design_asks(project: Projects) -> None:
    app = docs_app(project)
    app.build()
    page = soup(app.outdir / "learning-centre/prolotherapy.html")
    text = " ".join(page.select_one("article").get_text().split()).lower()
    for phrase in (
        "injection",
        "ligaments",
        "tendons",
        "three",
        "dextrose",
        "sugar solution",
        "saline",
        "blood supply",
        "heal slowly",
        "scar tissue",
        "stable",
        "not usually one of the first treatments",
        "risks and benefits",
    ):
        assert phrase in text, phrase
    links = [(a.get_text(), a["href"]) for a in page.select("article a.prolo-therapy")]
    assert ("Platelet-rich plasma (PRP) injections", "prp-injections.html") in links


def test_offline_linkcheck_of_the_docs_passes(
    project: Projects, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROLO_LINKCHECK_OFFLINE", "1")
    # On the day of the latest review: a link check fails once a review is overdue (see
    # test_linkcheck), and this test must pass on any date.
    project.copy_of(DOCS, "docs")
    latest = max(front_matter(name)["reviewed"] for name in articles())
    app = project(
        "docs", "linkcheck", name="docs", confoverrides={"nitpicky": True, "today": latest}
    )
    app.build()
    assert app.statuscode == 0
    report = [
        json.loads(line)
        for line in (app.outdir / "output.json").read_text(encoding="utf-8").splitlines()
    ]
    therapy = [row for row in report if row["uri"].startswith("therapy:")]
    assert len(therapy) >= 3 * len(articles())
    assert {row["status"] for row in therapy} == {"working"}
    assert all(row["lineno"] > 0 for row in therapy)
    assert {row["status"] for row in report} <= {"working", "unchecked"}


def front_matter(stem: str) -> dict[str, str]:
    lines = (DOCS / "learning-centre" / f"{stem}.md").read_text(encoding="utf-8").splitlines()
    end = lines.index("---", 1)
    return dict(line.split(": ", 1) for line in lines[1:end] if ": " in line)


def test_hosting_files_sitemap_meta_tags_and_json_ld(project: Projects) -> None:
    app = docs_app(project)
    app.build()
    sitemap = (app.outdir / "sitemap.xml").read_text(encoding="utf-8")
    for name in articles():
        assert f"https://learning-centre.example/learning-centre/{name}.html" in sitemap
        page = soup(app.outdir / "learning-centre" / f"{name}.html")
        meta = front_matter(name)
        assert page.find("meta", attrs={"name": "description"})["content"] == meta["summary"]
        assert page.find("meta", property="og:description")["content"] == meta["summary"]
        assert page.find("meta", property="og:title")["content"]
        scripts = page.find_all("script", type="application/ld+json")
        assert len(scripts) == 1, name
        data = json.loads(scripts[0].string)
        assert data["@type"] == "MedicalWebPage"
        assert data["lastReviewed"] == meta["reviewed"]
        assert data["description"] == meta["summary"]
        assert data["url"] == f"https://learning-centre.example/learning-centre/{name}.html"
    # Pages that are not articles get no medical page description.
    assert soup(app.outdir / "terms.html").find("script", type="application/ld+json") is None
    for config in (DOCS.parent / ".readthedocs.yaml", HANDBOOK / ".readthedocs.yaml"):
        assert config.read_text(encoding="utf-8").count("fail_on_warning: true") == 1


#: The patients' site: the landing page, About, Terms, the articles; nothing else.
PATIENT_PAGES = {"index", "about", "reviewers", "terms", "search", "genindex", "404"}
#: Pages of the build that are no documents: not in the search index or the page sources.
GENERATED = {"search", "genindex", "404"}


def test_the_patients_site_has_no_page_for_writers(project: Projects) -> None:
    app = docs_app(project)
    app.build()
    assert warnings_of(app) == []
    expected = (
        {f"learning-centre/{name}" for name in articles()}
        | {f"conditions/{name}" for name in conditions()}
        | PATIENT_PAGES
    )
    pages = {page.removesuffix(".html") for page in html_pages(app.outdir)}
    assert pages == expected
    # Not in the search index, the sitemap or the page sources either.
    index = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    # Search.setIndex({...}): the argument is JSON in every Sphinx version we support.
    docnames = json.loads(index[index.index("(") + 1 : index.rindex(")")])["docnames"]
    assert set(docnames) == expected - GENERATED
    sitemap = (app.outdir / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>https://learning-centre\.example/([^<]*)\.html</loc>", sitemap))
    assert listed == expected - GENERATED
    # A patient has no use for Markdown with front matter, nor for the editors' report.
    assert not any(path.is_file() for path in (app.outdir / "_sources").rglob("*"))
    assert not (app.outdir / "content-report.json").exists()
    assert (app.outdir.parent / "content-report.json").is_file()
    # ... nor in any page's navigation.
    for page in expected:
        text = soup(app.outdir / f"{page}.html").get_text()
        for writers in ("For writers", "Writing guide", "Performance", "handbook"):
            assert writers not in text, (page, writers)


def test_the_handbook_builds_strictly_and_links_to_the_live_articles(
    project: Projects, monkeypatch: pytest.MonkeyPatch
) -> None:
    patients = docs_app(project)
    patients.build()
    # The handbook reads the Learning Centre's inventory from its build, as `make handbook` does.
    monkeypatch.setenv("PROLO_LEARNING_CENTRE_INVENTORY", str(patients.outdir / "objects.inv"))
    shutil.copy(DOCS.parent / "CHANGELOG.md", patients.srcdir.parent / "CHANGELOG.md")
    app = project("docs", name="docs/handbook", confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    pages = set(html_pages(app.outdir))
    for page in (
        "index.html",
        "writing-guide/index.html",
        "writing-guide/articles.html",
        "reference/index.html",
        "performance.html",
        "changelog.html",
    ):
        assert page in pages, page
    assert not any(page.startswith("learning-centre/") for page in pages)
    # The examples' therapy references lead to the Learning Centre's live articles (through
    # intersphinx: no therapy link is left unresolved, none points inside the handbook).
    guide = soup(app.outdir / "writing-guide/cross-references.html")
    live = "https://learning-centre.example/learning-centre/prp-injections.html"
    assert [a["href"] for a in guide.select("article a.reference") if "prp" in a["href"]] == [
        live,
        live,
    ]
    # The content report: a row per article of the Learning Centre, linked to the live page.
    report = soup(app.outdir / "content-report.html")
    rows = report.select("table.prolo-report tbody tr")
    assert len(rows) == len(articles()) + len(conditions())
    hrefs = sorted(row.find("a")["href"] for row in rows)
    site = live.rsplit("/", 2)[0]
    assert hrefs == sorted(
        [f"{site}/learning-centre/{name}.html" for name in articles()]
        + [f"{site}/conditions/{name}.html" for name in conditions()]
    )
    changelog = soup(app.outdir / "changelog.html")
    assert "## Unreleased" not in changelog.get_text()  # the Markdown was read, not shown
    assert "Unreleased" in [h.get_text().strip("¶ ") for h in changelog.find_all("h2")]
    # Every page of the handbook's source is built.
    sources = {
        path.relative_to(HANDBOOK).with_suffix(".html").as_posix()
        for path in HANDBOOK.rglob("*.md")
        if not path.relative_to(HANDBOOK).parts[0].startswith("_")
    }
    assert sources <= pages


def test_a_quiet_build_of_the_learning_centre_prints_nothing(tmp_path: Path) -> None:
    # Twice: a fresh build, then a rebuild with nothing changed.  sphinxext-opengraph used to
    # print a line about matplotlib on every build (social cards are off on this site).
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "dummy", "-d", str(tmp_path / "d")]
    command += [str(DOCS), str(tmp_path / "out")]
    for build in ("fresh", "rebuild"):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert (result.stdout, result.stderr) == ("", ""), build


GUIDE = HANDBOOK / "writing-guide" / "articles.md"
WALKTHROUGH = HANDBOOK / "_examples" / "walkthrough" / "heat-and-cold-packs.md"


def guide_block(name: str) -> str:
    """The text of the guide's code block called *name*."""
    match = re.search(
        r"^```\{code-block\} \w+\n:name: " + re.escape(name) + r"\n\n(.*?)\n```$",
        GUIDE.read_text(encoding="utf-8"),
        re.DOTALL | re.MULTILINE,
    )
    assert match is not None, f"no code block {name!r} in {GUIDE}"
    return match.group(1)


def test_the_guides_walkthrough_does_what_it_says(tmp_path: Path) -> None:
    """Follow "Adding an article, step by step" as a writer would, in a site written by
    ``sphinx-prolo-quickstart``: the file at the path the guide names, the command its Makefile
    runs for `make html`, the page where the guide says, the warning it quotes."""
    from sphinx_prolo.quickstart import main as quickstart

    guide = GUIDE.read_text(encoding="utf-8")
    site = tmp_path / "site"
    assert quickstart([str(site)]) == 0
    slug = WALKTHROUGH.stem
    article = f"articles/{slug}.md"
    assert f"`{article}`" in guide and "`articles/<slug>.md`" in guide
    # The quickstart's example article, which the walkthrough's article links to.
    assert "`staying-active`" in guide and (site / "articles" / "staying-active.md").is_file()
    # This project's own Learning Centre, as the guide describes it.
    assert "`docs/learning-centre/`" in guide and (DOCS / "learning-centre").is_dir()
    # The command behind `make html` in the site's folder, with this test run's own environment.
    assert "Build** with `make html`, run in the site's folder" in guide
    venv = Path(sys.executable).parent.parent
    dry_run = subprocess.run(
        ["make", "-n", "html", f"VENV={venv}"],
        cwd=site,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = next(line for line in dry_run.splitlines() if " -m sphinx " in line).split()

    # The words the writer reads, without the colours a terminal (or a CI log) may add.
    plain = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "FORCE_COLOUR")}
    plain["NO_COLOR"] = "1"

    # The article as shown: a strict build passes, and the page is where the guide says.
    text = WALKTHROUGH.read_text(encoding="utf-8")
    (site / article).write_text(text, encoding="utf-8")
    result = subprocess.run(
        command, cwd=site, env=plain, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    page_path = f"_build/html/articles/{slug}.html"
    assert "`_build/html/articles/<slug>.html`" in guide
    page = soup(site / page_path)
    assert (
        len(page.select("div.prolo-disclaimer")) == len(page.select("div.prolo-please-note")) == 1
    )
    assert page.select_one("a.prolo-therapy")["href"] == "staying-active.html"
    # No notice is written in the article: the house style the guide states.
    assert "{disclaimer}" not in text and "{please-note}" not in text

    # The mistake the guide describes, and the warning it quotes, word for word.
    quoted = guide_block("walkthrough-warning")
    typo, meant = re.search(
        r"unknown therapy article '(.+?)'; did you mean '(.+?)'", quoted
    ).groups()
    assert f"{{therapy}}`{typo}`" in guide
    mistyped = text.replace(f"{{therapy}}`{meant}`", f"{{therapy}}`{typo}`")
    assert mistyped != text
    (site / article).write_text(mistyped, encoding="utf-8")
    touch_later(site / article)  # newer than the last build's reading, whatever the clock
    result = subprocess.run(
        command, cwd=site, env=plain, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    printed = [line.replace(str(site), "…") for line in result.stderr.splitlines()]
    assert printed == [quoted]


def test_the_guides_live_preview_address_is_the_makefiles() -> None:
    """`make livehtml` serves the address the guide gives, in a quickstart site and in this
    project's own Learning Centre alike."""
    guide = GUIDE.read_text(encoding="utf-8")
    quickstart = DOCS.parent / "sphinx_prolo" / "quickstart_files" / "Makefile"
    for makefile in (quickstart, DOCS.parent / "Makefile"):
        text = makefile.read_text(encoding="utf-8")
        recipe = re.search(r"^livehtml:.*\n\t(.*)$", text, re.MULTILINE).group(1)
        host = re.search(r"--host (\S+)", recipe).group(1)
        port = re.search(r"--port (\d+)", recipe).group(1)
        assert f"<http://{host}:{port}>" in guide, makefile
    assert "`make livehtml`" in guide and "Ctrl+C" in guide


def test_no_link_in_running_text_shows_a_full_title_where_a_short_one_exists(
    project: Projects,
) -> None:
    app = docs_app(project)
    app.build()
    articles_data = app.env.domaindata["prolo"]["articles"]
    full_titles = {
        article["title"] for article in articles_data.values() if article["short_title"]
    }
    assert len(full_titles) == len(articles()), "every article has a short title"
    checked = 0
    for name in articles():
        page = soup(app.outdir / "learning-centre" / f"{name}.html")
        for link in page.select("article a.prolo-therapy"):
            if link.find_parent(class_=["prolo-related", "prolo-catalog"]):
                continue  # lists keep the full title
            assert link.get_text() not in full_titles, (name, link.get_text())
            checked += 1
        assert page.select_one("div.prolo-seek-help") is not None, name
        assert page.select_one("div.prolo-seek-help-urgent") is not None, name
    assert checked >= 10


ENGLISH_WORDS = (
    "Disclaimer",
    "Please note",
    "Related articles",
    "Page last reviewed",
    "Next review due",
    "Written by",
    "Was this page helpful",
    "Get advice from your clinic",
    "Get medical help today",
    "Call 911",
    "Learning Centre",
    "the clinic's",
)


def test_the_french_learning_centre_builds_strictly_in_french(
    project: Projects, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `make html-fr` (and Read the Docs' French project) builds it.
    monkeypatch.setenv("READTHEDOCS_LANGUAGE", "fr")
    project.copy_of(DOCS, "docs-fr")
    app = project("docs-fr", name="docs-fr", confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    english_titles = {}
    for name in articles():
        english_titles[name] = (
            (DOCS / "learning-centre" / f"{name}.md")
            .read_text(encoding="utf-8")
            .split("\n# ", 1)[1]
            .split("\n", 1)[0]
        )
    for name in articles():
        page = soup(app.outdir / "learning-centre" / f"{name}.html")
        assert page.find("html")["lang"] == "fr", name
        check_article(page, name)
        body = page.select_one("article")
        title = body.select_one("h1").get_text().rstrip("¶# ")
        assert title != english_titles[name], name
        text = " ".join(body.get_text().split())
        for words in ENGLISH_WORDS:
            assert words not in text, (name, words)
        assert "Page révisée pour la dernière fois par" in text, name
        assert "Prochaine révision prévue le" in text, name
        alternates = {
            link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate")
        }
        assert alternates["en"] == f"https://learning-centre.example/learning-centre/{name}.html"
        assert alternates["fr"].startswith("https://learning-centre.example/fr/")
        for link in body.select("a.prolo-therapy"):
            assert link.get_text() not in english_titles.values(), (name, link.get_text())


#: Strings that are the same in English and French: names, numbers and words both languages
#: share. Reviewed: each is a name or a word a French reader reads as French.
SAME_IN_BOTH = {
    "Sphinx",
    "Furo",
    "@pradyunsg",
    "English",
    "Français",
    "Menu",
    "PRP",
    "911",
    "Info-Santé 811",
    "Navigation",
    "Index",
    "Source",
    "Sources",
    "Distance",
    "Massage",
    "Conditions",
    "Questions",
    "Option",
    "Options",
    "Rotation",
    "Stress",
    "Important",
    "Note",
    "Date",
    "Article",
    "Articles",
    "Description",
    "Versions",
    "Version",
    "(source",
    "(sources",
}
#: The attributes a reader hears or sees, as well as the text.
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def read_strings(path: Path) -> set[str]:
    """Every string a reader of the page at *path* meets: its text nodes and read attributes,
    without scripts, styles, code and the citations of sources (titles of works, as found)."""
    page = soup(path)
    for hidden in page.select("script, style, pre, code, div.prolo-sources li"):
        hidden.decompose()
    strings = set()
    for element in [page.find("title"), page.find("body")]:
        if element is None:
            continue
        strings |= {" ".join(text.split()) for text in element.find_all(string=True)}
        for tag in [element, *element.find_all(True)]:
            strings |= {" ".join(str(tag.get(name, "")).split()) for name in READ_ATTRIBUTES}
    return {
        text
        for text in strings
        if re.search(r"[A-Za-z]{2}", text)
        and not re.fullmatch(r"https?://\S+|[\w.-]+@[\w.-]+", text)
    }


def test_no_french_page_says_what_its_english_page_says(
    project: Projects, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every string of every French page (text, aria-label, title, alt, placeholder) differs
    from its English counterpart's, but for names and words the two languages share."""
    english = docs_app(project)
    english.build()
    monkeypatch.setenv("READTHEDOCS_LANGUAGE", "fr")
    project.copy_of(DOCS, "docs-fr-strings")
    french = project("docs-fr-strings", name="docs-fr-strings")
    french.build()
    assert warnings_of(french) == []
    left: dict[str, list[str]] = {}
    pages = sorted(html_pages(english.outdir))
    assert len(pages) > 10
    for page in pages:
        counterpart = french.outdir / page
        assert counterpart.is_file(), page
        same = read_strings(english.outdir / page) & read_strings(counterpart)
        if same - SAME_IN_BOTH:
            left[page] = sorted(same - SAME_IN_BOTH)
    assert left == {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_article_is_sourced_graded_and_says_whom_to_call(
    project: Projects, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """Issue 25's bar, in both languages: sources linked and in the JSON-LD, evidence entries
    that link a source, an emergency box with the number to call, a review line linking the
    reviewers page; manual therapy's and the steroid article's safety facts."""
    monkeypatch.setenv("READTHEDOCS_LANGUAGE", language)
    name = f"docs-bar-{language}"
    project.copy_of(DOCS, name)
    app = project(name, name=name)
    app.build()
    assert warnings_of(app) == []
    for article in articles():
        page = soup(app.outdir / "learning-centre" / f"{article}.html")
        links = page.select("div.prolo-sources li a[href^='http']")
        assert len(links) >= 2, article
        data = json.loads(page.select_one('script[type="application/ld+json"]').string)
        cited = {item.get("url") for item in data["citation"]}
        assert {a["href"] for a in links} - {
            a["href"] for a in links if "doi.org" in a["href"]
        } <= cited
        entries = page.select("div.prolo-evidence li")
        assert entries, article
        for entry in entries:
            assert entry.select("a[href^='#prolo-source-']"), (article, entry.get_text())
        emergency = page.select_one("div.prolo-seek-help-emergency p.admonition-title")
        assert emergency is not None and "911" in emergency.get_text(), article
        review = page.select_one("div.prolo-review a")
        assert review is not None and review["href"] == "../reviewers.html", article
    manual = soup(app.outdir / "learning-centre/manual-therapy.html")
    emergency_text = manual.select_one("div.prolo-seek-help-emergency").get_text().lower()
    assert ("sudden, severe headache" if language == "en" else "mal de tête soudain") in (
        emergency_text
    )
    steroid = soup(app.outdir / "learning-centre/corticosteroid-injections.html")
    text = " ".join(steroid.select_one("article").get_text().split()).lower()
    for words in (
        ("blood sugar", "period", "how often")
        if language == "en"
        else ("glycémie", "règles", "fréquence")
    ):
        assert words in text, words
    assert not (app.outdir / "content-report.json").exists()
