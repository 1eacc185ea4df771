"""An HTML comment that is never closed, read as Pandoc reads it: as text.

CommonMark starts an HTML block at ``<!--`` and ends it at ``-->``; with no ``-->`` the
block runs to the end of the page, and every heading and paragraph after it becomes
part of one raw block. Pandoc reads an unclosed ``<!--`` as text and goes on reading
Markdown. This markdown-it rule does the same for excerpt pages, and warns at the
comment's line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.rules_block.paragraph import paragraph

from sphinx_excerpt.dialect.guard import BLOCK_ANCHOR, block_rule, warn
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

OPENER = "<!--"
CLOSER = "-->"


def unclosed_comment(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A paragraph for a line that opens a comment no later text closes."""
    at = state.bMarks[start] + state.tShift[start]
    if (
        not state.src.startswith(OPENER, at)
        or state.is_code_block(start)
        or CLOSER in state.src[at + len(OPENER) :]
    ):
        return False
    if silent:
        return True
    warn(
        state.md,
        Subtype.HTML,
        "unclosed HTML comment '<!--': shown as text, and the page goes on after it",
        start + 1,
    )
    return paragraph(state, start, end, silent)


def unclosed_comment_plugin(md: MarkdownIt) -> None:
    """Read an unclosed ``<!--`` as the text of a paragraph.

    Before markdown-it's ``html_block``, beside the dialect's other block rules (see
    :data:`~sphinx_excerpt.dialect.guard.BLOCK_ANCHOR`)."""
    md.block.ruler.before(
        BLOCK_ANCHOR,
        "unclosed_comment",
        block_rule("unclosed_comment", unclosed_comment, "<"),
    )
