"""prolo_toctree_order = "title": glob toctrees of articles in title order, in each language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conftest import MYST_CONF, html_pages, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

FILES = {
    "conf.py": MYST_CONF + 'prolo_toctree_order = "title"\n',
    "index.md": "# Home\n\n```{toctree}\n:glob:\nart/*\n```\n",
    # File names in one order, titles in the other.
    "art/a-first.md": "# Zinc\n\nText.\n",
    "art/b-second.md": "# Élan\n\nText.\n",
    "art/c-third.md": "# Apple\n\nText.\n",
}


def listed(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.get_text() for a in soup(app.outdir / "index.html").select("div.toctree-wrapper a")]


def test_glob_toctrees_of_articles_follow_the_titles(project: Projects) -> None:
    project.write("order", FILES)
    app = project("order", name="order")
    app.build()
    assert warnings_of(app) == []
    # Accents do not send "Élan" after "Zinc".
    assert listed(app) == ["Apple", "Élan", "Zinc"]
    # Previous and next links follow the same order.
    page = soup(app.outdir / "art/b-second.html")
    assert page.select_one("link[rel=prev]")["href"] == "c-third.html"
    assert page.select_one("link[rel=next]")["href"] == "a-first.html"


def test_without_the_setting_the_file_names_order_stays(project: Projects) -> None:
    files = {**FILES, "conf.py": MYST_CONF}
    project.write("order-off", files)
    app = project("order-off", name="order-off")
    app.build()
    assert listed(app) == ["Zinc", "Élan", "Apple"]


def test_a_title_change_reorders_and_equals_a_clean_build(project: Projects) -> None:
    src = project.write("order-inc", FILES)
    project("order-inc", name="order-inc").build()
    page = src / "art/a-first.md"
    page.write_text("# Banana\n\nText.\n", encoding="utf-8")
    touch_later(page)
    app = project("order-inc", name="order-inc")
    app.build()
    assert listed(app) == ["Apple", "Banana", "Élan"]
    project.clone("order-inc", "order-clean")
    clean = project("order-clean", name="order-clean", parallel=2)
    clean.build()
    assert html_pages(clean.outdir) == html_pages(app.outdir)
