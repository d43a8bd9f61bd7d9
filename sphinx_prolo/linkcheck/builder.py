"""Link-check builds that prove every therapy reference as well as every external link.

sphinx-prolo replaces Sphinx's ``linkcheck`` builder with a subclass that keeps everything Sphinx
reports and adds:

- a row in ``output.txt`` and ``output.json`` for every ``therapy`` reference, for the
  disclaimer's Terms link and for internal references in notice source files: working, or broken
  with the reason; a broken one fails the build like a broken URL; and a working row for every
  redirect from an old name (``redirect:<old> -> <article>``);
- an offline mode (``prolo_linkcheck_offline`` or ``PROLO_LINKCHECK_OFFLINE=1``) that reports
  external http(s) URLs as unchecked, without a single request, and still checks the rest;
- a cache of working external URLs (``prolo_linkcheck_cache``, ``prolo_linkcheck_cache_ttl``),
  so a second run within the TTL asks nothing again that was recently fine.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx
from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging
from sphinx.util.console import colorize

from sphinx_prolo.articles.domain import find_elsewhere, prolo_domain
from sphinx_prolo.articles.front_matter import suggestion_text
from sphinx_prolo.articles.reviews import overdue_reviews
from sphinx_prolo.builds.compat import (
    LinkcheckBuilderBase,
    app_of,
    check_links,
    link_result,
    linkcheck_bridge_problem,
    links_failed,
    list_in_report,
    report_files,
    write_json_row,
)
from sphinx_prolo.linkcheck.cache import DEFAULT_CACHE_NAME, LinkCache, is_external
from sphinx_prolo.site.redirects import redirect_rows
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.builds.compat import LinkResult, LinkToCheck

logger = logging.getLogger(__name__)

OFFLINE_VARIABLE = "PROLO_LINKCHECK_OFFLINE"


def is_offline(app: Sphinx) -> bool:
    """Offline when configured so, or when ``PROLO_LINKCHECK_OFFLINE`` is set to a true value."""
    flag = os.environ.get(OFFLINE_VARIABLE, "").strip().lower()
    return bool(app.config.prolo_linkcheck_offline) or flag in {"1", "true", "yes", "on"}


# --- internal references ------------------------------------------------------------------------


@dataclass
class InternalRow:
    """One internal reference for the report: where it is, what it targets, whether it works."""

    docname: str
    lineno: int
    uri: str
    working: bool
    info: str


def check_reference(
    env: BuildEnvironment, docname: str, node: addnodes.pending_xref
) -> InternalRow:
    """Whether a therapy reference or an internal reference resolves, without resolving it."""

    target = str(node.get("reftarget", "")).strip()
    line = node.line or 0
    where = ""
    if node.get("prolo_notice_source"):
        where = __(" (in %s, line %s)") % (node["prolo_notice_source"], line)
        line = 0
    else:
        included = included_from(env, docname, node)
        if included:
            where, line = included, 0
    domain_name, reftype = node.get("refdomain", ""), node.get("reftype", "")
    if domain_name == "prolo":
        uri = f"therapy:{target}"
        articles = prolo_domain(env)
        found = articles.find(target)
        if found is not None:
            return InternalRow(docname, line, uri, True, f" -> {found}{where}")
        external = find_elsewhere(env, str(node.get("refdoc", docname)), target)
        if external:
            return InternalRow(docname, line, uri, True, f" -> {external} (intersphinx){where}")
        suggestions = suggestion_text(target, articles.slugs_of_others(docname))
        reason = __("unknown therapy article %r%s") % (target, suggestions)
        return InternalRow(docname, line, uri, False, reason + where)
    if reftype in {"doc", "myst"} and domain_name in {"std", "doc", ""}:
        refdoc = str(node.get("refdoc", docname))
        target_doc = (
            target.lstrip("/")
            if target.startswith("/") or reftype == "myst"
            else (docname_join(refdoc, target))
        )
        uri = f"doc:{target_doc}"
        if target_doc in env.all_docs:
            return InternalRow(docname, line, uri, True, f" -> {target_doc}{where}")
        return InternalRow(
            docname, line, uri, False, __("no document %r in this project") % target_doc + where
        )
    uri = f"{domain_name}:{reftype}:{target}"
    domain = env.get_domain(domain_name) if domain_name else None
    builder = app_of(env).builder
    resolved = None
    if domain is not None:
        # NoUri: the target exists but has no address in this builder, which is not "broken".
        with contextlib.suppress(NoUri):
            resolved = domain.resolve_xref(
                env, docname, builder, reftype, target, node, nodes.inline("", "")
            )
    if resolved is not None:
        return InternalRow(docname, line, uri, True, where)
    return InternalRow(docname, line, uri, False, __("target not found") + where)


def included_from(env: BuildEnvironment, docname: str, node: nodes.Node) -> str:
    """ " (in <file>, line <n>)" for a node that came from a file included in *docname*, or ""."""
    source, line = get_source_line(node)
    if not source:
        return ""
    path = Path(str(source).split(":docstring of ")[0]).resolve()
    if path == Path(env.doc2path(docname)).resolve():
        return ""
    with contextlib.suppress(ValueError):
        path = path.relative_to(Path(env.srcdir).resolve())
    return __(" (in %s, line %s)") % (path.as_posix(), line or 0)


class InternalReferenceCollector(SphinxPostTransform):
    """Collect therapy and notice references for the report, before Sphinx resolves them."""

    builders = ("linkcheck",)
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        builder = app_of(self.env).builder
        if not isinstance(builder, ProloLinkcheckBuilder):
            return
        docname = self.env.docname
        for ref in self.document.findall(nodes.reference):
            uri = ref.get("refuri", "")
            where = included_from(self.env, docname, ref) if uri else ""
            if where:  # an external link written in an included file: its row names that file
                builder.included_links[uri, docname] = where
        for node in self.document.findall(addnodes.pending_xref):
            if node.get("prolo_docname"):  # lists the extension generated itself
                continue
            if (
                node.get("refdomain") == "prolo"
                or node.get("prolo_terms")
                or node.get("prolo_notice_source")
            ):
                builder.internal_rows.append(check_reference(self.env, docname, node))


# --- the builder ---------------------------------------------------------------------------------


class ProloLinkcheckBuilder(LinkcheckBuilderBase):
    """Sphinx's link checker, plus internal references, an offline mode and a cache."""

    name = "linkcheck"

    def init(self) -> None:
        super().init()
        self.internal_rows: list[InternalRow] = []
        #: (uri, docname) -> " (in <included file>, line <n>)"
        self.included_links: dict[tuple[str, str], str] = {}
        #: how many rows of each status this build reported
        self.statuses: Counter[str] = Counter()

    def process_result(self, result: LinkResult) -> None:
        """Report one row, in the same words on screen as in ``output.txt`` and ``output.json``.

        Sphinx says "ok" on screen for a row its files call "working", and reports an unchecked
        link (offline mode, ``mailto:``) only in ``output.json``: both are reported here.
        """
        status = str(result.status)
        self.statuses[status] += 1
        where = self.included_links.get((result.uri, result.docname), "")
        if where and where not in result.message:
            # The line is the included file's: it is named in the text, as for internal rows.
            result = result._replace(message=f"{result.message}{where}", lineno=0)
        if status not in {"working", "unchecked"}:
            super().process_result(result)
            return
        write_json_row(self, result)
        colour = "darkgreen" if status == "working" else "darkgray"
        message = result.message
        if status == "unchecked" and message:
            message = f" - {message}"
        if result.lineno:
            logger.info("(%16s: line %4d) ", result.docname, result.lineno, nonl=True)
        elif result.docname:  # a row from an included file or a notice source names it below
            logger.info("(%16s)            ", result.docname, nonl=True)
        logger.info(colorize(colour, f"{status:<10}") + f"{result.uri}{message}")
        if status == "unchecked":
            list_in_report(self, status, result.docname, result.lineno, result.uri + message)

    def _cache_path(self) -> Path:
        configured = self.config.prolo_linkcheck_cache
        if configured:
            path = Path(configured)
            return path if path.is_absolute() else Path(self.confdir) / path
        return Path(self.outdir) / DEFAULT_CACHE_NAME

    def finish(self) -> None:
        offline = is_offline(app_of(self.env))
        now = time.time()
        cache = (
            None
            if offline
            else LinkCache.load(self._cache_path(), float(self.config.prolo_linkcheck_cache_ttl))
        )
        answered: list[LinkResult] = []
        to_check: dict[str, LinkToCheck] = {}
        for uri, hyperlink in self.hyperlinks.items():
            if is_external(uri) and offline:
                message = __("offline mode: not requested")  # listed as unchecked
                answered.append(
                    link_result(uri, hyperlink.docname, hyperlink.lineno, "unchecked", message)
                )
                continue
            entry = cache.fresh(uri, now) if cache is not None and is_external(uri) else None
            if entry is not None:
                checked = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(entry["checked"]))
                message = __(" (from the link-check cache: working at %s)") % checked
                answered.append(
                    link_result(
                        uri, hyperlink.docname, hyperlink.lineno, "working", message, entry["code"]
                    )
                )
                continue
            to_check[uri] = hyperlink

        logger.info("")
        with report_files(self):
            for result in answered:
                self.process_result(result)
            for result in check_links(self.config, to_check):
                self.process_result(result)
                if cache is not None and is_external(result.uri):
                    cache.record(result, time.time())
            for row in sorted(self.internal_rows, key=lambda r: (r.docname, r.lineno, r.uri)):
                self._report_internal(row)
            for docname, line, old in redirect_rows(self.env):
                # The target is the article that lists the old name, so it always exists.
                self._report_internal(
                    InternalRow(docname, line or 0, f"redirect:{old}", True, f" -> {docname}")
                )
            for review in overdue_reviews(self.env):
                # CI's check job fails on an overdue review and names the article.
                self._report_internal(
                    InternalRow(
                        review.docname,
                        review.line or 0,
                        f"review:{review.docname}",
                        False,
                        __("review overdue: the next review was due on %s") % review.due,
                    )
                )
        if cache is not None:
            cache.save()
        counts = [
            __("%d working") % self.statuses["working"],
            __("%d broken") % self.statuses["broken"],
            __("%d redirected") % self.statuses["redirected"],
            __("%d unchecked") % self.statuses["unchecked"],
        ]
        others = {"timeout": __("%d timed out"), "ignored": __("%d ignored")}
        counts += [text % self.statuses[key] for key, text in others.items() if self.statuses[key]]
        logger.info("")
        logger.info(__("link check: %s"), ", ".join(counts))
        if links_failed(self):
            app_of(self.env).statuscode = 1

    def _report_internal(self, row: InternalRow) -> None:
        status = "working" if row.working else "broken"
        self.process_result(link_result(row.uri, row.docname, row.lineno, status, row.info))
        if row.working:
            # Sphinx lists only problems in output.txt; internal rows are listed either way, so
            # that the report proves every reference was checked.
            list_in_report(self, "working", row.docname, row.lineno, f"{row.uri}{row.info}")


def setup_linkcheck(app: Sphinx) -> None:
    """Replace the linkcheck builder and collect internal references for it.

    On a Sphinx whose link checker differs from the one
    :mod:`sphinx_prolo.builds.compat` was checked
    on, Sphinx's own builder stays: every link between articles is still resolved (and a broken
    one warned about) as in any build, but the report has no rows of its own for them. An info
    line says so; a build never fails for it.
    """
    problem = linkcheck_bridge_problem()
    if problem is not None:
        logger.info(
            __(
                "sphinx-prolo: Sphinx %s's link checker is not one this extension knows (%s); "
                "`linkcheck` runs Sphinx's own, without rows for therapy references, "
                "the offline mode or the cache"
            ),
            sphinx.__display_version__,
            problem,
        )
        return
    app.add_builder(ProloLinkcheckBuilder, override=True)
    app.add_post_transform(InternalReferenceCollector)
