"""Pandoc's table captions: a ``Table: caption`` (or ``: caption``) paragraph before or
after a table becomes the table's title.

A core rule, after the block parse: the caption paragraph's tokens move into the table
as ``table_caption_open``/``inline``/``table_caption_close``, after its body (where
MyST's own table renderer does not look); :func:`.tables.render_table` renders them as
the docutils table's ``title``. As in Pandoc, a caption before the table wins over one
after it, and each caption belongs to one table.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it.token import Token

from sphinx_excerpt.dialect.extensions import extension_enabled
from sphinx_excerpt.dialect.guard import block_rule, core_rule, token_indices

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore

#: ``Table:``, ``table:`` or a ``:`` not followed by punctuation (Pandoc's ``tableCaption``).
CAPTION = re.compile(r"^(?:[Tt]able:|:(?![!-/:-@\[-`{-~]))[ \t]*")


def caption_text(paragraph: list[Token]) -> str | None:
    """The caption's text if the three tokens are a caption paragraph."""
    if (
        len(paragraph) != 3
        or paragraph[0].type != "paragraph_open"
        or paragraph[1].type != "inline"
        or paragraph[2].type != "paragraph_close"
    ):
        return None
    match = CAPTION.match(paragraph[1].content)
    if match is None or not paragraph[1].content[match.end() :].strip():
        return None
    return paragraph[1].content[match.end() :].strip()


def caption_tokens(paragraph: list[Token], text: str, level: int) -> list[Token]:
    opening = Token("table_caption_open", "caption", 1, map=paragraph[0].map, level=level + 1)
    inline = paragraph[1]
    inline.content, inline.level = text, level + 2
    closing = Token("table_caption_close", "caption", -1, level=level + 1)
    return [opening, inline, closing]


def table_captions(state: StateCore) -> None:
    """Move each table's caption paragraph into the table."""
    tokens = state.tokens
    # the tables' places: the tokens between them are copied by slices, not one by one
    # (this runs on every page)
    opens = token_indices(tokens, "table_open")
    if not opens:
        return
    if not extension_enabled(state.md, "table_captions"):
        return  # (the switch of extensions comes too late for the core rules' own run)
    out: list[Token] = []
    index = 0
    for start in opens:
        if start < index:
            continue  # a table inside a table already moved
        out += tokens[index:start]
        index = start
        token = tokens[index]
        close = index + 1
        while tokens[close].type != "table_close" or tokens[close].level != token.level:
            close += 1
        table = tokens[index : close + 1]
        before = out[-3:] if len(out) >= 3 else []
        after = tokens[close + 1 : close + 4]
        caption: list[Token] = []
        if (text := caption_text(before)) is not None and before[0].level == token.level:
            del out[-3:]
            caption = caption_tokens(before, text, token.level)
            index = close + 1
        elif (text := caption_text(after)) is not None and after[0].level == token.level:
            caption = caption_tokens(after, text, token.level)
            index = close + 4
        else:
            index = close + 1
        out.extend([*table[:-1], *caption, table[-1]])
    out += tokens[index:]
    state.tokens[:] = out


def caption_ends_pipe_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A ``Table:`` line right under a pipe table's last row ends the table (markdown-it
    ends tables at the block starts that may end a block quote: this is one of them)."""
    if not silent or start == 0:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    above = state.src[state.bMarks[start - 1] : state.eMarks[start - 1]]
    return CAPTION.match(line) is not None and "|" in above and state.parentType != "blockquote"


def table_captions_plugin(md: MarkdownIt) -> None:
    """Pandoc's ``Table:`` captions of any table kind."""
    md.core.ruler.after(
        "block", "pandoc_table_captions", core_rule("table_captions", table_captions)
    )
    md.block.ruler.after(
        "table",
        "pandoc_caption_line",
        block_rule("caption_ends_pipe_table", caption_ends_pipe_table, first="Tt:"),
        {"alt": ["blockquote"]},
    )
