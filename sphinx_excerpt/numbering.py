"""``numref`` to figures and tables with written numbers: "Figure 3.1", as the author wrote it.

Sphinx numbers only its own enumerable node classes, so it cannot resolve a ``numref``
to an :class:`~sphinx_excerpt.figures.excerpt_figure` or
:class:`~sphinx_excerpt.figures.excerpt_table`. This post-transform does, before
Sphinx's reference resolver, with the number stored on the target node, whether
``numfig`` is on or off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import clean_astext, make_refnode

from sphinx_excerpt.figures import caption_number, excerpt_figure, excerpt_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def caption_text(node: nodes.Element) -> str:
    """The caption (or table title) of a numbered node, without its "Figure 3.1. "."""
    for child in node.children:
        if isinstance(child, nodes.caption | nodes.title):
            copy = child.deepcopy()
            for label in list(copy.findall(caption_number)):
                label.parent.remove(label)
            return clean_astext(copy)
    return ""


def reference_text(xref: addnodes.pending_xref, target: nodes.Element) -> str:
    """The words of the link: the explicit title with its ``%s``/``{number}``/``{name}``
    filled in, else "Figure 3.1" (``numref``) or the caption (``ref``)."""
    number, label = target["number"], target["label"]
    if not xref.get("refexplicit"):
        if xref["reftype"] == "ref":
            return caption_text(target) or f"{label} {number}"
        return f"{label} {number}"
    title = xref.astext()
    if "%s" in title:
        return title.replace("%s", number)
    return title.replace("{number}", number).replace("{name}", caption_text(target))


class NumberedReferences(SphinxPostTransform):
    """Resolve ``numref`` (and title-less ``ref``) to figures and tables with written numbers."""

    # before Sphinx's ReferencesResolver (10), which would call them unnumbered
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = self.env.domains.standard_domain
        for xref in list(self.document.findall(addnodes.pending_xref)):
            if xref.get("refdomain") != "std" or xref.get("reftype") not in ("numref", "ref"):
                continue
            docname, labelid = domain.anonlabels.get(xref["reftarget"], ("", ""))
            if not docname or (xref["reftype"] == "ref" and xref.get("refexplicit")):
                continue
            target = self.target(docname, labelid)
            if not isinstance(target, excerpt_figure | excerpt_table) or not target.get("number"):
                continue
            content = xref.children[0].deepcopy() if xref.children else nodes.inline()
            if isinstance(content, nodes.Element):
                content.children = []
                content += nodes.Text(reference_text(xref, target))
            else:
                content = nodes.inline("", reference_text(xref, target))
            fromdocname = xref.get("refdoc", self.env.docname)
            xref.replace_self(
                make_refnode(self.app.builder, fromdocname, docname, labelid, content)
            )

    def target(self, docname: str, labelid: str) -> nodes.Element | None:
        """The labelled node, from this page's doctree or another page's."""
        if docname == self.env.docname:
            return self.document.ids.get(labelid)
        return self.env.get_doctree(docname).ids.get(labelid)


def setup_numbering(app: Sphinx) -> None:
    app.add_post_transform(NumberedReferences)
