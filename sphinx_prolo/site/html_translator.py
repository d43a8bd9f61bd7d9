"""The HTML translator of every HTML builder, with the heading level Sphinx leaves out.

Sphinx writes a toctree's caption as ``<p class="caption" role="heading">`` without the
``aria-level`` that the ARIA ``heading`` role requires (sphinx-doc/sphinx#14030), so screen readers
guess its level and axe reports it as a critical fault on every page with a captioned toctree.
The level is added where the tag is written: a mixin over whatever translator class the builder
would use (Sphinx's own, or one a theme or another extension set), installed when the builder
starts. A theme that subclasses the builder's current translator later on (pydata-sphinx-theme,
sphinx-book-theme) keeps the mixin, since it builds on the class registered here; every page and
every partial render (furo's navigation, the extension's fast one) goes through the same class.
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The level of a toctree caption: the page's own title is the one level-one heading.
CAPTION_LEVEL = "2"


def is_toctree_caption(node: nodes.Element) -> bool:
    """Whether *node* is the caption (title) of a toctree, as Sphinx resolves it."""
    parent = node.parent
    return (
        isinstance(node, nodes.title)
        and isinstance(parent, addnodes.compact_paragraph)
        and bool(parent.get("toctree"))
    )


class CaptionLevelMixin:
    """Gives a toctree caption's ``role="heading"`` the ``aria-level`` it needs."""

    def starttag(
        self,
        node: nodes.Element,
        tagname: str,
        suffix: str = "\n",
        empty: bool = False,
        **attributes: Any,
    ) -> str:
        names = {name.lower() for name in attributes}
        if (
            str(attributes.get("ROLE", attributes.get("role", ""))) == "heading"
            and "aria-level" not in names
            and is_toctree_caption(node)
        ):
            attributes["aria-level"] = CAPTION_LEVEL
        text: str = super().starttag(  # type: ignore[misc]
            node, tagname, suffix, empty, **attributes
        )
        return text


def add_caption_levels(app: Sphinx) -> None:
    """Register, for this builder, its translator class with the caption mixin on top."""
    builder = app.builder
    if builder.format != "html":
        return
    try:
        current = builder.get_translator_class()
    except AttributeError:  # a builder without a default translator class
        return
    if not isinstance(current, type) or not issubclass(current, HTML5Translator):
        return
    if issubclass(current, CaptionLevelMixin):
        return
    translator = types.new_class(current.__name__, (CaptionLevelMixin, current), {})
    translator.__module__ = __name__
    translator.__doc__ = current.__doc__
    app.set_translator(builder.name, translator, override=True)


def setup_html_translator(app: Sphinx) -> None:
    """Connect the translator mixin; it runs before any page or partial is rendered."""
    app.connect("builder-inited", add_caption_levels, priority=400)
