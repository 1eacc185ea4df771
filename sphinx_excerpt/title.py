"""HTML in a page's ``Title``: markup in the page's heading, plain text everywhere else.

Pelican prints a ``Title`` as written, so ``Title: The <em>Long</em> Walk`` shows an
emphasised word. The title is untrusted: only harmless inline markup (emphasis, strong,
code, sub- and superscript, small print) becomes nodes; any other tag is dropped with its
text kept, and ``<script>``/``<style>`` with their content, each with a warning.

The page is read with the title as plain text, so Sphinx's own records of it — the
``<title>`` element, toctrees, the sidebar's contents, the PDF's title and metadata — are
plain text. The markup is put into the heading itself by a post-transform, as each page
is written (:class:`TitleMarkup`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.html import INLINE
from sphinx_excerpt.pages import PostTransformSomeBuildsNeed, add_when_needed, any_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinx_excerpt.domain import Page

#: The attribute of a page's title node that holds the title as written, with its HTML.
MARKUP_ATTRIBUTE = "excerpt_title_html"

#: Tags kept in a title, and the node each becomes.
MARKUP: dict[str, Callable[[], nodes.Element]] = {
    **INLINE,  # the converter's inline tags, each the node it makes of them
    "small": lambda: nodes.inline(classes=["small"]),
}
#: Tags dropped with everything in them.
REMOVED = frozenset(("script", "style", "template"))
#: Tags that are a space in one line of text.
SPACES = frozenset(("br", "wbr"))


@dataclass
class ParsedTitle:
    """A title's plain text, its nodes, and the tags that were dropped from it."""

    text: str
    nodes: list[nodes.Node]
    dropped: list[str] = field(default_factory=list)


class _TitleReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = nodes.inline()
        self.open: list[tuple[str, nodes.Element]] = [("", self.root)]
        self.text: list[str] = []
        self.dropped: list[str] = []
        self.hidden = 0  # inside a removed element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in REMOVED:
            self.hidden += 1
            self.dropped.append(tag)
        elif self.hidden:
            return
        elif tag in SPACES:
            self.handle_data(" ")
        elif tag in MARKUP:
            node = MARKUP[tag]()  # attributes are not kept: classes, styles, events
            self.open[-1][1].append(node)
            self.open.append((tag, node))
        else:
            self.dropped.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in MARKUP or tag in REMOVED:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in REMOVED:
            self.hidden = max(0, self.hidden - 1)
        elif not self.hidden and any(name == tag for name, _ in self.open[1:]):
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)
            self.open[-1][1].append(nodes.Text(data))


def one_line(text: str) -> str:
    """``text`` as one line: every run of whitespace one space, none at the ends."""
    if text.isprintable() and "  " not in text:
        return text.strip()  # the common case, found by two scans in C: nothing to join
    return " ".join(text.split())


def has_markup(title: str) -> bool:
    """Whether ``title`` holds HTML: a tag or a character reference."""
    return "<" in title or "&" in title


def parse_title(title: str) -> ParsedTitle:
    """Read a title that may hold HTML (see :func:`has_markup`)."""
    if not has_markup(title):
        return ParsedTitle(one_line(title), [nodes.Text(title)])
    reader = _TitleReader()
    reader.feed(title)
    reader.close()
    children = list(reader.root.children)
    reader.root.clear()
    return ParsedTitle(one_line("".join(reader.text)), children, reader.dropped)


class TitleMarkup(PostTransformSomeBuildsNeed):
    """Put the HTML markup of excerpt pages' titles into their headings."""

    default_priority = priorities.TITLE_MARKUP

    @classmethod
    def needed(cls, app: Sphinx) -> bool:
        """Whether a page of the build has a title with markup."""
        return any_page(app.builder, "a title with markup", _title_has_markup)

    @guard.rewrite
    def run(self, **kwargs: Any) -> None:
        for title in self.document.findall(nodes.title):
            written = title.get(MARKUP_ATTRIBUTE)
            if written:
                guard.keep(title)
                title.clear()
                title.extend(parse_title(written).nodes)


def _title_has_markup(record: Page) -> bool:
    return has_markup(record.get("title") or "")


def add_title_markup(app: Sphinx, builder: Builder) -> None:
    """:class:`TitleMarkup`, in builds where a page's title has markup."""
    add_when_needed(app, TitleMarkup)


def setup_title(app: Sphinx) -> None:
    guard.connect(app, "write-started", add_title_markup)
