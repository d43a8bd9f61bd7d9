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


def table(
    class_name: str, columns: list[tuple[str, int]], rows: list[list[nodes.Node]]
) -> nodes.table:
    """A docutils table: its class, (heading, width) per column, and rows of cells."""
    result = nodes.table(classes=[class_name])
    group = nodes.tgroup(cols=len(columns))
    result += group
    for _heading, width in columns:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row([nodes.paragraph("", heading) for heading, _width in columns])
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return result


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell
        row += entry
    return row


def _code(text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.literal("", text))


class ConfigTable(SphinxDirective):
    """Render every ``prolo_*`` value: name, default, what it accepts, what it does."""

    def run(self) -> list[nodes.Node]:
        columns = [("Value", 22), ("Default", 12), ("Accepts", 30), ("What it does", 36)]
        rows: list[list[nodes.Node]] = [
            [
                _code(setting.name),
                _code(repr(setting.default)),
                nodes.paragraph("", setting.accepts),
                nodes.paragraph("", setting.description),
            ]
            for setting in SETTINGS
        ]
        return [table("prolo-config-table", columns, rows)]


class FrontMatterTable(SphinxDirective):
    """Render every front-matter key: name, what it means, its kind, where else it goes."""

    def run(self) -> list[nodes.Node]:
        columns = [("Key", 18), ("What it means", 44), ("Written as", 14), ("Also in", 24)]
        rows: list[list[nodes.Node]] = []
        for key in FRONT_MATTER:
            also = [
                *(["translated"] if key.translated else []),
                *([f"JSON-LD {key.json_ld}"] if key.json_ld else []),
                *([f"report: {key.report}"] if key.report else []),
            ]
            meaning = nodes.paragraph()
            for index, part in enumerate(key.meaning.split("`")):
                meaning += nodes.literal("", part) if index % 2 else nodes.Text(part)
            rows.append(
                [
                    _code(key.name),
                    meaning,
                    _code(f"{key.name}: {key.example}"),
                    nodes.paragraph("", ", ".join(also) or "\u2013"),
                ]
            )
        return [table("prolo-front-matter-table", columns, rows)]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("prolo-config-table", ConfigTable)
    app.add_directive("prolo-front-matter-table", FrontMatterTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
