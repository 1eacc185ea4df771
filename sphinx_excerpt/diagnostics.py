"""Warnings about a source: one Sphinx warning each, type ``excerpt`` and a subtype of
:class:`~sphinx_excerpt.warnings.Subtype`, with file and line.

While a step of the extension runs optimistically (:mod:`sphinx_excerpt.guard`: a
transform run with its rewrites unguarded, done again carefully if anything fails), its
warnings wait in :data:`waiting` and are given when it is done (:func:`give`), or taken
back when it fails (:func:`take_back`): the careful run gives them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.logging import get_node_location

from sphinx_excerpt.warnings import TYPE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import TypeAlias

    from docutils import nodes

    from sphinx_excerpt.warnings import Subtype

    Location: TypeAlias = tuple[str, int | None] | str | None
    #: A warning that waits: its subtype, message, location and what undoes its giving.
    Waiting: TypeAlias = tuple[Subtype, str, Location, Callable[[], Any] | None]

logger = logging.getLogger("sphinx_excerpt")

#: The warnings of the optimistic run going on, if one is (``None``: warnings are given
#: at once). The guard sets it when the run starts, and puts back what it was after.
waiting: list[Waiting] | None = None


def warn(
    subtype: Subtype,
    message: str,
    *,
    node: nodes.Node | None = None,
    location: Location = None,
    taken_back: Callable[[], Any] | None = None,
) -> None:
    """Emit one ``excerpt.<subtype>`` warning at ``node`` or at ``(docname, line)``.

    In an optimistic run it waits (see the module's docstring); ``taken_back`` is called
    if it is then taken back (as :func:`~sphinx_excerpt.domain.warn_once` forgets a
    warning it has not given after all).
    """
    if waiting is not None:
        # where the node is now (the step may move it before the warning is given)
        where = get_node_location(node) if node is not None else location
        waiting.append((subtype, message, where, taken_back))
        return
    logger.warning(
        message, type=TYPE, subtype=str(subtype), location=node if node is not None else location
    )


def give(warnings: Iterable[Waiting]) -> None:
    """Give the warnings of an optimistic run that is done (they wait again if it ran
    inside another one)."""
    for subtype, message, location, taken_back in warnings:
        warn(subtype, message, location=location, taken_back=taken_back)


def take_back(warnings: Iterable[Waiting]) -> None:
    """Drop the warnings of an optimistic run that failed."""
    for *_, taken_back in warnings:
        if taken_back is not None:
            taken_back()
