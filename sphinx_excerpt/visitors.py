"""Visitor pairs shared by the extension's nodes, for ``app.add_node``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes

Visitor = Callable[[Any, nodes.Node], None]


def rendered_as(name: str) -> tuple[Visitor, Visitor]:
    """Visitors that render a node as the translator renders a ``name`` node
    (``rendered_as("figure")`` calls ``visit_figure`` and ``depart_figure``)."""

    def visit(self: Any, node: nodes.Node) -> None:
        getattr(self, f"visit_{name}")(node)

    def depart(self: Any, node: nodes.Node) -> None:
        getattr(self, f"depart_{name}")(node)

    return visit, depart


def skip(self: Any, node: nodes.Node) -> None:
    """Leave the node and its children out of this builder's output."""
    raise nodes.SkipNode


SKIPPED: tuple[Visitor, None] = (skip, None)
