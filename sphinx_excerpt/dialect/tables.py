"""Pandoc's simple, multiline and grid tables, read as markdown-it table tokens.

MyST reads pipe tables (markdown-it's GFM table rule); Pandoc's other three kinds are
block rules here, following Pandoc's own reader (2.17):

* **simple**: a header line over a line of dash groups (or no header: dash lines above
  and below the rows); one row per line; columns and alignment from the dashes;
* **multiline**: a full dash line, header lines, a line of dash groups, rows separated
  by blank lines, a closing dash line; column widths from the dashes;
* **grid**: ``+---+`` borders and ``|`` cell walls, ``+===+`` under the header,
  alignment colons in the border, block content (lists, paragraphs) in cells.

Each becomes the tokens MyST's table rule emits (``table_open``, ``thead_open``,
``tr_open``, ``th_open``/``td_open`` with a ``text-align`` style …), so MyST renders
them as docutils tables in every builder. :func:`render_table` adds what MyST's
renderer leaves out: tables without a header, cells holding blocks, the column widths
of multiline and grid tables, and the caption (:mod:`.captions`) as the table's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_excerpt.dialect.extensions import extension_enabled
from sphinx_excerpt.dialect.guard import block_rule, parse_blocks, report

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.tree import SyntaxTreeNode
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

#: Pandoc's reader column count (``--columns``): widths are fractions of at least this.
COLUMNS = 72
#: A line of dash groups: at most three spaces, then dashes separated by spaces.
DASH_GROUPS = re.compile(r"^ {0,3}-+(?: +-+)* *$")
DASH_GROUP = re.compile(r"-+ *")
FULL_DASHES = re.compile(r"^ {0,3}-+$")
#: A grid border: ``+`` then parts ``:?-+:?+`` (``=`` under the header).
GRID_BORDER = {ch: re.compile(rf"^\+(?::?{ch}+:?\+)+[ \t]*$") for ch in "-="}
GRID_PART = re.compile(r"(:?)([-=]+)(:?)\+")
ALIGN_STYLE = {
    "left": "text-align:left",
    "right": "text-align:right",
    "center": "text-align:center",
}


@dataclass
class Cell:
    """A cell as written: its text (inline text, or block text for grid tables) and the
    source line (0-based) it starts on."""

    text: str
    line: int


@dataclass
class Table:
    """A table as read from the source, before it becomes tokens."""

    kind: str  # "simple", "multiline" or "grid"
    header: list[Cell] | None
    rows: list[list[Cell]]
    aligns: list[str | None]
    widths: list[int] | None = None  # relative widths, or None for automatic ones
    blocks: bool = False  # cells hold blocks (grid tables) rather than inline text


# ---------------------------------------------------------------- reading the source


class Lines:
    """The lines of a block parse, as text relative to the current block indent."""

    def __init__(self, state: StateBlock, end: int) -> None:
        self.state = state
        self.end = end

    def text(self, line: int) -> str | None:
        """Line ``line`` without the block's indent (``None`` past the end, or when the
        line is less indented than the block: it belongs to an outer block)."""
        state = self.state
        if line >= self.end or (state.sCount[line] < state.blkIndent and not self.blank(line)):
            return None
        return state.getLines(line, line + 1, state.blkIndent, False)

    def blank(self, line: int) -> bool:
        state = self.state
        return line >= self.end or state.bMarks[line] + state.tShift[line] >= state.eMarks[line]


def dash_columns(line: str) -> list[tuple[int, int]] | None:
    """The (start, dash length) of each dash group of a dash line, or ``None``."""
    if not DASH_GROUPS.match(line):
        return None
    return [(m.start(), len(m.group().rstrip())) for m in DASH_GROUP.finditer(line)]


def column_starts(groups: list[tuple[int, int]]) -> list[int]:
    """Where each column starts: at its dashes (its text may reach left of them)."""
    return [start for start, _ in groups]


def split_columns(line: str, starts: list[int]) -> list[str]:
    """The chunks of ``line`` under each column (the last one takes the rest of the line);
    text left of the first column is not in any, as in Pandoc."""
    bounds = [*starts[1:], None]
    return [line[start:end] for start, end in zip(starts, bounds, strict=True)]


def align_type(chunks: list[str], length: int) -> str | None:
    """A column's alignment from where its header text sits over its dashes (Pandoc's
    ``alignType``: the shortest non-empty line decides)."""
    texts = sorted((c.rstrip() for c in chunks if c.rstrip()), key=len)
    if not texts:
        return None
    left_space, right_space = texts[0][0] == " ", len(texts[0]) < length
    if left_space:
        return "center" if right_space else "right"
    return "left" if right_space else None


def widths_from_columns(starts: list[int], lengths: list[int]) -> list[int]:
    """Relative column widths in percent, as Pandoc's ``widthsFromIndices`` makes them."""
    ends = [*starts[1:], starts[-1] + lengths[-1]]
    spans = [starts[0], *(end - start for start, end in zip(starts, ends, strict=True))]
    if len(spans) > 2 and spans[-1] < spans[-2] and spans[-2] - spans[-1] <= 2:
        spans[-1] = spans[-2]  # (Pandoc: the spaces between columns count in the others)
    total = max(sum(spans), COLUMNS)
    return [max(1, 100 * span // total) for span in spans[1:]]


def is_footer(lines: Lines, line: int) -> bool:
    """A line of dash groups followed by a blank line (or the end): the table's end."""
    text = lines.text(line)
    return text is not None and DASH_GROUPS.match(text) is not None and lines.blank(line + 1)


def read_simple(lines: Lines, start: int) -> tuple[Table, int] | None:
    """A simple table at ``start`` (headless first, as Pandoc tries it), and its end line."""
    first = lines.text(start)
    if first is None:
        return None
    groups = dash_columns(first)
    if groups is not None:  # headless: dash line, rows, dash line
        header_line, rule_line = None, start
    else:
        second = lines.text(start + 1)
        groups = dash_columns(second) if second is not None else None
        if groups is None or len(groups) == 1:
            return None  # one dash group under a line: a setext heading, for Pandoc too
        header_line, rule_line = start, start + 1
    starts = column_starts(groups)
    rows: list[list[Cell]] = []
    line = rule_line + 1
    while not lines.blank(line) and not is_footer(lines, line):
        text = lines.text(line)
        if text is None:
            break
        rows.append([Cell(c.strip(), line) for c in split_columns(text, starts)])
        line += 1
    if not rows:
        return None
    footer = is_footer(lines, line)
    if header_line is None and not footer:
        return None
    end = line + 1 if footer else line
    aligned = split_columns(
        lines.text(header_line if header_line is not None else rule_line + 1) or "", starts
    )
    aligns = [
        align_type([chunk], length) for chunk, (_, length) in zip(aligned, groups, strict=True)
    ]
    header = None
    if header_line is not None:
        header = [Cell(c.strip(), header_line) for c in aligned]
    return Table("simple", header, rows, aligns), end


def read_multiline(lines: Lines, start: int) -> tuple[Table, int] | None:
    """A multiline table with a header at ``start``, and its end line."""
    return read_multiline_table(lines, start, headless=False)


def read_multiline_headless(lines: Lines, start: int) -> tuple[Table, int] | None:
    """A multiline table without a header at ``start``, and its end line."""
    return read_multiline_table(lines, start, headless=True)


def read_multiline_table(lines: Lines, start: int, headless: bool) -> tuple[Table, int] | None:
    """A multiline table: a full dash line and header lines (unless ``headless``), a line
    of dash groups, rows separated by blank lines, and a closing dash line."""
    first = lines.text(start)
    if first is None:
        return None
    header_lines: list[int] = []
    if headless:
        rule_line = start
    elif FULL_DASHES.match(first.rstrip("\n")) and not lines.blank(start + 1):
        line = start + 1
        while not lines.blank(line):
            text = lines.text(line)
            if text is None:
                return None
            if dash_columns(text) is not None:
                break
            header_lines.append(line)
            line += 1
        rule_line = line
    else:
        return None
    rule = lines.text(rule_line)
    groups = dash_columns(rule) if rule is not None else None
    if groups is None or lines.blank(rule_line + 1):
        return None
    starts = column_starts(groups)
    rows: list[list[Cell]] = []
    line = rule_line + 1
    while True:
        row_lines: list[int] = []
        while not lines.blank(line) and not is_footer(lines, line):
            if lines.text(line) is None:
                return None
            row_lines.append(line)
            line += 1
        if not row_lines:
            break
        rows.append(join_cells(lines, row_lines, starts))
        while lines.blank(line) and line < lines.end:
            line += 1
    if not rows or not is_footer(lines, line):
        return None
    aligned_lines = header_lines or [rule_line + 1]
    chunks = [split_columns(lines.text(n) or "", starts) for n in aligned_lines]
    aligns = [
        align_type([row[i] for row in chunks], length) for i, (_, length) in enumerate(groups)
    ]
    header = join_cells(lines, header_lines, starts) if header_lines else None
    # Pandoc counts one more column for the last dashes (its line's end)
    lengths = [length for _, length in groups]
    widths = widths_from_columns(starts, [*lengths[:-1], lengths[-1] + 1])
    return Table("multiline", header, rows, aligns, widths), line + 1


def join_cells(lines: Lines, row_lines: list[int], starts: list[int]) -> list[Cell]:
    """The cells of a row written on several lines: each column's lines joined."""
    columns = zip(*(split_columns(lines.text(n) or "", starts) for n in row_lines), strict=True)
    return [
        Cell("\n".join(t for c in column if (t := c.strip())), row_lines[0]) for column in columns
    ]


def read_grid(lines: Lines, start: int) -> tuple[Table, int] | None:
    """A grid table at ``start``, and its end line."""
    top = (lines.text(start) or "").rstrip("\n")
    if not GRID_BORDER["-"].match(top):
        return None
    parts = GRID_PART.findall(top)
    line = start + 1
    header: list[Cell] | None = None
    # a header: content lines, then a "+===+" border with as many columns
    head_lines: list[str] = []
    probe = line
    while (text := lines.text(probe)) is not None and text.startswith("|"):
        head_lines.append(text.rstrip("\n"))
        probe += 1
    under = (lines.text(probe) or "").rstrip("\n")
    if head_lines and GRID_BORDER["="].match(under):
        under_parts = GRID_PART.findall(under)
        if len(under_parts) == len(parts):
            parts = under_parts
            starts = grid_starts(parts)
            header = grid_cells(head_lines, starts, line)
            line = probe + 1
    starts = grid_starts(parts)
    aligns = [grid_align(left, right) for left, _, right in parts]
    rows: list[list[Cell]] = []
    while True:
        row_lines: list[str] = []
        first = line
        while (text := lines.text(line)) is not None and text.startswith("|"):
            row_lines.append(text.rstrip("\n"))
            line += 1
        if not row_lines:
            break
        rows.append(grid_cells(row_lines, starts, first))
        if not GRID_BORDER["-"].match((lines.text(line) or "").rstrip("\n")):
            break
        line += 1
    if not rows:
        return None
    lengths = [len(left) + len(dashes) + len(right) for left, dashes, right in parts]
    widths = widths_from_columns(starts, [n + 1 for n in lengths])
    return Table("grid", header, rows, aligns, widths, blocks=True), line


def grid_starts(parts: list[tuple[str, str, str]]) -> list[int]:
    """Where each column starts in a row line without its first ``|``."""
    starts, at = [], 0
    for left, dashes, right in parts:
        starts.append(at)
        at += len(left) + len(dashes) + len(right) + 1
    return starts


def grid_align(left: str, right: str) -> str | None:
    """A column's alignment from the colons at the ends of its border part."""
    return {(True, True): "center", (True, False): "left", (False, True): "right"}.get(
        (bool(left), bool(right))
    )


def grid_cells(row_lines: list[str], starts: list[int], line: int) -> list[Cell]:
    """The block text of each cell of a grid row (Pandoc's ``gridTableRow``)."""
    split = [
        [remove_final_bar(c) for c in split_columns(text[1:].rstrip(), starts)]
        for text in row_lines
    ]
    cells = []
    for column in zip(*split, strict=True):
        texts = list(column)
        if all(not t or t[0] == " " for t in texts):
            texts = [t[1:] for t in texts]
        cells.append(Cell("\n".join(texts) + "\n", line))
    return cells


def remove_final_bar(chunk: str) -> str:
    """A grid cell's chunk of a line without its right wall and the spaces before it."""
    return chunk.rstrip("|").rstrip(" \t")


# ---------------------------------------------------------------- tokens


def push_table(state: StateBlock, table: Table, start: int, end: int) -> None:
    """The tokens of ``table`` (those MyST's table rule emits), on source lines start–end."""
    opening = state.push("table_open", "table", 1)
    opening.map = [start, end]
    opening.meta = {"pandoc": table.kind, "widths": table.widths}
    opening.meta["source"] = state.getLines(start, end, state.blkIndent, False)
    if table.header is not None:
        state.push("thead_open", "thead", 1).map = [start, start + 1]
        push_row(state, table, table.header, "th")
        state.push("thead_close", "thead", -1)
    state.push("tbody_open", "tbody", 1).map = [start, end]
    for row in table.rows:
        push_row(state, table, row, "td")
    state.push("tbody_close", "tbody", -1)
    state.push("table_close", "table", -1)
    state.line = end


def push_row(state: StateBlock, table: Table, cells: list[Cell], tag: str) -> None:
    """A ``tr`` of ``th`` or ``td`` tokens, each holding an inline token or blocks."""
    row = state.push("tr_open", "tr", 1)
    row.map = [cells[0].line, cells[0].line + 1]
    for cell, align in zip(cells, table.aligns, strict=True):
        opening = state.push(f"{tag}_open", tag, 1)
        opening.map = [cell.line, cell.line + 1]
        if align is not None:
            opening.attrs["style"] = ALIGN_STYLE[align]
        if table.blocks:
            push_blocks(state, cell)
        else:
            inline = state.push("inline", "", 0)
            inline.content = cell.text
            inline.map = [cell.line, cell.line + 1]
            inline.children = []
        state.push(f"{tag}_close", tag, -1)
    state.push("tr_close", "tr", -1)


def push_blocks(state: StateBlock, cell: Cell) -> None:
    """The block tokens of a cell's text, parsed as a Markdown document of its own."""
    if not cell.text.strip():
        return
    parse_blocks(state, cell.text, cell.line)


#: The table kinds in the order Pandoc tries them (after pipe tables, markdown-it's own),
#: with the extension each needs.
READERS: tuple[tuple[str, Callable[[Lines, int], tuple[Table, int] | None]], ...] = (
    ("multiline_tables", read_multiline),
    ("simple_tables", read_simple),
    ("multiline_tables", read_multiline_headless),
    ("grid_tables", read_grid),
)


def read_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Pandoc's first table kind that reads the lines at ``start``, as table tokens."""
    # (no indent test here: a simple table's header line may be indented, as in Pandoc;
    # each reader's patterns say how far its dash lines and borders may be)
    lines = Lines(state, end)
    for extension, read in READERS:
        if not extension_enabled(state.md, extension):
            continue
        found = read(lines, start)
        if found is not None:
            if not silent:
                push_table(state, found[0], start, found[1])
            return True
    return False


def pandoc_tables(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """The block rule: a cheap test first (could a table start here? a first character
    ``-`` or ``+``, or a dash line next: it runs at every block start), then the readers
    (fail-soft as a whole, where it is registered)."""
    src, marks, ends = state.src, state.bMarks, state.eMarks
    first = marks[start] + state.tShift[start]
    if first >= ends[start] or src[first] not in "-+":
        if start + 1 >= end:
            return False
        second = marks[start + 1] + state.tShift[start + 1]
        if second >= ends[start + 1] or src[second] != "-":
            return False
    return read_table(state, start, end, silent)


# ---------------------------------------------------------------- rendering


def render_table(
    renderer: DocutilsRenderer, token: SyntaxTreeNode, myst_render: Callable[[Any], None]
) -> None:
    """A table from its tokens: MyST's own rendering where it can (a header row and
    inline cells), the same nodes built here where it cannot; then widths and title."""
    at = len(renderer.current_node)
    try:
        parts = {child.type: child for child in token.children or []}
        if "thead" in parts and token.meta.get("pandoc") != "grid":
            myst_render(token)
        else:
            renderer.current_node.append(build_table(renderer, token, parts))
        table = renderer.current_node[-1]
        assert isinstance(table, nodes.Element)  # the table just rendered
        set_widths(table, token.meta.get("widths"))
        caption = parts.get("table_caption")
        if caption is not None:
            title = nodes.title()
            renderer.add_line_and_source_path(title, caption)
            with renderer.current_node_context(title):
                renderer.render_children(caption)
            table.insert(0, title)
    except Exception as error:  # the table's text is kept, as it was written
        del renderer.current_node[at:]
        source = token.meta.get("source") or ""
        line = token.map[0] + 1 if token.map else None
        report(renderer.md, "render_table", error, line)
        block = nodes.literal_block(source, source)
        renderer.add_line_and_source_path(block, token)
        renderer.current_node.append(block)


def build_table(
    renderer: DocutilsRenderer, token: SyntaxTreeNode, parts: dict[str, SyntaxTreeNode]
) -> nodes.table:
    """The docutils table MyST builds, for a table without header or with block cells."""
    table = nodes.table(classes=["colwidths-auto"])
    renderer.copy_attributes(token, table, ("class", "id"))
    renderer.add_line_and_source_path(table, token)
    rows = [row for part in ("thead", "tbody") if part in parts for row in parts[part].children]
    columns = max(len(row.children or []) for row in rows)
    tgroup = nodes.tgroup(cols=columns)
    table += tgroup
    tgroup.extend(nodes.colspec(colwidth=100 // columns) for _ in range(columns))
    for part, node_class in (("thead", nodes.thead), ("tbody", nodes.tbody)):
        if part not in parts:
            continue
        group: nodes.Element = node_class()
        tgroup += group
        for row in parts[part].children or []:
            group += build_row(renderer, row)
    return table


def build_row(renderer: DocutilsRenderer, token: SyntaxTreeNode) -> nodes.row:
    """A row as MyST builds one: an entry per cell, its inline text in a paragraph (and
    here: its blocks, for a grid table's cells)."""
    row = nodes.row()
    for cell in token.children or []:
        entry = nodes.entry()
        style = cell.attrGet("style")
        if style in ALIGN_STYLE.values():
            entry["classes"].append(f"text-{str(style).split(':')[1]}")
        children = cell.children or []
        if len(children) == 1 and children[0].type == "inline":
            holder: nodes.Element = nodes.paragraph(children[0].content)
            entry += holder
        else:
            holder = entry
        with renderer.current_node_context(holder):
            renderer.render_children(cell)
        row += entry
    return row


def set_widths(table: nodes.Element, widths: list[int] | None) -> None:
    """Multiline and grid tables have the relative widths of their dashes."""
    if not widths or not isinstance(table, nodes.table):
        return
    colspecs = list(table.findall(nodes.colspec))
    if len(colspecs) != len(widths):
        return
    for colspec, width in zip(colspecs, widths, strict=True):
        colspec["colwidth"] = width
    table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"]
    table["classes"].append("colwidths-given")


def tables_plugin(md: MarkdownIt) -> None:
    """Pandoc's simple, multiline and grid tables, rendered as docutils tables."""
    # after markdown-it's pipe tables, which Pandoc tries first too
    md.block.ruler.after(
        "table",
        "pandoc_tables",
        # (a dash line or grid border here, or a dash line under a header: as the rule's
        # own first test)
        block_rule("pandoc_tables", pandoc_tables, first="-+", below="-"),
    )
    myst_render = md.renderer.rules.get("render_table") if hasattr(md.renderer, "rules") else None
    if myst_render is None:
        return

    def render(renderer: DocutilsRenderer, token: SyntaxTreeNode) -> None:
        render_table(renderer, token, myst_render)

    md.add_render_rule("render_table", render, fmt="docutils")
