"""The PDF side of excerpt figures and tables (LaTeX visitors).

Where a figure goes (wrapped by the text, a block or a float) is decided before the
writer runs, by :mod:`sphinx_excerpt.latex_floats`, in the attributes Sphinx's own
``visit_figure`` reads: Sphinx writes the figure, and these visitors add what it lacks.
A numbered figure or table is LaTeX's own float with its caption labelled exactly as
written ("Figure 3.1"): the macros of ``sphinxexcerpt.sty`` set the counter's printed
form for that one float and take back the step, so the List of Figures shows the
written number and Sphinx's own figures keep theirs. A floated photo that text cannot
flow beside is a centred block of its width, and a photo's title its unnumbered caption.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_excerpt import guard
from sphinx_excerpt.latex_floats import (
    BLOCK,
    DEFAULT_FRACTION,
    PLACEMENT,
    WRAP,
    FloatPlacement,
)
from sphinx_excerpt.nodes import caption_number, excerpt_figure, excerpt_table, photo_caption
from sphinx_excerpt.visitors import SKIPPED, rendered_as

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.latex import LaTeXTranslator

CR = "\n"
BLANKLINE = "\n\n"
#: How a wrapped photo ends. Sphinx's writer ends its ``wrapfigure`` with an empty line
#: backed up over (for a wrapped figure with no text after it), which takes one of the
#: narrowed lines from the text beside the photo: a photo is wrapped only with enough
#: text after it, which keeps all its lines.
WRAP_END = r"\end{wrapfigure}" + BLANKLINE
DEFAULT_WIDTH = rf"{DEFAULT_FRACTION:.3f}\linewidth"


def number_macro(translator: LaTeXTranslator, node: nodes.Element, counter: str) -> str:
    """``\\sphinxexcerptnumber``: this float's label and number, and a unique hyperref name."""
    anchor = nodes.make_id(f"{translator.curfilestack[-1]}-{node['ids'][0] if node['ids'] else ''}")
    label, number = translator.encode(node["label"]), translator.encode(node["number"])
    return rf"\sphinxexcerptnumber{{{counter}}}{{{label}}}{{{number}}}{{{anchor}}}" + CR


def has_caption(node: nodes.Element) -> bool:
    return any(isinstance(child, nodes.caption | photo_caption) for child in node.children)


def visit_excerpt_figure(translator: LaTeXTranslator, node: excerpt_figure) -> None:
    placement = node.get(PLACEMENT)
    numbered = bool(node.get("number"))
    if placement == BLOCK:
        written = node.get("width")
        width = (written and translator.latex_image_length(written)) or DEFAULT_WIDTH
        translator.body.append(BLANKLINE + rf"\begin{{sphinxexcerptblock}}{{{width}}}" + CR)
    elif placement == WRAP:
        translator.visit_figure(node)
        if translator.context[-1].startswith(r"\end{wrapfigure}"):
            translator.context[-1] = WRAP_END
        if numbered:  # inside the wrapfigure's group (wrapfig loses one in another group)
            translator.body.append(CR + number_macro(translator, node, "figure") + r"\capstart")
        translator.body.append(CR)
    else:
        if numbered:
            # before the float: Sphinx's \capstart takes the number and hyperref name
            translator.body.append(CR + r"\begingroup" + number_macro(translator, node, "figure"))
        translator.visit_figure(node)
    if not has_caption(node) and node["ids"]:  # Sphinx labels a figure at its caption
        translator.body.append(translator.hypertarget_to(node, anchor=True) + CR)


def depart_excerpt_figure(translator: LaTeXTranslator, node: excerpt_figure) -> None:
    if node.get(PLACEMENT) == BLOCK:
        translator.body.append(r"\end{sphinxexcerptblock}" + BLANKLINE)
        return
    numbered = bool(node.get("number"))
    if numbered:
        translator.body.append(r"\sphinxexcerptuncount{figure}" + CR)
    translator.depart_figure(node)
    if numbered and node.get(PLACEMENT) != WRAP:
        translator.body.append(r"\endgroup" + CR)


def visit_photo_caption(translator: LaTeXTranslator, node: photo_caption) -> None:
    translator.body.append(translator.hypertarget_to(node.parent, anchor=True))
    translator.body.append(r"\sphinxexcerptphotocaption{")
    translator.in_caption += 1


def depart_photo_caption(translator: LaTeXTranslator, node: photo_caption) -> None:
    translator.in_caption -= 1
    translator.body.append("}" + CR)


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
    bases, so no visitor of ours runs there. The photo caption exists in LaTeX only (made
    by the placement post-transform); elsewhere it would be a paragraph."""
    guard.add_node(app, excerpt_figure, latex=(visit_excerpt_figure, depart_excerpt_figure))
    guard.add_node(app, excerpt_table, latex=(visit_excerpt_table, depart_excerpt_table))
    guard.add_node(app, caption_number, latex=SKIPPED)
    guard.add_node(
        app,
        photo_caption,
        latex=(visit_photo_caption, depart_photo_caption),
        **dict.fromkeys(("html", "text", "man", "texinfo"), rendered_as("paragraph")),
    )
    app.add_post_transform(FloatPlacement)
