"""Tables inside table cells, for the builders that cannot write them.

HTML ``<table>`` elements nest freely, and the converter keeps them nested: HTML, LaTeX
and Texinfo write a table in a cell. Sphinx's text writer (``NotImplementedError``) and
docutils' manual-page writer (an ``AttributeError``) stop the build on one. For those
builders :class:`FlattenNestedTables` rewrites each inner table as ordinary blocks: its
caption, then a list of its rows, each row one paragraph with the cells separated by a
bar, the way a reader would copy the table into plain text. A row whose cells hold
more than a paragraph keeps their blocks, one after the other. No word is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_excerpt import guard, priorities

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Between two cells of a flattened row.
CELL_SEPARATOR = " | "


class FlattenNestedTables(SphinxPostTransform):
    """Rewrite tables inside tables as blocks, for the text and manual-page builders."""

    default_priority = priorities.NESTED_TABLES
    formats = ("text", "man")

    def tables_as_text(self, **kwargs: Any) -> None:
        """After a failure of :meth:`run`: each inner table as one paragraph of its text
        (the writers cannot write it, and the words stay)."""
        for table in reversed(_nested(self.document)):
            text = table.astext()
            table.replace_self(_located(nodes.paragraph(text, text), table))

    @guard.rewrite(fallback=tables_as_text)
    def run(self, **kwargs: Any) -> None:
        # innermost first: a flattened table's blocks may still hold a table to flatten
        for table in reversed(_nested(self.document)):
            guard.keep(table.parent)
            table.replace_self(flattened(table))


def _nested(document: nodes.document) -> list[nodes.table]:
    return [table for table in document.findall(nodes.table) if _inside_table(table)]


def _inside_table(table: nodes.table) -> bool:
    parent = table.parent
    while parent is not None:
        if isinstance(parent, nodes.table):
            return True
        parent = parent.parent
    return False


def flattened(table: nodes.table) -> list[nodes.Node]:
    """The blocks that stand for ``table``: its caption, then a list of its rows."""
    out: list[nodes.Node] = []
    for title in (child for child in table.children if isinstance(child, nodes.title)):
        out.append(_located(nodes.paragraph("", "", *title.children), table))
    rows = nodes.bullet_list(bullet="*")
    for row in table.findall(nodes.row):
        blocks = _row_blocks(row, table)
        if blocks:
            rows += nodes.list_item("", *blocks)
    if len(rows):
        out.append(_located(rows, table))
    return out


def _row_blocks(row: nodes.row, table: nodes.table) -> list[nodes.Node]:
    """One paragraph for a row of one-paragraph cells; the cells' blocks otherwise."""
    cells = [entry for entry in row.children if isinstance(entry, nodes.entry) and len(entry)]
    if all(len(cell) == 1 and isinstance(cell[0], nodes.paragraph) for cell in cells):
        paragraph = _located(nodes.paragraph(), table)
        for index, cell in enumerate(cells):
            if index:
                paragraph += nodes.Text(CELL_SEPARATOR)
            paragraph.extend(cell[0].children)
        return [paragraph] if cells else []
    return [block for cell in cells for block in cell.children]


def _located(node: nodes.Element, table: nodes.table) -> nodes.Element:
    node.source, node.line = table.source, table.line
    return node


def setup_nested_tables(app: Sphinx) -> None:
    app.add_post_transform(FlattenNestedTables)
