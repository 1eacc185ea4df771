"""Fail-soft wrappers for markdown-it rules: an exception in a rule is no match.

A rule that raises is treated as if it had not matched: the parser state it touched
is put back, the text is parsed by the next rule (as plain MyST would), and one
``excerpt.internal`` warning names the rule and the exception, at the line when one
is known.
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

BUG = "This is a bug in sphinx-excerpt; please report it with the page that shows it."


def report(md: MarkdownIt, name: str, error: Exception, line: int | None = None) -> None:
    """One ``excerpt.internal`` warning for a rule ``name`` that failed with ``error``.

    A rule is tried at every position of a page: only its first failure on a page
    is reported (the parser, and so ``md.options``, is the page's own).
    """
    failed: set[str] = md.options.setdefault("excerpt_failed_rules", set())
    if name in failed:
        return
    failed.add(name)
    document = md.options.get("document")
    docname = getattr(getattr(document, "settings", None), "env", None)
    location = (docname.docname, line) if docname is not None else None
    warn(
        "internal",
        f"markdown rule {name!r} failed: {error!r}; the text is kept as it is. {BUG}",
        location=location,
    )


def block_rule(
    name: str, rule: Callable[[StateBlock, int, int, bool], bool]
) -> Callable[..., bool]:
    """``rule`` as a block rule that does not match when it raises."""

    @functools.wraps(rule)
    def guarded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        saved = (len(state.tokens), state.line, state.level, state.parentType, state.blkIndent)
        try:
            return rule(state, start, end, silent)
        except Exception as error:  # fail-soft by design
            del state.tokens[saved[0] :]
            state.line, state.level, state.parentType, state.blkIndent = saved[1:]
            report(state.md, name, error, start + 1)
            return False

    return guarded


def inline_rule(
    name: str, rule: Callable[[StateInline, bool], bool], starts: str
) -> Callable[..., bool]:
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
            # an inline state does not know its source line
            report(state.md, name, error)
            return False

    return guarded


def core_rule(name: str, rule: Callable[[StateCore], Any]) -> Callable[[StateCore], None]:
    """``rule`` as a core rule whose failure leaves the tokens as the rule found them.

    Core rules here only edit attributes of existing tokens or append tokens at the
    end, so a failure keeps what was already done and adds nothing more.
    """

    @functools.wraps(rule)
    def guarded(state: StateCore) -> None:
        count = len(state.tokens)
        try:
            rule(state)
        except Exception as error:  # fail-soft by design
            del state.tokens[count:]
            report(state.md, name, error)

    return guarded
