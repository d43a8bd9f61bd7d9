"""The Learning Centre in docs/ builds cleanly and carries what every article must carry."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from conftest import DOCS, soup, warnings_of

if TYPE_CHECKING:
    from bs4 import BeautifulSoup
    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects


def articles() -> list[str]:
    return sorted(path.stem for path in (DOCS / "learning-centre").glob("*.md"))


def test_docs_build_strictly_without_warnings(project: Projects) -> None:
    app = docs_app(project)
    app.build()
    assert warnings_of(app) == []
    assert len(articles()) >= 6
    for name in articles():
        page = soup(app.outdir / "learning-centre" / f"{name}.html")
        check_article(page, name)
    landing = soup(app.outdir / "index.html")
    cards = landing.select("div.prolo-catalog div.sd-card")
    assert len(cards) == len(articles())
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
        "not a first-line treatment",
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
    assert (DOCS.parent / ".readthedocs.yaml").read_text(encoding="utf-8").count(
        "fail_on_warning: true"
    ) == 1
