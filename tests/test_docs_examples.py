"""Every example in the writing guide is a test input: each is built and its output read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import DOCS, soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

EXAMPLES = DOCS / "_examples"
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
