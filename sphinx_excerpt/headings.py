"""Heading levels of an excerpt page's body, shifted as the site's Pandoc shifted them.

Pelican sites that run Pandoc with ``--base-header-level=2`` (or
``--shift-heading-level-by=1``) write their body headings as ``#``: the page's title is
the only ``h1``, printed by the theme. ``excerpt_pandoc_args`` takes the site's
``PANDOC_ARGS``; the shift is done where Pandoc does it, while the page is parsed: a
markdown-it core rule (:func:`shift_headings`, one of the dialect's parser plugins)
changes the level of each body heading before MyST builds the page's sections from
them, so the sections nest under the title in the HTML, the toctree and the PDF. The
title heading the header writes back is left at level 1.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_excerpt import guard
from sphinx_excerpt.dialect.guard import core_rule
from sphinx_excerpt.domain import handed_on

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger("sphinx_excerpt")

#: Pandoc's options that shift heading levels, and what to add to their number.
SHIFT_OPTIONS = {"--shift-heading-level-by": 0, "--base-header-level": -1}
DEEPEST = 6  # h6: a heading shifted deeper stays at level 6


@lru_cache(maxsize=16)
def heading_shift(args: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    """How many levels ``args`` (Pandoc's arguments) shift headings by, and the problems
    with the arguments (a number that is not one)."""
    shift = 0
    problems: list[str] = []
    position = 0
    while position < len(args):
        name, equals, value = args[position].partition("=")
        if name in SHIFT_OPTIONS:
            if not equals:  # the number is the next argument
                position += 1
                value = args[position] if position < len(args) else ""
            try:
                number = int(value)
            except ValueError:
                problems.append(f"{name} needs a whole number, not {value!r}")
            else:
                if name == "--base-header-level" and not 1 <= number <= DEEPEST:
                    problems.append(f"{name} is a level from 1 to {DEEPEST}, not {number}")
                else:
                    shift = number + SHIFT_OPTIONS[name]
        position += 1
    return shift, tuple(problems)


def configured_shift(config: Config) -> int:
    """The heading shift of the project's ``excerpt_pandoc_args``."""
    args = config.excerpt_pandoc_args
    return heading_shift(tuple([args] if isinstance(args, str) else args))[0]


def shift_headings(md: MarkdownIt) -> None:
    """The markdown-it plugin: shift the body's heading levels once the blocks are parsed."""
    md.core.ruler.push("excerpt_heading_shift", core_rule("excerpt_heading_shift", _shift_rule))


def _shift_rule(state: StateCore) -> None:
    document = state.md.options.get("document")
    if document is None:
        return
    env = document.settings.env
    shift = configured_shift(env.config)
    if not shift:
        return
    page = handed_on(env)
    header = page.header if page is not None else None
    title_line = header.title_line - 1 if header is not None else -1
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or (token.map and token.map[0] == title_line):
            continue
        closing = next(t for t in tokens[index + 1 :] if t.type == "heading_close")
        level = int(token.tag[1:]) + shift
        if level < 1:
            # as Pandoc does: a heading shifted above level 1 becomes a paragraph
            _become_paragraph(token, "paragraph_open")
            _become_paragraph(closing, "paragraph_close")
        else:
            token.tag = closing.tag = f"h{min(level, DEEPEST)}"


def _become_paragraph(token: Token, kind: str) -> None:
    token.type, token.tag, token.markup = kind, "p", ""


def check_pandoc_args(app: Sphinx, config: Config) -> None:
    """One warning for each argument of ``excerpt_pandoc_args`` that cannot be read."""
    args = config.excerpt_pandoc_args
    for problem in heading_shift(tuple([args] if isinstance(args, str) else args))[1]:
        # a problem of conf.py, not of a source: Sphinx's own type for those
        logger.warning("excerpt_pandoc_args: %s", problem, type="config")


def setup_headings(app: Sphinx) -> None:
    guard.connect(app, "config-inited", check_pandoc_args)
