"""Pandoc's line blocks: lines starting with ``| `` keep their line breaks and indentation.

::

    | The first line
    |     an indented line, *Markdown* inside
    | a long line wrapped onto
      a continuation line (it starts with a space)
    |
    | a line after an empty one

Each line is Markdown inline text; leading spaces are kept as no-break spaces, as
Pandoc keeps them. The tokens (``line_block_open``, ``line_block_line_open``, ``inline``
…) render as docutils ``line_block`` and ``line`` nodes, which every builder shows line
by line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_excerpt.dialect.guard import block_rule

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.tree import SyntaxTreeNode
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

#: ``|`` then a space (the line's text follows) or the end of the line (an empty line).
LINE_START = re.compile(r"\|(?: |$)")
NBSP = "\u00a0"


def line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def starts_line(state: StateBlock, line: int, end: int) -> bool:
    """A ``| `` line at the block's own indent."""
    return (
        line < end
        and state.src.startswith("|", state.bMarks[line] + state.tShift[line])
        and state.sCount[line] == state.blkIndent
        and LINE_START.match(line_text(state, line)) is not None
    )


def read_lines(state: StateBlock, start: int, end: int) -> tuple[list[tuple[str, int]], int]:
    """The block's lines (text with its leading spaces as no-break spaces, source line)
    and the line after the block."""
    found: list[tuple[str, int]] = []
    line = start
    while starts_line(state, line, end):
        text = line_text(state, line)[2:]
        first = line
        line += 1
        # a continuation line starts with a space (and is no new "| " line)
        while (
            line < end
            and state.sCount[line] > state.blkIndent
            and state.bMarks[line] + state.tShift[line] < state.eMarks[line]
        ):
            text += " " + line_text(state, line).strip()
            line += 1
        stripped = text.lstrip(" ")
        found.append((NBSP * (len(text) - len(stripped)) + stripped.rstrip(), first))
    return found, line


def line_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    # the first character first: the rule runs at every block start
    if not state.src.startswith("|", state.bMarks[start] + state.tShift[start]) or not (
        starts_line(state, start, end)
    ):
        return False
    if silent:
        return True
    found, after = read_lines(state, start, end)
    opening = state.push("line_block_open", "div", 1)
    opening.map = [start, after]
    for text, line in found:
        state.push("line_block_line_open", "div", 1).map = [line, line + 1]
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = text, [line, line + 1], []
        state.push("line_block_line_close", "div", -1)
    state.push("line_block_close", "div", -1)
    state.line = after
    return True


def render_line_block(renderer: DocutilsRenderer, token: SyntaxTreeNode) -> None:
    block = nodes.line_block()
    renderer.add_line_and_source_path(block, token)
    with renderer.current_node_context(block, append=True):
        renderer.render_children(token)


def render_line(renderer: DocutilsRenderer, token: SyntaxTreeNode) -> None:
    line = nodes.line()
    renderer.add_line_and_source_path(line, token)
    with renderer.current_node_context(line, append=True):
        renderer.render_children(token)


def line_blocks_plugin(md: MarkdownIt) -> None:
    """Pandoc's line blocks (after every table rule: ``| a | b |`` rows are a table's)."""
    md.block.ruler.before(
        "code", "pandoc_line_block", block_rule("line_block", line_block, first="|")
    )
    md.add_render_rule("render_line_block", render_line_block, fmt="docutils")
    md.add_render_rule("render_line_block_line", render_line, fmt="docutils")
