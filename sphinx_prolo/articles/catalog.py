"""Lists of articles: the "Related articles" list that closes an article, and the catalog.

While a document is read, the ``related-articles`` and ``article-index`` directives (or the
articles feature, for the related list at an article's end) leave a placeholder node.  The lists
depend on every other article (titles, summaries, backlinks), so a post-transform fills them in
when the page is written.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.articles.domain import find_elsewhere, prolo_domain
from sphinx_prolo.articles.page_blocks import titled_block
from sphinx_prolo.articles.reviews import format_date
from sphinx_prolo.builds.compat import builder_format
from sphinx_prolo.translations import _

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

    from sphinx_prolo.articles.domain import ProloDomain

logger = logging.getLogger(__name__)


class related_articles(nodes.General, nodes.Element):
    """Where an article's related list goes; filled in when the page is written."""


class article_index(nodes.General, nodes.Element):
    """Where a catalog of articles goes; filled in when the page is written."""


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
    option_spec: ClassVar[dict[str, Any]] = {
        "category": directives.unchanged_required,
        "kind": lambda value: directives.choice(value, ("treatment", "condition")),
    }

    def run(self) -> list[nodes.Node]:
        category = " ".join(self.options.get("category", "").split())
        node = article_index(category=category, kind=self.options.get("kind", "treatment"))
        self.set_source_info(node)
        return [node]


def related_docnames(domain: ProloDomain, docname: str) -> list[str]:
    """The related list of *docname*: its ``related``, what it references, what references it."""
    found: list[str] = []
    article = domain.data["articles"].get(docname)
    if article is None:
        return found
    candidates = [
        *(domain.find(slug) for slug in article["related"]),
        *(domain.find(slug) for slug, _line in domain.data["refs"].get(docname, [])),
        *domain.backlinks().get(docname, []),
    ]
    for candidate in candidates:
        if candidate is not None and candidate != docname and candidate not in found:
            found.append(candidate)
    return found


def article_link(domain: ProloDomain, docname: str) -> addnodes.pending_xref:
    """A reference to article *docname* itself, titled and resolved like the therapy role."""
    article = domain.data["articles"][docname]
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


def link_with_summary(domain: ProloDomain, docname: str) -> nodes.paragraph:
    """ "Title — summary" for lists of articles, the title a link to the article."""
    paragraph = nodes.paragraph()
    paragraph += article_link(domain, docname)
    summary = domain.data["articles"][docname]["summary"]
    if summary:
        paragraph += nodes.Text(" — " + summary)
    return paragraph


def title_key(title: str) -> tuple[str, str]:
    """Sort key for titles in any language: "Épaule" between "Dos" and "Genou", not after "Z"."""
    plain = unicodedata.normalize("NFKD", title)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold(), title


def catalog_groups(
    domain: ProloDomain, category: str, kind: str = "treatment"
) -> list[tuple[str, list[str]]]:
    """The catalog of articles of *kind* as (category, article docnames), categories sorted,
    uncategorised last; a catalog of conditions is one group, A to Z."""
    groups: dict[str, list[str]] = {}
    for docname, article in domain.data["articles"].items():
        if article["kind"] != kind:
            continue
        if category and article["category"].casefold() != category.casefold():
            continue
        groups.setdefault("" if kind == "condition" else article["category"], []).append(docname)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "", title_key(item[0])))
    return [
        (name, sorted(docs, key=lambda d: (title_key(domain.title(d)), d)))
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
            catalog.replace_self(
                self._catalog(
                    domain, catalog.get("category", ""), catalog.get("kind", "treatment")
                )
            )

    def _related(self, domain: ProloDomain, docname: str) -> list[nodes.Node]:
        related = related_docnames(domain, docname)
        elsewhere = self._related_elsewhere(domain, docname)
        if not related and not elsewhere:
            return []
        section = titled_block("prolo-related", _("Related articles"))
        items = nodes.bullet_list()
        for target in related:
            items += nodes.list_item("", link_with_summary(domain, target))
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
        article = domain.data["articles"].get(docname)
        if article is None:
            return []
        return [
            slug
            for slug in article["related"]
            if domain.find(slug) is None and find_elsewhere(self.env, docname, slug)
        ]

    def _catalog(self, domain: ProloDomain, category: str, kind: str) -> list[nodes.Node]:
        groups = catalog_groups(domain, category, kind)
        with_cards = (
            "sphinx_design" in self.config.extensions and builder_format(self.env) == "html"
        )
        result: list[nodes.Node] = []
        for name, docnames in groups:
            heading_text = name or _("Other articles")
            if not category and kind == "treatment":
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
        reviewed = domain.data["articles"][docname]["reviewed"]
        return _("Last reviewed: %s") % format_date(reviewed, self.config) if reviewed else ""

    def _list(self, domain: ProloDomain, docnames: Iterable[str]) -> nodes.bullet_list:
        items = nodes.bullet_list(classes=["prolo-catalog-list"])
        for docname in docnames:
            paragraph = link_with_summary(domain, docname)
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
            title += article_link(domain, docname)
            body += title
            summary = domain.data["articles"][docname]["summary"]
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


def setup_catalog(app: Sphinx) -> None:
    """Register the related list and the catalog: their directives, nodes and filling."""
    app.add_directive("related-articles", RelatedArticlesDirective)
    app.add_directive("article-index", ArticleIndexDirective)
    app.add_node(related_articles)
    app.add_node(article_index)
    app.add_post_transform(ArticleListsTransform)
