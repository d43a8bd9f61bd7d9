"""Issue 28's findings, each reproduced: null values, flags with values, sources with both url
and doi, old names with .html, self-references in titles, damaged and hostile catalogs, colon
fences without colon_fence, seek-help boxes only for another builder."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from conftest import MYST_CONF, soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

INDEX = "# Home\n\n```{toctree}\n:glob:\nart/*\n```\n"


def site(article: str, conf: str = "", **more: str) -> dict[str, str]:
    return {"conf.py": MYST_CONF + conf, "index.md": INDEX, "art/knee.md": article, **more}


def build(project: Projects, name: str, files: dict[str, str], **kwargs: object):  # type: ignore[no-untyped-def]
    project.write(name, files)
    app = project(name, name=name, **kwargs)
    app.build()
    return app


def test_null_values_are_warned_and_never_shown(project: Projects) -> None:
    article = (
        "---\nreviewed-by: null\nauthor: null\nshort-title: null\nreviewed: 2026-01-01\n---\n\n"
        "# Knee\n\nText.\n"
    )
    other = "---\nreviewed-by: Ana Ruiz, MD\n---\n\n# Other\n\nSee {therapy}`knee`.\n"
    app = build(
        project,
        "nulls",
        site(article, "prolo_require_reviewer = True\n", **{"art/other.md": other}),
    )
    assert warnings_of(app) == [
        "SRC/art/knee.md:4: WARNING: short-title is empty (null); write a value or leave the key"
        " out [prolo.metadata]",
        "SRC/art/knee.md:3: WARNING: author is empty (null); write a value or leave the key out"
        " [prolo.metadata]",
        "SRC/art/knee.md:2: WARNING: reviewed-by is empty (null); write a value or leave the key"
        " out [prolo.metadata]",
        "SRC/art/knee.md:2: WARNING: no reviewer: name the clinician who reviewed it in"
        " reviewed-by [prolo.metadata]",
    ]
    page = soup(app.outdir / "art/knee.html")
    assert "null" not in page.select_one("div.prolo-review").get_text()
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert "reviewedBy" not in data and "author" not in data
    link = soup(app.outdir / "art/other.html").select_one("section > p a.prolo-therapy")
    assert link.get_text() == "Knee"


def test_names_that_are_not_text_are_warned_and_left_out(project: Projects) -> None:
    article = '---\nreviewed-by: [1, null, true, "Ana Ruiz, MD"]\n---\n\n# Knee\n\nText.\n'
    app = build(project, "names", site(article))
    assert warnings_of(app) == [
        f"SRC/art/knee.md:2: WARNING: reviewed-by: {value} is not a name; it is ignored"
        " [prolo.metadata]"
        for value in ("1", "null", "true")
    ]
    review = soup(app.outdir / "art/knee.html").select_one("div.prolo-review").get_text()
    assert " ".join(review.split()) == "Reviewed by Ana Ruiz, MD"


def test_a_source_keeps_both_its_url_and_its_doi_and_a_misspelt_key_is_named(
    project: Projects,
) -> None:
    article = (
        "---\nsources:\n"
        '  - {text: "A book.", url: "https://a.example/book", doi: "10.1000/xyz"}\n'
        '  - {text: "B.", URL: "https://b.example/"}\n'
        '  - {text: "C.", link: "https://c.example/"}\n'
        "---\n\n# Knee\n\nText.\n"
    )
    app = build(project, "sources-both", site(article))
    assert warnings_of(app) == [
        "SRC/art/knee.md:2: WARNING: sources: 'B.' has the unknown key 'URL'; it is ignored (a"
        " reference takes text, url and doi; did you mean 'url'?) [prolo.metadata]",
        "SRC/art/knee.md:2: WARNING: sources: 'C.' has the unknown key 'link'; it is ignored (a"
        " reference takes text, url and doi; did you mean 'url'?) [prolo.metadata]",
    ]
    page = soup(app.outdir / "art/knee.html")
    first = page.select_one("div.prolo-sources li")
    assert [a["href"] for a in first.select("a")] == [
        "https://a.example/book",
        "https://doi.org/10.1000/xyz",
    ]
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["citation"][0] == {
        "@type": "CreativeWork",
        "name": "A book.",
        "url": "https://a.example/book",
        "sameAs": "https://doi.org/10.1000/xyz",
    }


def test_an_old_address_with_html_gets_its_redirect_page(project: Projects) -> None:
    article = "---\nredirect-from: [articles/old.html]\n---\n\n# Knee\n\nText.\n"
    app = build(project, "redirect-html", site(article))
    assert warnings_of(app) == []
    assert (app.outdir / "articles/old.html").is_file()
    assert not (app.outdir / "articles/old.html.html").exists()


def test_a_reference_to_the_article_in_its_own_title_is_not_repeated(project: Projects) -> None:
    article = "---\nslug: xart\n---\n\n# About {therapy}`xart` itself\n\nText.\n"
    app = build(
        project, "self-title", site(article, **{"art/other.md": "# O\n\n{therapy}`xart`\n"})
    )
    heading = soup(app.outdir / "art/knee.html").select_one("h1").get_text().rstrip("¶")
    assert heading.count("About") == 1 and heading.count("itself") == 1
    link = soup(app.outdir / "art/other.html").select_one("section > p a.prolo-therapy")
    assert link.get_text() == "About xart itself"


def test_a_seek_help_box_only_for_latex_does_not_count_for_html(project: Projects) -> None:
    article = "# Knee\n\nText.\n\n```{only} latex\n:::{seek-help}\nA sign.\n:::\n```\n"
    app = build(project, "only-latex", site(article, "prolo_required_sections = True\n"))
    assert warnings_of(app) == [
        "SRC/art/knee.md:1: WARNING: article 'art/knee' has no seek-help box; a treatment page"
        " says when to get advice and when to get urgent help [prolo.structure]"
    ]


def test_a_colon_fence_without_colon_fence_is_warned_at_its_line(project: Projects) -> None:
    conf = MYST_CONF.replace('myst_enable_extensions = ["colon_fence"]\n', "")
    files = site("# Knee\n\nText.\n\n:::{disclaimer}\n:::\n")
    files["conf.py"] = conf
    app = build(project, "no-colon-fence", files)
    assert warnings_of(app) == [
        "SRC/art/knee.md:5: WARNING: ':::{disclaimer}' is shown as text: MyST reads ':::'"
        ' fences only with its colon_fence extension; add "colon_fence" to'
        " myst_enable_extensions, or write ```{disclaimer} [prolo.notice]"
    ]


FRENCH = 'language = "fr"\nlocale_dirs = ["locale"]\ngettext_compact = False\n'


def catalog(*messages: str) -> str:
    return 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + "".join(
        messages
    )


def test_raw_markup_from_a_catalog_never_reaches_the_page(project: Projects) -> None:
    files = site("# Knee\n\nSome text.\n", FRENCH)
    files["locale/fr/LC_MESSAGES/art/knee.po"] = catalog(
        'msgid "Knee"\nmsgstr "Genou"\n\n',
        'msgid "Some text."\nmsgstr "Du texte <script>alert(1)</script>."\n',
    )
    app = build(project, "raw-po", files)
    html = (app.outdir / "art/knee.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert [w for w in warnings_of(app) if "[prolo.i18n]" in w] == [
        "SRC/locale/fr/LC_MESSAGES/art/knee.po:8: WARNING: raw markup is not allowed in a"
        " translation; it is shown as text: <script> [prolo.i18n]",
        "SRC/locale/fr/LC_MESSAGES/art/knee.po:8: WARNING: raw markup is not allowed in a"
        " translation; it is shown as text: </script> [prolo.i18n]",
    ]


@pytest.mark.parametrize(
    ("damage", "line", "problem"),
    [
        (
            'msgid "Some text."\nmsgstr "Du\n"texte."\n',
            9,
            'not a line of a catalog (a missing closing quote?): msgstr "Du',
        ),
        (
            '<<<<<<< HEAD\nmsgid "Some text."\nmsgstr "Du texte."\n=======\n',
            8,
            "a merge-conflict marker; keep one side and remove it",
        ),
    ],
)
def test_a_damaged_catalog_is_named_with_its_line_and_fails_strict_builds(
    project: Projects, damage: str, line: int, problem: str
) -> None:
    files = site("# Knee\n\nSome text.\n", FRENCH)
    files["locale/fr/LC_MESSAGES/art/knee.po"] = catalog(
        'msgid "Knee"\nmsgstr "Genou"\n\n', damage
    )
    name = f"damaged-{line}"
    app = build(project, name, files)
    assert (
        f"SRC/locale/fr/LC_MESSAGES/art/knee.po:{line}: WARNING: damaged catalog: {problem}"
        " [prolo.i18n]"
    ) in warnings_of(app)


def test_an_old_name_longer_than_a_file_name_is_warned_not_a_crash(project: Projects) -> None:
    long = "a" * 300
    article = f"---\nredirect-from: [{long}, old/knee]\n---\n\n# Knee\n\nText.\n"
    app = build(project, "redirect-long", site(article))
    assert warnings_of(app) == [
        f"SRC/art/knee.md:2: WARNING: redirect-from: '{long}' is ignored: a part of it is longer"
        " than a file name may be (200 bytes) [prolo.metadata]"
    ]
    assert (app.outdir / "old/knee.html").is_file()


def test_a_report_from_json_nested_too_deep_is_a_warning_not_a_crash(project: Projects) -> None:
    files = site("# Knee\n\nText.\n")
    files["index.md"] = INDEX + "\n:::{article-report}\n:from: deep.json\n:::\n"
    files["deep.json"] = "[" * 100_000 + "]" * 100_000
    app = build(project, "report-deep", files)
    warnings = warnings_of(app)
    assert len(warnings) == 1 and "article-report: cannot read deep.json" in warnings[0]
    assert warnings[0].endswith("[prolo.report]")


def test_an_unclosed_bracket_drops_its_key_only_with_a_located_warning(project: Projects) -> None:
    article = (
        "---\nsummary: A knee page.\nkeywords: [knee pain, sore knee\ncategory: Knees\n---\n\n"
        "# Knee\n\nText.\n"
    )
    app = build(project, "yaml-bracket", site(article))
    warnings = warnings_of(app)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(
        "SRC/art/knee.md:3: WARNING: keywords: YAML cannot read this value ("
    )
    assert warnings[0].endswith("the key is left out, the others are kept [prolo.metadata]")
    page = soup(app.outdir / "art/knee.html")
    assert page.select_one("p.prolo-summary").get_text() == "A knee page."
