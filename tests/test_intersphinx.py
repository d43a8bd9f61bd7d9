"""Articles reach across sites: our inventory serves others, theirs serves us (local files)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

OTHER_SITE = {
    "conf.py": (
        'extensions = ["myst_parser", "sphinx.ext.intersphinx", "sphinx_prolo"]\n'
        'exclude_patterns = ["_build"]\n'
        'prolo_article_patterns = ["guides/*"]\n'
    ),
    "index.md": "# Guides\n\n```{toctree}\n:glob:\nguides/*\n```\n",
    "guides/walking.md": (
        "---\nslug: walking-programme\nsummary: A graded walking plan.\n---\n\n"
        "# A walking programme\n\nOften paired with {therapy}`prp-injections` at the clinic,"
        " or with {therapy}`their injections <clinic:prp>`.\n"
    ),
}


def test_sites_resolve_each_others_articles_through_intersphinx(project: Projects) -> None:
    # 1. The other site, before it knows about us (its references stay unresolved).
    project.write("other", OTHER_SITE)
    other_first = project("other", name="other")
    other_first.build()
    other_inventory = other_first.outdir / "objects.inv"

    # 2. Our site, reaching the other site's article through its inventory.
    ours_src = project.source("articles", name="ours")
    conf = ours_src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'extensions = ["myst_parser",',
            'extensions = ["sphinx.ext.intersphinx", "myst_parser",',
        )
        + "intersphinx_mapping = {'guides': ('https://guides.example/', "
        + repr(str(other_inventory))
        + ")}\n",
        encoding="utf-8",
    )
    page = ours_src / "articles/exercise-therapy.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "Often tried before", "Try {therapy}`walking-programme`. Often tried before"
        ),
        encoding="utf-8",
    )
    # A related slug that only the other site has is listed too, not dropped.
    prolo = ours_src / "articles/prolotherapy.md"
    prolo.write_text(
        prolo.read_text(encoding="utf-8").replace(
            "related: [exercise-therapy]", "related: [exercise-therapy, walking-programme]"
        ),
        encoding="utf-8",
    )
    ours = project("articles", name="ours")
    ours.build()
    assert warnings_of(ours) == []
    links = soup(ours.outdir / "articles/exercise-therapy.html").select("div.body a.reference")
    walking = [a for a in links if a["href"].startswith("https://guides.example/")]
    assert [(a.get_text(), a["href"]) for a in walking] == [
        ("A walking programme", "https://guides.example/guides/walking.html")
    ]
    related = soup(ours.outdir / "articles/prolotherapy.html").select("div.prolo-related a")
    assert [(a.get_text(), a["href"]) for a in related] == [
        ("Exercise therapy", "exercise-therapy.html"),
        ("Platelet-rich plasma (PRP) injections", "prp-injections.html"),
        ("A walking programme", "https://guides.example/guides/walking.html"),
    ]

    # 3. The other site again, now with our inventory: our slug and alias resolve there.
    other_src = project.source("other", name="other")
    conf = other_src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + "intersphinx_mapping = {'clinic': ('https://clinic.example/lc/', "
        + repr(str(ours.outdir / "objects.inv"))
        + ")}\n",
        encoding="utf-8",
    )
    other = project("other", name="other", freshenv=True)
    other.build()
    assert warnings_of(other) == []
    links = soup(other.outdir / "guides/walking.html").select("div.body a.reference")
    assert [(a.get_text(), a["href"]) for a in links] == [
        (
            "Platelet-rich plasma (PRP) injections",
            "https://clinic.example/lc/articles/prp-injections.html",
        ),
        ("their injections", "https://clinic.example/lc/articles/prp-injections.html"),
    ]
