"""Warnings about a source: one Sphinx warning each, type ``excerpt``, with file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinx_excerpt")

#: Every warning subtype the extension emits, with what it is about (listed in the docs).
SUBTYPES: dict[str, str] = {
    "metadata": "the page's metadata header or front matter (no or empty title, a date that "
    "does not parse, a repeated key, a key with no value, a PDF address the URL policy "
    "refuses, a Cite that is neither true nor false), a Template that no template folder "
    "has, an unsafe or colliding Slug, and "
    "excerpt-source fields",
    "html": "HTML in a Markdown page: removed (scripts, styles, event attributes, links and "
    "images the URL policy refuses, such as javascript: URLs, form controls, unknown "
    "elements holding code), repaired (unclosed or stray tags, formatting tags closed out "
    "of order, which go on after the early close as in a browser, an unclosed comment, an id "
    "used twice, nesting deeper than 100 elements, flattened: one warning a page) or kept "
    "as text only (elements other builders cannot show, unknown elements)",
    "caption": "figure and table captions and their written numbers (a number used twice "
    "on one page)",
    "path": "an image or downloadable file whose path leads outside the source folder "
    "(.., a /-rooted or absolute path, a symbolic link): not published; a "
    "``Bibliography:`` file outside the source folder: not read; an "
    "``excerpt_static_paths`` entry that is not in the content root, or a static file "
    "that would replace a page or a redirect: not copied",
    "encoding": "bytes of a source that are not valid UTF-8 (shown as U+FFFD)",
    "latex": "PDF output: an image LaTeX cannot include (SVG with no converter; a file that "
    "is no image, is truncated or is too large to measure), shown as a framed placeholder "
    "with its alt text; a width or height larger than any page, fitted to the text block; "
    "characters the engine cannot set (pdflatex: Greek, CJK, emoji …; lualatex: none of its "
    "fonts has them), shown as their code points, one warning per page naming them; "
    "control characters, removed",
    "citation": "Pandoc citations and their bibliography: a key no bibliography file has "
    "(the citation is shown as written), a bibliography file that is not there, "
    "sphinxcontrib-bibtex not installed",
    "internal": "a bug in the extension met on this element: the step that failed is "
    "named, the element is left as MyST made it (or written as plain text) and the build "
    "goes on; please report it",
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


#: The warnings given in a build, by environment: a page written into more than one
#: document (its own PDF and the project's, with ``excerpt_page_pdfs``) warns once.
_GIVEN: WeakKeyDictionary[BuildEnvironment, set[tuple[str | None, int | None, str]]] = (
    WeakKeyDictionary()
)


def warn_once(env: BuildEnvironment, subtype: str, message: str, *, node: nodes.Node) -> None:
    """:func:`warn`, unless this build has given the same warning at the same place."""
    given = _GIVEN.setdefault(env, set())
    key = (node.source, node.line, message)
    if key not in given:
        given.add(key)
        warn(subtype, message, node=node)
