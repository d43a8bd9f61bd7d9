"""What search engines and link previews read from an article page.

The summary becomes the page's meta description; the title (with therapy references shown as
their targets' titles) and the summary become its OpenGraph title and description, escaped for
sphinxext-opengraph; and schema.org ``MedicalWebPage`` JSON-LD describes it as a reviewed medical
page, written with Jinja2's HTML-safe JSON.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from docutils import nodes
from jinja2.utils import htmlsafe_json_dumps
from sphinx.util import logging

from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.articles.keys import FRONT_MATTER, json_ld_value
from sphinx_prolo.builds.compat import builder_format

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_prolo.articles.domain import Article

logger = logging.getLogger(__name__)


def describe_page(doctree: nodes.document, article: Article) -> None:
    """Give the page a meta description from the article's summary, unless it has one."""
    if article["summary"] and not any(
        node.get("name") == "description" for node in doctree.findall(nodes.meta)
    ):
        doctree.insert(0, nodes.meta(name="description", content=article["summary"]))


def structured_data(article: Article, title: str, language: str, url: str) -> str:
    """schema.org ``MedicalWebPage`` JSON-LD for an article, safe inside a script element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "inLanguage": language,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
    }
    if article["has_title"]:  # a page without a heading gets no invented headline
        data["name"] = data["headline"] = title
    for key in FRONT_MATTER:
        value = json_ld_value(key.kind, article[key.field]) if key.json_ld else None  # type: ignore[literal-required]
        if value is not None:
            data[key.json_ld] = value
    if url:
        data["url"] = url
    # Jinja2's HTML-safe JSON: "<", ">", "&" and "'" are escaped, so no text can close the
    # script element or open a comment.
    text = htmlsafe_json_dumps(data, sort_keys=True, ensure_ascii=False)
    return f'<script type="application/ld+json">{text}</script>\n'


def describe_article_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Link-preview metadata and JSON-LD for an article page.

    sphinxext-opengraph writes the page's OpenGraph title and description into attributes
    escaping nothing but quotes (and takes the title from the page's HTML, where a therapy
    reference shows its slug): they are given here, escaped, with the title as links show it,
    in a copy of the page's metadata so that the environment's stays as read.
    """
    if doctree is None or builder_format(app.env) != "html":
        return
    domain = prolo_domain(app.env)
    article = domain.data["articles"].get(pagename)
    if article is None:
        return
    title = domain.title(pagename)
    meta = dict(context.get("meta") or {})
    if article["summary"] and "og:description" not in meta:
        meta["og:description"] = html.escape(article["summary"], quote=True)
    if "og:title" not in meta:
        meta["og:title"] = html.escape(title, quote=True)
    context["meta"] = meta

    url = ""
    if app.config.html_baseurl:
        base = app.config.html_baseurl.rstrip("/") + "/"
        url = urljoin(base, app.builder.get_target_uri(pagename))
    language = app.config.language or "en"
    context["metatags"] = context.get("metatags", "") + structured_data(
        article, title, language, url
    )


def setup_search_engines(app: Sphinx) -> None:
    """Add link-preview metadata and JSON-LD to article pages."""
    # Before sphinxext-opengraph (default priority) reads the page's metadata.
    app.connect("html-page-context", describe_article_page, priority=450)
