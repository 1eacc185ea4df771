"""Which of a few node classes a node is, found once per class, not once per node.

A transform that walks every node of a page asks of each which kind it is; with
``isinstance`` that is a call or two per node. :class:`NodeKinds` answers from the
node's class, testing each class once (by ``issubclass``, so subclasses count as
``isinstance`` counts them); :meth:`NodeKinds.find` walks a page for the nodes of its
kinds, and :meth:`NodeKinds.among` picks them out of a docutils walk.
"""

from __future__ import annotations

from itertools import compress
from typing import TYPE_CHECKING, Any, TypeVar

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

Found = TypeVar("Found", bound=nodes.Node)

#: The kind of a class that is none of the groups.
OTHER = -1
#: The kind of text (:class:`docutils.nodes.Text`), found for what it holds.
TEXT = -2


class NodeKinds(dict[type, int]):
    """``kinds[type(node)]``: the index of the first of ``groups`` (a class or a tuple of
    classes, as ``isinstance`` takes) that the class belongs to; else :data:`TEXT` for
    text and :data:`OTHER` for the rest.

    A class can also be given a kind of its own by setting ``kinds[cls]`` (then its
    subclasses still get theirs from the groups)."""

    def __init__(self, *groups: Any) -> None:
        super().__init__()
        self.groups = groups

    def __missing__(self, cls: type) -> int:
        kind = next((i for i, group in enumerate(self.groups) if issubclass(cls, group)), OTHER)
        if kind == OTHER and issubclass(cls, nodes.Text):
            kind = TEXT
        self[cls] = kind
        return kind

    def among(self, candidates: Iterable[Found]) -> list[Found]:
        """The nodes of ``candidates`` (such as those of a docutils ``findall``) of one of
        the groups, in their order."""
        # loops in C (map, compress: no call of ours per node): the kind of each node's
        # class, then the nodes whose kind is a group's (above OTHER)
        # (list.extend, a built-in, resumes a generator such as findall's: not a call of
        # this function's per node, as list() would make)
        listed: list[Found] = []
        listed.extend(candidates)
        return list(compress(listed, map(OTHER.__lt__, map(self.__getitem__, map(type, listed)))))

    def find(self, root: nodes.Node, texts: Sequence[str] = ()) -> list[nodes.Node]:
        """The nodes under ``root`` (not ``root``) of one of the groups, and the text
        that holds one of the strings ``texts``, in page order. (A list: the caller may
        change the tree as it goes through it.)"""
        # docutils' walk of the whole page, gathered by list.extend (a built-in that
        # resumes docutils' generators: no call of this function's per node), then the
        # kind of each node's class found in C (map, as among does), and only the nodes
        # of a group or text looked at in this loop
        listed: list[Any] = []
        listed.extend(root.findall())
        del listed[0]  # root itself (the walk without it is docutils' slow one)
        found: list[nodes.Node] = []
        for node in compress(listed, map(OTHER.__ne__, map(self.__getitem__, map(type, listed)))):
            if self[type(node)] >= 0:
                found += (node,)  # (not append(): no call)
            else:  # text
                for text in texts:
                    if text in node:  # (text is a str: a substring test)
                        found += (node,)
                        break
        return found
