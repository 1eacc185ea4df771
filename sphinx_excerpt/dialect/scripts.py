"""Pandoc's ``^superscript^``, ``~subscript~`` and ``~~strikeout~~``.

Superscripts and subscripts are docutils' own nodes. Strikeout has none: it is an
inline element of class ``strike`` (crossed out by the extension's CSS and LaTeX
package), so every builder shows its words, not only HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from sphinx_excerpt.dialect.guard import inline_rule

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

#: markdown-it rule names and the docutils node each one's text goes into.
ELEMENTS: dict[str, tuple[type[nodes.TextElement], list[str]]] = {
    "sup": (nodes.superscript, []),
    "sub": (nodes.subscript, []),
    "s": (nodes.inline, ["strike"]),
}


def render_element(self: Any, token: SyntaxTreeNode) -> None:
    """A superscript, subscript or struck-out span holding the token's children."""
    cls, classes = ELEMENTS[token.type]
    node = cls(classes=list(classes))
    self.add_line_and_source_path(node, token)
    with self.current_node_context(node, append=True):
        self.render_children(token)


def guard_rule(md: MarkdownIt, name: str, starts: str) -> None:
    """Wrap the inline rule ``name`` (added by a plugin) so that it fails soft."""
    for rule in md.inline.ruler.__rules__:
        if rule.name == name:
            md.inline.ruler.at(name, inline_rule(name, rule.fn, starts))
            return


def scripts_plugin(md: MarkdownIt) -> None:
    """Superscript, subscript and strikeout, rendered as nodes."""
    md.use(superscript_plugin).use(sub_plugin).enable("strikethrough")
    guard_rule(md, "sup", "^")
    guard_rule(md, "sub", "~")
    for name in ELEMENTS:
        md.add_render_rule(f"render_{name}", render_element, fmt="docutils")
