"""Markdown inside HTML blocks, as Pandoc reads it (its ``markdown_in_html_blocks``).

CommonMark keeps everything from ``<div class="x">`` to the next blank line as raw
HTML, so ``![a](b.png)`` or ``*emphasis*`` on the lines after the tag stay as text.
Pandoc reads only the block-level tags as HTML and the text between them as Markdown.
This rule does the same: each block-level tag becomes an ``html_block`` token of its
own (MyST keeps it as a raw node, which :mod:`sphinx_excerpt.html` joins back into
the element it opens or closes; tags with nothing but blanks between them share one),
and the text between tags is parsed as Markdown.

With ``-markdown_in_html_blocks`` in ``excerpt_pandoc_extensions``, Pandoc still reads
Markdown inside ``<div>`` (its ``native_divs`` extension), and only there; with
``-markdown_in_html_blocks-native_divs`` HTML blocks are CommonMark's, kept whole (and
converted by :mod:`sphinx_excerpt.html`).
Blocks holding verbatim elements (``<pre>``, ``<script>``, ``<style>``,
``<textarea>``) or comments are left to CommonMark's rule too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx_excerpt.dialect.extensions import extension_enabled
from sphinx_excerpt.dialect.guard import BLOCK_ANCHOR, block_rule, parse_blocks

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

#: The HTML elements whose content is read as Markdown blocks: Pandoc reads the content
#: of every block-level element so; here it is read for the containers of blocks, and
#: elements of inline content (``<p>``, ``<h2>``, ``<td>``…) stay whole HTML, which
#: :mod:`sphinx_excerpt.html` converts, inline tags and all, as before.
BLOCK_TAGS = frozenset(
    """address article aside blockquote center details dialog div fieldset figure footer
    header main nav section""".split()
)
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
#: One block-level tag, opening or closing.
TAG = re.compile(
    rf"<(/?)([A-Za-z][A-Za-z0-9]*)((?:{_ATTRIBUTE})*)\s*/?>",
)
#: The tag a line must start with for the rule to read it.
LINE_START = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?=[\s/>]|$)")
#: What CommonMark's rule keeps whole: verbatim elements and comments.
VERBATIM = re.compile(r"<(?:pre|script|style|textarea)\b|<!--", re.IGNORECASE)


def block_end(state: StateBlock, start: int, end: int) -> int:
    """The line after the HTML block starting at ``start`` (its first blank line)."""
    line = start + 1
    while line < end and state.sCount[line] >= state.blkIndent and not state.isEmpty(line):
        line += 1
    return line


def html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    first = state.bMarks[start] + state.tShift[start]
    # (a slice, not ``startswith``: tried at every line of a paragraph, as it may end one)
    if state.src[first : first + 1] != "<" or state.sCount[start] - state.blkIndent >= 4:
        return False
    match = LINE_START.match(state.src, first, state.eMarks[start])
    if match is None:
        return False
    containers = markdown_containers(state.md)
    if match.group(1).lower() not in containers:
        return False
    after = block_end(state, start, end)
    text = state.getLines(start, after, state.blkIndent, True)
    if VERBATIM.search(text):
        return False
    if silent:
        return True
    push_pieces(state, text, start, containers)
    state.line = after
    return True


def markdown_containers(md: MarkdownIt) -> frozenset[str]:
    """The elements whose content is Markdown, as the project's extensions say."""
    if extension_enabled(md, "markdown_in_html_blocks"):
        return BLOCK_TAGS
    return DIVS if extension_enabled(md, "native_divs") else frozenset()


DIVS = frozenset({"div"})


def push_pieces(state: StateBlock, text: str, start: int, containers: frozenset[str]) -> None:
    """The block's tags as ``html_block`` tokens, the text between them as Markdown.

    Tags with only blanks between them make one token (``<div><div>``: one raw node
    for the converter to read, not one per tag)."""
    at = 0
    line = start  # the line of ``at``: counted on from the last piece, not from the start
    token, opened = None, 0  # the last tag token, while only blanks follow it; its start
    for tag in TAG.finditer(text):
        # (each of the match's parts in one call: this runs for every tag of every block)
        written, name = tag.group(0, 2)
        if name.lower() not in containers:
            continue
        begin, stop = tag.span()
        between = text[at:begin]
        if token is not None and (not between or between.isspace()):
            line += text.count("\n", at, stop)
            assert token.map is not None  # set when it was pushed
            token.content, token.map = text[opened:stop] + "\n", [token.map[0], line + 1]
            at = stop
            continue
        push_markdown(state, between, line)
        line += between.count("\n")
        token = state.push("html_block", "", 0)
        token.content, token.map = written + "\n", [line, line + 1]
        opened, at = begin, stop
        line += written.count("\n")
    push_markdown(state, text[at:], line)


def push_markdown(state: StateBlock, text: str, line: int) -> None:
    """Tokens of Markdown text between tags. As in Pandoc, text on its tag's line starts
    the block there, and text from the next line on loses that line's indent (so an
    indented ``<div>`` body is no code block)."""
    if not text.strip():
        return
    if text.startswith("\n"):
        text, line = text[1:], line + 1
        rows = text.split("\n")
        indent = len(rows[0]) - len(rows[0].lstrip(" "))
        text = "\n".join(row[indent:] if row[:indent].isspace() else row for row in rows)
    else:
        text = text.lstrip(" \t")
    parse_blocks(state, text, line)


def html_blocks_plugin(md: MarkdownIt) -> None:
    """Markdown between the block-level tags of an HTML block.

    Before markdown-it's ``html_block``, beside the dialect's other block rules (see
    :data:`~sphinx_excerpt.dialect.guard.BLOCK_ANCHOR`)."""
    md.block.ruler.before(
        BLOCK_ANCHOR,
        "pandoc_html_block",
        block_rule("html_block", html_block, first="<"),
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
