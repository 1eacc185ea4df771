"""MyST set-up: load myst_parser, leaving the project's MyST configuration as it is.

The syntax extensions excerpt pages need are switched on for those pages only, by their
parser (:mod:`sphinx_excerpt.parser`): the project's other Markdown pages parse exactly
as without this extension.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_myst(app: Sphinx) -> None:
    app.setup_extension("myst_parser")
