"""``numref`` to figures and tables with written numbers: "Figure 3.1", as the author wrote it.

Sphinx numbers only its own enumerable node classes, so its standard domain leaves a
``numref`` to an :class:`~sphinx_excerpt.nodes.excerpt_figure` or
:class:`~sphinx_excerpt.nodes.excerpt_table` unresolved. The ``missing-reference``
handler here resolves it with the number stored on the target node (read from the
target page's doctree, as Sphinx does for its own numref), whether ``numfig`` is on
or off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import make_refnode

from sphinx_excerpt import guard
from sphinx_excerpt.figures import text_without_label
from sphinx_excerpt.nodes import excerpt_figure, excerpt_table
from sphinx_excerpt.scope import shows_excerpt_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def caption_text(node: nodes.Element) -> str:
    """The caption (or table title) of a numbered node, without its "Figure 3.1. "."""
    for child in node.children:
        if isinstance(child, nodes.caption | nodes.title):
            return text_without_label(child)
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


def resolve_numbered(
    app: Sphinx, env: BuildEnvironment, xref: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    """``missing-reference``: a ``numref`` (or title-less ``ref``) to a numbered figure or table.

    Sphinx's standard domain leaves these unresolved, since it does not count our nodes.
    """
    if xref.get("refdomain") != "std" or xref.get("reftype") not in ("numref", "ref"):
        return None
    if xref["reftype"] == "ref" and xref.get("refexplicit"):
        return None
    docname, labelid = env.domains.standard_domain.anonlabels.get(xref["reftarget"], ("", ""))
    if not docname or not shows_excerpt_nodes(env, docname):
        return None
    target = env.get_doctree(docname).ids.get(labelid)
    if not isinstance(target, excerpt_figure | excerpt_table) or not target.get("number"):
        return None
    content = contnode.deepcopy()
    content.children = []
    content += nodes.Text(reference_text(xref, target))
    fromdocname = xref.get("refdoc", env.docname)
    return make_refnode(app.builder, fromdocname, docname, labelid, content)


def setup_numbering(app: Sphinx) -> None:
    guard.connect(app, "missing-reference", resolve_numbered)
