"""The ``seek-help`` box and the ``prolo_required_sections`` check, built in real projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

CONF = (
    'extensions = ["myst_parser", "sphinx_prolo"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_article_patterns = ["art/*"]\n'
)
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
    assert advice["class"] == ["admonition", "prolo-seek-help"]
    assert urgent["class"] == ["admonition", "prolo-seek-help-urgent"]
    for box, title in (
        (advice, "Get advice from your clinic if:"),
        (urgent, "Get urgent medical help if:"),
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
        "Obtenez une aide médicale urgente si\u00a0:",
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
        "Get urgent medical help if:",
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
