"""Pandoc's inline notes, ``text^[the note's own text]``.

The note becomes a footnote like ``[^label]`` … ``[^label]: text``: an auto-numbered
reference where it is written, and its definition appended to the page's end, where
MyST puts the page's other footnotes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.helpers import parseLinkLabel
from markdown_it.token import Token

from sphinx_excerpt.dialect.guard import core_rule, inline_rule

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

#: Labels of inline notes: not a number, so docutils numbers them after the written ones.
LABEL = "excerpt-inline-note-{}"
ENV_KEY = "excerpt_inline_notes"


def inline_note(state: StateInline, silent: bool) -> bool:
    """``^[…]``: a footnote reference whose text is stored for :func:`append_notes`."""
    start = state.pos
    if state.src[start] != "^" or start + 2 >= state.posMax or state.src[start + 1] != "[":
        return False
    end = parseLinkLabel(state, start + 1)
    if end < 0:
        return False
    if not silent:
        notes: list[list[Token]] = state.env.get(ENV_KEY, [])
        children: list[Token] = []
        label = LABEL.format(len(notes) + 1)
        # a new list, not the old one changed: a failure puts the old one back
        state.env[ENV_KEY] = [*notes, children]
        state.md.inline.parse(state.src[start + 2 : end], state.md, state.env, children)
        token = state.push("footnote_ref", "", 0)
        token.meta = {"label": label}
    state.pos = end + 1
    return True


def append_notes(state: StateCore) -> None:
    """The definitions of the page's inline notes, after everything else on the page."""
    notes = state.env.get(ENV_KEY)
    if not notes:
        return
    line = state.tokens[-1].map[1] if state.tokens and state.tokens[-1].map else 0
    for number, children in enumerate(notes, start=1):
        opening = Token("footnote_reference_open", "", 1)
        opening.meta = {"label": LABEL.format(number)}
        opening.map = [line, line]
        paragraph = Token("paragraph_open", "p", 1)
        paragraph.map = [line, line]
        inline = Token("inline", "", 0)
        inline.children = children
        inline.map = [line, line]
        state.tokens += [
            opening,
            paragraph,
            inline,
            Token("paragraph_close", "p", -1),
            Token("footnote_reference_close", "", -1),
        ]
    state.env[ENV_KEY] = []


def append_notes_as_text(state: StateCore) -> None:
    """After a failure of :func:`append_notes`: each note's text as a paragraph at the
    page's end, so that its words are still there."""
    for children in state.env.get(ENV_KEY) or []:
        inline = Token("inline", "", 0)
        inline.children = children
        state.tokens += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
    state.env[ENV_KEY] = []


def notes_plugin(md: MarkdownIt) -> None:
    """Inline notes; before ``^superscript^``, which would otherwise see ``^[``.

    Right after ``emphasis`` (which starts with ``*`` or ``_`` only, so is no match where
    a note starts), where the scripts' rules are already: beside the dialect's inline
    rules, with which it is one rule in a fast parse
    (:func:`~sphinx_excerpt.dialect.guard.fuse_rules`)."""
    md.inline.ruler.after(
        "emphasis", "excerpt_inline_note", inline_rule("excerpt_inline_note", inline_note, "^")
    )
    md.core.ruler.after(
        "inline",
        "excerpt_inline_notes",
        core_rule("excerpt_inline_notes", append_notes, append_notes_as_text),
    )
