"""Pandoc's TeX math: ``$…$`` inline, ``$$…$$`` display (MathJax in HTML, math in LaTeX).

mdit-py-plugins' dollarmath with Pandoc's rules: the opening ``$`` is followed and the
closing one preceded by a non-space, and the closing one is not followed by a digit
(so "$20 and $30" stays text); ``$$…$$`` may stand inside a paragraph. A ``$$`` block
is read before paragraphs, so a lone ``=`` line inside it is not a setext heading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdit_py_plugins.dollarmath import dollarmath_plugin

from sphinx_excerpt.dialect.guard import BLOCK_ANCHOR, block_rule, inline_rule

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def math_plugin(md: MarkdownIt) -> None:
    """Dollar math, unless the project's own MyST configuration already has it."""
    if "math_inline" in md.inline.ruler.get_all_rules():
        return
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    for rule in md.inline.ruler.__rules__:
        if rule.name == "math_inline":
            md.inline.ruler.at(rule.name, inline_rule(rule.name, rule.fn, "$"))
    for block in md.block.ruler.__rules__:
        if block.name == "math_block":
            # moved from before the fences to beside the dialect's other block rules
            # (BLOCK_ANCHOR: it rejects a line indented as code, starts with "$")
            md.block.ruler.disable(block.name)
            md.block.ruler.before(
                BLOCK_ANCHOR,
                "pandoc_math_block",
                block_rule(block.name, block.fn, first="$"),
                {"alt": block.alt},
            )
            break
