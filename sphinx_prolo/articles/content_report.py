"""The editors' content report: every article, what it needs next, the most urgent on top.

One row per article: title, slug, category, words, reading grade against its target, the last and
next review (overdue, or due within 90 days), reviewers, number of sources and number of other
documents that link to it (none: an orphan). The rows are sorted so that overdue reviews come
first, then reviews due soon, articles above their reading target, orphans, then the rest by
their next review date.

HTML builds of a site with articles write the rows to ``content-report.json`` for dashboards. The
``article-report`` directive shows them as a table: the rows of the site being built, or, with
``:from:``, the rows of another build's ``content-report.json`` (the handbook shows the Learning
Centre's this way). Each title is a ``therapy`` reference to its article, so in another site it
leads to the live article through intersphinx.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.articles.catalog import article_link
from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.articles.keys import FRONT_MATTER, report_value
from sphinx_prolo.articles.reviews import review_today
from sphinx_prolo.builds.compat import app_of, writes_page_per_document
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

REPORT_FILE = "content-report.json"
#: What an empty cell shows (an en dash).
NONE = "\u2013"
#: A review due within this many days is marked "due soon".
DUE_SOON_DAYS = 90


class article_report(nodes.General, nodes.Element):
    """Where the report of this site's articles goes; filled in when the page is written."""


def report_rows(env: BuildEnvironment, builder: Builder | None = None) -> list[dict[str, Any]]:
    """One plain row per article, the most urgent first."""
    domain = prolo_domain(env)
    today = review_today(env.config)
    # Any document counts, not only articles: a landing page that links an article makes it
    # no orphan.
    referrers = domain.referrers(articles_only=False)
    site_target = float(env.config.prolo_reading_grade_target)
    rows = []
    for docname, article in domain.data["articles"].items():
        due = article["next_review"]
        status = ""
        if due and dt.date.fromisoformat(due) < today:
            status = "overdue"
        elif due and (dt.date.fromisoformat(due) - today).days <= DUE_SOON_DAYS:
            status = "due soon"
        inbound = len(referrers.get(docname, []))
        target = article["reading_grade_target"] or site_target
        grade = article["reading_grade"]
        row: dict[str, Any] = {
            "title": domain.title(docname),
            "docname": docname,
            "page": builder.get_target_uri(docname) if builder is not None else "",
        }
        for key in FRONT_MATTER:
            if key.report:
                row[key.field] = report_value(key.kind, article[key.field])  # type: ignore[literal-required]
        row |= {
            "words": article["words"],
            "reading_grade": grade,
            "reading_grade_target": target or None,
            "above_target": bool(target and grade is not None and grade > target),
            "review_status": status,
            "linked_from": inbound,
            "orphan": inbound == 0,
        }
        rows.append(row)
    rows.sort(key=_urgency)
    return rows


def _urgency(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["review_status"] != "overdue",
        row["review_status"] != "due soon",
        not row["above_target"],
        not row["orphan"],
        row["next_review"] or "9999-12-31",
        row["title"],
    )


def slug_link(row: dict[str, Any]) -> nodes.Node:
    """The article's title as a therapy reference to its slug, in a table of another site."""
    title = str(row.get("title", ""))
    return addnodes.pending_xref(
        "",
        nodes.inline(title, title),
        refdomain="prolo",
        reftype="therapy",
        reftarget=str(row.get("slug", "")),
        refexplicit=True,
        refwarn=True,
        prolo_report=True,
    )


def report_table(
    rows: list[dict[str, Any]], link: Callable[[dict[str, Any]], nodes.Node]
) -> nodes.Element:
    """The rows as a table, each title made a link by *link*."""
    if not rows:
        return nodes.paragraph(_("No articles yet."), _("No articles yet."))
    columns = [_heading(heading) for heading, _cell in _columns()]
    table = nodes.table(classes=["prolo-report"])
    group = nodes.tgroup(cols=len(columns))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _column in columns)
    head = nodes.thead()
    head += _row([nodes.Text(column) for column in columns])
    group += head
    body = nodes.tbody()
    for row in rows:
        body += _row([link(row)] + [cell(row) for _heading, cell in _columns()[1:]])
    group += body
    return table


Cell = Callable[[dict[str, Any]], nodes.Node]


def _columns() -> list[tuple[str, Cell]]:
    """The report's columns in order: (English heading, cell maker). Every front-matter key
    declared with a report heading has a column; the computed ones sit where editors read them,
    and a key's column without a place here comes before "Linked from"."""
    computed: dict[str, Cell] = {
        "Article": lambda row: nodes.Text(row["title"]),
        "Words": lambda row: nodes.Text(str(row["words"])),
        "Reading grade": _grade_cell,
        "Linked from": _linked_cell,
    }
    special: dict[str, Cell] = {
        "slug": lambda row: nodes.literal(row["slug"], row["slug"]),
        "next-review": _next_review_cell,
    }
    keyed: dict[str, Cell] = {}
    for key in FRONT_MATTER:
        if key.report:
            keyed[key.report] = special.get(key.name) or _plain_cell(key.field)
    order = ["Article", "Slug", "Category", "Words", "Reading grade", "Reviewed", "Next review"]
    order += ["Reviewed by", "Sources"]
    order += [heading for heading in keyed if heading not in order] + ["Linked from"]
    cells = computed | keyed
    return [(heading, cells[heading]) for heading in order if heading in cells]


def _heading(heading: str) -> str:
    """A column heading in the document's language (written out so that Babel extracts it)."""
    known = {
        "Article": _("Article"),
        "Slug": _("Slug"),
        "Category": _("Category"),
        "Words": _("Words"),
        "Reading grade": _("Reading grade"),
        "Reviewed": _("Reviewed"),
        "Next review": _("Next review"),
        "Reviewed by": _("Reviewed by"),
        "Sources": _("Sources"),
        "Evidence": _("Evidence"),
        "Linked from": _("Linked from"),
    }
    return known.get(heading) or _(heading)


def _plain_cell(field: str) -> Cell:
    def cell(row: dict[str, Any]) -> nodes.Node:
        value = row[field]
        text = ", ".join(value) if isinstance(value, list) else str(value if value != "" else "")
        return nodes.Text(text or NONE)

    return cell


def _grade_cell(row: dict[str, Any]) -> nodes.Node:
    grade = NONE if row["reading_grade"] is None else f"{row['reading_grade']:.1f}"
    if row["reading_grade_target"]:
        grade += f" / {row['reading_grade_target']:g}"
    if row["above_target"]:
        grade += " " + _("(above)")
    return nodes.Text(grade)


def _next_review_cell(row: dict[str, Any]) -> nodes.Node:
    next_review = row["next_review"] or NONE
    if row["review_status"] == "overdue":
        next_review += " " + _("(overdue)")
    elif row["review_status"]:
        next_review += " " + _("(due soon)")
    return nodes.Text(next_review)


def _linked_cell(row: dict[str, Any]) -> nodes.Node:
    return nodes.Text(str(row["linked_from"]) + (" " + _("(orphan)") if row["orphan"] else ""))


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", cell)
        row += entry
    return row


class ArticleReportDirective(SphinxDirective):
    """``article-report``: the content report, of this site or (``:from:``) of another build."""

    option_spec: ClassVar[dict[str, Any]] = {"from": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        source = self.options.get("from")
        if source is None:
            return [article_report()]
        _relative, absolute = self.env.relfn2path(source)
        self.env.note_dependency(absolute)
        try:
            data = json.loads(Path(absolute).read_text(encoding="utf-8"))
            rows = [row for row in data["articles"] if isinstance(row, dict)]
            return [report_table(rows, slug_link)]
        # RecursionError: JSON nested deeper than Python's parser goes.
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            logger.warning(
                __("article-report: cannot read %s (%s)"),
                source,
                exc,
                location=self.get_location(),
                type="prolo",
                subtype="report",
            )
            return []


class ArticleReportTransform(SphinxPostTransform):
    """Fill the report of this site's articles when the page is written."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(article_report))
        if not placeholders:
            return
        domain = prolo_domain(self.env)
        rows = report_rows(self.env, app_of(self.env).builder)
        for placeholder in placeholders:
            placeholder.replace_self(
                report_table(rows, lambda row: article_link(domain, row["docname"]))
            )


def write_report(app: Sphinx, exception: Exception | None) -> None:
    """``content-report.json`` for dashboards, in HTML builds of a site with articles."""
    builder = app.builder
    if exception is not None or not writes_page_per_document(builder):
        return
    rows = report_rows(app.env, builder)
    if not rows:
        return
    name = str(app.config.prolo_content_report_file or "")
    if not name:  # the editors' report is not published with this site
        return
    data = {"today": review_today(app.config).isoformat(), "articles": rows}
    path = Path(builder.outdir, name).resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as problem:
        logger.warning(
            __("content report: cannot write %s (%s)"),
            path,
            problem.strerror or problem,
            type="prolo",
            subtype="report",
        )


def setup_content_report(app: Sphinx) -> None:
    """The ``article-report`` directive and ``content-report.json``."""
    app.add_node(article_report)
    app.add_directive("article-report", ArticleReportDirective)
    app.add_post_transform(ArticleReportTransform)
    app.connect("build-finished", write_report)
