"""Fail-soft wrappers for markdown-it rules: an exception in a rule is no match.

A rule that raises is treated as if it had not matched: the parser state it touched
is put back, the text is parsed by the next rule (as plain MyST would), and one
``excerpt.internal`` warning names the rule and the exception, at the line when one
is known. The warning is :func:`sphinx_excerpt.guard.report`'s, as for every other
step of the extension; the wrappers carry its :data:`~sphinx_excerpt.guard.GUARDED`
mark (kind ``"rule"``) and call the rule through ``__wrapped__``, where the tests
make it fail on purpose.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from sphinx_excerpt import guard

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

#: What the page gets when a rule fails.
NO_MATCH = "the text is read as if the rule had not matched"
KEPT_SO_FAR = "the tokens are kept as the rule left them"


def report(
    md: MarkdownIt, name: str, error: Exception, line: int | None = None, outcome: str = NO_MATCH
) -> None:
    """One ``excerpt.internal`` warning for a rule ``name`` that failed with ``error``.

    A rule is tried at every position of a page: only its first failure on a page
    is reported (the parser, and so ``md.options``, is the page's own).
    """
    failed: set[str] = md.options.setdefault("excerpt_failed_rules", set())
    if name in failed:
        return
    failed.add(name)
    document = md.options.get("document")
    env = getattr(getattr(document, "settings", None), "env", None)
    location = (env.docname, line) if env is not None else None
    guard.report(error, f"the markdown rule {name!r}", outcome, location=location)


def block_rule(
    name: str, rule: Callable[[StateBlock, int, int, bool], bool]
) -> Callable[..., bool]:
    """``rule`` as a block rule that does not match when it raises."""

    @functools.wraps(rule)
    def guarded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        saved = (len(state.tokens), state.line, state.level, state.parentType, state.blkIndent)
        try:
            return guarded.__wrapped__(state, start, end, silent)  # type: ignore[attr-defined,no-any-return]
        except guard.CONTROL_FLOW:
            raise  # -W's exception on a warning, docutils' own steering
        except Exception as error:  # fail-soft by design
            del state.tokens[saved[0] :]
            state.line, state.level, state.parentType, state.blkIndent = saved[1:]
            report(state.md, name, error, start + 1)
            return False

    setattr(guarded, guard.GUARDED, "rule")
    return guarded


def inline_rule(
    name: str,
    rule: Callable[[StateInline, bool], bool],
    starts: str,
    *,
    sets_attributes: bool = False,
) -> Callable[..., bool]:
    """``rule`` as an inline rule that does not match when it raises.

    ``starts`` are the characters the rule's syntax can start with: inline rules are
    tried at every punctuation mark of a page, and the test is cheaper than the call.
    What a failure puts back: the tokens the rule added, the state's position, the
    entries of the parser's ``env`` (a rule replaces an entry rather than change it in
    place), and with ``sets_attributes`` the attributes of the tokens before it (Pandoc's
    ``{…}`` sets those of the element it follows).
    """

    @functools.wraps(rule)
    def guarded(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] not in starts:
            return False
        saved = (len(state.tokens), state.pos, state.posMax, state.pending, state.level)
        env = dict(state.env)
        attributes = [(t, dict(t.attrs)) for t in state.tokens] if sets_attributes else []
        try:
            return guarded.__wrapped__(state, silent)  # type: ignore[attr-defined,no-any-return]
        except guard.CONTROL_FLOW:
            raise  # -W's exception on a warning, docutils' own steering
        except Exception as error:  # fail-soft by design
            del state.tokens[saved[0] :]
            state.pos, state.posMax, state.pending, state.level = saved[1:]
            state.env.clear()
            state.env.update(env)
            for token, attrs in attributes:
                token.attrs = attrs
            # an inline state does not know its source line
            report(state.md, name, error)
            return False

    setattr(guarded, guard.GUARDED, "rule")
    return guarded


def core_rule(
    name: str,
    rule: Callable[[StateCore], Any],
    fallback: Callable[[StateCore], Any] | None = None,
) -> Callable[[StateCore], None]:
    """``rule`` as a core rule whose failure adds no tokens and leaves the parser's
    ``env`` as the rule found it.

    Core rules here only edit attributes of existing tokens or append tokens at the
    end, so a failure keeps what was already done and adds nothing more. A ``fallback``
    is then called where the rule was to add the author's words (the text of inline
    notes), so that they are not lost.
    """

    @functools.wraps(rule)
    def guarded(state: StateCore) -> None:
        count, env = len(state.tokens), dict(state.env)
        try:
            guarded.__wrapped__(state)  # type: ignore[attr-defined]
        except guard.CONTROL_FLOW:
            raise  # -W's exception on a warning, docutils' own steering
        except Exception as error:  # fail-soft by design
            del state.tokens[count:]
            state.env.clear()
            state.env.update(env)
            report(state.md, name, error, outcome=KEPT_SO_FAR)
            if fallback is not None:
                core_rule(f"the fallback of {name}", fallback)(state)

    setattr(guarded, guard.GUARDED, "rule")
    return guarded
