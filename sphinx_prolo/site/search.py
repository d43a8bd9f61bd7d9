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
description) is shown instead of a cut of its text. Without those hooks, results keep Sphinx's
own order and text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from jinja2.utils import htmlsafe_json_dumps

from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.builds.compat import builder_format

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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
    app.add_js_file(None, body=f"window.PROLO_SEARCH_WORDS = {data};")
    app.add_js_file(SEARCH_SCRIPT)


def setup_site_search(app: Sphinx) -> None:
    """Rank articles by their keywords and show summaries under search results."""
    app.connect("html-page-context", add_search_script)
