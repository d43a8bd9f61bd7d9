"""Which documents are articles, and what their front matter says, checked.

A document is an article when its name matches ``prolo_article_patterns``.  Its front matter
(MyST) or leading field list (rST) is read into an :class:`~sphinx_prolo.articles.domain.Article`
of plain,
checked values; every value that cannot be used is a ``prolo.metadata`` warning at its own line,
and the article is still built.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.matching import Matcher

from sphinx_prolo.articles.evidence import check_evidence, read_evidence
from sphinx_prolo.articles.front_matter import (
    KNOWN_ELSEWHERE,
    SLUG,
    SLUG_RULE,
    MetadataReader,
    suggestion_text,
)
from sphinx_prolo.articles.front_matter_lines import docinfo_fields
from sphinx_prolo.articles.keys import FRONT_MATTER, KEYS
from sphinx_prolo.articles.reviewers import check_reviewers
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.domain import Article

logger = logging.getLogger(__name__)


_MATCHERS: dict[tuple[str, ...], Matcher] = {}


def _matches(patterns: tuple[str, ...], docname: str) -> bool:
    if not patterns:
        return False
    matcher = _MATCHERS.get(patterns)
    if matcher is None:
        matcher = _MATCHERS[patterns] = Matcher(list(patterns))
    return matcher(docname)


def is_condition(config: Config, docname: str) -> bool:
    """Whether *docname* is a condition page (``prolo_condition_patterns``)."""
    return _matches(tuple(config.prolo_condition_patterns), docname)


def is_article(config: Config, docname: str) -> bool:
    """Whether *docname* is an article: a treatment article or a condition page."""
    return _matches(tuple(config.prolo_article_patterns), docname) or is_condition(config, docname)


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
    # Kinds read outside MetadataReader, by the module of the feature they belong to.
    readers = {"evidence": partial(read_evidence, reader)}
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
    values: dict[str, Any] = {
        key.field: (readers.get(key.kind) or getattr(reader, key.kind))(key.name)
        for key in FRONT_MATTER
        if key.name != "slug"
    }
    check_evidence(reader, values["evidence"], len(values["sources"]), values["used_for"])
    check_reviewers(reader, values["reviewers"], values["category"])
    reviewed, next_review = values["reviewed"], values["next_review"]
    if env.config.prolo_require_reviewer and not values["reviewers"]:
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
    values["next_review"] = next_review
    for declared in FRONT_MATTER:  # dates are kept as ISO text: plain data in the environment
        if declared.kind == "date":
            day = values[declared.field]
            values[declared.field] = day.isoformat() if day else ""
    values["aliases"] = [alias for alias in values["aliases"] if alias != slug]
    article: dict[str, Any] = {
        **values,
        "slug": slug,
        "title": "",  # filled in from Sphinx's own title once the document is read
        "title_parts": [],
        "has_title": True,
        "next_review_key": "next-review" if "next-review" in reader.raw else "reviewed",
        # Set by sphinx_prolo.articles.readability once the prose is read.
        "reading_grade": None,
        "words": 0,
        "reviewer_keys": [],
        "kind": "condition" if is_condition(env.config, docname) else "treatment",
    }
    return cast("Article", article)


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
