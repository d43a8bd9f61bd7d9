"""Reading level: the grade of an article's own prose, its hardest sentences, and the target."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from conftest import config_warning, warnings_of
from sphinx_prolo.articles.readability import Sentence, grade_of, syllable_counter

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects

CONF = (
    'extensions = ["myst_parser", "sphinx_prolo"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_article_patterns = ["articles/*"]\n'
)
INDEX = "# Home\n\n```{toctree}\n:glob:\narticles/*\n```\n"
EASY = (
    "# Knee pain\n\n"
    "Knee pain is common. It often gets better with time. Rest can help.\n\n"
    "Your physio will look at your knee. They will ask you how it feels.\n"
)
#: Lines 3, 8 and 10 start the hard sentences; line 6 is easy.
HARD = (
    "# Tendinopathy\n\n"
    "Tendinopathy is a degenerative condition characterised by disorganised collagen\n"
    "architecture and neovascularisation, frequently necessitating individualised management.\n\n"
    "Rest helps. It can take time.\n\n"
    "Corticosteroid administration, although occasionally considered, demonstrates inconsistent\n"
    "longitudinal effectiveness, particularly regarding functional rehabilitation outcomes.\n"
    "Physiotherapeutic interventions emphasising progressive loading are generally recommended\n"
    "internationally.\n"
)


def site(
    project: Projects, body: str, front: str = "", conf: str = "", name: str = "readability"
) -> SphinxTestApp:
    project.write(
        name,
        {
            "conf.py": CONF + conf,
            "index.md": INDEX,
            "articles/tendons.md": (f"---\n{front}---\n\n" if front else "") + body,
        },
    )
    return project(name, name=name)


def readability_warnings(app: SphinxTestApp) -> list[str]:
    return [line for line in warnings_of(app) if "[prolo.readability]" in line]


def test_an_easy_article_passes(project: Projects) -> None:
    app = site(project, EASY)
    app.build()
    assert warnings_of(app) == []


def test_a_hard_article_is_warned_about_with_its_hardest_sentences_and_their_lines(
    project: Projects,
) -> None:
    app = site(project, HARD)
    app.build()
    [warning] = readability_warnings(app)
    # At the line of the hardest sentence, where the writer starts.
    assert re.match(r"SRC/articles/tendons\.md:(\d+): WARNING: reading grade ", warning)
    first_line = int(re.match(r"SRC/articles/tendons\.md:(\d+)", warning)[1])
    assert f"line {first_line} (grade" in warning.split("the hardest sentences: ")[1].split(";")[0]
    grade = float(re.search(r"reading grade ([\d.]+) is above the target of 8;", warning)[1])
    assert grade > 15
    lines = [int(n) for n in re.findall(r"line (\d+) \(grade", warning)]
    assert sorted(lines) == [3, 8, 10]
    assert "line 6" not in warning  # the easy sentences are not among the hardest
    assert "Tendinopathy is a degenerative condition" in warning
    assert "Physiotherapeutic interventions" in warning


def test_only_the_writers_own_prose_is_graded(project: Projects) -> None:
    # The same hard text in code, a table, a link list, a heading and a notice is not prose.
    hard = "Multidisciplinary individualised neovascularisation characterisation necessitates."
    body = (
        f"# {hard}\n\n"
        + EASY.split("\n", 2)[2]
        + f"\n```text\n{hard}\n```\n\n"
        + f"| Column |\n| --- |\n| {hard} |\n\n"
        + "- [Individualised multidisciplinary rehabilitation](https://example.org/a)\n"
        + "- [Neovascularisation characterisation](https://example.org/b)\n\n"
        + f":::{{please-note}}\n{hard}\n:::\n"
    )
    app = site(project, body)
    app.build()
    assert readability_warnings(app) == []


@pytest.mark.parametrize(
    ("front", "conf"),
    [
        ("reading-grade-target: 30\n", ""),
        ("", "prolo_reading_grade_target = 0\n"),
        ("", "prolo_reading_grade_target = 29.5\n"),
        ("", 'language = "fr"\n'),
    ],
    ids=["article-target", "off", "site-target", "french"],
)
def test_targets_and_languages(project: Projects, front: str, conf: str) -> None:
    app = site(project, HARD, front=front, conf=conf)
    app.build()
    assert readability_warnings(app) == []
    status = app.status.getvalue()
    if "fr" in conf:
        assert "reading level not checked: the formula is made for English" in status
    else:
        assert "reading level not checked" not in status


def test_an_article_target_can_also_be_stricter(project: Projects) -> None:
    medium = (
        "# Shoulders\n\nYour physiotherapist will examine your shoulder carefully. They will "
        "explain the treatment options available to you.\n"
    )
    # Two separate projects: a second build of one folder would depend on file times (and this
    # suite also runs with the clock moved ahead).
    app = site(project, medium, conf="prolo_reading_grade_target = 12\n", name="lenient")
    app.build()
    assert readability_warnings(app) == []
    app = site(
        project,
        medium,
        front="reading-grade-target: 5\n",
        conf="prolo_reading_grade_target = 12\n",
        name="strict",
    )
    app.build()
    [warning] = readability_warnings(app)
    assert "is above the target of 5;" in warning


@pytest.mark.parametrize("value", ["'eight'", "float('nan')", "-1", "True", "31"])
def test_a_target_that_is_not_a_grade_is_a_config_error(project: Projects, value: str) -> None:
    app = site(project, EASY, conf=f"prolo_reading_grade_target = {value}\n")
    assert config_warning(app).startswith("The config value `prolo_reading_grade_target' has") or (
        config_warning(app).startswith("prolo_reading_grade_target = ")
    )


def test_the_warning_is_repeated_by_a_build_that_does_not_read_the_article(
    project: Projects,
) -> None:
    first = site(project, HARD)
    first.build()
    again = project("readability", name="readability")
    again.build()
    assert readability_warnings(again) == readability_warnings(first) != []


def test_the_grade_is_flesch_kincaid_with_syllables_from_the_hyphenation_dictionary() -> None:
    count = syllable_counter()
    assert count is not None
    # Hyphenation points plus one, from pyphen's shipped English dictionary.
    assert [count(word) for word in ("rest", "injection", "exercise", "physiotherapist")] == [
        1,
        3,
        3,
        5,
    ]
    # 0.39 x 6 words per sentence + 11.8 x 9 / 6 syllables per word - 15.59
    sentences = [Sentence("Rest helps.", 1, 2, 2), Sentence("Ask about an injection.", 2, 4, 7)]
    assert grade_of(sentences) == pytest.approx(0.39 * 3 + 11.8 * 9 / 6 - 15.59)
