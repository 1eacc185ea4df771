"""Pandoc's citations, ``[@key, 12]``, ``[see @a; @b, p. 3]``, ``[-@key]`` and ``@key``.

The citations become sphinxcontrib-bibtex's own ``cite`` roles (``cite:p`` for a
bracketed citation, ``cite:t`` for an in-text one, ``cite:yearpar`` when the author is
suppressed), so its domain formats them author-year with a pybtex style and links them
to the page's References: a ``bibliography`` directive that :func:`append_references`
adds at the page's end, under a "References" heading (or under the heading the page
ends with, as Pandoc puts the list under a last ``# References``).

Only projects with a bibliography read citations (:data:`ACTIVE`, set by
:mod:`sphinx_excerpt.citations`); elsewhere ``[@key]`` stays text, as Pandoc without
``--citeproc`` leaves it. ``-citations`` in ``excerpt_pandoc_extensions`` turns the
rules off. An ``@`` after a letter or digit (``a@b.org``) is no citation: Pandoc's rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast
from weakref import WeakSet

from docutils import nodes
from docutils.parsers.rst import roles
from markdown_it.helpers import parseLinkLabel
from markdown_it.token import Token
from myst_parser.mocking import MockInliner

from sphinx_excerpt.dialect.extensions import extension_enabled
from sphinx_excerpt.dialect.guard import core_rule, inline_rule, report
from sphinx_excerpt.i18n import translated

if TYPE_CHECKING:
    from docutils.parsers.rst.states import Inliner
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.tree import SyntaxTreeNode
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from sphinx.config import Config

#: The builds (their ``Config``) that have a bibliography, so read citations.
ACTIVE: WeakSet[Config] = WeakSet()

#: A citation key: Pandoc's (a letter, digit or ``_``, then those and internal
#: punctuation) or any text in braces, ``@{key}``.
KEY = r"(?:\{(?P<braced>[^{}\s]+)\}|(?P<plain>\w(?:[\w:.#$%&\-+?<>~/]*\w)?))"
#: One citation of a bracketed group: a prefix ending in a space, ``-`` to suppress
#: the author, the key, the suffix (locator and text).
ITEM = re.compile(rf"(?P<prefix>(?:.*?\s)?)(?P<minus>-?)@{KEY}(?P<suffix>.*)", re.DOTALL)
IN_TEXT_KEY = re.compile(KEY)
#: ``@key [p. 33]``: the locator of an in-text citation, in brackets after it.
IN_TEXT_LOCATOR = re.compile(r" ?\[(?P<suffix>[^\[\]@]*)\]")
#: A page locator's label, which Pandoc's default style (Chicago author-date) leaves out.
PAGE_LABEL = re.compile(r"^(?:pp?\.|pages?)\s*(?=\d)")
#: Characters sphinxcontrib-bibtex's targets cannot hold inside a prefix or suffix.
TARGET_SPECIAL = re.compile(r"[{}]")

#: The brackets and the separator of a group of citations, as Pandoc's default style
#: (Chicago author-date) writes them: "(Doe 1999, 12; Smith 2004)".
OPEN, SEPARATOR, CLOSE = "(", "; ", ")"

TOKEN = "pandoc_citation"
CITED = "excerpt_cited"  # env key: the page has citations
LISTED = "excerpt_references_placed"  # env key: the page's parse has placed them
#: The start of the keys of excerpt pages' citations in sphinxcontrib-bibtex's domain.
KEY_PREFIX = "excerpt:"
#: Where the References go when the page has a ``::: {#refs}`` div (Pandoc's place).
REFS_ID = "refs"


@dataclass(frozen=True)
class Cite:
    """One citation of a key: the text before it, the key, the text after it."""

    prefix: str
    key: str
    suffix: str
    suppress_author: bool = False


def citations_on(md: MarkdownIt) -> bool:
    """Whether the page ``md`` parses reads citations: its project has a bibliography and
    the ``citations`` extension on."""
    on = md.options.get("excerpt_citations_on")
    if on is None:
        document = md.options.get("document")
        env = getattr(getattr(document, "settings", None), "env", None)
        on = env is not None and env.config in ACTIVE and extension_enabled(md, "citations")
        md.options["excerpt_citations_on"] = on
    return bool(on)


def _key(match: re.Match[str]) -> str:
    return match["braced"] or match["plain"]


def _suffix(text: str) -> str:
    """The suffix as shown: no leading comma, a page locator without its label."""
    text = " ".join(text.split()).lstrip(",").strip()
    return PAGE_LABEL.sub("", text)


def read_group(text: str) -> list[Cite] | None:
    """The citations of a bracketed group's text (between the brackets), or ``None``
    when it is no citation (a part with no key, or an ``@`` inside a word)."""
    cites = []
    for part in text.split(";"):
        match = ITEM.fullmatch(part.strip())
        if match is None:
            return None
        prefix = " ".join(match["prefix"].split())
        cites.append(Cite(prefix, _key(match), _suffix(match["suffix"]), bool(match["minus"])))
    return cites


def _push(state: StateInline, source: str, cites: list[Cite], in_text: bool, start: int) -> None:
    token = state.push(TOKEN, "", 0)
    token.content = source
    # the line inside the inline text, for the warning about a key that is not there
    token.meta = {"cites": cites, "in_text": in_text, "offset": state.src.count("\n", 0, start)}
    state.env[CITED] = True


def bracketed_citation(state: StateInline, silent: bool) -> bool:
    """``[@key]``, ``[see @a, 12; -@b]``: a parenthetical citation."""
    start = state.pos
    if state.src[start] != "[":
        return False
    # a citation group holds no brackets: an "@" before the first "]", or no citation
    close = state.src.find("]", start)
    if close < 0 or state.src.find("@", start, close) < 0 or not citations_on(state.md):
        return False
    end = parseLinkLabel(state, start, disableNested=False)
    if end < 0 or state.src[end + 1 : end + 2] == "(":
        return False  # no closing bracket, or a link ``[@x](url)``
    cites = read_group(state.src[start + 1 : end])
    if not cites:
        return False
    if not silent:
        _push(state, state.src[start : end + 1], cites, False, start)
    state.pos = end + 1
    return True


def in_text_citation(state: StateInline, silent: bool) -> bool:
    """``@key`` (``@key [p. 33]``): a citation in the text, after no letter or digit."""
    start = state.pos
    if state.src[start] != "@":
        return False
    if start > 0 and (state.src[start - 1].isalnum() or state.src[start - 1] == "_"):
        return False  # an e-mail address, a handle inside a word
    if not citations_on(state.md):
        return False
    match = IN_TEXT_KEY.match(state.src, start + 1)
    if match is None:
        return False
    end = match.end()
    suffix = ""
    locator = IN_TEXT_LOCATOR.match(state.src, end)
    if locator is not None and state.src[locator.end() : locator.end() + 1] != "(":
        suffix, end = _suffix(locator["suffix"]), locator.end()
    if not silent:
        _push(state, state.src[start:end], [Cite("", _key(match), suffix)], True, start)
    state.pos = end
    return True


# ---------------------------------------------------------------- the References


def append_references(state: StateCore) -> None:
    """The page's References: a ``bibliography`` directive at the page's end (in a
    ``::: {#refs}`` div if the page has one), under a "References" heading unless the
    page ends with a heading of its own."""
    # once, in the page's own parse: MyST parses a directive's content again with the
    # page's env (the References stay the page's; citations there are listed too)
    if state.env.get(LISTED):
        return
    state.env[LISTED] = True
    if not state.env.get(CITED):
        return
    env = state.md.options["document"].settings.env
    directive = Token("fence", "code", 0)
    directive.info = "{bibliography}"
    prefix = key_prefix(env.docname)
    directive.content = (
        f":filter: docname in docnames\n:keyprefix: {prefix}\n:labelprefix: {prefix}\n"
    )
    directive.markup = "```"
    line = state.tokens[-1].map[1] if state.tokens and state.tokens[-1].map else 0
    directive.map = [line, line]
    refs = next(
        (i for i, t in enumerate(state.tokens) if t.nesting == 1 and t.attrs.get("id") == REFS_ID),
        None,
    )
    if refs is not None:
        state.tokens.insert(refs + 1, directive)
        return
    if state.tokens and state.tokens[-1].type == "heading_close":
        state.tokens.append(directive)
        return
    level = min(
        (int(t.tag[1:]) for t in state.tokens if t.type == "heading_open" and t.tag != "h1"),
        default=2,
    )
    opening = Token("heading_open", f"h{level}", 1)
    opening.markup = "#" * level
    opening.map = [line, line]
    title = Token("inline", "", 0)
    title.content = translated("References")
    title.map = [line, line]
    text = Token("text", "", 0)
    text.content = title.content
    title.children = [text]
    closing = Token("heading_close", f"h{level}", -1)
    state.tokens += [opening, title, closing, directive]


def key_prefix(docname: str) -> str:
    """The prefix of the page's keys in sphinxcontrib-bibtex's domain: each page has a
    References list of its own, so a work cited on two pages is two entries."""
    return KEY_PREFIX + re.sub(r"[\s{},]", "_", docname) + ":"


# ---------------------------------------------------------------- rendering


def cite_target(cites: list[Cite], docname: str) -> str:
    """sphinxcontrib-bibtex's target for citations: ``{prefix}key{suffix},…``."""
    prefix = key_prefix(docname)

    def target(cite: Cite) -> str:
        pre = TARGET_SPECIAL.sub("", cite.prefix)
        post = TARGET_SPECIAL.sub("", cite.suffix)
        return (f"{{{pre}}}" if pre else "") + prefix + cite.key + (f"{{{post}}}" if post else "")

    return ",".join(target(c) for c in cites)


def render_citation(renderer: DocutilsRenderer, token: SyntaxTreeNode) -> None:
    """The citation as sphinxcontrib-bibtex's roles, in an inline that keeps its source
    (shown instead when a key is not in the bibliography)."""
    source = token.content
    holder = nodes.inline(source, classes=["excerpt-citation"])
    holder["excerpt_citation"] = source
    holder["excerpt_key_prefix"] = key_prefix(renderer.document.settings.env.docname)
    renderer.add_line_and_source_path(holder, token)
    if token.map:  # MyST gives inline tokens their paragraph's first line
        holder.line = token.map[0] + token.meta["offset"]
    renderer.current_node.append(holder)
    try:
        line = holder.line or 0
        env = renderer.document.settings.env
        cites: list[Cite] = token.meta["cites"]
        # one role per citation: sphinxcontrib-bibtex lists the keys of one role in the
        # order of its bibliography, Pandoc in the order written
        if token.meta["in_text"]:
            roles_ = [("cite:t", cite) for cite in cites]
        elif len(cites) == 1:
            roles_ = [("cite:yearpar" if cites[0].suppress_author else "cite:p", cites[0])]
        else:  # the group's brackets and separators are ours, the style's own
            roles_ = [("cite:year" if c.suppress_author else "cite:alp", c) for c in cites]
            holder += nodes.Text(OPEN)
        for index, (name, cite) in enumerate(roles_):
            if index:
                holder += nodes.Text(SEPARATOR)
            text = cite_target([cite], env.docname)
            role, _ = roles.role(name, renderer.language_module_rst, line, renderer.reporter)
            if role is None:
                raise LookupError(f"no role {name!r} (is sphinxcontrib-bibtex loaded?)")
            made, problems = role(
                name,
                f":{name}:`{text}`",
                text,
                line,
                cast("Inliner", MockInliner(renderer)),  # (MyST's stand-in for docutils')
                {},
                [],
            )
            holder += made
            holder += problems
        if len(cites) > 1 and not token.meta["in_text"]:
            holder += nodes.Text(CLOSE)
    except Exception as error:  # the citation's text is kept, as it was written
        holder.children = []
        holder += nodes.Text(source)
        report(renderer.md, "render_citation", error, holder.line)


def citations_plugin(md: MarkdownIt) -> None:
    """Pandoc's citations (read on pages of projects with a bibliography only)."""
    md.inline.ruler.before(
        "link", "pandoc_citation", inline_rule("pandoc_citation", bracketed_citation, "[")
    )
    md.inline.ruler.before(
        "link",
        "pandoc_in_text_citation",
        inline_rule("pandoc_in_text_citation", in_text_citation, "@"),
    )
    md.core.ruler.push("pandoc_references", core_rule("pandoc_references", append_references))
    md.add_render_rule(f"render_{TOKEN}", render_citation, fmt="docutils")
