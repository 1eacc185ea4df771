"""Fail-soft: an unexpected error in one of the extension's steps never stops a build.

Every step of the extension that changes a page runs guarded: a transform's rewrite of
one element, a whole transform, an event handler, a node's visitor. When the step raises
an exception it did not expect (a bug of ours, or an input nobody foresaw), the guard

* puts back what the step had changed, so the element stays exactly as MyST made it
  (a rewrite :func:`keep`\\ s the state of the nodes it is about to change; putting it
  back costs nothing until something fails);
* reports one ``excerpt.internal`` warning at the element's ``file:line``, with the
  exception's message and where to report the bug (the traceback is logged at ``-v``);
* lets the build go on.

The adapters are thin: :func:`rewrite` (a method or function that rewrites the element
it is given, or a transform's ``apply``), :func:`handler` / :func:`connect` (an event
handler), :func:`add_node` (visitors, which fall back to the builder's rendering of the
node's docutils base class, or to its text), :func:`directive` (a directive's ``run``:
its text shown as written) and :func:`parsing` (the excerpt parser: MyST's own parse).
Docutils' own control flow (``SkipNode`` …) and Sphinx's ``-W --exception-on-warning``
pass through untouched.

Optimistic run, careful retry. A transform rewrites many elements, each guarded, and
keeping a snapshot of each and running each in a ``try`` costs more than most rewrites;
yet rewrites do not fail on real pages. So a transform (a guarded method given no more
than ``self``: an ``apply``, a post-transform's ``run``) runs first *optimistically*:
with one snapshot, its own, which keeps the document's ids once (a transform keeps what
it changes of the document itself, as a rewrite keeps what it changes beyond its
element: the one that inserts the docinfo), and the rewrites inside it unguarded: each
keeps into that snapshot what its own guard would have kept (its element, or the
element's tree, and the element's parent) and is called directly (a rewrite inside a
transform rewrites an element of the transform's page, and the code around it does not
catch its exceptions: with its own guard it would not see them). :func:`keep` and the
other keepers keep into it as they do into any step's. The warnings given meanwhile wait
(:data:`.diagnostics.waiting`) until the run is done. If anything fails, the snapshot
puts the page back as the transform found it, the transform's attributes are put back,
the waiting warnings are dropped, and the transform runs again, *carefully*, every
rewrite with its own guard: the page, the fallbacks and the warnings (one
``excerpt.internal`` per failing element) are those of the guards alone. A guard of
another kind inside the run (a handler's) is as careful as ever, and the rewrites inside
it too.

The guards run at every step of every page, and a profiler charges each call as much
again as the work: the hot ones make few calls besides the step's. A rewrite in an
optimistic run finds its element as its first argument, by its class, and keeps it with
one call of :func:`keep`; a run and a handler make their snapshot with one call. A
visitor that only appends to the translator's body (:func:`appends_only`) keeps the
body's length, not the translator's state.
"""

from __future__ import annotations

import functools
import re
import traceback
from importlib import metadata
from itertools import chain, repeat
from operator import getitem, methodcaller
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from docutils import nodes
from docutils.utils import SystemMessage
from sphinx.errors import SphinxWarning

from sphinx_excerpt import diagnostics
from sphinx_excerpt.diagnostics import logger, warn
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, MutableMapping
    from typing import TypeAlias, TypeGuard

    from sphinx.application import Sphinx

    #: A node's state: the node, its children, its attributes (the same values), copies
    #: of those of its attribute lists that held items (``None`` when none did), its
    #: place in the source (``source``, ``line``, ``rawsource``).
    NodeState: TypeAlias = tuple[
        nodes.Element, list[nodes.Node], dict[str, Any], dict[str, list[Any]] | None, Any, Any, Any
    ]

Function = TypeVar("Function", bound="Callable[..., Any]")

#: Exceptions that are how docutils and Sphinx steer a build, not failures.
CONTROL_FLOW = (nodes.TreePruningException, SphinxWarning, SystemMessage)
#: Marks a function wrapped by a guard, with the kind of step ("rewrite", "handler",
#: "visitor", "directive", "parser"): the tests check that every step of ours is.
GUARDED = "__excerpt_guarded__"


def bug_tracker() -> str:
    """Where to report a bug: the package's "Bug Tracker" address, if its metadata has one."""
    try:
        urls: list[str] = metadata.metadata("sphinx-excerpt").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("bug tracker", "issues"):
            return url.strip()
    return "the sphinx-excerpt issue tracker"


def report(error: Exception, step: str, outcome: str, **where: Any) -> None:
    """The one ``excerpt.internal`` warning about ``error`` in ``step``."""
    message = str(error) or type(error).__name__
    warn(
        Subtype.INTERNAL,
        f"{step} failed ({type(error).__name__}: {message}); {outcome}. "
        f"This is a bug in sphinx-excerpt, not in the page: please report it at "
        f"{bug_tracker()} with the part of the page around this line.",
        **where,
    )
    logger.verbose("".join(traceback.format_exception(error)))


# ---------------------------------------------------------------- putting nodes back


class Snapshot:
    """The state of some nodes (children, attributes, place in the source), and how to
    undo other changes, taken before a step makes them, to put back if the step fails."""

    __slots__ = ("document", "kept", "outer", "seen", "undo")

    def __init__(
        self,
        document: nodes.document | None = None,
        around: nodes.Node | None = None,
        deep: bool = True,
        *,
        run: bool = False,
    ) -> None:
        """A snapshot for a step about to run inside the running one (if any); for a
        rewrite of the element ``around``, with what it may change: the element's tree
        (or, not ``deep``, the element), its parent's children and the document's ids
        (kept here: no call more per rewrite). A ``run``'s (an optimistic run's, which
        many rewrites keep into) keeps each node once: the state it kept first wins."""
        self.kept: list[NodeState] = []  # in the order kept: a node may be there twice
        self.seen: dict[nodes.Element, None] | None = {} if run else None
        # how to undo other changes, and the snapshots of the steps run inside this one,
        # in the order they were made and started
        self.undo: list[Callable[[], None] | Snapshot] = []
        self.document = document  # the tree the nodes are in
        # the snapshot of the step this one runs in, which takes it over now (no call
        # when the step is done): if the step fails, it is taken back (see _recover)
        self.outer = outer = _RUNNING
        if outer is not None:
            outer.undo += (self,)
        if around is not None:
            keep(around, tree=deep, shallow=around.parent, into=self)  # in one call
            if document is not None:
                # the whole table at once: a copy is cheaper than following each change
                ids = document.ids
                self.undo += (functools.partial(_put_back, ids, dict(ids)),)

    def keep_items(self, items: list[Any]) -> None:
        """Remember the items of ``items`` (the list itself stays the same object)."""
        self.undo += (functools.partial(items.__setitem__, slice(None), items[:]),)

    def tree(self) -> nodes.document | None:
        """The tree the nodes of this step and its inner steps are in."""
        if self.document is not None:  # (not ``or``: a node's truth is a call of docutils')
            return self.document
        for inner in self.undo:
            if type(inner) is Snapshot and (document := inner.tree()) is not None:
                return document
        return None

    def states(self) -> Iterator[NodeState]:
        """The states kept, one a node, each node's winning one last: a later inner
        step's before an earlier one's, the inner steps' before this step's own (of
        which a node's earliest wins)."""
        for inner in reversed(self.undo):
            if type(inner) is Snapshot:
                yield from inner.states()
        earliest: dict[int, NodeState] = {}
        for state in self.kept:
            earliest.setdefault(id(state[0]), state)
        yield from earliest.values()

    def restore(self) -> None:
        states = list(self.states())
        for node, children, attributes, lists, source, line, rawsource in states:
            node.children = children
            node.attributes = {
                name: (lists.get(name, []) if lists else []) if type(value) is list else value
                for name, value in attributes.items()
            }
            node.source, node.line, node.rawsource = source, line, rawsource
        # a failed step may have moved nodes into new ones: each goes back to its parent
        # (the winning state last; then, once, the whole tree, as a step is rare to fail)
        for node, children, *_ in states:
            for child in children:
                child.parent = node
        document = self.tree()
        if document is not None:
            for node in document.findall(nodes.Element):
                for child in node.children:
                    child.parent = node
        self.undo_all()

    def undo_all(self) -> None:
        """Undo the other changes, the latest first (the inner steps' in turn)."""
        for undo in reversed(self.undo):
            if type(undo) is Snapshot:
                undo.undo_all()
            else:
                cast("Callable[[], None]", undo)()


#: Whether an object is a docutils element (``isinstance``, as a function that ``filter``
#: calls from C).
_IS_ELEMENT = cast("Callable[[Any], TypeGuard[nodes.Element]]", nodes.Element.__instancecheck__)

#: The snapshot of the innermost running guarded step, linked to those of the steps it
#: runs in (``outer``): :func:`keep` records into it.
_RUNNING: Snapshot | None = None


def keep(
    *kept: nodes.Node | None,
    tree: bool = False,
    shallow: nodes.Element | None = None,
    into: Snapshot | None = None,
) -> None:
    """Remember the state of these nodes (and, with ``tree``, of all their descendants),
    and of ``shallow`` (not its descendants: a parent), before the running guarded step
    (or the step of the snapshot ``into``) changes them. Does nothing outside a guard."""
    snapshot = _RUNNING if into is None else into
    if snapshot is None:
        return
    # one loop for all the nodes of a step, with no call per node (a profiler charges
    # each call as much again): no walk by docutils' generators, ``{**…}`` rather than
    # ``.copy()``, ``+=`` rather than ``append``; a node kept twice is put back to its
    # earlier state (see :meth:`Snapshot.states`), and kept once in an optimistic run
    kept_states, seen = snapshot.kept, snapshot.seen
    pending = list(filter(_IS_ELEMENT, kept))
    if shallow is not None:
        pending += (shallow,)  # (not walked: see the loop)
    for node in pending:
        if tree and node is not shallow:  # the list grows as the loop goes: a walk
            pending += filter(_IS_ELEMENT, node.children)
        if seen is not None:  # (a dict: setting an item is no call, as ``add`` is)
            if node in seen:
                continue
            seen[node] = None
        attributes = {**node.attributes}
        # a step may change a list attribute in place: the lists that hold items are
        # copied (most of a node's ``ids``, ``names`` … are empty, and are put back as
        # new empty lists)
        lists = None
        for name in attributes:
            value = attributes[name]
            if type(value) is list and value:
                if lists is None:
                    lists = {}
                lists[name] = value[:]
        state = (
            node,
            node.children[:],
            attributes,
            lists,
            node.source,
            node.line,
            node.rawsource,
        )
        kept_states += (state,)


def keep_entry(mapping: MutableMapping[Any, Any], key: Any) -> None:
    """Remember ``mapping[key]`` (or that it is not there) before the guarded step sets it."""
    if _RUNNING is None:
        return
    # (``+=``, not ``append``: no call)
    if key in mapping:
        _RUNNING.undo += (functools.partial(mapping.__setitem__, key, mapping[key]),)
    else:
        _RUNNING.undo += (functools.partial(mapping.pop, key, None),)


def keep_items(items: list[Any]) -> None:
    """Remember the items of ``items`` before the guarded step changes them."""
    if _RUNNING is not None:
        _RUNNING.keep_items(items)


def keep_member(members: set[Any], item: Any) -> None:
    """Remember whether ``item`` is in ``members`` before the guarded step adds it."""
    if _RUNNING is not None and item not in members:
        _RUNNING.undo += (functools.partial(members.discard, item),)


def _recover(
    snapshot: Snapshot,
    error: BaseException,
    step: str,
    outcome: str,
    where: dict[str, Any] | Callable[[], dict[str, Any]],
) -> bool:
    """After ``error`` in the step of ``snapshot``: ``False`` when it is not a failure
    (docutils' and Sphinx's control flow, an interrupt: the step's changes stand and the
    exception goes on); else the step's changes are put back, the one warning is
    reported and ``True``.

    ``step`` and ``outcome`` make the warning ("the HTML block … failed …; it is left as
    MyST made it"); ``where`` is found only when a step fails (most never do).

    Every guarded step runs as ``snapshot = Snapshot(…)`` (which the running step takes
    over), ``_RUNNING = snapshot``, its call in ``try``, ``_RUNNING = snapshot.outer``
    when it returns and this when it raises: no context manager, since the guard is
    around every step of every page.
    """
    global _RUNNING
    _RUNNING = outer = snapshot.outer
    if isinstance(error, CONTROL_FLOW) or not isinstance(error, Exception):
        return False
    if outer is not None:  # what the step changed is put back now, and not again
        outer.undo.remove(snapshot)
    snapshot.restore()
    if callable(where):
        where = where()
    if where.get("node") is not None:
        where = {"node": _location(where["node"])}
    subject = where.get("node")
    # "{element}" in the outcome names what the step was about: "the table is left …"
    element = "page" if isinstance(subject, nodes.document | None) else subject.tagname
    report(error, step, outcome.format(element=element), **where)
    return True


def _run(
    snapshot: Snapshot,
    step: str,
    outcome: str,
    where: dict[str, Any] | Callable[[], dict[str, Any]],
    call: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any] | None = None,
) -> tuple[bool, Any]:
    """``call(*args, **kwargs)`` as a guarded step that keeps into ``snapshot``: whether it
    failed, and what it returned."""
    global _RUNNING
    _RUNNING = snapshot
    try:
        result = call(*args, **(kwargs or {}))
    except BaseException as error:
        if not _recover(snapshot, error, step, outcome, where):
            raise
        return True, None
    _RUNNING = snapshot.outer
    return False, result


def _location(node: nodes.Node) -> nodes.Node:
    """The node whose source line a warning about ``node`` should show."""
    while node.parent is not None and (isinstance(node, nodes.Text) or not node.line):
        node = node.parent
    return node


def _step_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__.rsplit('.', 1)[-1]}.{function.__qualname__}"


@overload
def rewrite(
    function: Function, *, fallback: Callable[..., None] | None = ..., deep: bool = ...
) -> Function: ...
@overload
def rewrite(
    function: None = ..., *, fallback: Callable[..., None] | None = ..., deep: bool = ...
) -> Callable[[Function], Function]: ...
def rewrite(
    function: Function | None = None,
    *,
    fallback: Callable[..., None] | None = None,
    deep: bool = True,
) -> Any:
    """Guard a step that rewrites the element it is given (its first argument after
    ``self``): on failure the element and its parent's children are put back as they
    were, with whatever else the step :func:`keep`\\ s, and the step returns ``None``.

    A step that changes more than the element (siblings it takes in, the document's
    ids, the environment) keeps them before changing them; a whole transform's
    ``apply`` (a post-transform's ``run``: a method given no more than ``self``) is a
    step about the document, of which the guard keeps the ids (the transform keeps
    what else it changes of the document), and which runs optimistically (see the
    module's docstring). A ``fallback`` is called with the step's
    arguments after a failure, where the element as MyST made it would lose words in
    some builders (raw HTML outside HTML).

    The element's whole tree is kept, unless ``deep`` is false: then only the element
    itself, and the step keeps the descendants it changes (a step about a large element,
    such as a section, that changes a few of its children).
    """
    if function is None:
        return functools.partial(rewrite, fallback=fallback, deep=deep)
    step = _step_name(function)
    # where the element is looked for: after ``self`` in a method
    code = getattr(function, "__code__", None)
    first = 1 if code is not None and code.co_argcount and code.co_varnames[0] == "self" else 0
    page_step = first == 1 and code is not None and code.co_argcount == 1

    def careful(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """The step run with a guard of its own."""
        element = _element(args, first)
        # a transform's own document, else the element's (found by walking up to it)
        document = getattr(args[0], "document", None) if args else None
        if not isinstance(document, nodes.document):
            document = None
        tree = document if document is not None else getattr(element, "document", None)
        # (a whole transform keeps what it changes of the document, and its rewrites
        # their elements)
        snapshot = Snapshot(tree, element, deep)
        where = {"node": element if element is not None else document}
        # through __wrapped__, which the tests replace to make the step fail on purpose
        failed, result = _run(
            snapshot, step, REWRITE_OUTCOME, where, guarded.__wrapped__, args, kwargs
        )
        if not failed:
            return result
        if fallback is not None:
            snapshot = Snapshot(tree, element)
            _run(
                snapshot, f"the fallback of {step}", FALLBACK_OUTCOME, where, fallback, args, kwargs
            )
        return None

    if page_step:

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            global _RUNNING, _OPTIMISTIC
            running = _RUNNING
            transform = args[0]
            # (no call of ``getattr`` or ``isinstance``: a profiler charges each call)
            state = {**transform.__dict__}  # a transform keeps things on ``self``
            document = state["document"] if "document" in state else None  # noqa: SIM401
            if running is not None and running is _OPTIMISTIC:
                if document is running.document:  # (kept when the run started)
                    return guarded.__wrapped__(*args, **kwargs)
                return careful(args, kwargs)  # another page's
            if type(document) is not nodes.document and not isinstance(document, nodes.document):
                return careful(args, kwargs)
            # the optimistic run (see the module's docstring): its snapshot keeps the
            # document's ids
            snapshot = Snapshot(document, run=True)
            ids = document.ids
            snapshot.undo += (functools.partial(_put_back, ids, dict(ids)),)
            optimistic = _OPTIMISTIC
            waiting, diagnostics.waiting = diagnostics.waiting, []
            _RUNNING = _OPTIMISTIC = snapshot
            try:
                result = guarded.__wrapped__(*args, **kwargs)
            except BaseException as error:
                _RUNNING, _OPTIMISTIC = running, optimistic
                given, diagnostics.waiting = diagnostics.waiting, waiting
                if isinstance(error, CONTROL_FLOW) or not isinstance(error, Exception):
                    diagnostics.give(given)  # (not a failure: what the step did stands)
                    raise
                _take_back(snapshot, transform, state, given)
            else:
                _RUNNING, _OPTIMISTIC = running, optimistic
                given, diagnostics.waiting = diagnostics.waiting, waiting
                if given:
                    diagnostics.give(given)
                return result
            # (out of the ``except``: a failure of the careful run is not chained to this one)
            return careful(args, kwargs)

    else:

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            running = _RUNNING
            if running is None or running is not _OPTIMISTIC:
                return careful(args, kwargs)
            # part of an optimistic run: what the step's own guard would keep goes into the
            # run's snapshot (which has the document's ids), and the step is called
            # directly; its element is its first argument (found by its class: no call)
            try:
                element: Any = args[first]
            except IndexError:
                element = None
            if type(element) not in _NODE_CLASSES:
                element = _element(args, first)
                if element is None:
                    return guarded.__wrapped__(*args, **kwargs)
            keep(element, tree=deep, shallow=element.parent, into=running)  # (text: its parent)
            return guarded.__wrapped__(*args, **kwargs)

    setattr(guarded, GUARDED, "rewrite")
    guarded.fallback = fallback  # type: ignore[attr-defined]
    return guarded


#: The classes of the nodes the rewrites were given: a rewrite in an optimistic run
#: finds its element (its first argument, most often) with no call.
_NODE_CLASSES: set[type] = set()


def _element(args: tuple[Any, ...], first: int) -> nodes.Node | None:
    """The element a rewrite is about: the first node among its arguments from ``first``."""
    for arg in args[first:]:
        if isinstance(arg, nodes.Node):
            _NODE_CLASSES.add(type(arg))
            return arg
    return None


#: The snapshot of the optimistic run going on, if there is one: :func:`rewrite`\\ s
#: that run while it is also the innermost running step's (no guard of another kind in
#: between) are part of the run.
_OPTIMISTIC: Snapshot | None = None


def running_optimistically() -> bool:
    """Whether the step running now is part of an optimistic run: if it fails, it is not
    reported, but the run is done again, carefully."""
    return _RUNNING is not None and _RUNNING is _OPTIMISTIC


def _take_back(snapshot: Snapshot, transform: Any, state: dict[str, Any], given: list[Any]) -> None:
    """Put back the page and ``transform`` after its optimistic run failed, and drop the
    warnings it gave."""
    if snapshot.outer is not None:
        snapshot.outer.undo.remove(snapshot)
    snapshot.restore()
    transform.__dict__.clear()
    transform.__dict__.update(state)
    diagnostics.take_back(given)


#: What a page gets when a rewrite, or its fallback, fails.
REWRITE_OUTCOME = "the {element} is left as MyST made it"
FALLBACK_OUTCOME = "the {element} stays as MyST made it"


def directive(run: Function) -> Function:
    """Guard a directive's ``run``: on failure the directive's text is shown as written,
    in a literal block (as MyST shows a directive it cannot run)."""
    step = _step_name(run)

    @functools.wraps(run)
    def guarded(self: Any) -> Any:
        document = self.state.document
        where = {"location": (document.settings.env.docname, self.lineno)}
        snapshot = Snapshot(document)
        # the names, ids and footnotes it may have registered
        snapshot.undo.append(ObjectState(document).restore)
        failed, result = _run(
            snapshot, step, "its text is shown as written", where, guarded.__wrapped__, (self,)
        )
        if not failed:
            return result
        shown = nodes.literal_block(self.block_text, self.block_text)
        shown.source, shown.line = document["source"], self.lineno
        return [shown]

    setattr(guarded, GUARDED, "directive")
    return guarded  # type: ignore[return-value]


def parsing(parse: Function) -> Function:
    """Guard a source parser's ``parse(text, document)``: on failure the document is put
    back as it was and the page is parsed by the parser's base class (MyST's own); if
    that fails too (an input MyST itself cannot read), the page's text is shown as
    written, as a code block."""
    step = _step_name(parse)

    @functools.wraps(parse)
    def guarded(self: Any, inputstring: str, document: nodes.document) -> None:
        # (where the page is: found only after a failure)
        where = functools.partial(_page_of, document)
        args = (self, inputstring, document)
        failed, _ = _run(
            _parse_snapshot(document),
            step,
            "the page is parsed by MyST alone",
            where,
            guarded.__wrapped__,
            args,
        )
        if not failed:
            return
        base: Any = next(k for k in type(self).__mro__[1:] if "parse" in vars(k))
        failed, _ = _run(
            _parse_snapshot(document),
            f"{base.__name__}.parse, after {step}",
            "the page's text is shown as written",
            where,
            base.parse,
            args,
        )
        if not failed:
            return
        # shown by MyST, as a code block: MyST's parse also sets what its transforms read
        fence = "`" * max(3, max(map(len, re.findall("`+", inputstring)), default=0) + 1)
        failed, _ = _run(
            _parse_snapshot(document),
            f"{base.__name__}.parse of the page as a code block",
            "the page's text is shown as written",
            where,
            base.parse,
            (self, f"{fence}text\n{inputstring}\n{fence}\n", document),
        )
        if failed:
            shown = nodes.literal_block(inputstring, inputstring)
            shown.source, shown.line = document.get("source"), 1
            document += shown

    setattr(guarded, GUARDED, "parser")
    return guarded  # type: ignore[return-value]


def _parse_snapshot(document: nodes.document) -> Snapshot:
    """What a parse may change: the document's children and its tables (ids, names,
    footnotes …)."""
    snapshot = Snapshot(document)
    keep(document, into=snapshot)
    snapshot.undo += (ObjectState(document).restore,)
    return snapshot


def _page_of(document: nodes.document) -> dict[str, Any]:
    """Where a warning about the parse of ``document`` goes: its page."""
    env = getattr(document.settings, "env", None)
    return {"location": (env.docname, None) if env is not None else None}


#: What a handler of these events gives after a failure: Sphinx iterates their results.
FAILED_RESULTS: dict[str, Callable[[], Any]] = {
    "env-get-outdated": list,
    "env-get-updated": list,
    "env-updated": list,
}


def handler(function: Function, failed_result: Callable[[], Any] | None = None) -> Function:
    """Guard an event handler: on failure the warning is at the page the event is about
    (a node or docname among its arguments), the handler returns ``None`` (or what
    ``failed_result`` makes: an event whose results Sphinx iterates needs an empty list) and
    the build goes on. A ``source-read`` handler's change to the source is put back."""
    step = _step_name(function)

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        snapshot = Snapshot()
        if list in map(type, args):  # source-read's [source] (looked for from C)
            for arg in args:
                if type(arg) is list:
                    snapshot.keep_items(arg)
        where = functools.partial(_where, args)  # (found only after a failure)
        outcome = "the build goes on without it"
        failed, result = _run(snapshot, step, outcome, where, guarded.__wrapped__, args, kwargs)
        if failed:
            return failed_result() if failed_result is not None else None
        return result

    setattr(guarded, GUARDED, "handler")
    return guarded  # type: ignore[return-value]


def _where(args: tuple[Any, ...]) -> dict[str, Any]:
    """Where a warning about an event goes: a node among the arguments, else the page
    whose docname is among them."""
    for arg in args:
        if isinstance(arg, nodes.Node):
            return {"node": _location(arg)}
    env = next((arg.env for arg in args if hasattr(arg, "env")), None)
    for arg in args:
        if isinstance(arg, str) and env is not None and arg in env.found_docs:
            return {"location": (arg, None)}
    return {}


def connect(app: Sphinx, event: str, function: Callable[..., Any], priority: int = 500) -> None:
    """``app.connect`` with the handler guarded."""
    app.connect(event, handler(function, FAILED_RESULTS.get(event)), priority=priority)


def connect_once(app: Sphinx, event: str, guarded: Callable[..., Any]) -> None:
    """``app.connect`` of a handler guarded where it is defined (:func:`handler`), unless
    the application has it: a handler that only some builds need, connected by a build
    that finds it needs it once its pages are read (``write-started``), so that the
    others do not call it at every page (an application that builds again keeps it)."""
    if all(listener.handler is not guarded for listener in app.events.listeners[event]):
        app.connect(event, guarded)


# ---------------------------------------------------------------- visitors


_STATE = "_excerpt_visit_state"
_FALLBACK = "_excerpt_fallback"


#: How many items at the end of a translator's list a visitor may change other than by
#: appending (as the LaTeX figure visitor inserts room for a photo before the heading
#: just written): the rest is kept by its length, so the state costs the same at any
#: point of a long page.
TAIL = 32
_LAST = slice(-TAIL, None)
_LIST = frozenset((list,))  # (a set's test by hash, not ``in`` comparing classes)
_COPY = methodcaller("copy")


class ObjectState:
    """What an object (a translator, a document) holds at one point: its attributes; the
    ends of its lists, and of the lists in them; its dicts and sets."""

    __slots__ = ("attributes", "lengths", "lists", "nested", "others", "owner", "tails")

    def __init__(self, owner: Any) -> None:
        # taken before every visit of the extension's nodes: where the lists, dicts and
        # sets are is known from the classes of the attributes' values (a translator has
        # a few such shapes in a build), and the work per list is done from C (``map``)
        self.owner = owner
        self.attributes = attributes = dict(owner.__dict__)
        values = tuple(attributes.values())
        shape = tuple(map(type, values))
        try:
            at_lists, at_others = _SHAPES[shape]
        except KeyError:
            at_lists, at_others = _SHAPES[shape] = _positions(shape)
        pick = values.__getitem__
        self.lists = lists = tuple(map(pick, at_lists))
        others = tuple(map(pick, at_others))
        # (copied from C, by ``map``: no call of a comprehension, nor of each ``copy``)
        self.others = list(zip(others, map(_COPY, others), strict=True)) if others else []
        if True not in map(bool, lists):  # (``in``: tested from C, no call)
            # every list empty (a document before its parse): to put one back is to
            # empty it (``tails`` ``None``)
            self.tails = None
            self.lengths, self.nested = [], []
            return
        self.lengths = list(map(len, lists))
        self.tails = tails = list(map(getitem, lists, repeat(_LAST)))
        # lists in a list's tail are rare (a translator's stack of bodies)
        self.nested = (
            [(item, _contents(item)) for tail in tails for item in tail if type(item) is list]
            if not _LIST.isdisjoint(map(type, chain(*tails)))
            else []
        )

    def restore(self) -> None:
        self.owner.__dict__.clear()
        self.owner.__dict__.update(self.attributes)
        if self.tails is None:  # the lists were empty
            for value in self.lists:
                value.clear()
        else:
            for value, length, tail in zip(self.lists, self.lengths, self.tails, strict=True):
                value[length - len(tail) :] = tail
            for item, saved in self.nested:
                _put_back(item, saved)
        for value, copy in self.others:
            value.clear()
            value.update(copy)


#: Where an object's lists, and its dicts and sets, are among its attributes' values, by
#: the classes of those values in order.
_SHAPES: dict[tuple[type, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}


def _positions(shape: tuple[type, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if len(_SHAPES) > 256:  # (a bound: shapes are few, but nothing promises it)
        _SHAPES.clear()
    lists = tuple(index for index, kind in enumerate(shape) if kind is list)
    others = tuple(index for index, kind in enumerate(shape) if kind is dict or kind is set)
    return lists, others


def _contents(value: Any) -> Any:
    if type(value) is list:
        start = max(0, len(value) - TAIL)
        tail = value[start:]
        return start, tail, [(item, _contents(item)) for item in tail if type(item) is list]
    return value.copy()


def _put_back(value: Any, contents: Any) -> None:
    if type(value) is list:
        start, tail, inner = contents
        value[start:] = tail
        for item, saved in inner:
            _put_back(item, saved)
    else:
        value.clear()
        value.update(contents)


#: Marks a visitor that changes nothing of the translator but its ``body``, which it
#: appends to (see :func:`appends_only`).
APPENDS_ONLY = "__excerpt_appends_only__"


def appends_only(visitor: Function) -> Function:
    """Mark a visitor that changes nothing of the translator but appends to its ``body``:
    its guard keeps the body's length, not the translator's whole state (most visitors
    write a tag or two; the tests check every visitor so marked)."""
    setattr(visitor, APPENDS_ONLY, True)
    return visitor


if TYPE_CHECKING:
    #: What a visitor's guard keeps: the translator's state, or its body and the body's
    #: length (a visitor that only appends).
    VisitState: TypeAlias = "ObjectState | tuple[list[str], int]"


def _restore(state: VisitState) -> None:
    if type(state) is tuple:
        body, length = state
        del body[length:]
    else:
        cast("ObjectState", state).restore()


def guarded_visitors(
    node_class: type[nodes.Node], visit: Callable[..., Any], depart: Callable[..., Any] | None
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Visitors that, when ``visit`` or ``depart`` fails, take back what it wrote and
    render the node as the builder renders its docutils base class, else as its text."""
    step = f"the {node_class.__name__} visitor {_step_name(visit)}"
    appending = all(getattr(f, APPENDS_ONLY, False) for f in (visit, depart) if f is not None)

    def guarded_visit(self: Any, node: nodes.Element) -> None:
        state: VisitState
        if appending:  # (its body may be another list at the depart: the one kept here)
            body = self.body
            state = (body, len(body))
        else:
            state = ObjectState(self)
        try:
            guarded_visit.__wrapped__(self, node)  # type: ignore[attr-defined]
        except CONTROL_FLOW:
            raise
        except Exception as error:
            _restore(state)
            _fall_back(self, node, error, step, state)
        else:
            node.__dict__[_STATE] = state

    def guarded_depart(self: Any, node: nodes.Element) -> None:
        # (``in`` and ``del``, not ``pop``: no call)
        kept = node.__dict__
        state = base = None
        if _STATE in kept:
            state = kept[_STATE]
            del kept[_STATE]
            if _FALLBACK in kept:
                base = kept[_FALLBACK]
                del kept[_FALLBACK]
        try:
            if base is not None:
                getattr(self, f"depart_{base}")(node)
            elif guarded_depart.__wrapped__ is not None:  # type: ignore[attr-defined]
                guarded_depart.__wrapped__(self, node)  # type: ignore[attr-defined]
        except CONTROL_FLOW:
            raise
        except Exception as error:
            if state is not None:
                _restore(state)  # back to before the node's visit: its whole output goes
            report(error, step, "it is shown as plain text", node=_location(node))
            _as_text(self, node)

    for guarded, function in ((guarded_visit, visit), (guarded_depart, depart)):
        guarded.__wrapped__ = function  # type: ignore[attr-defined]
        setattr(guarded, GUARDED, "visitor")
        setattr(guarded, APPENDS_ONLY, appending)
    return guarded_visit, guarded_depart


def _fall_back(
    translator: Any, node: nodes.Element, error: Exception, step: str, state: VisitState
) -> None:
    base = _base_rendering(translator, node)
    if base is not None:
        report(error, step, f"it is rendered as a plain {base}", node=_location(node))
        try:
            getattr(translator, f"visit_{base}")(node)
        except CONTROL_FLOW:
            raise
        except Exception:
            _restore(state)
        else:
            node.__dict__[_STATE] = state
            node.__dict__[_FALLBACK] = base
            return
    else:
        report(error, step, "it is shown as plain text", node=_location(node))
    _as_text(translator, node)
    raise nodes.SkipNode


def _base_rendering(translator: Any, node: nodes.Node) -> str | None:
    """The docutils class nearest above the node's own that the translator renders."""
    for cls in type(node).__mro__[1:]:
        if cls.__module__.startswith(("docutils.", "sphinx.")) and hasattr(
            translator, f"visit_{cls.__name__}"
        ):
            return cls.__name__
    return None


def _as_text(translator: Any, node: nodes.Node) -> None:
    """Write the node's text, as a paragraph where it stands among blocks."""
    text = node.astext()
    if not text:
        return
    inline = isinstance(node, nodes.Inline) or isinstance(node.parent, nodes.TextElement)
    shown: nodes.Node = nodes.Text(text) if inline else nodes.paragraph(text, text)
    # a holder of its own: writers look at a paragraph's place among its siblings
    holder = nodes.Element()
    holder += shown
    holder.parent = node.parent
    shown.walkabout(translator)


def add_node(app: Sphinx, node_class: type[nodes.Element], **visitors: Any) -> None:
    """``app.add_node`` with every builder's visitors guarded."""
    app.add_node(
        node_class,
        override=False,  # (named, so the builders' visitors alone fill ``**kwargs``)
        **{
            builder: guarded_visitors(node_class, visit, depart)
            for builder, (visit, depart) in visitors.items()
        },
    )
