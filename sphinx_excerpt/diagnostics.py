"""Warnings about a source: one Sphinx warning each, type ``excerpt``, with file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils import nodes

logger = logging.getLogger("sphinx_excerpt")

#: Every warning subtype the extension emits, with what it is about (listed in the docs).
SUBTYPES: dict[str, str] = {
    "metadata": "the page's metadata header or front matter (no or empty title, a date that "
    "does not parse, a repeated key, a key with no value), a Template that no template "
    "folder has, an unsafe Slug, and excerpt-source fields",
    "html": "HTML in a Markdown page: removed (scripts, styles, event attributes, "
    "javascript: links), repaired (unclosed or stray tags) or kept as text only (elements "
    "other builders cannot show, unknown elements)",
    "caption": "figure and table captions and their written numbers (a number used twice "
    "on one page)",
    "encoding": "bytes of a source that are not valid UTF-8 (shown as U+FFFD)",
    "internal": "a bug in sphinx-excerpt met while reading a page: the element is left as "
    "plain MyST renders it and the build goes on (please report it)",
    "latex": "PDF output: an image LaTeX cannot include (such as SVG with no converter), "
    "shown as a framed placeholder with its alt text",
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
