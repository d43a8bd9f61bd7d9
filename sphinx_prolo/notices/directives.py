"""The ``disclaimer`` and ``please-note`` directives: the clinic's notices, single-sourced.

Each notice is a standard :class:`docutils.nodes.admonition` with a title, so every builder renders
it.  Its standard text is either built in (our own wording, translated through Sphinx's
``language``) or read from a file in the source tree named by ``prolo_disclaimer_source`` /
``prolo_please_note_source``, parsed once per build process by the parser of its suffix.  For
HTML a post-transform swaps the admonition for a node with ``role="note"`` and an accessible name
(:mod:`sphinx_prolo.notices.rendering`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.link_targets import terms_target
from sphinx_prolo.notices.rendering import (
    NoticeHTMLTransform,
    NoticeTextTransform,
    depart_notice_html,
    notice_html,
    visit_notice_html,
)
from sphinx_prolo.notices.sources import parsing_notice_source, setup_notice_sources, source_body
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent.parent / "static"
CSS_FILE = "sphinx-prolo.css"


@dataclass(frozen=True)
class NoticeKind:
    """What distinguishes the two notices: name, CSS class, title and text."""

    name: str
    css_class: str
    source_setting: str
    title: Callable[[], str]
    builtin_body: Callable[[BuildEnvironment], list[nodes.Node]]


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
    # Translated by the extension's own catalog: not a message of the page's.
    title = nodes.title(title_text, title_text, translatable=False)
    for node in (notice, title):
        node.source, node.line = source, line
    notice += title
    body = source_body(env, kind.name, document)
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
        if parsing_notice_source(self.env):  # inside a notice source: collected as its problem
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
        if parsing_notice_source(self.env):
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
            self._report_swallowed(notice)
        self.add_name(notice)
        return [notice]

    def _report_swallowed(self, notice: nodes.Element) -> None:
        """A heading or a notice inside a notice: most likely its closing fence is missing."""
        inner = [node for node in notice.findall(nodes.Element) if node is not notice]
        headings = [n for n in inner if isinstance(n, nodes.section | nodes.rubric)]
        nested = [n for n in inner if n.get("prolo_notice")]
        if headings or nested:
            self._warn(
                __(
                    "the %s directive contains %s; is its closing ':::' (or the end of its "
                    "indented block) missing?"
                ),
                self.name,
                __("another notice") if nested else __("a heading"),
            )


class DisclaimerDirective(NoticeDirective):
    """``disclaimer``: the clinic's medical disclaimer."""

    kind = "disclaimer"


class PleaseNoteDirective(NoticeDirective):
    """``please-note``: "this article is not a literature review"."""

    kind = "please-note"


# --- build-level checks -------------------------------------------------------------------------


def report_terms_problem(app: Sphinx, env: BuildEnvironment) -> None:
    """Once per build: a ``prolo_terms_url`` document that this project does not have."""
    in_use = prolo_domain(env).kinds_in_use()
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


def add_static_path(app: Sphinx, config: Config) -> None:
    """The extension's stylesheet and script folder, added when the configuration is read.

    Added then rather than when the builder starts, so that the configuration Sphinx compares
    with the last build's already has it: a rebuild with nothing changed is not told that
    ``html_static_path`` changed.
    """
    static = str(STATIC_DIR)
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]


def setup_notices(app: Sphinx) -> None:
    """Register the notice directives, their HTML rendering and their checks."""
    app.add_directive("disclaimer", DisclaimerDirective)
    app.add_directive("please-note", PleaseNoteDirective)
    app.add_node(notice_html, html=(visit_notice_html, depart_notice_html))
    app.add_post_transform(NoticeHTMLTransform)
    app.add_post_transform(NoticeTextTransform)
    app.add_css_file(CSS_FILE)
    app.connect("config-inited", add_static_path)
    setup_notice_sources(app)
    app.connect("env-updated", report_terms_problem)
    app.connect("warn-missing-reference", keep_unresolved_terms_link)
