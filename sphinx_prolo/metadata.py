"""Which documents are articles, and what their front matter says, checked.

A document is an article when its name matches ``prolo_article_patterns``.  Its front matter
(MyST) or leading field list (rST) is read into an :class:`~sphinx_prolo.domain.Article` of plain,
checked values; every value that cannot be used is a ``prolo.metadata`` warning at its own line,
and the article is still built.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.matching import Matcher

from sphinx_prolo.front_matter import (
    KEYS,
    KNOWN_ELSEWHERE,
    SLUG,
    SLUG_RULE,
    MetadataReader,
    docinfo_fields,
    suggestion_text,
)
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.domain import Article

logger = logging.getLogger(__name__)


_MATCHERS: dict[tuple[str, ...], Matcher] = {}


def is_article(config: Config, docname: str) -> bool:
    patterns = tuple(config.prolo_article_patterns)
    if not patterns:
        return False
    matcher = _MATCHERS.get(patterns)
    if matcher is None:
        matcher = _MATCHERS[patterns] = Matcher(list(patterns))
    return matcher(docname)


def slugify(text: str) -> str:
    """A valid slug made from *text* (a file stem): lower case words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "article"


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* plus calendar *months*, on the same day of the month or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    return dt.date(year, month, min(day.day, last))


def next_review_after(reviewed: dt.date, config: Config) -> dt.date:
    """When the next review is due: ``prolo_review_interval_days`` if set, else the months."""
    days = config.prolo_review_interval_days
    if days is not None:
        return reviewed + dt.timedelta(days=days)
    return add_months(reviewed, config.prolo_review_interval_months)


def read_article(env: BuildEnvironment, docname: str, doctree: nodes.document) -> Article:
    """The checked metadata of article *docname*; every problem is a ``prolo.metadata`` warning."""
    reader = MetadataReader(env, docname, docinfo_fields(doctree))
    allowed = {*KEYS, *KNOWN_ELSEWHERE, *env.config.prolo_front_matter_keys}
    for key in reader.raw:
        if key not in allowed:
            reader.warn(
                key,
                __("unknown front matter key %r; it is ignored%s"),
                key,
                suggestion_text(key, KEYS)
                or __(" (add it to prolo_front_matter_keys if another tool reads it)"),
            )
    # A folder's index is named after its folder: "knee/index" -> "knee", so that the index
    # pages of several folders do not all claim the slug "index".
    parts = docname.split("/")
    stem = parts[-2] if parts[-1] == "index" and len(parts) > 1 else parts[-1]
    slug = reader.text("slug")
    if slug and not SLUG.match(slug):
        fallback = slugify(stem)
        reader.warn(
            "slug",
            __("slug %r is not valid (%s); %r is used instead"),
            slug,
            SLUG_RULE,
            fallback,
        )
        slug = fallback
    slug = slug or slugify(stem)
    # Read in the order writers list the keys, so warnings come out in that order too.
    aliases = reader.slugs("aliases")
    short_title = reader.text("short-title")
    summary = reader.text("summary")
    category = reader.text("category")
    related = reader.slugs("related")
    reviewed = reader.date("reviewed")
    next_review = reader.date("next-review")
    redirect_from = reader.old_names("redirect-from")
    keywords = reader.phrases("keywords")
    authors = reader.people("author")
    reviewers = reader.people("reviewed-by")
    sources = reader.sources("sources")
    grade_target = reader.number("reading-grade-target")
    if env.config.prolo_require_reviewer and not reviewers:
        reader.warn(
            "reviewed-by" if "reviewed-by" in reader.raw else "reviewed",
            __("no reviewer: name the clinician who reviewed it in reviewed-by"),
        )
    if reviewed is not None and next_review is None:
        try:
            next_review = next_review_after(reviewed, env.config)
        except (OverflowError, ValueError):  # a review date near the end of the calendar
            reader.warn(
                "reviewed",
                __(
                    "reviewed: %s plus the review interval is past the end of the calendar; "
                    "give next-review instead"
                ),
                reviewed.isoformat(),
            )
    next_review_key = "next-review" if "next-review" in reader.raw else "reviewed"
    return {
        "slug": slug,
        "aliases": [alias for alias in aliases if alias != slug],
        "title": "",  # filled in from Sphinx's own title once the document is read
        "title_parts": [],
        "has_title": True,
        "short_title": short_title,
        "summary": summary,
        "category": category,
        "related": related,
        "reviewed": reviewed.isoformat() if reviewed else "",
        "next_review": next_review.isoformat() if next_review else "",
        "next_review_key": next_review_key,
        "keywords": keywords,
        "redirect_from": redirect_from,
        "authors": authors,
        "reviewers": reviewers,
        "sources": sources,
        "reading_grade_target": grade_target,
        # Set by sphinx_prolo.readability once the prose is read.
        "reading_grade": None,
        "words": 0,
    }


def title_parts(title: nodes.Element) -> list[tuple[str, str]]:
    """A title as text and therapy references, so that links can show the targets' titles."""
    parts: list[tuple[str, str]] = []

    def walk(node: nodes.Node) -> None:
        if (
            isinstance(node, addnodes.pending_xref)
            and node.get("refdomain") == "prolo"
            and not node.get("refexplicit")
        ):
            parts.append(("ref", str(node["reftarget"]).strip()))
        elif isinstance(node, nodes.Text):
            parts.append(("text", node.astext()))
        else:
            for child in node.children:
                walk(child)

    walk(title)
    return parts if any(kind == "ref" for kind, _value in parts) else []
