"""The ``seek-help`` directive: when to get advice, and when to get help urgently.

Public health pages carry a box of warning signs.  The writer lists the signs for the treatment
(the directive's content); the box's title is single-sourced and translated: "Get advice from
your clinic if:" or, with ``:urgent:``, "Get urgent medical help if:".  The box is a docutils
admonition, so every builder renders it; HTML gets the notices' role and accessible name
(:mod:`sphinx_prolo.notices.rendering`).

``prolo_required_sections = True`` makes an article without a ``seek-help`` box a
``prolo.structure`` warning (the writer's checklist for a treatment page, checked by the build).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The CSS classes of the two levels.
ADVICE_CLASS = "prolo-seek-help"
URGENT_CLASS = "prolo-seek-help-urgent"


def seek_help_title(urgent: bool) -> str:
    """The box's title, in the document's language."""
    return _("Get urgent medical help if:") if urgent else _("Get advice from your clinic if:")


class SeekHelpDirective(SphinxDirective):
    """``seek-help``: the warning signs of one treatment, under a standard title."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "urgent": directives.flag,
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        if not self.content:
            warn_and_keep(
                self.env,
                self.env.docname,
                self.lineno,
                "notice",
                __("the seek-help directive needs content: the signs to look out for"),
            )
            return []
        urgent = "urgent" in self.options
        box = nodes.admonition(
            "",
            classes=[URGENT_CLASS if urgent else ADVICE_CLASS, *self.options.get("class", [])],
            prolo_seek_help="urgent" if urgent else "advice",
        )
        title_text = seek_help_title(urgent)
        # Translated by the extension's own catalog: not a message of the page's.
        title = nodes.title(title_text, title_text, translatable=False)
        self.set_source_info(box)
        self.set_source_info(title)
        box += title
        self.state.nested_parse(self.content, self.content_offset, box)
        self.add_name(box)
        return [box]


def has_seek_help(document: nodes.Node) -> bool:
    """Whether *document* has a ``seek-help`` box."""
    return any(node.get("prolo_seek_help") for node in document.findall(nodes.admonition))


def check_required_sections(env: BuildEnvironment, docname: str, doctree: nodes.Node) -> None:
    """With ``prolo_required_sections``, an article without a seek-help box is reported."""
    if env.config.prolo_required_sections and not has_seek_help(doctree):
        warn_and_keep(
            env,
            docname,
            1,
            "structure",
            __(
                "article %r has no seek-help box; a treatment page says when to get advice "
                "and when to get urgent help"
            ),
            docname,
        )


def setup_seek_help(app: Sphinx) -> None:
    """Register the ``seek-help`` directive."""
    app.add_directive("seek-help", SeekHelpDirective)
