"""A site published in several languages: pages that know their counterparts.

Sphinx builds one language at a time (the gettext workflow).  ``prolo_language_sites`` maps each
language of the site to the address its build is published at, e.g.
``{"en": "https://clinic.example/en/latest/", "fr": "https://clinic.example/fr/latest/"}``
(the first is the default).  Every HTML page then carries:

- ``<link rel="alternate" hreflang=…>`` to the same page in each language, and ``x-default``;
- a visible language switcher at the top of the page body: a list of links, each with ``lang``
  and ``hreflang`` on it and the page's own language marked as current, usable by keyboard.

Every address comes from configuration, is checked to be http(s) when the configuration is read,
and is escaped where it is written.

An article read in another language than the site's source (``prolo_source_language``) whose
page catalog has no translation of its title is shown with an honest note, in the reader's
language, that it is not yet translated.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from babel import Locale, UnknownLocaleError
from docutils import nodes
from sphinx.errors import ConfigError

from sphinx_prolo.builds.compat import builder_format, is_not_found_page
from sphinx_prolo.languages.front_matter_words import base_language, page_catalog, translates_pages
from sphinx_prolo.link_targets import browser_scheme
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def check_language_sites(value: Any, name: str) -> None:
    """ConfigError unless *value* maps language codes to http(s) addresses with a host."""
    if not isinstance(value, dict):
        raise ConfigError(__("%s = %r: give a dict of language code -> address") % (name, value))
    for language, address in value.items():
        parts = urlsplit(address) if isinstance(address, str) else None
        if (
            not isinstance(language, str)
            or not language.replace("-", "").replace("_", "").isalnum()
            or parts is None
            or browser_scheme(address) not in {"http", "https"}
            or not parts.hostname
            or html.unescape(address) != address
        ):
            raise ConfigError(
                __("%s: %r: %r is not accepted; it accepts a language code and an http(s) address")
                % (name, language, address)
            )


def language_name(code: str) -> str:
    """The language's own name for itself ("Français"), from Babel's data; else the code."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name()
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if name else code


def _from_here(here: str, address: str) -> str:
    """*address* relative to the page at *here* when both are on the same host, so that the
    switcher works wherever the two sites are served together (a test server, a preview)."""
    a, b = urlsplit(here), urlsplit(address)
    if not here or (a.scheme, a.netloc) != (b.scheme, b.netloc):
        return address
    relative = posixpath.relpath(b.path or "/", posixpath.dirname(a.path) or "/")
    return relative + ("/" if b.path.endswith("/") and relative != "." else "")


def _alternates(app: Sphinx, pagename: str) -> list[tuple[str, str]]:
    """(language, address of this page in that language) for every language site."""
    sites: dict[str, str] = app.config.prolo_language_sites
    uri = app.builder.get_target_uri(pagename)
    return [(lang, urljoin(base.rstrip("/") + "/", uri)) for lang, base in sites.items()]


def add_language_links(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """hreflang alternates in the head and a language switcher at the top of the body."""
    sites: dict[str, str] = app.config.prolo_language_sites
    if len(sites) < 2 or builder_format(app.env) != "html":
        return
    current = base_language(app.config)
    not_found = is_not_found_page(app, pagename)
    # The "page not found" page is served at any address: it offers the other sites' home pages.
    alternates = _alternates(app, app.config.root_doc if not_found else pagename)
    links = [
        f'<link rel="alternate" hreflang="{html.escape(lang)}" href="{html.escape(href)}" />'
        for lang, href in alternates
    ]
    links.append(
        f'<link rel="alternate" hreflang="x-default" href="{html.escape(alternates[0][1])}" />'
    )
    if not not_found:
        context["metatags"] = context.get("metatags", "") + "\n".join(links) + "\n"
    here = "" if not_found else dict(alternates).get(current, "")
    items = []
    for lang, address in alternates:
        href = _from_here(here, address)
        name = html.escape(language_name(lang))
        code = html.escape(lang)
        if lang == current:
            items.append(f'<li><span lang="{code}" aria-current="true">{name}</span></li>')
        else:
            link = f'<a href="{html.escape(href)}" hreflang="{code}" lang="{code}">{name}</a>'
            items.append(f"<li>{link}</li>")
    label = html.escape(_("Languages"))
    switcher = (
        f'<nav class="prolo-languages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>\n'
    )
    context["prolo_language_switcher"] = switcher
    if "body" in context:
        context["body"] = switcher + context["body"]


def _is_translated(env: BuildEnvironment, docname: str) -> bool:
    """Whether the page's catalog in the build's language translates any of its messages."""
    catalog = page_catalog(env, docname)
    # The messages of the catalog Sphinx loaded (its header is the entry for "").
    messages = getattr(catalog.translations, "_catalog", {}) if catalog else {}
    return any(key for key in messages)


def untranslated_note(env: BuildEnvironment, docname: str) -> nodes.Node | None:
    """A note for an article not yet translated into the build's language, or None."""
    if not translates_pages(env.config) or _is_translated(env, docname):
        return None
    text = _(
        "This article is not yet available in your language; it is shown in its original language."
    )
    note = nodes.paragraph(text, text, classes=["prolo-untranslated"], translatable=False)
    return note


SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def add_sitemap_alternates(app: Sphinx, exception: BaseException | None) -> None:
    """The sitemap (sphinx-sitemap's) lists each page's counterparts in the other languages.

    sphinx-sitemap's own alternates assume a language folder in every address; these follow
    ``prolo_language_sites``, whatever the addresses look like (set ``sitemap_locales = [None]``
    so that it adds none of its own).
    """
    sites: dict[str, str] = app.config.prolo_language_sites
    if exception is not None or len(sites) < 2 or builder_format(app.env) != "html":
        return
    path = Path(app.outdir) / str(getattr(app.config, "sitemap_filename", "sitemap.xml"))
    current = sites.get(base_language(app.config))
    if current is None or not path.is_file():
        return
    ElementTree.register_namespace("", SITEMAP)
    ElementTree.register_namespace("xhtml", XHTML)
    try:
        tree = ElementTree.parse(path)
    except ElementTree.ParseError:
        return
    for url in tree.getroot().iter(f"{{{SITEMAP}}}url"):
        loc = url.find(f"{{{SITEMAP}}}loc")
        if loc is None or not (loc.text or "").startswith(current):
            continue
        relative = (loc.text or "")[len(current) :]
        for old in url.findall(f"{{{XHTML}}}link"):
            url.remove(old)
        codes = [*sites, "x-default"]
        bases = [*sites.values(), next(iter(sites.values()))]
        for code, base in zip(codes, bases, strict=True):
            href = base.rstrip("/") + "/" + relative
            ElementTree.SubElement(
                url, f"{{{XHTML}}}link", rel="alternate", hreflang=code, href=href
            )
    tree.write(path, encoding="utf-8", xml_declaration=True)


def setup_language_sites(app: Sphinx) -> None:
    """Link the language versions of a site to each other (checked with the configuration)."""
    app.connect("html-page-context", add_language_links)
    # After sphinx-sitemap writes the sitemap (default priority).
    app.connect("build-finished", add_sitemap_alternates, priority=600)
