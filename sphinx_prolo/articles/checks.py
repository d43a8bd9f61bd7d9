"""Site-wide checks, once per build, for every builder (HTML and link-check builds alike).

What depends on more than one document is checked on ``env-updated``, over all documents, on
every build that reads anything, so an incremental build reports the same as a clean one:
duplicate slugs, ``related`` slugs and therapy references that lead nowhere (intersphinx tried
first), therapy references in notice sources, catalog categories no article has, and overdue
reviews.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_prolo.articles.conditions import check_conditions
from sphinx_prolo.articles.domain import find_elsewhere, prolo_domain
from sphinx_prolo.articles.front_matter import suggestion_text
from sphinx_prolo.articles.front_matter_lines import key_lines
from sphinx_prolo.articles.reviews import report_overdue_reviews
from sphinx_prolo.link_targets import notice_source
from sphinx_prolo.notices.sources import FileLocation
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx import addnodes
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.conditions import check_conditions
from sphinx_prolo.articles.domain import ProloDomain

logger = logging.getLogger(__name__)


def check_articles(app: Sphinx, env: BuildEnvironment) -> None:
    """Once per build: duplicates, unknown related slugs, overdue reviews, unknown references.

    These depend on other documents, so they are checked over all documents on every build that
    reads anything: an incremental build reports the same as a clean one.
    """
    domain = prolo_domain(env)
    for slug, claims in sorted(domain.claims().items()):
        winner = claims[0]
        for loser in claims[1:]:
            key = "aliases" if loser["is_alias"] else "slug"
            logger.warning(
                __("%s %r is also claimed by %s, which wins: references to it lead there"),
                "alias" if loser["is_alias"] else "slug",
                slug,
                env.doc2path(winner["docname"]),
                # A slug taken from the file name has no line of its own: the file's first line.
                location=(
                    loser["docname"],
                    key_lines(env.doc2path(loser["docname"])).get(key, 1),
                ),
                type="prolo",
                subtype="duplicate",
            )
    slugs = list(domain.claims())
    for docname, article in sorted(domain.data["articles"].items()):
        # Key lines are looked up only to place a warning: reading files is not for every build.
        for slug in article["related"]:
            if domain.find(slug) is None and find_elsewhere(env, docname, slug) is None:
                logger.warning(
                    __("related article %r not found%s"),
                    slug,
                    suggestion_text(slug, domain.slugs_of_others(docname)),
                    location=(docname, key_lines(env.doc2path(docname)).get("related")),
                    type="prolo",
                    subtype="metadata",
                )
    check_references(env, domain)
    check_notice_references(env, domain, slugs)
    check_catalogs(env, domain)
    check_conditions(env, domain)
    report_overdue_reviews(env)


def check_catalogs(env: BuildEnvironment, domain: ProloDomain) -> None:
    """An ``article-index`` whose ``:category:`` no article has: say which categories exist."""
    known = sorted(
        {
            article["category"]
            for article in domain.data["articles"].values()
            if article["kind"] == "treatment"
        }
        - {""}
    )
    folded = {category.casefold() for category in known}
    for docname, catalogs in sorted(domain.data["catalogs"].items()):
        for category, line, kind in catalogs:
            if kind != "treatment":
                continue  # condition pages are one group, A to Z: a category filter names none
            if category and category.casefold() not in folded:
                logger.warning(
                    __("article-index: no article has the category %r; the categories are: %s"),
                    category,
                    ", ".join(repr(name) for name in known) or __("(none yet)"),
                    location=(docname, line),
                    type="prolo",
                    subtype="ref",
                )


def check_notice_references(env: BuildEnvironment, domain: ProloDomain, slugs: list[str]) -> None:
    """Unknown therapy references in the notice sources in use: once, at the file's own line."""
    shown = domain.kinds_in_use()
    for kind in sorted(shown):
        relpath = notice_source(env.config, kind)
        if relpath is None:
            continue
        path = Path(env.srcdir) / relpath
        for slug, line in domain.data["notice_refs"].get(relpath, []):
            if domain.find(slug) is None and find_elsewhere(env, "", slug) is None:
                logger.warning(
                    __("unknown therapy article %r%s"),
                    slug,
                    suggestion_text(slug, slugs),
                    location=FileLocation(f"{path}:{line}" if line else str(path)),
                    type="prolo",
                    subtype="ref",
                )


def check_references(env: BuildEnvironment, domain: ProloDomain) -> None:
    """Every therapy reference that neither this site nor intersphinx resolves, every build."""
    for docname, refs in sorted(domain.data["refs"].items()):
        for slug, line in refs:
            if domain.find(slug) is None and find_elsewhere(env, docname, slug) is None:
                logger.warning(
                    __("unknown therapy article %r%s"),
                    slug,
                    suggestion_text(slug, domain.slugs_of_others(docname)),
                    location=(docname, line),
                    type="prolo",
                    subtype="ref",
                )


def keep_unknown_slug_as_text(
    app: Sphinx, domain: Domain, node: addnodes.pending_xref
) -> bool | None:
    """An unresolved therapy reference stays text; :func:`check_references` reported it."""
    return True if node.get("refdomain") == "prolo" else None


def setup_checks(app: Sphinx) -> None:
    """Run the site-wide checks on every build; unknown references stay text."""
    app.connect("env-updated", check_articles)
    app.connect("warn-missing-reference", keep_unknown_slug_as_text)
