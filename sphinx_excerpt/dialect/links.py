"""Links and images as Pandoc and Pelican write them.

- Reference definitions with attributes, ``[2]: /x.png "Title" {.img-thumbnail}``:
  CommonMark has no such definition (the line would be printed as text). The
  definition is read like any other; a link or image that uses it gets its attributes.
  A label defined twice is the last definition's, as in Pandoc.
- Pelican's prefixes ``{static}``, ``{attach}``, ``{filename}`` and ``|filename|`` on
  link and image targets: the prefix goes, the path stays. An image path is then a
  file under the source folder; a link to a page (``{filename}other.md``) is MyST's
  link to that document, so it resolves to the page's built URL in every builder.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.rules_inline import image, link

from sphinx_excerpt.dialect.attributes import pandoc_attributes
from sphinx_excerpt.dialect.guard import BLOCK_ANCHOR, block_rule, core_rule, inline_rule

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

ENV_KEY = "excerpt_reference_attrs"
#: Definitions with attributes as read: label → {line: attributes}.
ENV_DEFINITIONS = "excerpt_reference_definitions"
#: ``[label]: destination "title" {attributes}`` on one line.
DEFINITION = re.compile(
    r"\[(?P<label>(?:[^\[\]\\]|\\.)+)\]:[ \t]*(?P<dest><[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?P<title>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?"
    r"[ \t]+(?P<attrs>\{[^{}\n]*\})[ \t]*$"
)
#: The label of a full or collapsed reference at the end of a link's source: ``][2]``.
FULL_REFERENCE = re.compile(r"\]\s*\[((?:[^\[\]\\]|\\.)*)\]$")
#: Pelican's link prefixes, as written or as markdown-it percent-encodes them.
PELICAN_PREFIX = re.compile(
    r"^(?:\{|%7B|\||%7C)(?:static|attach|filename)(?:\}|%7D|\||%7C)", re.IGNORECASE
)
#: What a text needs for a target of it to have a prefix: the word, or ``&`` (``&#115;``).
PELICAN_WORDS = ("static", "attach", "filename", "&")


def reference_with_attributes(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A one-line reference definition that ends with ``{attributes}``."""
    begin = state.bMarks[start] + state.tShift[start]
    if state.src[begin : begin + 1] != "[" or state.is_code_block(start):
        return False
    match = DEFINITION.match(state.src, begin, state.eMarks[start])
    if match is None:
        return False
    if match.group("label").startswith("^"):
        return False  # a footnote's definition, markdown-it's footnote_def (later) reads it
    label = normalizeReference(match.group("label"))
    parsed = pandoc_attributes(match.group("attrs"))
    if parsed is None:
        return False
    attrs = parsed[1]
    destination = match.group("dest")
    if destination.startswith("<"):
        destination = destination[1:-1]
    href = state.md.normalizeLink(unescapeAll(destination))
    if not label or not state.md.validateLink(href):
        return False
    if silent:
        return True
    title = match.group("title")
    definition = {
        "title": unescapeAll(title[1:-1]) if title else "",
        "href": href,
        "map": [start, start + 1],
    }
    references = state.env.setdefault("references", {})
    if label in references:  # as markdown-it keeps a repeated label: MyST warns about it
        state.env.setdefault("duplicate_refs", []).append({**definition, "label": label})
    else:
        references[label] = definition
    state.env.setdefault(ENV_DEFINITIONS, {}).setdefault(label, {})[start] = attrs
    state.line = start + 1
    return True


def last_definition_wins(state: StateCore) -> None:
    """A label defined twice is the last definition's, as in Pandoc (CommonMark: the first)."""
    definitions = state.env.get(ENV_DEFINITIONS)
    repeated = state.env.get("duplicate_refs")
    if not definitions and not repeated:
        return
    references = state.env.setdefault("references", {})
    for duplicate in sorted(repeated or [], key=lambda d: d["map"][0]):
        current = references.get(duplicate["label"])
        if current is None or duplicate["map"][0] >= current["map"][0]:
            references[duplicate["label"]] = {
                key: duplicate[key] for key in ("title", "href", "map")
            }
    state.env[ENV_KEY] = {
        label: by_line[references[label]["map"][0]]
        for label, by_line in (definitions or {}).items()
        if label in references and references[label]["map"][0] in by_line
    }


def reference_label(source: str, text_start: int) -> str | None:
    """The reference label a link's or image's source uses, or None for an inline link."""
    if source.endswith(")"):
        return None
    match = FULL_REFERENCE.search(source)
    if match and match.group(1).strip():
        return normalizeReference(match.group(1))
    # collapsed ``[text][]`` or shortcut ``[text]``: the text is the label
    text = source[text_start:]
    text = text[: text.rfind("]", 0, len(text) - 2)] if text.endswith("[]") else text[:-1]
    return normalizeReference(text)


def add_attributes(token: Token, attrs: dict[str, str]) -> None:
    """Give ``token`` the attributes of its reference definition (classes add up)."""
    for key, value in attrs.items():
        if key == "class":
            token.attrJoin("class", value)
        elif token.attrGet(key) is None:
            token.attrSet(key, value)


def with_reference_attributes(
    rule: Callable[[StateInline, bool], bool], text_start: int, first: str
) -> Callable[[StateInline, bool], bool]:
    """``rule`` (markdown-it's link or image rule, whose syntax starts with ``first``),
    adding a definition's attributes."""

    def reference(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if state.src[start] != first:
            return False
        # (no call more than the rule's where the page defines no attributes: most pages)
        definitions = state.env[ENV_KEY] if ENV_KEY in state.env else None  # noqa: SIM401
        if silent or not definitions:
            return rule(state, silent)
        count = len(state.tokens)
        if not rule(state, silent):
            return False
        if count >= len(state.tokens):
            return True
        label = reference_label(state.src[start : state.pos], text_start)
        if label in definitions:
            add_attributes(state.tokens[count], definitions[label])
        return True

    return reference


def pelican_prefixes(state: StateCore) -> None:
    """Strip Pelican's ``{static}``-style prefixes from link and image targets."""
    # a target has a prefix's word only if the text has it (or a character reference,
    # or a reference definition of the page, for a nested parse's text): most pages do not
    if not state.env.get("references"):
        text = state.src.lower()  # (substring tests: far faster than a regex's scan)
        if not any(word in text for word in PELICAN_WORDS):
            return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for token in walk(block.children):
            key = "src" if token.type == "image" else "href" if token.type == "link_open" else ""
            value = token.attrGet(key) if key else None
            if isinstance(value, str) and PELICAN_PREFIX.match(value):
                token.attrSet(key, PELICAN_PREFIX.sub("", value, count=1))


def walk(tokens: list[Token]) -> list[Token]:
    """``tokens`` and, depth first, the children of each (an image's alt text)."""
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.children:
            found += walk(token.children)
    return found


def links_plugin(md: MarkdownIt) -> None:
    """Reference definitions with attributes, and Pelican's link prefixes."""
    md.block.ruler.before(
        BLOCK_ANCHOR,
        "excerpt_reference_attrs",
        block_rule("excerpt_reference_attrs", reference_with_attributes, first="["),
    )
    md.inline.ruler.at("link", inline_rule("link", with_reference_attributes(link, 1, "["), "["))
    md.inline.ruler.at("image", inline_rule("image", with_reference_attributes(image, 2, "!"), "!"))
    md.core.ruler.before(
        "inline",
        "excerpt_last_definition",
        core_rule("excerpt_last_definition", last_definition_wins),
    )
    md.core.ruler.after(
        "inline", "excerpt_pelican_links", core_rule("excerpt_pelican_links", pelican_prefixes)
    )
