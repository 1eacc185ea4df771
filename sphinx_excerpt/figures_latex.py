"""The PDF side of excerpt figures and tables (LaTeX visitors).

A floated photo becomes a ``wrapfigure`` with the text flowing beside it, when the
text after it can fill the space (wrapfig lets text and image overlap beside lists,
headings and short paragraphs, so there it becomes a centred block instead). A
numbered figure or table is LaTeX's own float with its caption labelled exactly as
written ("Figure 3.1"): the macros of ``sphinxexcerpt.sty`` set the counter's printed
form for that one float and take back the step, so the List of Figures shows the
written number and Sphinx's own figures keep theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.images import get_image_size

from sphinx_excerpt import guard
from sphinx_excerpt.nodes import caption_number, excerpt_figure, excerpt_table
from sphinx_excerpt.visitors import SKIPPED

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.latex import LaTeXTranslator

CR = "\n"
BLANKLINE = "\n\n"
#: What a photo is assumed to be when its file cannot be measured (width / height).
DEFAULT_ASPECT = 1.5
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


def image_aspect(translator: LaTeXTranslator, figure: nodes.Element) -> float:
    """Width over height of the figure's image file (``DEFAULT_ASPECT`` if unknown)."""
    image = next(figure.findall(nodes.image), None)
    if image is None:
        return DEFAULT_ASPECT
    size = get_image_size(str(translator.builder.srcdir / image["uri"]))
    if not size or not size[0] or not size[1]:
        return DEFAULT_ASPECT
    return size[0] / size[1]


def text_after(figure: nodes.Element) -> int:
    """How many characters of plain paragraphs follow the figure, up to the next other block."""
    parent = figure.parent
    total = 0
    for sibling in parent.children[parent.index(figure) + 1 :]:
        if type(sibling) is not nodes.paragraph or any(sibling.findall(nodes.image)):
            break
        total += len(sibling.astext())
    return total


def can_wrap(translator: LaTeXTranslator, figure: excerpt_figure, fraction: float) -> bool:
    """Whether text can flow beside the photo with no risk of overlapping it."""
    if translator.table or translator.in_minipage or translator.in_footnote:
        return False
    if not isinstance(figure.parent, nodes.section | nodes.document):
        return False
    lines = fraction / image_aspect(translator, figure) * LINES_PER_WIDTH + CAPTION_LINES
    return text_after(figure) >= lines * (1 - fraction) * CHARS_PER_LINE


def heading_just_written(translator: LaTeXTranslator, figure: nodes.Element) -> int | None:
    """Where, in the body, the section heading right before the figure starts (if it is)."""
    parent = figure.parent
    if not isinstance(parent, nodes.section) or parent.index(figure) != 1:
        return None
    level = translator.sectionnames[min(translator.sectionlevel, len(translator.sectionnames) - 1)]
    for index in range(len(translator.body) - 1, -1, -1):
        if translator.body[index].startswith(f"\\{level}"):
            return index
    return None


def number_macro(translator: LaTeXTranslator, node: nodes.Element, counter: str) -> str:
    """``\\sphinxexcerptnumber``: this float's label and number, and a unique hyperref name."""
    anchor = nodes.make_id(f"{translator.curfilestack[-1]}-{node['ids'][0] if node['ids'] else ''}")
    label, number = translator.encode(node["label"]), translator.encode(node["number"])
    return rf"\sphinxexcerptnumber{{{counter}}}{{{label}}}{{{number}}}{{{anchor}}}" + CR


def write_caption(translator: LaTeXTranslator, caption: nodes.caption, numbered: bool) -> None:
    """The caption: LaTeX's numbered ``\\caption`` or the photo's unnumbered one."""
    figure = caption.parent
    if numbered:
        translator.body.append(r"\caption{")
    else:
        translator.body.append(translator.hypertarget_to(figure, anchor=True))
        translator.body.append(r"\sphinxexcerptphotocaption{")
    translator.in_caption += 1
    for child in caption.children:
        child.walkabout(translator)
    translator.in_caption -= 1
    translator.body.append("}")
    if numbered:
        translator.body.append(translator.hypertarget_to(figure) + r"\sphinxexcerptuncount{figure}")
    translator.body.append(CR)


def visit_excerpt_figure(translator: LaTeXTranslator, node: excerpt_figure) -> None:
    numbered = bool(node.get("number"))
    side = node.get("float")
    fraction = width_fraction(node.get("width", "")) or 0.4
    written = node.get("width")
    width = (written and translator.latex_image_length(written)) or rf"{fraction:.3f}\linewidth"
    body = translator.body
    if side and can_wrap(translator, node, fraction):
        room = fraction / image_aspect(translator, node)
        needspace = rf"\sphinxexcerptwrapneedspace{{{room:.3f}}}" + CR
        heading = heading_just_written(translator, node)
        if heading is None:
            body.append(BLANKLINE + needspace)
        else:  # room for the heading too: a page break between them would orphan it
            body.insert(heading, needspace)
            body.append(BLANKLINE)
        body.append(rf"\begin{{wrapfigure}}{{{side[0]}}}{{{width}}}" + CR + r"\centering" + CR)
        end = r"\end{wrapfigure}" + BLANKLINE
    elif numbered or not side:
        align = "H" if translator.no_latex_floats else translator.elements["figure_align"]
        body.append(CR + rf"\begin{{figure}}[{align}]" + CR + r"\centering" + CR)
        end = r"\end{figure}" + CR
    else:
        body.append(BLANKLINE + rf"\begin{{sphinxexcerptblock}}{{{width}}}" + CR)
        end = r"\end{sphinxexcerptblock}" + BLANKLINE
    if numbered:
        body.append(number_macro(translator, node, "figure") + r"\capstart" + CR)
    has_caption = any(isinstance(child, nodes.caption) for child in node.children)
    if not has_caption and node["ids"]:
        body.append(translator.hypertarget_to(node, anchor=True) + CR)
    for child in node.children:
        if isinstance(child, nodes.caption):
            write_caption(translator, child, numbered)
        else:
            child.walkabout(translator)
    body.append(end)
    raise nodes.SkipNode


def visit_excerpt_table(translator: LaTeXTranslator, node: excerpt_table) -> None:
    if node.get("number"):
        # the group keeps the table's label and number to this one table
        translator.body.append(CR + r"\begingroup" + number_macro(translator, node, "table"))
    translator.visit_table(node)


def depart_excerpt_table(translator: LaTeXTranslator, node: excerpt_table) -> None:
    translator.depart_table(node)
    if node.get("number"):
        translator.body.append(r"\sphinxexcerptuncount{table}\endgroup" + CR)


def setup_figures_latex(app: Sphinx) -> None:
    """The numbered figures' and tables' nodes, with their LaTeX visitors (the caption's
    number is written by the caption itself). Elsewhere they are the figure, table and
    inline they extend: Sphinx's translators look a node's visitor up along its class's
    bases, so no visitor of ours runs there."""
    guard.add_node(app, excerpt_figure, latex=(visit_excerpt_figure, None))
    guard.add_node(app, excerpt_table, latex=(visit_excerpt_table, depart_excerpt_table))
    guard.add_node(app, caption_number, latex=SKIPPED)
