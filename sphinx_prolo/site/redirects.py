"""Moved articles keep working: a redirect page at each old address of an article.

An article lists its old document names under ``redirect-from`` (read and checked one by one in
:mod:`sphinx_prolo.articles.metadata`).  This module owns what depends on the whole site:
which old names
are taken (a live document, a page Sphinx writes itself, or another article's old name, each a
``prolo.redirect`` warning once per build), the small static pages that html and dirhtml builds
write at the old addresses when a build finishes, and the removal of redirect pages a later build
no longer has.  Everything comes from the ``prolo`` domain, so serial, parallel and incremental
builds write the same pages.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.articles.front_matter_lines import key_lines
from sphinx_prolo.builds.compat import writes_page_per_document
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The builders that write redirect pages (page-per-document HTML, not singlehtml or epub).
REDIRECT_BUILDERS = ("html", "dirhtml")

#: The list of redirect pages the last build wrote, in the output folder (like ``.buildinfo``).
MANIFEST = ".prolo-redirects.json"

#: The first line after the doctype of every redirect page: only such files are ever removed.
MARKER = "<!-- sphinx-prolo redirect page -->"

#: Pages Sphinx's HTML builders write besides the documents.
_BUILDER_PAGES = ("genindex", "search", "py-modindex")

_TEMPLATE = """<!DOCTYPE html>
{{ marker }}
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{ url }}">
<link rel="canonical" href="{{ canonical }}">
<title>{{ page_title }}</title>
</head>
<body>
<p>{{ moved_before }}<a href="{{ url }}">{{ title }}</a>{{ moved_after }}</p>
</body>
</html>
"""

# Autoescape: titles and addresses come from writers; every value is HTML-escaped.
_PAGE = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(_TEMPLATE)


@dataclass(frozen=True)
class Redirect:
    """One old name that leads to an article."""

    old: str
    #: the article the old name leads to
    docname: str


def _address(name: str) -> str:
    """*name* as the address it has in a dirhtml build: ``a/index`` and ``a`` are one page."""
    return name.removesuffix("/index") if name != "index" else ""


def _key_line(env: BuildEnvironment, docname: str) -> int | None:
    return key_lines(env.doc2path(docname)).get("redirect-from")


def redirect_table(env: BuildEnvironment, *, report: bool = False) -> list[Redirect]:
    """Every old name that gets a redirect page, sorted; with *report*, warn about the rest.

    Between two articles claiming one old name, the document name that sorts first wins, so the
    result does not depend on reading order (serial, parallel or incremental).
    """
    domain = prolo_domain(env)
    live = {_address(docname): docname for docname in env.all_docs}
    own_pages = {_address(name) for name in _BUILDER_PAGES}
    own_pages |= {_address(name) for name in getattr(env.config, "html_additional_pages", {})}
    claimed: dict[str, str] = {}
    table = []
    for docname, article in sorted(domain.data["articles"].items()):
        for old in article["redirect_from"]:
            address = _address(old)
            problem = None
            if address in live:
                problem = __(
                    "redirect-from: %r is a document of this site; no redirect is written"
                )
                args: tuple[str, ...] = (old,)
            elif address in own_pages:
                problem = __("redirect-from: %r is a page of this site; no redirect is written")
                args = (old,)
            elif address in claimed:
                problem = __(
                    "redirect-from: %r is also claimed by %s, which keeps it; "
                    "no redirect to this article is written"
                )
                args = (old, str(env.doc2path(claimed[address])))
            if problem is None:
                claimed[address] = docname
                table.append(Redirect(old, docname))
            elif report:
                logger.warning(
                    problem,
                    *args,
                    location=(docname, _key_line(env, docname)),
                    type="prolo",
                    subtype="redirect",
                )
    return sorted(table, key=lambda redirect: redirect.old)


def check_redirects(app: Sphinx, env: BuildEnvironment) -> None:
    """Once per build: old names that are taken (live documents, pages, other articles)."""
    redirect_table(env, report=True)


def redirect_rows(env: BuildEnvironment) -> list[tuple[str, int | None, str]]:
    """Every redirect as (the article's docname, the line of its key, the old name), sorted."""
    lines: dict[str, int | None] = {}
    rows = []
    for redirect in redirect_table(env):
        if redirect.docname not in lines:
            lines[redirect.docname] = _key_line(env, redirect.docname)
        rows.append((redirect.docname, lines[redirect.docname], redirect.old))
    return sorted(rows, key=lambda row: (row[0], row[2]))


def _writes_redirects(builder: Builder) -> TypeGuard[StandaloneHTMLBuilder]:
    return writes_page_per_document(builder) and builder.name in REDIRECT_BUILDERS


def render_page(builder: StandaloneHTMLBuilder, redirect: Redirect) -> str:
    """The redirect page for *redirect*: every value in it HTML-escaped."""
    env = builder.env
    target_uri = builder.get_target_uri(redirect.docname)
    # Relative to the old page's own address, so it is right at any depth and on any host.
    url = quote(relative_uri(builder.get_target_uri(redirect.old), target_uri) or "./", safe="/")
    baseurl = str(builder.config.html_baseurl or "")
    canonical = posixpath.join(baseurl, quote(target_uri, safe="/")) if baseurl else url
    domain = prolo_domain(env)
    title = domain.title(redirect.docname) or redirect.docname
    moved_before, _percent, moved_after = _("This page has moved to %s.").partition("%s")
    language = str(builder.config.language or "en").replace("_", "-")
    return _PAGE.render(
        marker=Markup(MARKER),
        lang=language,
        url=url,
        canonical=canonical,
        page_title=_("Page moved: %s") % title,
        title=title,
        moved_before=moved_before,
        moved_after=moved_after,
    )


def _read_manifest(path: Path) -> list[str]:
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    return [item for item in listed if isinstance(item, str)] if isinstance(listed, list) else []


def _is_redirect_page(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as stream:
            return stream.readline().startswith("<!DOCTYPE") and stream.readline() == MARKER + "\n"
    except (OSError, UnicodeDecodeError):
        return False


def write_redirect_pages(app: Sphinx, exception: Exception | None) -> None:
    """Write a redirect page at each old address; remove those the last build wrote and this
    one does not (a clean build would not have them)."""
    builder = app.builder
    if exception is not None or not _writes_redirects(builder):
        return
    outdir = Path(builder.outdir).resolve()
    written: list[str] = []
    for redirect in redirect_table(app.env):
        target = Path(builder.get_outfilename(redirect.old)).resolve()
        if not target.is_relative_to(outdir):  # never outside the output folder
            continue
        if target.exists() and not _is_redirect_page(target):
            continue  # never over a page Sphinx or another extension wrote
        page = render_page(builder, redirect)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != page:
            target.write_text(page, encoding="utf-8")
        written.append(target.relative_to(outdir).as_posix())
    manifest = outdir / MANIFEST
    for relpath in sorted(set(_read_manifest(manifest)) - set(written)):
        stale = (outdir / relpath).resolve()
        if stale.is_relative_to(outdir) and stale.is_file() and _is_redirect_page(stale):
            stale.unlink()
    if written:
        manifest.write_text(json.dumps(sorted(written), indent=0) + "\n", encoding="utf-8")
    elif manifest.is_file():
        manifest.unlink()


def setup_redirects(app: Sphinx) -> None:
    """Check old names once per build; write redirect pages when an HTML build finishes."""
    app.connect("env-updated", check_redirects)
    # After incremental.remove_gone_pages (500): a renamed article's old page goes first, and
    # its redirect page takes its place.
    app.connect("build-finished", write_redirect_pages, priority=600)
