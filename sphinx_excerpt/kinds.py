"""Which of a few node classes a node is, found once per class, not once per node.

A transform that walks every node of a page asks of each which kind it is; with
``isinstance`` that is a call or two per node. :class:`NodeKinds` answers from the
node's class, testing each class once (by ``issubclass``, so subclasses count as
``isinstance`` counts them).
"""

from __future__ import annotations

from typing import Any


class NodeKinds(dict[type, int]):
    """``kinds[type(node)]``: the index of the first of ``groups`` (a class or a tuple of
    classes, as ``isinstance`` takes) that the class belongs to, or -1."""

    def __init__(self, *groups: Any) -> None:
        super().__init__()
        self.groups = groups

    def __missing__(self, cls: type) -> int:
        kind = next((i for i, group in enumerate(self.groups) if issubclass(cls, group)), -1)
        self[cls] = kind
        return kind
