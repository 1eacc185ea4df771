"""Figures of an excerpt: floated photos, and figures and tables with the print edition's numbers.

The Pelican/Pandoc idioms are read after MyST has parsed the page:

* an image alone in its paragraph with a float class (``{.pull-right}``) becomes a
  figure floated to that side, its title an unnumbered caption;
* an image paragraph followed by a caption paragraph that starts with an emphasized
  label (``*Figure 3.1*. Caption``, ``**Figure 3.1**:``, or such a paragraph in a
  well) becomes one numbered figure, the caption's hard-broken lines its legend;
* a table next to a ``*Table 2*. Title`` paragraph becomes a numbered table.

The nodes are subclasses of docutils' figure and table. Sphinx numbers only the exact
classes of its enumerable nodes, so these keep the number their author wrote and leave
the project's other figures' numbers alone; their visitors delegate to the builders'
own figure and table visitors (the LaTeX ones are in :mod:`sphinx_excerpt.figures_latex`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from itertools import filterfalse, repeat
from typing import TYPE_CHECKING, Any, TypeVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.patches import Figure
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.config import ExcerptConfig, excerpt_config
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.domain import handed_on, reading
from sphinx_excerpt.html import LINE_COUNT, hard_break_half, later_lines
from sphinx_excerpt.i18n import shown_label
from sphinx_excerpt.kinds import OTHER, TEXT, NodeKinds
from sphinx_excerpt.nodes import caption_number, excerpt_figure, excerpt_table, lone_image, well
from sphinx_excerpt.scope import is_excerpt_page, note_excerpt_nodes
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TypeGuard

    from sphinx.application import Sphinx

Retyped = TypeVar("Retyped", bound=nodes.Element)


# ---------------------------------------------------------------- what the source says

FLOAT_CLASSES = {
    "pull-right": "right",
    "float-right": "right",
    "pull-left": "left",
    "float-left": "left",
}
LABEL_KINDS = {"figure": "figure", "fig.": "figure", "table": "table"}
NUMBER = r"[A-Z]?\d+(?:\.\d+)*|[A-Z](?![\w])"
CAPTION_LABEL = re.compile(
    rf"^(?P<label>Figure|Fig\.|Table)\s+(?P<number>{NUMBER})\s*(?P<punct>[.:])?$"
)
LABEL_PUNCTUATION = re.compile(r"^\s*[.:]?\s*")


@dataclass
class WrittenCaption:
    """A caption as written: label, number, the caption's inline nodes and legend lines."""

    kind: str  # "figure" or "table"
    label: str  # "Figure", "Fig.", "Table"
    number: str
    text: list[nodes.Node]
    legend: list[list[nodes.Node]] = field(default_factory=list)
    sources: list[nodes.Element] = field(default_factory=list)  # the nodes that held it


# A caption is read for each image and table of every page: the kind of each inline node
# is found by its class (a dictionary, no isinstance call per node; the node is then
# typed Any, as typing.cast is a call too), and a node's attributes and children are
# read from docutils' own dictionary and list, not through the element's methods.

#: The kinds of inline node that shape a caption: raw (either half of MyST's hard line
#: break, raw HTML ``<br />`` and raw LaTeX ``\\``, is a raw node that
#: :func:`~sphinx_excerpt.html.hard_break_half` names), a label's emphasis, text
#: (:data:`~sphinx_excerpt.kinds.TEXT`) or another (``OTHER``).
INLINE = NodeKinds(nodes.raw, (nodes.emphasis, nodes.strong))
RAW, LABEL = 0, 1
#: What can hold an image besides a paragraph: a link (0).
LINK = NodeKinds(nodes.reference)
#: The kinds of block that can hold a caption.
CAPTION_HOLDER = NodeKinds(nodes.paragraph, well)
PARAGRAPH, WELL = 0, 1

#: Whether a node is raw (``isinstance``, as a function that ``map`` calls from C).
_IS_RAW = nodes.raw.__instancecheck__
#: Whether a node is text (as :data:`_IS_RAW`, for ``filter``).
_IS_TEXT = cast("Callable[[Any], TypeGuard[nodes.Text]]", nodes.Text.__instancecheck__)


#: The characters ``str.isspace`` holds true for (a set: ``c in SPACES`` is no call, as
#: ``c.isspace()`` is; tests/test_figures.py holds it to ``isspace``).
SPACES = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


@functools.lru_cache(maxsize=64)
def break_half(output: str, text: str) -> bool:
    """Whether a raw node for ``output`` holding ``text`` is half a hard line break
    (:func:`~sphinx_excerpt.html.hard_break_half`'s answer, cached: the breaks of a
    book's captions are written alike, and a cached answer costs no call of Python's)."""
    return hard_break_half(nodes.raw("", text, format=output)) is not None


def split_lines(inlines: Sequence[nodes.Node]) -> list[list[nodes.Node]]:
    """The inline nodes split at hard line breaks, each line trimmed, without empty lines."""
    # (Any: each node is typed by its kind, found by its class; typing.cast is a call)
    lines: list[list[Any]] = []
    line: list[Any] = []
    previous_break = False
    held: Sequence[Any] = inlines
    for node in held:
        # (the raw node's format and text read with no call but the join)
        if INLINE[type(node)] == RAW and break_half(
            node.attributes["format"] if "format" in node.attributes else "",  # noqa: SIM401
            "".join(node.children),
        ):
            # one break is an HTML/LaTeX pair: the second half starts no new line
            if not previous_break:
                lines += (line,)
                line = []
            previous_break = True
            continue
        previous_break = False
        line += (node,)
    lines += (line,)
    trimmed_lines: list[list[nodes.Node]] = []
    for line in lines:  # (a loop, not a comprehension: no call)
        if not line:
            continue
        # a line holds no break (it was split at them): most lines need no trimming,
        # which is seen without a call (white space at an end, an empty text)
        first: Any = line[0]
        last: Any = line[-1]
        if (INLINE[type(first)] == TEXT and first[:1] in SPACES) or (
            INLINE[type(last)] == TEXT and last[-1:] in SPACES
        ):
            line = trim(line)
        else:
            for node in line:
                if INLINE[type(node)] == TEXT and (node == "" or "\x00" in node):
                    line = trim(line)
                    break
        if line:
            trimmed_lines += (line,)
    return trimmed_lines


def trim(line: Sequence[nodes.Node]) -> list[nodes.Node]:
    """The line without the white space and line breaks at its ends, and without empty text."""
    start, end = 0, len(line)
    while start < end and INLINE[type(line[start])] == RAW and hard_break_half(line[start]):
        start += 1
    while end > start and INLINE[type(line[end - 1])] == RAW and hard_break_half(line[end - 1]):
        end -= 1
    trimmed = list(line[start:end])
    if trimmed:
        first: Any = trimmed[0]
        if INLINE[type(first)] == TEXT and first[:1] in SPACES:
            trimmed[0] = nodes.Text(first.astext().lstrip())
        last: Any = trimmed[-1]  # (the first, stripped, when it is the only one)
        if INLINE[type(last)] == TEXT and last[-1:] in SPACES:
            trimmed[-1] = nodes.Text(last.astext().rstrip())
    # empty text (as docutils reads it: astext() drops reStructuredText's escape marks,
    # NUL) is dropped; a line rarely holds any: tests in C first (a Text is a str)
    texts = list(filter(_IS_TEXT, trimmed))
    if "" in texts or "\x00" in "".join(texts):
        return [n for n in trimmed if not (isinstance(n, nodes.Text) and not n.astext())]
    return trimmed


def read_caption(inlines: Sequence[nodes.Node]) -> WrittenCaption | None:
    """The caption written in these inline nodes, or ``None`` when they hold none."""
    if not inlines:
        return None
    first: Any = inlines[0]
    kind = INLINE[type(first)]
    rest: list[Any] = list(inlines[1:])
    # most captions open with their label and end with words, and hold no empty text (as
    # docutils reads it): then trim() would leave them as they are (it strips only the
    # ends, and drops empty text), seen here without a call
    careful = kind != LABEL
    if not careful:
        for node in rest:
            if INLINE[type(node)] == TEXT and (node == "" or "\x00" in node):
                careful = True
                break
        if not careful and rest:
            last = rest[-1]
            end = INLINE[type(last)]
            careful = end == RAW or (end == TEXT and last[-1:] in SPACES)
    if careful:
        inlines = trim(inlines)
        if not inlines or INLINE[type(inlines[0])] != LABEL:
            return None
        first, rest = inlines[0], inlines[1:]
    # the label's text: most labels hold one text, read without astext()'s calls
    held = first.children
    only = held[0] if held and not held[1:] else None
    if only is not None and INLINE[type(only)] == TEXT and "\x00" not in only:
        label_text = str(only)
    else:
        label_text = first.astext()
    match = CAPTION_LABEL.match(label_text.strip())
    if not match:
        return None
    if rest and INLINE[type(rest[0])] == TEXT:
        after = rest[0]
        rest[0] = nodes.Text(
            LABEL_PUNCTUATION.sub("", str(after) if "\x00" not in after else after.astext(), 1)
        )
    lines = split_lines(rest)
    label = match["label"]
    return WrittenCaption(
        kind=LABEL_KINDS[label.lower()],
        label=shown_label(label),
        number=match["number"],
        text=lines[0] if lines else [],
        legend=lines[1:],
    )


def caption_of(node: nodes.Node | None) -> WrittenCaption | None:
    """The caption a paragraph (or a well of paragraphs) holds, if it is one.

    The HTML converter (:mod:`sphinx_excerpt.html`) has split a paragraph with hard
    line breaks into one paragraph per line (:func:`~sphinx_excerpt.html.later_lines`):
    the lines after the caption's are its legend. ``caption.sources`` are the nodes that held it.
    """
    holder = CAPTION_HOLDER[type(node)]
    block: Any = node  # (a paragraph or a well when it has that kind)
    if holder == PARAGRAPH:
        # most paragraphs start with words (or a node other than a label or a line
        # break), which trim() keeps first: they hold no caption, seen here with no call
        inlines = block.children
        if inlines:
            first = inlines[0]
            kind = INLINE[type(first)]
            if kind == OTHER:
                return None
            # (a first character other than a space stays in astext(), which drops only
            # NUL, reStructuredText's escape mark, and what follows it)
            start = first[:1] if kind == TEXT else ""
            if start and start not in SPACES and (start != "\x00" or first.astext()):
                return None
        caption = read_caption(inlines)
        if caption is None:
            return None
        caption.sources += (block,)
        if LINE_COUNT not in block.attributes:
            return caption  # (no later lines: most captions are one paragraph)
        for line in later_lines(block):
            if read_caption(line.children) is not None:
                break  # the next caption's
            caption.legend += split_lines(line.children)
            caption.sources.append(line)
        return caption
    if holder == WELL:
        paragraphs = [child for child in block.children if isinstance(child, nodes.paragraph)]
        if len(paragraphs) != len(block.children) or not paragraphs:
            return None
        caption = read_caption(paragraphs[0].children)
        if caption is not None:
            caption.legend += [line for p in paragraphs[1:] for line in split_lines(p.children)]
            caption.sources.append(block)
        return caption
    return None


# ---------------------------------------------------------------- building the nodes


def number_label(label: str, number: str) -> caption_number:
    """The "Figure 3.1. " that starts a numbered caption or table title."""
    return caption_number("", f"{label} {number}. ", classes=["caption-number"])


def text_without_label(node: nodes.Element) -> str:
    """The text of a caption or title without its "Figure 3.1. " label (and, as
    :func:`sphinx.util.nodes.clean_astext`, without images' alt text and raw output)."""
    left_out = (caption_number, nodes.image, nodes.raw)
    # one walk to see whether there is anything to leave out: most text has nothing
    if not any(isinstance(n, left_out) for n in node.findall(nodes.Element, include_self=False)):
        return node.astext()
    copy = node.deepcopy()
    for part in list(copy.findall(lambda n: isinstance(n, left_out))):
        part.parent.remove(part)
    return copy.astext().strip()


def retyped(node: nodes.Element, new_class: type[Retyped]) -> Retyped:
    """``node`` as a ``new_class`` (a subclass of its own), holding its children."""
    new = new_class(node.rawsource, *node.children, **node.attributes)
    new.source, new.line = node.source, node.line
    node.children = []
    return new


def make_float(figure: excerpt_figure, image: nodes.image, side: str, width: str) -> None:
    """Float ``figure`` to ``side`` at ``width``; its image fills it."""
    attributes = figure.attributes
    attributes["float"] = attributes["align"] = side
    attributes["width"] = width
    attributes["classes"].append("excerpt-float")
    image.attributes["width"] = "100%"


def replace_element(document: nodes.document, old: nodes.Element, new: nodes.Element) -> None:
    """Put ``new`` where ``old`` was, keeping the document's id table right."""
    old.replace_self(new)
    for node_id in new.attributes["ids"]:
        document.ids[node_id] = new


def assign_number(
    document: nodes.document, node: nodes.Element, kind: str, label: str, number: str
) -> None:
    """Give ``node`` its written number and a stable id (``figure-3-1``) when that is free."""
    attributes = node.attributes
    attributes["number"], attributes["label"] = number, label
    wanted = number_id(kind, number)
    if wanted not in document.ids:
        attributes["ids"].insert(0, wanted)
        document.ids[wanted] = node
    elif not attributes["ids"]:
        document.set_id(node)


@functools.lru_cache(maxsize=256)
def number_id(kind: str, number: str) -> str:
    """The id a number asks for (``figure-3-1``), made once for each (a pure function,
    cached: the pages of a book repeat each other's numbers)."""
    return nodes.make_id(f"{kind}-{number}")


def warn_repeated_numbers(numbered: Sequence[nodes.Element]) -> None:
    """One warning at each figure or table whose number an earlier one of the page has
    (``numbered``: the page's :func:`numbered_items`)."""
    # (a node's attributes read from its dictionary, and the keys seen kept in one: no
    # call per node)
    seen: dict[tuple[str, str], None] = {}
    for node in numbered:
        key = (node.__class__.__name__, node.attributes["number"])
        if key in seen:
            warn(
                Subtype.CAPTION,
                f"{node['label']} {node['number']} is numbered twice on this page; "
                "mentions link to the first",
                node=_numbered_at(node),
            )
        seen[key] = None


def _numbered_at(node: nodes.Element) -> nodes.Element:
    """Where a figure's or table's number is written: its caption (or title), else itself."""
    for child in node.findall(lambda n: isinstance(n, nodes.caption | nodes.title)):
        if child.line:
            return cast("nodes.Element", child)  # (found by a condition: typed as a node)
    return node


#: The alignments of an image that its figure takes.
ALIGNS = ("left", "right", "center")


@dataclass
class FloatOptions:
    """How a figure floats: side and width (a CSS/LaTeX length, "40%")."""

    side: str
    width: str


def float_options(
    image: nodes.image, classes: Sequence[str], default_width: str
) -> FloatOptions | None:
    """How ``image`` floats when a float class is among ``classes`` (``None``: it does not)."""
    # the side of the first float class (a loop in C: most images have one class or none)
    side = next(filter(None, map(FLOAT_CLASSES.get, classes)), None)
    if side is None:
        return None
    return FloatOptions(side, image.attributes.get("width") or default_width)


class FigureIdioms(SphinxTransform):
    """Turn float classes and written captions of the page into figures and tables."""

    default_priority = priorities.FIGURES

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        env = self.env  # (a property, as ``self.config`` is: asked once)
        if not is_excerpt_page(env):
            return
        config = excerpt_config(env.config)
        blocks: list[nodes.Element] = []
        # docutils' walk by class, and the elements of a kind picked before any changes
        # (Any: each is typed by its kind, found by its class; typing.cast is a call)
        found: list[Any] = WALKED.among(self.document.findall(WALKED_BASE))
        for element in found:
            parent = element.parent
            if parent is None:
                continue  # taken into a figure already
            made: nodes.Element | None = None
            kind = WALKED[type(element)]
            if kind == TABLE:
                made = self.read_table(element)
            elif kind == FIGURE:
                made = self.read_directive_figure(element, config)
            elif kind == BLOCK:
                made = element
            else:  # an image
                # a paragraph that holds only an image is read at its image (the next
                # elements of the walk are the paragraph's): most paragraphs hold text
                image: nodes.image = element
                if LINK[type(parent)] == 0:  # (by the class: no isinstance call)
                    parent = parent.parent
                # (most images alone in their paragraph are its one child: seen with no
                # call of lone_image's)
                held = parent.children
                if (
                    type(parent) is nodes.paragraph
                    and parent.parent is not None
                    and (
                        (held and held[0] is image and not held[1:]) or lone_image(parent) is image
                    )
                ):
                    made = self.read_image_paragraph(parent, image, config)
                classes = image.attributes["classes"]
                if classes and not STYLED.isdisjoint(classes):  # (most images have none)
                    style_image(image)
            if made is not None:
                blocks += (made,)
        # kept with the page being read (dropped when the page is read)
        page = reading(env)
        page.keep("blocks")
        page.blocks = (self.document, blocks)
        warn_repeated_numbers(numbered_items(self.document, blocks))

    # deep: the paragraph's tree is its image (or the link around it), whose classes
    # and width change; the link moves into the figure as it is
    @guard.rewrite
    def read_image_paragraph(
        self, paragraph: nodes.paragraph, image: nodes.image, config: ExcerptConfig
    ) -> excerpt_figure | None:
        """The figure ``paragraph``, which holds ``image`` and nothing else, is."""
        # (in this step, run for every image of its own, with no call that buys nothing:
        # attributes and children are read from docutils' dictionaries and lists, not
        # through an element's methods; the next sibling, the float side and the figure
        # found here, not by helpers)
        image_attributes = image.attributes
        classes = image_attributes["classes"]
        side = None
        if classes:  # (most images have no class)
            if not STYLED.isdisjoint(classes):
                style_image(image)
            for name in classes:  # the side of the first float class
                if name in FLOAT_CLASSES:
                    side = FLOAT_CLASSES[name]
                    break
        # the caption, in the element right after the paragraph
        siblings = paragraph.parent.children
        following = siblings[siblings.index(paragraph) + 1 :][:1]
        caption = None
        if following and CAPTION_HOLDER[type(following[0])] >= 0:
            caption = caption_of(following[0])
            if caption is not None and caption.kind != "figure":
                caption = None
        if caption is None and side is None:
            return None
        # (the caption's paragraphs are siblings, only taken out of the parent, which the
        # guard keeps with the step; their inline nodes move into the figure, whose
        # parents it puts back in any case: nothing of theirs to keep)
        if side is not None:
            # (filtered in C: no comprehension, which is a call)
            image_attributes["classes"] = list(filterfalse(FLOAT_CLASSES.__contains__, classes))
        holder: nodes.Node = image if image.parent is paragraph else image.parent  # (a link)
        paragraph.children.remove(holder)
        # the figure's children, given to it at once (one call of docutils')
        children = [holder]
        if caption is not None:
            # the caption, starting with its "Figure 3.1. " label
            written = nodes.caption(
                "", "", number_label(caption.label, caption.number), *caption.text
            )
            source = caption.sources[0]
            written.source, written.line = source.source, source.line
            children += (written,)
            if caption.legend:  # one paragraph per line (a loop: a generator is a call a line)
                lines: list[nodes.Node] = []
                for line in caption.legend:
                    lines += (nodes.paragraph("", "", *line),)
                children += (nodes.legend("", *lines),)
        elif side is not None and "title" in image_attributes and image_attributes["title"]:
            children += (nodes.caption("", image_attributes["title"]),)
        figure = excerpt_figure("", *children)
        if side is not None:
            width = image_attributes.get("width")
            make_float(figure, image, side, width or config.float_width)
        elif "align" in image_attributes and image_attributes["align"] in ALIGNS:
            figure.attributes["align"] = image_attributes["align"]
        figure.source, figure.line = paragraph.source, paragraph.line
        figure.attributes["ids"] = paragraph.attributes["ids"][:]
        if caption is not None:
            figure.attributes["classes"] += ("excerpt-numbered",)
            assign_number(self.document, figure, caption.kind, caption.label, caption.number)
            for source in caption.sources:  # (taken out of the page)
                source.parent.remove(source)
        # the figure where the paragraph was, with its ids in the document's table (as
        # replace_element does)
        paragraph.replace_self(figure)
        ids = self.document.ids
        for node_id in figure.attributes["ids"]:
            ids[node_id] = figure
        return figure

    # not deep: the table's rows move, unchanged, into the numbered table, and so do the
    # caption's inline nodes into its title and notes (only their parents change, which
    # the guard puts back in any case); the nodes that held the caption are the table's
    # siblings, only taken out of the parent, which the guard keeps
    @guard.rewrite(deep=False)
    def read_table(self, table: nodes.table) -> excerpt_table | None:
        # (isinstance called by map, in C: no generator of ours resumed per child)
        if any(map(isinstance, table.children, repeat(nodes.title))):
            return None
        # the elements right after and right before the table (found at once: one look-up
        # of its place)
        siblings = table.parent.children
        at = siblings.index(table)
        neighbours = siblings[at + 1 : at + 2] + (siblings[at - 1 : at] if at else [])
        for neighbour in neighbours:
            caption = caption_of(neighbour)
            if caption is not None and caption.kind == "table":
                break
        else:
            return None
        numbered = retyped(table, excerpt_table)
        title = nodes.title("", "", number_label(caption.label, caption.number), *caption.text)
        numbered.insert(0, title)
        assign_number(self.document, numbered, caption.kind, caption.label, caption.number)
        # a table has no legend: its lines stay, as notes right under the table
        notes = [nodes.paragraph("", "", *line, classes=["table-notes"]) for line in caption.legend]
        # not replace_self: it would give the notes the caption's classes (a well's
        # "well"), and with no notes it refuses to drop them
        caption.sources[0].parent.replace(caption.sources[0], notes)
        remove_all(caption.sources[1:])
        replace_element(self.document, table, numbered)
        return numbered

    @guard.rewrite
    def read_directive_figure(
        self, figure: nodes.figure, config: ExcerptConfig
    ) -> excerpt_figure | None:
        """A MyST/reST ``figure`` with a float class (``:class: pull-right``) floats too."""
        image = next(figure.findall(nodes.image), None)
        if image is None:
            return None
        side_classes = [*figure["classes"], *image["classes"]]
        floating = float_options(image, side_classes, config.float_width)
        if floating is None:
            return None
        new = retyped(figure, excerpt_figure)
        new["classes"] = [c for c in new["classes"] if c not in FLOAT_CLASSES]
        image["classes"] = [c for c in image["classes"] if c not in FLOAT_CLASSES]
        make_float(new, image, floating.side, figure.get("width") or floating.width)
        replace_element(self.document, figure, new)
        return new


def remove_all(elements: Sequence[nodes.Element]) -> None:
    for element in elements:
        element.parent.remove(element)


#: The image classes :func:`style_image` reads (most images have neither).
STYLED = frozenset(("img-fluid", "center-block"))


@guard.rewrite
def style_image(image: nodes.image) -> None:
    """Bootstrap's image classes as docutils attributes, so every builder honours them."""
    classes = image["classes"]
    if "img-fluid" in classes and "width" not in image:
        image["width"] = "100%"
    if (
        "center-block" in classes
        and "align" not in image
        and isinstance(image.parent, nodes.figure)
    ):
        image["align"] = "center"


# ---------------------------------------------------------------- MyST-native authoring


def float_choice(argument: str) -> str:
    return directives.choice(argument, ("right", "left"))


class ExcerptFigure(Figure):
    """``excerpt-figure``: a figure with a fixed number, a float side and a legend.

    The first paragraph of the content is the caption, the rest the legend (as in
    ``figure``); ``:number:`` gives it the print edition's number, ``:label:`` the word
    before it (default "Figure"), ``:float:`` floats it beside the text.
    """

    option_spec = {
        **cast("dict[str, Callable[[str], Any]]", Figure.option_spec),  # (typed optional)
        "float": float_choice,
        "number": directives.unchanged_required,
        "label": directives.unchanged_required,
    }

    @guard.directive
    def run(self) -> list[nodes.Node]:
        number = self.options.pop("number", None)
        label = self.options.pop("label", "Figure")
        side = self.options.pop("float", None)
        note_excerpt_nodes(self.state.document.settings.env)
        result = super().run()
        if not result or type(result[0]) is not nodes.figure:
            return result
        new = retyped(result[0], excerpt_figure)
        for node_id in new["ids"]:
            self.state.document.ids[node_id] = new
        image = next(new.findall(nodes.image))
        if side is not None:
            config = excerpt_config(self.state.document.settings.env.config)
            width = self.options.get("figwidth") or image.get("width") or config.float_width
            make_float(new, image, side, width)
        if number is not None:
            self.number(new, label, number)
        return [new, *result[1:]]

    def number(self, figure: excerpt_figure, label: str, number: str) -> None:
        """Give the figure its written number and the caption its label."""
        kind = LABEL_KINDS.get(label.lower(), "figure")
        label = shown_label(label)
        assign_number(self.state.document, figure, kind, label, number)
        figure["classes"].append("excerpt-numbered")
        caption = next((c for c in figure.children if isinstance(c, nodes.caption)), None)
        if caption is None:
            caption = nodes.caption("", "")
            figure.insert(1, caption)
        caption.insert(0, number_label(label, number))


#: What holds the text of a page besides its paragraphs: wells, figures and tables.
BLOCKS: tuple[type[nodes.Element], ...] = (well, excerpt_figure, excerpt_table)
#: The elements :class:`FigureIdioms` looks for: blocks, images, and MyST's tables and
#: figures (of these exact classes: a subclass is a block, or another extension's).
WALKED = NodeKinds(BLOCKS, nodes.image)
#: The class of all the elements :class:`FigureIdioms` looks for (docutils' general body
#: elements), by which docutils' walk yields the fewest others (two in five of a page's
#: elements are general: paragraphs, images, tables, wells …).
WALKED_BASE = nodes.General
BLOCK, IMAGE, TABLE, FIGURE = 0, 1, 2, 3
#: The blocks that have a written number: figures (0) and tables (1).
NUMBERED = NodeKinds(excerpt_figure, excerpt_table)
WALKED[nodes.table] = TABLE
WALKED[nodes.figure] = FIGURE


def page_blocks(document: nodes.document) -> list[nodes.Element]:
    """The page's wells, figures and tables, in page order (as :class:`FigureIdioms`
    found them in its one walk of the page being read: the transforms after it walk no
    more)."""
    env = getattr(document.settings, "env", None)
    page = handed_on(env) if env is not None else None
    found = page.blocks if page is not None else None
    if found is None or found[0] is not document:
        # a doctree read earlier (from its pickle): one walk per class
        return [node for cls in BLOCKS for node in document.findall(cls)]
    return [node for node in found[1] if node.parent is not None]  # not taken as a caption


def numbered_items(
    document: nodes.document, blocks: Sequence[nodes.Element] | None = None
) -> list[nodes.Element]:
    """The page's figures, then its tables, with a written number (each in page order);
    of ``blocks``, the page's :func:`page_blocks` as :class:`FigureIdioms` found them, if
    given."""
    if blocks is None:
        blocks = page_blocks(document)
    figures: list[nodes.Element] = []
    tables: list[nodes.Element] = []
    for node in blocks:  # (one loop over the blocks, for both kinds; no call per block)
        attributes = node.attributes
        if "number" in attributes and attributes["number"] and node.parent is not None:
            kind = NUMBERED[type(node)]
            if kind == 0:
                figures += (node,)
            elif kind == 1:
                tables += (node,)
    return figures + tables


def setup_figures(app: Sphinx) -> None:
    # the nodes are registered with their LaTeX visitors by sphinx_excerpt.figures_latex
    app.add_directive("excerpt-figure", ExcerptFigure)
    app.add_transform(FigureIdioms)
