"""The words of wells, captions and legends as messages of ``-b gettext``.

Sphinx's gettext builder extracts a message from each text element that has a source
file and a ``rawsource`` (:func:`sphinx.util.nodes.extract_messages`). The elements the
extension builds from raw HTML or from a paragraph it takes apart (the paragraphs of a
well, a figure's caption and legend lines, a table's title, a photo's caption from its
image title) have neither, so they would be left out of the translators' catalogs. This
transform gives them their place in the source and their text as message: a caption's
message is its text without the "Figure 3.1." label, which the extension's own catalog
translates (:mod:`sphinx_excerpt.i18n`).

Only the gettext builder reads these messages, so other builders skip the work. Sphinx
never gives the gettext builder doctrees another builder read: their versioning methods
differ, so ``make html gettext`` reads the pages afresh for the catalogs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.figures import page_blocks, text_without_label
from sphinx_excerpt.scope import shows_excerpt_nodes

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx


#: An HTML tag in a source text: a paragraph of Markdown inside an HTML block keeps its
#: source with the tags the converter made nodes of, so its message is its text too.
HTML_TAG = re.compile(r"</?[A-Za-z]")


def needs_message(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.TextElement)
        and not isinstance(node, nodes.Inline)
        and not (node.rawsource and node.source and not HTML_TAG.search(node.rawsource))
    )


def located_at(node: nodes.Element) -> tuple[str | None, int | None]:
    """The source and line of ``node`` or of its nearest ancestor that has them."""
    source, line = node.source, node.line
    parent = node.parent
    while parent is not None and not (source and line):
        source, line = source or parent.source, line or parent.line
        parent = parent.parent
    return source, line


class MessageSources(SphinxTransform):
    """Give the text elements of wells, figures and tables a source and a message."""

    default_priority = priorities.MESSAGES

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        if not shows_excerpt_nodes(self.env, self.env.docname):
            return
        for block in page_blocks(self.document):
            give_messages(block)


@guard.rewrite
def give_messages(block: nodes.Element) -> None:
    """A source, line and message for each text element of ``block`` that has none."""
    # (findall with a condition is typed as giving nodes; needs_message gives text elements)
    for node in cast("Iterator[nodes.TextElement]", block.findall(needs_message)):
        message = text_without_label(node)
        if not message:
            continue
        node.source, node.line = located_at(node)
        node.rawsource = message


def add_message_sources(app: Sphinx) -> None:
    """``builder-inited``: :class:`MessageSources` in builds that extract messages (the
    gettext builder, as Sphinx's own i18n checks) only: any other build would run it at
    every page, for nothing."""
    if isinstance(app.builder, MessageCatalogBuilder):
        app.add_transform(MessageSources)


def setup_messages(app: Sphinx) -> None:
    guard.connect(app, "builder-inited", add_message_sources)
