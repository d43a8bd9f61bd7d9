"""Graded evidence (``evidence`` front matter): the section, its links to the sources, the
warnings, the translation of its words, and the pure helpers that carry it."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from conftest import MYST_CONF, soup, warnings_of
from sphinx_prolo.articles import keys

if TYPE_CHECKING:
    from conftest import Projects

CONF = MYST_CONF
INDEX = "# Home\n\n```{toctree}\n:glob:\nart/*\n```\n"
ARTICLE = """---
sources:
  - text: "A guideline. A health service; 2024."
    url: https://example.org/guideline
  - "A review. A journal; 2020."
evidence:
  - use: long-term knee pain
    level: good
    sources: [1, 2]
  - use: heel pain
    level: against
    sources: [2]
---

# Knee exercise

Some text.
"""


def site(article: str, extra: str = "") -> dict[str, str]:
    return {"conf.py": CONF + extra, "index.md": INDEX, "art/knee.md": article}


def test_each_use_shows_its_level_in_words_and_links_its_sources(project: Projects) -> None:
    project.write("evidence", site(ARTICLE))
    app = project("evidence", name="evidence")
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "art/knee.html")
    section = page.select_one("div.prolo-evidence")
    assert section.select_one(".rubric").get_text() == "How good is the evidence?"
    entries = section.select("li")
    assert [entry["class"] for entry in entries] == [
        ["prolo-evidence-good"],
        ["prolo-evidence-against"],
    ]
    assert [" ".join(entry.get_text().split()) for entry in entries] == [
        "long-term knee pain: Good evidence it helps (sources 1, 2)",
        "heel pain: Evidence it does not help (source 2)",
    ]
    links = [a["href"] for a in section.select("a")]
    assert links == ["#prolo-source-1", "#prolo-source-2", "#prolo-source-2"]
    for href in set(links):
        target = page.select_one(href)
        assert target is not None and target.find_parent("div", class_="prolo-sources")
    # The section comes before the Sources it points to.
    assert page.find_all("div", class_=["prolo-evidence", "prolo-sources"])[0] is section
    report = json.loads((app.outdir / "content-report.json").read_text(encoding="utf-8"))
    assert report["articles"][0]["evidence"] == 2


def test_labels_and_uses_in_french(project: Projects) -> None:
    files = site(ARTICLE, 'locale_dirs = ["locale"]\ngettext_compact = False\n')
    files["locale/fr/LC_MESSAGES/art/knee.po"] = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "heel pain"\nmsgstr "douleur au talon"\n'
    )
    project.write("evidence-fr", files)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = project.source("evidence-fr", "evidence-fr") / "locale/fr/LC_MESSAGES/art/knee.po"
    with po.open("rb") as source, po.with_suffix(".mo").open("wb") as target:
        write_mo(target, read_po(source))
    app = project("evidence-fr", name="evidence-fr", confoverrides={"language": "fr"})
    app.build()
    section = soup(app.outdir / "art/knee.html").select_one("div.prolo-evidence")
    assert section.select_one(".rubric").get_text() == (
        "Quelle est la qualité des données probantes\u00a0?"
    )
    assert re.sub(r"[ \n]+", " ", section.select("li")[1].get_text()).strip() == (
        "douleur au talon\u00a0: Les données montrent que cela n’aide pas (source 2)"
    )


@pytest.mark.parametrize(
    ("entry", "warning"),
    [
        (
            "{use: knee pain, level: great, sources: [1]}",
            "evidence: the level of 'knee pain' is 'great', not one of good, some, little,"
            " insufficient, against; the entry is ignored",
        ),
        (
            "{use: knee pain, level: some}",
            "evidence: 'knee pain' cites no source; give the numbers of the sources it rests on"
            " (sources: [1, 2])",
        ),
        (
            "{use: knee pain, level: some, sources: [1, 3]}",
            "evidence: 'knee pain' cites source 3, but the article lists 1 sources",
        ),
        (
            "{level: some, sources: [1]}",
            "evidence: {'level': 'some', 'sources': [1]} has no use (what the treatment is used"
            " for); it is ignored",
        ),
        (
            "{use: knee pain, level: some, sources: [1], link: x}",
            "evidence: 'knee pain' has unknown keys link; they are ignored (it takes use, level,"
            " sources, condition)",
        ),
    ],
)
def test_a_bad_entry_is_a_located_evidence_warning(
    project: Projects, entry: str, warning: str
) -> None:
    article = f'---\nsources: ["A book."]\nevidence:\n  - {entry}\n---\n\n# Knee\n\nText.\n'
    name = f"evidence-bad-{abs(hash(entry))}"
    project.write(name, site(article))
    app = project(name, name=name)
    app.build()
    assert warnings_of(app) == [f"SRC/art/knee.md:3: WARNING: {warning} [prolo.evidence]"]


def test_evidence_words_are_translated_and_counted_by_the_pure_helpers() -> None:
    value = [{"use": "knee pain", "level": "some", "sources": [1], "condition": ""}]
    assert keys.translated_texts("evidence", value) == ["knee pain"]
    french = keys.translate_value("evidence", value, {"knee pain": "douleur au genou"}.get)
    assert french == [
        {"use": "douleur au genou", "level": "some", "sources": [1], "condition": ""}
    ]
    assert value[0]["use"] == "knee pain"  # the stored value is not changed in place
    assert keys.report_value("evidence", value) == 1
    assert keys.json_ld_value("people", ["Ana Ruiz, MD"]) == [
        {"@type": "Person", "name": "Ana Ruiz, MD"}
    ]
    assert keys.json_ld_value("sources", [{"text": "A book.", "url": ""}]) == [
        {"@type": "CreativeWork", "name": "A book."}
    ]
    assert keys.json_ld_value("text", "") is None
