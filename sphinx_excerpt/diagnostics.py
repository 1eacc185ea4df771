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
    #: A warning that waits: the logger's method, the message and its arguments, the
    #: keyword arguments (where it is, as text), and what undoes its giving.
    Waiting: TypeAlias = tuple[
        Callable[..., Any], str, tuple[Any, ...], dict[str, Any], Callable[[], Any] | None
    ]

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
    where: Any = location
    if node is not None:
        # a waiting warning is where the node is now: the step may yet move it
        where = get_node_location(node) if waiting is not None else node
    log(
        logger.warning,
        message,
        type=TYPE,
        subtype=str(subtype),
        location=where,
        taken_back=taken_back,
    )


def log(
    method: Callable[..., Any],
    message: str,
    *args: Any,
    taken_back: Callable[[], Any] | None = None,
    **kwargs: Any,
) -> None:
    """``method(message, *args, **kwargs)``, a Sphinx logger's ``warning`` (every warning
    of the extension's steps goes through here): now, or in an optimistic run when the
    run is done."""
    if waiting is not None:
        waiting.append((method, message, args, kwargs, taken_back))
        return
    method(message, *args, **kwargs)


def give(warnings: Iterable[Waiting]) -> None:
    """Give the warnings of an optimistic run that is done (they wait again if it ran
    inside another one)."""
    for method, message, args, kwargs, taken_back in warnings:
        log(method, message, *args, taken_back=taken_back, **kwargs)


def take_back(warnings: Iterable[Waiting]) -> None:
    """Drop the warnings of an optimistic run that failed."""
    for *_, taken_back in warnings:
        if taken_back is not None:
            taken_back()
