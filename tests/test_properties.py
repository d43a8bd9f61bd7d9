"""Property: after any sequence of edits, an incremental build equals a fresh build.

A hypothesis state machine keeps a small Learning Centre as a model.  Each sequence first draws a
build mode (theme: alabaster, or furo with ``prolo_fast_navigation``; incremental builds and fresh
builds each serial or with ``parallel=2``), then applies random edits: add, remove or rename an
article; change its title, slug, alias, summary, category, review date or related list; add or
remove therapy references; write, change or delete a notice source file; point
``prolo_disclaimer_source`` / ``prolo_please_note_source`` at it or back to None; toggle other
configuration values.  After every edit the incremental build must equal a fresh build of the same
sources: the same set of pages (no page missing, no stale page left over), each with the same
bytes, the same ``objects.inv``, and the same ``[prolo.*]`` warnings, counted.  An invariant checks
the last build against the model: ``objects.inv`` lists exactly the slugs and aliases the model's
articles claim, each leading to the article that wins it, with that article's title.

``PROLO_HYPOTHESIS_EXAMPLES`` and ``PROLO_HYPOTHESIS_STEPS`` set how many sequences run and how
long they are (``make properties`` runs many more).  Every run prints its seed at the end; rerun a
run with ``PROLO_HYPOTHESIS_SEED=<seed>``, or replay one failure exactly with the
``@reproduce_failure(...)`` line hypothesis prints, put on ``IncrementalEqualsClean``.  Sequences
that once failed are kept below as regression tests, replayed step by step.
"""

from __future__ import annotations

import difflib
import os
import random
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sphinx.testing.util import SphinxTestApp

from conftest import article_inventory, html_pages

EXAMPLES = int(os.environ.get("PROLO_HYPOTHESIS_EXAMPLES", "15"))
STEPS = int(os.environ.get("PROLO_HYPOTHESIS_STEPS", "8"))
SEED = int(os.environ.get("PROLO_HYPOTHESIS_SEED") or random.SystemRandom().getrandbits(32))

#: Counted for the summary printed at the end of the test session (see conftest.py).
STATS: dict[str, Any] = {
    "steps": 0,
    "sequences": 0,
    "modes": Counter(),
    "languages": Counter(),
    "seed": SEED,
}
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
#: A valid slug, as the writing guide defines it (the model decides on its own which slugs stand).
VALID_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
STEMS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
SLUGS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "prp", "shock", "knee-care"]
TITLES = ["Knee care", "Prolotherapy", "PRP injections", "Shockwave", "Walking", "Rest"]
SUMMARIES = ["", "A short summary.", "Another summary, with more words.", "Injections explained."]
CATEGORIES = ["", "Injection therapies", "Exercise and movement"]
DATES = ["", "2026-01-15", "2020-03-01", "2026-10-31", "not-a-date"]
#: Texts of a notice source file; "" means the file does not exist.  The last one is a problem
#: (a notice source may not hold a notice directive), reported as ``prolo.notice``.
NOTICES = [
    "",
    "Our own disclaimer with [the terms](../terms.md).",
    "A *different* disclaimer, see {therapy}`alpha`.",
    ":::{disclaimer}\n:::\n",
]
NOTICE_KINDS = {"disclaimer": "_notices/disclaimer.md", "please-note": "_notices/please-note.md"}
SETTING_OF = {"disclaimer": "prolo_disclaimer_source", "please-note": "prolo_please_note_source"}
THEMES = ["alabaster", "furo"]
#: Compared byte for byte besides the pages.
OTHER_OUTPUTS = ["objects.inv"]
#: Found by this test and fixed (see the regression tests at the end): an incremental build left
#: the page of a removed article (or of a file that became a notice source) in the output.  True
#: would overlook a page the build left exactly as the previous build wrote it.
OVERLOOK_LEFTOVER_PAGES = False


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

    def effective_slug(self, stem: str) -> str:
        """The slug the article is reached by: its own when valid, else its file's stem."""
        return self.slug if VALID_SLUG.fullmatch(self.slug) else stem


@dataclass
class SiteModel:
    articles: dict[str, ArticleModel] = field(default_factory=dict)
    theme: str = "alabaster"
    #: notice kind -> text of its source file ("" when the file does not exist)
    notice_texts: dict[str, str] = field(default_factory=lambda: dict.fromkeys(NOTICE_KINDS, ""))
    #: the notice kinds whose source setting points at the file (None otherwise)
    notice_settings: set[str] = field(default_factory=set)
    related_section: bool = True
    auto_notices: bool = True
    #: "fr": the extension's French words, and (no page catalogs) every article's note that it is
    #: not yet translated
    language: str = "en"

    def files(self) -> dict[str, str]:
        conf = (
            'extensions = ["myst_parser", "sphinx_prolo"]\n'
            'myst_enable_extensions = ["colon_fence"]\n'
            'exclude_patterns = ["_build"]\n'
            'prolo_article_patterns = ["articles/*"]\n'
            'prolo_terms_url = "terms"\n'
            'today = "2026-11-26"\n'
            f"html_theme = {self.theme!r}\n"
            "prolo_fast_navigation = True\n"
            f"prolo_related_section = {self.related_section}\n"
            f"prolo_auto_notices = {self.auto_notices}\n"
            f"language = {self.language!r}\n"
            'locale_dirs = ["locale"]\ngettext_compact = False\n'
        )
        for kind, path in NOTICE_KINDS.items():
            conf += f"{SETTING_OF[kind]} = {path if kind in self.notice_settings else None!r}\n"
        files = {
            "conf.py": conf,
            "index.md": "# Home\n\n:::{article-index}\n:::\n\n```{toctree}\n:glob:\n"
            "articles/*\nterms\n```\n",
            "terms.md": "# Terms\n\nThe terms.\n",
        }
        for kind, text in self.notice_texts.items():
            if text:
                files[NOTICE_KINDS[kind]] = text + "\n"
        for stem, article in self.articles.items():
            files[f"articles/{stem}.md"] = article.render()
        return files

    def inventory(self) -> dict[str, tuple[str, str]]:
        """What ``objects.inv`` should list: slug or alias -> (page, display name).

        A name claimed by several articles goes to a slug before an alias, then to the document
        name that sorts first (the rule the writing guide gives for duplicates).
        """
        claims: dict[str, list[tuple[bool, str]]] = {}
        for stem, article in self.articles.items():
            slug = article.effective_slug(stem)
            claims.setdefault(slug, []).append((False, stem))
            for alias in article.aliases:
                if alias != slug:
                    claims.setdefault(alias, []).append((True, stem))
        expected = {}
        for name, claimants in claims.items():
            # Docnames share the "articles/" prefix, so they sort as their stems do.
            _, stem = min(claimants)
            title = self.articles[stem].title
            expected[name] = (f"articles/{stem}.html", "-" if title == name else title)
        return expected


@dataclass
class BuildOutput:
    #: every HTML page and every file of OTHER_OUTPUTS, by path relative to the output folder
    files: dict[str, bytes]
    #: the ``[prolo.*]`` warning lines, sorted (a warning reported twice counts twice)
    warnings: list[str]
    #: prolo:article entries of objects.inv: name -> (page, display name)
    articles: dict[str, tuple[str, str]]


def build(srcdir: Path, builddir: Path, jobs: int) -> BuildOutput:
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=builddir,
        status=StringIO(),
        warning=StringIO(),
        parallel=jobs,
    )
    try:
        app.build()
        outdir = Path(app.outdir)
        files = html_pages(outdir)
        for name in OTHER_OUTPUTS:
            if (outdir / name).exists():
                files[name] = (outdir / name).read_bytes()
        text = ESCAPES.sub("", app.warning.getvalue()).replace(str(srcdir), "SRC")
        warnings = sorted(line for line in text.splitlines() if "[prolo." in line)
        return BuildOutput(files, warnings, article_inventory(outdir / "objects.inv"))
    finally:
        app.cleanup()


def first_difference(name: str, incremental: bytes, fresh: bytes) -> str:
    diff = difflib.unified_diff(
        fresh.decode(errors="replace").splitlines(),
        incremental.decode(errors="replace").splitlines(),
        f"fresh/{name}",
        f"incremental/{name}",
        lineterm="",
        n=1,
    )
    return "\n".join(list(diff)[:40])


def compare(
    incremental: BuildOutput, fresh: BuildOutput, leftovers: dict[str, bytes] | None = None
) -> None:
    """Fail, saying how, unless the two builds have the same files, bytes and warnings.

    *leftovers*: files that may be in the incremental output only, with the bytes they had.
    """
    leftovers = leftovers or {}
    missing = sorted(set(fresh.files) - set(incremental.files))
    stale = sorted(
        name
        for name in set(incremental.files) - set(fresh.files)
        if leftovers.get(name) != incremental.files[name]
    )
    assert not missing and not stale, (
        f"pages only a fresh build has: {missing}; pages only the incremental build has: {stale}"
    )
    differing = [
        name for name in sorted(fresh.files) if incremental.files[name] != fresh.files[name]
    ]
    assert not differing, f"{differing} differ from a fresh build:\n" + first_difference(
        differing[0], incremental.files[differing[0]], fresh.files[differing[0]]
    )
    extra = Counter(incremental.warnings) - Counter(fresh.warnings)
    lacking = Counter(fresh.warnings) - Counter(incremental.warnings)
    assert not extra and not lacking, (
        f"warnings only the incremental build reports: {sorted(extra.elements())}; "
        f"warnings only a fresh build reports: {sorted(lacking.elements())}"
    )


class Site:
    """A source folder that follows the model; it writes only files whose text changed."""

    def __init__(
        self, incremental_jobs: int = 1, fresh_jobs: int = 1, overlook_leftovers: bool = True
    ) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="prolo-property-"))
        self.src = self.root / "src"
        self.src.mkdir()
        self.incremental_jobs = incremental_jobs
        self.fresh_jobs = fresh_jobs
        self.overlook_leftovers = overlook_leftovers
        self.written: dict[str, str] = {}
        self.last: BuildOutput | None = None

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

    def build(self) -> None:
        self.last = build(self.src, self.root / "build", self.incremental_jobs)

    def check(self) -> None:
        STATS["steps"] += 1
        previous = self.last
        self.build()
        assert self.last is not None and previous is not None
        fresh_src = self.root / "fresh"
        shutil.copytree(self.src, fresh_src)
        fresh_build = self.root / "fresh-build"
        try:
            fresh = build(fresh_src, fresh_build, self.fresh_jobs)
        finally:
            shutil.rmtree(fresh_src)
            shutil.rmtree(fresh_build, ignore_errors=True)
        compare(self.last, fresh, previous.files if self.overlook_leftovers else None)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


# --- the edits, usable by the state machine and by the regression tests ---------------------


def edit(model: SiteModel, action: str, stem: str = "", value: Any = None) -> None:
    """Apply one edit to the model (a no-op when it does not apply).

    For the notice edits *stem* names the notice kind ("disclaimer" or "please-note").
    """
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
    elif action == "notice_text":
        model.notice_texts[stem] = value
    elif action == "notice_setting":
        model.notice_settings ^= {stem}
    elif action == "notice":
        # The first regression tests' edit: disclaimer source file and setting in one step, the
        # setting on exactly when the text is not empty.
        model.notice_texts["disclaimer"] = value
        if value:
            model.notice_settings.add("disclaimer")
        else:
            model.notice_settings.discard("disclaimer")
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
        self.site: Site | None = None
        self.overlook_leftovers = OVERLOOK_LEFTOVER_PAGES

    @initialize(
        theme=st.sampled_from(THEMES),
        language=st.sampled_from(["en", "fr"]),
        incremental_jobs=st.sampled_from([1, 2]),
        fresh_jobs=st.sampled_from([1, 2]),
        notice_settings=st.sets(st.sampled_from(list(NOTICE_KINDS))),
        notice_texts=st.fixed_dictionaries(dict.fromkeys(NOTICE_KINDS, st.sampled_from(NOTICES))),
    )
    def start(
        self,
        theme: str,
        incremental_jobs: int,
        fresh_jobs: int,
        notice_settings: set[str] | None = None,
        notice_texts: dict[str, str] | None = None,
        language: str = "en",
    ) -> None:
        """Choose the sequence's build mode and notice sources, and make the first build.

        Starting with notice sources in use (or not) lets one edit turn a setting off.
        """
        STATS["modes"][theme, incremental_jobs, fresh_jobs] += 1
        STATS["languages"][language] += 1
        self.model.theme = theme
        self.model.language = language
        self.model.notice_settings = set(notice_settings or ())
        self.model.notice_texts.update(notice_texts or {})
        self.site = Site(incremental_jobs, fresh_jobs, self.overlook_leftovers)
        self.site.sync(self.model)
        self.site.build()

    def teardown(self) -> None:
        if self.site is not None:
            self.site.close()

    def step(self, action: str, stem: str = "", value: Any = None) -> None:
        assert self.site is not None
        edit(self.model, action, stem, value)
        self.site.sync(self.model)
        self.site.check()

    @invariant()
    def inventory_lists_the_models_articles(self) -> None:
        assert self.site is not None and self.site.last is not None
        found, expected = self.site.last.articles, self.model.inventory()
        assert found == expected, f"objects.inv lists {found}; the model says {expected}"

    stems = st.sampled_from(STEMS)
    notice_kinds = st.sampled_from(list(NOTICE_KINDS))

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

    @rule(kind=notice_kinds, text=st.sampled_from(NOTICES))
    def edit_notice_source(self, kind: str, text: str) -> None:
        self.step("notice_text", kind, text)

    @rule(kind=notice_kinds)
    def toggle_notice_setting(self, kind: str) -> None:
        self.step("notice_setting", kind)

    @rule(name=st.sampled_from(["related_section", "auto_notices"]))
    def toggle_config(self, name: str) -> None:
        self.step(name)


IncrementalEqualsClean.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    print_blob=True,
    # Every example is a few Sphinx builds: the explain phase would rerun many of them only to
    # point at source lines.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
seed(SEED)(IncrementalEqualsClean)
TestIncrementalEqualsClean = IncrementalEqualsClean.TestCase


def replay(
    steps: list[tuple[Any, ...]],
    theme: str = "alabaster",
    incremental_jobs: int = 1,
    fresh_jobs: int = 1,
    overlook_leftovers: bool = OVERLOOK_LEFTOVER_PAGES,
    language: str = "en",
) -> None:
    """Replay a kept sequence of edits, checking incremental against fresh after each."""
    machine = IncrementalEqualsClean()
    machine.overlook_leftovers = overlook_leftovers
    try:
        machine.start(theme, incremental_jobs, fresh_jobs, language=language)
        machine.inventory_lists_the_models_articles()
        for action in steps:
            machine.step(*action)
            machine.inventory_lists_the_models_articles()
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


def test_furo_with_parallel_builds() -> None:
    # However the draws fall, every run builds one sequence with furo's navigation rendered by
    # the extension, incremental builds and fresh builds both parallel.
    replay(
        [
            ("add", "beta", "Rest"),
            ("title", "alpha", "Walking"),
            ("add_ref", "beta", "alpha"),
            ("notice_setting", "please-note"),
            ("notice_text", "please-note", NOTICES[2]),
            ("rename", "beta", "gamma"),
            ("notice_setting", "please-note"),
        ],
        theme="furo",
        incremental_jobs=2,
        fresh_jobs=2,
    )


def test_regression_removed_article_leaves_no_page() -> None:
    replay([("remove", "alpha")], overlook_leftovers=False)


def test_regression_file_made_notice_source_leaves_no_page() -> None:
    replay(
        [("notice_text", "disclaimer", NOTICES[1]), ("notice_setting", "disclaimer")],
        overlook_leftovers=False,
    )
