"""The ``seek-help`` directive: call the emergency number, get help today, or ask the clinic.

Public health pages carry boxes of warning signs, in levels that say what to do. The writer
lists the signs (the directive's content) and picks the level with ``:level:``: ``emergency``
(call the emergency number now), ``urgent`` (get medical help the same day) or ``advice`` (contact
the clinic; the default). The box's title states the action, single-sourced and translated, with
the numbers a clinic sets once per language in ``prolo_help_lines`` (the emergency number and the
urgent-advice line differ by country and language). ``:urgent:``, the older spelling, still means
``urgent``. The box is a docutils admonition, so every builder renders it; HTML gets the notices'
role and accessible name (:mod:`sphinx_prolo.notices.rendering`).

``prolo_required_sections = True`` makes an article without a ``seek-help`` box a
``prolo.structure`` warning (the writer's checklist for a treatment page, checked by the build).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.builds.compat import app_of
from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.tags import Tags

#: The class every box has, and the levels from the most pressing.
BOX_CLASS = "prolo-seek-help"
LEVELS = ("emergency", "urgent", "advice")


def help_line(config: Config, level: str) -> str:
    """The number or line to call at *level* in the build's language ("911"), or "": the
    language's own mapping first, then the one for every language (``{"urgent": "811"}``)."""
    lines = config.prolo_help_lines or {}
    language = str(config.language or "en")
    for key in (language, language.split("_")[0]):
        own = lines.get(key)
        if isinstance(own, dict) and isinstance(own.get(level), str):
            return str(own[level])
    value = lines.get(level, "")
    return value if isinstance(value, str) else ""


def seek_help_title(level: str, line: str = "") -> str:
    """The box's title at *level*, in the document's language, naming *line* where given."""
    if level == "emergency":
        if line:
            return _("Call %s or go to the nearest emergency department now if:") % line
        return _("Call your local emergency number now if:")
    if level == "urgent":
        if line:
            return _("Get medical help today (your doctor, or call %s) if:") % line
        return _("Get medical help today if:")
    return _("Get advice from your clinic if:")


class SeekHelpDirective(SphinxDirective):
    """``seek-help``: the warning signs of one treatment, under a title that says what to do."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "level": directives.unchanged,
        "urgent": directives.unchanged,
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    def warn(self, message: str, *args: Any) -> None:
        warn_and_keep(self.env, self.env.docname, self.lineno, "notice", message, *args)

    def level(self) -> str:
        """The box's level from ``:level:`` or ``:urgent:``; a bad value is warned about."""
        level = self.options.get("level")
        urgent = self.options.get("urgent")
        if urgent is not None and urgent.strip():
            self.warn(
                __(
                    "seek-help: :urgent: is a flag and takes no value (got %r); write "
                    ":level: urgent, or leave the option out"
                ),
                urgent,
            )
            urgent = None
        if level is None:
            return "urgent" if urgent is not None else "advice"
        level = level.strip().lower()
        if level not in LEVELS:
            self.warn(
                __("seek-help: :level: %r is not one of %s; 'advice' is used"),
                level,
                ", ".join(LEVELS),
            )
            return "advice"
        if urgent is not None and level != "urgent":
            self.warn(__("seek-help: both :urgent: and :level: %s; :level: is used"), level)
        return str(level)

    def run(self) -> list[nodes.Node]:
        if not self.content:
            self.warn(__("the seek-help directive needs content: the signs to look out for"))
            return []
        level = self.level()
        box = nodes.admonition(
            "",
            classes=[BOX_CLASS, f"{BOX_CLASS}-{level}", *self.options.get("class", [])],
            prolo_seek_help=level,
        )
        title_text = seek_help_title(level, help_line(self.config, level))
        # Translated by the extension's own catalog: not a message of the page's.
        title = nodes.title(title_text, title_text, translatable=False)
        self.set_source_info(box)
        self.set_source_info(title)
        box += title
        self.state.nested_parse(self.content, self.content_offset, box)
        self.add_name(box)
        return [box]


def has_seek_help(document: nodes.Node, tags: Tags | None = None) -> bool:
    """Whether *document* shows a ``seek-help`` box in this build: one inside an ``only``
    directive whose expression is false for the build's *tags* does not count."""
    for box in document.findall(nodes.admonition):
        if not box.get("prolo_seek_help"):
            continue
        parent = box.parent
        shown = True
        while parent is not None and shown:
            if isinstance(parent, addnodes.only) and tags is not None:
                try:
                    shown = tags.eval_condition(parent["expr"])
                except ValueError:  # Sphinx reports a bad expression itself
                    shown = True
            parent = parent.parent
        if shown:
            return True
    return False


def check_required_sections(env: BuildEnvironment, docname: str, doctree: nodes.Node) -> None:
    """With ``prolo_required_sections``, an article without a seek-help box is reported."""
    if env.config.prolo_required_sections and not has_seek_help(doctree, app_of(env).tags):
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
