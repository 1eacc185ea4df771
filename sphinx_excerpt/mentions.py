"""Mentions of figures and tables in the running text ("see Figure 3.1") become links.

Only in excerpt pages, only to a figure or table with that written number on the
same page; never inside headings, captions, legends, code or existing links.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.figures import NUMBER, NUMBERED, numbered_items
from sphinx_excerpt.kinds import NodeKinds
from sphinx_excerpt.pages import excerpt_pages
from sphinx_excerpt.scope import is_excerpt_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MENTION = re.compile(
    rf"\b(?P<label>Figures?|Figs?\.|Tables?)\s+(?P<first>{NUMBER})"
    rf"(?P<more>(?:(?:\s*,\s*|\s*,?\s+(?:and|or|to)\s+|\s*[–&-]\s*)(?:{NUMBER}))*)"
)
NUMBER_IN_LIST = re.compile(NUMBER)
#: Where a mention stays plain text.
NOT_RUNNING_TEXT = (
    nodes.title,
    nodes.subtitle,
    nodes.rubric,
    nodes.caption,
    nodes.legend,
    nodes.literal,
    nodes.literal_block,
    nodes.reference,
    nodes.raw,
    nodes.comment,
    nodes.target,
    nodes.docinfo,
    addnodes.pending_xref,
)
#: Of each class, whether a mention in it stays plain text (0) or not (OTHER).
_NOT_RUNNING = NodeKinds(NOT_RUNNING_TEXT)


@guard.rewrite
def link_mentions(text: nodes.Text, targets: dict[tuple[str, str], str]) -> None:
    """Put links in place of the mentions of figures and tables in ``text`` (text in
    running text: none of its parents is one of :data:`NOT_RUNNING_TEXT`), of those
    ``targets`` has (``(kind, number)``: the id)."""
    pieces: list[nodes.Node] = []
    done = 0
    # a mention starts with "Fig" or "Tab": the search starts at the first of them (``\b``
    # still sees the character before it)
    fig, tab = text.find("Fig"), text.find("Tab")
    if fig < 0 or 0 <= tab < fig:  # (no min() or max(): no call)
        fig = tab if tab >= 0 else 0
    for match in MENTION.finditer(text, fig):
        kind = "table" if match["label"][0] == "T" else "figure"
        # the first link takes the label with it: "Figure 3.1", then "3.2"
        spans = [(match.start(), match.end("first"), match["first"])]
        if match["more"]:  # (most mentions name one number)
            more = match.start("more")
            spans += [
                (more + m.start(), more + m.end(), m[0])
                for m in NUMBER_IN_LIST.finditer(match["more"])
            ]
        for start, end, number in spans:
            key = (kind, number)
            if key not in targets:
                continue
            node_id = targets[key]
            if start > done:
                pieces += (nodes.Text(text[done:start]),)
            shown = text[start:end]
            pieces += (
                nodes.reference(
                    shown, shown, internal=True, refid=node_id, classes=["excerpt-mention"]
                ),
            )
            done = end
    if not pieces:
        return
    after = text[done:]
    if after:
        pieces += (nodes.Text(after),)
    text.parent.replace(text, pieces)


class FigureMentions(SphinxTransform):
    """Link "Figure 3.1", "Figures 3.1 and 3.2", "Table A1.6" to what they name."""

    default_priority = priorities.MENTIONS

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        env = self.env
        if not is_excerpt_page(env):
            return
        if not excerpt_config(self.config).link_mentions:
            return
        if env.docname not in excerpt_pages(env):
            return
        targets: dict[tuple[str, str], str] = {}
        for node in numbered_items(self.document):
            # (the kind by the class, and the node's attributes read from its dictionary,
            # not through its methods: no call)
            kind = "table" if NUMBERED[type(node)] == 1 else "figure"
            attributes = node.attributes
            key = (kind, attributes["number"])
            if attributes["ids"] and key not in targets:  # (the first of a number)
                targets[key] = attributes["ids"][0]
        if not targets:
            return
        # most text names no figure: a substring test spares it the regular expression
        # (and is quicker than any search of a pattern); the text that does (captions'
        # labels among it) is then looked at where it stands (linking one text changes
        # no other text's place), before the guarded step
        # (the texts gathered by list.extend, a built-in that resumes docutils' walk, not
        # by a loop of ours)
        texts: list[nodes.Text] = []
        texts.extend(self.document.findall(nodes.Text))
        candidates = [t for t in texts if "Fig" in t or "Tab" in t]
        for text in candidates:
            # running text: none of its parents is of NOT_RUNNING_TEXT (by the class: no
            # isinstance call per parent, and no call per text)
            node = text.parent
            while node is not None and _NOT_RUNNING[type(node)] != 0:
                node = node.parent
            if node is None:
                link_mentions(text, targets)


def setup_mentions(app: Sphinx) -> None:
    app.add_transform(FigureMentions)
