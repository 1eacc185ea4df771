"""Fail-soft: each step of the extension made to fail on purpose, the build still finishes.

``tests/roots/test-guard`` is an excerpt page with every idiom, so that every guarded
step runs on it. Each test replaces one step's function (the ``__wrapped__`` its guard
calls) by one that does all the step's work and then raises, the worst case for putting
things back, and checks that the build finishes with every word of the page and one
``excerpt.internal`` warning, at the element's ``file:line``, per failure.

The steps are found where Sphinx keeps them (registered transforms, event listeners,
node visitors) and in the extension's modules (the guarded rewrites of one element),
so a new step that is not guarded, or not failed here, fails these tests.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import ROOTS, copy_root, run_build
from docutils import nodes
from docutils.parsers import Parser
from docutils.parsers.rst import Directive
from docutils.parsers.rst import directives as rst_directives
from markdown_it import MarkdownIt
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.logging import get_node_location

import sphinx_excerpt
from sphinx_excerpt import diagnostics, guard, parser
from sphinx_excerpt.domain import Reading
from sphinx_excerpt.parser import DIALECT_PLUGINS, excerpt_config
from sphinx_excerpt.warnings import Subtype

BUILDERS = ("html", "text", "latex")
#: Steps that run for one builder only (the others never call them). Post-transforms
#: that name their builders (``builders = ("latex",)``) are found by those, see
#: :func:`all_steps`.
ONLY_FOR = {
    "messages.give_messages": ("gettext",),
    # connected by the HTML builds that show a PDF link only
    "pagepdf.add_pdf_link": ("html",),
    "latex_images.LatexImagePlaceholders.stand_in": ("latex",),
    "latex_floats.FloatPlacement.place": ("latex",),
}
#: Nodes only LaTeX's post-transforms make (image placeholders, characters pdflatex
#: cannot set, right-to-left runs): the other builders never see them.
LATEX_ONLY_NODES = ("image_placeholder", "unsettable_character", "right_to_left", "photo_caption")
#: Steps no build of one page calls: merging the records of parallel readers (Sphinx
#: reads a handful of pages in one process, so a one-page build never merges), and
#: the visitors of LaTeX-only nodes outside LaTeX.
NEVER_CALLED = {
    "domain.ExcerptDomain.merge_domaindata",
    *(
        f"{b}:{node}:{w}"
        for b in ("html", "text", "man", "texinfo")
        for node in LATEX_ONLY_NODES
        for w in ("visit", "depart")
    ),
}
#: The configuration a step needs to run: right-to-left runs are marked for lualatex only.
OVERRIDES = {f"latex:right_to_left:{w}": {"latex_engine": "lualatex"} for w in ("visit", "depart")}
#: The pages a step needs besides the root's own: the hidden pages' transform is
#: registered in projects with a hidden page only.
EXTRA_PAGES = {
    "status.HiddenPages.apply": {
        "hidden.md": "Title: The keepers' roster\nStatus: hidden\n\nFor the quay office only.\n"
    },
}
#: What each event is about, for where its handlers run.
EVENT_BUILDERS = {"html-page-context": ("html",), "config-inited": ("html",)}
INTERNAL = "[excerpt.internal]"
OUTPUTS = {
    "html": "index.html",
    "text": "index.txt",
    "latex": "*.tex",
    "gettext": "*.pot",
    "man": "*.1",
    "texinfo": "*.texi",
}


# ---------------------------------------------------------------- the steps


def registered_steps(app: Sphinx) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every transform, event handler and visitor the extension registered with Sphinx."""
    registry = app.registry
    for transform in [*registry.get_transforms(), *registry.get_post_transforms()]:
        if transform.__module__.startswith("sphinx_excerpt."):
            post = issubclass(transform, SphinxPostTransform)
            yield (
                _name(transform.run if post else transform.apply),
                (transform.run if post else transform.apply),
            )
    for event, listeners in app.events.listeners.items():
        for listener in listeners:
            function = getattr(listener.handler, "__func__", listener.handler)
            if function.__module__.startswith("sphinx_excerpt."):
                yield f"{event}:{_name(function)}", function
    for builder, handlers in registry.translation_handlers.items():
        for node_name, pair in handlers.items():
            for which, function in zip(("visit", "depart"), pair, strict=True):
                if function is not None and function.__module__.startswith("sphinx_excerpt"):
                    yield f"{builder}:{node_name}:{which}", function


def module_rewrites() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every guarded function and method defined in the extension's modules."""
    for info in pkgutil.walk_packages(sphinx_excerpt.__path__, "sphinx_excerpt."):
        module = importlib.import_module(info.name)
        for _, member in inspect.getmembers(module):
            if getattr(member, "__module__", None) != module.__name__:
                continue
            functions = [member]
            if inspect.isclass(member):
                functions = [f for _, f in inspect.getmembers(member, inspect.isfunction)]
            for function in functions:
                if getattr(function, guard.GUARDED, False):
                    yield _name(function), function


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__.rsplit('.', 1)[-1]}.{function.__qualname__}"


#: The builders whose applications are probed for steps: some steps are registered only
#: when the builder is known to need them (``builder-inited``).
PROBED = (*BUILDERS, "gettext")


def probe_app(tmp_path: Path, builder: str = "html") -> SphinxTestApp:
    """The guard root's application, set up but not built (``cleanup()`` it after)."""
    srcdir = copy_root("guard", tmp_path)
    return SphinxTestApp(builder, srcdir=srcdir, builddir=tmp_path / "out")


def probed_steps() -> tuple[dict[str, Callable[..., Any]], dict[str, set[str]], dict[str, Any]]:
    """The steps registered in the guard root's application of each probed builder: by
    name, the builders whose applications have each, and the extension's post-transforms
    (by the name of their ``run``)."""
    import tempfile

    steps: dict[str, Callable[..., Any]] = {}
    registered_in: dict[str, set[str]] = {}
    post_transforms: dict[str, Any] = {}
    for builder in PROBED:
        with tempfile.TemporaryDirectory() as tmp:
            app = probe_app(Path(tmp), builder)
            try:
                for name, function in registered_steps(app):
                    steps[name] = function
                    registered_in.setdefault(name, set()).add(builder)
                for transform in app.registry.get_post_transforms():
                    if transform.__module__.startswith("sphinx_excerpt."):
                        post_transforms[_name(transform.run)] = transform
            finally:
                app.cleanup()
    return steps, registered_in, post_transforms


def all_steps(
    probed: tuple[dict[str, Callable[..., Any]], dict[str, set[str]], dict[str, Any]],
) -> dict[str, tuple[str, ...]]:
    """Every step to fail on purpose, with the builders to fail it in."""
    registered, registered_in, post_transforms = probed
    # a post-transform that names its builders (or their formats) runs in those only
    only_for = {
        name: tuple(transform.builders or transform.formats)
        for name, transform in post_transforms.items()
        if transform.builders or transform.formats
    }
    only_for.update(ONLY_FOR)
    steps: dict[str, tuple[str, ...]] = {}
    handlers = set(registered.values())
    for name, function in module_rewrites():
        if function not in handlers:  # an event handler, named by its event below
            steps[name] = only_for.get(name, BUILDERS)
    for name, function in registered.items():
        parts = name.split(":")
        if len(parts) == 3:  # a visitor: in its own builder
            if function.__wrapped__ is not None:
                steps[name] = (parts[0],)
            continue
        if len(parts) == 2:  # an event handler
            builders = EVENT_BUILDERS.get(parts[0], BUILDERS)
        else:  # a transform
            builders = only_for.get(name, BUILDERS)
        # in the builds that register it (a step some builds only need is theirs)
        steps[name] = tuple(b for b in builders if b in registered_in[name]) or tuple(
            b for b in PROBED if b in registered_in[name]
        )
    return steps


PROBED_STEPS = probed_steps()
STEPS = all_steps(PROBED_STEPS)


def test_every_step_of_the_extension_is_guarded(tmp_path):
    steps = list(PROBED_STEPS[0].items())
    app = probe_app(tmp_path)
    try:
        directives = [
            cls
            for cls in rst_directives._directives.values()
            if isinstance(cls, type) and cls.__module__.startswith("sphinx_excerpt.")
        ]
        parsers = {
            parser
            for parser in app.registry.source_parsers.values()
            if parser.__module__.startswith("sphinx_excerpt.")
        }
    finally:
        app.cleanup()
    steps += [(_name(cls.run), cls.run) for cls in directives]
    steps += [(_name(parser.parse), parser.parse) for parser in parsers]
    assert len(directives) >= 4 and len(parsers) == 1
    steps = [(name, f) for name, f in steps if getattr(f, "__wrapped__", f) is not None]
    steps += list(RULES.items())
    unguarded = sorted(name for name, f in steps if not getattr(f, guard.GUARDED, False))
    assert unguarded == [], f"steps without a guard (see sphinx_excerpt/guard.py): {unguarded}"
    # every kind of step is among them, and each is failed on purpose below
    names = [name for name, _ in steps]
    assert any(n.startswith("figures.FigureIdioms") for n in names)
    assert any(n.startswith("latex_images.") for n in names)
    assert any(n.startswith("source-read:") for n in names)
    assert any(n.startswith("latex:well:") for n in names)
    assert any(n.startswith("rule:block:") for n in names)
    assert any(n.startswith("rule:inline:") for n in names)
    assert len(STEPS) >= 60
    # and each of them is failed on purpose below
    failed = {name for name, _ in CASES} | set(RULES)
    untested = sorted({name for name, _ in steps} - NEVER_CALLED - failed)
    assert untested == [], (
        f"steps never failed on purpose: {untested} (make tests/roots/test-guard run "
        "them, or list them in ONLY_FOR / NEVER_CALLED with the reason)"
    )


# ---------------------------------------------------------------- failing on purpose


class Failures:
    """Where each injected failure happened (the location its warning should show)."""

    def __init__(self) -> None:
        self.locations: list[str] = []

    def add(self, args: tuple[Any, ...]) -> None:
        if guard.running_optimistically():
            return  # not a failure of the step: the run it is part of is done again, carefully
        where = guard._where(args)
        location = None
        if isinstance(args[0], Directive):
            env = args[0].state.document.settings.env
            location = f"{env.doc2path(env.docname)}:{args[0].lineno}"
        elif isinstance(args[0], Parser):
            env = args[2].settings.env
            location = str(env.doc2path(env.docname))
        elif "node" in where:
            location = get_node_location(where["node"])
        elif "location" in where:
            env = next(arg.env for arg in args if hasattr(arg, "env"))
            location = str(env.doc2path(where["location"][0]))
        self.locations.append((location or "").removesuffix(":"))


def failing(function: Callable[..., Any], failures: Failures) -> Callable[..., Any]:
    """``function``, then a failure: all of its work done, and none of it to keep."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        failures.add(args)
        with suppress(nodes.TreePruningException):  # a visitor's SkipNode: its work is done
            function(*args, **kwargs)
        raise RuntimeError("failure made on purpose")

    return fail


Replacement = Callable[[Callable[..., Any], Any], Callable[..., Any]]


@contextmanager
def injected(step: str, replacement: Replacement, app: Sphinx | None = None) -> Iterator[bool]:
    """Replace ``step`` while the block runs; yields whether it could be reached yet.

    An event handler defined in a module is replaced where ``setup`` finds it (before
    the application exists: some events come while it is made); a visitor is reached
    through the application; a markdown-it rule in each parser the excerpt parser makes;
    the other steps are guarded functions of the modules.
    """
    if step.startswith("rule:"):
        if app is not None:
            yield False
            return
        with replaced_rule(step, replacement):
            yield True
        return
    name = step.rpartition(":")[2]
    module_name, _, attribute = name.partition(".")
    if step.count(":") == 1 and "." not in attribute:
        if app is not None:
            yield False
            return
        target, key = importlib.import_module(f"sphinx_excerpt.{module_name}"), attribute
    elif step.count(":") == 2:
        if app is None:
            yield False
            return
        target, key = dict(registered_steps(app))[step], "__wrapped__"
    else:
        if app is not None:
            yield False
            return
        target, key = dict(module_rewrites())[name], "__wrapped__"
    original = getattr(target, key)
    setattr(target, key, replacement(original, target))
    try:
        yield True
    finally:
        setattr(target, key, original)


def build_failing(
    srcdir: Path, builder: str, step: str, **overrides: Any
) -> tuple[tuple[Path, str], Failures]:
    """Build ``srcdir`` with ``step`` failing at each call."""
    failures = Failures()
    built = build_with(srcdir, builder, step, lambda f, _: failing(f, failures), **overrides)
    return built, failures


def skipped(function: Callable[..., Any], guarded: Any) -> Callable[..., Any]:
    """A step that does nothing (but what its guard does after a failure)."""
    return getattr(guarded, "fallback", None) or (lambda *args, **kwargs: None)


def build_with(
    srcdir: Path, builder: str, step: str, replacement: Replacement, **overrides: Any
) -> tuple[Path, str]:
    """Build ``srcdir`` with ``step`` replaced; the output folder and the warnings."""
    builddir = srcdir.parent / f"out-{builder}-{len(list(srcdir.parent.iterdir()))}"
    for name, text in EXTRA_PAGES.get(step, {}).items():
        (srcdir / name).write_text(text, encoding="utf-8")
    with injected(step, replacement) as before:
        app = SphinxTestApp(
            builder, srcdir=srcdir, builddir=builddir, freshenv=True, confoverrides=overrides
        )
        try:
            with injected(step, replacement, app) as after:
                assert before or after
                app.build()
        finally:
            app.cleanup()
    return app.outdir, app.warning.getvalue()


def internal_warnings(warnings: str) -> list[tuple[str, str]]:
    """The ``excerpt.internal`` warnings: (location, message), a message may span lines."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", warnings)
    records = re.split(r"\n(?=[^\n]*WARNING: )", plain)
    found = []
    for record in records:
        if INTERNAL in record:
            where, _, message = record.partition("WARNING: ")
            found.append((where.strip().removesuffix(":"), message))
    return found


def words_text(outdir: Path, builder: str) -> str:
    """The output: the text a reader sees in HTML, the files' text otherwise."""
    text = " ".join(p.read_text(encoding="utf-8") for p in outdir.glob(OUTPUTS[builder]))
    if builder == "html":
        from bs4 import BeautifulSoup

        text = BeautifulSoup(text, "lxml").get_text(" ")
    elif builder == "latex":
        text = LATEX_CLASSES.sub(" ", text)
    return text


#: Class names in LaTeX (``\\DUrole{excerpt-refused-link}{…}``): markup, not words.
LATEX_CLASSES = re.compile(r"\\DUrole\{[^}]*\}")


def words(outdir: Path, builder: str) -> set[str]:
    return set(re.findall(r"\w+", words_text(outdir, builder)))


#: Markup of the page, whose words are not the page's: image paths and titles (which
#: the PDF of a plain image does not print either), attributes, HTML tags, directives'
#: names and options.
MARKUP = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|\{[^}]*\}|<[^>]+>|^```.*$|^:\w+:.*$|^\w+: ", re.MULTILINE
)


def page_text() -> str:
    return MARKUP.sub(" ", (ROOTS / "test-guard" / "index.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, set[str]]:
    """The words of the page's source that a build without failures shows, per builder."""
    source_words = set(re.findall(r"\w+", page_text()))
    shown = {}
    for builder in sorted({b for builders in STEPS.values() for b in builders}):
        base = tmp_path_factory.mktemp(f"reference-{builder}")
        srcdir = copy_root("guard", base)
        build = run_build(srcdir, builder)
        assert INTERNAL not in build.warnings
        shown[builder] = source_words & words(build.outdir, builder)
    return shown


CASES = [
    (name, builder)
    for name, builders in sorted(STEPS.items())
    if name not in NEVER_CALLED
    for builder in builders
]


@pytest.mark.parametrize(("step", "builder"), CASES, ids=[f"{s}-{b}" for s, b in CASES])
def test_a_failing_step_leaves_the_page_whole(tmp_path, reference, step, builder):
    srcdir = copy_root("guard", tmp_path)
    (outdir, warnings), failures = build_failing(srcdir, builder, step, **OVERRIDES.get(step, {}))
    assert failures.locations, f"{step} never ran in the {builder} build"
    internal = internal_warnings(warnings)
    # one warning per failure, each where its element is
    assert len(internal) == len(failures.locations), warnings
    assert sorted(where for where, _ in internal) == sorted(failures.locations)
    for _, message in internal:
        assert "failure made on purpose" in message
        assert "This is a bug in sphinx-excerpt" in message
    # the build went on: every word the page shows is still there (a catalog holds the
    # words to translate: a step that failed to mark a well's words leaves them out)
    if builder == "gettext":
        assert "landings fell after the war" in words_text(outdir, builder)
        return
    missing = reference[builder] - words(outdir, builder)
    assert not missing, f"lost {sorted(missing)}"


#: The rewrites of elements and transforms: a failure leaves the page as without them.
REWRITES = sorted(
    name
    for name, function in module_rewrites()
    if getattr(function, guard.GUARDED) == "rewrite" and name in STEPS
)


@pytest.mark.parametrize("step", REWRITES)
def test_a_failed_rewrite_leaves_the_page_as_if_it_had_not_run(tmp_path, step):
    """The step does all its work and then fails: the output is the one without the step."""
    builder = STEPS[step][0]
    srcdir = copy_root("guard", tmp_path)
    (failed, _), failures = build_failing(srcdir, builder, step)
    assert failures.locations
    without, warnings = build_with(srcdir, builder, step, skipped)
    assert INTERNAL not in warnings
    assert output(failed, builder) == output(without, builder)


#: The visitors, each in its own builder.
VISITORS = sorted(
    (name, builders[0])
    for name, builders in STEPS.items()
    if name.count(":") == 2 and name not in NEVER_CALLED
)


def failing_at_once(failures: Failures) -> Callable[..., Any]:
    """A step that fails before it does anything."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        failures.add(args)
        raise RuntimeError("failure made on purpose")

    return fail


@pytest.mark.parametrize(("step", "builder"), VISITORS, ids=[s for s, _ in VISITORS])
def test_a_failed_visitor_takes_back_all_it_wrote(tmp_path, step, builder):
    """The visitor writes all it writes and then fails: the output is the one of a failure
    before it wrote anything (the node rendered by the fallback, in both)."""
    srcdir = copy_root("guard", tmp_path)
    overrides = OVERRIDES.get(step, {})
    (failed, _), failures = build_failing(srcdir, builder, step, **overrides)
    assert failures.locations
    at_once = Failures()
    fresh, _ = build_with(srcdir, builder, step, lambda f, _: failing_at_once(at_once), **overrides)
    assert at_once.locations == failures.locations
    assert output(failed, builder) == output(fresh, builder)


#: The visitors whose guard keeps only their translator's body (``guard.appends_only``).
APPENDING = [
    (name, b) for name, b in VISITORS if getattr(PROBED_STEPS[0][name], guard.APPENDS_ONLY)
]


def only_appending(function: Callable[..., Any], changes: list[str]) -> Callable[..., Any]:
    """``function``, noting in ``changes`` what it did to the translator but append to its
    body: an attribute set, or changed in place (a list, a dict, a set)."""

    def check(translator: Any, node: nodes.Node) -> None:
        kept = dict(vars(translator))
        copies = {n: v.copy() for n, v in kept.items() if isinstance(v, list | dict | set)}
        body = translator.body
        try:
            function(translator, node)
        finally:
            now = vars(translator)
            changes.extend(
                f"{name} set"
                for name in kept.keys() | now.keys()
                if now.get(name) is not kept.get(name)
            )
            for name, value in kept.items():
                if value is body:
                    if body[: len(copies[name])] != copies[name]:
                        changes.append("body changed, not appended to")
                elif name in copies and value != copies[name]:
                    changes.append(f"{name} changed")

    return check


@pytest.mark.parametrize(("step", "builder"), APPENDING, ids=[s for s, _ in APPENDING])
def test_a_visitor_marked_as_appending_only_appends(tmp_path, step, builder):
    """A visitor whose guard keeps only the translator's body (``guard.appends_only``)
    changes nothing else of it, and writes only after what was written: else a failure
    would leave the translator as the visitor left it."""
    assert len(APPENDING) >= 8  # the HTML and LaTeX visitors of wells, the contents list…
    srcdir = copy_root("guard", tmp_path)
    changes: list[str] = []
    calls = Failures()

    def checked(function: Callable[..., Any], _: Any) -> Callable[..., Any]:
        inner = only_appending(function, changes)

        def call(*args: Any) -> Any:
            calls.add(args)
            return inner(*args)

        return call

    _, warnings = build_with(srcdir, builder, step, checked, **OVERRIDES.get(step, {}))
    assert calls.locations, "the visitor was not called"
    assert INTERNAL not in warnings
    assert changes == []


def test_a_visitor_that_changes_more_than_its_body_is_caught():
    """The check above sees a translator's attribute changed in place or set."""
    changes: list[str] = []
    translator = SimpleNamespace(body=["<p>"], context=[], in_caption=0)

    def counting(self: Any, node: Any) -> None:
        self.body.append("x")
        self.context.append("</div>")
        self.in_caption += 1

    only_appending(counting, changes)(translator, nodes.paragraph())
    assert sorted(changes) == ["context changed", "in_caption set"]
    only_appending(lambda self, node: self.body.insert(0, "y"), changes)(translator, None)
    assert changes[-1] == "body changed, not appended to"


def output(outdir: Path, builder: str) -> str:
    """The written page (the HTML page's body; no dates of the build)."""
    text = " ".join(p.read_text(encoding="utf-8") for p in outdir.glob(OUTPUTS[builder]))
    if builder == "html":
        from bs4 import BeautifulSoup

        return str(BeautifulSoup(text, "lxml").select_one('[role="main"]'))
    return re.sub(r"(?m)^.*(Creation-Date|\\date).*$", "", text)


def test_steps_added_when_the_writing_starts_are_added_once(tmp_path):
    """A handler or post-transform that a build adds once its pages are read is added
    once, however many times the application builds."""
    from sphinx_excerpt.pagepdf import add_pdf_link
    from sphinx_excerpt.pages import add_post_transform_once
    from sphinx_excerpt.title import TitleMarkup

    app = probe_app(tmp_path)
    try:
        for _ in range(2):
            guard.connect_once(app, "doctree-resolved", add_pdf_link)
            add_post_transform_once(app, TitleMarkup)
        listeners = app.events.listeners["doctree-resolved"]
        assert [item.handler for item in listeners].count(add_pdf_link) == 1
        assert app.registry.get_post_transforms().count(TitleMarkup) == 1
    finally:
        app.cleanup()


def test_the_internal_warning_can_be_suppressed(tmp_path):
    srcdir = copy_root("guard", tmp_path)
    (_, warnings), failures = build_failing(srcdir, "html", "figures.FigureIdioms.read_table")
    assert failures.locations and INTERNAL in warnings
    (_, quiet), failures = build_failing(
        srcdir, "html", "figures.FigureIdioms.read_table", suppress_warnings=["excerpt.internal"]
    )
    assert failures.locations and INTERNAL not in quiet


# ---------------------------------------------------------------- markdown-it rules


def rule_chains(md: MarkdownIt) -> dict[str, Ruler[Any]]:
    return {
        "core": md.core.ruler,
        "block": md.block.ruler,
        "inline": md.inline.ruler,
        "inline2": md.inline.ruler2,
    }


def dialect_rules() -> dict[str, Callable[..., Any]]:
    """The markdown-it rules the excerpt parser adds to MyST's, or puts in place of
    MyST's own, by ``rule:<chain>:<name>`` (the plugins of ``parser.DIALECT_PLUGINS``,
    as the extension's ``setup`` left the list)."""
    config = excerpt_config(MdParserConfig())
    plain, excerpt = (create_md_parser(config, SphinxRenderer) for _ in range(2))
    for plugin in DIALECT_PLUGINS:
        excerpt.use(plugin)
    # MyST's rules, by their code (a plugin may make a new closure for each parser)
    own = {
        (chain, rule.name, _code(rule.fn))
        for chain, ruler in rule_chains(plain).items()
        for rule in ruler.__rules__
    }
    return {
        f"rule:{chain}:{rule.name}": rule.fn
        for chain, ruler in rule_chains(excerpt).items()
        for rule in ruler.__rules__
        # (a rule switched off is in no chain: the dollar math block's, moved, see math.py)
        if rule.enabled and (chain, rule.name, _code(rule.fn)) not in own
    }


def _code(rule: Callable[..., Any]) -> Any:
    while isinstance(rule, functools.partial):
        rule = rule.func
    return getattr(rule, "__code__", rule)


#: Made once the extension's ``setup`` has run (:data:`STEPS`): plugins join the list there.
RULES = dialect_rules()


class RuleFailures(Failures):
    """Where a failing rule failed: the page, and the line where a block rule was (in
    the page: a block parse inside a block, such as an HTML block's Markdown, counts its
    lines from its own first line)."""

    def add(self, args: tuple[Any, ...]) -> None:
        state = args[0]
        env = state.md.options["document"].settings.env
        location = str(env.doc2path(env.docname))
        if isinstance(state, StateBlock):
            location += f":{args[1] + 1 + state.env.get('excerpt_line_offset', 0)}"
        self.locations.append(location)


def failing_rule(function: Callable[..., Any], failures: Failures) -> Callable[..., Any]:
    """``function``, then a failure, noted when it fails: a rule's failures inside a
    nested parse of its own come first, and the first failure is the one reported."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        function(*args, **kwargs)
        failures.add(args)
        raise RuntimeError("failure made on purpose")

    return fail


@contextmanager
def replaced_rule(step: str, replacement: Replacement) -> Iterator[None]:
    """The rule ``step`` replaced (its guard's ``__wrapped__``) in every parser made."""
    _, chain, name = step.split(":")

    def replace(md: MarkdownIt) -> None:
        for rule in rule_chains(md)[chain].__rules__:
            if rule.name == name:
                rule.fn.__wrapped__ = replacement(rule.fn.__wrapped__, rule.fn)

    plugins = parser.DIALECT_PLUGINS
    parser.DIALECT_PLUGINS = (*plugins, replace)  # the last plugin: the rule is there by then
    try:
        yield
    finally:
        parser.DIALECT_PLUGINS = plugins


@pytest.mark.parametrize("step", sorted(RULES))
def test_a_failing_rule_leaves_the_page_whole(tmp_path, reference, step):
    """A rule is tried at every place of a page: its failures on a page make one warning,
    at the first place (a block rule knows its line), and the text is read without it."""
    srcdir = copy_root("guard", tmp_path)
    failures = RuleFailures()
    outdir, warnings = build_with(srcdir, "html", step, lambda f, _: failing_rule(f, failures))
    assert failures.locations, f"{step} never ran"
    internal = internal_warnings(warnings)
    assert [where for where, _ in internal] == failures.locations[:1], warnings
    _, message = internal[0]
    assert "failure made on purpose" in message
    assert "This is a bug in sphinx-excerpt" in message
    missing = reference["html"] - words(outdir, "html")
    assert not missing, f"lost {sorted(missing)}"


def no_match(function: Callable[..., Any], guarded: Any) -> Callable[..., Any]:
    """A block or inline rule that never matches."""
    return lambda *args, **kwargs: False


#: Block and inline rules: a failure is no match (a core rule keeps what it had done).
MATCHING_RULES = sorted(name for name in RULES if not name.startswith("rule:core:"))


@pytest.mark.parametrize("step", MATCHING_RULES)
def test_a_failed_rule_leaves_the_page_as_if_it_had_not_matched(tmp_path, step):
    srcdir = copy_root("guard", tmp_path)
    failures = RuleFailures()
    failed, _ = build_with(srcdir, "html", step, lambda f, _: failing_rule(f, failures))
    assert failures.locations
    without, warnings = build_with(srcdir, "html", step, no_match)
    assert INTERNAL not in warnings
    assert output(failed, "html") == output(without, "html")


#: A page whose second fenced div is where a rule fails, and a comment never closed,
#: whose warning the parser gives while it reads the blocks.
SECOND_BLOCK = """Title: Two divs
Date: 2021-06-14

::: {.first}
The *first* div.
:::

::: {.second}
The *second* div.
:::

<!-- never closed
"""
SECOND_LINE = 8  # (the page's line of "::: {.second}")


def at_second_div(function: Callable[..., Any], calls: list[int], fails: bool) -> Any:
    """``function`` as the fenced-div rule; at the second div it fails after all its
    work (``fails``), or does not match."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if not state.src.startswith("::: {.second}", state.bMarks[start]):
            return function(state, start, end, silent)  # type: ignore[no-any-return]
        calls.append(start)
        if not fails:
            return False
        function(state, start, end, silent)
        raise RuntimeError("failure made on purpose")

    return rule


def test_a_rule_failing_on_the_second_block_is_read_again_carefully(tmp_path):
    """The page is parsed first with the rules unguarded; the failure at the second div
    stops that parse, and the page is parsed again with the guards: the first div is a
    div, the second is read as if the rule had not matched, and one warning says so,
    at its line. The comment's warning, given while the blocks are read, comes once."""
    step = "rule:block:pandoc_fenced_div"
    built = {}
    for fails in (True, False):
        srcdir = tmp_path / f"fails-{fails}"
        srcdir.mkdir()
        (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
        (srcdir / "index.md").write_text(SECOND_BLOCK, encoding="utf-8")
        calls: list[int] = []
        built[fails] = (
            build_with(srcdir, "html", step, lambda f, _, c=calls, x=fails: at_second_div(f, c, x)),
            calls,
        )
    (failed, warnings), calls = built[True]
    (without, quiet), quiet_calls = built[False]
    # tried at the second div in the first parse, and again in the careful one
    assert len(calls) == 2 and len(quiet_calls) == 1, (calls, quiet_calls)
    assert output(failed, "html") == output(without, "html")
    from bs4 import BeautifulSoup

    body = BeautifulSoup((failed / "index.html").read_text(encoding="utf-8"), "lxml")
    first = body.select_one("div.first")
    assert first is not None and "The first div." in first.get_text(" ", strip=True)
    assert body.select_one("div.second") is None
    assert "::: {.second}" in body.select_one('[role="main"]').get_text()
    internal = internal_warnings(warnings)
    assert [where.rpartition(":")[2] for where, _ in internal] == [str(SECOND_LINE)], warnings
    assert "failure made on purpose" in internal[0][1] and "fenced_div" in internal[0][1]
    assert INTERNAL not in quiet
    for log in (warnings, quiet):
        assert log.count("unclosed HTML comment") == 1, log


def test_the_parsers_kept_for_a_build_start_each_page_afresh(tmp_path):
    """A build keeps its parsers from page to page: each page's failure is reported on
    that page (once), each page's waiting warnings are its own, and each page's
    headings get Pandoc's identifiers as if it were the first page (a heading with the
    title's words is ``two-divs``, not ``two-divs-1``: the title takes no identifier)."""
    srcdir = tmp_path / "two"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
    for name in ("index", "other"):
        (srcdir / f"{name}.md").write_text(
            SECOND_BLOCK.replace("<!--", "## Two divs\n\n<!--"), encoding="utf-8"
        )
    calls: list[int] = []
    outdir, warnings = build_with(
        srcdir,
        "html",
        "rule:block:pandoc_fenced_div",
        lambda f, _: at_second_div(f, calls, fails=True),
    )
    internal = internal_warnings(warnings)
    assert [Path(where).name for where, _ in internal] == [
        f"index.md:{SECOND_LINE}",
        f"other.md:{SECOND_LINE}",
    ], warnings
    assert warnings.count("unclosed HTML comment") == 2, warnings
    from bs4 import BeautifulSoup

    ids = []
    for name in ("index", "other"):
        html = (outdir / f"{name}.html").read_text(encoding="utf-8")
        main = BeautifulSoup(html, "lxml").select_one('[role="main"]')
        assert main.select_one("div.first") is not None
        ids.append(sorted(i for tag in main.select("[id]") for i in tag["id"].split()))
    assert "two-divs-1" not in ids[0] and ids[0] == ids[1], ids


def test_a_page_mysts_own_parse_cannot_read_is_shown_as_written(page, monkeypatch):
    """The excerpt parser fails, and so does MyST's own parse it falls back to (as
    myst-parser 4 does on ``date: 2020-02-30`` in YAML front matter): the build finishes,
    two warnings say so, and the page's text is there as written."""
    from bs4 import BeautifulSoup
    from myst_parser.parsers.sphinx_ import MystParser

    def fails(*args: Any, **kwargs: Any) -> None:
        raise ValueError("day is out of range for month")

    myst_parse = MystParser.parse

    def myst_fails_on_the_page(self: Any, inputstring: str, document: Any) -> None:
        if not inputstring.startswith("```"):  # the page, not the code block showing it
            fails()
        myst_parse(self, inputstring, document)

    monkeypatch.setattr(parser, "parse_excerpt", fails)
    monkeypatch.setattr(MystParser, "parse", myst_fails_on_the_page)
    result = page("Title: Unreadable\n\nBody *sentinel* words.\n")
    html = (result.outdir / "index.html").read_text(encoding="utf-8")
    shown = BeautifulSoup(html, "lxml").select_one('[role="main"] pre')
    assert shown is not None and "Body *sentinel* words." in shown.get_text()
    internal = [line for line in result.warning_lines() if INTERNAL in line]
    assert len(internal) == 2, result.warning_lines()
    assert "the page is parsed by MyST alone" in internal[0]
    assert "the page's text is shown as written" in internal[1]


# ---------------------------------------------------------------- what a failure puts back


@pytest.fixture
def reports(monkeypatch) -> list[str]:
    """The steps whose failure the guard reported (instead of the warnings)."""
    steps: list[str] = []
    monkeypatch.setattr(guard, "report", lambda error, step, outcome, **where: steps.append(step))
    return steps


def small_tree() -> tuple[nodes.document, nodes.section, nodes.paragraph]:
    """A document with a section holding a paragraph (with an id) and a second one."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser as RstParser
    from docutils.utils import new_document

    document = new_document("page.md", get_default_settings(RstParser))
    section = nodes.section("", ids=["top"], classes=["s"])
    paragraph = nodes.paragraph("text", "text", ids=["p1"], names=["p1"])
    paragraph.source, paragraph.line = "page.md", 3
    section += [paragraph, nodes.paragraph("", "other")]
    document += section
    document.ids.update({"top": section, "p1": paragraph})
    return document, section, paragraph


def state_of(node: nodes.Element) -> Any:
    """What a failure must put back: children, attributes, place, and each child's parent."""
    return (
        list(node.children),
        {
            name: list(value) if type(value) is list else value
            for name, value in node.attributes.items()
        },
        (node.source, node.line, node.rawsource),
        [child.parent is node for child in node.children],
    )


def test_a_failed_rewrite_puts_back_children_attributes_and_lists(reports):
    document, section, paragraph = small_tree()
    before = {node: state_of(node) for node in (document, section, paragraph)}
    ids = dict(document.ids)
    classes = paragraph["classes"]

    @guard.rewrite
    def rewrite_paragraph(element: nodes.paragraph) -> None:
        element["ids"].append("p2")  # a list with items, changed in place
        element["classes"].append("new")  # an empty list, changed in place
        element["names"] = []
        element["added"] = 1
        element.source, element.line = "other.md", 9
        element += nodes.emphasis("", "more")
        figure = nodes.figure()
        element.replace_self(figure)
        figure += element  # moved into a new node: its parent changes
        document.ids["p2"] = element
        guard.keep(section.children[1])  # kept after the step changed its parent
        section.children[1]["classes"].append("late")
        raise RuntimeError("failure made on purpose")

    assert rewrite_paragraph(paragraph) is None
    assert reports == [
        "test_guard.test_a_failed_rewrite_puts_back_children_attributes_and_lists.<locals>.rewrite_paragraph"
    ]
    assert {node: state_of(node) for node in (document, section, paragraph)} == before
    assert section.children[1]["classes"] == []
    assert paragraph.parent is section and document.ids == ids
    # the emptied list is put back as a new list (the step still holds the old one)
    assert paragraph["classes"] == [] and paragraph["classes"] is not classes
    assert not guard._RUNNING


def test_a_node_kept_twice_goes_back_to_its_earliest_state(reports):
    _, section, paragraph = small_tree()

    @guard.rewrite
    def rewrite_section(element: nodes.section) -> None:
        element["classes"].append("first")
        guard.keep(element, paragraph, tree=True)  # again, after a change
        element["classes"].append("second")
        paragraph["ids"].append("again")
        guard.keep(paragraph)
        raise RuntimeError("failure made on purpose")

    rewrite_section(section)
    assert section["classes"] == ["s"] and paragraph["ids"] == ["p1"]
    assert len(reports) == 1


def test_an_enclosing_failure_puts_back_what_inner_steps_did(reports):
    document, section, paragraph = small_tree()
    before = {node: state_of(node) for node in (document, section, paragraph)}
    table: dict[str, str] = {"kept": "before"}

    @guard.rewrite
    def inner(element: nodes.paragraph) -> None:
        element["classes"].append("inner")
        element.parent.remove(element)
        guard.keep_entry(table, "kept")
        table["kept"] = "inner"

    def outer(app: Any, doctree: nodes.document) -> None:
        guard.keep(section)
        inner(paragraph)
        guard.keep(section)  # after the inner step: the earlier state still wins
        section.append(nodes.paragraph("", "outer"))
        raise RuntimeError("failure made on purpose")

    guard.handler(outer)(None, document)
    assert {node: state_of(node) for node in (document, section, paragraph)} == before
    assert table == {"kept": "before"}
    assert len(reports) == 1 and not guard._RUNNING


def test_a_failed_inner_step_is_put_back_once(reports):
    document, section, paragraph = small_tree()
    before = {node: state_of(node) for node in (document, section, paragraph)}
    table: dict[str, str] = {"kept": "before"}

    @guard.rewrite
    def inner(element: nodes.paragraph) -> None:
        guard.keep_entry(table, "kept")
        table["kept"] = "inner"
        element["classes"].append("inner")
        raise RuntimeError("failure made on purpose")

    def outer(app: Any, doctree: nodes.document) -> None:
        inner(paragraph)
        assert table == {"kept": "before"} and paragraph["classes"] == []
        table["kept"] = "outer"  # not kept: the failed inner step does not put it back
        guard.keep(section)
        section.append(nodes.paragraph("", "outer"))
        raise RuntimeError("failure made on purpose")

    guard.handler(outer)(None, document)
    assert {node: state_of(node) for node in (document, section, paragraph)} == before
    assert table == {"kept": "outer"}
    assert len(reports) == 2 and not guard._RUNNING


def test_control_flow_passes_through_and_the_changes_stand(reports):
    _, _, paragraph = small_tree()

    @guard.rewrite
    def skipping(element: nodes.paragraph) -> None:
        element["classes"].append("done")
        raise nodes.SkipNode

    with pytest.raises(nodes.SkipNode):
        skipping(paragraph)
    assert paragraph["classes"] == ["done"] and reports == [] and not guard._RUNNING
    guard.keep(paragraph)  # outside a guard: nothing to keep into
    guard.keep_entry({}, "key")
    assert not guard._RUNNING


# ---------------------------------------------------------------- the optimistic run


@pytest.fixture
def given(monkeypatch) -> list[tuple[str, str | None]]:
    """The warnings given (message, location), in order, instead of Sphinx's log."""
    warnings: list[tuple[str, str | None]] = []

    class Log:
        def warning(self, message: str, *args: Any, location: Any = None, **kwargs: Any) -> None:
            if isinstance(location, nodes.Node):
                location = get_node_location(location)
            warnings.append((message % args, location))

        def verbose(self, message: str) -> None:
            pass

    monkeypatch.setattr(diagnostics, "logger", Log())
    return warnings


def three_paragraphs() -> nodes.document:
    """A document with three paragraphs, on lines 1, 3 and 5 of ``page.md``."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser as RstParser
    from docutils.utils import new_document

    document = new_document("page.md", get_default_settings(RstParser))
    for number in (1, 2, 3):
        paragraph = nodes.paragraph(f"words {number}", f"words {number}")
        paragraph.source, paragraph.line = "page.md", 2 * number - 1
        document += paragraph
    return document


class Marking:
    """A transform (a method given only ``self`` about ``self.document``) whose guarded
    rewrite of each paragraph gives it an id, a class and a record, warns at the first
    one (taken back by ``taken_back`` if the warning is), and fails at ``fail_at``."""

    def __init__(self, document: nodes.document, fail_at: int | None) -> None:
        self.document = document
        self.fail_at = fail_at
        self.records: dict[str, str] = {}
        self.reading = Reading()
        self.taken_back = 0
        self.started: list[Any] = []  # what each run of ``apply`` found

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        self.started.append(
            (
                self.document.pformat(),
                dict(self.document.ids),
                dict(self.records),
                self.reading.blocks,
                {k: v for k, v in vars(self).items() if k not in ("started", "taken_back")},
            )
        )
        for number, paragraph in enumerate(list(self.document.findall(nodes.paragraph)), 1):
            self.mark(paragraph, number)
        self.reading.keep("blocks")
        self.reading.blocks = (self.document, list(self.document.children))

    @guard.rewrite
    def mark(self, paragraph: nodes.paragraph, number: int) -> None:
        self.marked = number  # state of the transform, set while it runs
        paragraph["classes"].append("marked")
        paragraph["ids"].append(f"mark-{number}")
        self.document.ids[f"mark-{number}"] = paragraph
        guard.keep_entry(self.records, f"mark-{number}")
        self.records[f"mark-{number}"] = paragraph.astext()
        paragraph += nodes.emphasis("", " marked")
        if number == 1:
            diagnostics.warn(
                Subtype.INTERNAL, "a warning of ours", node=paragraph, taken_back=self.take_back
            )
            # (one in Sphinx's own words, through a logger of ours)
            diagnostics.log(diagnostics.logger.warning, "a logged warning (%s)", "unplaced")
        if number == self.fail_at:
            raise RuntimeError("failure made on purpose")

    def take_back(self) -> None:
        self.taken_back += 1


def marked(fail_at: int | None, optimistic: bool) -> tuple[nodes.document, Marking]:
    """The three paragraphs marked by a transform run optimistically (its ``apply``
    guarded), or carefully (``apply`` itself unguarded: each rewrite has its own guard)."""
    document = three_paragraphs()
    transform = Marking(document, fail_at)
    if optimistic:
        transform.apply()
    else:
        Marking.apply.__wrapped__(transform)  # type: ignore[attr-defined]
    assert guard._RUNNING is None and guard._OPTIMISTIC is None
    assert diagnostics.waiting is None
    return document, transform


def test_a_rewrite_failing_in_an_optimistic_run_gives_the_careful_page(given):
    careful, careful_transform = marked(fail_at=2, optimistic=False)
    careful_warnings = list(given)
    given.clear()
    document, transform = marked(fail_at=2, optimistic=True)
    # the page, its ids, the records: the careful guard's (the second paragraph as it was)
    assert document.pformat() == careful.pformat()
    assert sorted(document.ids) == sorted(careful.ids) == ["mark-1", "mark-3"]
    assert [p["classes"] for p in document.findall(nodes.paragraph)] == [
        ["marked"],
        [],
        ["marked"],
    ]
    assert transform.records == careful_transform.records
    # the same warnings, the one about the failure at the second paragraph's line
    assert given == careful_warnings
    internal = [(message, where) for message, where in given if "made on purpose" in message]
    assert len(internal) == 1 and internal[0][1].endswith("page.md:3")
    # the transform ran twice: optimistically, then carefully
    assert len(transform.started) == 2


def test_a_warning_given_before_the_failure_is_given_once(given):
    _, transform = marked(fail_at=3, optimistic=True)
    ours = [where for message, where in given if message == "a warning of ours"]
    assert len(ours) == 1 and ours[0].endswith("page.md:1")
    assert [message for message, _ in given].count("a logged warning (unplaced)") == 1
    # the optimistic run's warning was taken back (``warn_once`` forgets it then)
    assert transform.taken_back == 1
    # without a failure, the warning waits until the run is done, and is given once
    given.clear()
    _, transform = marked(fail_at=None, optimistic=True)
    assert [message for message, _ in given] == [
        "a warning of ours",
        "a logged warning (unplaced)",
    ]
    assert transform.taken_back == 0 and len(transform.started) == 1


def test_an_optimistic_run_that_fails_leaves_nothing_behind(given):
    document = three_paragraphs()
    before = document.pformat()
    transform = Marking(document, fail_at=3)  # fails at the last paragraph: all else done
    transform.apply()
    first, again = transform.started
    # the careful run found the page, its ids, the records, the page's record field and
    # the transform's own attributes as the optimistic run had found them
    assert again == first
    assert first[0] == before and first[1] == {} and first[2] == {} and first[3] is None
    assert "marked" not in first[4]
    # and the careful run's own work stands (the third paragraph put back by its guard)
    assert transform.records == {"mark-1": "words 1", "mark-2": "words 2"}
    assert transform.reading.blocks is not None


def test_a_failing_transform_alone_is_reported_once(given):
    document = three_paragraphs()
    transform = Marking(document, fail_at=None)
    Marking.apply.__wrapped__, original = (  # type: ignore[attr-defined]
        failing(Marking.apply.__wrapped__, failures := Failures()),  # type: ignore[attr-defined]
        Marking.apply.__wrapped__,  # type: ignore[attr-defined]
    )
    try:
        transform.apply()
    finally:
        Marking.apply.__wrapped__ = original  # type: ignore[attr-defined]
    # called twice (optimistically, then carefully), counted and reported once
    assert len(failures.locations) == 1
    assert len([m for m, _ in given if "made on purpose" in m]) == 1
    # the careful run's rewrite gave its warning, as without the optimistic run
    assert [m for m, _ in given].count("a warning of ours") == 1
    assert transform.taken_back == 1  # (the optimistic run's)
    assert document.pformat() == three_paragraphs().pformat() and document.ids == {}


def test_each_handler_starts_with_nothing_kept(reports):
    """A handler puts back what it kept, and nothing that an earlier handler kept."""
    document, section, _ = small_tree()
    before = state_of(section)
    table = {"kept": "before"}

    def quiet(app: Any, doctree: nodes.document) -> None:
        pass

    def keeping(app: Any, doctree: nodes.document) -> None:
        guard.keep(section)
        section["classes"].append("kept")

    def failing_handler(app: Any, doctree: nodes.document) -> None:
        guard.keep_entry(table, "kept")
        table["kept"] = "changed"
        raise RuntimeError("failure made on purpose")

    for step in (quiet, quiet, keeping, quiet, failing_handler, quiet, failing_handler):
        guard.handler(step)(None, document)
        assert not guard._RUNNING
    # the kept section was not put back by a later failure, nor was the table left changed
    assert section["classes"] == ["s", "kept"] and state_of(section) != before
    assert table == {"kept": "before"} and len(reports) == 2


def test_each_optimistic_run_puts_back_only_its_own_changes(given):
    """Of runs one after the other, a run that fails puts back what it changed, and
    nothing of the run before it, which stands."""
    document = three_paragraphs()
    Marking(document, fail_at=None).apply()  # the first run: every paragraph marked
    first = document.pformat()
    assert sorted(document.ids) == ["mark-1", "mark-2", "mark-3"]
    second = Marking(document, fail_at=2)  # the second run fails at its second paragraph
    second.apply()
    # the careful run put back the second paragraph only; the first run's marks stand
    classes = [p["classes"] for p in document.findall(nodes.paragraph)]
    assert classes == [["marked", "marked"], ["marked"], ["marked", "marked"]]
    assert len(second.started) == 2 and second.started[1][0] == first


def test_a_rewrite_of_a_text_in_an_optimistic_run_puts_back_its_parent(given):
    """A rewrite about a text node (as the mentions' is) keeps its parent: when the run
    fails, the paragraph has its text again."""
    document = three_paragraphs()
    before = document.pformat()

    @guard.rewrite
    def split(text: nodes.Text) -> None:
        paragraph = text.parent
        paragraph.replace(text, nodes.emphasis("", text.astext()))
        paragraph["classes"].append("split")

    class Splitting:
        def __init__(self, document: nodes.document) -> None:
            self.document = document

        @guard.rewrite
        def apply(self, **kwargs: Any) -> None:
            for text in list(self.document.findall(nodes.Text)):
                split(text)
            raise RuntimeError("failure made on purpose")

    Splitting(document).apply()
    assert document.pformat() == before
    assert all(p["classes"] == [] for p in document.findall(nodes.paragraph))
    assert len([m for m, _ in given if "made on purpose" in m]) == 1
