"""Incremental and parallel builds give the same pages as a clean serial build."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import html_pages, soup, touch_later, warnings_of

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    touch_later(path)


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    touch_later(path)


def edit_title(src: Path) -> None:
    replace_in(
        src / "articles/prp-injections.md",
        "# Platelet-rich plasma (PRP) injections",
        "# PRP injections explained",
    )


def remove_target(src: Path) -> None:
    (src / "articles/exercise-therapy.md").unlink()


def add_article(src: Path) -> None:
    write(
        src / "articles/shockwave-therapy.md",
        "---\nsummary: Sound waves aimed at a sore tendon.\ncategory: Physical therapies\n---\n\n"
        "# Shockwave therapy\n\nText.\n",
    )


def change_slug(src: Path) -> None:
    replace_in(src / "articles/prp-injections.md", "aliases: prp", "slug: platelet-rich-plasma")


def change_alias(src: Path) -> None:
    replace_in(src / "articles/prp-injections.md", "aliases: prp", "aliases: prp-therapy")


def change_summary(src: Path) -> None:
    replace_in(
        src / "articles/prp-injections.md",
        "summary: Injections of a concentrate made from your own blood.",
        "summary: A concentrate of platelets from a sample of your blood.",
    )


def add_reference(src: Path) -> None:
    replace_in(
        src / "articles/exercise-therapy.md",
        "Often tried before",
        "Sometimes combined with {therapy}`prp-injections`. Often tried before",
    )


def remove_reference(src: Path) -> None:
    path = src / "articles/prolotherapy.md"
    text = path.read_text(encoding="utf-8")
    for role in (
        "{therapy}`prp-injections`",
        "{therapy}`these injections <prp>`",
        "{therapy}`prp`",
    ):
        text = text.replace(role, "PRP")
    write(path, text)


def with_unknown_reference(src: Path) -> None:
    """Before the first build: a reference to an article that does not exist yet."""
    path = src / "articles/exercise-therapy.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Often tried before", "See {therapy}`shockwave-therapy`. Often tried before"),
        encoding="utf-8",
    )


EDITS: dict[str, tuple[Callable[[Path], None] | None, Callable[[Path], None]]] = {
    "title changed": (None, edit_title),
    "target removed": (None, remove_target),
    "article added": (with_unknown_reference, add_article),
    "slug changed": (None, change_slug),
    "alias changed": (None, change_alias),
    "summary changed": (None, change_summary),
    "reference added": (None, add_reference),
    "reference removed": (None, remove_reference),
}


@pytest.mark.parametrize("edit_name", sorted(EDITS))
def test_incremental_build_equals_fresh_build(project: Projects, edit_name: str) -> None:
    prepare, edit = EDITS[edit_name]
    src = project.source("articles", name="incremental")
    if prepare is not None:
        prepare(src)
    first = project("articles", name="incremental")
    first.build()
    before = html_pages(first.outdir)

    edit(src)
    incremental = project("articles", name="incremental")
    incremental.build()
    project.clone("incremental", "fresh")
    fresh = project("articles", name="fresh")
    fresh.build()

    after, expected = html_pages(incremental.outdir), html_pages(fresh.outdir)
    assert after.keys() - {"articles/exercise-therapy.html"} == (
        expected.keys() - {"articles/exercise-therapy.html"}
    )
    for page, content in expected.items():
        assert after[page] == content, f"{edit_name}: {page} differs from a fresh build"
    assert after != before, "the edit changed nothing: the test would prove nothing"
    return_checks = CHECKS.get(edit_name)
    if return_checks is not None:
        return_checks(incremental)


def check_title(app: object) -> None:
    page = soup(app.outdir / "articles/prolotherapy.html")  # type: ignore[attr-defined]
    texts = [a.get_text() for a in page.select("a.prolo-therapy")]
    assert "PRP injections explained" in texts
    assert "Platelet-rich plasma (PRP) injections" not in texts


def check_removed(app: object) -> None:
    lines = warnings_of(app)  # type: ignore[arg-type]
    assert any(
        line.startswith("SRC/articles/prolotherapy.md:")
        and "exercise-therapy" in line
        and line.endswith("[prolo.ref]")
        for line in lines
    ), lines


def check_added(app: object) -> None:
    page = soup(app.outdir / "articles/exercise-therapy.html")  # type: ignore[attr-defined]
    assert "Shockwave therapy" in [a.get_text() for a in page.select("a.prolo-therapy")]


def check_backlink_added(app: object) -> None:
    page = soup(app.outdir / "articles/prp-injections.html")  # type: ignore[attr-defined]
    related = [a.get_text() for a in page.select("div.prolo-related a")]
    assert related == ["Exercise therapy", "Inflammatory prolotherapy"]


def check_backlink_removed(app: object) -> None:
    page = soup(app.outdir / "articles/prp-injections.html")  # type: ignore[attr-defined]
    assert page.select("div.prolo-related") == []


CHECKS: dict[str, Callable[[object], None]] = {
    "title changed": check_title,
    "target removed": check_removed,
    "article added": check_added,
    "reference added": check_backlink_added,
    "reference removed": check_backlink_removed,
}


def corpus(count: int) -> dict[str, str]:
    """A Learning Centre of *count* articles in four categories, referencing each other."""
    files = {
        "conf.py": (
            'extensions = ["myst_parser", "sphinx_design", "sphinx_prolo"]\n'
            'myst_enable_extensions = ["colon_fence"]\n'
            'exclude_patterns = ["_build"]\n'
            'prolo_article_patterns = ["articles/*"]\n'
            'today = "2026-11-26"\n'
        ),
        "index.md": (
            "# Corpus\n\n:::{article-index}\n:::\n\n```{toctree}\n:glob:\narticles/*\n```\n"
        ),
    }
    for number in range(count):
        refs = " ".join(f"{{therapy}}`article-{(number + step) % count}`" for step in (1, 7, 13))
        files[f"articles/article-{number}.md"] = (
            f"---\nsummary: Summary of article {number}.\n"
            f"category: Category {number % 4}\n"
            f"related: [article-{(number + 3) % count}]\n"
            f"reviewed: 2026-{1 + number % 9:02d}-1{number % 9}\n---\n\n"
            f"# Article {number}\n\n:::{{disclaimer}}\n:::\n\nSee {refs}.\n\n"
            f":::{{please-note}}\n:::\n"
        )
    return files


def test_parallel_build_equals_serial_build_on_40_articles(project: Projects) -> None:
    project.write("corpus", corpus(40))
    project.clone("corpus", "corpus-parallel")
    serial = project("articles", name="corpus")
    serial.build()
    parallel = project("articles", name="corpus-parallel", parallel=2)
    parallel.build()
    assert warnings_of(serial) == warnings_of(parallel) == []
    pages = html_pages(serial.outdir)
    assert len(pages) >= 41
    assert html_pages(parallel.outdir) == pages
    sample = soup(serial.outdir / "articles/article-5.html")
    assert len(sample.select("div.prolo-related li")) >= 4  # related, 3 references, backlinks


def troubled_corpus(count: int) -> dict[str, str]:
    """The corpus with problems in it: unknown slugs, duplicates, bad dates, overdue reviews."""
    files = corpus(count)
    for number in range(0, count, 5):
        path = f"articles/article-{number}.md"
        files[path] = (
            files[path]
            .replace("See ", f"See {{therapy}}`article-{number}x` and ")
            .replace("reviewed: 2026-", "reviewed: 2019-" if number % 10 else "reviewed: 2026-13-")
        )
    files["articles/copy.md"] = "---\nslug: article-3\naliases: [article-4]\n---\n\n# Copy\n"
    return files


def prolo_warning_set(app: object) -> list[str]:
    return sorted(line for line in warnings_of(app) if "[prolo." in line)  # type: ignore[arg-type]


def overdue_lines(app: SphinxTestApp) -> list[str]:
    status = app.status.getvalue().replace(str(app.srcdir), "SRC")
    return sorted(line for line in status.splitlines() if "review overdue" in line)


def test_parallel_build_reports_the_same_warnings_as_serial(project: Projects) -> None:
    project.write("troubled", troubled_corpus(40))
    project.clone("troubled", "troubled-parallel")
    serial = project("articles", name="troubled")
    serial.build()
    parallel = project("articles", name="troubled-parallel", parallel=2)
    parallel.build()
    warnings = prolo_warning_set(serial)
    kinds = {line.rsplit("[", 1)[1] for line in warnings}
    assert kinds >= {"prolo.ref]", "prolo.duplicate]", "prolo.metadata]"}
    assert prolo_warning_set(parallel) == warnings
    # Overdue reviews are information lines in HTML builds: the same ones either way.
    overdue = overdue_lines(serial)
    assert len(overdue) >= 3
    assert overdue_lines(parallel) == overdue
    assert html_pages(parallel.outdir) == html_pages(serial.outdir)


def test_parallel_build_of_the_docs_equals_serial(project: Projects) -> None:
    from conftest import DOCS

    project.copy_of(DOCS, "docs-serial")
    project.copy_of(DOCS, "docs-parallel")
    serial = project("docs", name="docs-serial")
    serial.build()
    parallel = project("docs", name="docs-parallel", parallel=2)
    parallel.build()
    assert warnings_of(serial) == warnings_of(parallel) == []
    pages = html_pages(serial.outdir)
    # Every article and condition page, and the landing page, About, the reviewers, Terms,
    # search, the index and "not found".
    articles = [*(DOCS / "learning-centre").glob("*.md"), *(DOCS / "conditions").glob("*.md")]
    assert len(pages) == len(articles) + 7
    assert html_pages(parallel.outdir) == pages


def test_rebuild_with_nothing_changed_writes_no_page(project: Projects) -> None:
    first = project("articles", name="noop")
    first.build()
    # Sphinx writes its index and search pages on every build; documents are what we judge.
    special = {"genindex.html", "search.html"}

    def document_times() -> dict[str, int]:
        return {
            str(path): path.stat().st_mtime_ns
            for path in first.outdir.rglob("*.html")
            if path.name not in special
        }

    written = document_times()
    assert len(written) == 5
    again = project("articles", name="noop")
    again.build()
    assert document_times() == written


def test_a_rebuild_with_nothing_changed_reports_no_configuration_change(project: Projects) -> None:
    # The extension's static folder is part of the configuration from the start, so a rebuild
    # does not say that html_static_path changed (sphinx-design, left out here, still does).
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\nexclude_patterns = ["_build"]\n'
        'prolo_article_patterns = ["articles/*"]\n',
        "index.md": "# Home\n\n```{toctree}\n:glob:\narticles/*\n```\n",
        "articles/rest.md": "# Rest\n\nRest helps.\n",
    }
    project.write("config-noop", files)
    project("config-noop", name="config-noop").build()
    again = project("config-noop", name="config-noop")
    again.build()
    # (sphinx.testing's own setup changes html_theme between two apps; that line is not ours.)
    changes = [line for line in again.status.getvalue().splitlines() if "has changed" in line]
    assert not [line for line in changes if "html_static_path" in line], changes
