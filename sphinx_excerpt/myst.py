"""MyST set-up: load myst_parser, leaving the project's MyST configuration as it is.

A project built with myst-nb has MyST through it: myst-nb registers MyST's
configuration and transforms itself, and cannot share a project with the
``myst_parser`` extension (both register ``.md`` and the ``myst_*`` values), so there
myst-nb is loaded instead, whatever the order of ``extensions``. Its Markdown pages
(``.md``, source kind ``myst-nb``) may be excerpt pages as myst_parser's are
(:func:`is_markdown_source`); its notebooks never are.

The syntax extensions excerpt pages need are switched on for those pages only, by their
parser (:mod:`sphinx_excerpt.parser`): the project's other Markdown pages parse exactly
as without this extension.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


#: The extension that brings MyST into a notebook project, in place of myst_parser.
MYST_NB = "myst_nb"
#: The suffixes of myst-nb's text (Markdown) pages; its other kinds are notebooks.
NOTEBOOK_MARKDOWN = frozenset({".md", ".markdown"})


def is_markdown_source(config: Config, suffix: str) -> bool:
    """Whether sources with ``suffix`` are read as MyST Markdown (so may be excerpt pages)."""
    kind = config.source_suffix.get(suffix)
    return kind == "markdown" or (kind == "myst-nb" and suffix in NOTEBOOK_MARKDOWN)


def setup_myst(app: Sphinx) -> None:
    app.setup_extension(MYST_NB if MYST_NB in app.config.extensions else "myst_parser")
