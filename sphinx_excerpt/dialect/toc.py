"""``[TOC]``: a paragraph of only the marker is the page's contents list.

As in Python-Markdown's ``toc`` extension (which Pelican sites use beside Pandoc), unless
the page defines ``[TOC]`` as a link reference. The marker becomes the
``{excerpt-contents}`` directive (:mod:`sphinx_excerpt.layout`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.token import Token

from sphinx_excerpt.dialect.guard import core_rule

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

TOC_MARKER = "[TOC]"


def toc_markers(md: MarkdownIt) -> None:
    """The markdown-it plugin: a paragraph of only ``[TOC]`` is the contents list.

    As in Python-Markdown's ``toc`` extension, unless the page defines ``[TOC]`` as a link
    reference. The marker becomes the ``{excerpt-contents}`` directive.
    """
    md.core.ruler.push("excerpt_toc_marker", core_rule("excerpt_toc_marker", _toc_rule))


def _toc_rule(state: StateCore) -> None:
    if TOC_MARKER not in state.src or "TOC" in state.env.get("references", {}):
        return
    tokens = state.tokens
    for index in range(len(tokens) - 2, 0, -1):
        token = tokens[index]
        if (
            token.type == "inline"
            and token.content.strip(" \t") == TOC_MARKER
            and tokens[index - 1].type == "paragraph_open"
            and tokens[index + 1].type == "paragraph_close"
        ):
            fence = Token("fence", "code", 0)
            fence.info, fence.markup, fence.map = "{excerpt-contents}", "```", token.map
            fence.block, fence.level = True, tokens[index - 1].level
            tokens[index - 1 : index + 2] = [fence]
