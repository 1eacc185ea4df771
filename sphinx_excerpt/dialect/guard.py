"""Fail-soft markdown-it rules: an exception inside a dialect rule means "no match".

A rule that raises is treated as if it had not matched: the parser state it touched is
put back, the text is parsed by the next rule (as plain MyST would parse it), and one
``excerpt.internal`` warning names the rule and the exception, at its line when one is
known (one per rule and page: a broken rule fails at every block it tries). The warning
is :func:`sphinx_excerpt.guard.report`'s, as for every other step of the extension; the
wrappers carry its :data:`~sphinx_excerpt.guard.GUARDED` mark (kind ``"rule"``) and call
the rule through ``__wrapped__``, where the tests make it fail on purpose.

Keeping the state at every call costs more than the rules do, and rules never fail on
real pages: a page is parsed first with the rules themselves in the guards' places
(:func:`optimistic`), and parsed again, carefully, only if one of them fails. In that
first parse, each run of the dialect's rules next to each other in a chain is one rule
(:func:`fuse_rules`) that calls only those whose syntax starts with the character at
hand.
"""

from __future__ import annotations

from itertools import compress, count
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from sphinx_excerpt import diagnostics, guard

if TYPE_CHECKING:
    from collections.abc import Callable, MutableMapping, Sequence

    from docutils import nodes
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

    from sphinx_excerpt.warnings import Subtype

_REPORTED = "excerpt_internal_reported"  # md.options key: the rules reported on this page
#: ``env`` key: the page line of line 0 of the text a nested block parse reads.
_LINE_OFFSET = "excerpt_line_offset"
#: What the page gets when a rule fails.
NO_MATCH = "the text is read as plain MyST Markdown"
KEPT_AS_FOUND = "the tokens are left as the rule found them"


def report(
    md: MarkdownIt, name: str, error: Exception, line: int | None = None, outcome: str = NO_MATCH
) -> None:
    """One ``excerpt.internal`` warning for a rule ``name`` that failed with ``error``,
    the first time it fails on the page (the parser, so ``md.options``, is the page's)."""
    reported: set[str] = md.options.setdefault(_REPORTED, set())
    if name in reported:
        return
    reported.add(name)
    document = md.options.get("document")
    env = getattr(getattr(document, "settings", None), "env", None)
    location = (env.docname, line) if env is not None else None
    guard.report(error, f"the Pandoc Markdown rule {name!r}", outcome, location=location)


def block_rule(
    name: str,
    rule: Callable[[StateBlock, int, int, bool], bool],
    first: str = "",
    below: str = "",
) -> Callable[[StateBlock, int, int, bool], bool]:
    """``rule`` as a block rule that does not match when it raises.

    With ``first``, lines whose first character is not one of its characters are no
    match without a call (unless the next line's first character is one of ``below``'s:
    a table's header over its dash line): block rules are tried at every block start,
    and rules that may end a paragraph at each of its lines. (The rule tests it too,
    first: in an optimistic parse it is called without its guard.)
    """

    def guarded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if first and not _opens(state, start, end, first, below):
            return False
        saved = (
            state.line,
            state.lineMax,
            state.level,
            state.parentType,
            state.blkIndent,
            len(state.tokens),
        )
        env = dict(state.env)
        try:
            return guarded.__wrapped__(state, start, end, silent)  # type: ignore[attr-defined, no-any-return]
        except guard.CONTROL_FLOW:
            raise  # -W's exception on a warning, docutils' own steering
        except Exception as error:  # fail-soft by design
            state.line, state.lineMax, state.level, state.parentType, state.blkIndent = saved[:5]
            del state.tokens[saved[5] :]
            _put_back(state.env, env)
            report(state.md, name, error, start + 1 + state.env.get(_LINE_OFFSET, 0))
            return False

    def unguarded() -> Callable[[StateBlock, int, int, bool], bool]:
        now = guarded.__wrapped__  # type: ignore[attr-defined]
        if not first or now is rule:
            return now  # type: ignore[no-any-return]

        def tested(state: StateBlock, start: int, end: int, silent: bool) -> bool:
            return _opens(state, start, end, first, below) and now(state, start, end, silent)

        return tested

    return _marked(guarded, rule, unguarded, first, below)


def _opens(state: StateBlock, start: int, end: int, first: str, below: str = "") -> bool:
    """Whether line ``start`` starts with one of the characters ``first``, or the next
    line (before ``end``) with one of ``below``."""
    return _char(state, start) in first or (
        bool(below) and start + 1 < end and _char(state, start + 1) in below
    )


def _char(state: StateBlock, line: int) -> str:
    """The first character of ``line`` after its indent (a newline on a blank line: in no
    rule's characters)."""
    at = state.bMarks[line] + state.tShift[line]
    return state.src[at] if at < state.eMarks[line] else "\n"


def inline_rule(
    name: str,
    rule: Callable[[StateInline, bool], bool],
    starts: str,
    *,
    sets_attributes: bool = False,
) -> Callable[[StateInline, bool], bool]:
    """``rule`` as an inline rule that does not match when it raises.

    ``starts`` are the characters the rule's syntax can start with: inline rules are
    tried at every punctuation mark of a page, and the test is cheaper than the call.
    (The rule tests it too, first: in an optimistic parse it is called without its
    guard.) What a failure puts back: the tokens the rule added, the state's position,
    the entries of the parser's ``env`` (a rule replaces an entry rather than change it
    in place), and with ``sets_attributes`` the attributes of the tokens before it
    (Pandoc's ``{…}`` sets those of the element it follows).
    """

    def guarded(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] not in starts:
            return False
        saved = (len(state.tokens), state.pos, state.posMax, state.pending, state.level)
        env = dict(state.env)
        attributes = [(t, dict(t.attrs)) for t in state.tokens] if sets_attributes else []
        try:
            return guarded.__wrapped__(state, silent)  # type: ignore[attr-defined, no-any-return]
        except guard.CONTROL_FLOW:
            raise  # -W's exception on a warning, docutils' own steering
        except Exception as error:  # fail-soft by design
            del state.tokens[saved[0] :]
            state.pos, state.posMax, state.pending, state.level = saved[1:]
            _put_back(state.env, env)
            for token, attrs in attributes:
                token.attrs = attrs
            report(state.md, name, error)  # an inline state does not know its line
            return False

    def unguarded() -> Callable[[StateInline, bool], bool]:
        now = guarded.__wrapped__  # type: ignore[attr-defined]
        if now is rule:
            return now

        def tested(state: StateInline, silent: bool) -> bool:
            return state.src[state.pos] in starts and now(state, silent)

        return tested

    return _marked(guarded, rule, unguarded, starts)


def core_rule(
    name: str,
    rule: Callable[[StateCore], Any],
    fallback: Callable[[StateCore], Any] | None = None,
) -> Callable[[StateCore], None]:
    """``rule`` as a core rule whose failure (in a careful parse) leaves the token list
    and the parser's ``env`` as the rule found them.

    A ``fallback`` is then called where the rule was to add the author's words (the
    text of inline notes), so that they are not lost.
    """

    def guarded(state: StateCore) -> None:
        tokens, env = list(state.tokens), dict(state.env)
        try:
            guarded.__wrapped__(state)  # type: ignore[attr-defined]
        except guard.CONTROL_FLOW:
            raise  # -W's exception on a warning, docutils' own steering
        except Exception as error:  # fail-soft by design
            state.tokens[:] = tokens
            _put_back(state.env, env)
            report(state.md, name, error, outcome=KEPT_AS_FOUND)
            if fallback is not None:
                core_rule(f"the fallback of {name}", fallback)(state)

    return _marked(guarded, rule, lambda: guarded.__wrapped__)  # type: ignore[attr-defined]


Rule = TypeVar("Rule", bound="Callable[..., Any]")
#: The attribute of a guard that gives the rule to call in its place in an optimistic parse.
_UNGUARDED = "excerpt_unguarded"
#: The attribute of a guard that gives the characters its rule's syntax starts with
#: ("": any), and those the next line starts with where it may start too (a block rule's).
_STARTS = "excerpt_starts"


def _marked(
    guarded: Rule,
    rule: Callable[..., Any],
    unguarded: Callable[[], Any],
    starts: str = "",
    below: str = "",
) -> Rule:
    """``guarded`` with the guard's mark, calling ``rule`` through ``__wrapped__`` (no
    ``functools.wraps``: the guards are made anew for each page's parser), what
    :func:`optimistic` calls in its place (the rule, which tests its first character
    itself, or a rule put in its place since, as the tests do, behind the guard's test)
    and the characters the rule starts with (and those of the next line)."""
    guarded.__wrapped__ = rule  # type: ignore[attr-defined]
    setattr(guarded, guard.GUARDED, "rule")
    setattr(guarded, _UNGUARDED, unguarded)
    setattr(guarded, _STARTS, (starts, below))
    return guarded


# ---------------------------------------------------------------- optimistic parse


def optimistic(md: MarkdownIt) -> None:
    """Put each guarded rule of ``md`` in its guard's place: the rule itself, called
    directly (no state kept, no ``env`` copied, no ``try``), so that a failure stops
    the parse; its warnings wait in :func:`warn` until :func:`given_warnings`.

    A parse is a pure function of the page's text: when a rule fails, the page is
    parsed again from the start by a parser with the guards in place
    (:class:`sphinx_excerpt.parser.PageParsers`), and a failing rule then makes the
    same page and the same one warning as it would have without this first attempt.
    """
    starts: dict[Callable[..., Any], tuple[str, str]] = {}
    for ruler in (md.core.ruler, md.block.ruler, md.inline.ruler):
        for rule in ruler.__rules__:
            unguarded = getattr(rule.fn, _UNGUARDED, None)
            if unguarded is not None:
                chars = getattr(rule.fn, _STARTS)
                rule.fn = unguarded()
                starts[rule.fn] = chars
        ruler.__cache__ = None  # (the chains of rules are made again from the rules)
    md.options[_WAITING] = []
    md.options[_STARTS] = starts
    fuse_rules(md)


#: The rule before which the dialect's block rules that start with one character go
#: (``$``, ``:``, ``<``, ``[``, ``|``): markdown-it's indented ``code``. After the tables,
#: they make one run, one rule in a fast parse (:func:`fuse_rules`), a call per block
#: start. Each rejects a line indented as code (which ``code`` takes), and none of the
#: rules of markdown-it and MyST they come before (fences, comments, breaks, targets,
#: ``amsmath``, block quotes, rules, lists, footnote definitions, ``reference``,
#: ``html_block``) starts a line with their character: a footnote definition's ``[^``
#: is no reference definition's.
BLOCK_ANCHOR = "code"


def is_fast(md: MarkdownIt) -> bool:
    """Whether ``md`` is a fast parser, made so by :func:`optimistic`."""
    return _STARTS in md.options


def fuse_rules(md: MarkdownIt) -> None:
    """In each chain of ``md``'s block and inline rules (a fast parser's), put one rule
    in the place of each run of two or more of the dialect's rules: it calls, in their
    order, those of them whose syntax can start with the character at hand.

    markdown-it tries the rules of a chain in turn at every block start and at every
    punctuation mark, and most of ours start with one or two characters: a call each,
    to find that the character is not theirs, costs more than they do. The fused rule
    does what the run did (the same rules, in the same order, the first match wins), as
    each rule would have found the character not its own and not matched.
    """
    starts: dict[Callable[..., Any], tuple[str, str]] = md.options[_STARTS]
    for ruler, fused in ((md.block.ruler, _block_run), (md.inline.ruler, _inline_run)):
        ruler.__cache__ = None
        ruler.getRules("")  # (compiles every chain)
        chains: dict[str, list[Callable[..., Any]]] = ruler.__cache__ or {}
        for name, rules in chains.items():
            chains[name] = _fused_chain(rules, starts, fused)


def _fused_chain(
    rules: list[Callable[..., Any]],
    starts: dict[Callable[..., Any], tuple[str, str]],
    fused: Callable[[list[RuleStarts]], Any],
) -> list[Callable[..., Any]]:
    """``rules`` with each run of two or more of ``starts``' rules one ``fused`` rule."""
    chain: list[Callable[..., Any]] = []
    run: list[Callable[..., Any]] = []
    for rule in [*rules, None]:  # (a last None ends the last run)
        if rule is not None and rule in starts:
            run.append(rule)
            continue
        if len(run) > 1:
            chain.append(fused([(r, *starts[r]) for r in run]))
        else:
            chain += run
        run = []
        if rule is not None:
            chain.append(rule)
    return chain


#: A run of rules, in the order of their chain.
RuleRun: TypeAlias = "tuple[Callable[..., Any], ...]"
#: A rule of a run, the characters its syntax starts with ("": any) and those of the next
#: line where it may start too.
RuleStarts: TypeAlias = "tuple[Callable[..., Any], str, str]"


def _dispatch(
    run: list[RuleStarts], below: str | None = None
) -> tuple[dict[str, RuleRun], RuleRun]:
    """The rules of ``run`` tried at a line (or punctuation mark) by its first character,
    and those tried at any other; with ``below``, where the next line starts with it."""

    def tried(first: str, under: str, char: str | None) -> bool:
        return (
            (not first and not under)
            or (char is not None and char in first)
            or (below is not None and below in under)
        )

    chars = {char for _, first, _ in run for char in first}
    table = {c: tuple(rule for rule, f, u in run if tried(f, u, c)) for c in chars}
    return table, tuple(rule for rule, f, u in run if tried(f, u, None))


def _block_run(run: list[RuleStarts]) -> Callable[..., bool]:
    """The rule of a run of block rules: those of its rules that can start a line with
    its first character (or with the next line's, for a rule that says so), in order."""
    table, anywhere = _dispatch(run)
    below = {char: _dispatch(run, char) for _, _, under in run for char in under}

    def fused(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        src = state.src
        at = state.bMarks[start] + state.tShift[start]
        # (``in`` and ``[]``, not ``get``: no call at every block start)
        char = src[at] if at < state.eMarks[start] else ""
        rules = table[char] if char in table else anywhere  # noqa: SIM401
        if below and start + 1 < end:
            at = state.bMarks[start + 1] + state.tShift[start + 1]
            if at < state.eMarks[start + 1] and src[at] in below:
                table_below, anywhere_below = below[src[at]]
                rules = table_below[char] if char in table_below else anywhere_below  # noqa: SIM401
        for rule in rules:  # noqa: SIM110 (a loop: no generator resumed per rule)
            if rule(state, start, end, silent):
                return True
        return False

    return fused


def _inline_run(run: list[RuleStarts]) -> Callable[..., bool]:
    """The rule of a run of inline rules: those of its rules that can start with the
    punctuation mark at hand, in order."""
    table, anywhere = _dispatch(run)

    def fused(state: StateInline, silent: bool) -> bool:
        # (a loop, not any() of a generator, ``in`` and ``[]``, not ``get``: no call at
        # every punctuation mark but the rules')
        char = state.src[state.pos]
        for rule in table[char] if char in table else anywhere:  # noqa: SIM110, SIM401
            if rule(state, silent):
                return True
        return False

    return fused


def begin_page(md: MarkdownIt, document: nodes.document, *, fast: bool = False) -> None:
    """Make ``md`` (a parser kept for the pages of a build; ``fast``: made so by
    :func:`optimistic`) the parser of ``document``: nothing of the page it read last is
    left (the failures its rules reported, the warnings of its optimistic parse)."""
    options = md.options  # (set, not popped: a missing key costs an exception)
    options["document"] = document
    options[_REPORTED] = set()
    if fast:
        options[_WAITING] = []


_WAITING = "excerpt_waiting_warnings"  # md.options key: the warnings of an optimistic parse


def warn(md: MarkdownIt, subtype: Subtype, message: str, line: int) -> None:
    """A rule's warning about the page at ``line``: given now, or in an optimistic parse
    when the parse is done (a parse that fails is done again: its warnings would come
    twice)."""
    document = md.options.get("document")
    if document is None:
        return
    location = (document.settings.env.docname, line)
    waiting = md.options.get(_WAITING)
    if waiting is not None:
        waiting.append((subtype, message, location))
    else:
        diagnostics.warn(subtype, message, location=location)


def given_warnings(md: MarkdownIt) -> None:
    """The warnings the rules gave in the optimistic parse of ``md``, given now."""
    waiting, md.options[_WAITING] = md.options[_WAITING], []
    for subtype, message, location in waiting:
        diagnostics.warn(subtype, message, location=location)


def parse_blocks(state: StateBlock, text: str, line: int) -> None:
    """Parse ``text``, which starts at ``line`` of ``state``'s text, as blocks of their
    own appended to ``state``'s tokens (with their lines those of the page)."""
    first = len(state.tokens)
    offset = state.env.get(_LINE_OFFSET, 0)
    state.env[_LINE_OFFSET] = offset + line  # where a rule failing inside warns
    try:
        state.md.block.parse(text, state.md, state.env, state.tokens)
    finally:
        state.env[_LINE_OFFSET] = offset
    for token in state.tokens[first:]:
        token.level += state.level
        if token.map:
            token.map = [token.map[0] + line, token.map[1] + line]


_TOKEN_TYPE = attrgetter("type")


def token_indices(tokens: Sequence[Token], kind: str) -> list[int]:
    """Where the tokens of type ``kind`` stand among ``tokens``: for a core rule, which
    runs once a page over all its tokens, few of them of the kind it wants (the types
    compared in C, by ``map``: no Python loop over the page's tokens)."""
    return list(compress(count(), map(kind.__eq__, map(_TOKEN_TYPE, tokens))))


def _put_back(env: MutableMapping[str, Any], saved: dict[str, Any]) -> None:
    env.clear()
    env.update(saved)
