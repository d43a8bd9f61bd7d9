"""The site's own search: readers' words (keywords, aliases) indexed, each article listed once.

What the search page does with them in a browser is in test_browser; here, what the build writes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from conftest import article_inventory, soup, warnings_of

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Projects

KEYWORDS = '["cortisone shot", "Steroid injection"]'


def search_index(outdir: Path) -> dict[str, Any]:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return data


def with_keywords(project: Projects, keywords: str, name: str = "keywords") -> Path:
    src = project.source("articles", name)
    path = src / "articles" / "prp-injections.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", f"---\nkeywords: {keywords}\n", 1), encoding="utf-8")
    return src


def test_keywords_and_aliases_are_in_the_search_index(project: Projects) -> None:
    with_keywords(project, KEYWORDS)
    app = project("articles", name="keywords")
    app.build()
    assert warnings_of(app) == []
    page = soup(app.outdir / "articles/prp-injections.html")
    meta = page.find("meta", attrs={"name": "keywords"})
    assert meta["content"] == (
        "cortisone shot, cortisone, shot, Steroid injection, Steroid, injection, prp"
    )
    index = search_index(app.outdir)
    docnames = index["docnames"]
    prp = docnames.index("articles/prp-injections")

    def documents_with(word: str) -> list[str]:
        found = index["terms"].get(word, [])
        return sorted(docnames[i] for i in ([found] if isinstance(found, int) else found))

    assert prp in [docnames.index(d) for d in documents_with("cortison")]
    assert documents_with("cortison") == ["articles/prp-injections"]
    assert "articles/prp-injections" in documents_with("steroid")
    # Each article once: its slug and aliases are no search results of their own ...
    assert index["objects"] == {}
    # ... and still reach it through intersphinx.
    inventory = article_inventory(app.outdir / "objects.inv")
    assert {"prp-injections", "prp", "prolotherapy", "prolo"} <= inventory.keys()


def test_the_search_words_are_html_safe_and_only_on_the_search_page(project: Projects) -> None:
    with_keywords(project, '["</script><b>x</b>", "PRP & co"]')
    app = project("articles", name="keywords")
    app.build()
    search = (app.outdir / "search.html").read_text(encoding="utf-8")
    inline = [
        script.string
        for script in soup(app.outdir / "search.html").find_all("script")
        if script.string and "PROLO_SEARCH_WORDS" in script.string
    ]
    assert len(inline) == 1
    assert "<b>" not in search and "</script><b>" not in search and "PRP & co" not in search
    first = inline[0].strip().splitlines()[0]  # then the texts for a search that finds nothing
    data = first.removeprefix("window.PROLO_SEARCH_WORDS = ").removesuffix(";")
    words = json.loads(data)["articles/prp-injections"]
    assert words[:2] == ["</script><b>x</b>", "script"]
    assert "prp & co" in words
    assert "sphinx-prolo-search.js" in search
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "sphinx-prolo-search" not in index and "PROLO_SEARCH_WORDS" not in index


@pytest.mark.parametrize(
    ("keywords", "problem", "kept"),
    [
        (
            '{"a": 1}',
            "keywords should be a list of words or phrases, not a mapping; it is ignored",
            "prp",  # the alias is still there
        ),
        (
            '["knee jab", ["nested"], "knee jab"]',
            "keywords: ['nested'] is not a word or a phrase; it is ignored",
            "knee jab, knee, jab, prp",
        ),
    ],
    ids=["mapping", "nested"],
)
def test_bad_keywords_are_located_warnings_and_the_rest_is_kept(
    project: Projects, keywords: str, problem: str, kept: str
) -> None:
    with_keywords(project, keywords)
    app = project("articles", name="keywords")
    app.build()
    assert warnings_of(app) == [
        f"SRC/articles/prp-injections.md:2: WARNING: {problem} [prolo.metadata]"
    ]
    page = soup(app.outdir / "articles/prp-injections.html")
    assert page.find("meta", attrs={"name": "keywords"})["content"] == kept
