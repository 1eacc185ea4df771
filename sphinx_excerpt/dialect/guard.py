"""Fail-soft markdown-it rules: an exception inside a dialect rule means "no match".

A rule that fails leaves the parser's state as it found it (the dialect's rules change
no line marks: they read nested text with a parser state of its own), so the text is parsed
as plain MyST would parse it, and the page's build goes on; one ``excerpt.internal``
warning says where it failed first (one per rule and page: a broken rule fails at every
block it tries).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from sphinx_excerpt.diagnostics import warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore

    BlockRule = Callable[[StateBlock, int, int, bool], bool]
    CoreRule = Callable[[StateCore], None]

_REPORTED = "excerpt_internal_reported"  # md.options key: the rules reported


def report(md: MarkdownIt, rule: str, line: int | None, error: Exception) -> None:
    """One ``excerpt.internal`` warning for a failed rule at ``line`` (1-based), the first
    time the rule fails on the page."""
    reported = md.options.get(_REPORTED)
    if reported is None:
        reported = md.options[_REPORTED] = set()
    if rule in reported:
        return
    reported.add(rule)
    document = md.options.get("document")
    env = getattr(getattr(document, "settings", None), "env", None)
    location = (env.docname, line) if env is not None else None
    warn(
        "internal",
        f"the Pandoc Markdown rule {rule!r} failed ({type(error).__name__}: {error}); "
        "the text is read as plain MyST Markdown.\n"
        "This is a bug in sphinx-excerpt: please report it with this page.",
        location=location,
    )


def failsoft_block(rule: BlockRule, first: str = "") -> BlockRule:
    """``rule`` (a block rule) returning ``False``, with the state restored, on an error.

    With ``first``, lines whose first character is not one of its characters are no
    match without a call: block rules are tried at every block start, and rules that
    may end a paragraph at each of its lines.
    """

    @functools.wraps(rule)
    def guarded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if first:
            at = state.bMarks[start] + state.tShift[start]
            if at >= state.eMarks[start] or state.src[at] not in first:
                return False
        # what the dialect's rules change (they read nested text with states of their own)
        saved = (state.line, state.lineMax, state.level, state.parentType, len(state.tokens))
        try:
            return rule(state, start, end, silent)
        except Exception as error:  # any failure means "no match"
            state.line, state.lineMax, state.level, state.parentType = saved[:4]
            del state.tokens[saved[4] :]
            report(state.md, rule.__name__, start + 1, error)
            return False

    return guarded


def failsoft_core(rule: CoreRule) -> CoreRule:
    """``rule`` (a core rule) leaving the tokens as they were on an error."""

    @functools.wraps(rule)
    def guarded(state: StateCore) -> None:
        tokens = list(state.tokens)
        try:
            rule(state)
        except Exception as error:  # any failure means "no match"
            state.tokens[:] = tokens
            report(state.md, rule.__name__, None, error)

    return guarded
