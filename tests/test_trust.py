"""Trust signals: who wrote an article, who reviewed it, and what it rests on."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from conftest import soup, warnings_of

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import BeautifulSoup

    from conftest import Projects

SOURCES = (
    '[{"text": "A review of injection treatments. J Example Med. 2020;1:1-10.",'
    ' "doi": "10.1234/example.5678"},'
    ' {"text": "Clinic leaflet on tendons", "url": "https://clinic.example/tendons"},'
    ' "A textbook of physiotherapy, 3rd edition."]'
)
TRUSTED = {
    "author": '"Sam Lee, PT"',
    "reviewed-by": '["Ana Ruiz, MD", "Ben Ode, PT"]',
    "sources": SOURCES,
}


def front_matter(project: Projects, name: str, extra: dict[str, str]) -> Path:
    """The articles test root, with *extra* front matter in the prolotherapy article."""
    src = project.source("articles", name)
    path = src / "articles" / "prolotherapy.md"
    lines = "".join(f"{key}: {value}\n" for key, value in extra.items())
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n" + lines, 1))
    return src


def json_ld(page: BeautifulSoup) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.find("script", type="application/ld+json").string)
    return data


def text_of(node: Any) -> str:
    return " ".join(node.get_text().split())


def test_author_reviewers_and_sources_are_shown_and_described(project: Projects) -> None:
    front_matter(project, "trusted", TRUSTED)
    app = project("articles", name="trusted")
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "articles/prolotherapy.html")
    review = [text_of(p) for p in page.select("div.prolo-review p")]
    assert review == [
        "Written by Sam Lee, PT",
        "Page last reviewed by Ana Ruiz, MD and Ben Ode, PT on 15 September 2026",
        "Next review due: 15 September 2029",
    ]
    sources = page.select_one("div.prolo-sources")
    assert text_of(sources.find(["h2", "p"], class_="rubric")) == "Sources"
    items = sources.select("ol > li")
    assert [text_of(item) for item in items] == [
        "A review of injection treatments. J Example Med. 2020;1:1-10. "
        "https://doi.org/10.1234/example.5678",
        "Clinic leaflet on tendons https://clinic.example/tendons",
        "A textbook of physiotherapy, 3rd edition.",
    ]
    assert [a["href"] for a in sources.find_all("a")] == [
        "https://doi.org/10.1234/example.5678",
        "https://clinic.example/tendons",
    ]
    # The sources come before the closing please-note, the review lines after the sources.
    body = str(page)
    assert (
        body.index("prolo-sources") < body.index("prolo-review") < body.index("prolo-please-note")
    )
    data = json_ld(page)
    assert data["author"] == [{"@type": "Person", "name": "Sam Lee, PT"}]
    assert data["reviewedBy"] == [
        {"@type": "Person", "name": "Ana Ruiz, MD"},
        {"@type": "Person", "name": "Ben Ode, PT"},
    ]
    assert data["lastReviewed"] == "2026-09-15"
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "A review of injection treatments. J Example Med. 2020;1:1-10.",
            "url": "https://doi.org/10.1234/example.5678",
        },
        {
            "@type": "CreativeWork",
            "name": "Clinic leaflet on tendons",
            "url": "https://clinic.example/tendons",
        },
        {"@type": "CreativeWork", "name": "A textbook of physiotherapy, 3rd edition."},
    ]
    # An article without them has none of it.
    other = soup(app.outdir / "articles/exercise-therapy.html")
    assert other.select_one("div.prolo-sources") is None
    assert "author" not in json_ld(other)


def test_reviewers_in_french(project: Projects) -> None:
    front_matter(project, "french", TRUSTED)
    app = project("articles", name="french", confoverrides={"language": "fr"})
    app.build()
    page = soup(app.outdir / "articles/prolotherapy.html")
    review = [text_of(p) for p in page.select("div.prolo-review p")]
    assert review[:2] == [
        "Rédigé par Sam Lee, PT",
        "Page révisée pour la dernière fois par Ana Ruiz, MD et Ben Ode, PT le 15 septembre 2026",
    ]


def test_hostile_names_and_sources_are_escaped(project: Projects) -> None:
    hostile = "</script><script>alert(1)</script>"
    front_matter(
        project,
        "hostile",
        {
            "author": json.dumps(hostile),
            "sources": json.dumps([{"text": hostile, "url": "https://x.example/?a=<b>"}]),
        },
    )
    app = project("articles", name="hostile")
    app.build()
    raw = (app.outdir / "articles/prolotherapy.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw
    page = soup(app.outdir / "articles/prolotherapy.html")
    assert json_ld(page)["author"] == [{"@type": "Person", "name": hostile}]
    assert text_of(page.select_one("div.prolo-sources li")).startswith(hostile)


@pytest.mark.parametrize(
    ("key", "value", "line", "problem"),
    [
        (
            "author",
            '{"name": "x"}',
            2,
            "author should be a name or a list of names, not a mapping",
        ),
        (
            "reviewed-by",
            '["Ana Ruiz, MD", ["nested"]]',
            2,
            "reviewed-by: ['nested'] is not a name; it is ignored",
        ),
        ("sources", '"one text"', 2, "sources should be a list of references; it is ignored"),
        (
            "sources",
            '[{"url": "https://x.example"}]',
            2,
            "sources: {'url': 'https://x.example'} is not a reference with a citation text;"
            " it is ignored",
        ),
        (
            "sources",
            '[{"text": "A paper", "doi": "11.2/x"}]',
            2,
            "sources: '11.2/x' is not a DOI (10.NNNN/...); it is left out",
        ),
        (
            "sources",
            '[{"text": "A paper", "url": "javascript:alert(1)"}]',
            2,
            "sources: 'javascript:alert(1)' is not an http(s) address; the link is left out",
        ),
        (
            "reading-grade-target",
            '"easy"',
            2,
            "reading-grade-target: 'easy' is not a number from 1 to 30; it is ignored",
        ),
    ],
)
def test_bad_trust_metadata_is_a_located_warning_and_the_rest_is_kept(
    project: Projects, key: str, value: str, line: int, problem: str
) -> None:
    front_matter(project, "bad", {key: value})
    app = project("articles", name="bad")
    app.build()
    assert warnings_of(app) == [
        f"SRC/articles/prolotherapy.md:{line}: WARNING: {problem} [prolo.metadata]"
    ]
    page = soup(app.outdir / "articles/prolotherapy.html")
    assert page.select_one("div.prolo-disclaimer") is not None
    assert "Page last reviewed" in text_of(page.select_one("div.prolo-review"))
    sources = page.select("div.prolo-sources li")
    if key == "sources" and "left out" in problem:
        # The reference stays, without the link.
        assert [text_of(item) for item in sources] == ["A paper"]
        assert page.select("div.prolo-sources a") == []


def test_a_required_reviewer_is_warned_about_where_the_review_date_is(project: Projects) -> None:
    front_matter(project, "required", {"reviewed-by": '"Ana Ruiz, MD"'})
    app = project("articles", name="required", confoverrides={"prolo_require_reviewer": True})
    app.build()
    missing = [w for w in warnings_of(app) if "no reviewer" in w]
    assert missing == [
        # No review date either: the file, without a line.
        "SRC/articles/exercise-therapy.md: WARNING: no reviewer: name the clinician who"
        " reviewed it in reviewed-by [prolo.metadata]",
        "SRC/articles/prp-injections.md:5: WARNING: no reviewer: name the clinician who"
        " reviewed it in reviewed-by [prolo.metadata]",
    ]
