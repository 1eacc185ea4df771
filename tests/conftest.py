"""Shared test helpers: build a small Sphinx project from ``tests/roots/test-<name>``.

Two ways to build, both on Sphinx's own test application (``sphinx.testing``), which
resets what a build leaves in the process (docutils' directives, roles and node
visitors, Sphinx's translators, ``sys.path``):

- the ``app`` fixture of ``sphinx.testing.fixtures``, for tests of one fixed root:
  ``@pytest.mark.sphinx("html", testroot="wells")`` builds ``roots/test-wells``;
  ``shared_build(name, "wells", "html")`` adds ``@pytest.mark.test_params(shared_result=name)``,
  so that the tests marked with it share one build (its output and its warnings), built
  by the first of them. ``built(app)`` builds (or reads) it.
- the ``build``, ``page`` and ``run_build`` helpers, for projects a test writes or
  changes, several configurations of one root, and incremental or parallel builds.

Either way assertions see what a reader gets: the written HTML, text or LaTeX files,
and every warning with its location. PDF, CLI and process-isolated builds run
``sphinx-build`` in a subprocess (``latexpdf``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot="name")`` finds ``test-name``."""
    return ROOTS


@dataclass
class Build:
    """A finished build: where it went and what it said."""

    srcdir: Path
    outdir: Path
    warnings: str
    app: Sphinx
    #: where the pickled doctrees are
    doctreedir: Path | None = None

    def read(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def soup(self, name: str) -> Any:
        from bs4 import BeautifulSoup

        return BeautifulSoup(self.read(name), "lxml")

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]


def built(app: SphinxTestApp) -> Build:
    """Build the ``app`` fixture's project; what it wrote and said."""
    app.build()
    return Build(app.srcdir, app.outdir, app.warning.getvalue(), app, app.doctreedir)


class SharedBuild(list[pytest.MarkDecorator]):
    """The marks of a test of one root built once for several tests; a decorator, a
    module's ``pytestmark`` or a parameter's ``marks``."""

    def __call__(self, test: Callable[..., Any]) -> Callable[..., Any]:
        for mark in self:
            test = mark(test)
        return test


def shared_build(name: str, testroot: str, builder: str = "html", **conf: Any) -> SharedBuild:
    """``roots/test-<testroot>`` built with ``builder`` and ``conf`` by the first test
    marked ``name``; the others read its output and warnings (``sphinx.testing``'s shared
    result, kept for one module: a name belongs to one module, one build)."""
    return SharedBuild(
        [
            pytest.mark.sphinx(builder, testroot=testroot, confoverrides=conf),
            pytest.mark.test_params(shared_result=name),
        ]
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A shared build's name used in two modules would share the output but not the
    warnings (``sphinx.testing`` forgets them at each module): refuse it."""
    modules: dict[str, str] = {}
    for item in items:
        marker = item.get_closest_marker("test_params")
        name = marker.kwargs.get("shared_result") if marker else None
        module = item.nodeid.split("::")[0]
        if name and modules.setdefault(name, module) != module:
            raise pytest.UsageError(f"shared build {name!r} in {modules[name]} and {module}")


class ProjectThemeApp(SphinxTestApp):
    """Sphinx's test application with the project's own HTML theme.

    ``SphinxTestApp`` swaps Alabaster, Sphinx's default theme, for ``basic``; the helpers
    build what ``sphinx-build`` builds, and the theme tests name Alabaster in ``conf.py``.
    """

    def _init_builder(self) -> None:
        Sphinx._init_builder(self)


def copy_root(name: str, dest: Path) -> Path:
    src = dest / name
    shutil.copytree(ROOTS / f"test-{name}", src)
    return src


def run_build(
    srcdir: Path,
    builder: str = "html",
    outdir: Path | None = None,
    parallel: int = 0,
    freshenv: bool = True,
    handlers: dict[str, Callable[..., Any]] | None = None,
    verbosity: int = 0,
    **overrides: Any,
) -> Build:
    """Build ``srcdir`` with ``builder``; ``overrides`` are configuration values.

    The output goes to ``outdir`` when it is named after the builder, else to
    ``outdir/<builder>`` (the layout of ``sphinx.testing``), the doctrees beside it.
    """
    srcdir = Path(srcdir)
    if outdir is None:
        builddir = srcdir.parent / f"_build-{srcdir.name}-{builder}"
    else:
        builddir = outdir.parent if outdir.name == builder else outdir
    app = ProjectThemeApp(
        builder,
        srcdir=srcdir,
        builddir=builddir,
        freshenv=freshenv,
        confoverrides=overrides,
        parallel=parallel,
        verbosity=verbosity,
    )
    try:
        for event, handler in (handlers or {}).items():
            app.connect(event, handler)
        app.build()
    finally:
        app.cleanup()
    return Build(srcdir, app.outdir, app.warning.getvalue(), app, app.doctreedir)


@pytest.fixture
def build(tmp_path: Path):
    """``build("name", "html", **conf)`` copies ``roots/test-name`` and builds it."""

    def _build(name: str, builder: str = "html", **overrides: Any) -> Build:
        srcdir = tmp_path / name
        if not srcdir.exists():
            copy_root(name, tmp_path)
        return run_build(srcdir, builder, **overrides)

    return _build


@pytest.fixture
def page(tmp_path: Path):
    """``page("text of index.md", builder, **conf)`` builds a one-page project."""

    def _page(text: str, builder: str = "html", name: str = "index", **overrides: Any) -> Build:
        srcdir = tmp_path / f"page-{builder}"
        srcdir.mkdir(exist_ok=True)
        (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
        (srcdir / f"{name}.md").write_text(text, encoding="utf-8")
        overrides.setdefault("root_doc", name)
        return run_build(srcdir, builder, **overrides)

    return _page


def require_tool(*commands: str) -> None:
    """Skip when a system tool is missing, except in CI, where that is a failure."""
    missing = [c for c in commands if shutil.which(c) is None]
    if missing:
        message = f"needs {', '.join(missing)} (run scripts/install-system-deps.sh)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def latexpdf(
    srcdir: Path, outdir: Path | None = None, **env: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``sphinx-build -M latexpdf`` in a subprocess; the result and the latex output folder."""
    require_tool("latexmk", "pdflatex")
    outdir = outdir or srcdir.parent / f"_build-{srcdir.name}-pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(srcdir), str(outdir), "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
    )
    return proc, outdir / "latex"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium (the system one, driven by Playwright); skipped without it."""
    if not Path(CHROMIUM).exists():
        require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# In CI the PDF and browser tests must run: a skip of one of them fails the session.
_SKIPPED_IN_CI: list[str] = []
#: Words in the reason of a skip for an input outside the repository (the reference page).
OPTIONAL_INPUT = "is not here"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not (IN_CI and report.skipped):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    # any reason but an optional input that is not there (OPTIONAL_INPUT in the reason)
    if ("pdf" in report.keywords or "browser" in report.keywords) and OPTIONAL_INPUT not in reason:
        _SKIPPED_IN_CI.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _SKIPPED_IN_CI:
        print(f"\nCI: {len(_SKIPPED_IN_CI)} PDF/browser tests were skipped: {_SKIPPED_IN_CI}")
        session.exitstatus = 1
