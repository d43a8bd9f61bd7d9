"""Incremental builds that match clean ones: the pages an edit elsewhere makes stale.

Sphinx rewrites the pages it re-read.  A page can also show other documents' data: therapy link
titles and summaries, related lists, catalogs, the titles in notice sources' references, and the
site navigation (furo, alabaster and most themes show every title on every page).  A digest of
what each page shows, kept in the build environment, tells Sphinx which unchanged pages to write
again.
"""

from __future__ import annotations

import hashlib
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from sphinx.util import logging

from sphinx_prolo.articles.catalog import catalog_groups, related_docnames
from sphinx_prolo.articles.conditions import conditions_of, treatments_for
from sphinx_prolo.articles.content_report import report_rows
from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.builds.compat import writes_page_per_document
from sphinx_prolo.link_targets import notice_source, source_suffixes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.conditions import conditions_of, treatments_for
from sphinx_prolo.articles.domain import ProloDomain

logger = logging.getLogger(__name__)


class PageViews(TypedDict):
    """The digests the pages were last written with (plain data, pickled with the environment)."""

    #: docname -> digest of the other documents' data its written page shows
    views: dict[str, str]
    #: digest of the site navigation (titles and toctrees)
    navigation: str


def page_views(env: BuildEnvironment) -> PageViews:
    """The digests of *env*, made on first use."""
    views: PageViews | None = getattr(env, "prolo_page_views", None)
    if views is None:
        views = {"views": {}, "navigation": ""}
        env.prolo_page_views = views  # type: ignore[attr-defined]
    return views


def _view(
    domain: ProloDomain,
    docname: str,
    related_on: bool,
    notice_paths: dict[str, str],
    report: list[dict[str, Any]],
) -> str:
    """A digest of every other document's data that the written page of *docname* shows."""
    shown: list[Any] = []

    def describe(target: str | None) -> Any:
        if target is None:
            return None
        article = domain.data["articles"][target]
        return (
            target,
            article["slug"],
            domain.title(target),
            article["short_title"],
            article["summary"],
        )

    for slug, _line in domain.data["refs"].get(docname, []):
        shown.append((slug, describe(domain.find(slug))))
    for kind in domain.data["notice_uses"].get(docname, []):
        relpath = notice_paths.get(kind, "")
        for slug, _line in domain.data["notice_refs"].get(relpath, []):
            shown.append((kind, slug, describe(domain.find(slug))))
    if related_on or domain.data["related_placed"].get(docname):
        shown.append([describe(target) for target in related_docnames(domain, docname)])
    for category, _line, kind in domain.data["catalogs"].get(docname, []):
        for name, docnames in catalog_groups(domain, category, kind):
            shown.append(
                (name, [(describe(d), domain.data["articles"][d]["reviewed"]) for d in docnames])
            )
    if domain.data["reports"].get(docname):
        shown.append(report)
    article = domain.data["articles"].get(docname)
    if article is not None and article["kind"] == "condition":
        shown.append([(describe(d), entries) for d, entries in treatments_for(domain, docname)])
    elif article is not None and article["used_for"]:
        shown.append([describe(d) for d in conditions_of(domain, docname)])
    return hashlib.sha1(repr(shown).encode(), usedforsecurity=False).hexdigest()


def _navigation_digest(env: BuildEnvironment) -> str:
    """A digest of what every page's navigation shows: each document's title and place."""
    shown = [
        (docname, env.titles[docname].astext() if docname in env.titles else "")
        for docname in sorted(env.all_docs)
    ]
    tree = sorted((parent, tuple(children)) for parent, children in env.toctree_includes.items())
    return hashlib.sha1(repr((shown, tree)).encode(), usedforsecurity=False).hexdigest()


def stale_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose text did not change but which show data that did (titles, backlinks...).

    Sphinx rewrites the pages it re-read.  A page can also show other documents' data: the
    therapy links' titles and summaries, its related list, a catalog, and (in furo, alabaster
    and most themes) the site navigation with every title in it.  When any of that changed,
    the page is written again, so that an incremental build matches a clean one.
    """
    domain = prolo_domain(env)
    related_on = bool(env.config.prolo_related_section)
    notice_paths = {
        kind: relpath
        for kind in ("disclaimer", "please-note")
        if (relpath := notice_source(env.config, kind)) is not None
    }
    # The content report shows every article's data, and what is due depends on the date.
    report = report_rows(env) if domain.data["reports"] else []
    record = page_views(env)
    for gone in set(record["views"]) - set(env.all_docs):
        del record["views"][gone]
    stale = []
    for docname in sorted(env.all_docs):
        related = related_on and docname in domain.data["articles"]
        digest = _view(domain, docname, related, notice_paths, report)
        if record["views"].get(docname) != digest:
            record["views"][docname] = digest
            stale.append(docname)
    navigation = _navigation_digest(env)
    if record["navigation"] != navigation:
        record["navigation"] = navigation
        return sorted(env.all_docs)
    return stale


# Documents gone since the last build, per environment (not kept between builds).
_REMOVED: weakref.WeakKeyDictionary[BuildEnvironment, set[str]] = weakref.WeakKeyDictionary()


def note_removed_documents(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Remember the documents removed (or excluded) since the last build."""
    _REMOVED[env] = set(removed)
    return []


def remove_gone_pages(app: Sphinx, exception: Exception | None) -> None:
    """Delete the pages (and source copies) of documents that no longer exist.

    Sphinx never deletes output, so a removed article's page would stay online where a clean
    build has none; for page-per-document HTML builders, an incremental build removes it too.
    """
    builder = app.builder
    gone = _REMOVED.pop(app.env, set())
    if exception is not None or not gone or not writes_page_per_document(builder):
        return
    outdir = Path(builder.outdir)
    for docname in sorted(gone):
        if docname in app.env.all_docs:
            continue
        targets = [Path(builder.get_outfilename(docname))]
        if builder.copysource and builder.config.html_copy_source:
            # The source copy keeps the document's own suffix, whichever it was.
            link_suffix = builder.config.html_sourcelink_suffix
            targets += [
                outdir / "_sources" / f"{docname}{suffix}{link_suffix}"
                for suffix in source_suffixes(builder.config)
            ]
        for target in targets:
            # Only files inside the output directory, whatever the document's name.
            if target.resolve().is_relative_to(outdir.resolve()) and target.is_file():
                target.unlink()


def setup_incremental(app: Sphinx) -> None:
    """Name the pages that show data an edit elsewhere changed; remove pages of gone documents."""
    app.connect("env-get-updated", stale_pages)
    app.connect("env-get-outdated", note_removed_documents)
    app.connect("build-finished", remove_gone_pages)
