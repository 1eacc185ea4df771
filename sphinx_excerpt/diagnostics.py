"""Warnings about a source: one Sphinx warning each, type ``excerpt`` and a subtype of
:class:`~sphinx_excerpt.warnings.Subtype`, with file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from sphinx.util import logging

from sphinx_excerpt.warnings import TYPE

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.environment import BuildEnvironment

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


#: The warnings given in a build, by environment: a page written into more than one
#: document (its own PDF and the project's, with ``excerpt_page_pdfs``) warns once.
_GIVEN: WeakKeyDictionary[BuildEnvironment, set[tuple[str | None, int | None, str]]] = (
    WeakKeyDictionary()
)


def warn_once(env: BuildEnvironment, subtype: Subtype, message: str, *, node: nodes.Node) -> None:
    """:func:`warn`, unless this build has given the same warning at the same place."""
    given = _GIVEN.setdefault(env, set())
    key = (node.source, node.line, message)
    if key not in given:
        given.add(key)
        warn(subtype, message, node=node)
