"""The Markdown parser of excerpt pages: MyST's parser with the syntax of the Pandoc dialect.

Excerpt pages are written in Pandoc's Markdown as Pelican's pandoc_reader reads it. The
constructs MyST does not parse are markdown-it plugins (``DIALECT_PLUGINS``), and the
MyST syntax extensions the dialect needs (``EXCERPT_SYNTAX``) are switched on for those
pages only. Every other Markdown page is parsed by MyST's own parser with the project's
own configuration, exactly as without the extension.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from myst_parser.config.main import TopmatterReadError, merge_file_level, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning

from sphinx_excerpt import guard
from sphinx_excerpt.comments import unclosed_comment_plugin
from sphinx_excerpt.dialect import BLOCK_PLUGINS
from sphinx_excerpt.dialect.attributes import attributes_plugin
from sphinx_excerpt.dialect.citations import citations_plugin
from sphinx_excerpt.dialect.guard import begin_page, given_warnings, optimistic
from sphinx_excerpt.dialect.links import links_plugin
from sphinx_excerpt.dialect.math import math_plugin
from sphinx_excerpt.dialect.notes import notes_plugin
from sphinx_excerpt.dialect.scripts import scripts_plugin
from sphinx_excerpt.dialect.toc import toc_markers
from sphinx_excerpt.domain import excerpt_domain, reading
from sphinx_excerpt.headings import shift_headings
from sphinx_excerpt.myst import MYST_NB
from sphinx_excerpt.scope import is_excerpt_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes
    from docutils.parsers import Parser
    from markdown_it import MarkdownIt
    from myst_parser.config.main import MdParserConfig
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: MyST syntax extensions switched on for excerpt pages only.
EXCERPT_SYNTAX: frozenset[str] = frozenset({"attrs_inline", "amsmath", "deflist"})

#: markdown-it plugins of the Pandoc dialect, applied in this order to excerpt pages only.
DIALECT_PLUGINS: tuple[Callable[[MarkdownIt], None], ...] = (
    unclosed_comment_plugin,
    math_plugin,
    attributes_plugin,
    scripts_plugin,
    notes_plugin,  # (after the scripts: its rule goes before theirs, see notes_plugin)
    links_plugin,
    # tables, captions, line blocks, fenced divs, HTML blocks; last, the extensions' switch
    *BLOCK_PLUGINS,
    shift_headings,  # (``--base-header-level``), once the blocks are parsed
    citations_plugin,  # after the heading shift: the References heading's level is final
    toc_markers,
)


def is_excerpt_source(env: BuildEnvironment) -> bool:
    """Whether the page being read is an excerpt page (decided at source-read)."""
    return is_excerpt_page(env)


class ExcerptMystParser(MystParser):
    """MyST's parser; on excerpt pages with the dialect's syntax and plugins added."""

    @guard.parsing
    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        if not is_excerpt_source(env):
            super().parse(inputstring, document)
            return
        parse_excerpt(inputstring, document)


def parse_excerpt(inputstring: str, document: nodes.document) -> None:
    """Parse an excerpt page: MyST with the dialect's syntax extensions and plugins."""
    env = document.settings.env
    # the text as parsed, handed on to the HTML converter, which tells the HTML its
    # author wrote from MyST's by it (not taken back if this parse fails: the text is
    # the page's, whichever parser reads it)
    reading(env).source = inputstring
    parsers = build_parsers(env)
    # the page's own front matter may still set MyST options, as MyST allows
    try:
        topmatter = read_topmatter(inputstring)
    except TopmatterReadError:
        pass  # MyST's renderer reports it
    else:
        if topmatter:

            def warning(wtype: object, msg: str) -> None:
                create_warning(document, msg, wtype, line=1, append_to=document)  # type: ignore[arg-type]

            config = merge_file_level(parsers.config, topmatter, warning)
            if config != parsers.config:  # (a header without MyST options changes nothing)
                parsers = PageParsers(parsers.base, config)
    parsers.parse(inputstring, document)


#: The domain's ``build_values`` key of the parsers of the build's excerpt pages.
PARSERS = "excerpt parsers"


def build_parsers(env: BuildEnvironment) -> PageParsers:
    """The parsers of the excerpt pages of this build (made for its first page)."""
    base: MdParserConfig = env.myst_config  # type: ignore[attr-defined]  # (MyST's)
    values = excerpt_domain(env).build_values
    parsers: PageParsers | None = values.get(PARSERS)
    if parsers is None or parsers.base is not base:
        parsers = values[PARSERS] = PageParsers(base, excerpt_config(base))
    return parsers


class PageParsers:
    """The two parsers of excerpt pages for one MyST configuration, made once a build
    (making MyST's parser and applying the dialect's plugins costs more than many pages'
    parse), and how they parse a page.

    Optimistic parse, careful retry: ``fast`` has the dialect's rules unguarded
    (:func:`.dialect.guard.optimistic`) and makes the page's tokens first; if one of its
    rules fails, ``careful``, with every rule guarded, makes them again from the page's
    text and a new ``env``, so that nothing of the first attempt (its ``env``, its
    parser's options, its warnings, which wait until the parse is done) is left.
    ``careful`` renders the tokens into the document: a directive's content is parsed
    while the page is rendered, and cannot be parsed again.
    """

    def __init__(self, base: MdParserConfig, config: MdParserConfig) -> None:
        self.base = base  # the project's configuration
        self.config = config  # with the dialect's syntax
        self.fast = excerpt_parser(config)
        optimistic(self.fast)
        self.careful = excerpt_parser(config)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        fast, careful = self.fast, self.careful
        begin_page(fast, document, fast=True)
        begin_page(careful, document)
        md_env: dict[str, Any] = {}
        try:
            tokens = fast.parse(inputstring, md_env)
        except guard.CONTROL_FLOW:
            raise  # -W's exception on a warning, docutils' own steering
        except Exception:  # a rule failed: the page is parsed again, carefully
            md_env = {}
            tokens = careful.parse(inputstring, md_env)
        else:
            given_warnings(fast)
        careful.renderer.render(tokens, careful.options, md_env)


def excerpt_parser(config: MdParserConfig) -> MarkdownIt:
    """MyST's parser with the dialect's plugins, the rules guarded."""
    parser = create_md_parser(config, SphinxRenderer)
    for plugin in DIALECT_PLUGINS:
        parser.use(plugin)
    return parser


def excerpt_config(config: MdParserConfig) -> MdParserConfig:
    """The project's MyST configuration with the dialect's syntax extensions added."""
    if set(config.enable_extensions) >= EXCERPT_SYNTAX:
        return config
    return dataclasses.replace(
        config, enable_extensions=set(config.enable_extensions) | EXCERPT_SYNTAX
    )


def notebook_parser() -> type[Parser]:
    """myst-nb's parser, reading excerpt pages as :class:`ExcerptMystParser` does."""
    from myst_nb.sphinx_ import Parser as NotebookParser

    class ExcerptNotebookParser(NotebookParser):  # type: ignore[misc]
        """myst-nb's parser; excerpt pages (Markdown, never notebooks) read as above."""

        @guard.parsing
        def parse(self, inputstring: str, document: nodes.document) -> None:
            if not is_excerpt_source(document.settings.env):
                super().parse(inputstring, document)
                return
            parse_excerpt(inputstring, document)

    return ExcerptNotebookParser


def setup_parser(app: Sphinx) -> None:
    app.add_source_parser(ExcerptMystParser, override=True)
    if MYST_NB in app.extensions:  # its pages have their own kind, and their own parser
        app.add_source_parser(notebook_parser(), override=True)
