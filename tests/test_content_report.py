"""The editors' content report: a table and content-report.json, the most urgent work on top."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from conftest import soup, touch_later, warnings_of

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects

REPORT_PAGE = "# Report\n\n:::{article-report}\n:::\n"


def report_site(project: Projects, name: str = "report") -> Path:
    src = project.source("articles", name)
    (src / "report.md").write_text(REPORT_PAGE, encoding="utf-8")
    index = src / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("```{toctree}\n", "```{toctree}\nreport\n", 1)
    )
    return src


def table_rows(app: SphinxTestApp) -> list[dict[str, str]]:
    """The report's rows, each cell read by its column heading (columns may move)."""
    table = soup(app.outdir / "report.html").select_one("table.prolo-report")
    headings = [" ".join(cell.get_text().split()) for cell in table.select("thead th")]
    return [
        dict(zip(headings, [" ".join(td.get_text().split()) for td in row("td")], strict=True))
        for row in table.select("tbody tr")
    ]


def report_json(app: SphinxTestApp) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((app.outdir / "content-report.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize(
    ("today", "prp_status"),
    [("2026-11-26", ""), ("2027-03-01", "due soon"), ("2027-05-01", "overdue")],
)
def test_every_article_with_its_figures_the_most_urgent_first(
    project: Projects, today: str, prp_status: str
) -> None:
    report_site(project)
    app = project("articles", name="report", confoverrides={"today": today})
    app.build()
    assert [w for w in warnings_of(app) if "report" in w] == []
    data = report_json(app)
    assert data["today"] == today
    rows = {row["slug"]: row for row in data["articles"]}
    assert set(rows) == {"prolotherapy", "prp-injections", "exercise-therapy"}
    # Checked against the test root's front matter.
    assert rows["prolotherapy"]["category"] == "Injection therapies"
    assert rows["prolotherapy"]["reviewed"] == "2026-09-15"
    assert rows["prolotherapy"]["next_review"] == "2029-09-15"
    assert rows["prp-injections"]["next_review"] == "2027-04-01"
    assert rows["prp-injections"]["review_status"] == prp_status
    assert rows["exercise-therapy"]["next_review"] == ""
    assert rows["exercise-therapy"]["category"] == "Exercise and movement"
    # Inbound links: exercise-therapy and prolotherapy reference each other; prolotherapy
    # references prp-injections (twice, once by alias: one document).
    assert {slug: row["linked_from"] for slug, row in rows.items()} == {
        "prolotherapy": 1,
        "prp-injections": 1,
        "exercise-therapy": 1,
    }
    assert all(row["words"] > 0 for row in rows.values())
    assert all(row["sources"] == 0 and row["reviewers"] == [] for row in rows.values())
    # The most urgent on top: a review due comes first.
    order = [row["slug"] for row in data["articles"]]
    if prp_status:
        assert order[0] == "prp-injections"
    # The page shows the same rows, in the same order, titles linked to the articles.
    table = table_rows(app)
    assert [row["Slug"] for row in table] == order
    if prp_status:
        assert table[0]["Next review"] == f"2027-04-01 ({prp_status})"
    links = soup(app.outdir / "report.html").select("table.prolo-report a")
    assert [a["href"] for a in links] == [f"articles/{slug}.html" for slug in order]


def test_an_orphan_and_an_article_above_its_reading_target_are_marked(project: Projects) -> None:
    src = report_site(project, "orphan")
    (src / "articles" / "lonely.md").write_text(
        '---\nreading-grade-target: 1\nsources: ["A book."]\nreviewed-by: Ana Ruiz, MD\n---\n\n'
        "# Lonely\n\nNobody links to this demonstrably underappreciated, comprehensive page.\n",
        encoding="utf-8",
    )
    app = project("articles", name="orphan")
    app.build()
    first = report_json(app)["articles"][0]
    assert first["slug"] == "lonely"
    assert (first["above_target"], first["orphan"], first["sources"]) == (True, True, 1)
    assert first["reviewers"] == ["Ana Ruiz, MD"]
    row = table_rows(app)[0]
    assert row["Reading grade"].endswith("/ 1 (above)")
    assert row["Reviewed by"] == "Ana Ruiz, MD"
    assert row["Linked from"] == "0 (orphan)"


def test_the_report_page_is_written_again_when_an_article_changes(project: Projects) -> None:
    src = report_site(project, "incremental")
    project("articles", name="incremental").build()
    article = src / "articles" / "exercise-therapy.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("---\n", "---\nreviewed-by: Ben Ode, PT\n", 1),
        encoding="utf-8",
    )
    touch_later(article)
    app = project("articles", name="incremental")
    app.build()
    assert any(row["Reviewed by"] == "Ben Ode, PT" for row in table_rows(app))


def test_a_report_from_a_file_that_cannot_be_read_is_a_located_warning(
    project: Projects,
) -> None:
    src = report_site(project, "missing")
    (src / "report.md").write_text(
        "# Report\n\n:::{article-report}\n:from: nowhere/content-report.json\n:::\n",
        encoding="utf-8",
    )
    app = project("articles", name="missing")
    app.build()
    problems = [w for w in warnings_of(app) if "[prolo.report]" in w]
    assert len(problems) == 1
    assert problems[0].startswith(
        "SRC/report.md:3: WARNING: article-report: cannot read nowhere/content-report.json"
    )
