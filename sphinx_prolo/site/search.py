"""What the site's own search finds and shows for an article.

Readers search in their own words ("cortisone shot", "sugar injection"), not the clinic's: an
article's ``keywords`` (and its aliases) are given to Sphinx's search index as the page's
``keywords`` meta tag, each phrase with its separate words, since the search looks words up one by
one. Each article is listed once, as a page: its slug and aliases are kept out of the results
(``ProloDomain.get_objects``).

On the search page only, a small script (``static/sphinx-prolo-search.js``) does two things
through the hooks Sphinx's search script offers (``Scorer.score`` and ``makeSearchSummary``): an
article whose keywords hold every word searched for is ranked first (the articles' keywords are
written into the search page), and under a page's result the page's summary (its meta
description) is shown instead of a cut of its text; Sphinx's second heading is hidden where
the page has its own, and a search that finds nothing says what to try and links the conditions
A to Z. Without those hooks, results keep Sphinx's own order and text.

The ``search-box`` directive puts a search form in a page's text, where a theme keeps its own
box in a menu on phones.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from jinja2.utils import htmlsafe_json_dumps
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.builds.compat import builder_format
from sphinx_prolo.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_prolo.articles.domain import Article

#: The script the search page loads, in the package's static folder (see notices.STATIC_DIR).
SEARCH_SCRIPT = "sphinx-prolo-search.js"


def search_words(article: Article) -> list[str]:
    """The keywords and aliases, each phrase followed by its words, without repeats."""
    words: list[str] = []
    for phrase in [*article["keywords"], *article["aliases"]]:
        words.append(phrase)
        parts = re.findall(r"\w+", phrase)
        if len(parts) > 1:
            words.extend(parts)
    return list(dict.fromkeys(word for word in words if word))


def add_keywords(doctree: nodes.document, article: Article) -> None:
    """Give the page a ``keywords`` meta tag for the search index (and for the page's head)."""
    words = search_words(article)
    if words:
        doctree.insert(0, nodes.meta(name="keywords", content=", ".join(words)))


def add_search_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """On the search page: the articles' search words, and the script that uses them.

    The words are written into the page itself, as HTML-safe JSON (no keyword can end the
    script or start markup), so the page never loads a stale copy of them.
    """
    if templatename != "search.html" or builder_format(app.env) != "html":
        return
    articles = prolo_domain(app.env).data["articles"]
    words = {
        docname: [word.lower() for word in found]
        for docname, article in sorted(articles.items())
        if (found := search_words(article))
    }
    data = htmlsafe_json_dumps(words, sort_keys=True)
    # When nothing matches: what to try, and the way in by problem (the conditions A to Z).
    conditions = next(
        (
            docname
            for docname, catalogs in sorted(prolo_domain(app.env).data["catalogs"].items())
            if any(kind == "condition" for _category, _line, kind in catalogs)
        ),
        None,
    )
    text = {
        "none": _(
            "No page matches your search. Try fewer words, another spelling, or the name of "
            "your problem in everyday words, such as “sore heel”."
        ),
        "conditions": _("Find your problem in the conditions A to Z") if conditions else "",
        "conditions_url": context["pathto"](conditions) if conditions else "",
    }
    app.add_js_file(
        None,
        body=f"window.PROLO_SEARCH_WORDS = {data};\n"
        f"window.PROLO_SEARCH_TEXT = {htmlsafe_json_dumps(text, sort_keys=True)};",
    )
    app.add_js_file(SEARCH_SCRIPT)


class search_box(nodes.General, nodes.Element):
    """A search form in the page's text (``search-box``): HTML builders only."""


class SearchBoxDirective(SphinxDirective):
    """``search-box``: a search form where the writer puts it, visible at every screen width
    (a theme's own box may sit in a menu on phones)."""

    def run(self) -> list[nodes.Node]:
        return [search_box(docname=self.env.docname)]


def visit_search_box(translator: HTML5Translator, node: search_box) -> None:
    builder = translator.builder
    if builder.name.startswith(("epub", "singlehtml")):  # no search page to send the query to
        raise nodes.SkipNode
    action = builder.get_relative_uri(node["docname"], "search")
    label, button = _("Search the site"), _("Search")
    field = f"prolo-search-{len(translator.body)}"
    translator.body.append(
        f'<form class="prolo-search-box" action="{html.escape(action)}" method="get" '
        f'role="search">\n<label for="{field}">{html.escape(label)}</label>\n'
        f'<input type="search" id="{field}" name="q" autocomplete="off">\n'
        f'<button type="submit">{html.escape(button)}</button>\n</form>\n'
    )
    raise nodes.SkipNode


def skip_search_box(translator: object, node: search_box) -> None:
    raise nodes.SkipNode


def setup_site_search(app: Sphinx) -> None:
    """Rank articles by their keywords and show summaries under search results; the
    ``search-box`` directive."""
    app.connect("html-page-context", add_search_script)
    app.add_node(
        search_box,
        # No epub= here: one would stop epub from taking html's visitors for every other node.
        html=(visit_search_box, None),
        latex=(skip_search_box, None),
        text=(skip_search_box, None),
        man=(skip_search_box, None),
        texinfo=(skip_search_box, None),
    )
    app.add_directive("search-box", SearchBoxDirective)
