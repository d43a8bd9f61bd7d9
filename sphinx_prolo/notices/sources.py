"""Notice source files: a site's own notice wording, parsed once and shown on every page.

``prolo_disclaimer_source`` / ``prolo_please_note_source`` name a file of the source tree.  It is
parsed once per build process by the parser of its suffix, with every transform a document gets
(substitutions, footnotes, named targets, smart quotes) but none that records a document, and
copied into each page that shows the notice, with links made relative to the file and ids kept
apart from the page's own.  Problems in it are collected, never raised, and reported once per
build at the file's own lines.
"""

from __future__ import annotations

import logging as std_logging
import uuid
import weakref
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.readers import standalone
from docutils.transforms.frontmatter import DocInfo
from docutils.transforms.references import DanglingReferences
from sphinx import addnodes
from sphinx.domains.citation import CitationDefinitionTransform
from sphinx.transforms import DoctreeReadEvent, SphinxTransformer
from sphinx.transforms.references import SphinxDomains
from sphinx.util import docname_join, logging
from sphinx.util.docutils import LoggingReporter, sphinx_domains
from sphinx.util.logging import get_node_location
from sphinx.versioning import UIDTransform

from sphinx_prolo.articles.domain import NoticeRef, Problem, prolo_domain
from sphinx_prolo.builds.compat import app_of, create_parser, reading_as
from sphinx_prolo.link_targets import (
    NOTICE_SOURCE_SETTINGS,
    notice_source,
    split_notice_source,
)
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


@dataclass
class _ParsedSource:
    """A notice source file as parsed once in this process, ready to be copied into pages."""

    nodes: list[nodes.Node]
    problems: list[Problem] = field(default_factory=list)
    #: The therapy references in the file, checked once per build at the file's own lines.
    refs: list[NoticeRef] = field(default_factory=list)


class FileLocation(str):
    """A file path as the location of a warning, with or without a line.

    Sphinx reads a location string without ":" as a document name and appends a source suffix
    to it; a notice source is no document, so its path is given as it is.
    """

    __slots__ = ()

    def __contains__(self, text: object) -> bool:
        return text == ":" or super().__contains__(str(text))


#: The docutils reader's transforms as Sphinx applies them (Sphinx has its own dangling
#: reference check); a field list at the top of a notice is shown, not taken as document data.
_READER_TRANSFORMS = [
    transform
    for transform in standalone.Reader().get_transforms()
    if transform not in {DanglingReferences, DocInfo}
]

#: Transforms that record the document being read in the environment (its labels, citations,
#: titles and the doctree-read event): a notice source is a fragment of other pages, not a
#: document, so these are left out.  The articles' own transform is left out by name, since it
#: imports this module.
_RECORDING_TRANSFORMS = {
    SphinxDomains,
    DoctreeReadEvent,
    CitationDefinitionTransform,
    UIDTransform,
}


# One cache per build environment (per Sphinx application), keyed by file path and version.
# Parallel reads fork the main process, so children start from the parent's cache.
_SOURCE_CACHE: weakref.WeakKeyDictionary[BuildEnvironment, dict[tuple[Any, ...], _ParsedSource]]
_SOURCE_CACHE = weakref.WeakKeyDictionary()
# True while a notice source is being parsed, to refuse notices nested in their own source.
_PARSING: set[int] = set()


def parsing_notice_source(env: BuildEnvironment) -> bool:
    """Whether a notice source file is being parsed for *env* right now."""
    return id(env) in _PARSING


def _location_text(env: BuildEnvironment, location: Any, source_docname: str, path: Path) -> str:
    """Turn a log record's raw location into "path:line" text that no longer needs the env."""
    if isinstance(location, tuple):
        docname, line = location
        file = str(path) if docname == source_docname else str(env.doc2path(docname))
        return f"{file}:{line}" if line else file
    if isinstance(location, nodes.Node):
        text = get_node_location(location)  # "path:line", or "path:" without a line
        return text.removesuffix(":") if text else str(path)
    if isinstance(location, str) and location.removesuffix(":"):
        return location.removesuffix(":")
    return str(path)


def _transforms_for(env: BuildEnvironment, parser: Any) -> list[Any]:
    """Every transform a document of this project gets, less those that record a document."""
    registered = [
        transform
        for transform in app_of(env).registry.get_transforms()
        if transform not in _RECORDING_TRANSFORMS and transform.__name__ != "ArticleTransform"
    ]
    return [*_READER_TRANSFORMS, *registered, *parser.get_transforms()]


def _parse_source(
    env: BuildEnvironment, relpath: str, setting: str, host: nodes.document
) -> _ParsedSource:
    """Read and parse one notice source file; every problem is collected, none is raised."""
    srcdir = Path(env.srcdir)
    path = srcdir / relpath
    # The configuration was checked: the file has a known suffix.
    source_docname, suffix = split_notice_source(env.config, relpath)
    try:
        inside = path.resolve().is_relative_to(srcdir.resolve())
        text = path.read_text(encoding=env.config.source_encoding) if inside else ""
    except FileNotFoundError:
        msg = __("%s: file %r not found in the source directory; the built-in text is shown")
        return _ParsedSource([], [(msg % (setting, relpath), None)])
    except (OSError, UnicodeDecodeError) as exc:
        msg = __("%s: cannot read %r (%s); the built-in text is shown")
        return _ParsedSource([], [(msg % (setting, relpath, exc), None)])
    if not inside:
        msg = __("%s: %r leads outside the source directory; the built-in text is shown")
        return _ParsedSource([], [(msg % (setting, relpath), None)])

    filetype = env.config.source_suffix[suffix]
    parser = create_parser(env, filetype)
    settings = copy(host.settings)
    reporter = LoggingReporter(
        str(path), settings.report_level, 5, settings.debug, settings.error_encoding_error_handler
    )
    document = nodes.document(settings, reporter, source=str(path))
    document.note_source(str(path), -1)
    # The transforms any document gets: substitutions, footnote numbers, named targets, smart
    # quotes, translations...
    transformer = SphinxTransformer(document)
    transformer.set_environment(env)
    transformer.add_transforms(_transforms_for(env, parser))
    document.transformer = transformer
    problems: list[Problem] = []
    _PARSING.add(id(env))
    try:
        with (
            reading_as(env, source_docname),
            sphinx_domains(env),
            logging.suppress_logging() as memory,
        ):
            parser.parse(text, document)
            document.current_source = document.current_line = None
            transformer.apply_transforms()
    except Exception as exc:  # a parser that gives up on broken markup must not end the build
        problems.append((__("could not parse this notice source: %s") % exc, str(path)))
    finally:
        _PARSING.discard(id(env))
    for record in memory.buffer:
        if record.levelno >= std_logging.WARNING:
            where = _location_text(env, getattr(record, "location", None), source_docname, path)
            problems.append((record.getMessage(), where))

    refs: list[NoticeRef] = []
    for xref in document.findall(addnodes.pending_xref):
        # Links in the file are relative to the file, wherever the notice is shown.
        if xref.get("reftype") == "doc" and not xref.get("reftarget", "").startswith("/"):
            xref["reftarget"] = "/" + docname_join(source_docname, xref["reftarget"])
        if xref.get("refdomain") == "prolo":
            refs.append((str(xref["reftarget"]).strip(), xref.line))
    for message in list(document.findall(nodes.system_message)):
        message.parent.remove(message)
    for raw in list(document.findall(nodes.raw)):
        # Raw HTML in a notice would reach every page unescaped: show it as text instead.
        where = f"{path}:{raw.line}" if raw.line else str(path)
        problems.append((__("raw markup is not allowed in a notice source; shown as text"), where))
        text = raw.astext()
        if isinstance(raw.parent, nodes.TextElement):  # inline, within a paragraph
            raw.replace_self(nodes.literal(text, text))
        else:
            raw.replace_self(nodes.literal_block(text, text, language="text"))
    return _ParsedSource(list(document.children), problems, refs)


def source_body(env: BuildEnvironment, kind: str, host: nodes.document) -> list[nodes.Node] | None:
    """Copies of the parsed source file of notice *kind*, or None to show the built-in text."""
    relpath = notice_source(env.config, kind)
    if relpath is None:
        return None
    path = Path(env.srcdir) / relpath
    env.note_dependency(str(path))
    domain = prolo_domain(env)
    try:
        stat = path.stat()
        version: tuple[Any, ...] = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (None, None)
    cache = _SOURCE_CACHE.setdefault(env, {})
    key = (relpath, *version)
    parsed = cache.get(key)
    if parsed is None:
        parsed = _parse_source(env, relpath, NOTICE_SOURCE_SETTINGS[kind], host)
        cache[key] = parsed
    # Kept per file, so that a file no longer configured reports nothing.
    domain.data["notice_problems"][relpath] = list(parsed.problems)
    domain.data["notice_refs"][relpath] = list(parsed.refs)
    domain.data["notice_parsed_in"][relpath] = domain.data["read_pass"]
    if not parsed.nodes:
        return None
    copies = [node.deepcopy() for node in parsed.nodes]
    for top in copies:
        for node in top.findall():
            node.document = host
            # Sphinx makes hrefs relative to ``refdoc``: that is the page showing the notice.
            # (Relative targets were made absolute against the source file when it was parsed.)
            if isinstance(node, addnodes.pending_xref):
                node["refdoc"] = env.docname
                node["prolo_notice_source"] = relpath  # reported by link-check builds
            if isinstance(node, nodes.Element):
                _prefix_ids(node, f"prolo-{kind}-")
    return copies


def _prefix_ids(node: nodes.Element, prefix: str) -> None:
    """Keep the notice's own ids (footnotes, targets) apart from those of the page showing it."""
    node["ids"] = [prefix + name for name in node["ids"]]
    if "backrefs" in node:
        node["backrefs"] = [prefix + name for name in node["backrefs"]]
    if node.get("refid"):
        node["refid"] = prefix + node["refid"]


def report_source_problems(app: Sphinx, env: BuildEnvironment) -> None:
    """Once per build, the problems of the notice source files in use."""
    domain = prolo_domain(env)
    for kind in sorted(domain.kinds_in_use()):
        relpath = notice_source(env.config, kind)
        if relpath is None:
            continue
        for message, where in domain.data["notice_problems"].get(relpath, []):
            location = FileLocation(where) if where else None
            logger.warning(message, location=location, type="prolo", subtype="notice")


def start_read_pass(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Mark the data of notice sources parsed from now on as this pass's (see merging)."""
    prolo_domain(env).data["read_pass"] = uuid.uuid4().hex


def setup_notice_sources(app: Sphinx) -> None:
    """Report the problems of notice source files once per build."""
    app.connect("env-before-read-docs", start_read_pass)
    app.connect("env-updated", report_source_problems)
