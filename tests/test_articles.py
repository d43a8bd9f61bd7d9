"""Articles: the therapy role, notices on every article, related lists, catalog, review dates."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from conftest import article_inventory, soup, touch_later, warnings_of
from sphinx_prolo.config import SETTINGS

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

    from conftest import Projects

PRP_TITLE = "Platelet-rich plasma (PRP) injections"
PRP_SUMMARY = "Injections of a concentrate made from your own blood."
PROLO_TITLE = "Inflammatory prolotherapy"
PROLO_SUMMARY = "An injection meant to start a small, controlled healing response."
EXERCISE_TITLE = "Exercise therapy"
EXERCISE_SUMMARY = "Exercises chosen and adjusted by your physiotherapist."


def therapy_links(page: BeautifulSoup | Tag) -> list[tuple[str, str, str | None]]:
    return [(a.get_text(), a["href"], a.get("title")) for a in page.select("a.prolo-therapy")]


def body_of(page: BeautifulSoup) -> Tag:
    return page.select_one("div.body") or page.select_one("article")


def related(page: BeautifulSoup) -> list[tuple[str, str, str | None]]:
    section = page.select_one("div.prolo-related")
    if section is None:
        return []
    assert section.find("h2").get_text() == "Related articles"
    return therapy_links(section)


def test_therapy_role_titles_links_from_the_target(project: Projects) -> None:
    app = project("articles")
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "articles/prolotherapy.html")
    prp = (PRP_TITLE, "prp-injections.html", PRP_SUMMARY)
    exercise = (EXERCISE_TITLE, "exercise-therapy.html", EXERCISE_SUMMARY)
    main = body_of(page)
    assert therapy_links(main.select("section > p:not(.prolo-summary)")[0]) == [
        prp,
        ("these injections", "prp-injections.html", PRP_SUMMARY),  # explicit text, via alias
    ]
    assert therapy_links(main.find("h2")) == [exercise]  # inside a heading
    assert therapy_links(main.find("ul")) == [prp]  # inside a list, through the alias "prp"
    assert therapy_links(main.find("table")) == [prp]
    assert therapy_links(main.select_one("div.admonition.note")) == [prp]


def test_every_article_carries_its_notices_in_place(project: Projects) -> None:
    app = project("articles")
    app.build()
    for name in ("prolotherapy", "prp-injections", "exercise-therapy"):
        section = body_of(soup(app.outdir / f"articles/{name}.html")).find("section")
        children = [child for child in section.find_all(recursive=False)]
        assert children[0].name == "h1", name
        # The summary under the title, then the disclaimer; at the end the please-note, and
        # after it only the feedback line (when the site has one).
        assert children[1]["class"] == ["prolo-summary"], name
        assert "prolo-disclaimer" in children[2]["class"], name
        assert "prolo-please-note" in children[-1]["class"], name
        assert len(section.select("div.prolo-disclaimer")) == 1, name
        assert len(section.select("div.prolo-please-note")) == 1, name
    # The index is not an article: no notices are added to it.
    index = soup(app.outdir / "index.html")
    assert index.select("div.prolo-disclaimer, div.prolo-please-note") == []


def test_related_section_lists_related_referenced_and_backlinks(project: Projects) -> None:
    app = project("articles")
    app.build()
    prolo = soup(app.outdir / "articles/prolotherapy.html")
    # related: exercise-therapy; referenced: prp-injections; backlink: exercise-therapy (once)
    assert related(prolo) == [
        (EXERCISE_TITLE, "exercise-therapy.html", EXERCISE_SUMMARY),
        (PRP_TITLE, "prp-injections.html", PRP_SUMMARY),
    ]
    items = [li.get_text() for li in prolo.select("div.prolo-related li")]
    assert items[0] == f"{EXERCISE_TITLE} — {EXERCISE_SUMMARY}"
    # prp-injections references nothing and relates to nothing: only its backlink.
    prp = soup(app.outdir / "articles/prp-injections.html")
    assert related(prp) == [(PROLO_TITLE, "prolotherapy.html", PROLO_SUMMARY)]
    # The related list, then the review dates, then the please-note that closes the article.
    section = body_of(prp).find("section")
    tail = [child.get("class", []) for child in section.find_all(recursive=False)][-3:]
    assert "prolo-related" in tail[0]
    assert "prolo-review" in tail[1]
    assert "prolo-please-note" in tail[2]


def test_related_articles_directive_places_the_list_by_hand(project: Projects) -> None:
    app = project("articles")
    app.build()
    section = body_of(soup(app.outdir / "articles/exercise-therapy.html")).find("section")
    names = [
        (child.name, " ".join(child.get("class", [])))
        for child in section.find_all(recursive=False)
    ]
    related_at = next(i for i, (_, cls) in enumerate(names) if "prolo-related" in cls)
    more_at = next(i for i, (name, _) in enumerate(names) if name == "section")
    assert related_at < more_at
    assert len(section.select("div.prolo-related")) == 1


def test_review_dates_at_the_end_of_the_article(project: Projects) -> None:
    app = project("articles")
    app.build()
    prolo = soup(app.outdir / "articles/prolotherapy.html")
    lines = [p.get_text() for p in prolo.select("div.prolo-review p")]
    # reviewed 2026-09-15 + the default interval of 1095 days
    assert lines == ["Page last reviewed: 15 September 2026", "Next review due: 15 September 2029"]
    prp = soup(app.outdir / "articles/prp-injections.html")
    lines = [p.get_text() for p in prp.select("div.prolo-review p")]
    assert lines == ["Page last reviewed: 1 October 2026", "Next review due: 1 April 2027"]
    exercise = soup(app.outdir / "articles/exercise-therapy.html")
    assert exercise.select("div.prolo-review") == []


def test_catalog_renders_cards_grouped_by_category(project: Projects) -> None:
    app = project("articles")
    app.build()
    catalog = soup(app.outdir / "index.html").select_one("div.prolo-catalog")
    headings = [h.get_text() for h in catalog.find_all("h2")]
    assert headings == ["Exercise and movement", "Injection therapies"]
    cards = catalog.select("div.sd-card.prolo-card")
    assert [therapy_links(card)[0][0] for card in cards] == [
        EXERCISE_TITLE,
        PROLO_TITLE,
        PRP_TITLE,
    ]
    prolo_card = cards[1]
    assert prolo_card.select_one(".sd-card-title a")["href"] == "articles/prolotherapy.html"
    assert prolo_card.select_one("p.sd-card-text").get_text() == PROLO_SUMMARY
    assert prolo_card.select_one(".sd-card-footer").get_text().strip() == (
        "Last reviewed: 15 September 2026"
    )


def test_catalog_category_filter(project: Projects) -> None:
    srcdir = project.source("articles", name="filtered")
    (srcdir / "index.md").write_text(
        "# Injections\n\n:::{article-index}\n:category: injection therapies\n:::\n\n"
        "```{toctree}\n:glob:\narticles/*\nterms\n```\n",
        encoding="utf-8",
    )
    app = project("articles", name="filtered")
    app.build()
    assert warnings_of(app) == []
    catalog = soup(app.outdir / "index.html").select_one("div.prolo-catalog")
    assert [link[0] for link in therapy_links(catalog)] == [PROLO_TITLE, PRP_TITLE]
    assert catalog.find("h2") is None


def test_rst_articles_field_list_role_and_plain_catalog(project: Projects) -> None:
    app = project("articles-rst")
    app.build()
    assert warnings_of(app) == []
    shockwave = soup(app.outdir / "articles/shockwave.html")
    main = body_of(shockwave)
    assert therapy_links(main.select("section > p:not(.prolo-summary)")[0]) == [
        ("Manual therapy", "manual-therapy.html", "Hands-on treatment of joints and soft tissue."),
        ("hands-on care", "manual-therapy.html", "Hands-on treatment of joints and soft tissue."),
    ]
    assert [link[0] for link in related(shockwave)] == ["Manual therapy"]
    assert len(main.select("div.prolo-disclaimer")) == 1
    assert main.select("div.prolo-review p")[0].get_text() == ("Page last reviewed: 1 August 2026")
    # Without sphinx-design the catalog is a plain list under category headings.
    catalog = soup(app.outdir / "index.html").select_one("div.prolo-catalog")
    assert catalog.select("div.sd-card") == []
    assert [h.get_text() for h in catalog.find_all("h2")] == ["Physical therapies"]
    items = [li.get_text() for li in catalog.select("ul.prolo-catalog-list li")]
    assert items == [
        "Manual therapy — Hands-on treatment of joints and soft tissue.",
        "Shockwave therapy — Sound waves aimed at a sore tendon. (Last reviewed: 1 August 2026)",
    ]


def test_articles_are_listed_in_objects_inv(project: Projects) -> None:
    app = project("articles")
    app.build()
    entries = article_inventory(app.outdir / "objects.inv")
    assert entries["prolotherapy"] == ("articles/prolotherapy.html", PROLO_TITLE)
    assert entries["prp-injections"] == ("articles/prp-injections.html", PRP_TITLE)
    assert entries["prp"] == ("articles/prp-injections.html", PRP_TITLE)
    # Slugs and aliases are listed with a negative priority, which keeps them out of the search
    # results: the search lists each article once, as its page (see test_site_search).
    search = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    objects = json.loads(search[search.index("(") + 1 : search.rindex(")")])["objects"]
    assert objects == {}


def test_bad_metadata_and_unknown_slugs_are_warnings_with_locations(project: Projects) -> None:
    app = project("articles-bad")
    app.build()
    assert warnings_of(app) == [
        "SRC/articles/prolotherapy.md:2: WARNING: slug 'Prolo Therapy!' is not valid (lower-case"
        " letters and digits in words joined by single hyphens); 'prolotherapy' is used instead"
        " [prolo.metadata]",
        "SRC/articles/prp-injections.md:2: WARNING: summary should be text, not a list; its"
        " items are joined [prolo.metadata]",
        "SRC/articles/prp-injections.md:4: WARNING: reviewed: '15/09/2026' is not a date of the"
        " form YYYY-MM-DD; it is ignored [prolo.metadata]",
        # prolotherapy.md is named after the slug, so it keeps it: duplicate.md (a copy, say)
        # is the one told.
        "SRC/articles/duplicate.md:2: WARNING: slug 'prolotherapy' is also claimed by"
        " SRC/articles/prolotherapy.md, which wins: references to it lead there"
        " [prolo.duplicate]",
        "SRC/articles/prolotherapy.md:3: WARNING: alias 'prp-injections' is also claimed by"
        " SRC/articles/prp-injections.md, which wins: references to it lead there"
        " [prolo.duplicate]",
        "SRC/articles/prp-injections.md:3: WARNING: related article 'shockwave' not found"
        " [prolo.metadata]",
        "SRC/index.md:3: WARNING: unknown therapy article 'prp-injection'; did you mean"
        " 'prp-injections'? [prolo.ref]",
        "SRC/index.md:3: WARNING: unknown therapy article 'zzz' [prolo.ref]",
    ]
    # An overdue review never fails an HTML build: it is reported on the status output.
    status = app.status.getvalue().replace(str(app.srcdir) + "/", "SRC/")
    assert (
        "SRC/articles/prolotherapy.md:4: review overdue: the next review of"
        " 'articles/prolotherapy' was due on 2023-01-01" in status
    )
    index = soup(app.outdir / "index.html")
    text = body_of(index).get_text()
    assert "See prp-injection and zzz." in text  # kept as plain text, not lost
    assert therapy_links(index) == []
    prp = soup(app.outdir / "articles/prp-injections.html")
    # The related slug 'prolotherapy' leads to the article named after it.
    assert therapy_links(body_of(prp).select("div.prolo-related")[0]) == [
        ("Prolotherapy", "prolotherapy.html", None)
    ]


def test_auto_notices_off_reports_articles_without_a_disclaimer(project: Projects) -> None:
    app = project("articles", confoverrides={"prolo_auto_notices": False})
    app.build()
    assert warnings_of(app) == [
        "SRC/articles/exercise-therapy.md: WARNING: article 'articles/exercise-therapy' has no"
        " disclaimer; add a disclaimer directive at its top [prolo.notice]",
        "SRC/articles/prolotherapy.md: WARNING: article 'articles/prolotherapy' has no"
        " disclaimer; add a disclaimer directive at its top [prolo.notice]",
    ]
    prolo = soup(app.outdir / "articles/prolotherapy.html")
    assert prolo.select("div.prolo-disclaimer, div.prolo-please-note") == []


def test_related_section_can_be_turned_off(project: Projects) -> None:
    app = project("articles", confoverrides={"prolo_related_section": False})
    app.build()
    assert warnings_of(app) == []
    assert soup(app.outdir / "articles/prolotherapy.html").select("div.prolo-related") == []
    # A list placed by hand stays.
    exercise = soup(app.outdir / "articles/exercise-therapy.html")
    assert len(exercise.select("div.prolo-related")) == 1


@pytest.mark.parametrize(
    ("builder", "output"),
    [("text", "articles/prolotherapy.txt"), ("latex", "projectnamenotset.tex")],
)
def test_other_builders_render_link_text_and_sections(
    project: Projects, builder: str, output: str
) -> None:
    app = project("articles", builder)
    app.build()
    # The text writer stars cross-references; LaTeX wraps them in macros.
    raw = (app.outdir / output).read_text(encoding="utf-8").replace("*", "")
    text = " ".join(raw.replace("\\sphinxhyphen{}", "-").split())
    for expected in (
        PRP_TITLE,
        "these injections",
        "Related articles",
        "Page last reviewed: 15 September 2026",
        "Disclaimer",
        "Please note",
    ):
        assert expected in text, (builder, expected)


def test_epub_renders_links_and_sections(project: Projects) -> None:
    app = project(
        "articles", "epub", confoverrides={"project": "LC", "copyright": "2026", "version": "1"}
    )
    app.build()
    page = soup(app.outdir / "articles/prolotherapy.xhtml")
    assert therapy_links(page.select("section > p:not(.prolo-summary)")[0])[0][0] == PRP_TITLE
    assert page.select_one("div.prolo-related h2").get_text() == "Related articles"
    assert page.select_one("div.prolo-disclaimer")["role"] == "note"


def test_summary_is_escaped_in_meta_tags_and_json_ld(project: Projects) -> None:
    srcdir = project.source("articles", name="escaping")
    page = srcdir / "articles/prp-injections.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "summary: Injections of a concentrate made from your own blood.",
            "summary: '</script><script>alert(1)</script> & \"quotes\" <b onclick=x>'",
        ),
        encoding="utf-8",
    )
    app = project("articles", name="escaping")
    app.build()
    html = (app.outdir / "articles/prp-injections.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "<b onclick" not in html
    parsed = soup(app.outdir / "articles/prp-injections.html")
    summary = '</script><script>alert(1)</script> & "quotes" <b onclick=x>'
    assert parsed.find("meta", attrs={"name": "description"})["content"] == summary
    data = json.loads(parsed.find("script", type="application/ld+json").string)
    assert data["description"] == summary
    # The link tooltips on the other pages carry it escaped too.
    other = (app.outdir / "articles/prolotherapy.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in other
    assert (
        soup(app.outdir / "articles/prolotherapy.html").select("a.prolo-therapy")[0]["title"]
        == summary
    )


def test_a_therapy_reference_is_reported_at_its_own_line(project: Projects) -> None:
    # MyST gives an inline role its paragraph's first line; the warning names the role's line,
    # and a second use of the same text in the paragraph is found after the first.
    paragraph = (
        "First line of a paragraph {therapy}`nowhere`\nsecond line\n"
        "third line with {therapy}`nowhere` and {therapy}`elsewhere`.\n"
    )
    project.write(
        "role-lines",
        {
            "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'exclude_patterns = ["_build"]\nprolo_article_patterns = ["articles/*"]\n',
            "index.md": "# Home\n\n```{toctree}\n:glob:\narticles/*\n```\n",
            "articles/a.md": "# A\n\n" + paragraph,
            "articles/b.rst": "B\n=\n\nFirst line\nsecond :therapy:`elsewhere` here.\n",
        },
    )
    app = project("role-lines", name="role-lines")
    app.build()
    assert [w.split(" [")[0] for w in warnings_of(app)] == [
        "SRC/articles/a.md:3: WARNING: unknown therapy article 'nowhere'",
        "SRC/articles/a.md:5: WARNING: unknown therapy article 'nowhere'",
        "SRC/articles/a.md:5: WARNING: unknown therapy article 'elsewhere'",
        "SRC/articles/b.rst:5: WARNING: unknown therapy article 'elsewhere'",
    ]


def test_suggestions_never_point_an_article_at_itself(project: Projects) -> None:
    # In knee-pain, "knee-pains" is nearest to the article's own slug: not a useful suggestion.
    project.write(
        "self-suggestion",
        {
            "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'exclude_patterns = ["_build"]\nprolo_article_patterns = ["articles/*"]\n',
            "index.md": "# Home\n\n```{toctree}\n:glob:\narticles/*\n```\n",
            "articles/knee-pain.md": "---\nrelated: [knee-pains]\n---\n\n# Knee pain\n\n"
            "See {therapy}`knee-pains`.\n",
            "articles/shoulder.md": "# Shoulder\n\nSee {therapy}`knee-pains`.\n",
        },
    )
    app = project("self-suggestion", name="self-suggestion")
    app.build()
    assert [w.split(" [")[0] for w in warnings_of(app)] == [
        "SRC/articles/knee-pain.md:2: WARNING: related article 'knee-pains' not found",
        "SRC/articles/knee-pain.md:7: WARNING: unknown therapy article 'knee-pains'",
        "SRC/articles/shoulder.md:3: WARNING: unknown therapy article 'knee-pains';"
        " did you mean 'knee-pain'?",
    ]


def test_folder_indexes_take_their_folders_names_and_duplicates_have_a_line(
    project: Projects,
) -> None:
    project.write(
        "indexes",
        {
            "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'exclude_patterns = ["_build"]\nprolo_article_patterns = ["**"]\n',
            "index.md": "# Home\n\n```{toctree}\n:glob:\n*/index\nknee-pain\n```\n",
            "knee/index.md": "# Knee\n\nText.\n",
            "shoulder/index.md": "# Shoulder\n\nText.\n",
            "knee-pain.md": "---\nslug: knee\n---\n\n# Knee pain\n\nText.\n",
        },
    )
    app = project("indexes", name="indexes")
    app.build()
    slugs = article_inventory(app.outdir / "objects.inv")
    assert slugs["shoulder"][0] == "shoulder/index.html"
    assert "index" in slugs  # the root document keeps its own name
    # A real duplicate: "knee" from the folder's name and from a slug key, each with a line.
    duplicates = [w for w in warnings_of(app) if "[prolo.duplicate]" in w]
    assert len(duplicates) == 1
    assert duplicates[0].startswith(
        ("SRC/knee/index.md:1: WARNING:", "SRC/knee-pain.md:2: WARNING:")
    )


@pytest.mark.parametrize(
    ("pattern", "articles"),
    [("learning/*", ["learning/rest"]), ("learning/**", ["learning/knee/brace", "learning/rest"])],
)
def test_one_star_stays_in_its_folder_and_two_reach_subfolders(
    project: Projects, pattern: str, articles: list[str]
) -> None:
    # As the setting's description and the guide say (Sphinx's patterns).
    name = "stars-" + str(pattern.count("*"))
    project.write(
        name,
        {
            "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
            f'exclude_patterns = ["_build"]\nprolo_article_patterns = ["{pattern}"]\n',
            "index.md": "# Home\n\n```{toctree}\n:glob:\nlearning/**\n```\n",
            "learning/rest.md": "# Rest\n\nText.\n",
            "learning/knee/brace.md": "# Knee brace\n\nText.\n",
        },
    )
    app = project(name, name=name)
    app.build()
    assert sorted(app.env.domaindata["prolo"]["articles"]) == articles
    setting = next(s for s in SETTINGS if s.name == "prolo_article_patterns")
    assert "'**' also reaches" in setting.description


def test_unknown_front_matter_keys_are_warned_about_with_the_nearest_known_one(
    project: Projects,
) -> None:
    project.write(
        "keys",
        {
            "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'exclude_patterns = ["_build"]\nprolo_article_patterns = ["articles/*"]\n'
            'prolo_front_matter_keys = ["audience"]\n',
            "index.md": "# Home\n\n```{toctree}\n:glob:\narticles/*\n```\n",
            "articles/a.md": "---\nsumary: A typo.\naudience: adults\norphan: false\n"
            "colour: blue\nsummary: Kept.\n---\n\n# A\n\nText.\n",
        },
    )
    app = project("keys", name="keys")
    app.build()
    assert [w.split(" [")[0] for w in warnings_of(app)] == [
        "SRC/articles/a.md:2: WARNING: unknown front matter key 'sumary'; it is ignored;"
        " did you mean 'summary'?",
        "SRC/articles/a.md:5: WARNING: unknown front matter key 'colour'; it is ignored"
        " (add it to prolo_front_matter_keys if another tool reads it)",
    ]
    page = soup(app.outdir / "articles/a.html")
    assert page.find("meta", attrs={"name": "description"})["content"] == "Kept."


@pytest.mark.parametrize(
    ("reviewed", "overrides", "due"),
    [
        ("2025-03-01", {}, "2028-03-01"),  # three calendar years, not 1,095 days
        ("2024-02-29", {}, "2027-02-28"),  # a leap day: the month's last day
        ("2026-01-31", {"prolo_review_interval_months": 1}, "2026-02-28"),
        ("2025-03-01", {"prolo_review_interval_days": 1095}, "2028-02-29"),  # days, if set
    ],
)
def test_the_next_review_is_counted_in_calendar_months(
    project: Projects, reviewed: str, overrides: dict[str, int], due: str
) -> None:
    project.write(
        "months",
        {
            "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'exclude_patterns = ["_build"]\nprolo_article_patterns = ["articles/*"]\n'
            'today = "2026-01-01"\n',
            "index.md": "# Home\n\n```{toctree}\n:glob:\narticles/*\n```\n",
            "articles/a.md": f"---\nreviewed: {reviewed}\n---\n\n# A\n\nText.\n",
        },
    )
    app = project("months", name="months", confoverrides=overrides)
    app.build()
    data = json.loads((app.outdir / "content-report.json").read_text(encoding="utf-8"))
    assert data["articles"][0]["next_review"] == due


def test_short_title_reads_in_running_text_and_lists_keep_the_full_title(
    project: Projects,
) -> None:
    prp = (
        "---\nshort-title: PRP injections\nsummary: Injections made from your own blood.\n"
        "category: Injections\n---\n\n# Platelet-rich plasma (PRP) injections: how they work\n\n"
        "Text.\n"
    )
    rest = (
        "---\nrelated: [prp]\ncategory: Injections\n---\n\n# Rest after {therapy}`prp`\n\n"
        "Some people have {therapy}`prp`, or {therapy}`these injections <prp>`.\n"
    )
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_design", "sphinx_prolo"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'exclude_patterns = ["_build"]\nprolo_article_patterns = ["art/*"]\n',
        "index.md": "# Accueil\n\n```{toctree}\n:glob:\nart/*\n```\n\n:::{article-index}\n:::\n",
        "art/prp.md": prp,
        "art/rest.md": rest,
    }
    files |= {f"art/filler-{n}.md": f"# Filler {n}\n\nText.\n" for n in range(6)}
    src = project.write("short-title", files)
    # Parallel and in French, as the other keys are tested.
    app = project("short-title", name="short-title", parallel=2, confoverrides={"language": "fr"})
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "art/rest.html")
    assert page.select_one("h1").get_text().rstrip("#¶ ") == "Rest after PRP injections"
    running = [a.get_text() for a in page.select("div.body section > p a.prolo-therapy")]
    assert running == ["PRP injections", "these injections"]
    assert [a.get_text() for a in page.select("div.prolo-related a")] == [
        "Platelet-rich plasma (PRP) injections: how they work"
    ]
    cards = soup(app.outdir / "index.html").select(".sd-card-title a")
    assert "Platelet-rich plasma (PRP) injections: how they work" in [a.get_text() for a in cards]
    assert "Rest after PRP injections" in [a.get_text() for a in cards]
    prp_page = soup(app.outdir / "art/prp.html")
    assert prp_page.select_one("h1").get_text().rstrip("#¶ ") == (
        "Platelet-rich plasma (PRP) injections: how they work"
    )

    # An incremental build after the short title changes shows the new one.
    (src / "art/prp.md").write_text(prp.replace("PRP injections\n", "PRP shots\n", 1))
    touch_later(src / "art/prp.md")
    app = project("short-title", name="short-title", parallel=2, confoverrides={"language": "fr"})
    app.build()
    page = soup(app.outdir / "art/rest.html")
    running = [a.get_text() for a in page.select("div.body section > p a.prolo-therapy")]
    assert running == ["PRP shots", "these injections"]
