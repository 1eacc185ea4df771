"""Pandoc's fenced divs: ``::: {.well}`` … ``:::`` (or ``::: warning``) around blocks.

An opening fence is three or more colons, then attributes in braces (``{#id .class}``)
or one bare word (a class), optionally more colons; a closing fence is a line of three
or more colons. Divs nest; a div with no closing fence is no div (its lines are read as
text, as Pandoc reads them). MyST's ``colon_fence`` (``:::{note}``, a directive name in
braces) is left alone: ``{note}`` is not Pandoc attribute syntax.

The div becomes the node a ``<div>`` with the same classes becomes
(:data:`sphinx_excerpt.nodes.DIV_NODES`: ``.well`` is the citation well), otherwise a
``container`` with the classes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from mdit_py_plugins.attrs.parse import ParseError, parse

from sphinx_excerpt.dialect.guard import BLOCK_ANCHOR, block_rule
from sphinx_excerpt.nodes import DIV_NODES

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.tree import SyntaxTreeNode
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

OPENING = re.compile(r"^:{3,}[ \t]*(?:(\{.*\})|([^\s{:][^\s]*))[ \t]*:*[ \t]*$")
CLOSING = re.compile(r"^:{3,}[ \t]*$")
CODE_FENCE = re.compile(r"^(`{3,}|~{3,})")


def line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def fence_attributes(text: str) -> dict[str, str] | None:
    """The attributes of an opening fence, or ``None`` when the line is none."""
    match = OPENING.match(text)
    if match is None:
        return None
    braced, word = match.groups()
    if word is not None:
        return {"class": word}
    if not re.match(r"\{\s*[.#]|\{\s*[\w-]+=", braced):
        return None  # "{note}": MyST's directive syntax, no Pandoc attributes
    try:
        end, attrs = parse(braced)
    except ParseError:
        return None
    return attrs if end == len(braced) - 1 else None  # (the index of the closing brace)


def closing_line(state: StateBlock, start: int, end: int) -> int | None:
    """The line of the fence closing the div opened at ``start`` (nested divs and code
    fences inside are skipped), or ``None`` when it is never closed."""
    depth, code = 1, None
    for line in range(start + 1, end):
        if state.sCount[line] < state.blkIndent:
            return None
        text = line_text(state, line)
        if code is not None:
            if text.startswith(code):
                code = None
            continue
        if (fence := CODE_FENCE.match(text)) is not None:
            code = fence.group(1)
        elif CLOSING.match(text):
            depth -= 1
            if depth == 0:
                return line
        elif fence_attributes(text) is not None:
            depth += 1
    return None


def fenced_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if (
        not state.src.startswith(":::", state.bMarks[start] + state.tShift[start])
        or state.sCount[start] != state.blkIndent
    ):
        return False
    attrs = fence_attributes(line_text(state, start))
    if attrs is None:
        return False
    close = closing_line(state, start, end)
    if close is None:
        return False
    if silent:
        return True
    opening = state.push("pandoc_div_open", "div", 1)
    opening.map = [start, close + 1]
    opening.attrs.update(attrs)
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "pandoc_div", close
    state.md.block.tokenize(state, start + 1, close)
    state.parentType, state.lineMax = old_parent, old_max
    state.push("pandoc_div_close", "div", -1)
    state.line = close + 1
    return True


def div_node(classes: list[str]) -> nodes.Element:
    """The node of a div with these classes (as :class:`sphinx_excerpt.html.Converter`
    makes it for ``<div>``)."""
    node_class = next((DIV_NODES[c] for c in classes if c in DIV_NODES), nodes.container)
    return node_class()


def render_div(renderer: DocutilsRenderer, token: SyntaxTreeNode) -> None:
    node = div_node(str(token.attrs.get("class", "")).split())
    renderer.copy_attributes(token, node, ("class", "id"))
    renderer.add_line_and_source_path(node, token)
    with renderer.current_node_context(node, append=True):
        renderer.render_children(token)


def fenced_divs_plugin(md: MarkdownIt) -> None:
    """Pandoc's fenced divs, read before MyST's colon fences (when the project has them)."""
    md.block.ruler.before(
        BLOCK_ANCHOR, "pandoc_fenced_div", block_rule("fenced_div", fenced_div, first=":")
    )
    md.add_render_rule("render_pandoc_div", render_div, fmt="docutils")
