"""Input found by outside testing: each gets a located warning or a clear error, never a crash.

Every test here reproduces one finding of the reliability review (issue 10, section 3) on a small
project written by the test, and checks the whole warning list, so a new warning or a lost one
fails it as surely as a traceback does.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from conftest import MYST_CONF, config_warning, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

CONF = MYST_CONF + ('prolo_terms_url = "terms"\ntoday = "2026-11-26"\n')
INDEX = "# Home\n\n```{toctree}\n:glob:\nart/*\nterms\n```\n"
TERMS = "# Terms\n\nOur terms.\n"
PRP = "---\nsummary: Injections made from your own blood.\n---\n\n# PRP injections\n\nText.\n"
PROLO = "---\nsummary: A healing injection.\n---\n\n# Prolotherapy\n\nText.\n"


def site(extra_conf: str = "", **files: str) -> dict[str, str]:
    """A small article site; keyword arguments add or replace files ("art_x_md" = art/x.md)."""
    result = {
        "conf.py": CONF + extra_conf,
        "index.md": INDEX,
        "terms.md": TERMS,
        "art/prp.md": PRP,
        "art/prolo.md": PROLO,
    }
    for name, text in files.items():
        result[name.replace("__", "/").replace("_md", ".md").replace("_rst", ".rst")] = text
    return result


def text_of(app_outdir_page: object) -> str:
    return " ".join(soup(app_outdir_page).get_text().split())  # type: ignore[arg-type]


# --- dates and languages -------------------------------------------------------------------------


def test_review_date_at_the_end_of_the_calendar_is_a_warning(project: Projects) -> None:
    article = "---\nreviewed: 9999-12-30\n---\n\n# Late\n\nText.\n"
    project.write("late", site(art__late_md=article))
    app = project("late", name="late")
    app.build()
    assert warnings_of(app) == [
        "SRC/art/late.md:2: WARNING: reviewed: 9999-12-30 plus the review interval is past the"
        " end of the calendar; give next-review instead [prolo.metadata]"
    ]
    assert "Page last reviewed: 30 December 9999" in text_of(app.outdir / "art/late.html")


@pytest.mark.parametrize("interval", [0, -1, 10**9, True, 36526])
def test_review_intervals_that_overflow_are_refused(project: Projects, interval: object) -> None:
    project.write("interval", site())
    app = project("interval", confoverrides={"prolo_review_interval_days": interval})
    assert re.match(
        r"^(prolo_review_interval_days = .* accepts"
        r"|The config value `prolo_review_interval_days')",
        config_warning(app),
    )
    assert app.config.prolo_review_interval_days is None  # the default: months


def test_longest_review_interval_with_a_late_date_is_a_warning(project: Projects) -> None:
    article = "---\nreviewed: 9950-01-01\n---\n\n# Late\n\nText.\n"
    project.write("longest", site(art__late_md=article))
    app = project("longest", confoverrides={"prolo_review_interval_days": 36525})
    app.build()
    assert [line.split(" WARNING: ")[0] for line in warnings_of(app)] == ["SRC/art/late.md:2:"]


@pytest.mark.parametrize("language", ["xx", "zz_ZZ", "en-x-clinic", "tlh"])
def test_a_language_babel_does_not_know_keeps_the_review_lines(
    project: Projects, language: str
) -> None:
    article = "---\nreviewed: 2026-01-05\n---\n\n# Dated\n\nText.\n"
    project.write("lang", site(art__dated_md=article))
    app = project("lang", confoverrides={"language": language})
    app.build()
    assert [w for w in warnings_of(app) if "prolo" in w] == []
    assert "Page last reviewed: 5 January 2026" in text_of(app.outdir / "art/dated.html")


def test_an_impossible_unquoted_date_keeps_the_rest_of_the_front_matter(
    project: Projects,
) -> None:
    # YAML fails on an unquoted 2026-13-01, and MyST used to drop the whole front matter with
    # "Malformed YAML" at line 1: the article lost its summary and category.
    article = (
        "---\nsummary: Care after an injection.\nreviewed: 2026-13-01\n"
        "category: Injection therapies\n---\n\n# Aftercare\n\nText.\n"
    )
    other = "---\norphan: true\nwhen: [2026-02-30, 2026-02-28]\n---\n\n# Notes\n\nText.\n"
    project.write("impossible", site(art__aftercare_md=article, notes_md=other))
    app = project("impossible", name="impossible")
    app.build()
    assert warnings_of(app) == [
        "SRC/art/aftercare.md:3: WARNING: reviewed: '2026-13-01' is not a date of the form"
        " YYYY-MM-DD; it is ignored [prolo.metadata]",
        "SRC/notes.md:3: WARNING: '2026-02-30' is not a real date; it is kept as text, with the"
        " rest of the front matter [prolo.metadata]",
    ]
    aftercare = app.env.domaindata["prolo"]["articles"]["art/aftercare"]
    assert aftercare["summary"] == "Care after an injection."
    assert aftercare["category"] == "Injection therapies"
    assert aftercare["reviewed"] == ""
    assert json.loads(app.env.metadata["notes"]["when"]) == ["2026-02-30", "2026-02-28"]


def test_an_impossible_time_is_quoted_too_and_real_dates_are_left_alone() -> None:
    from sphinx_prolo.articles.front_matter_yaml import quote_impossible_dates

    # The date is real, the time is not: YAML fails on it just the same.
    text = "---\nat: 2026-02-28 25:00:00\nreviewed: 2026-02-28\n---\n\n# Notes\n"
    quoted, found = quote_impossible_dates(text)
    assert found == [(2, "2026-02-28 25:00:00")]
    assert 'at: "2026-02-28 25:00:00"\n' in quoted
    real = "---\nat: 2026-02-28 23:59:59\nreviewed: 2026-02-28\n---\n\n# Notes\n"
    assert quote_impossible_dates(real) == (real, [])


# --- notice sources ------------------------------------------------------------------------------

RST_NOTICE = """\
.. role:: raw-html(raw)
   :format: html

This is |name| general information [#]_. See `our site`_ and :therapy:`prp`.
Don't "trust" it blindly. Also :raw-html:`<b>bold</b>` here.

.. |name| replace:: the clinic's

.. [#] Written by the clinic.

.. _our site: https://clinic.example/
"""


def test_rst_notice_source_gets_every_document_transform(project: Projects) -> None:
    conf = 'prolo_disclaimer_source = "_notices/disclaimer.rst"\n'
    files = site(conf, _notices__disclaimer_rst=RST_NOTICE)
    # The page has footnotes of its own: the notice's ids must not collide with them.
    files["art/prolo.md"] = PROLO + "\nA claim.[^1]\n\n[^1]: A page footnote.\n"
    project.write("rstnotice", files)
    app = project("rstnotice", name="rstnotice")
    app.build()
    path = app.srcdir / "_notices/disclaimer.rst"
    assert warnings_of(app) == [
        f"{str(path).replace(str(app.srcdir), 'SRC')}:4: WARNING: raw markup is not allowed in a"
        " notice source; shown as text [prolo.notice]"
    ]
    page = soup(app.outdir / "art/prolo.html")
    notice = page.select_one("div.prolo-disclaimer")
    text = " ".join(notice.get_text().split())
    # Substitution, footnote number, named target, smart quotes, therapy reference.
    assert "This is the clinic’s general information" in text
    assert "Don’t “trust” it blindly." in text
    assert [(a.get_text(), a["href"]) for a in notice.select("a.reference.external")] == [
        ("our site", "https://clinic.example/")
    ]
    assert [a.get_text() for a in notice.select("a.prolo-therapy")] == ["PRP injections"]
    assert notice.select("a.footnote-reference")[0].get_text() == "[1]"
    # Inline raw markup stays inline, as text: no block inside the paragraph, no <b>.
    paragraph = notice.find_all("p")[1]
    assert paragraph.select("code") and paragraph.select_one("code").get_text() == "<b>bold</b>"
    assert notice.select("pre") == [] and notice.select("b") == []
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), "duplicate ids on the page"
    for link in page.select('a[href^="#"]'):
        target = link["href"][1:]
        assert not target or target in ids, f"dangling in-page link {link}"


def test_references_in_a_notice_source_belong_to_no_article(project: Projects) -> None:
    notice = "General information.\n\nSee {therapy}`prp` and {therapy}`nosuch-article`.\n"
    files = site(
        'prolo_disclaimer_source = "_notices/disclaimer.md"\n', _notices__disclaimer_md=notice
    )
    project.write("noticerefs", files)
    app = project("noticerefs", name="noticerefs")
    app.build()
    # One warning, at the notice source's own line: not one per article on line 1.
    assert warnings_of(app) == [
        "SRC/_notices/disclaimer.md:3: WARNING: unknown therapy article 'nosuch-article'"
        " [prolo.ref]"
    ]
    # The reference shows in every notice, but makes no related list or backlink.
    prolo = soup(app.outdir / "art/prolo.html")
    assert [a.get_text() for a in prolo.select("div.prolo-disclaimer a.prolo-therapy")] == [
        "PRP injections"
    ]
    assert prolo.select("div.prolo-related") == []
    assert soup(app.outdir / "art/prp.html").select("div.prolo-related") == []

    # The notice's link text follows the target's title on an incremental build.
    touch_later(app.srcdir / "art/prp.md")
    (app.srcdir / "art/prp.md").write_text(PRP.replace("# PRP injections", "# PRP"), "utf-8")
    touch_later(app.srcdir / "art/prp.md")
    again = project("noticerefs", name="noticerefs")
    again.build()
    prolo = soup(again.outdir / "art/prolo.html")
    assert [a.get_text() for a in prolo.select("div.prolo-disclaimer a.prolo-therapy")] == ["PRP"]


def test_notice_source_problem_without_a_line_names_the_file_itself(project: Projects) -> None:
    # docutils reports an anonymous hyperlink mismatch for the whole file, without a line.
    files = site(
        'prolo_please_note_source = "_notices/note.rst"\n',
        _notices__note_rst="Text and anon__.\n\n.. _named: https://clinic.example/\n",
    )
    project.write("noline", files)
    app = project("noline", name="noline")
    app.build()
    assert warnings_of(app) == [
        "SRC/_notices/note.rst: WARNING: Anonymous hyperlink mismatch: 1 references but 0"
        " targets.",
        'See "backrefs" attribute for IDs. [prolo.notice]',
    ]


def test_unreadable_notice_source_is_one_warning(project: Projects) -> None:
    files = site('prolo_please_note_source = "_notices/note.md"\n')
    srcdir = project.write("unreadable", files)
    (srcdir / "_notices").mkdir()
    (srcdir / "_notices/note.md").write_bytes(b"\xff\xfe bad")
    app = project("unreadable", name="unreadable")
    app.build()
    warnings = warnings_of(app)
    assert len(warnings) == 1
    assert warnings[0].startswith("WARNING: prolo_please_note_source: cannot read")
    assert "the built-in text is shown [prolo.notice]" in warnings[0]


def test_notice_source_through_a_symlink_out_of_the_source_tree(project: Projects) -> None:
    files = site('prolo_disclaimer_source = "_notices/disclaimer.md"\n')
    srcdir = project.write("symlink", files)
    outside = srcdir.parent / "secret.md"
    outside.write_text("SECRET TEXT FROM OUTSIDE\n", encoding="utf-8")
    (srcdir / "_notices").mkdir()
    (srcdir / "_notices/disclaimer.md").symlink_to(outside)
    app = project("symlink", name="symlink")
    app.build()
    assert warnings_of(app) == [
        "WARNING: prolo_disclaimer_source: '_notices/disclaimer.md' leads outside the source"
        " directory; the built-in text is shown [prolo.notice]"
    ]
    page = text_of(app.outdir / "art/prolo.html")
    assert "SECRET TEXT" not in page
    assert "general information for education only" in page


@pytest.mark.parametrize(
    ("value", "what"), [("art/prolo.md", "an article"), ("index.md", "the root document")]
)
def test_notice_source_that_is_a_page_is_a_configuration_error(
    project: Projects, value: str, what: str
) -> None:
    project.write("pagenotice", site())
    app = project("pagenotice", confoverrides={"prolo_disclaimer_source": value})
    assert config_warning(app).startswith(
        f"prolo_disclaimer_source = {value!r} is a page of the site ({what}): a notice source"
    )


def test_notice_source_named_in_a_toctree_is_called_excluded(project: Projects) -> None:
    project.write("tocnotice", site())
    app = project("tocnotice", confoverrides={"prolo_disclaimer_source": "terms.md"})
    app.build()
    assert "SRC/index.md:3: WARNING: toctree contains reference to excluded document 'terms'" in (
        " ".join(warnings_of(app))
    )


def test_removing_a_notice_source_setting_leaves_no_stale_warning(project: Projects) -> None:
    files = site(
        'prolo_disclaimer_source = "_notices/disclaimer.md"\nexclude_patterns += ["_notices/*"]\n',
        _notices__disclaimer_md="Text with {unknownrole}`x` and {therapy}`nosuch`.\n",
    )
    project.write("stale", files)
    first = project("stale", name="stale")
    first.build()
    assert len(warnings_of(first)) == 2
    second = project("stale", name="stale", confoverrides={"prolo_disclaimer_source": None})
    second.build()
    assert warnings_of(second) == []
    # "" (as ``-D prolo_disclaimer_source=`` gives it) means the built-in text too.
    third = project("stale", name="stale", confoverrides={"prolo_disclaimer_source": ""})
    third.build()
    assert warnings_of(third) == []


# --- the therapy role ----------------------------------------------------------------------------


def test_exclamation_mark_is_sphinx_no_link_form(project: Projects) -> None:
    article = "# Notes\n\nSee {therapy}`!prp` here.\n"
    project.write("nolink", site(art__notes_md=article))
    app = project("nolink", name="nolink")
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "art/notes.html")
    assert "See prp here." in " ".join(page.select_one("div.body").get_text().split())
    assert page.select("div.body p a.prolo-therapy") == []


def test_empty_explicit_title_warns_and_shows_the_target_title(project: Projects) -> None:
    article = "# Notes\n\nFirst line.\n\nSee {therapy}` <prp>` here.\n"
    project.write("emptytitle", site(art__notes_md=article))
    app = project("emptytitle", name="emptytitle")
    app.build()
    assert warnings_of(app) == [
        "SRC/art/notes.md:5: WARNING: empty link text for therapy article 'prp'; its title is"
        " shown instead [prolo.ref]"
    ]
    links = soup(app.outdir / "art/notes.html").select("section > p a.prolo-therapy")
    assert [a.get_text() for a in links] == ["PRP injections"]


def test_therapy_reference_in_a_title_shows_the_target_title_everywhere(
    project: Projects,
) -> None:
    extra = 'html_baseurl = "https://clinic.example/"\n'
    article = "---\nsummary: After {therapy}`prp`.\n---\n\n# Rest after {therapy}`prp`\n\nText.\n"
    files = site(extra, art__rest_md=article)
    files["index.md"] = INDEX + "\n:::{article-index}\n:::\n"
    files["conf.py"] = files["conf.py"].replace(
        '"sphinx_prolo"]', '"sphinx_design", "sphinxext.opengraph", "sphinx_prolo"]'
    )
    files["art/prp.md"] = PRP + "\nSee {therapy}`rest`.\n"
    project.write("titleref", files)
    app = project("titleref", name="titleref")
    app.build()
    assert warnings_of(app) == []
    expected = "Rest after PRP injections"
    # Links (the therapy role, related lists, the catalog's cards), og:title and JSON-LD.
    prp = soup(app.outdir / "art/prp.html")
    assert prp.select("div.body p a.prolo-therapy")[0].get_text() == expected
    assert expected in [a.get_text() for a in prp.select("div.prolo-related a")]
    cards = soup(app.outdir / "index.html").select(".sd-card-title a")
    assert expected in [a.get_text() for a in cards]
    rest = soup(app.outdir / "art/rest.html")
    assert rest.find("meta", property="og:title")["content"] == expected
    data = json.loads(rest.find("script", type="application/ld+json").string)
    assert data["headline"] == data["name"] == expected


# --- pages without a title ------------------------------------------------------------------


def test_an_article_without_a_title_keeps_its_metadata_and_disclaimer(project: Projects) -> None:
    # An orphan page with no heading, in MyST and in reStructuredText: the disclaimer used to go
    # in front of the docinfo, which lost ":orphan:" and the page's disclaimer.
    files = site(
        art__note_md="---\norphan: true\nsummary: A short note.\n---\n\nJust a note.\n",
        art__plain_rst=":orphan:\n\nJust some text.\n",
    )
    files["index.md"] = (
        INDEX.replace("art/*\n", "art/prp\nart/prolo\n") + "\nSee {therapy}`note`.\n"
    )
    project.write("untitled", files)
    app = project("untitled", name="untitled")
    app.build()
    assert warnings_of(app) == [
        f"SRC/art/{name}:1: WARNING: article 'art/{stem}' has no title; lists and links show its"
        f" slug '{stem}' until it starts with a heading [prolo.metadata]"
        for name, stem in [("note.md", "note"), ("plain.rst", "plain")]
    ]
    assert "orphan" in app.env.metadata["art/note"]
    assert "orphan" in app.env.metadata["art/plain"]
    for stem in ("note", "plain"):
        page = soup(app.outdir / f"art/{stem}.html")
        assert len(page.select("div.body div.prolo-disclaimer")) == 1, stem
        data = json.loads(page.find("script", type="application/ld+json").string)
        assert "headline" not in data and "name" not in data, data
    index = soup(app.outdir / "index.html")
    assert [a.get_text() for a in index.select("a.prolo-therapy")] == ["note"]


# --- the catalog ---------------------------------------------------------------------------------


def test_catalog_category_no_article_has_names_the_categories(project: Projects) -> None:
    files = site()
    files["art/prp.md"] = PRP.replace("---\n\n", "category: Injection therapies\n---\n\n")
    files["index.md"] = INDEX + "\nText.\n\n:::{article-index}\n:category: Injections\n:::\n"
    project.write("category", files)
    app = project("category", name="category")
    app.build()
    assert warnings_of(app) == [
        "SRC/index.md:11: WARNING: article-index: no article has the category 'Injections';"
        " the categories are: 'Injection therapies' [prolo.ref]"
    ]


# --- typography ---------------------------------------------------------------------------------


def test_notices_have_the_same_typography_wherever_they_come_from(project: Projects) -> None:
    files = site()
    # One article places its notices itself; the other gets them inserted.
    files["art/placed.md"] = "# Placed\n\n:::{disclaimer}\n:::\n\nText.\n\n:::{please-note}\n:::\n"
    project.write("quotes", files)
    app = project("quotes", name="quotes", confoverrides={"language": "fr"})
    app.build()
    assert warnings_of(app) == []

    def notices(page: str) -> list[str]:
        body = soup(app.outdir / page)
        return [
            " ".join(div.get_text().split())
            for div in body.select("div.prolo-disclaimer, div.prolo-please-note")
        ]

    placed, inserted = notices("art/placed.html"), notices("art/prolo.html")
    assert len(placed) == 2
    assert placed == inserted
    assert "’" in placed[0]
    assert "'" not in "".join(placed)
