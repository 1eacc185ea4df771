"""Pandoc's heading attributes, ``# Heading {#id .class key=val}``, and its identifiers.

Pandoc gives every heading an identifier: the one written in its attributes, or one
made from its text (:func:`auto_identifier`), made unique on the page with ``-1``,
``-2``… Links such as ``[see](#tldr)`` use them. The section keeps the identifier
Sphinx and MyST give it too, so their own links still work; Pandoc's is added beside.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mdit_py_plugins.attrs.parse import ParseError, parse

from sphinx_excerpt.dialect.guard import core_rule, report

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.tree import SyntaxTreeNode

#: ``{…}`` at the end of a heading's text, after a space.
TRAILING_ATTRS = re.compile(r"(?:^|\s+)(\{[^{}\n]*\})\s*$")
#: Inline tokens whose text Pandoc keeps in an identifier (notes are left out).
TEXT_TOKENS = frozenset({"text", "code_inline", "math_inline", "math_single"})


def heading_attributes(state: StateCore) -> None:
    """Move ``{#id .class}`` at the end of each heading into the heading's attributes."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        match = TRAILING_ATTRS.search(inline.content)
        if match is None:
            continue
        try:
            _, attrs = parse(match.group(1))
        except ParseError:
            continue  # not attributes: Pandoc keeps the braces as text too
        inline.content = inline.content[: match.start()]
        for key, value in attrs.items():
            if key == "id":
                token.meta["pandoc_id"] = value
            elif key == "class":
                classes = [c for c in value.split() if c not in ("unnumbered", "unlisted")]
                if classes:
                    token.attrJoin("class", " ".join(classes))
            # other key=value pairs are data-* attributes in Pandoc's HTML: nothing to show


def auto_identifier(text: str) -> str:
    """Pandoc's identifier for a heading whose plain text is ``text``.

    Lower case; only letters, digits, ``_``, ``-`` and ``.`` kept; runs of spaces
    become one hyphen; everything before the first letter dropped; ``section`` if
    nothing is left ("tl;dr" → ``tldr``, "2. A Plan" → ``a-plan``).
    """
    kept = "".join(c for c in text.lower() if c.isalnum() or c in "_-." or c.isspace())
    ident = "-".join(kept.split())
    for position, char in enumerate(ident):
        if char.isalpha():
            return ident[position:]
    return "section"


def plain_text(token: SyntaxTreeNode) -> str:
    """The text of a heading's inline children as Pandoc's ``stringify`` sees it."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in TEXT_TOKENS:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type != "footnote_ref":  # emphasis, links, an image's alt text
            parts.append(plain_text(child))
    return "".join(parts)


def unique(ident: str, used: set[str]) -> str:
    """``ident``, or ``ident-1``, ``ident-2``… when the page already has it."""
    candidate, n = ident, 0
    while candidate in used:
        n += 1
        candidate = f"{ident}-{n}"
    used.add(candidate)
    return candidate


def add_pandoc_identifier(renderer: Any, token: SyntaxTreeNode, before: Any) -> None:
    """Give the section (or rubric) just rendered for ``token`` Pandoc's identifier too."""
    node = renderer.current_node
    if node is before:  # a heading inside a block: MyST made a rubric, the last child
        node = before.children[-1] if before.children else None
    if node is None:
        return
    used: set[str] = renderer.md_env.setdefault("excerpt_pandoc_ids", set())
    ident = token.meta.get("pandoc_id") or unique(auto_identifier(plain_text(token)), used)
    used.add(ident)
    document = renderer.document
    if ident in node["ids"] or ident in document.ids:
        return
    node["ids"].append(ident)
    document.ids[ident] = node


def attributes_plugin(md: MarkdownIt) -> None:
    """Heading attributes (before inline parsing) and Pandoc identifiers on headings."""
    md.core.ruler.before(
        "inline", "excerpt_heading_attrs", core_rule("excerpt_heading_attrs", heading_attributes)
    )
    render_heading = md.renderer.rules.get("render_heading")  # type: ignore[attr-defined]
    if render_heading is None:
        return

    def render(self: Any, token: SyntaxTreeNode) -> None:
        before = self.current_node
        render_heading(token)
        try:
            add_pandoc_identifier(self, token, before)
        except Exception as error:  # fail-soft: the heading stays as MyST made it
            report(md, "excerpt_heading_ids", error, token.map[0] + 1 if token.map else None)

    md.add_render_rule("render_heading", render, fmt="docutils")
