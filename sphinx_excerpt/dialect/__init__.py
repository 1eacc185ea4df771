"""The constructs of Pandoc's Markdown that MyST does not read, as markdown-it plugins.

One module per construct; each has a ``*_plugin(md)`` function that
:data:`sphinx_excerpt.parser.DIALECT_PLUGINS` applies to the parser of excerpt pages
only (this package lists the block ones, in their order). Their rules are fail-soft
(:mod:`.guard`) and follow the Pandoc extensions the project has on (:mod:`.extensions`).
"""

from __future__ import annotations

from sphinx_excerpt.dialect.captions import table_captions_plugin
from sphinx_excerpt.dialect.extensions import extensions_plugin
from sphinx_excerpt.dialect.fenced_divs import fenced_divs_plugin
from sphinx_excerpt.dialect.html_blocks import html_blocks_plugin
from sphinx_excerpt.dialect.line_blocks import line_blocks_plugin
from sphinx_excerpt.dialect.tables import tables_plugin

#: The block plugins, in the order they are applied (the extensions' switch last: it
#: turns off the rules of the extensions the project has off).
BLOCK_PLUGINS = (
    tables_plugin,
    table_captions_plugin,
    line_blocks_plugin,
    fenced_divs_plugin,
    html_blocks_plugin,
    extensions_plugin,
)

__all__ = ["BLOCK_PLUGINS"]
