"""How notices are rendered: a role and an accessible name in HTML, separate paragraphs in text.

A notice (see :mod:`sphinx_prolo.notices.directives`) is a docutils admonition marked
``prolo_notice``; a ``seek-help`` box (:mod:`sphinx_prolo.notices.seek_help`), marked
``prolo_seek_help``, is rendered alike.
For HTML builders a post-transform swaps it for :class:`notice_html`, written as a ``div`` with
``role="note"`` and ``aria-label`` naming the notice; for the text builder its paragraphs are kept
apart. Every other builder renders the admonition as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


class notice_html(nodes.Admonition, nodes.Element):
    """A notice as HTML builders see it: an admonition with a role and an accessible name."""


def notices_in(document: nodes.Node) -> list[nodes.admonition]:
    """The notices in *document* (a list, so that callers may replace them as they go)."""
    return [node for node in document.findall(nodes.admonition) if node.get("prolo_notice")]


def boxes_in(document: nodes.Node) -> list[nodes.admonition]:
    """The notices and the seek-help boxes in *document*: all rendered alike."""
    return [
        node
        for node in document.findall(nodes.admonition)
        if node.get("prolo_notice") or node.get("prolo_seek_help")
    ]


class NoticeHTMLTransform(SphinxPostTransform):
    """For HTML builders, give each notice a role and an accessible name."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in boxes_in(self.document):
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
        for node in boxes_in(self.document):
            body = [child for child in node.children if not isinstance(child, nodes.title)]
            for child in body:
                node.remove(child)
            node += nodes.container("", *body)


def visit_notice_html(self: HTML5Translator, node: notice_html) -> None:
    attributes = {"role": "note", "aria-label": node["prolo_label"]}
    self.body.append(self.starttag(node, "div", **attributes))


def depart_notice_html(self: HTML5Translator, node: notice_html) -> None:
    self.body.append("</div>\n")
