"""Reviewers as data (``prolo_reviewers``): names per language, the review line's link to the
reviewers page, the page itself, and the role rule per category."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from conftest import MYST_CONF, config_warning, soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

CONF = MYST_CONF + (
    "prolo_reviewers = {\n"
    '    "lead-physio": {"name": {"en": "Clinical lead physiotherapist",'
    ' "fr": "Physiothérapeute responsable clinique"}, "role": "physiotherapist",'
    ' "qualification": "Registered physiotherapist"},\n'
    '    "sport-physician": {"name": "Sport medicine physician", "role": "physician"},\n'
    "}\n"
    'prolo_reviewer_roles = {"Injection therapies": ["physician", "pharmacist"]}\n'
)
INDEX = "# Home\n\n```{toctree}\n:glob:\nart/*\nreviewers\n```\n"
REVIEWERS = "# Our clinical reviewers\n\n```{reviewer-list}\n```\n"


def article(reviewed_by: str, category: str = "Exercise") -> str:
    return (
        f"---\nreviewed: 2026-10-01\nreviewed-by: {reviewed_by}\ncategory: {category}\n---\n\n"
        "# Knee care\n\nText.\n"
    )


def site(text: str, *, page: bool = True) -> dict[str, str]:
    files = {"conf.py": CONF, "index.md": INDEX, "art/knee.md": text}
    if page:
        files["reviewers.md"] = REVIEWERS
    else:
        files["index.md"] = INDEX.replace("reviewers\n", "")
    return files


@pytest.mark.parametrize(
    ("language", "line", "name"),
    [
        (
            "en",
            "Page last reviewed by Clinical lead physiotherapist on 1 October 2026",
            "Clinical lead physiotherapist",
        ),
        (
            "fr",
            "Page révisée pour la dernière fois par Physiothérapeute responsable clinique"
            " le 1er octobre 2026",
            "Physiothérapeute responsable clinique",
        ),
    ],
)
def test_a_reviewer_key_shows_the_name_in_the_page_s_language_linked_to_the_reviewers_page(
    project: Projects, language: str, line: str, name: str
) -> None:
    project.write(f"reviewers-{language}", site(article("lead-physio")))
    app = project(
        f"reviewers-{language}", name=f"reviewers-{language}", confoverrides={"language": language}
    )
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "art/knee.html")
    review = page.select_one("div.prolo-review p")
    assert " ".join(review.get_text().split()) == line
    assert review.select_one("a")["href"] == "../reviewers.html"
    assert review.select_one("a").get_text() == name
    listed = soup(app.outdir / "reviewers.html").select("ul.prolo-reviewers > li")
    assert [item["id"] for item in listed] == ["reviewer-lead-physio", "reviewer-sport-physician"]
    assert name in listed[0].get_text()
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["reviewedBy"] == [{"@type": "Person", "name": name}]


def test_without_the_page_the_name_is_plain_text(project: Projects) -> None:
    project.write("reviewers-nopage", site(article("lead-physio"), page=False))
    app = project("reviewers-nopage", name="reviewers-nopage")
    app.build()
    assert warnings_of(app) == []
    review = soup(app.outdir / "art/knee.html").select_one("div.prolo-review p")
    assert review.select_one("a") is None
    assert "Clinical lead physiotherapist" in review.get_text()


@pytest.mark.parametrize(
    ("reviewed_by", "category", "warning"),
    [
        (
            "lead-physio",
            "Injection therapies",
            "SRC/art/knee.md:3: WARNING: articles in the category 'Injection therapies' need a"
            " reviewer who is a physician or a pharmacist (prolo_reviewer_roles) [prolo.metadata]",
        ),
        (
            "lead-physo",
            "Exercise",
            "SRC/art/knee.md:3: WARNING: reviewed-by: 'lead-physo' is not a key of"
            " prolo_reviewers; did you mean 'lead-physio'? [prolo.metadata]",
        ),
    ],
)
def test_a_broken_role_rule_or_an_unknown_key_is_a_located_warning(
    project: Projects, reviewed_by: str, category: str, warning: str
) -> None:
    name = f"reviewers-bad-{reviewed_by}"
    project.write(name, site(article(reviewed_by, category)))
    app = project(name, name=name)
    app.build()
    assert warnings_of(app) == [warning]


def test_a_physician_meets_the_injection_rule(project: Projects) -> None:
    text = article("[sport-physician, lead-physio]", "Injection therapies")
    project.write("reviewers-rule", site(text))
    app = project("reviewers-rule", name="reviewers-rule")
    app.build()
    assert warnings_of(app) == []
    review = soup(app.outdir / "art/knee.html").select_one("div.prolo-review p")
    assert "Sport medicine physician and Clinical lead physiotherapist" in review.get_text()


@pytest.mark.parametrize(
    "value",
    [
        'prolo_reviewers = {"Lead": {"name": "x"}}',
        'prolo_reviewers = {"lead": {"role": "physician"}}',
        'prolo_reviewers = {"lead": {"name": "x", "email": "a@b"}}',
        'prolo_reviewer_roles = {"Injections": []}',
    ],
)
def test_bad_reviewer_settings_are_configuration_errors(project: Projects, value: str) -> None:
    name = f"reviewers-conf-{abs(hash(value))}"
    files = site(article("lead-physio"))
    files["conf.py"] += value + "\n"
    project.write(name, files)
    app = project(name, name=name)
    assert config_warning(app).startswith(value.split(" =")[0] + " = ")
