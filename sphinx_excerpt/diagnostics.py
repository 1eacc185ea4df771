"""Warnings about a source: one Sphinx warning each, type ``excerpt`` and a subtype of
:class:`~sphinx_excerpt.warnings.Subtype`, with file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_excerpt.warnings import TYPE

if TYPE_CHECKING:
    from docutils import nodes

    from sphinx_excerpt.warnings import Subtype

logger = logging.getLogger("sphinx_excerpt")


def warn(
    subtype: Subtype,
    message: str,
    *,
    node: nodes.Node | None = None,
    location: tuple[str, int | None] | str | None = None,
) -> None:
    """Emit one ``excerpt.<subtype>`` warning at ``node`` or at ``(docname, line)``."""
    logger.warning(
        message, type=TYPE, subtype=str(subtype), location=node if node is not None else location
    )
