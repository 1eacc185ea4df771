"""Pandoc's attributes, ``{#id .class key=val}``, and its heading identifiers.

Attributes are read with Pandoc's grammar: on headings (``# Heading {#mac}``, before
inline parsing, so they never show as text), and after images, links, spans and code
where MyST's ``attrs_inline`` cannot read them (a bare value such as ``width=50%``).

Pandoc gives every heading an identifier: the one written in its attributes, or one
made from its text (:func:`auto_identifier`), made unique on the page with ``-1``,
``-2``… Links such as ``[see](#tldr)`` use them. The section keeps the identifier
Sphinx gives it too, so Sphinx's own links still work; Pandoc's is added beside.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from sphinx_excerpt.dialect.guard import core_rule, inline_rule, token_indices
from sphinx_excerpt.domain import handed_on

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

#: ``{…}`` at the end of a heading's text, after a space.
TRAILING_ATTRS = re.compile(r"(?:^|\s+)(\{[^{}\n]*\})\s*$")
#: One item of a Pandoc attribute block.
ATTRIBUTE = re.compile(
    r"""[ \t\n]*(?:\#(?P<id>[\w:.-]+)|\.(?P<cls>[\w:.-]+)|(?P<dash>-)(?=[ \t\n}])"""
    r"""|(?P<key>[\w:.-]+)=(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+)))"""
)
#: Inline tokens that attributes may follow, as in MyST's ``attrs_inline``.
ATTRIBUTES_AFTER = frozenset({"image", "code_inline", "link_close", "span_close"})
#: Attributes whose value is a URL: kept only when markdown-it accepts the link.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href"})


def pandoc_attributes(text: str, start: int = 0) -> tuple[int, dict[str, str]] | None:
    """Pandoc's ``{…}`` at ``text[start]``: where it ends and its attributes, or None."""
    if text[start : start + 1] != "{":
        return None
    pos, attrs = start + 1, {}
    classes: list[str] = []
    while True:
        match = ATTRIBUTE.match(text, pos)
        if match is None:
            rest = re.compile(r"[ \t\n]*\}").match(text, pos)
            if rest is None:
                return None
            if classes:
                attrs["class"] = " ".join(classes)
            return rest.end(), attrs
        pos = match.end()
        if match["id"]:
            attrs["id"] = match["id"]
        elif match["cls"]:
            classes.append(match["cls"])
        elif match["dash"]:
            classes.append("unnumbered")
        else:
            value = match["dq"] if match["dq"] is not None else match["sq"] or match["bare"]
            if match["key"] == "class":
                classes += value.split()
            else:
                attrs[match["key"]] = re.sub(r"\\(.)", r"\1", value or "")


def heading_attributes(state: StateCore) -> None:
    """Move ``{#id .class}`` at the end of each heading into the heading's attributes."""
    tokens = state.tokens
    for index in token_indices(tokens, "heading_open"):
        token = tokens[index]
        if index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        content = inline.content
        if not content.rstrip().endswith("}"):
            continue
        # from the blanks before the last "{": a search from the start would try every
        # blank of the heading
        start = content.rfind("{")
        while start > 0 and content[start - 1].isspace():
            start -= 1
        match = TRAILING_ATTRS.match(content, start)
        if match is None:
            continue
        parsed = pandoc_attributes(match.group(1))
        if parsed is None or parsed[0] != len(match.group(1)):
            continue  # not attributes: Pandoc keeps the braces as text too
        attrs = parsed[1]
        inline.content = inline.content[: match.start()]
        for key, value in attrs.items():
            if key == "id":
                token.attrSet("id", value)  # MyST's: an explicit target, the section's id
            elif key == "class":
                classes = [c for c in value.split() if c not in ("unnumbered", "unlisted")]
                if classes:
                    token.attrJoin("class", " ".join(classes))
            # other key=value pairs are data-* attributes in Pandoc's HTML: nothing to show


def inline_attributes(state: StateInline, silent: bool) -> bool:
    """``{…}`` right after an image, link, span or code that MyST could not read."""
    if state.src[state.pos] != "{":
        return False
    if state.pending or not state.tokens or state.tokens[-1].type not in ATTRIBUTES_AFTER:
        return False
    parsed = pandoc_attributes(state.src, state.pos)
    if parsed is None or parsed[0] > state.posMax:
        return False
    opening = opening_token(state.tokens)
    if opening is None:
        return False
    state.pos = parsed[0]
    if not silent:
        for key, value in parsed[1].items():
            if key.lower().startswith("on"):
                continue  # event handlers never pass
            if key.lower() in URL_ATTRIBUTES and not state.md.validateLink(value):
                continue
            if key == "class":
                opening.attrJoin("class", value)
            else:
                opening.attrSet(key, value)
    return True


def opening_token(tokens: list[Token]) -> Token | None:
    """The token that opens the element the last token closes (or the last token)."""
    last = tokens[-1]
    if last.nesting != -1:
        return last
    depth = 0
    for token in reversed(tokens):
        depth += token.nesting
        if depth == 0:
            return token
    return None


#: What an identifier leaves out: ``\w`` is what ``str.isalnum`` keeps and ``_``, ``\s``
#: what ``str.isspace`` calls space (one substitution, not three calls a character).
NOT_IN_IDENTIFIER = re.compile(r"[^\w\s.\-]")


def auto_identifier(text: str) -> str:
    """Pandoc's identifier for a heading whose plain text is ``text``.

    Lower case; only letters, digits, ``_``, ``-`` and ``.`` kept; runs of spaces
    become one hyphen; everything before the first letter dropped; ``section`` if
    nothing is left ("tl;dr" → ``tldr``, "2. A Plan" → ``a-plan``).
    """
    kept = NOT_IN_IDENTIFIER.sub("", text.lower())
    ident = "-".join(kept.split())
    for position, char in enumerate(ident):
        if char.isalpha():
            return ident[position:]
    return "section"


class PageIdentifiers:
    """Pandoc's identifiers for one page's headings, as MyST's heading slug function.

    The page's title heading, written back from its Pelican header, is the first
    heading MyST renders; Pandoc never sees it, so it gets no identifier here either
    and a body heading with the title's words keeps Pandoc's plain identifier.
    """

    def __init__(self, md: MarkdownIt) -> None:
        self.md = md
        self.page: object = None  # the document of the headings seen last (a parser
        # is kept for the pages of a build)

    def __call__(self, text: str) -> str:
        try:  # (markdown-it's mapping: ``get`` is two calls, ``[]`` one)
            document = self.md.options["document"]
        except KeyError:  # a parse of no page's
            document = None
        if document is not self.page:  # the page's first heading
            self.page = document
            if self.has_title():
                return ""  # MyST: no anchor, and no part in making the others unique
        return auto_identifier(text)

    def has_title(self) -> bool:
        document = self.md.options.get("document")
        env = getattr(getattr(document, "settings", None), "env", None)
        page = handed_on(env) if env is not None else None
        header = page.header if page is not None else None
        return bool(getattr(header, "title_line", 0))


def attributes_plugin(md: MarkdownIt) -> None:
    """Pandoc's attributes on headings and inline elements, and its heading identifiers.

    The identifiers are MyST's heading anchors (``heading_anchors``), made with Pandoc's
    algorithm for the page's headings of every level: MyST adds each as a second id of
    its section and resolves ``#id`` and ``other.md#id`` links to it, here and from
    other pages, without a project-wide label (two pages may both have "Notes").
    """
    config = md.options["myst_config"]
    md.options["myst_config"] = dataclasses.replace(
        config, heading_anchors=6, heading_slug_func=PageIdentifiers(md)
    )
    md.core.ruler.before(
        "inline", "excerpt_heading_attrs", core_rule("excerpt_heading_attrs", heading_attributes)
    )
    md.inline.ruler.push(
        "excerpt_attrs", inline_rule("excerpt_attrs", inline_attributes, "{", sets_attributes=True)
    )
