"""Property: after any sequence of edits, an incremental build equals a fresh build.

A hypothesis state machine keeps a small Learning Centre as a model, applies random edits (add,
remove or rename an article; change its title, slug, alias, summary, category, review date or
related list; add or remove therapy references; edit the notice source; toggle configuration
values) and after every step compares, page by page, the incremental build with a fresh build of
the same sources, and the sets of ``[prolo.*]`` warnings of the two builds.

``PROLO_HYPOTHESIS_EXAMPLES`` sets how many sequences run (``make properties`` runs many more).
Sequences that once failed are kept below as regression tests, replayed step by step.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sphinx.testing.util import SphinxTestApp

from conftest import html_pages

EXAMPLES = int(os.environ.get("PROLO_HYPOTHESIS_EXAMPLES", "25"))
STEPS = int(os.environ.get("PROLO_HYPOTHESIS_STEPS", "8"))

#: Counted for the summary printed at the end of the test session (see conftest.py).
STATS = {"steps": 0, "sequences": 0}
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
STEMS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
SLUGS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "prp", "shock", "knee-care"]
TITLES = ["Knee care", "Prolotherapy", "PRP injections", "Shockwave", "Walking", "Rest"]
SUMMARIES = ["", "A short summary.", "Another summary, with more words.", "Injections explained."]
CATEGORIES = ["", "Injection therapies", "Exercise and movement"]
DATES = ["", "2026-01-15", "2020-03-01", "2026-10-31", "not-a-date"]
NOTICES = [
    "",
    "Our own disclaimer with [the terms](../terms.md).",
    "A *different* disclaimer, see {therapy}`alpha`.",
]


@dataclass
class ArticleModel:
    title: str
    slug: str = ""
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    category: str = ""
    reviewed: str = ""
    related: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = ["---"]
        if self.slug:
            lines.append(f"slug: {self.slug}")
        if self.aliases:
            lines.append(f"aliases: [{', '.join(self.aliases)}]")
        if self.summary:
            lines.append(f"summary: {self.summary}")
        if self.category:
            lines.append(f"category: {self.category}")
        if self.reviewed:
            lines.append(f"reviewed: {self.reviewed}")
        if self.related:
            lines.append(f"related: [{', '.join(self.related)}]")
        lines += ["---", "", f"# {self.title}", "", "Some text."]
        for slug in self.refs:
            lines += ["", f"See {{therapy}}`{slug}`."]
        return "\n".join(lines) + "\n"


@dataclass
class SiteModel:
    articles: dict[str, ArticleModel] = field(default_factory=dict)
    notice: str = ""
    related_section: bool = True
    auto_notices: bool = True

    def files(self) -> dict[str, str]:
        conf = (
            'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'myst_enable_extensions = ["colon_fence"]\n'
            'exclude_patterns = ["_build"]\n'
            'prolo_article_patterns = ["articles/*"]\n'
            'prolo_terms_url = "terms"\n'
            'today = "2026-11-26"\n'
            f"prolo_related_section = {self.related_section}\n"
            f"prolo_auto_notices = {self.auto_notices}\n"
        )
        if self.notice:
            conf += 'prolo_disclaimer_source = "_notices/disclaimer.md"\n'
        files = {
            "conf.py": conf,
            "index.md": "# Home\n\n:::{article-index}\n:::\n\n```{toctree}\n:glob:\n"
            "articles/*\nterms\n```\n",
            "terms.md": "# Terms\n\nThe terms.\n",
            "_notices/disclaimer.md": self.notice or "Unused.\n",
        }
        for stem, article in self.articles.items():
            files[f"articles/{stem}.md"] = article.render()
        return files


def prolo_warnings(app: SphinxTestApp) -> set[str]:
    text = ESCAPES.sub("", app.warning.getvalue()).replace(str(app.srcdir), "SRC")
    return {line for line in text.splitlines() if "[prolo." in line}


def build(srcdir: Path, outdir_root: Path) -> tuple[dict[str, bytes], set[str]]:
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=outdir_root, status=StringIO(), warning=StringIO()
    )
    try:
        app.build()
        return html_pages(app.outdir), prolo_warnings(app)
    finally:
        app.cleanup()


class Site:
    """A source folder that follows the model; it writes only files whose text changed."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="prolo-property-"))
        self.src = self.root / "src"
        self.src.mkdir()
        self.written: dict[str, str] = {}
        self.fresh_count = 0

    def sync(self, model: SiteModel) -> None:
        files = model.files()
        for relpath in set(self.written) - set(files):
            (self.src / relpath).unlink()
        now = time.time_ns()
        for relpath, text in files.items():
            if self.written.get(relpath) == text:
                continue
            path = self.src / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            os.utime(path, ns=(now, now))  # clearly after the previous build read it
        self.written = files

    def check(self) -> None:
        STATS["steps"] += 1
        incremental, incremental_warnings = build(self.src, self.root / "build")
        self.fresh_count += 1
        fresh_src = self.root / f"fresh-{self.fresh_count}"
        shutil.copytree(self.src, fresh_src)
        fresh, fresh_warnings = build(fresh_src, self.root / f"fresh-build-{self.fresh_count}")
        shutil.rmtree(fresh_src)
        shutil.rmtree(self.root / f"fresh-build-{self.fresh_count}")
        for page, content in fresh.items():
            assert page in incremental, f"{page} missing from the incremental build"
            assert incremental[page] == content, f"{page} differs from a fresh build"
        fresh_warnings = {w.replace(f"fresh-{self.fresh_count}", "src") for w in fresh_warnings}
        assert incremental_warnings == fresh_warnings

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


# --- the edits, usable by the state machine and by the regression tests ---------------------


def edit(model: SiteModel, action: str, stem: str = "", value: Any = None) -> None:
    """Apply one edit to the model (a no-op when it does not apply)."""
    article = model.articles.get(stem)
    if action == "add":
        if stem not in model.articles:
            model.articles[stem] = ArticleModel(title=value)
    elif action == "remove":
        model.articles.pop(stem, None)
    elif action == "rename":
        new_stem = value
        if article is not None and new_stem not in model.articles:
            model.articles[new_stem] = model.articles.pop(stem)
    elif action == "notice":
        model.notice = value
    elif action == "related_section":
        model.related_section = not model.related_section
    elif action == "auto_notices":
        model.auto_notices = not model.auto_notices
    elif article is not None:
        if action == "add_ref":
            article.refs.append(value)
        elif action == "remove_ref":
            if article.refs:
                article.refs.pop(value % len(article.refs))
        elif action == "aliases":
            article.aliases = [value] if value else []
        elif action == "related":
            article.related = value
        else:  # title, slug, summary, category, reviewed
            setattr(article, action, value)


class IncrementalEqualsClean(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        STATS["sequences"] += 1
        self.model = SiteModel(articles={"alpha": ArticleModel(title="Knee care")})
        self.site = Site()
        self.site.sync(self.model)
        build(self.site.src, self.site.root / "build")

    def teardown(self) -> None:
        self.site.close()

    def step(self, action: str, stem: str = "", value: Any = None) -> None:
        edit(self.model, action, stem, value)
        self.site.sync(self.model)
        self.site.check()

    stems = st.sampled_from(STEMS)

    @rule(stem=stems, title=st.sampled_from(TITLES))
    def add_article(self, stem: str, title: str) -> None:
        self.step("add", stem, title)

    @rule(stem=stems)
    def remove_article(self, stem: str) -> None:
        self.step("remove", stem)

    @rule(stem=stems, new_stem=stems)
    def rename_article(self, stem: str, new_stem: str) -> None:
        self.step("rename", stem, new_stem)

    @rule(stem=stems, title=st.sampled_from(TITLES))
    def change_title(self, stem: str, title: str) -> None:
        self.step("title", stem, title)

    @rule(stem=stems, slug=st.sampled_from(["", *SLUGS, "Bad Slug!"]))
    def change_slug(self, stem: str, slug: str) -> None:
        self.step("slug", stem, slug)

    @rule(stem=stems, alias=st.sampled_from(["", *SLUGS]))
    def change_alias(self, stem: str, alias: str) -> None:
        self.step("aliases", stem, alias)

    @rule(stem=stems, summary=st.sampled_from(SUMMARIES))
    def change_summary(self, stem: str, summary: str) -> None:
        self.step("summary", stem, summary)

    @rule(stem=stems, category=st.sampled_from(CATEGORIES))
    def change_category(self, stem: str, category: str) -> None:
        self.step("category", stem, category)

    @rule(stem=stems, reviewed=st.sampled_from(DATES))
    def change_review_date(self, stem: str, reviewed: str) -> None:
        self.step("reviewed", stem, reviewed)

    @rule(stem=stems, related=st.lists(st.sampled_from(SLUGS), max_size=2, unique=True))
    def change_related(self, stem: str, related: list[str]) -> None:
        self.step("related", stem, related)

    @rule(stem=stems, slug=st.sampled_from(SLUGS))
    def add_reference(self, stem: str, slug: str) -> None:
        self.step("add_ref", stem, slug)

    @rule(stem=stems, index=st.integers(min_value=0, max_value=5))
    def remove_reference(self, stem: str, index: int) -> None:
        self.step("remove_ref", stem, index)

    @rule(text=st.sampled_from(NOTICES))
    def edit_notice_source(self, text: str) -> None:
        self.step("notice", "", text)

    @rule(name=st.sampled_from(["related_section", "auto_notices"]))
    def toggle_config(self, name: str) -> None:
        self.step(name)

    @invariant()
    def model_is_small(self) -> None:
        assert len(self.model.articles) <= len(STEMS)


IncrementalEqualsClean.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
TestIncrementalEqualsClean = IncrementalEqualsClean.TestCase


def replay(steps: list[tuple[Any, ...]]) -> None:
    """Replay a kept sequence of edits, checking incremental against fresh after each."""
    machine = IncrementalEqualsClean()
    try:
        for action in steps:
            machine.step(*action)
    finally:
        machine.teardown()


def test_regression_rename_onto_referenced_slug() -> None:
    replay(
        [
            ("add", "beta", "Prolotherapy"),
            ("add_ref", "beta", "gamma"),
            ("rename", "alpha", "gamma"),
            ("title", "gamma", "Walking"),
        ]
    )


def test_regression_alias_taking_over_and_notice_source_with_reference() -> None:
    replay(
        [
            ("add", "beta", "PRP injections"),
            ("aliases", "beta", "alpha"),
            ("notice", "", NOTICES[2]),
            ("slug", "alpha", "knee-care"),
            ("related_section",),
            ("remove", "beta"),
        ]
    )


def test_regression_overdue_review_and_bad_metadata_stay_reported() -> None:
    replay(
        [
            ("reviewed", "alpha", "2020-03-01"),
            ("add", "beta", "Rest"),
            ("slug", "alpha", "Bad Slug!"),
            ("summary", "beta", "A short summary."),
            ("auto_notices",),
        ]
    )


def test_regression_unchanged_step_keeps_reporting_warnings() -> None:
    # Found by the state machine: a build that read nothing (the edit left the sources as they
    # were) reported none of the warnings a fresh build reports.
    replay([("auto_notices",), ("notice", "", "")])
