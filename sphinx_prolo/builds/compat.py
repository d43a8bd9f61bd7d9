"""Small bridges over the Sphinx APIs that changed between the versions we support (8.0 to 9.0),
and over the undocumented parts of Sphinx's link checker that the link-check builder reuses.

Each function says which versions take which path, so the bridge can go once the floor moves.
``nox`` (``make matrix``) runs the test suite on both ends, so every path here is exercised.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeGuard

import sphinx
import sphinx.builders.linkcheck as sphinx_linkcheck
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.linkcheck import CheckExternalLinksBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from docutils.parsers import Parser
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.builders.linkcheck import CheckResult, Hyperlink
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Sphinx 9 moved the application and the builder class behind private attributes of the
#: environment and changed ``SphinxComponentRegistry.create_source_parser``.
SPHINX_9 = sphinx.version_info[:2] >= (9, 0)


def app_of(env: BuildEnvironment) -> Sphinx:
    """The application of *env*: ``env._app`` since Sphinx 9 (``env.app`` is deprecated)."""
    app: Sphinx | None = getattr(env, "_app", None)
    if app is None:  # Sphinx 8.x
        app = env.app
    return app


def follow_handler(
    app: Sphinx, event: str, handler: Callable[..., Any], after: Callable[..., Any]
) -> bool:
    """Run *after* right after another extension's *handler* of *event*, in its place in the
    order (same priority, before the handlers connected after it); False where that cannot be
    done.  Sphinx has no public way to do this: its event manager keeps each event's listeners
    as ``(id, handler, priority)`` tuples (8.0 to 9.0), and the one of *handler* is rewrapped.
    """
    listeners = getattr(getattr(app, "events", None), "listeners", {}).get(event, [])
    found = [
        index
        for index, listener in enumerate(listeners)
        if getattr(listener, "handler", None) is handler and hasattr(listener, "_replace")
    ]
    if not found:
        return False

    def both(*args: Any, **kwargs: Any) -> Any:
        result = handler(*args, **kwargs)
        after(*args, **kwargs)
        return result

    listeners[found[0]] = listeners[found[0]]._replace(handler=both)
    return True


def writes_page_per_document(builder: Builder) -> TypeGuard[StandaloneHTMLBuilder]:
    """Whether *builder* writes one HTML page per document (html, dirhtml; not singlehtml)."""
    return isinstance(builder, StandaloneHTMLBuilder) and not isinstance(
        builder, SingleFileHTMLBuilder
    )


def is_not_found_page(app: Sphinx, pagename: str) -> bool:
    """Whether *pagename* is sphinx-notfound-page's page, served at every depth of a site."""
    return "notfound.extension" in app.extensions and pagename == getattr(
        app.config, "notfound_pagename", None
    )


def builder_format(env: BuildEnvironment) -> str:
    """The output format of the running builder ("html", "latex", ...).

    Sphinx 9 keeps the builder's class on the environment (``env._builder_cls``); Sphinx 8.x
    only has the builder itself, on the application.
    """
    builder_cls = getattr(env, "_builder_cls", None)
    if builder_cls is not None:
        return str(builder_cls.format)
    builder = app_of(env).builder  # Sphinx 8.x
    return str(builder.format)


def create_parser(env: BuildEnvironment, filetype: str) -> Parser:
    """A source parser for *filetype* ("markdown", "restructuredtext"), set up for *env*.

    Sphinx 9 takes ``(filetype, *, config, env)``; Sphinx 8.x takes ``(app, filetype)``. The
    version decides, so that a ``TypeError`` raised by a parser's own constructor is never
    mistaken for the other signature.
    """
    app = app_of(env)
    registry = app.registry
    if SPHINX_9:
        return registry.create_source_parser(filetype, config=env.config, env=env)
    create: Any = registry.create_source_parser  # Sphinx 8.x
    parser: Parser = create(app, filetype)
    return parser


@contextlib.contextmanager
def reading_as(env: BuildEnvironment, docname: str) -> Iterator[None]:
    """Parse as if *docname* were the current document, so relative links start from it.

    Sphinx 8.2 and later keep the document being read in ``env.current_document``; Sphinx 8.0
    and 8.1 keep it in the plain dict ``env.temp_data``, which is empty between documents.
    """
    current = getattr(env, "current_document", None)
    if current is not None:  # Sphinx >= 8.2
        previous = current.docname
        current.docname = docname
        try:
            yield
        finally:
            current.docname = previous
    else:  # Sphinx 8.0 and 8.1
        missing = object()
        saved = env.temp_data.get("docname", missing)
        env.temp_data["docname"] = docname
        try:
            yield
        finally:
            if saved is missing:
                env.temp_data.pop("docname", None)
            else:
                env.temp_data["docname"] = saved


# --- Sphinx's link checker -----------------------------------------------------------------------
#
# The link-check builder (sphinx_prolo.linkcheck.builder) subclasses Sphinx's documented
# ``CheckExternalLinksBuilder`` and reuses six undocumented parts of it, all of them here and
# nowhere else: the ``CheckResult`` row (uri, docname, lineno, status, message, code), the
# ``HyperlinkAvailabilityChecker`` that asks the web, ``process_result`` (which logs a row and
# writes it to ``output.json``, and to ``output.txt`` when it is a problem), ``write_linkstat``
# (one line of ``output.json``), ``write_entry`` (one line of ``output.txt``) and the
# ``broken_hyperlinks`` / ``timed_out_hyperlinks`` counters, with the ``txt_outfile`` /
# ``json_outfile`` streams that the writing methods write to.
#
# Checked on Sphinx 8.0.0, 8.2.3 and 9.0.4: the same names and fields in each; 8.x passes the
# status as a plain string and 9.0 as a string enum equal to it, so plain strings are given here.
# The matrix (``make matrix``) runs the link-check tests on 8.0.0 and 9.0.x. Should a later
# release change any of these, :func:`linkcheck_bridge_problem` says what, and the extension
# leaves Sphinx's own link checker in place (see ``setup_linkcheck``) instead of failing builds.

#: The builder the link-check builder extends, and the type of a row of its report.
LinkcheckBuilderBase = CheckExternalLinksBuilder
if TYPE_CHECKING:
    LinkResult: TypeAlias = CheckResult
    LinkToCheck: TypeAlias = Hyperlink

#: The fields of Sphinx's ``CheckResult`` row, in order, in every version checked.
LINK_RESULT_FIELDS = ("uri", "docname", "lineno", "status", "message", "code")


def linkcheck_bridge_problem() -> str | None:
    """What differs from the linkcheck internals described above, or None when nothing does."""
    result_cls = getattr(sphinx_linkcheck, "CheckResult", None)
    if result_cls is None or getattr(result_cls, "_fields", None) != LINK_RESULT_FIELDS:
        return "its CheckResult row has other fields"
    checker = getattr(sphinx_linkcheck, "HyperlinkAvailabilityChecker", None)
    if checker is None or not callable(getattr(checker, "check", None)):
        return "it has no HyperlinkAvailabilityChecker.check"
    for method in ("process_result", "write_entry", "write_linkstat"):
        if not callable(getattr(LinkcheckBuilderBase, method, None)):
            return f"its builder has no {method} method"
    return None


def link_result(
    uri: str, docname: str, lineno: int, status: str, message: str, code: int = 0
) -> LinkResult:
    """A row of the report, as Sphinx's own checker produces them."""
    row: LinkResult = sphinx_linkcheck.CheckResult(uri, docname, lineno, status, message, code)  # type: ignore[arg-type]
    return row


def check_links(config: Config, hyperlinks: dict[str, LinkToCheck]) -> Iterator[LinkResult]:
    """Sphinx's checks of *hyperlinks* (requests, rate limits, ignores), one row per link."""
    return sphinx_linkcheck.HyperlinkAvailabilityChecker(config).check(hyperlinks)


@contextlib.contextmanager
def report_files(builder: LinkcheckBuilderBase) -> Iterator[None]:
    """Open ``output.txt`` and ``output.json``, where ``process_result`` and ``write_entry``
    write."""
    outdir = Path(builder.outdir)
    with (
        (outdir / "output.txt").open("w", encoding="utf-8") as builder.txt_outfile,
        (outdir / "output.json").open("w", encoding="utf-8") as builder.json_outfile,
    ):
        yield


def write_json_row(builder: LinkcheckBuilderBase, result: LinkResult) -> None:
    """Add *result* to ``output.json`` as Sphinx's ``process_result`` does, without logging it."""
    builder.write_linkstat(
        {
            "filename": str(builder.env.doc2path(result.docname, False)),
            "lineno": result.lineno,
            "status": str(result.status),
            "code": result.code,
            "uri": result.uri,
            "info": result.message,
        }
    )


def list_in_report(
    builder: LinkcheckBuilderBase, status: str, docname: str, lineno: int, text: str
) -> None:
    """Add a line to ``output.txt`` (Sphinx lists only problems there by itself)."""
    builder.write_entry(status, docname, builder.env.doc2path(docname, False), lineno, text)


def links_failed(builder: LinkcheckBuilderBase) -> bool:
    """Whether any row processed so far was broken or timed out."""
    return bool(builder.broken_hyperlinks or builder.timed_out_hyperlinks)
