"""Fail-soft markdown-it rules: an exception inside a dialect rule means "no match".

A rule that raises is treated as if it had not matched: the parser state it touched is
put back, the text is parsed by the next rule (as plain MyST would parse it), and one
``excerpt.internal`` warning names the rule and the exception, at its line when one is
known (one per rule and page: a broken rule fails at every block it tries).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from sphinx_excerpt.diagnostics import warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

BUG = "This is a bug in sphinx-excerpt: please report it with the page that shows it."
_REPORTED = "excerpt_internal_reported"  # md.options key: the rules reported on this page


def report(md: MarkdownIt, name: str, error: Exception, line: int | None = None) -> None:
    """One ``excerpt.internal`` warning for a rule ``name`` that failed with ``error``,
    the first time it fails on the page (the parser, so ``md.options``, is the page's)."""
    reported: set[str] = md.options.setdefault(_REPORTED, set())
    if name in reported:
        return
    reported.add(name)
    document = md.options.get("document")
    env = getattr(getattr(document, "settings", None), "env", None)
    location = (env.docname, line) if env is not None else None
    warn(
        "internal",
        f"the Pandoc Markdown rule {name!r} failed ({type(error).__name__}: {error}); "
        f"the text is read as plain MyST Markdown. {BUG}",
        location=location,
    )


def block_rule(
    name: str, rule: Callable[[StateBlock, int, int, bool], bool], first: str = ""
) -> Callable[[StateBlock, int, int, bool], bool]:
    """``rule`` as a block rule that does not match when it raises.

    With ``first``, lines whose first character is not one of its characters are no
    match without a call: block rules are tried at every block start, and rules that may
    end a paragraph at each of its lines.
    """

    @functools.wraps(rule)
    def guarded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if first:
            at = state.bMarks[start] + state.tShift[start]
            if at >= state.eMarks[start] or state.src[at] not in first:
                return False
        saved = (
            state.line,
            state.lineMax,
            state.level,
            state.parentType,
            state.blkIndent,
            len(state.tokens),
        )
        try:
            return rule(state, start, end, silent)
        except Exception as error:  # fail-soft by design
            state.line, state.lineMax, state.level, state.parentType, state.blkIndent = saved[:5]
            del state.tokens[saved[5] :]
            report(state.md, name, error, start + 1)
            return False

    return guarded


def inline_rule(
    name: str, rule: Callable[[StateInline, bool], bool], starts: str
) -> Callable[[StateInline, bool], bool]:
    """``rule`` as an inline rule that does not match when it raises.

    ``starts`` are the characters the rule's syntax can start with: inline rules are
    tried at every punctuation mark of a page, and the test is cheaper than the call.
    """

    @functools.wraps(rule)
    def guarded(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] not in starts:
            return False
        saved = (len(state.tokens), state.pos, state.posMax, state.pending, state.level)
        try:
            return rule(state, silent)
        except Exception as error:  # fail-soft by design
            del state.tokens[saved[0] :]
            state.pos, state.posMax, state.pending, state.level = saved[1:]
            report(state.md, name, error)  # an inline state does not know its line
            return False

    return guarded


def core_rule(name: str, rule: Callable[[StateCore], Any]) -> Callable[[StateCore], None]:
    """``rule`` as a core rule whose failure leaves the tokens as the rule found them."""

    @functools.wraps(rule)
    def guarded(state: StateCore) -> None:
        tokens = list(state.tokens)
        try:
            rule(state)
        except Exception as error:  # fail-soft by design
            state.tokens[:] = tokens
            report(state.md, name, error)

    return guarded
