"""Docs-only extension: the ``prolo-config-table`` directive.

It renders the table of sphinx-prolo's configuration values from ``sphinx_prolo.config.SETTINGS``,
the same declaration the extension registers, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.config import SETTINGS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class ConfigTable(SphinxDirective):
    """Render every ``prolo_*`` value: name, default, what it accepts, what it does."""

    def run(self) -> list[nodes.Node]:
        headers = ("Value", "Default", "Accepts", "What it does")
        table = nodes.table(classes=["prolo-config-table"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (22, 12, 30, 36):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row([nodes.paragraph("", text) for text in headers])
        body = nodes.tbody()
        group += body
        for setting in SETTINGS:
            body += self._row(
                [
                    nodes.paragraph("", "", nodes.literal("", setting.name)),
                    nodes.paragraph("", "", nodes.literal("", repr(setting.default))),
                    nodes.paragraph("", setting.accepts),
                    nodes.paragraph("", setting.description),
                ]
            )
        return [table]

    @staticmethod
    def _row(cells: list[nodes.Node]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell
            row += entry
        return row


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("prolo-config-table", ConfigTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
