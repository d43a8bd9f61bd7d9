"""Review dates: the lines that close an article, and the reviews that are overdue.

"Page last reviewed" and "Next review due" are written in the site's language.  An overdue review
is reported by every build, but only link-check builds (CI's check job) treat it as a warning and
fail: a review falling due must never stop the clinic from publishing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel import dates as babel_dates
from babel import lists as babel_lists
from babel.core import UnknownLocaleError
from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.articles.front_matter_lines import key_lines
from sphinx_prolo.builds.compat import app_of
from sphinx_prolo.languages.front_matter_words import base_language
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.domain import Article

logger = logging.getLogger(__name__)


def format_date(iso: str, config: Config) -> str:
    """An ISO date as readers write it in the site's language: "1 October 2026"."""
    day = dt.date.fromisoformat(iso)
    language = config.language or "en"
    # French writes the first of the month as an ordinal: "1er octobre 2026".
    pattern = "d'er' MMMM y" if day.day == 1 and base_language(config) == "fr" else "d MMMM y"
    try:
        return babel_dates.format_date(day, format=pattern, locale=language)
    except (ValueError, LookupError, UnknownLocaleError):  # a language Babel does not know
        return babel_dates.format_date(day, format="d MMMM y", locale="en")


def format_names(names: list[str], config: Config) -> str:
    """Names joined as readers write a list in the site's language: "A, B and C"."""
    try:
        return str(babel_lists.format_list(names, locale=config.language or "en"))
    except (ValueError, LookupError, UnknownLocaleError):  # a language Babel does not know
        return str(babel_lists.format_list(names, locale="en"))


def review_block(article: Article, config: Config, page: str = "") -> nodes.container | None:
    """Who wrote and reviewed the article, and when, for its end.

    "Written by ...", "Page last reviewed by ... on ..." (or "Page last reviewed: ..."), "Next
    review due: ...", each line only when the front matter gives what it says. With a reviewers
    *page*, the reviewers' names link to it.
    """
    reviewers = format_names(article["reviewers"], config) if article["reviewers"] else ""
    if not (article["reviewed"] or article["next_review"] or article["authors"] or reviewers):
        return None
    block = nodes.container(classes=["prolo-review"])
    if article["authors"]:
        text = _("Written by %s") % format_names(article["authors"], config)
        block += nodes.paragraph(text, text)
    if article["reviewed"] and reviewers:
        date = format_date(article["reviewed"], config)
        template = _("Page last reviewed by %(reviewers)s on %(date)s")
        block += _linked_line(template % {"reviewers": "\0", "date": date}, reviewers, page)
    elif reviewers:
        block += _linked_line(_("Reviewed by %s") % "\0", reviewers, page)
    elif article["reviewed"]:
        text = _("Page last reviewed: %s") % format_date(article["reviewed"], config)
        block += nodes.paragraph(text, text)
    if article["next_review"]:
        text = _("Next review due: %s") % format_date(article["next_review"], config)
        block += nodes.paragraph(text, text)
    return block


def _linked_line(text: str, reviewers: str, page: str) -> nodes.paragraph:
    """*text* with its reviewers' names (where ``\\0`` stands) linked to the reviewers *page*."""
    before, _marker, after = text.partition("\0")
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(before)
    if page:
        link = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget="/" + page, refexplicit=True
        )
        link += nodes.inline(reviewers, reviewers)
        paragraph += link
    else:
        paragraph += nodes.Text(reviewers)
    paragraph += nodes.Text(after)
    return paragraph


def review_today(config: Config) -> dt.date:
    try:
        return dt.date.fromisoformat(str(config.today).strip())
    except ValueError:
        return dt.date.today()


@dataclass(frozen=True)
class OverdueReview:
    """An article whose next clinical review is past due, and where its date was written."""

    docname: str
    line: int | None
    due: str


def overdue_reviews(env: BuildEnvironment) -> list[OverdueReview]:
    """Articles whose next review date is before Sphinx's ``today`` (or the real date)."""
    domain = prolo_domain(env)
    today = review_today(env.config)
    overdue = []
    for docname, article in sorted(domain.data["articles"].items()):
        due = article["next_review"]
        if due and dt.date.fromisoformat(due) < today:
            # Key lines are looked up only to place a report: reading files is not for every build.
            line = key_lines(env.doc2path(docname)).get(article["next_review_key"])
            overdue.append(OverdueReview(docname, line, due))
    return overdue


def report_overdue_reviews(env: BuildEnvironment) -> None:
    """Overdue reviews: a warning in link-check builds (CI's check job), an info line elsewhere.

    A review falling due must never stop the clinic from publishing a fix to another article, so
    HTML and the other builders only report it; the link-check build lists it in its report and
    fails, which is where CI notices it.
    """
    strict = app_of(env).builder.name == "linkcheck"
    for review in overdue_reviews(env):
        message = __("review overdue: the next review of %r was due on %s")
        if strict:
            logger.warning(
                message,
                review.docname,
                review.due,
                location=(review.docname, review.line),
                type="prolo",
                subtype="review",
            )
        else:
            logger.info(
                message, review.docname, review.due, location=(review.docname, review.line)
            )
