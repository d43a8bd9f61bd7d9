"""Articles: metadata, the notices every article carries, related lists, the catalog, reviews.

A document is an article when its name matches ``prolo_article_patterns``.  Its front matter
(MyST) or leading field list (rST) describes it.  While it is read, a transform records it in the
``prolo`` domain, inserts the notices it does not place itself and marks where the related list
and the review dates go.  Lists that depend on other documents (related articles with backlinks,
the catalog) are filled in when pages are written, and a digest of what each page shows tells
Sphinx which unchanged pages an edit elsewhere makes stale.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin

from babel import dates as babel_dates
from babel.core import UnknownLocaleError
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import Matcher

from sphinx_prolo.compat import app_of, builder_format
from sphinx_prolo.domain import Article, ProloDomain, TherapyRole, prolo_domain
from sphinx_prolo.notices import FileLocation, build_notice, notice_source, notices_in
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = ("slug", "aliases", "summary", "category", "related", "reviewed", "next-review")


class related_articles(nodes.General, nodes.Element):
    """Where an article's related list goes; filled in when the page is written."""


class article_index(nodes.General, nodes.Element):
    """Where a catalog of articles goes; filled in when the page is written."""


# --- which documents are articles -------------------------------------------------------------

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


# --- reading metadata ---------------------------------------------------------------------------


def _docinfo_fields(doctree: nodes.document) -> dict[str, str]:
    """The leading field list (front matter or rST docinfo) as name -> text."""
    index = doctree.first_child_not_matching_class(nodes.PreBibliographic)  # type: ignore[arg-type]
    docinfo = doctree[index] if index is not None else None
    if not isinstance(docinfo, nodes.docinfo):
        return {}
    fields: dict[str, str] = {}
    for node in docinfo.children:
        if isinstance(node, nodes.field) and len(node) == 2:
            fields[node[0].astext().strip()] = node[1].astext().strip()
        else:  # a bibliographic field such as :date:, which is none of ours
            fields[node.__class__.__name__] = node.astext()
    return fields


def _key_lines(path: str | os.PathLike[str]) -> dict[str, int]:
    """Line numbers of the metadata keys at the top of the source file at *path*."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, int] = {}
    if lines and lines[0].strip() == "---":  # MyST front matter
        pattern = re.compile(r"^([A-Za-z0-9_-]+)\s*:")
        for number, line in enumerate(lines[1:], start=2):
            if line.strip() == "---":
                break
            if match := pattern.match(line):
                found.setdefault(match.group(1), number)
    else:  # rST: a field list before the title
        pattern = re.compile(r"^:([A-Za-z0-9_-]+):")
        for number, line in enumerate(lines, start=1):
            if match := pattern.match(line):
                found.setdefault(match.group(1), number)
            elif line.strip() and not line.startswith((" ", "\t", "..")):
                break
    return found


class _MetadataReader:
    """Turns an article's raw metadata into plain, checked values, warning about bad ones."""

    def __init__(self, env: BuildEnvironment, docname: str, raw: dict[str, str]) -> None:
        self.env = env
        self.docname = docname
        self.raw = raw
        self._lines: dict[str, int] | None = None

    def line(self, key: str) -> int | None:
        if self._lines is None:
            self._lines = _key_lines(self.env.doc2path(self.docname))
        return self._lines.get(key)

    def warn(self, key: str, message: str, *args: Any) -> None:
        prolo_domain(self.env).warn(self.docname, self.line(key), "metadata", message, *args)

    @staticmethod
    def _decoded(value: str) -> Any:
        # MyST stores a YAML list or mapping from front matter as JSON text.
        if value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def text(self, key: str) -> str:
        value = self.raw.get(key, "")
        decoded = self._decoded(value)
        if isinstance(decoded, list):
            self.warn(key, __("%s should be text, not a list; its items are joined"), key)
            return ", ".join(str(item) for item in decoded)
        if isinstance(decoded, dict):
            self.warn(key, __("%s should be text, not a mapping; it is ignored"), key)
            return ""
        return " ".join(str(decoded).split())

    def slugs(self, key: str) -> list[str]:
        value = self.raw.get(key, "")
        decoded = self._decoded(value)
        if isinstance(decoded, dict):
            self.warn(key, __("%s should be a list of slugs, not a mapping; it is ignored"), key)
            return []
        items = decoded if isinstance(decoded, list) else re.split(r"[,\s]+", str(decoded))
        slugs = []
        for item in items:
            slug = str(item).strip()
            if not slug:
                continue
            if not SLUG.match(slug):
                self.warn(
                    key,
                    __("%s: %r is not a valid slug (%s); it is ignored"),
                    key,
                    slug,
                    _SLUG_RULE,
                )
                continue
            if slug not in slugs:
                slugs.append(slug)
        return slugs

    def date(self, key: str) -> dt.date | None:
        text = self.text(key)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.warn(
                key, __("%s: %r is not a date of the form YYYY-MM-DD; it is ignored"), key, text
            )
            return None


_SLUG_RULE = "lower-case letters and digits in words joined by single hyphens"


def read_article(env: BuildEnvironment, docname: str, doctree: nodes.document) -> Article:
    """The checked metadata of article *docname*; every problem is a ``prolo.metadata`` warning."""
    reader = _MetadataReader(env, docname, _docinfo_fields(doctree))
    stem = docname.rsplit("/", 1)[-1]
    slug = reader.text("slug")
    if slug and not SLUG.match(slug):
        fallback = slugify(stem)
        reader.warn(
            "slug",
            __("slug %r is not valid (%s); %r is used instead"),
            slug,
            _SLUG_RULE,
            fallback,
        )
        slug = fallback
    slug = slug or slugify(stem)
    # Read in the order writers list the keys, so warnings come out in that order too.
    aliases = reader.slugs("aliases")
    summary = reader.text("summary")
    category = reader.text("category")
    related = reader.slugs("related")
    reviewed = reader.date("reviewed")
    next_review = reader.date("next-review")
    if reviewed is not None and next_review is None:
        try:
            next_review = reviewed + dt.timedelta(days=env.config.prolo_review_interval_days)
        except OverflowError:  # a review date near the end of the calendar
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
        "summary": summary,
        "category": category,
        "related": related,
        "reviewed": reviewed.isoformat() if reviewed else "",
        "next_review": next_review.isoformat() if next_review else "",
        "next_review_key": next_review_key,
    }


# --- shaping an article while it is read --------------------------------------------------------


def _format_date(iso: str, config: Config) -> str:
    """An ISO date as readers write it in the site's language: "1 October 2026"."""
    day = dt.date.fromisoformat(iso)
    try:
        return babel_dates.format_date(day, format="d MMMM y", locale=config.language or "en")
    except (ValueError, LookupError, UnknownLocaleError):  # a language Babel does not know
        return babel_dates.format_date(day, format="d MMMM y", locale="en")


def review_block(article: Article, config: Config) -> nodes.container | None:
    """'Page last reviewed: ... / Next review due: ...' for the end of an article."""
    if not article["reviewed"] and not article["next_review"]:
        return None
    block = nodes.container(classes=["prolo-review"])
    if article["reviewed"]:
        text = _("Page last reviewed: %s") % _format_date(article["reviewed"], config)
        block += nodes.paragraph(text, text)
    if article["next_review"]:
        text = _("Next review due: %s") % _format_date(article["next_review"], config)
        block += nodes.paragraph(text, text)
    return block


def _final_please_note(section: nodes.Element) -> nodes.Element | None:
    """The please-note that ends *section* (possibly inside its last subsection), if any."""
    node: nodes.Node = section
    while isinstance(node, nodes.Element) and len(node):
        last = node[-1]
        if isinstance(last, nodes.admonition) and last.get("prolo_notice") == "please-note":
            return last
        if not isinstance(last, nodes.section):
            return None
        node = last
    return None


class ArticleTransform(SphinxTransform):
    """Record an article and give it its notices, related list and review dates.

    Runs after docinfo is collected and before smart quotes (750), so inserted text is treated
    exactly like text the writer typed.
    """

    default_priority = 740

    def apply(self, **kwargs: Any) -> None:
        env = self.env
        docname = env.docname
        if not is_article(self.config, docname):
            return
        doctree = self.document
        article = read_article(env, docname, doctree)
        domain = prolo_domain(env)
        domain.note_article(docname, article)
        top = doctree.next_node(nodes.section)
        container: nodes.Element = top if top is not None else doctree
        shown = {node["prolo_notice"] for node in notices_in(doctree)}
        source = str(env.doc2path(docname))
        if "disclaimer" not in shown:
            if self.config.prolo_auto_notices:
                notice = build_notice(env, "disclaimer", doctree, source=source, line=1)
                index = 1 if top is not None and isinstance(top[0], nodes.title) else 0
                container.insert(index, notice)
            else:
                domain.warn(
                    docname,
                    None,
                    "notice",
                    __("article %r has no disclaimer; add a disclaimer directive at its top"),
                    docname,
                )
        if article["summary"] and not any(
            node.get("name") == "description" for node in doctree.findall(nodes.meta)
        ):
            # The summary describes the page to search engines and link previews.
            doctree.insert(0, nodes.meta(name="description", content=article["summary"]))
        end: list[nodes.Node] = []
        if self.config.prolo_related_section and not any(doctree.findall(related_articles)):
            end.append(related_articles(docname=docname, auto=True))
        review = review_block(article, self.config)
        if review is not None:
            end.append(review)
        final_note = _final_please_note(container)
        if final_note is not None:
            parent = final_note.parent
            parent[parent.index(final_note) : parent.index(final_note)] = end
        else:
            container.extend(end)
            if "please-note" not in shown and self.config.prolo_auto_notices:
                container += build_notice(env, "please-note", doctree, source=source, line=None)


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Record what the document references and lists, for backlinks and stale-page checks."""
    env = app.env
    docname = env.docname
    domain = prolo_domain(env)
    domain.note_refs(
        docname,
        [
            (str(node["reftarget"]).strip(), node.line)
            for node in doctree.findall(addnodes.pending_xref)
            if node.get("refdomain") == "prolo"
            # Lists the extension made, and notice sources (checked once, at their own lines).
            and not node.get("prolo_docname")
            and not node.get("prolo_notice_source")
        ],
    )
    catalogs = [
        (str(node.get("category", "")), node.line) for node in doctree.findall(article_index)
    ]
    if catalogs:
        domain.catalogs[docname] = catalogs
    if any(not node.get("auto") for node in doctree.findall(related_articles)):
        domain.related_placed[docname] = True
    if docname in domain.articles:
        title = env.titles.get(docname)
        article = domain.articles[docname]
        article["title"] = title.astext() if title is not None else docname
        # Sphinx keeps the title as text; the heading in the doctree still has its references.
        section = doctree.next_node(nodes.section)
        heading = section.next_node(nodes.title) if section is not None else None
        article["title_parts"] = _title_parts(heading) if heading is not None else []


def _title_parts(title: nodes.Element) -> list[tuple[str, str]]:
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


def add_page_metadata(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """An article's title and summary for link previews (before sphinxext-opengraph reads them).

    sphinxext-opengraph writes them into attributes escaping nothing but quotes (and takes the
    title from the page's HTML, where a therapy reference shows its slug): escape them here,
    with the title as links show it.  A copy, so the environment's metadata stays as read.
    """
    if doctree is None:
        return
    domain = prolo_domain(app.env)
    article = domain.articles.get(pagename)
    if article is None:
        return
    meta = dict(context.get("meta") or {})
    if article["summary"] and "og:description" not in meta:
        meta["og:description"] = html.escape(article["summary"], quote=True)
    if "og:title" not in meta:
        meta["og:title"] = html.escape(domain.title(pagename), quote=True)
    context["meta"] = meta


# --- directives ---------------------------------------------------------------------------------


class RelatedArticlesDirective(SphinxDirective):
    """``related-articles``: put the article's related list here instead of at its end."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        node = related_articles(docname=self.env.docname, auto=False)
        self.set_source_info(node)
        return [node]


class ArticleIndexDirective(SphinxDirective):
    """``article-index``: the catalog of articles, grouped by category."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"category": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        category = " ".join(self.options.get("category", "").split())
        node = article_index(category=category)
        self.set_source_info(node)
        return [node]


# --- filling the lists when pages are written ---------------------------------------------------


def related_docnames(domain: ProloDomain, docname: str) -> list[str]:
    """The related list of *docname*: its ``related``, what it references, what references it."""
    found: list[str] = []
    article = domain.articles.get(docname)
    if article is None:
        return found
    candidates = [
        *(domain.find(slug) for slug in article["related"]),
        *(domain.find(slug) for slug, _line in domain.refs.get(docname, [])),
        *domain.backlinks().get(docname, []),
    ]
    for candidate in candidates:
        if candidate is not None and candidate != docname and candidate not in found:
            found.append(candidate)
    return found


def _article_link(domain: ProloDomain, docname: str) -> addnodes.pending_xref:
    """A reference to article *docname* itself, titled and resolved like the therapy role."""
    article = domain.articles[docname]
    title = domain.title(docname)
    xref = addnodes.pending_xref(
        "",
        nodes.inline(title, title),
        refdomain="prolo",
        reftype="therapy",
        reftarget=article["slug"],
        refexplicit=False,
        refwarn=False,
        prolo_docname=docname,
    )
    return xref


def _link_with_summary(domain: ProloDomain, docname: str) -> nodes.paragraph:
    """ "Title — summary" for lists of articles, the title a link to the article."""
    paragraph = nodes.paragraph()
    paragraph += _article_link(domain, docname)
    summary = domain.articles[docname]["summary"]
    if summary:
        paragraph += nodes.Text(" — " + summary)
    return paragraph


def catalog_groups(domain: ProloDomain, category: str) -> list[tuple[str, list[str]]]:
    """The catalog as (category, article docnames), categories sorted, uncategorised last."""
    groups: dict[str, list[str]] = {}
    for docname, article in domain.articles.items():
        if category and article["category"].casefold() != category.casefold():
            continue
        groups.setdefault(article["category"], []).append(docname)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "", item[0].casefold()))
    return [
        (name, sorted(docs, key=lambda d: (domain.title(d).casefold(), d)))
        for name, docs in ordered
    ]


def _design_div(classes: list[str]) -> nodes.container:
    """A container as sphinx-design makes them: a plain div without the "container" class."""
    return nodes.container(classes=classes, is_div=True)


class ArticleListsTransform(SphinxPostTransform):
    """Fill related lists and catalogs, before references are resolved (priority 10)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = prolo_domain(self.env)
        for related in list(self.document.findall(related_articles)):
            related.replace_self(self._related(domain, related["docname"]))
        for catalog in list(self.document.findall(article_index)):
            catalog.replace_self(self._catalog(domain, catalog.get("category", "")))

    def _related(self, domain: ProloDomain, docname: str) -> list[nodes.Node]:
        related = related_docnames(domain, docname)
        elsewhere = self._related_elsewhere(domain, docname)
        if not related and not elsewhere:
            return []
        section = nodes.container(classes=["prolo-related"])
        heading = nodes.rubric(_("Related articles"), _("Related articles"))
        heading["heading-level"] = 2
        section += heading
        items = nodes.bullet_list()
        for target in related:
            items += nodes.list_item("", _link_with_summary(domain, target))
        for slug in elsewhere:
            # Resolved by intersphinx, titled from the other site's inventory.
            xref = addnodes.pending_xref(
                "",
                nodes.inline(slug, slug),
                refdomain="prolo",
                reftype="therapy",
                reftarget=slug,
                refexplicit=False,
                refwarn=False,
                refdoc=docname,
            )
            items += nodes.list_item("", nodes.paragraph("", "", xref))
        section += items
        return [section]

    def _related_elsewhere(self, domain: ProloDomain, docname: str) -> list[str]:
        """The ``related`` slugs that only another site (through intersphinx) has."""
        article = domain.articles.get(docname)
        if article is None:
            return []
        return [
            slug
            for slug in article["related"]
            if domain.find(slug) is None and intersphinx_target(self.env, docname, slug)
        ]

    def _catalog(self, domain: ProloDomain, category: str) -> list[nodes.Node]:
        groups = catalog_groups(domain, category)
        with_cards = (
            "sphinx_design" in self.config.extensions and builder_format(self.env) == "html"
        )
        result: list[nodes.Node] = []
        for name, docnames in groups:
            heading_text = name or _("Other articles")
            if not category:
                heading = nodes.rubric(heading_text, heading_text)
                heading["heading-level"] = 2
                result.append(heading)
            result.append(
                self._cards(domain, docnames) if with_cards else self._list(domain, docnames)
            )
        if not result:
            text = _("No articles yet.")
            result.append(nodes.paragraph(text, text))
        wrapper = nodes.container(classes=["prolo-catalog"])
        wrapper.extend(result)
        return [wrapper]

    def _reviewed(self, domain: ProloDomain, docname: str) -> str:
        reviewed = domain.articles[docname]["reviewed"]
        return _("Last reviewed: %s") % _format_date(reviewed, self.config) if reviewed else ""

    def _list(self, domain: ProloDomain, docnames: Iterable[str]) -> nodes.bullet_list:
        items = nodes.bullet_list(classes=["prolo-catalog-list"])
        for docname in docnames:
            paragraph = _link_with_summary(domain, docname)
            reviewed = self._reviewed(domain, docname)
            if reviewed:
                paragraph += nodes.Text(f" ({reviewed})")
            items += nodes.list_item("", paragraph)
        return items

    def _cards(self, domain: ProloDomain, docnames: Iterable[str]) -> nodes.container:
        # The same classes sphinx-design gives its grid and cards, so its stylesheet applies.
        grid = _design_div(classes=["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"])
        row = _design_div(
            classes=["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-lg-3", "sd-g-3"]
        )
        grid += row
        for docname in docnames:
            column = _design_div(classes=["sd-col", "sd-d-flex-row"])
            card = _design_div(
                classes=["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "prolo-card"]
            )
            body = _design_div(classes=["sd-card-body"])
            title = nodes.paragraph(classes=["sd-card-title", "sd-font-weight-bold"])
            title += _article_link(domain, docname)
            body += title
            summary = domain.articles[docname]["summary"]
            if summary:
                body += nodes.paragraph(summary, summary, classes=["sd-card-text"])
            card += body
            reviewed = self._reviewed(domain, docname)
            if reviewed:
                footer = _design_div(classes=["sd-card-footer"])
                footer += nodes.paragraph(reviewed, reviewed, classes=["sd-card-text"])
                card += footer
            column += card
            row += column
        return grid


# --- build-level checks and stale pages ---------------------------------------------------------


def _today(config: Config) -> dt.date:
    try:
        return dt.date.fromisoformat(str(config.today).strip())
    except ValueError:
        return dt.date.today()


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
                location=(loser["docname"], _key_lines(env.doc2path(loser["docname"])).get(key)),
                type="prolo",
                subtype="duplicate",
            )
    slugs = list(domain.claims())
    for docname, article in sorted(domain.articles.items()):
        # Key lines are looked up only to place a warning: reading files is not for every build.
        for slug in article["related"]:
            if domain.find(slug) is None and intersphinx_target(env, docname, slug) is None:
                logger.warning(
                    __("related article %r not found%s"),
                    slug,
                    suggestion_text(slug, slugs),
                    location=(docname, _key_lines(env.doc2path(docname)).get("related")),
                    type="prolo",
                    subtype="metadata",
                )
    check_references(env, domain, slugs)
    check_notice_references(env, domain, slugs)
    check_catalogs(env, domain)
    report_overdue_reviews(env)


def check_catalogs(env: BuildEnvironment, domain: ProloDomain) -> None:
    """An ``article-index`` whose ``:category:`` no article has: say which categories exist."""
    known = sorted({article["category"] for article in domain.articles.values()} - {""})
    folded = {category.casefold() for category in known}
    for docname, catalogs in sorted(domain.catalogs.items()):
        for category, line in catalogs:
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
        for slug, line in domain.notice_refs.get(relpath, []):
            if domain.find(slug) is None and intersphinx_target(env, "", slug) is None:
                logger.warning(
                    __("unknown therapy article %r%s"),
                    slug,
                    suggestion_text(slug, slugs),
                    location=FileLocation(f"{path}:{line}" if line else str(path)),
                    type="prolo",
                    subtype="ref",
                )


@dataclass(frozen=True)
class OverdueReview:
    """An article whose next clinical review is past due, and where its date was written."""

    docname: str
    line: int | None
    due: str


def overdue_reviews(env: BuildEnvironment) -> list[OverdueReview]:
    """Articles whose next review date is before Sphinx's ``today`` (or the real date)."""
    domain = prolo_domain(env)
    today = _today(env.config)
    overdue = []
    for docname, article in sorted(domain.articles.items()):
        due = article["next_review"]
        if due and dt.date.fromisoformat(due) < today:
            # Key lines are looked up only to place a report: reading files is not for every build.
            line = _key_lines(env.doc2path(docname)).get(article["next_review_key"])
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


def intersphinx_target(env: BuildEnvironment, docname: str, slug: str) -> str | None:
    """The URL another site's inventory gives for *slug*, when intersphinx is loaded."""
    if "sphinx.ext.intersphinx" not in app_of(env).extensions:
        return None
    from sphinx.ext.intersphinx import resolve_reference_detect_inventory

    probe = addnodes.pending_xref(
        "", refdomain="prolo", reftype="therapy", reftarget=slug, refdoc=docname
    )
    found = resolve_reference_detect_inventory(env, probe, nodes.inline("", ""))
    return str(found["refuri"]) if found is not None else None


def check_references(env: BuildEnvironment, domain: ProloDomain, slugs: list[str]) -> None:
    """Every therapy reference that neither this site nor intersphinx resolves, every build."""
    for docname, refs in sorted(domain.refs.items()):
        for slug, line in refs:
            if domain.find(slug) is None and intersphinx_target(env, docname, slug) is None:
                logger.warning(
                    __("unknown therapy article %r%s"),
                    slug,
                    suggestion_text(slug, slugs),
                    location=(docname, line),
                    type="prolo",
                    subtype="ref",
                )


def suggestion_text(slug: str, slugs: Iterable[str]) -> str:
    """ "; did you mean 'a' or 'b'?" for the slugs nearest *slug*, or "" if none is near."""
    near = difflib.get_close_matches(slug, list(slugs), n=3, cutoff=0.6)
    if not near:
        return ""
    return __("; did you mean %s?") % " or ".join(repr(candidate) for candidate in near)


def keep_unknown_slug_as_text(
    app: Sphinx, domain: Domain, node: addnodes.pending_xref
) -> bool | None:
    """An unresolved therapy reference stays text; :func:`check_references` reported it."""
    return True if node.get("refdomain") == "prolo" else None


def _view(
    domain: ProloDomain, docname: str, related_on: bool, notice_paths: dict[str, str]
) -> str:
    """A digest of every other document's data that the written page of *docname* shows."""
    shown: list[Any] = []

    def describe(target: str | None) -> Any:
        if target is None:
            return None
        article = domain.articles[target]
        return (target, article["slug"], domain.title(target), article["summary"])

    for slug, _line in domain.refs.get(docname, []):
        shown.append((slug, describe(domain.find(slug))))
    for kind in domain.notice_uses.get(docname, []):
        relpath = notice_paths.get(kind, "")
        for slug, _line in domain.notice_refs.get(relpath, []):
            shown.append((kind, slug, describe(domain.find(slug))))
    if related_on or domain.related_placed.get(docname):
        shown.append([describe(target) for target in related_docnames(domain, docname)])
    for category, _line in domain.catalogs.get(docname, []):
        for name, docnames in catalog_groups(domain, category):
            shown.append((name, [(describe(d), domain.articles[d]["reviewed"]) for d in docnames]))
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
    stale = []
    for docname in sorted(env.all_docs):
        related = related_on and docname in domain.articles
        digest = _view(domain, docname, related, notice_paths)
        if domain.views.get(docname) != digest:
            domain.views[docname] = digest
            stale.append(docname)
    navigation = _navigation_digest(env)
    if domain.data.get("navigation") != navigation:
        domain.data["navigation"] = navigation
        return sorted(env.all_docs)
    return stale


def structured_data(article: Article, title: str, language: str, url: str) -> str:
    """schema.org ``MedicalWebPage`` JSON-LD for an article, safe inside a script element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "headline": title,
        "inLanguage": language,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
    }
    if article["summary"]:
        data["description"] = article["summary"]
    if article["reviewed"]:
        data["lastReviewed"] = article["reviewed"]
    if url:
        data["url"] = url
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    # "<", ">" and "&" as JSON escapes: no text can close the script element or open a comment.
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return f'<script type="application/ld+json">{text}</script>\n'


def add_structured_data(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Describe each article page to search engines as a reviewed medical web page."""
    if doctree is None or builder_format(app.env) != "html":
        return
    domain = prolo_domain(app.env)
    article = domain.articles.get(pagename)
    if article is None:
        return
    url = ""
    if app.config.html_baseurl:
        base = app.config.html_baseurl.rstrip("/") + "/"
        url = urljoin(base, app.builder.get_target_uri(pagename))
    language = app.config.language or "en"
    context["metatags"] = context.get("metatags", "") + structured_data(
        article, domain.title(pagename), language, url
    )


def setup_articles(app: Sphinx) -> None:
    """Register articles, the therapy role, the catalog and the related list."""
    app.add_role("therapy", TherapyRole())
    app.add_directive("related-articles", RelatedArticlesDirective)
    app.add_directive("article-index", ArticleIndexDirective)
    app.add_node(related_articles)
    app.add_node(article_index)
    app.add_transform(ArticleTransform)
    app.add_post_transform(ArticleListsTransform)
    app.connect("doctree-read", on_doctree_read, priority=600)
    app.connect("env-updated", check_articles)
    app.connect("env-get-updated", stale_pages)
    app.connect("warn-missing-reference", keep_unknown_slug_as_text)
    app.connect("html-page-context", add_structured_data)
    # Before sphinxext-opengraph (default priority) reads the page's metadata.
    app.connect("html-page-context", add_page_metadata, priority=450)
