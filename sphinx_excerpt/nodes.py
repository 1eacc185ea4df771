"""Every node class of the extension, and the two queries that make or place them.

The classes carry no behaviour: the modules of each stage make them (the HTML converter,
the figures, the layout …) and the builders' visitors write them (registered with
:func:`sphinx_excerpt.guard.add_node`). Kept in one module below every stage, so that
any stage can make or recognise any node without importing another stage.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_excerpt.kinds import TEXT, NodeKinds

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# ---------------------------------------------------------------- read from the page


#: The class of a ``<div>`` (or a fenced div) that is a well.
WELL_CLASS = "well"


class well(nodes.General, nodes.Element):
    """A boxed block of citation and credits; its children are body elements (paragraphs)."""


#: The node a ``<div>`` (or a fenced div) with a given class becomes (any other: a
#: container).
DIV_NODES: Mapping[str, type[nodes.Element]] = MappingProxyType({WELL_CLASS: well})


class excerpt_figure(nodes.figure):
    """A figure with the number its author wrote (``number``, ``label``), or floated
    beside the text (``float``: ``"right"``/``"left"``), or both."""


class excerpt_table(nodes.table):
    """A table with the number its author wrote (``number``, ``label``)."""


class caption_number(nodes.inline):
    """The "Figure 3.1. " that starts a numbered caption or table title.

    It is text in HTML (``<span class="caption-number">``), the text build and the
    others; LaTeX leaves it out, because there the label is LaTeX's own caption label.
    """


class html_inline(nodes.inline):
    """An inline HTML element written as itself in HTML, as a classed span elsewhere."""


class video_embed(nodes.container):
    """A video player from an allowed host; holds the link other builders show."""


class excerpt_contents(nodes.General, nodes.Element):
    """Where the in-page list of the page's sections goes; shown by HTML builders only.

    The node is an empty marker: the HTML writer lists the sections of the section that
    holds it, so the doctrees Sphinx keeps in memory and pickles carry no copy of the
    headings.
    """


# ---------------------------------------------------------------- made for LaTeX


class image_placeholder(nodes.Inline, nodes.TextElement):
    """Where an image LaTeX cannot include stood: its alt text (or file name), framed.

    ``block`` is true when the image stood on its own (in a figure, the body or alone
    in its paragraph), false when it stood in a line of text.
    """


class unsettable_character(nodes.Inline, nodes.TextElement):
    """A character the PDF's engine cannot set, kept as text; LaTeX shows its code point."""


class right_to_left(nodes.Inline, nodes.TextElement):
    """A run of right-to-left text, which lualatex sets right to left."""


class photo_caption(nodes.Part, nodes.TextElement):
    """The unnumbered caption of a figure without a number (a photo's title), in LaTeX.

    Not a ``caption``: Sphinx's LaTeX writer counts a figure with a caption as a
    numbered one (``\\capstart``).
    """


# ---------------------------------------------------------------- queries


#: The kinds of node :func:`lone_image` tells apart (by class: it is asked of every image
#: of every page, and a dictionary look-up is no isinstance call).
_LONE = NodeKinds(nodes.paragraph, nodes.reference, nodes.image)
_PARAGRAPH, _REFERENCE, _IMAGE = 0, 1, 2


def lone_image(paragraph: nodes.Node) -> nodes.image | None:
    """The image of a paragraph that holds nothing else (a linked image counts)."""
    if _LONE[type(paragraph)] != _PARAGRAPH:
        return None
    # (Any: the nodes are told apart by their kinds, found by class)
    only: Any = None
    children: Sequence[Any] = paragraph.children
    for child in children:  # most paragraphs are text: stop at the second piece
        if _LONE[type(child)] == TEXT and (not child or child.isspace()):
            continue
        if only is not None:
            return None
        only = child
    if _LONE[type(only)] == _REFERENCE and len(only.children) == 1:
        only = only.children[0]
    return only if _LONE[type(only)] == _IMAGE else None


def placeholder_for(image: nodes.image) -> image_placeholder:
    """The placeholder of ``image``: its alt text, else its file name."""
    text = image.get("alt") or PurePosixPath(image.get("original_uri", image["uri"])).name
    holder = image.parent if isinstance(image.parent, nodes.reference) else image
    block = not isinstance(holder.parent, nodes.TextElement) or lone_image(holder.parent) is image
    node = image_placeholder("", text, block=block, classes=["excerpt-missing-image"])
    node.source, node.line = image.source, image.line
    return node
