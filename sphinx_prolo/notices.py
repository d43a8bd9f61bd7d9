"""The ``disclaimer`` and ``please-note`` directives: the clinic's notices, single-sourced.

Each notice is a standard :class:`docutils.nodes.admonition` with a title, so every builder renders
it.  Its standard text is either built in (our own wording, translated through Sphinx's
``language``) or read from a file in the source tree named by ``prolo_disclaimer_source`` /
``prolo_please_note_source``, parsed once per build process by the parser of its suffix.  For
HTML a post-transform swaps the admonition for :class:`notice_html`, which adds ``role="note"``
and an accessible name.
"""

from __future__ import annotations

import logging as std_logging
import weakref
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.readers import standalone
from docutils.transforms.frontmatter import DocInfo
from docutils.transforms.references import DanglingReferences
from sphinx import addnodes
from sphinx.domains.citation import CitationDefinitionTransform
from sphinx.transforms import DoctreeReadEvent, SphinxTransformer
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.references import SphinxDomains
from sphinx.util import docname_join, logging
from sphinx.util.docutils import LoggingReporter, SphinxDirective, sphinx_domains
from sphinx.util.logging import get_node_location
from sphinx.versioning import UIDTransform

from sphinx_prolo.compat import app_of, create_parser, reading_as
from sphinx_prolo.config import notice_source, notice_source_path, source_suffixes, terms_target
from sphinx_prolo.domain import NoticeRef, Problem, prolo_domain
from sphinx_prolo.kept_warnings import warn_and_keep
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "sphinx-prolo.css"


@dataclass(frozen=True)
class NoticeKind:
    """What distinguishes the two notices: name, CSS class, title and text."""

    name: str
    css_class: str
    source_setting: str
    title: Callable[[], str]
    builtin_body: Callable[[BuildEnvironment], list[nodes.Node]]


class notice_html(nodes.Admonition, nodes.Element):
    """A notice as HTML builders see it: an admonition with a role and an accessible name."""


# --- the built-in text --------------------------------------------------------------------------


def _disclaimer_body(env: BuildEnvironment) -> list[nodes.Node]:
    first = nodes.paragraph(
        "",
        _(
            "This article is general information for education only. It is not medical "
            "advice, and it does not replace an assessment by a qualified health professional. "
            "Talk to your physiotherapist, your doctor or another qualified professional about "
            "your own health before you start, stop or change any treatment."
        ),
    )
    body: list[nodes.Node] = [first]
    terms = terms_target(env.config)
    if terms is not None:
        label = _("Terms and Conditions of Use")
        sentence = _("Please read our {terms} before you rely on anything on this site.")
        before, placeholder, after = sentence.partition("{terms}")
        if not placeholder:  # a translation that lost the placeholder: keep the link anyway
            before, after = sentence + " ", ""
        link: nodes.Element
        if terms.kind == "url":
            link = nodes.reference("", label, refuri=terms.target, internal=False)
        else:
            link = addnodes.pending_xref(
                "",
                nodes.inline("", label, classes=["xref", "std", "std-doc"]),
                refdomain="std",
                reftype="doc",
                reftarget="/" + terms.target,
                refexplicit=True,
                refwarn=True,
                refdoc=env.docname,
                prolo_terms=True,
            )
        second = nodes.paragraph()
        second += nodes.Text(before)
        second += link
        second += nodes.Text(after)
        body.append(second)
    return body


def _please_note_body(env: BuildEnvironment) -> list[nodes.Node]:
    return [
        nodes.paragraph(
            "",
            _(
                "This article is not a literature review. It is a short, general introduction "
                "and does not weigh all of the published research on the topic. If you would "
                "like to know what the evidence says about a treatment for your situation, ask "
                "your physiotherapist."
            ),
        )
    ]


NOTICE_KINDS: dict[str, NoticeKind] = {
    "disclaimer": NoticeKind(
        name="disclaimer",
        css_class="prolo-disclaimer",
        source_setting="prolo_disclaimer_source",
        title=lambda: _("Disclaimer"),
        builtin_body=_disclaimer_body,
    ),
    "please-note": NoticeKind(
        name="please-note",
        css_class="prolo-please-note",
        source_setting="prolo_please_note_source",
        title=lambda: _("Please note"),
        builtin_body=_please_note_body,
    ),
}


# --- notice source files ------------------------------------------------------------------------


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
    suffix = next(s for s in source_suffixes(env.config) if relpath.endswith(s))
    source_docname = relpath[: -len(suffix)] if suffix else relpath
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


def _source_body(
    env: BuildEnvironment, kind: NoticeKind, host: nodes.document
) -> list[nodes.Node] | None:
    """Copies of the parsed source file of *kind*, or None to show the built-in text."""
    value = getattr(env.config, kind.source_setting)
    if not value:
        return None
    relpath = notice_source_path(value)
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
        parsed = _parse_source(env, relpath, kind.source_setting, host)
        cache[key] = parsed
    # Kept per file, so that a file no longer configured reports nothing.
    domain.data["notice_problems"][relpath] = list(parsed.problems)
    domain.data["notice_refs"][relpath] = list(parsed.refs)
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
                _prefix_ids(node, f"prolo-{kind.name}-")
    return copies


def _prefix_ids(node: nodes.Element, prefix: str) -> None:
    """Keep the notice's own ids (footnotes, targets) apart from those of the page showing it."""
    node["ids"] = [prefix + name for name in node["ids"]]
    if "backrefs" in node:
        node["backrefs"] = [prefix + name for name in node["backrefs"]]
    if node.get("refid"):
        node["refid"] = prefix + node["refid"]


def build_notice(
    env: BuildEnvironment,
    kind_name: str,
    document: nodes.document,
    *,
    classes: list[str] | tuple[str, ...] = (),
    source: str | None = None,
    line: int | None = None,
) -> nodes.admonition:
    """A complete notice of *kind_name* (title and standard text) for the current document.

    Used by the directives and by the articles feature, which inserts notices where an article
    does not place them itself.
    """
    kind = NOTICE_KINDS[kind_name]
    notice = nodes.admonition("", classes=[kind.css_class, *classes], prolo_notice=kind.name)
    title_text = kind.title()
    title = nodes.title(title_text, title_text)
    for node in (notice, title):
        node.source, node.line = source, line
    notice += title
    body = _source_body(env, kind, document)
    if body is None:
        body = kind.builtin_body(env)
        for top in body:
            for xref in top.findall(addnodes.pending_xref):
                xref.source, xref.line = source, line  # the Terms link, for link reports
    notice.extend(body)
    prolo_domain(env).note_notice(env.docname, kind.name)
    return notice


# --- the directives -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _BadOption:
    """An option value the directive could not accept, kept to be reported with its location."""

    name: str
    value: str | None
    reason: str


class _OptionSpec(dict[str, Any]):
    """An option spec that accepts every option, so the directive reports bad ones itself.

    docutils and MyST look converters up with ``spec[name]``; unknown names get a converter
    that returns a :class:`_BadOption` instead of failing before the directive runs.
    """

    def __init__(self, known: dict[str, Callable[[str], Any]]) -> None:
        super().__init__({name: self._guard(name, conv) for name, conv in known.items()})

    @staticmethod
    def _guard(name: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
        def checked(value: str) -> Any:
            try:
                return convert(value)
            except (ValueError, TypeError) as exc:
                return _BadOption(name, value, str(exc))

        return checked

    def __missing__(self, name: str) -> Callable[[str], Any]:
        return lambda value: _BadOption(name, value, "")


class NoticeDirective(SphinxDirective):
    """Base of ``disclaimer`` and ``please-note``: standard text, then the directive's content."""

    kind: ClassVar[str]
    has_content = True
    required_arguments = 0
    # Accepted only to report it: a notice takes no argument.
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = _OptionSpec(
        {"class": directives.class_option, "name": directives.unchanged}
    )

    def _warn(self, message: str, *args: Any) -> None:
        if id(self.env) in _PARSING:  # inside a notice source: collected as its problem
            logger.warning(message, *args, location=(self.env.docname, self.lineno))
            return
        warn_and_keep(self.env, self.env.docname, self.lineno, "notice", message, *args)

    def _report_bad_input(self) -> None:
        accepted = ", ".join(f":{name}:" for name in sorted(dict(self.option_spec)))
        for name, value in list(self.options.items()):
            if not isinstance(value, _BadOption):
                continue
            del self.options[name]
            if value.reason:
                self._warn(
                    __("invalid value %r for option :%s: of the %s directive (%s); ignored"),
                    value.value,
                    name,
                    self.name,
                    value.reason,
                )
            else:
                self._warn(
                    __("unknown option :%s: for the %s directive; it accepts %s"),
                    name,
                    self.name,
                    accepted,
                )
        if self.arguments:
            self._warn(
                __("the %s directive takes no argument; %r is shown as text after the notice"),
                self.name,
                self.arguments[0],
            )

    def run(self) -> list[nodes.Node]:
        kind = NOTICE_KINDS[self.kind]
        if id(self.env) in _PARSING:
            self._warn(__("a notice source cannot contain the %s directive"), self.name)
            return []
        self._report_bad_input()
        source, line = self.get_source_info()
        notice = build_notice(
            self.env,
            kind.name,
            self.state.document,
            classes=self.options.get("class", []),
            source=source,
            line=line,
        )
        if self.arguments:
            notice += nodes.paragraph(self.arguments[0], self.arguments[0])
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, notice)
        self.add_name(notice)
        return [notice]


class DisclaimerDirective(NoticeDirective):
    """``disclaimer``: the clinic's medical disclaimer."""

    kind = "disclaimer"


class PleaseNoteDirective(NoticeDirective):
    """``please-note``: "this article is not a literature review"."""

    kind = "please-note"


# --- rendering ----------------------------------------------------------------------------------


def notices_in(document: nodes.Node) -> list[nodes.admonition]:
    """The notices in *document* (a list, so that callers may replace them as they go)."""
    return [node for node in document.findall(nodes.admonition) if node.get("prolo_notice")]


class NoticeHTMLTransform(SphinxPostTransform):
    """For HTML builders, give each notice a role and an accessible name."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in notices_in(self.document):
            html_node = notice_html(node.rawsource, **node.attributes)
            html_node["classes"] = ["admonition", *node["classes"]]
            title = next(iter(node.findall(nodes.title)), None)
            html_node["prolo_label"] = title.astext() if title is not None else ""
            html_node.source, html_node.line = node.source, node.line
            html_node.extend(node.children)
            node.replace_self(html_node)


class NoticeTextTransform(SphinxPostTransform):
    """For the text builder, keep a notice's paragraphs apart.

    Sphinx's text writer runs the paragraphs of an admonition together ("...treatment.Please
    read"); inside a container each paragraph gets its own block again.
    """

    default_priority = 400
    formats = ("text",)

    def run(self, **kwargs: Any) -> None:
        for node in notices_in(self.document):
            body = [child for child in node.children if not isinstance(child, nodes.title)]
            for child in body:
                node.remove(child)
            node += nodes.container("", *body)


def visit_notice_html(self: HTML5Translator, node: notice_html) -> None:
    attributes = {"role": "note", "aria-label": node["prolo_label"]}
    self.body.append(self.starttag(node, "div", **attributes))


def depart_notice_html(self: HTML5Translator, node: notice_html) -> None:
    self.body.append("</div>\n")


# --- build-level checks -------------------------------------------------------------------------


def report_notice_problems(app: Sphinx, env: BuildEnvironment) -> None:
    """Once per build, report problems in the notice sources and in ``prolo_terms_url``."""
    domain = prolo_domain(env)
    in_use = domain.kinds_in_use()
    for kind in sorted(in_use):
        relpath = notice_source(env.config, kind)
        if relpath is None:
            continue
        for message, where in domain.data["notice_problems"].get(relpath, []):
            location = FileLocation(where) if where else None
            logger.warning(message, location=location, type="prolo", subtype="notice")
    terms = terms_target(env.config)
    if (
        terms is not None
        and terms.kind == "doc"
        and "disclaimer" in in_use
        and not env.config.prolo_disclaimer_source
        and terms.target not in env.found_docs
    ):
        logger.warning(
            __(
                "prolo_terms_url = %r is not a document of this project; the Terms link of the "
                "disclaimer is shown as plain text"
            ),
            env.config.prolo_terms_url,
            type="prolo",
            subtype="notice",
        )


def keep_unresolved_terms_link(
    app: Sphinx, domain: Domain, node: addnodes.pending_xref
) -> bool | None:
    """A Terms link to a missing document stays text, reported once rather than on every page."""
    return True if node.get("prolo_terms") else None


def add_static_path(app: Sphinx) -> None:
    if app.builder.format == "html":
        static = str(STATIC_DIR)
        if static not in app.config.html_static_path:
            app.config.html_static_path.append(static)


def setup_notices(app: Sphinx) -> None:
    """Register the notice directives, their HTML rendering and their checks."""
    app.add_directive("disclaimer", DisclaimerDirective)
    app.add_directive("please-note", PleaseNoteDirective)
    app.add_node(notice_html, html=(visit_notice_html, depart_notice_html))
    app.add_post_transform(NoticeHTMLTransform)
    app.add_post_transform(NoticeTextTransform)
    app.add_css_file(CSS_FILE)
    app.connect("builder-inited", add_static_path)
    app.connect("env-updated", report_notice_problems)
    app.connect("warn-missing-reference", keep_unresolved_terms_link)
