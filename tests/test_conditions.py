"""Condition pages: the condition role, each condition's treatments strongest evidence first,
each treatment's "Used for", the conditions A-Z, the checks, and incremental and parallel
builds equal to clean ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import article_inventory, html_pages, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

CONF = (
    'extensions = ["myst_parser", "sphinx_prolo"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_article_patterns = ["treatments/*"]\n'
    'prolo_condition_patterns = ["conditions/*"]\n'
)
INDEX = (
    "# Home\n\n```{article-index}\n:kind: condition\n```\n\n"
    "```{toctree}\n:glob:\nconditions/*\ntreatments/*\n```\n"
)


def treatment(title: str, used_for: str, evidence: str) -> str:
    return (
        f'---\nused-for: {used_for}\nsources: ["A review. A journal; 2020."]\n'
        f"evidence:\n{evidence}---\n\n# {title}\n\nText.\n"
    )


FILES = {
    "conf.py": CONF,
    "index.md": INDEX,
    "conditions/tennis-elbow.md": (
        "---\nsummary: Pain on the outside of the elbow.\nkeywords: [lateral epicondylalgia]\n"
        "---\n\n# Tennis elbow\n\nSee {therapy}`exercise`.\n"
    ),
    "conditions/heel-pain.md": "# Heel pain\n\nText.\n",
    "treatments/exercise.md": treatment(
        "Exercise",
        "[tennis-elbow, heel-pain]",
        "  - {use: long-term elbow pain, level: some, sources: [1], condition: tennis-elbow}\n"
        "  - {use: heel pain, level: good, sources: [1], condition: heel-pain}\n",
    ),
    "treatments/steroids.md": treatment(
        "Steroid injections",
        "[tennis-elbow]",
        "  - {use: short-term elbow pain, level: some, sources: [1], condition: tennis-elbow}\n"
        "  - {use: elbow pain at one year, level: against, sources: [1],"
        " condition: tennis-elbow}\n",
    ),
    "treatments/bracing.md": treatment(
        "Bracing",
        "[tennis-elbow]",
        "  - {use: elbow pain, level: little, sources: [1], condition: tennis-elbow}\n",
    ),
    "treatments/about-reading.md": (
        "# About reading\n\nA {condition}`tennis-elbow` patient and {condition}`heel-pain`.\n"
    ),
}


def entries(page_path) -> list[tuple[str, list[tuple[str, str]]]]:
    block = soup(page_path).select_one("div.prolo-treatments")
    return [
        (
            item.select_one("a").get_text(),
            [
                (span.get_text(), span["class"][0])
                for span in item.select("span[class^=prolo-evidence-]")
            ],
        )
        for item in block.select("li")
    ]


def test_a_condition_lists_its_treatments_strongest_evidence_first(project: Projects) -> None:
    project.write("conditions", FILES)
    app = project("conditions", name="conditions")
    app.build()
    assert warnings_of(app) == []
    assert entries(app.outdir / "conditions/tennis-elbow.html") == [
        (
            "Exercise",
            [("Some evidence it helps", "prolo-evidence-some")],
        ),
        (
            "Steroid injections",
            [
                ("Some evidence it helps", "prolo-evidence-some"),
                ("Evidence it does not help", "prolo-evidence-against"),
            ],
        ),
        ("Bracing", [("Little evidence it helps", "prolo-evidence-little")]),
    ]
    used = soup(app.outdir / "treatments/exercise.html").select_one("div.prolo-used-for")
    assert [(a.get_text(), a["href"]) for a in used.select("a")] == [
        ("Heel pain", "../conditions/heel-pain.html"),
        ("Tennis elbow", "../conditions/tennis-elbow.html"),
    ]
    links = soup(app.outdir / "treatments/about-reading.html").select(
        "section > p a.prolo-condition"
    )
    assert [a.get_text() for a in links] == ["Tennis elbow", "Heel pain"]
    assert links[0]["title"] == "Pain on the outside of the elbow."
    # The conditions A-Z on the landing page: conditions only, by title.
    catalog = soup(app.outdir / "index.html").select_one("div.prolo-catalog")
    assert [a.get_text() for a in catalog.select("a")] == ["Heel pain", "Tennis elbow"]
    # In the inventory as their own object type.
    inventory = (app.outdir / "objects.inv").open("rb")
    from sphinx.util.inventory import InventoryFile

    data = InventoryFile.load(inventory, "", lambda a, b: b)
    assert set(data["prolo:condition"]) == {"tennis-elbow", "heel-pain"}
    assert "tennis-elbow" not in article_inventory(app.outdir / "objects.inv")


def test_incremental_and_parallel_builds_equal_a_clean_build(project: Projects) -> None:
    src = project.write("conditions-inc", FILES)
    app = project("conditions-inc", name="conditions-inc")
    app.build()
    # A treatment's evidence for a condition changes: the condition page shows it.
    bracing = src / "treatments/bracing.md"
    bracing.write_text(bracing.read_text().replace("level: little", "level: good"))
    touch_later(bracing)
    app = project("conditions-inc", name="conditions-inc")
    app.build()
    assert entries(app.outdir / "conditions/tennis-elbow.html")[0][0] == "Bracing"
    incremental = html_pages(app.outdir)
    project.clone("conditions-inc", "conditions-clean")
    clean = project("conditions-clean", name="conditions-clean", parallel=2)
    clean.build()
    assert html_pages(clean.outdir) == incremental


@pytest.mark.parametrize(
    ("files", "warning"),
    [
        (
            {"treatments/steroids.md": treatment("Steroids", "[tenis-elbow]", "  []\n")},
            "SRC/treatments/steroids.md:2: WARNING: used-for: 'tenis-elbow' is not a condition"
            " page; did you mean 'tennis-elbow'? [prolo.condition]",
        ),
        (
            {"treatments/steroids.md": treatment("Steroids", "[bracing]", "  []\n")},
            "SRC/treatments/steroids.md:2: WARNING: used-for: 'bracing' is a treatment article,"
            " not a condition page [prolo.condition]",
        ),
        (
            {
                "treatments/steroids.md": treatment(
                    "Steroids",
                    "[tennis-elbow]",
                    "  - {use: heel pain, level: some, sources: [1], condition: heel-pain}\n",
                )
            },
            "SRC/treatments/steroids.md:4: WARNING: evidence: 'heel pain' is about the condition"
            " 'heel-pain', which used-for does not list; add it there [prolo.evidence]",
        ),
        (
            {"conditions/knee.md": "# Knee pain\n\nText.\n"},
            "SRC/conditions/knee.md:1: WARNING: condition page 'conditions/knee' has no treatment:"
            " no article's used-for names 'knee' [prolo.condition]",
        ),
    ],
)
def test_condition_mistakes_are_located_warnings(
    project: Projects, files: dict[str, str], warning: str
) -> None:
    name = f"conditions-bad-{abs(hash(warning))}"
    project.write(name, {**FILES, **files})
    app = project(name, name=name)
    app.build()
    assert warnings_of(app) == [warning]


def test_an_unknown_condition_reference_is_warned_with_suggestions(project: Projects) -> None:
    files = {**FILES, "treatments/about-reading.md": "# Reading\n\nA {condition}`tenis-elbow`.\n"}
    project.write("conditions-ref", files)
    app = project("conditions-ref", name="conditions-ref")
    app.build()
    assert warnings_of(app) == [
        "SRC/treatments/about-reading.md:3: WARNING: unknown therapy article 'tenis-elbow'; did"
        " you mean 'tennis-elbow'? [prolo.ref]"
    ]
