"""The feedback route: "Was this page helpful? Tell us" at the end of every article."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import config_warning, soup, warnings_of

if TYPE_CHECKING:
    from bs4 import Tag

    from conftest import Projects

ARTICLES = ["articles/prolotherapy", "articles/prp-injections", "articles/exercise-therapy"]


def feedback_of(page: Tag) -> list[Tag]:
    return page.select("p.prolo-feedback")


def test_every_article_ends_with_the_feedback_line(project: Projects) -> None:
    app = project("articles", confoverrides={"prolo_feedback_url": "mailto:team@clinic.example"})
    app.build()
    assert warnings_of(app) == []
    for docname in ARTICLES:
        page = soup(app.outdir / f"{docname}.html")
        lines = feedback_of(page)
        assert len(lines) == 1, docname
        line = lines[0]
        assert " ".join(line.get_text().split()) == "Was this page helpful? Tell us"
        link = line.find("a")
        assert link.get_text() == "Tell us"
        # The subject names the article, so the clinic knows which page is meant.
        href = urlsplit(link["href"])
        assert (href.scheme, unquote(href.path)) == ("mailto", "team@clinic.example")
        title = page.select_one("h1").get_text().strip("¶ ")
        assert parse_qs(href.query) == {"subject": [f"Feedback: {title}"]}
        # At the very end: after the review lines and the closing please-note.
        body = page.select_one("div.body") or page.select_one("article")
        order = [
            node
            for node in body.find_all(["div", "p"])
            if set(node.get("class", []))
            & {"prolo-review", "prolo-feedback", "prolo-please-note", "prolo-related"}
        ]
        kinds = [next(c for c in node["class"] if c.startswith("prolo-")) for node in order]
        assert kinds[-2:] == ["prolo-please-note", "prolo-feedback"], (docname, kinds)
    # Pages that are not articles have none.
    assert feedback_of(soup(app.outdir / "index.html")) == []
    assert feedback_of(soup(app.outdir / "terms.html")) == []


def test_no_feedback_url_no_line(project: Projects) -> None:
    app = project("articles")
    app.build()
    for docname in ARTICLES:
        assert feedback_of(soup(app.outdir / f"{docname}.html")) == []


def test_a_web_form_gets_the_title_where_it_asks_for_it_encoded_and_escaped(
    project: Projects,
) -> None:
    src = project.source("articles")
    path = src / "articles" / "prp-injections.md"
    # Backslashes: the title's text has the angle brackets, not a raw HTML tag.
    hostile = "PRP & <b>alert(1)</b> \"quoted\" 'title'"
    written = hostile.replace("<", "\\<").replace(">", "\\>")
    text = path.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    path.write_text(text.replace(heading, f"# {written}"), encoding="utf-8")
    url = "https://clinic.example/feedback?page={title}&from=learning-centre"
    app = project("articles", confoverrides={"prolo_feedback_url": url, "smartquotes": False})
    app.build()
    raw = (app.outdir / "articles/prp-injections.html").read_text(encoding="utf-8")
    assert "<b>" not in raw
    link = feedback_of(soup(app.outdir / "articles/prp-injections.html"))[0].find("a")
    href = urlsplit(link["href"])
    assert (href.scheme, href.netloc, href.path) == ("https", "clinic.example", "/feedback")
    query = parse_qs(href.query)
    assert query == {"page": [hostile], "from": ["learning-centre"]}
    assert unquote(href.query).count("{title}") == 0


def test_the_feedback_line_in_french(project: Projects) -> None:
    app = project(
        "articles",
        confoverrides={"prolo_feedback_url": "mailto:equipe@clinic.example", "language": "fr"},
    )
    app.build()
    line = feedback_of(soup(app.outdir / "articles/prolotherapy.html"))[0]
    assert (
        " ".join(line.get_text().split()) == "Cette page vous a-t-elle été utile ? Dites-le-nous"
    )
    subject = parse_qs(urlsplit(line.find("a")["href"]).query)["subject"][0]
    assert subject.startswith("Commentaire\u00a0: ")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("javascript:alert(1)", "the 'javascript:' scheme is not allowed"),
        (" java\tscript:alert(1)", "the 'javascript:' scheme is not allowed"),
        ("&#106;avascript:alert(1)", "the 'javascript:' scheme is not allowed"),
        ("data:text/html,<script>alert(1)</script>", "the 'data:' scheme is not allowed"),
        ("ftp://clinic.example/feedback", "the 'ftp:' scheme is not allowed"),
        ("https://", "is not accepted"),
        ("mailto:", "is not accepted"),
        ("mailto:&#106;@x.example", "is not accepted"),
        ("feedback", "is not accepted"),
        ("//evil.example/form", "is not accepted"),
    ],
)
def test_an_unsafe_feedback_url_is_a_config_error(
    project: Projects, value: str, message: str
) -> None:
    text = config_warning(project("articles", confoverrides={"prolo_feedback_url": value}))
    assert text.startswith(f"prolo_feedback_url = {value!r}")
    assert message in text
    assert "an http(s) URL or a mailto: address" in text
