"""Warnings about a source: one Sphinx warning each, type ``excerpt``, with file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils import nodes

logger = logging.getLogger("sphinx_excerpt")

#: Every warning subtype the extension emits, with what it is about (listed in the docs).
SUBTYPES: dict[str, str] = {
    "metadata": "the Pelican metadata header or YAML front matter of a page",
    "html": "inline or block HTML that is unsafe, malformed or cannot be shown in every builder",
    "caption": "figure and table captions, numbers and float classes",
    "mention": "figure or table mentions in the running text",
    "encoding": "bytes of a source that are not valid UTF-8",
    "latex": "PDF output (LaTeX engines, images LaTeX cannot include)",
}


def warn(
    subtype: str,
    message: str,
    *,
    node: nodes.Node | None = None,
    location: tuple[str, int | None] | str | None = None,
) -> None:
    """Emit one ``excerpt.<subtype>`` warning at ``node`` or at ``(docname, line)``."""
    assert subtype in SUBTYPES, subtype
    logger.warning(
        message, type="excerpt", subtype=subtype, location=node if node is not None else location
    )
