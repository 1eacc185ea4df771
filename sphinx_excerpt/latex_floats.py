"""Where each excerpt figure goes in the PDF: wrapped by the text, a block, or a float.

A LaTeX-only post-transform decides it, per figure, on the document the LaTeX writer
is about to write (after Sphinx's own LaTeX post-transforms: the text after a photo is
the text the PDF will have), and says so in the attributes Sphinx's ``visit_figure``
reads, so that Sphinx's writer writes the figure:

* a floated photo the text after it can fill the space beside keeps ``align``
  (``"left"``/``"right"``): Sphinx writes a ``wrapfigure`` of the figure's ``width``
  (a width LaTeX cannot read is replaced by the column share it stands for). A
  ``\\sphinxexcerptwrapneedspace`` before it starts a new page when the photo would
  not fit above the page's end; a photo right under a heading asks for that room
  before the heading, so that a page break never comes between the two;
* any other numbered figure, and a figure that is not floated, is LaTeX's own float
  (``align`` removed: Sphinx would wrap a figure aligned to a side);
* a floated photo that text cannot flow beside (a list, a heading or a short
  paragraph next, or a table, footnote or box around it: wrapfig lets text and image
  overlap there) and that has no number is a centred block of its width
  (``placement`` ``"block"``): Sphinx has no figure that neither floats nor wraps;
* the caption of a figure without a number (a photo's title) is a :class:`photo_caption`,
  set as a small unnumbered line: Sphinx's captions are LaTeX's numbered ``\\caption``.

The LaTeX visitors of :mod:`sphinx_excerpt.figures_latex` read ``placement``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.locale import __
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.images import get_image_size
from sphinx.writers.latex import rstdim_to_latexdim

from sphinx_excerpt import diagnostics, guard, priorities
from sphinx_excerpt.nodes import excerpt_figure, photo_caption
from sphinx_excerpt.scope import project_shows_excerpt_nodes

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

logger = logging.getLogger(__name__)

#: The attribute that says how the LaTeX writer places an excerpt figure, and its values.
PLACEMENT = "placement"
WRAP, BLOCK, FLOAT = "wrap", "block", "float"
SIDES = ("left", "right")

#: What a photo is assumed to be when its file cannot be measured (width / height).
DEFAULT_ASPECT = 1.5
#: The share of the column a floated photo takes when its width says none.
DEFAULT_FRACTION = 0.4
#: Characters of running text per full line of the PDF's text block, and lines per
#: text-block width, for deciding whether the text after a photo fills the space beside it.
CHARS_PER_LINE = 90
LINES_PER_WIDTH = 39
CAPTION_LINES = 3


def width_fraction(width: str) -> float | None:
    """The float width as a fraction of the column, when written as a percentage."""
    if width.endswith("%"):
        try:
            return float(width[:-1]) / 100
        except ValueError:
            return None
    return None


def image_aspect(figure: nodes.Element, srcdir: Path, supported: Sequence[str]) -> float:
    """Width over height of the figure's image file (``DEFAULT_ASPECT`` if unknown)."""
    image = next(figure.findall(nodes.image), None)
    if image is None:
        return DEFAULT_ASPECT
    size = get_image_size(str(srcdir / written_file(image, supported)))
    if not size or not size[0] or not size[1]:
        return DEFAULT_ASPECT
    return size[0] / size[1]


def written_file(image: nodes.image, supported: Sequence[str]) -> str:
    """The file the LaTeX builder will include for ``image``: of ``x.*``, the candidate
    of the first type it supports (as its ``post_process_images`` picks it)."""
    candidates: dict[str, str] = image.get("candidates", {})
    if "*" in candidates or "?" in candidates:
        return str(image["uri"])
    return next((candidates[m] for m in supported if m in candidates), str(image["uri"]))


def text_after(figure: nodes.Element) -> int:
    """How many characters of plain paragraphs follow the figure, up to the next other block."""
    parent = figure.parent
    total = 0
    for sibling in parent.children[parent.index(figure) + 1 :]:
        if type(sibling) is not nodes.paragraph or any(sibling.findall(nodes.image)):
            break
        total += len(sibling.astext())
    return total


def can_wrap(figure: excerpt_figure, fraction: float, aspect: float) -> bool:
    """Whether text can flow beside the photo with no risk of overlapping it.

    Only a figure among a section's (or the document's) blocks: a section is never in
    a table, a footnote or a box, where wrapfig cannot work.
    """
    if not isinstance(figure.parent, nodes.section | nodes.document):
        return False
    lines = fraction / aspect * LINES_PER_WIDTH + CAPTION_LINES
    return text_after(figure) >= lines * (1 - fraction) * CHARS_PER_LINE


def latex_width(width: str) -> str | None:
    """``width`` if LaTeX can read it (as Sphinx's writer converts lengths), else ``None``."""
    try:
        rstdim_to_latexdim(width)
    except ValueError:
        return None
    return width


def heading_above(
    figure: nodes.Element, title_section: nodes.section | None
) -> nodes.section | None:
    """The section whose heading the figure comes right after, if the PDF writes that
    heading (the first section's title is the document's title, not a heading)."""
    section = figure.parent
    if (
        not isinstance(section, nodes.section)
        or section is title_section
        or section.index(figure) != 1
        or not isinstance(section[0], nodes.title)
    ):
        return None
    return section


def room_for(fraction: float, aspect: float) -> nodes.raw:
    """``\\sphinxexcerptwrapneedspace``: a page break unless the photo fits above the
    page's end (its height as a share of the line width)."""
    command = rf"\sphinxexcerptwrapneedspace{{{fraction / aspect:.3f}}}"
    return nodes.raw("", command, format="latex")


class FloatPlacement(SphinxPostTransform):
    """Decide how the LaTeX writer places each excerpt figure (LaTeX only)."""

    builders = ("latex",)
    default_priority = priorities.LATEX_FLOATS

    def unplaced(self, **kwargs: Any) -> None:
        """After a failure: every figure placed where no text flows beside it."""
        for figure in self.document.findall(excerpt_figure):
            never_wrapped(figure)

    @guard.rewrite(fallback=unplaced)
    def run(self, **kwargs: Any) -> None:
        if not project_shows_excerpt_nodes(self.env):
            return
        # the section the LaTeX writer takes the document's title from
        title_section = next(self.document.findall(nodes.section), None)
        for figure in list(self.document.findall(excerpt_figure)):
            self.place(figure, title_section)

    @guard.rewrite(fallback=lambda self, figure, *args: never_wrapped(figure))
    def place(self, figure: excerpt_figure, title_section: nodes.section | None) -> None:
        """Set ``figure``'s placement, alignment, width and caption for the LaTeX writer."""
        side = figure.get("float")
        if side not in SIDES:
            never_wrapped(figure)
            return
        width = str(figure.get("width", ""))
        fraction = width_fraction(width) or DEFAULT_FRACTION
        if not width or latex_width(width) is None:
            if width:  # (as Sphinx's writer says of a length it cannot read)
                diagnostics.log(logger.warning, __("dimension unit %s is invalid. Ignored."), width)
            figure["width"] = f"{fraction * 100:g}%"
        aspect = image_aspect(figure, self.env.srcdir, LaTeXBuilder.supported_image_types)
        if not can_wrap(figure, fraction, aspect):
            never_wrapped(figure)
            return
        unnumbered_captions(figure)
        figure[PLACEMENT], figure["align"] = WRAP, side
        heading = heading_above(figure, title_section)
        before = heading if heading is not None else figure
        guard.keep(before.parent)
        before.parent.insert(before.parent.index(before), room_for(fraction, aspect))


def never_wrapped(figure: excerpt_figure) -> None:
    """Place ``figure`` where no text flows beside it: a block if it is a floated photo
    without a number, else LaTeX's float."""
    numbered = bool(figure.get("number"))
    unnumbered_captions(figure)
    figure.attributes.pop("align", None)
    figure[PLACEMENT] = BLOCK if figure.get("float") in SIDES and not numbered else FLOAT


def unnumbered_captions(figure: excerpt_figure) -> None:
    """Without a number, the figure's caption is a :class:`photo_caption`."""
    if figure.get("number"):
        return
    for caption in [c for c in figure.children if type(c) is nodes.caption]:
        new = photo_caption(caption.rawsource, "", *caption.children, **caption.attributes)
        new.source, new.line = caption.source, caption.line
        caption.replace_self(new)
