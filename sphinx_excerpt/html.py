"""HTML written in Markdown pages, read the way a browser reads it and turned into docutils nodes.

Pelican pages carry HTML blocks (``<div class="well">…</div>``) and inline tags inside
Markdown paragraphs (``<sup>``, ``<small>``, ``<a href>``…). MyST keeps both as ``raw``
nodes, which only HTML builders show. This module makes real nodes of them:

* :class:`TreeBuilder` builds an element tree from HTML pieces, Markdown text and
  already-parsed docutils nodes, recovering from malformed HTML as a browser does
  (an unclosed tag ends with its block, a stray closing tag is ignored), flattening
  what nests deeper than :data:`MAX_DEPTH`, and removing what is unsafe or no text
  (``<script>``, ``<style>``, form controls, ``on*`` attributes, ``javascript:`` links);
* :func:`block_nodes` and :func:`inline_nodes` convert that tree to docutils nodes;
* :func:`html_to_nodes` does both for a string (what the tests use);
* :class:`HtmlToNodes`, a read-phase transform, applies them to every Markdown page,
  to the HTML its author wrote (:func:`authored_html`), joining in one pass the
  blocks whose elements close in a later block.

Every problem is a :class:`Problem` with its source line, reported as one
``excerpt.html`` warning; no word of text is dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard, TypeVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.domain import handed_on
from sphinx_excerpt.embeds import allowed_embed
from sphinx_excerpt.html_inline import KEPT as KEPT_INLINE
from sphinx_excerpt.html_inline import make_html_inline
from sphinx_excerpt.kinds import NodeKinds
from sphinx_excerpt.nodes import DIV_NODES, video_embed
from sphinx_excerpt.scope import is_excerpt_page
from sphinx_excerpt.urls import refused_url, url_scheme
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from sphinx.application import Sphinx

#: A node the converter makes from an element.
Made = TypeVar("Made", bound=nodes.Element)

#: Elements without content or end tag.
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements that start a block: they end an open paragraph and the inline tags in it.
BLOCK = frozenset(
    """address article aside blockquote caption center details dd dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr iframe li main nav ol p pre
    section summary table tbody td tfoot th thead tr ul""".split()
)
#: Block elements whose end tag may be left out, and the open elements a new one ends.
IMPLIED_END = {
    "p": {"p"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "thead": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "tbody": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "tfoot": {"thead", "tbody", "tfoot", "tr", "td", "th"},
}
#: HTML's formatting elements: closed out of order (``<b><i>x</b>y</i>``), those opened
#: inside the one closed go on after it, as HTML5's adoption agency reads them.
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
#: Elements an implied end never reaches through (a nested list keeps its own items).
SCOPE = frozenset("#root blockquote div dl iframe ol table td th ul".split())
#: Inline elements and the docutils node each becomes.
INLINE: dict[str, type[nodes.TextElement]] = {
    **dict.fromkeys(("em", "i", "cite", "dfn", "var"), nodes.emphasis),
    **dict.fromkeys(("strong", "b"), nodes.strong),
    **dict.fromkeys(("code", "kbd", "samp", "tt"), nodes.literal),
    "sup": nodes.superscript,
    "sub": nodes.subscript,
    "span": nodes.inline,
}
#: Inline elements kept as an ``inline`` node with the tag name as class (``small``, ``u``…).
CLASSED_INLINE = frozenset(
    "abbr bdi bdo big del font ins label mark q s small strike time u".split()
)
#: Containers kept as a ``container`` node with their classes.
CONTAINERS = frozenset(
    """address article aside center details dialog div fieldset figcaption figure footer
    header main nav section summary""".split()
)
#: Elements that convert as blocks.
BLOCK_LIKE = BLOCK | CONTAINERS
#: Elements removed with their content, never shown.
REMOVED = frozenset(("script", "style"))
#: Form controls and templates: removed with their content, which is a program's input
#: or an inert fragment (a browser shows no ``<template>``), never the page's text.
FORM_CONTROLS = frozenset("button datalist input output select template textarea".split())
#: Elements no builder but HTML can show; their text is kept.
UNREPRESENTABLE = frozenset(
    """applet audio canvas embed form frame frameset map math noscript object svg
    video""".split()
)
KNOWN = (
    VOID
    | BLOCK
    | INLINE.keys()
    | CLASSED_INLINE
    | CONTAINERS
    | REMOVED
    | FORM_CONTROLS
    | UNREPRESENTABLE
    | {"a", "caption", "col", "colgroup", "html", "body", "head", "title", "option", "legend"}
)
URL_ATTRIBUTES = frozenset(("href", "src", "action", "formaction", "poster", "background"))
SPACE = re.compile(r"[ \t\n\r\f]+")
TAG = re.compile(r"<[^>]*>")
#: Text that reads as a program: a call, an assignment, a statement keyword at the start
#: of a line, a line ending in a brace or a semicolon.
CODE_LIKE = re.compile(
    r"\w\([^()\n]*\)|\w\s*=\s*\S|[{};][ \t]*$"
    r"|^\s*(?:import|from|def|class|let|const|var|function|return)\s",
    re.MULTILINE,
)
CLASS_NAME = re.compile(r"^[A-Za-z_][\w-]*$")
#: Class of the paragraphs a ``<br>`` splits a run of text into.
LINE_CLASS = "excerpt-line"
#: Attribute of the first of those paragraphs: how many lines the run was split into.
LINE_COUNT = "excerpt_lines"
#: Nodes that sit inside a line of text: a message MyST left in a paragraph stays there.
INLINE_NODES = (nodes.Inline, nodes.Text, nodes.system_message)
#: Nodes that hold text: a raw node inside one is inline HTML.
TEXT_NODES = (nodes.TextElement, nodes.Inline)
#: Body nodes of docutils (what converts as a block).
BODY_NODES = (nodes.Body, nodes.Structural)
#: Nodes an HTML element never spans: it ends before them.
HTML_ENDS = (nodes.section, nodes.transition)
#: How deep elements nest before deeper ones are flattened into the element at this depth
#: (the converter and docutils' writers recurse once per level; Python's stack is finite).
MAX_DEPTH = 100
#: Containers that a block's shortcut reads (:meth:`HtmlToNodes._simple_spans`): a
#: start tag of one ends nothing open but inline content, and holds blocks.
SIMPLE_BLOCKS = (CONTAINERS & BLOCK) - IMPLIED_END.keys() - UNREPRESENTABLE
#: Inline elements that become a node of their own (:func:`inline_node`).
WRAPPED_INLINE = INLINE.keys() | CLASSED_INLINE | KEPT_INLINE.keys() | {"a"}
#: Inline elements that a paragraph's shortcut reads (:meth:`HtmlToNodes._simple_line`).
SIMPLE_INLINE = WRAPPED_INLINE - BLOCK - VOID - UNREPRESENTABLE


@dataclass
class Problem:
    """Something in the HTML that was removed, repaired or cannot be shown everywhere."""

    line: int | None
    message: str
    #: problems with the same key are reported once per page (the first one)
    key: str = ""


@dataclass
class Element:
    """One HTML element of the tree; children are elements, HTML text or docutils nodes."""

    tag: str
    attrs: dict[str, str]
    line: int | None
    children: list[Element | str | nodes.Node] = field(default_factory=list)

    @functools.cached_property  # (read by the converter more than once)
    def classes(self) -> list[str]:
        """The element's classes that are valid docutils class names."""
        return list(valid_classes(self.attrs.get("class", "")))

    def text(self) -> str:
        """All text inside, as written (for ``<pre>``)."""
        return "".join(
            child.text() if isinstance(child, Element) else _text_of(child)
            for child in self.children
        )


@functools.lru_cache(maxsize=1024)
def valid_classes(value: str) -> tuple[str, ...]:
    """The classes of a ``class`` attribute's ``value`` that are valid docutils class
    names (kept for the process: a site's pages repeat their classes, and a function
    cached in C costs no Python call when they do)."""
    return tuple(c for c in value.split() if CLASS_NAME.match(c))


def _text_of(item: str | nodes.Node) -> str:
    return item.astext() if isinstance(item, nodes.Node) else item


def unsafe_url(value: str, *, image: bool = False) -> bool:
    """Whether the URL policy refuses a link target (or, with ``image``, an image source)."""
    return refused_url(value, image=image) is not None


def _refused(tag: str, attribute: str, value: str) -> bool:
    """Whether the URL policy refuses an attribute's URL (``data:image`` only in ``<img src>``)."""
    return unsafe_url(value, image=attribute == "src" and tag == "img")


class TreeBuilder:
    """Build an :class:`Element` tree the way a browser does, from pieces fed in order."""

    def __init__(self, line: int | None = None) -> None:
        self.root = Element("#root", {}, line)
        self.stack: list[Element] = [self.root]
        #: how many block elements ``stack[: i + 1]`` holds, for each ``i``
        self._blocks: list[int] = [0]
        self.problems: list[Problem] = []
        self._removing: str | None = None  # inside <script> or <style>
        #: start tags past :data:`MAX_DEPTH`, dropped (their content goes on at that depth)
        self._flat: list[str] = []
        self.flattened = False

    # ---- feeding
    def feed_html(self, text: str, line: int | None) -> None:
        """Parse a piece of HTML that starts on source line ``line``."""
        self.feed_events(tokens(text, line or 1))

    def feed_events(self, events: Iterable[Event]) -> None:
        """Apply the events of a piece of HTML, as :func:`tokens` gives them."""
        for event in events:
            kind = event[0]
            if kind == "start":
                self.start(event[1], event[2], event[3])
            elif kind == "end":
                self.end(event[1], event[2])
            elif kind == "data":
                self.data(event[1])
            else:
                self._problem(event[2], event[1])

    def feed_node(self, node: nodes.Node, line: int | None = None) -> None:
        """Add an already-parsed docutils node (Markdown between HTML pieces) as it is."""
        if self._removing:
            if isinstance(node, INLINE_NODES):
                return None  # text between the inline pieces of a removed element
            return self._unclosed_removed(line)
        if not isinstance(node, INLINE_NODES):
            self._end_inline_content()
        self.stack[-1].children.append(node)
        return None

    def finish(self) -> Element:
        """Close what is still open and return the tree."""
        if self._removing:
            self._unclosed_removed(self.root.line)
        for element in self.stack[1:]:  # reported in the order they were opened
            if element.tag in BLOCK and element.tag not in IMPLIED_END:
                self._problem(
                    element.line,
                    f"unclosed <{element.tag}{_class_text(element)}>: "
                    "it holds the rest of its section",
                )
        del self.stack[1:]
        del self._blocks[1:]
        return self.root

    def open_blocks(self) -> int:
        """How many block elements are open (a block continues while this is not zero)."""
        return self._blocks[-1]

    def at_rest(self) -> bool:
        """Whether nothing is open: a node fed now would only be added to the root."""
        return len(self.stack) == 1 and self._removing is None

    # ---- events from the tokenizer
    def start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        if self._removing:
            return None
        if tag in REMOVED or tag in FORM_CONTROLS:
            what = "a form control" if tag in FORM_CONTROLS else "never shown from a source"
            self._problem(line, f"removed <{tag}> and its content ({what})")
            if tag not in VOID:
                self._removing = tag
            return None
        element = Element(
            tag, safe_attributes(tag, attrs, line, self.problems) if attrs else {}, line
        )
        if tag in UNREPRESENTABLE:
            self._problem(line, f"<{tag}> cannot be shown outside HTML: only its text is kept")
        if tag in BLOCK:
            self._end_inline_content()
            self._end_implied(tag)
        if tag not in VOID and len(self.stack) > MAX_DEPTH:
            return self._flatten(element)
        if tag in VOID:
            self.stack[-1].children.append(element)
        else:
            self._open(element)
        return None

    def _open(self, element: Element) -> None:
        self.stack[-1].children.append(element)
        self.stack.append(element)
        self._blocks.append(self._blocks[-1] + (element.tag in BLOCK))

    def end(self, tag: str, line: int) -> None:
        if self._removing:
            if tag == self._removing:
                self._removing = None
            return
        if tag == "br":  # browsers read </br> as <br>
            self.start("br", [], line)
            return
        if self._flat and self._close_flat(tag):
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                inside = self.stack[depth + 1 :]
                self._pop_to(depth)
                if tag in FORMATTING and inside and all(e.tag in FORMATTING for e in inside):
                    self._reopen(inside, tag, line)
                return
            if tag in BLOCK and self.stack[depth].tag in SCOPE:
                break
        if tag not in VOID:
            self._problem(line, f"stray closing tag </{tag}> ignored")

    def _reopen(self, elements: list[Element], closed: str, line: int) -> None:
        """Open ``elements`` again after ``</closed>`` ended them out of order."""
        names = "".join(f"<{element.tag}>" for element in elements)
        self._problem(
            line, f"misnested </{closed}>: {names} opened in it goes on after it, as in a browser"
        )
        for element in elements:
            self._open(Element(element.tag, dict(element.attrs), line))

    def data(self, text: str) -> None:
        if not self._removing:
            self.stack[-1].children.append(text)

    # ---- recovery
    def _close_flat(self, tag: str) -> bool:
        """Close the innermost flattened ``tag`` (and what was opened in it), if open."""
        for depth in range(len(self._flat) - 1, -1, -1):  # mostly the last one
            if self._flat[depth] == tag:
                del self._flat[depth:]
                return True
        return False

    def _pop_to(self, depth: int) -> None:
        """Close the open elements from ``depth`` up (and what was flattened inside them)."""
        if depth < len(self.stack):
            del self.stack[depth:]
            del self._blocks[depth:]
            self._flat.clear()

    def _flatten(self, element: Element) -> None:
        """Past the depth limit an element does not nest: its content stays where it is
        (a block still starts a new line)."""
        if not self.flattened:
            self.flattened = True
            message = (
                f"HTML nested more than {MAX_DEPTH} elements deep: the elements inside "
                "are flattened (their text is kept, their formatting is not)"
            )
            self.problems.append(Problem(element.line, message, key="flattened"))
        self._flat.append(element.tag)
        if element.tag in BLOCK or element.tag in CONTAINERS:
            self.stack[-1].children.append(Element("br", {}, element.line))

    def _end_inline_content(self) -> None:
        """A block ends the inline elements and the paragraph it appears in."""
        depth = len(self.stack)
        while depth > 1 and (
            self.stack[depth - 1].tag not in BLOCK or self.stack[depth - 1].tag == "p"
        ):
            depth -= 1
        if depth < len(self.stack):
            self._pop_to(depth)

    def _end_implied(self, tag: str) -> None:
        ends = IMPLIED_END.get(tag)
        if not ends:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            current = self.stack[depth].tag
            if current in ends:
                self._pop_to(depth)
                return
            if current in SCOPE:
                return

    def _unclosed_removed(self, line: int | None) -> None:
        self._problem(line, f"unclosed <{self._removing}>: the rest of its HTML block is removed")
        self._removing = None

    def _problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(line, message))


def safe_attributes(
    tag: str, attrs: list[tuple[str, str | None]], line: int, problems: list[Problem]
) -> dict[str, str]:
    """The attributes of ``<tag>`` that are kept (the first of a repeated name), each
    one removed (an event handler, a link the URL policy refuses) a problem."""
    safe: dict[str, str] = {}
    for name, value in attrs:
        if name.startswith("on"):
            problems.append(Problem(line, f"removed event attribute {name!r} of <{tag}>"))
        elif name in URL_ATTRIBUTES and value and _refused(tag, name, value):
            scheme = url_scheme(value)
            problems.append(Problem(line, f"removed {scheme}: link in {name!r} of <{tag}>"))
        else:
            safe.setdefault(name, value or "")
    return safe


def _class_text(element: Element) -> str:
    classes = element.attrs.get("class")
    return f' class="{classes}"' if classes else ""


#: What the tokenizer reports: ``("start", tag, attrs, line)``, ``("end", tag, line)``,
#: ``("data", text)`` or ``("problem", message, line)``.
Event = tuple[Any, ...]


def tokens(text: str, line: int) -> list[Event]:
    """The events of a piece of HTML that starts on source line ``line``.

    An unclosed comment hides the rest of the piece from a browser; here that rest is
    text, as Pandoc shows it, and a problem says where the comment starts."""
    body = text.rstrip(" \t\n\r\f")  # an HTML block's line ends with its line break
    lone = _lone_tag(body, line)
    if lone is not None:
        return [lone, ("data", text[len(body) :])] if len(body) < len(text) else [lone]
    tokenizer = _Tokenizer(line)
    cut = _unclosed_comment(text)
    tokenizer.feed(text if cut is None else text[:cut])
    tokenizer.close()
    if cut is not None:
        at = line + text.count("\n", 0, cut)
        message = "unclosed HTML comment '<!--': what follows it is shown as text"
        tokenizer.events += [("problem", message, at), ("data", text[cut:])]
    return tokenizer.events


#: A piece of HTML that is one start tag, its attribute values quoted and free of
#: character references, or one end tag (then perhaps white space): most inline HTML in
#: Markdown (MyST gives each tag of a paragraph its own piece) and many HTML blocks (a
#: ``<div class="well">`` line). Its events are the tokenizer's, without the tokenizer.
#: (One pattern: an end tag's name is group 1, a start tag's group 2, its attributes 3.)
LONE_TAG = re.compile(
    r"</([a-zA-Z][a-zA-Z0-9]*)[ \t\n\r\f]*>"
    r"|<([a-zA-Z][a-zA-Z0-9]*)"
    r"((?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=(?:\"[^\"&<>]*\"|'[^'&<>]*'))?)*)"
    r"[ \t\n\r\f]*/?>"
)
LONE_ATTRIBUTE = re.compile(r"([^ \t\n\r\f=]+)(?:=(?:\"([^\"]*)\"|'([^']*)'))?")


def _lone_tag(text: str, line: int) -> Event | None:
    """The event of ``text`` when it is a lone tag (:data:`LONE_TAG`), as
    :class:`_Tokenizer` reports it; ``None`` for any other piece."""
    match = LONE_TAG.fullmatch(text) if text[-1:] == ">" else None
    if match is None:
        return None
    end, tag, written = match.groups()
    if end is not None:
        return ("end", end.lower(), line)
    attrs: list[tuple[str, str | None]] = []
    if written:
        for found in LONE_ATTRIBUTE.finditer(written):
            name, double, single = found.groups()
            attrs.append((name.lower(), double if double is not None else single))  # None: no "="
    return ("start", tag.lower(), attrs, line)


def _unclosed_comment(text: str) -> int | None:
    """Where a comment that is never closed starts in ``text``, if one is."""
    at = text.find("<!--")
    while at >= 0:
        end = text.find("-->", at + 4)
        if end < 0:
            return at
        at = text.find("<!--", end + 3)
    return None


class _Tokenizer(HTMLParser):
    """Python's HTML tokenizer, recording tags and text as :data:`Event` tuples."""

    def __init__(self, line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = line
        self.events: list[Event] = []

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, attrs, self._line()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # browsers ignore the slash of <span/>: only void elements close themselves
        self.events.append(("start", tag, attrs, self._line()))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag, self._line()))

    def handle_data(self, data: str) -> None:
        self.events.append(("data", data))

    def unknown_decl(self, data: str) -> None:
        if data.startswith("CDATA["):
            self.events.append(("data", data[len("CDATA[") :]))


#: A tag of a piece of HTML read by :func:`plain_tags`: whether it is a start tag, its
#: name, its attributes (all kept), and its line within the piece (0 for the first).
PlainTag = tuple[bool, str, tuple[tuple[str, str], ...], int]


@functools.lru_cache(maxsize=4096)
def plain_tags(text: str) -> tuple[PlainTag | None, ...] | None:
    """The events of a piece of HTML (:func:`tokens`) that holds only tags, each with all
    its attributes kept: its tags, and ``None`` for white space between them. ``None``
    for a piece with text, an attribute removed or an unclosed comment, which only
    :class:`TreeBuilder` reads as a browser does.

    Kept for the process: the same pieces (``<em>``, ``<div class="well">``) come back
    on every page, and a function cached in C costs no Python call when they do."""
    tags: list[PlainTag | None] = []
    for event in tokens(text, 1):
        kind = event[0]
        if kind == "data":
            if event[1].strip(" \t\n\r\f"):
                return None
            tags.append(None)
        elif kind == "start":
            problems: list[Problem] = []
            kept = safe_attributes(event[1], event[2], event[3], problems) if event[2] else {}
            if problems:
                return None
            tags.append((True, event[1], tuple(kept.items()), event[3] - 1))
        elif kind == "end":
            tags.append((False, event[1], (), event[2] - 1))
        else:
            return None  # a problem the tokenizer found
    return tuple(tags)


@functools.lru_cache(maxsize=4096)
def lone_plain_tag(text: str) -> PlainTag | None:
    """The tag that a piece of HTML is, alone (without white space), with all its
    attributes kept (:func:`plain_tags`); ``None`` for any other piece."""
    tags = plain_tags(text)
    return tags[0] if tags is not None and len(tags) == 1 else None


# ---------------------------------------------------------------- tree to nodes


@dataclass
class Converter:
    """Turn an :class:`Element` tree into docutils nodes.

    ``div_nodes`` maps a class of ``<div>`` to the node it becomes (``well`` → the
    ``well`` node); other divs become ``container`` nodes.
    """

    div_nodes: Mapping[str, type[nodes.Element]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: the page's file, given to the nodes made (Sphinx's warnings about them name it)
    source: str | None = None
    #: hosts whose ``<iframe>`` video players are kept (``excerpt_embed_hosts``)
    embed_hosts: Sequence[str] = ()
    #: nodes made with an id or a caption, to be registered with the document
    targets: list[nodes.Element] = field(default_factory=list)

    # ---- blocks
    def blocks(self, items: Iterable[Element | str | nodes.Node]) -> list[nodes.Node]:
        """Body nodes for a run of items: inline runs become paragraphs, blocks convert."""
        out: list[nodes.Node] = []
        run: list[Element | str | nodes.Node] = []
        for item in items:
            if _is_block(item):
                if run:
                    out.extend(self.paragraphs(run))
                    run = []
                out.extend(self.block(item))
            else:
                run.append(item)
        if run:
            out.extend(self.paragraphs(run))
        return out

    def paragraphs(
        self, run: list[Element | str | nodes.Node], classes: Iterable[str] = ()
    ) -> list[nodes.paragraph]:
        """One paragraph per line of ``run`` (lines are split at ``<br>``); none if empty."""
        return self.lined(self.lines(run), classes) if run else []

    def lined(
        self, lines: Iterable[list[nodes.Node]], classes: Iterable[str] = ()
    ) -> list[nodes.paragraph]:
        """One paragraph per line of inline nodes that shows something."""
        lines = [line for line in map(_trimmed, lines) if line]
        out = []
        for line in lines:
            paragraph = nodes.paragraph("", "", *line, classes=list(classes))
            if len(lines) > 1:
                paragraph["classes"].append(LINE_CLASS)
            out.append(paragraph)
        if len(out) > 1:
            out[0][LINE_COUNT] = len(out)
        return out

    def block(self, item: Element | nodes.Node) -> Sequence[nodes.Node]:
        if isinstance(item, nodes.Node):
            return [item]
        tag = item.tag
        if tag == "p":
            paragraphs = self.paragraphs(item.children, item.classes)
            if paragraphs:  # the element's line, file and id go to its first line
                self._located(paragraphs[0], item)
            return paragraphs
        if tag == "div" or tag in CONTAINERS:
            return self.container(item)
        if tag in ("ul", "ol"):
            return self.listing(item)
        if tag == "dl":
            return self.definitions(item)
        if tag == "blockquote":
            return self._wrap(nodes.block_quote(), item)
        if tag == "pre":
            text = item.text().removeprefix("\n")
            return [self._located(nodes.literal_block(text, text, classes=item.classes), item)]
        if re.fullmatch(r"h[1-6]", tag):
            return [self._located(nodes.rubric("", "", *self.inline(item.children)), item)]
        if tag == "table":
            return self.table(item)
        if tag == "iframe":
            return self.embed(item)
        if tag == "hr":
            return []
        # li, td, dt … outside their parents: keep what they hold
        return self.blocks(item.children)

    def simple_blocks(self, items: list[Element | str | nodes.Node]) -> list[nodes.Node]:
        """The nodes :meth:`blocks` makes of ``items`` when they are only containers of
        :data:`SIMPLE_BLOCKS` holding block nodes (as :meth:`HtmlToNodes._simple_spans`
        reads them): without the tests for the others, and with no call per item but
        the node made for a container."""
        out: list[nodes.Node] = []
        div_nodes = self.div_nodes
        for item in items:
            if type(item) is not Element:
                out += (item,)  # type: ignore[arg-type]  # a block node, as it is
                continue
            attrs = item.attrs
            classes = valid_classes(attrs["class"]) if "class" in attrs else ()
            node_class: type[nodes.Element] = nodes.container
            for name in classes:  # as container() finds it
                if name in div_nodes:
                    node_class = div_nodes[name]
                    break
            inner: list[Any] = item.children  # block nodes, unless containers are inside
            for child in inner:  # (a call only for containers inside this one)
                if type(child) is Element:
                    inner = self.simple_blocks(inner)
                    break
            if not inner:
                continue  # as _wrap(): an empty container makes nothing
            node = node_class()
            node.extend(inner)
            node.line, node.source = item.line, self.source
            out += (self._attributed(node, attrs) if "class" in attrs or "id" in attrs else node,)
        return out

    def container(self, item: Element) -> list[nodes.Node]:
        node_class: type[nodes.Element] = nodes.container
        for name in item.classes:  # (a loop, not next() of a generator: fewer calls)
            if name in self.div_nodes:
                node_class = self.div_nodes[name]
                break
        return self._wrap(node_class(), item)

    def listing(self, item: Element) -> list[nodes.Node]:
        if item.tag == "ul":
            node: nodes.Element = nodes.bullet_list(bullet="*")
        else:
            node = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        loose: list[Element | str | nodes.Node] = []
        for child in item.children:
            if isinstance(child, Element) and child.tag == "li":
                if loose:
                    node += nodes.list_item("", *self.blocks(loose))
                    loose = []
                node += self._located(nodes.list_item("", *self.blocks(child.children)), child)
            elif not (isinstance(child, str) and not child.strip()):
                loose.append(child)
        if loose:
            node += nodes.list_item("", *self.blocks(loose))
        return [self._located(node, item)] if len(node) else []

    def definitions(self, item: Element) -> list[nodes.Node]:
        listing = nodes.definition_list()
        entry: nodes.definition_list_item | None = None
        for child in item.children:
            if not isinstance(child, Element):
                if _text_of(child).strip():
                    listing += nodes.definition_list_item(
                        "", nodes.term(), nodes.definition("", *self.blocks([child]))
                    )
                continue
            if child.tag == "dt" or entry is None:
                entry = nodes.definition_list_item("", nodes.term("", "", *self.inline([child])))
                listing += entry
            if child.tag == "dd":
                entry += nodes.definition("", *self.blocks(child.children))
        return [self._located(listing, item)] if len(listing) else []

    def table(self, item: Element) -> list[nodes.Node]:
        """A table: rows of cells, header rows from ``<thead>`` or rows of ``<th>``."""
        caption: Element | None = None
        rows: list[tuple[bool, Element]] = []
        outside: list[Element | str | nodes.Node] = []  # what browsers show before the table
        for child in item.children:
            if not isinstance(child, Element):
                outside += [child] if _text_of(child).strip() else []
                continue
            part = child.tag
            if part == "caption":
                caption = child
            elif part in ("thead", "tbody", "tfoot"):
                rows += [(part == "thead", row) for row in _rows(child.children, outside)]
            elif part == "tr":
                rows.append((False, child))
            elif part not in ("colgroup", "col"):
                outside.append(child)
        for index, (head, row) in enumerate(rows):
            if not head and index == 0 and _cells(row) and all(c.tag == "th" for c in _cells(row)):
                rows[index] = (True, row)
        for _, row in rows:  # text between cells is shown before the table, as browsers do
            outside += [
                c
                for c in row.children
                if not (isinstance(c, Element) and c.tag in ("td", "th"))
                and (isinstance(c, Element) or _text_of(c).strip())
            ]
        rows = [(head, row) for head, row in rows if _cells(row)]
        columns = max((sum(_span(c, "colspan") for c in _cells(r)) for _, r in rows), default=0)
        out = self.blocks(outside)
        if not columns:
            return out
        table = self._located(nodes.table(classes=item.classes), item)
        if caption is not None:
            table += nodes.title("", "", *self.inline(caption.children))
            self.targets.append(table)
        group = nodes.tgroup(cols=columns)
        table += group
        group.extend(nodes.colspec(colwidth=w) for w in _column_widths(rows, columns))
        head_rows = [self.row(r, columns) for head, r in rows if head]
        body_rows = [self.row(r, columns) for head, r in rows if not head]
        if head_rows:
            group += nodes.thead("", *head_rows)
        group += nodes.tbody("", *body_rows)
        return [*out, table]

    def row(self, item: Element, columns: int) -> nodes.row:
        row = nodes.row()
        used = 0
        for cell in _cells(item):
            entry = nodes.entry("", *self.blocks(cell.children))
            span = min(_span(cell, "colspan"), columns - used)
            if span > 1:
                entry["morecols"] = span - 1
            if _span(cell, "rowspan") > 1:
                self.problems.append(
                    Problem(cell.line, "a table cell's rowspan cannot be kept: it spans one row")
                )
            row += entry
            used += span
        row.extend(nodes.entry() for _ in range(columns - used))
        return row

    def embed(self, item: Element) -> list[nodes.Node]:
        """An iframe: a link to what it shows, named by its title; a video player from
        an allowed host also keeps its frame in HTML (:mod:`sphinx_excerpt.embeds`)."""
        src = item.attrs.get("src", "").strip()
        title = item.attrs.get("title") or src
        out: list[nodes.Node] = []
        if src:
            link = nodes.reference(title, title, refuri=src)
            paragraph = nodes.paragraph("", "", link, classes=["excerpt-embed"])
            out.append(self._located(paragraph, item))
        if src and allowed_embed(src, self.embed_hosts):
            player = video_embed("", *out, src=src, title=title)
            for key in ("width", "height"):
                if item.attrs.get(key, "").isdigit():
                    player[key] = item.attrs[key]
            out = [self._located(player, item)]
        return out + self.blocks(item.children)

    def _located(self, node: Made, item: Element) -> Made:
        """``node`` with the element's line, the page's file and the element's id."""
        node.line, node.source = item.line, self.source
        return self._identified(node, item.attrs) if "id" in item.attrs else node

    def _identified(self, node: Made, attrs: Mapping[str, str]) -> Made:
        """``node`` with the id of the element of ``attrs`` (the page's links and scripts
        use it)."""
        identifier = attrs.get("id", "").strip()
        if identifier and not SPACE.search(identifier):
            node["ids"].append(identifier)
            self.targets.append(node)
        return node

    def _wrap(self, node: nodes.Element, item: Element) -> list[nodes.Node]:
        node.extend(self.blocks(item.children))
        node["classes"].extend(c for c in item.classes if c not in node["classes"])
        return [self._located(node, item)] if len(node) else []

    # ---- inline
    def lines(self, items: Iterable[Element | str | nodes.Node]) -> list[list[nodes.Node]]:
        """Inline nodes for ``items``, as lines: ``<br>`` and blocks start a new line."""
        lines: list[list[nodes.Node]] = [[]]
        for item in items:
            if isinstance(item, nodes.Node):
                lines[-1].append(item)
            elif isinstance(item, str):
                lines[-1].append(nodes.Text(SPACE.sub(" ", item)))
            elif item.tag == "br":
                lines.append([])
            elif item.tag in BLOCK_LIKE:
                lines.extend([*self.lines(item.children), []])
            else:
                inner = self.inline_element(item)
                lines[-1].extend(inner[0])
                lines.extend(inner[1:])
        return lines

    def inline(self, items: Iterable[Element | str | nodes.Node]) -> list[nodes.Node]:
        """Inline nodes for ``items`` on one line (a ``<br>`` becomes a space)."""
        out: list[nodes.Node] = []
        for line in self.lines(items):
            if line and out:
                out.append(nodes.Text(" "))
            out.extend(line)
        return out

    def inline_element(self, item: Element) -> list[list[nodes.Node]]:
        """The lines of one inline element, each wrapped in the node the element becomes."""
        if item.tag not in KNOWN:
            return self.unknown(item)
        if item.tag == "img":
            return [[self.image(item)]] if item.attrs.get("src") else [[]]
        make = self._inline_factory(item)
        inner = self.lines(item.children)
        if make is None:
            return inner
        wrapped: list[list[nodes.Node]] = []
        first = True
        for line in inner:
            if not line:
                wrapped.append([])
                continue
            wrapped.append([self.wrapped(make, item, line, first)])
            first = False
        return wrapped

    def wrapped(
        self,
        make: Callable[[], nodes.Element],
        item: Element,
        line: list[nodes.Node],
        first: bool = True,
    ) -> nodes.Element:
        """One line of the inline element ``item``, in the node ``make`` makes: with the
        element's classes, and on its ``first`` line its id."""
        node = make()
        node.extend(line)
        return self._attributed(node, item.attrs, first)

    def _attributed(self, node: Made, attrs: Mapping[str, str], first: bool = True) -> Made:
        """``node`` with the classes of the element of ``attrs`` (those valid in docutils,
        each once), and, on the element's ``first`` node, its id."""
        if "class" in attrs:
            kept = node.attributes["classes"]
            for name in valid_classes(attrs["class"]):  # (one at a time: written twice, kept once)
                if name not in kept:
                    kept += (name,)
        if first and "id" in attrs:
            self._identified(node, attrs)
        return node

    def unknown(self, item: Element) -> list[list[nodes.Node]]:
        """An unknown element (``<py-script>``, ``<my-widget>``): its text, unless it
        looks like a program, which only the page's script would have read."""
        if CODE_LIKE.search(item.text()):
            message = (
                f"removed <{item.tag}> and its content: an unknown element holding "
                "what looks like code (a script of the page would run it)"
            )
            self.problems.append(Problem(item.line, message))
            return [[]]
        message = f"unknown HTML element <{item.tag}>: its text is kept as plain text"
        self.problems.append(Problem(item.line, message))
        return self.lines(item.children)

    def _inline_factory(self, item: Element) -> Callable[[], nodes.Element] | None:
        if item.tag in WRAPPED_INLINE:
            return functools.partial(inline_node, item.tag, item.attrs)
        return None

    def image(self, item: Element) -> nodes.image:
        uri = item.attrs["src"]
        node = nodes.image(uri=uri, alt=item.attrs.get("alt", ""), classes=item.classes)
        for key in ("width", "height"):
            value = item.attrs.get(key, "")
            if re.fullmatch(r"\d+(\.\d+)?(px|%)?", value):
                node[key] = value if not value[-1].isdigit() else f"{value}px"
        return self._located(node, item)


def inline_node(
    tag: str, attrs: Mapping[str, str], children: Sequence[nodes.Node] = ()
) -> nodes.Element:
    """The node that an inline element of :data:`WRAPPED_INLINE`, ``<tag>`` with
    ``attrs``, becomes, holding ``children`` (its classes and id are the converter's:
    :meth:`Converter._attributed`)."""
    if tag == "a":
        href = attrs["href"] if "href" in attrs else None  # noqa: SIM401  # (no call)
        if href:
            return nodes.reference("", "", *children, refuri=href)
        return nodes.inline("", "", *children)
    if tag in INLINE:
        return INLINE[tag]("", "", *children)
    if tag in KEPT_INLINE:
        return make_html_inline(tag, attrs, *children)
    return nodes.inline("", "", *children, classes=[tag])


def _is_block(item: Element | str | nodes.Node) -> TypeGuard[Element | nodes.Node]:
    if isinstance(item, Element):
        return item.tag in BLOCK_LIKE
    return isinstance(item, BODY_NODES) and not isinstance(item, INLINE_NODES)


def _rows(
    items: list[Element | str | nodes.Node], outside: list[Element | str | nodes.Node]
) -> list[Element]:
    rows = []
    for item in items:
        if isinstance(item, Element) and item.tag == "tr":
            rows.append(item)
        elif isinstance(item, Element) or _text_of(item).strip():
            outside.append(item)
    return rows


def _cells(row: Element) -> list[Element]:
    return [c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")]


def _span(cell: Element, name: str) -> int:
    value = cell.attrs.get(name, "1")
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def _trimmed(line: list[nodes.Node]) -> list[nodes.Node]:
    """A line without the spaces HTML ignores: at its ends and doubled across nodes."""
    for node in line:  # (a loop, not all() over a generator: no call for each node)
        if type(node) is not nodes.Text or not node.isspace():
            break
    else:
        return []  # (most lines of nothing: the white space between an HTML block's tags)
    holder = nodes.paragraph("", "", *line)
    texts = [text for text in holder.findall(nodes.Text) if not isinstance(text.parent, nodes.raw)]
    previous_space = True
    last = len(texts) - 1
    shows_text = False
    for index, text in enumerate(texts):
        value = str(text)
        if previous_space:
            value = value.lstrip(" ")
        if index == last:
            value = value.rstrip(" \n")
        if value != text:
            # by identity: Text nodes are strings, and equal ones would be taken for it
            parent = text.parent
            at = next(i for i, child in enumerate(parent.children) if child is text)
            if value:
                parent[at] = nodes.Text(value)
            else:
                del parent[at]
        if value:
            previous_space = value[-1] in " \n"
            shows_text = shows_text or not value.isspace()
    # a walk by class (docutils' fast path), then the finer test: an empty <small></small>
    # or <a href=…></a> shows nothing
    empty = [
        node
        for node in holder.findall(INLINE_CLASS)
        if isinstance(node, WRAPPERS) and not node.astext() and not any(node.findall(nodes.image))
    ]
    for node in empty:
        node.parent.remove(node)
    if not shows_text and not any(holder.findall(nodes.image)):
        return []
    children = list(holder.children)
    holder.clear()
    return children


WRAPPERS = (*{make for make in INLINE.values()}, nodes.reference)
#: docutils finds by any class, its stubs by a node class: Inline's nodes are elements
INLINE_CLASS = cast("type[nodes.Element]", nodes.Inline)


#: What :meth:`HtmlToNodes._simple_spans` tells apart: the nodes HTML ends before
#: (:data:`HTML_ENDS`), inline nodes and text, and blocks (:func:`_is_block`'s nodes).
_SPAN_KINDS = NodeKinds(HTML_ENDS, INLINE_NODES, BODY_NODES)
_BLOCK = 2


def html_to_nodes(
    text: str,
    line: int = 1,
    div_nodes: Mapping[str, type[nodes.Element]] | None = None,
    embed_hosts: Sequence[str] = (),
) -> tuple[list[nodes.Node], list[Problem]]:
    """Body nodes for an HTML block, and the problems found in it."""
    builder = TreeBuilder(line)
    builder.feed_html(text, line)
    converter = Converter(div_nodes or {}, builder.problems, embed_hosts=embed_hosts)
    return converter.blocks(builder.finish().children), converter.problems


# ---------------------------------------------------------------- the read-phase transform


#: The raw HTML MyST writes itself inside text: the HTML half of a hard line break, the
#: marks of ``~~strikethrough~~``, and (:data:`MYST_CHECKBOX`) a task list's checkbox.
#: They are MyST's, whatever line MyST gives them (an author's ``<s>…</s>`` means the
#: same, and stays as it is).
MYST_INLINE_MARKS = frozenset(("<br />\n", "<s>", "</s>"))
MYST_CHECKBOX = re.compile(r'<input class="task-list-item-checkbox"[^>]*>')


def authored_html(
    raws: Iterable[nodes.raw], source: Sequence[str] | None = None
) -> list[tuple[nodes.raw, str, bool]]:
    """The HTML ``raw`` nodes among ``raws`` that the author wrote in the page's Markdown,
    each with its text and whether it is in text (inline HTML) or not (an HTML block).

    Not MyST's own inline marks (:data:`MYST_INLINE_MARKS`), nor, given the page's
    ``source`` lines, the output of a directive (``{raw} html``) or a role: HTML not
    written where the node's line points, which holds a directive's fence or a role.
    Anything else counts as the author's, and is sanitised. (A page whose text
    :func:`_others_html` clears holds no HTML but the author's: it needs no ``source``.)"""
    found: list[tuple[nodes.raw, str, bool]] = []
    for node in raws:
        if node.line is None:
            continue
        # (membership and a subscript, not get: no call for each node)
        attributes = node.attributes
        output = attributes["format"] if "format" in attributes else ""  # noqa: SIM401
        # (a substring test first: a split is a call, and most other raw nodes are LaTeX)
        if output != "html" and ("html" not in output or "html" not in output.split()):
            continue
        text = raw_text(node)
        # (the parent's type and the marks as strings first: isinstance and a pattern are
        # calls, and most inline HTML is in a paragraph and not MyST's)
        in_text = type(node.parent) is nodes.paragraph or isinstance(node.parent, TEXT_NODES)
        if in_text and (
            text in MYST_INLINE_MARKS or (text[:6] == "<input" and MYST_CHECKBOX.fullmatch(text))
        ):
            continue
        if source is not None and not _written_at(node.line, text, in_text, source):
            continue
        found += ((node, text, in_text),)  # (no call)
    return found


def raw_text(node: nodes.raw) -> str:
    """The text of a ``raw`` node, as ``astext`` gives it (its children joined in C: astext
    makes four calls a node, and only a null character, docutils' escape, needs them)."""
    text = "".join(node.children)  # type: ignore[arg-type]  # its children are Text
    return node.astext() if "\x00" in text else text


def is_source_html(node: nodes.Node, source: Sequence[str] | None = None) -> bool:
    """Whether ``node`` is an HTML ``raw`` node the author wrote (:func:`authored_html`)."""
    return isinstance(node, nodes.raw) and bool(authored_html((node,), source))


def _written_at(line: int, text: str, in_text: bool, source: Sequence[str]) -> bool:
    """Whether the HTML ``text`` MyST placed at ``line`` can be the author's: written
    there (or, in text, in the lines of its paragraph), or no directive or role there."""
    if not 0 < line <= len(source):
        return True
    written = text.strip().split("\n", 1)[0].strip()[:80]
    if not in_text:
        at = source[line - 1]
        return written in at or not DIRECTIVE_LINE.match(at)
    window = []
    for at in source[line - 1 : line + PARAGRAPH_LINES]:
        if written in at:
            return True
        if not at.strip():
            break
        window.append(at)
    return not any(ROLE.search(at) for at in window)


#: A line opening a directive: a fence with ``{name}``, or reST's ``.. name::``.
DIRECTIVE_LINE = re.compile(r"^[\s>*+\-\d.)]*(?:`{3,}|~{3,}|:{3,})\s*\{|^\s*\.\. [\w:-]+::")
#: The same, searched in a page's whole text (it finds each line's and perhaps more).
DIRECTIVE_LINES = re.compile(DIRECTIVE_LINE.pattern, re.MULTILINE)
#: A role in MyST's syntax: ``{name}`content```.
ROLE = re.compile(r"\{[\w:+-]+\}`")
#: Line ends as markdown-it counts them.
LINE_END = re.compile(r"\r\n|\r|\n")
#: How many lines after its first a paragraph's inline HTML is looked for in the source.
PARAGRAPH_LINES = 200


def _others_html(text: str) -> bool:
    """Whether the page's text can hold raw HTML that is not the author's: a line opens
    a directive or holds a role (or a line ends in a lone ``\\r``, which ``^`` does not
    see). Searched once in the whole text, which is then not split into lines."""
    return "\r" in text or bool(DIRECTIVE_LINES.search(text) or ROLE.search(text))


class HtmlToNodes(SphinxTransform):
    """Turn the HTML of a Markdown page into nodes: HTML blocks first, then inline tags."""

    default_priority = priorities.HTML_TO_NODES
    #: whether the shortcuts for simple HTML are taken (the tests compare both ways)
    shortcuts: ClassVar[bool] = True

    def keep_texts_elsewhere(self, **kwargs: Any) -> None:
        """After a failure of the whole transform, every HTML block stays raw HTML: the
        builders other than HTML get the text of each (see :meth:`keep_text_elsewhere`)."""
        if not is_excerpt_page(self.env):
            return
        for raw in list(self.document.findall(nodes.raw)):
            if is_source_html(raw) and not _in_text(raw):
                self.keep_text_elsewhere(raw)

    @guard.rewrite(fallback=keep_texts_elsewhere)
    def apply(self, **kwargs: Any) -> None:
        env = self.env  # (a property: a call each time)
        if not is_excerpt_page(env):
            return
        page = handed_on(env)
        text = page.source if page is not None else None
        # the lines, where HTML can be another's than the author's (authored_html)
        source = LINE_END.split(text) if isinstance(text, str) and _others_html(text) else None
        # a class condition walks the tree on docutils' fast path; then the finer test
        # (gathered by list.extend, a built-in that resumes docutils' walk: no call of
        # ours per node)
        found: list[nodes.raw] = []
        found.extend(self.document.findall(nodes.raw))
        raws = authored_html(found, source)
        #: the author's HTML on the page: its text, by node (a docutils element hashes by
        #: identity, and a Text node, a string, never equals one)
        self.authored: dict[nodes.Node, str] = {}
        # (a raw node stays in text or out of it: converting blocks moves paragraphs whole,
        # and a block left as it was, its conversion having failed, is not text)
        blocks: list[nodes.raw] = []
        in_text: list[nodes.raw] = []
        for raw, html, inside in raws:  # (one loop, the lists grown without a call)
            self.authored[raw] = html
            if inside:
                in_text += (raw,)
            else:
                blocks += (raw,)
        attributes = self.document.attributes
        self.converter = Converter(
            DIV_NODES,
            source=attributes["source"] if "source" in attributes else None,  # noqa: SIM401
            embed_hosts=env.config.excerpt_embed_hosts,
        )
        self.reported: set[str] = set()
        self.events: dict[nodes.Node, list[Event]] = {}  # tokenized once, fed twice
        done: dict[nodes.Element, None] = {}  # (a dict: setting an item is no call)
        for raw in blocks:
            parent = raw.parent
            if parent is not None and parent not in done:
                done[parent] = None
                self.convert_blocks(parent)
        self.events = {}
        parents: list[nodes.Element] = []
        for raw in in_text:
            parent = raw.parent
            if parent is not None and parent not in parents:
                parents += (parent,)
        for parent in parents:
            self.convert_inline(parent)

    def keep_text_elsewhere(self, raw: nodes.raw) -> None:
        """After a failed conversion the block stays raw HTML, which only HTML builders
        show: the others get its text."""
        text = SPACE.sub(" ", unescape(TAG.sub(" ", raw.astext()))).strip()
        if text and raw.parent is not None:
            shown = addnodes.only("", nodes.paragraph(text, text), expr="not format_html")
            raw.parent.insert(raw.parent.index(raw) + 1, shown)

    def keep_blocks_elsewhere(self, parent: nodes.Element) -> None:
        """After a failed conversion of ``parent``'s HTML blocks: the text of each for the
        builders other than HTML (see :meth:`keep_text_elsewhere`)."""
        for raw in [child for child in parent.children if self._is_authored(child)]:
            self.keep_text_elsewhere(raw)

    # not deep: the parent is often a section holding the whole page, and only the blocks
    # joined (kept below, with their trees) and the parent's children change
    @guard.rewrite(fallback=keep_blocks_elsewhere, deep=False)
    def convert_blocks(self, parent: nodes.Element) -> None:
        """Replace the HTML blocks among ``parent``'s children by nodes; a block whose
        elements close in a later block is joined with the blocks (and the Markdown
        between them) up to that one."""
        children = list(parent.children)
        simple = self._simple_spans(children) if self.shortcuts else None
        if simple is not None:
            # each span of the children replaced by the nodes of its tree; the parent's
            # other children are left as they are, and the Markdown blocks joined move
            # into new nodes unchanged: only the parent's list of children (kept by the
            # guard) changes, and no node needs keeping
            spans, trees = simple
            authored = self.authored
            converter = self.converter
            converter.problems = []
            made: list[tuple[int, list[nodes.Node]]] = []
            for start in spans:  # in page order: the first of two equal ids is kept
                made += ((start, converter.simple_blocks(trees[start])),)
                if converter.targets:
                    self._settle([])
            for start, blocks in reversed(made):  # the last first: the earlier stay in place
                stop = spans[start]
                parent[start:stop] = blocks
                for node in children[start:stop]:
                    if node in authored:
                        node.parent = None  # not converted again
            return
        guard.keep(*children)
        spans, carried = self._spans(children)
        out: list[nodes.Node] = []
        consumed: list[nodes.Node] = []
        index = 0
        authored = self.authored
        count = len(children)
        while index < count:
            if children[index] not in authored or index in carried:
                out.append(children[index])
                index += 1
                continue
            stop = spans.get(index, index + 1)
            joined = children[index:stop]
            guard.keep(*joined, tree=True)  # the converter takes them into its nodes
            builder = self._fed(TreeBuilder(joined[0].line), joined)
            problems, items = builder.problems, builder.finish().children
            self.converter.problems = problems
            # Markdown between the joined pieces moves into the new nodes
            out.extend(self.converter.blocks(items))
            consumed += [node for node in joined if node in authored]
            self._settle(problems)
            index = stop
        parent.clear()
        parent.extend(out)
        for node in consumed:
            node.parent = None  # not converted again
        if carried:
            self._carry(parent, [children[at] for at in carried])

    def _spans(self, children: list[nodes.Node]) -> tuple[dict[int, int], list[int]]:
        """Where each HTML block whose elements stay open ends (the index after the
        sibling that closes them; for a block never closed, where HTML cannot go on: the
        next section or transition, or the parent's end, as Pandoc and browsers read
        it), and the blocks that
        open elements just before a section, to be carried into it.

        One pass: a probe tree is fed every sibling once, and each open block waits on
        a stack until the probe's open blocks drop to what they were before it."""
        spans: dict[int, int] = {}
        probe = TreeBuilder()
        waiting: list[tuple[int, int]] = []  # (index, open blocks before it)
        authored = self.authored
        for index, child in enumerate(children):
            if isinstance(child, HTML_ENDS):
                if isinstance(child, nodes.section) and waiting:
                    carried = self._carried(children, waiting[0][0], index)
                    if carried:
                        return spans, carried
                _end_unclosed(spans, waiting, index)
                if not probe.at_rest():
                    probe, waiting = TreeBuilder(), []  # HTML never spans these
                continue
            if child not in authored:
                if probe.at_rest():
                    continue  # Markdown with no HTML open: nothing waits on it
                probe.feed_node(child, child.line)
            else:
                before = probe.open_blocks()
                probe.feed_events(self._events_of(child))
                if probe.open_blocks() > before:
                    waiting.append((index, before))
                    continue
            after = probe.open_blocks()
            while waiting and after <= waiting[-1][1]:
                spans[waiting.pop()[0]] = index + 1
        _end_unclosed(spans, waiting, len(children))
        return spans, []

    def _simple_spans(
        self, children: list[nodes.Node]
    ) -> tuple[dict[int, int], dict[int, list[Element | str | nodes.Node]]] | None:
        """What :meth:`_spans` and :class:`TreeBuilder` make of the HTML blocks among
        ``children`` (where each ends, and its elements, by where it starts), made
        directly when all are simple: tags of containers (:data:`SIMPLE_BLOCKS`, as
        ``<div class="well">``) opened and closed in order around Markdown blocks, their
        attributes kept whole, white space between them. ``None`` for any other HTML.

        One pass over the children, without a probe tree, and each block's tags read
        once a build (:func:`plain_tags`)."""
        spans: dict[int, int] = {}
        trees: dict[int, list[Element | str | nodes.Node]] = {}
        stack: list[Element] = []  # the open elements
        depth = 0  # (kept: len() is a call)
        top: list[Element | str | nodes.Node] = []  # the elements of the span read
        start = 0
        authored = self.authored
        # (no call for each child or tag: ``+=`` and ``del`` for the lists, a node's kind by
        # its class)
        for index, child in enumerate(children):
            if child not in authored:
                if not stack:
                    continue  # Markdown with no HTML open stays as it is
                if _SPAN_KINDS[type(child)] != _BLOCK:
                    return None  # a section ends the HTML, inline nodes make a paragraph
                stack[-1].children += (child,)
                continue
            if not stack:
                start, top = index, []
            tags = plain_tags(authored[child])
            if tags is None:
                return None
            for tag in tags:
                if tag is None:
                    continue  # white space between blocks makes no paragraph
                opens, name, attrs, offset = tag
                if opens and name in SIMPLE_BLOCKS and depth < MAX_DEPTH:
                    element = Element(name, dict(attrs), (child.line or 1) + offset)
                    holder = stack[-1].children if stack else top
                    holder += (element,)
                    stack += (element,)
                    depth += 1
                elif not opens and stack and stack[-1].tag == name:
                    del stack[-1]
                    depth -= 1
                else:
                    return None
            if not stack:
                spans[start], trees[start] = index + 1, top
        return None if stack else (spans, trees)

    def _carried(self, children: list[nodes.Node], first: int, section: int) -> list[int]:
        """The HTML blocks from ``first`` up to the section at ``section``, when they are
        only tags (``<div class="row"><div class="col">`` before a heading): they open
        a layout that the section's body closes."""
        for child in children[first:section]:
            if not self._is_authored(child) or any(
                event[0] == "data" and event[1].strip() for event in self._events_of(child)
            ):
                return []
        return list(range(first, section))

    def _carry(self, parent: nodes.Element, blocks: list[nodes.Node]) -> None:
        """Move ``blocks`` to the start of the body of the section that follows them."""
        section = next(child for child in parent.children if isinstance(child, nodes.section))
        guard.keep(section)
        for block in blocks:
            parent.remove(block)
        at = 1 if len(section) and isinstance(section[0], nodes.title) else 0
        section[at:at] = blocks

    def _is_authored(self, node: nodes.Node) -> TypeGuard[nodes.raw]:
        return node in self.authored

    def _fed(
        self, builder: TreeBuilder, items: Iterable[nodes.Node], *, cached: bool = True
    ) -> TreeBuilder:
        """``builder`` fed the HTML ``items`` the author wrote (tokenized once per page
        when ``cached``: HTML blocks), and the other nodes as nodes."""
        authored = self.authored
        for item in items:
            if item not in authored:
                builder.feed_node(item, item.line)
            elif cached:
                builder.feed_events(self._events_of(item))
            else:
                builder.feed_html(authored[item], item.line)
        return builder

    def _events_of(self, raw: nodes.Node) -> list[Event]:
        """The events of an HTML block, tokenized on first use."""
        events = self.events.get(raw)
        if events is None:
            events = self.events[raw] = tokens(self.authored[raw], raw.line or 1)
        return events

    # not deep: the shortcut changes only the element's children and the nodes it keeps;
    # the general path keeps the element's tree
    @guard.rewrite(deep=False)
    def convert_inline(self, parent: nodes.Element) -> None:
        """Pair up the inline HTML pieces of a paragraph (or other text) into nodes."""
        paragraph = type(parent) is nodes.paragraph or isinstance(parent, nodes.paragraph)
        # a paragraph's line is trimmed, as Converter.lined() makes the paragraph
        trim = paragraph and parent.parent is not None
        made = self._simple_line(parent.children) if self.shortcuts else None
        if made is None:
            guard.keep(parent, tree=True)
            self._convert_inline(parent)
            return
        # one line of inline nodes, and no problem
        self.converter.problems = []
        line: list[nodes.Node] | None = made
        if trim:
            line = _trimmed(made)
            if not line:
                parent.replace_self([])  # a paragraph that shows nothing
                line = None
        if line is not None:
            parent.clear()
            parent.extend(line)
        if self.converter.targets:
            self._settle([])

    def _convert_inline(self, parent: nodes.Element) -> None:
        """:meth:`convert_inline` for any HTML: the pieces fed to a tree builder."""
        self._place_lines(parent)
        builder = self._fed(TreeBuilder(parent.line), parent.children, cached=False)
        problems, items = builder.problems, builder.finish().children
        self.converter.problems = problems
        if isinstance(parent, nodes.paragraph) and parent.parent is not None:
            paragraphs = self.converter.blocks(items)
            if len(paragraphs) != 1 or not isinstance(paragraphs[0], nodes.paragraph):
                for node in paragraphs:
                    assert isinstance(node, nodes.Element)  # blocks are elements
                    node["classes"].extend(parent["classes"])
                    node.line = node.line or parent.line
                    node.source = parent.source
                parent.replace_self(paragraphs or [])
                self._settle(problems)
                return
            children = paragraphs[0].children
        else:
            children = self.converter.inline(items)
        parent.clear()
        parent.extend(children)
        self._settle(problems)

    def _simple_line(self, items: list[nodes.Node]) -> list[nodes.Node] | None:
        """The one line of inline nodes that :class:`TreeBuilder` and
        :meth:`Converter.lines` make of a paragraph's children (``items``), made directly
        when its HTML is simple: each piece one tag (:func:`lone_plain_tag`) of an inline
        element (:data:`SIMPLE_INLINE`), closed in the order opened (or at the end), its
        attributes kept whole, as most inline HTML is. ``None`` for any other HTML, and
        then nothing has changed.

        Two passes without a call per item: the first reads the tags and finds whether
        the shortcut holds; the second makes each element's node when it closes (an
        element that holds nothing makes none), as :meth:`Converter.lines` does. The
        nodes of Markdown in the line (MyST's emphasis …) are kept for the guard first:
        trimming the line (:func:`_trimmed`) may change their text."""
        authored = self.authored
        tags: list[PlainTag] = []  # the authored pieces' tags, in order
        markdown: list[nodes.Node] = []  # MyST's inline elements among the items
        opened: tuple[Any, ...] = ()  # the names of the open elements, the innermost first
        depth = 0
        for item in items:
            if item not in authored:  # (membership, not get: no call for each item)
                if type(item) is not nodes.Text and type(item) is not nodes.raw:
                    if not isinstance(item, INLINE_NODES):
                        return None  # a block in text ends the elements open
                    markdown += (item,)
                continue
            tag = lone_plain_tag(authored[item])
            if tag is None:
                return None
            if tag[0]:
                if tag[1] not in SIMPLE_INLINE or depth >= MAX_DEPTH:
                    return None
                opened, depth = (tag[1], opened), depth + 1
            elif depth and opened[0] == tag[1]:
                opened, depth = opened[1], depth - 1
            else:
                return None  # misnested or stray: TreeBuilder repairs and reports it
            tags += (tag,)
        if markdown:
            guard.keep(*markdown, tree=True)
        line: list[nodes.Node] = []
        into = line  # the children of the innermost open element
        # each open element's tag, and where its node goes
        outer: list[tuple[PlainTag, list[nodes.Node]]] = []
        at = 0
        # the items, then an end for each element left open (it holds the rest)
        for piece in chain(items, repeat(None, depth)):
            if piece is not None:
                if piece not in authored:
                    into += (piece,)
                    continue
                tag = tags[at]
                at += 1
                if tag[0]:
                    outer += ((tag, into),)
                    into = []
                    continue
            # the innermost element ends: its node, unless it holds nothing
            (tag, holder), children = outer[-1], into
            del outer[-1]
            into = holder
            if children:
                attrs = dict(tag[2])
                node = inline_node(tag[1], attrs, children)
                if "class" in attrs or "id" in attrs:
                    self.converter._attributed(node, attrs)
                into += (node,)
        return line

    def _place_lines(self, parent: nodes.Element) -> None:
        """Give the inline HTML of a paragraph its own line: MyST gives each piece the
        paragraph's first line (a legend line's problem belongs on the legend line)."""
        at = parent.line
        if at is None:
            return
        authored = self.authored
        for child in parent.children:
            if child in authored and child.line == parent.line:
                child.line = at
            if type(child) is nodes.Text:
                at += child.count("\n")  # a soft break (text is a string: no astext call)
            elif not (isinstance(child, nodes.raw) and child.get("format") != "html"):
                at += child.astext().count("\n")  # a hard break, a tag over lines

    def _settle(self, problems: list[Problem]) -> None:
        """After a conversion: register the ids of the nodes made, then report the
        problems (each step only where there is something to do: most have neither)."""
        if self.converter.targets:
            self._note_targets(problems)
        if problems:
            self._report(problems)

    def _note_targets(self, problems: list[Problem]) -> None:
        """Register the ids of the nodes just made (a repeated one is dropped) and give
        captioned tables an id, as Sphinx gives its own (it numbers them by id)."""
        for node in self.converter.targets:
            for identifier in list(node["ids"]):
                if identifier in self.document.ids:
                    node["ids"].remove(identifier)
                    message = f"id {identifier!r} is used twice on the page: kept on the first"
                    problems.append(Problem(node.line, message))
                else:
                    self.document.ids[identifier] = node
            if isinstance(node, nodes.table) and not node["ids"]:
                self.document.note_implicit_target(node)
        self.converter.targets.clear()

    def _report(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem.key:
                if problem.key in self.reported:
                    continue
                self.reported.add(problem.key)
            warn(Subtype.HTML, problem.message, location=(self.env.docname, problem.line))


def later_lines(first: nodes.paragraph) -> list[nodes.paragraph]:
    """The paragraphs that follow ``first`` as later lines of the run of text that a
    ``<br>`` split (:meth:`Converter.paragraphs`), as far as they still follow it."""
    attributes = first.attributes
    parent = first.parent
    if LINE_COUNT not in attributes or parent is None:  # (membership: no call)
        return []
    count = attributes[LINE_COUNT]
    if count < 2:
        return []
    start = parent.index(first) + 1
    lines = []
    for sibling in parent.children[start : start + count - 1]:
        if not (isinstance(sibling, nodes.paragraph) and LINE_CLASS in sibling["classes"]):
            break
        lines.append(sibling)
    return lines


def _end_unclosed(spans: dict[int, int], waiting: list[tuple[int, int]], end: int) -> None:
    """The blocks still open at ``end`` span up to it (an element never closed holds the
    rest of its parent, as Pandoc and browsers read it)."""
    for index, _ in waiting:
        spans.setdefault(index, end)


def _in_text(node: nodes.Node) -> bool:
    return isinstance(node.parent, TEXT_NODES)


#: The two halves of MyST's hard line break: raw HTML ``<br />`` and raw LaTeX ``\\``.
HARD_BREAK = {
    "html": re.compile(r"^\s*<br\s*/?>\s*$", re.IGNORECASE),
    "latex": re.compile(r"^\s*\\\\\s*$"),
}


#: The halves as MyST writes them (their children), which need no pattern.
MYST_HARD_BREAK: dict[str, list[Any]] = {"html": ["<br />\n"], "latex": ["\\\\\n"]}


def hard_break_half(node: nodes.Node) -> str | None:
    """``"html"`` or ``"latex"`` when ``node`` is that half of a hard line break."""
    # (tests without a call first: a type test, membership, list equality; most raw
    # nodes asked about are MyST's own halves)
    if type(node) is not nodes.raw and not isinstance(node, nodes.raw):
        return None
    attributes = node.attributes
    output = attributes["format"] if "format" in attributes else ""  # noqa: SIM401
    if output not in HARD_BREAK:
        return None
    if node.children == MYST_HARD_BREAK[output]:
        return output
    return output if HARD_BREAK[output].match(raw_text(node)) else None


def _column_widths(rows: list[tuple[bool, Element]], columns: int) -> list[int]:
    """Relative column widths from the longest text of each column (the text writer
    sets columns exactly this wide, so each must hold its longest word at least)."""
    widths = [3] * columns
    for _, row in rows:
        at = 0
        for cell in _cells(row):
            span = _span(cell, "colspan")
            if span == 1 and at < columns:
                widths[at] = max(widths[at], min(len(cell.text().strip()), 40))
            at += span
    return widths


def setup_html(app: Sphinx) -> None:
    from sphinx_excerpt.embeds import setup_embeds
    from sphinx_excerpt.html_inline import setup_html_inline
    from sphinx_excerpt.nested_tables import setup_nested_tables

    app.add_transform(HtmlToNodes)
    setup_embeds(app)
    setup_html_inline(app)
    setup_nested_tables(app)
