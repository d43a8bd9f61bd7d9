"""Docs-only extension: the ``prolo-config-table`` and ``prolo-front-matter-table`` directives.

They render the tables of sphinx-prolo's configuration values (``sphinx_prolo.config.SETTINGS``)
and front-matter keys (``sphinx_prolo.articles.keys.FRONT_MATTER``) from the same declarations
the extension uses, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.articles.keys import FRONT_MATTER
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


class FrontMatterTable(SphinxDirective):
    """Render every front-matter key: name, what it means, its kind, where else it goes."""

    def run(self) -> list[nodes.Node]:
        headers = ("Key", "What it means", "Written as", "Also in")
        table = nodes.table(classes=["prolo-front-matter-table"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (18, 44, 14, 24):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += ConfigTable._row([nodes.paragraph("", text) for text in headers])
        body = nodes.tbody()
        group += body
        for key in FRONT_MATTER:
            also = [
                *(["translated"] if key.translated else []),
                *([f"JSON-LD {key.json_ld}"] if key.json_ld else []),
                *([f"report: {key.report}"] if key.report else []),
            ]
            meaning = nodes.paragraph()
            for index, part in enumerate(key.meaning.split("`")):
                meaning += nodes.literal("", part) if index % 2 else nodes.Text(part)
            body += ConfigTable._row(
                [
                    nodes.paragraph("", "", nodes.literal("", key.name)),
                    meaning,
                    nodes.paragraph("", "", nodes.literal("", f"{key.name}: {key.example}")),
                    nodes.paragraph("", ", ".join(also) or "\u2013"),
                ]
            )
        return [table]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("prolo-config-table", ConfigTable)
    app.add_directive("prolo-front-matter-table", FrontMatterTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
