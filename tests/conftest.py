"""Shared test helpers: build a small Sphinx project from ``tests/roots/test-<name>``.

Each test copies its root into a temporary folder and builds it in-process with
Sphinx's own application class, so assertions see what a reader gets: the written
HTML, text or LaTeX files, and every warning with its location.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx import locale
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

ROOTS = Path(__file__).parent / "roots"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@dataclass
class Build:
    """A finished build: where it went and what it said."""

    srcdir: Path
    outdir: Path
    warnings: str
    app: Sphinx

    def read(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def soup(self, name: str) -> Any:
        from bs4 import BeautifulSoup

        return BeautifulSoup(self.read(name), "lxml")

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]


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
    **overrides: Any,
) -> Build:
    outdir = outdir or srcdir.parent / f"_build-{srcdir.name}-{builder}"
    warnings = io.StringIO()
    # as sphinx-build does: nodes and directives registered by one build don't leak into the next
    with patch_docutils(srcdir), docutils_namespace():
        app = _app(srcdir, builder, outdir, warnings, overrides, freshenv, parallel)
        for event, handler in (handlers or {}).items():
            app.connect(event, handler)
        try:
            app.build()
        finally:
            # Sphinx keeps its translators per process: one language's would leak into the next
            locale.translators.clear()
    return Build(srcdir, outdir, warnings.getvalue(), app)


def _app(
    srcdir: Path,
    builder: str,
    outdir: Path,
    warnings: io.StringIO,
    overrides: dict[str, Any],
    freshenv: bool,
    parallel: int,
) -> Sphinx:
    return Sphinx(
        str(srcdir),
        str(srcdir),
        str(outdir),
        str(outdir.parent / f"{outdir.name}.doctrees"),
        builder,
        confoverrides=overrides,
        status=io.StringIO(),
        warning=warnings,
        freshenv=freshenv,
        parallel=parallel,
    )


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
