"""The ``seek-help`` box and the ``prolo_required_sections`` check, built in real projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import MYST_CONF, config_warning, soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

CONF = MYST_CONF
INDEX = "# Home\n\n```{toctree}\n:glob:\nart/*\n```\n"
ARTICLE = """# Knee injections

Some text.

:::{seek-help}
- the knee gets more swollen, red or hot
- you have a fever
:::

:::{seek-help}
:urgent:
You cannot put any weight on the leg.
:::
"""
RST_ARTICLE = """Ankle care
==========

Text.

.. seek-help::
   :urgent:

   Your foot turns pale or cold.
"""


def site(extra: str = "", **articles: str) -> dict[str, str]:
    files = {"conf.py": CONF + extra, "index.md": INDEX}
    files |= {f"art/{name.replace('_', '.')}": text for name, text in articles.items()}
    return files


def test_the_two_levels_in_html_with_role_name_and_the_writers_signs(project: Projects) -> None:
    project.write("seek", site(knee_md=ARTICLE, ankle_rst=RST_ARTICLE))
    app = project("seek", name="seek")
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "art/knee.html")
    advice, urgent = page.select("div.body div.admonition[class*=prolo-seek-help]")
    assert advice["class"] == ["admonition", "prolo-seek-help", "prolo-seek-help-advice"]
    assert urgent["class"] == ["admonition", "prolo-seek-help", "prolo-seek-help-urgent"]
    for box, title in (
        (advice, "Get advice from your clinic if:"),
        (urgent, "Get medical help today if:"),
    ):
        assert box["role"] == "note"
        assert box["aria-label"] == title
        assert box.select_one("p.admonition-title").get_text() == title
    assert [li.get_text().strip() for li in advice.select("li")] == [
        "the knee gets more swollen, red or hot",
        "you have a fever",
    ]
    assert "You cannot put any weight on the leg." in urgent.get_text()
    ankle = soup(app.outdir / "art/ankle.html").select_one("div.prolo-seek-help-urgent")
    assert "Your foot turns pale or cold." in ankle.get_text()


def test_titles_follow_the_language(project: Projects) -> None:
    project.write("seek-fr", site(knee_md=ARTICLE))
    app = project("seek-fr", name="seek-fr", confoverrides={"language": "fr"})
    app.build()
    page = soup(app.outdir / "art/knee.html")
    titles = [p.get_text() for p in page.select("div[class*=prolo-seek-help] p.admonition-title")]
    assert titles == [
        "Demandez conseil à votre clinique si\u00a0:",
        "Consultez un médecin aujourd\u2019hui si\u00a0:",
    ]
    assert "Get " not in page.select_one("div.body").get_text()


@pytest.mark.parametrize("builder", ["text", "latex", "epub"])
def test_every_builder_shows_the_box(project: Projects, builder: str) -> None:
    extra = 'copyright = "2026, the clinic"\nauthor = "The clinic"\nversion = "1"\n'
    project.write(f"seek-{builder}", site(extra, knee_md=ARTICLE))
    app = project(f"seek-{builder}", builder, name=f"seek-{builder}")
    app.build()
    assert warnings_of(app) == []
    if builder == "text":
        text = (app.outdir / "art/knee.txt").read_text(encoding="utf-8")
    elif builder == "latex":
        text = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    else:
        text = (app.outdir / "art/knee.xhtml").read_text(encoding="utf-8")
    for expected in (
        "Get advice from your clinic if:",
        "you have a fever",
        "Get medical help today if:",
    ):
        assert expected in text, (builder, expected)


def test_an_empty_box_is_a_located_warning(project: Projects) -> None:
    article = "# Knee\n\nText.\n\n:::{seek-help}\n:::\n"
    project.write("seek-empty", site(knee_md=article))
    app = project("seek-empty", name="seek-empty")
    app.build()
    assert warnings_of(app) == [
        "SRC/art/knee.md:5: WARNING: the seek-help directive needs content: the signs to look"
        " out for [prolo.notice]"
    ]


@pytest.mark.parametrize("required", [True, False])
def test_required_sections_report_an_article_without_a_box(
    project: Projects, required: bool
) -> None:
    name = f"seek-required-{required}"
    project.write(
        name,
        site(
            f"prolo_required_sections = {required}\n",
            knee_md=ARTICLE,
            plain_md="# Plain\n\nText.\n",
        ),
    )
    app = project(name, name=name)
    app.build()
    expected = [
        "SRC/art/plain.md:1: WARNING: article 'art/plain' has no seek-help box; a treatment"
        " page says when to get advice and when to get urgent help [prolo.structure]"
    ]
    assert warnings_of(app) == (expected if required else [])


LEVELS_ARTICLE = """# Neck care

:::{seek-help}
:level: emergency
Your face droops on one side.
:::

:::{seek-help}
:level: urgent
The pain keeps you awake.
:::

:::{seek-help}
:level: advice
You are not sure which exercises to do.
:::
"""

HELP_LINES = (
    'prolo_help_lines = {"en": {"emergency": "911", "urgent": "811"}, '
    '"fr": {"emergency": "911", "urgent": "Info-Santé 811"}}\n'
)


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        (
            "en",
            [
                "Call 911 or go to the nearest emergency department now if:",
                "Get medical help today (your doctor, or call 811) if:",
                "Get advice from your clinic if:",
            ],
        ),
        (
            "fr",
            [
                "Composez le 911 ou allez aux urgences les plus proches maintenant si\u00a0:",
                "Consultez un médecin aujourd\u2019hui (le vôtre, ou appelez Info-Santé 811)"
                " si\u00a0:",
                "Demandez conseil à votre clinique si\u00a0:",
            ],
        ),
    ],
)
def test_three_levels_say_what_to_do_with_the_site_s_numbers_in_each_language(
    project: Projects, language: str, titles: list[str]
) -> None:
    name = f"seek-levels-{language}"
    project.write(name, site(HELP_LINES, neck_md=LEVELS_ARTICLE))
    app = project(name, name=name, confoverrides={"language": language})
    app.build()
    assert warnings_of(app) == []
    boxes = soup(app.outdir / "art/neck.html").select("div.body div.prolo-seek-help")
    assert [box["class"][-1] for box in boxes] == [
        "prolo-seek-help-emergency",
        "prolo-seek-help-urgent",
        "prolo-seek-help-advice",
    ]
    assert [box.select_one("p.admonition-title").get_text() for box in boxes] == titles
    assert [box["aria-label"] for box in boxes] == titles


def test_without_numbers_the_titles_still_say_what_to_do(project: Projects) -> None:
    project.write("seek-levels-plain", site(neck_md=LEVELS_ARTICLE))
    app = project("seek-levels-plain", name="seek-levels-plain")
    app.build()
    titles = [
        title.get_text()
        for title in soup(app.outdir / "art/neck.html").select(
            "div.prolo-seek-help p.admonition-title"
        )
    ]
    assert titles == [
        "Call your local emergency number now if:",
        "Get medical help today if:",
        "Get advice from your clinic if:",
    ]


@pytest.mark.parametrize(
    ("options", "expected_class", "warning"),
    [
        (
            ":urgent: false\n",
            "prolo-seek-help-advice",
            "seek-help: :urgent: is a flag and takes"
            " no value (got 'false'); write :level: urgent, or leave the option out",
        ),
        (
            ":level: critical\n",
            "prolo-seek-help-advice",
            "seek-help: :level: 'critical' is not"
            " one of emergency, urgent, advice; 'advice' is used",
        ),
        (
            ":urgent:\n:level: emergency\n",
            "prolo-seek-help-emergency",
            "seek-help: both :urgent: and :level: emergency; :level: is used",
        ),
    ],
)
def test_a_flag_with_a_value_or_an_unknown_level_is_a_located_warning(
    project: Projects, options: str, expected_class: str, warning: str
) -> None:
    name = f"seek-bad-{abs(hash(options))}"
    article = f"# Knee\n\nText.\n\n:::{{seek-help}}\n{options}A sign.\n:::\n"
    project.write(name, site(knee_md=article))
    app = project(name, name=name)
    app.build()
    assert warnings_of(app) == [f"SRC/art/knee.md:5: WARNING: {warning} [prolo.notice]"]
    box = soup(app.outdir / "art/knee.html").select_one("div.prolo-seek-help")
    assert box["class"][-1] == expected_class
    assert "A sign." in box.get_text()


@pytest.mark.parametrize(
    "value",
    [
        '{"emergency": 911}',
        '{"police": "911"}',
        '{"fr": {"urgent": "<b>811</b>"}}',
        '{"emergency": ""}',
        '{"fr": "811"}',
    ],
)
def test_bad_help_lines_are_a_configuration_error(project: Projects, value: str) -> None:

    name = f"seek-lines-{abs(hash(value))}"
    project.write(name, site(f"prolo_help_lines = {value}\n", knee_md=ARTICLE))
    app = project(name, name=name)
    assert config_warning(app).startswith("prolo_help_lines = ")
    assert app.config.prolo_help_lines == {}
