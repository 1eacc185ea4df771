"""Inline HTML elements that HTML pages keep as themselves.

``<u>``, ``<s>``, ``<del>``, ``<ins>``, ``<mark>``, ``<label>`` and ``<abbr>`` have no
docutils node of their own. Each becomes an :class:`html_inline` node, an ``inline``
with the tag name as class (and ``strike`` for the struck-out ones), so every builder
writes its text as it writes any classed span; HTML builders write the element itself,
so that it keeps its meaning there (underlined, struck out, highlighted, the
abbreviation's expansion on hover).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_excerpt import guard
from sphinx_excerpt.nodes import html_inline

if TYPE_CHECKING:
    from collections.abc import Mapping

    from docutils import nodes
    from sphinx.application import Sphinx

#: The elements kept as themselves in HTML, and the attributes each keeps.
KEPT: dict[str, tuple[str, ...]] = {
    "u": (),
    "s": (),
    "strike": (),
    "del": (),
    "ins": (),
    "mark": (),
    "label": (),
    "abbr": ("title",),
}
#: Struck-out elements also carry this class (the extension's CSS and LaTeX style it).
STRUCK = frozenset(("s", "strike", "del"))


def make_html_inline(tag: str, attrs: Mapping[str, str], *children: nodes.Node) -> html_inline:
    """The node for ``<tag …>``, with the attributes it keeps, holding ``children``."""
    classes = [tag, *(["strike"] if tag in STRUCK else [])]
    node = html_inline("", "", *children, classes=classes, tag=tag)
    for name in KEPT[tag]:
        if attrs.get(name):
            node[name] = attrs[name]
    return node


@guard.appends_only
def visit_html_inline(self: Any, node: html_inline) -> None:
    tag = "s" if node["tag"] == "strike" else node["tag"]  # <strike> is obsolete
    kept = {name: node[name] for name in KEPT[node["tag"]] if node.get(name)}
    self.body.append(self.starttag(node, tag, "", **kept))


@guard.appends_only
def depart_html_inline(self: Any, node: html_inline) -> None:
    self.body.append(f"</{'s' if node['tag'] == 'strike' else node['tag']}>")


def setup_html_inline(app: Sphinx) -> None:
    guard.add_node(app, html_inline, html=(visit_html_inline, depart_html_inline))
