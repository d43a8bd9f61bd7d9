"""Every example in the writing guide is a test input: each is built and its output read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import HANDBOOK, soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

EXAMPLES = HANDBOOK / "_examples"
MYST_CONF = (
    'extensions = ["myst_parser", "sphinx_prolo"]\n'
    'myst_enable_extensions = ["colon_fence", "deflist"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_terms_url = "terms"\n'
)


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_every_example_file_is_covered_by_a_test() -> None:
    covered = {
        "notices-basic.md",
        "notices-options.md",
        "notices-rst.rst",
        "notices-conf.py",
        "_notices/disclaimer.md",
        "_notices/please-note.md",
        "article.md",
        "article.rst",
        "articles-conf.py",
        "therapy-role.md",
        "article-index.md",
        "related-articles.md",
        "walkthrough/heat-and-cold-packs.md",
        "seek-help.md",  # test_docs_site: the guide's walkthrough
    }
    on_disk = {str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if p.is_file()}
    assert on_disk == covered


def test_markdown_notice_examples_build_cleanly(project: Projects) -> None:
    project.write(
        "examples-md",
        {
            "conf.py": MYST_CONF,
            "index.md": "# Examples\n\n```{toctree}\nbasic\noptions\nterms\n```\n",
            "basic.md": "# Basic\n\n" + example("notices-basic.md"),
            "options.md": "# Options\n\n" + example("notices-options.md"),
            "terms.md": "# Terms\n\nThe terms.\n",
        },
    )
    app = project("examples-md", confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    basic = soup(app.outdir / "basic.html")
    assert [div["class"][1] for div in basic.select("div.admonition")] == [
        "prolo-disclaimer",
        "prolo-please-note",
    ]
    options = soup(app.outdir / "options.html")
    note = options.select_one("div.prolo-please-note")
    assert note["id"] == "note-on-evidence"
    assert "compact" in note["class"]
    assert "the research is still young" in note.get_text()
    assert options.find("a", string="the note above")["href"] == "#note-on-evidence"


def test_rst_notice_example_builds_cleanly(project: Projects) -> None:
    project.write(
        "examples-rst",
        {
            "conf.py": 'extensions = ["sphinx_prolo"]\nexclude_patterns = ["_build"]\n',
            "index.rst": "Example\n=======\n\n" + example("notices-rst.rst"),
        },
    )
    app = project("examples-rst", confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "index.html")
    assert len(page.select("div.prolo-disclaimer")) == 1
    assert page.select_one("div.prolo-please-note")["id"] == "note-on-evidence"


def test_configuration_example_with_notice_sources_builds_cleanly(project: Projects) -> None:
    project.write(
        "examples-conf",
        {
            "conf.py": example("notices-conf.py") + 'exclude_patterns = ["_build"]\n'
            'myst_enable_extensions = ["colon_fence"]\n',
            "_notices/disclaimer.md": example("_notices/disclaimer.md"),
            "_notices/please-note.md": example("_notices/please-note.md"),
            "index.md": "# Article\n\n"
            + example("notices-basic.md")
            + "\n```{toctree}\nterms\n```\n",
            "terms.md": "# Terms and Conditions of Use\n\nThe terms.\n",
        },
    )
    app = project("examples-conf", confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "index.html")
    disclaimer = page.select_one("div.prolo-disclaimer")
    assert "The information on this page is general and educational." in disclaimer.get_text()
    assert disclaimer.find("a")["href"] == "terms.html"
    note = page.select_one("div.prolo-please-note")
    assert "Ask your physiotherapist what the research says" in note.get_text()


TARGETS = {
    "learning-centre/exercise-therapy.md": (
        "---\nsummary: Exercises.\ncategory: Exercise and movement\n---\n\n# Exercise therapy\n"
    ),
    "learning-centre/manual-therapy.md": "---\ncategory: Manual\n---\n\n# Manual therapy\n",
    "learning-centre/prp-injections.md": (
        "---\nsummary: PRP.\ncategory: Injection therapies\nreviewed: 2026-10-01\n---\n\n"
        "# Platelet-rich plasma (PRP) injections\n"
    ),
}


def test_article_examples_build_cleanly(project: Projects) -> None:
    project.write(
        "examples-articles",
        {
            "conf.py": example("articles-conf.py")
            + 'exclude_patterns = ["_build"]\nmyst_enable_extensions = ["colon_fence"]\n'
            + 'today = "2026-11-26"\n',
            "index.md": "# Home\n\n" + example("article-index.md") + "\n"
            "```{toctree}\n:glob:\nlearning-centre/*\n```\n",
            "learning-centre/shoulder-exercises.md": example("article.md"),
            "learning-centre/placed.md": "# Placed\n\n"
            + example("therapy-role.md")
            + "\n"
            + example("related-articles.md")
            + "\n"
            + example("seek-help.md")
            + "\n## Later\n\nText.\n",
            **TARGETS,
        },
    )
    app = project("examples-articles", confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    article = soup(app.outdir / "learning-centre/shoulder-exercises.html")
    links = [(a.get_text(), a["href"]) for a in article.select("section > p a.prolo-therapy")]
    assert links == [("manual therapy", "manual-therapy.html")]
    assert [a.get_text() for a in article.select("div.prolo-related a")] == [
        "Exercise therapy",
        "Manual therapy",
    ]
    assert article.select_one("div.prolo-review p").get_text() == (
        "Page last reviewed: 1 October 2026"
    )
    assert len(article.select("div.prolo-disclaimer")) == 1
    placed = soup(app.outdir / "learning-centre/placed.html")
    emergency = placed.select_one("div.prolo-seek-help-emergency")
    urgent = placed.select_one("div.prolo-seek-help-urgent")
    advice = placed.select_one("div.prolo-seek-help-advice")
    assert emergency.select_one("p.admonition-title").get_text() == (
        "Call your local emergency number now if:"
    )
    assert urgent.select_one("p.admonition-title").get_text() == "Get medical help today if:"
    assert advice.select_one("p.admonition-title").get_text() == "Get advice from your clinic if:"
    assert len(urgent.select("li")) == 2
    assert [a.get_text() for a in placed.select("section > p a.prolo-therapy")] == [
        "Platelet-rich plasma (PRP) injections",
        "these injections",
    ]
    section = placed.select_one("section")
    order = [
        child.name + "." + ".".join(child.get("class", []))
        for child in section.children
        if getattr(child, "name", None)
    ]
    assert order.index("div.prolo-related.docutils.container") < order.index("section.")
    catalog = soup(app.outdir / "index.html").select_one("div.prolo-catalog")
    assert [a.get_text() for a in catalog.select("a.prolo-therapy")] == [
        "Platelet-rich plasma (PRP) injections"
    ]


def test_rst_article_example_builds_cleanly(project: Projects) -> None:
    project.write(
        "examples-rst-article",
        {
            "conf.py": 'extensions = ["sphinx_prolo"]\nexclude_patterns = ["_build"]\n'
            'prolo_article_patterns = ["learning-centre/*"]\ntoday = "2026-11-26"\n',
            "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   learning-centre/*\n",
            "learning-centre/shoulder-exercises.rst": example("article.rst"),
            "learning-centre/exercise-therapy.rst": ":summary: Exercises.\n\nExercise therapy\n"
            "================\n",
            "learning-centre/manual-therapy.rst": "Manual therapy\n==============\n",
        },
    )
    app = project("examples-rst-article", confoverrides={"nitpicky": True})
    app.build()
    assert warnings_of(app) == []
    article = soup(app.outdir / "learning-centre/shoulder-exercises.html")
    assert [a.get_text() for a in article.select("div.prolo-related a")] == [
        "Exercise therapy",
        "Manual therapy",
    ]
