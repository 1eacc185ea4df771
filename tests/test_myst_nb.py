"""A myst-nb project: adding the extension changes its excerpt pages only.

myst-nb brings MyST into a project itself (it registers ``.md`` and the ``myst_*``
values, and cannot share a project with the ``myst_parser`` extension): adding
``sphinx_excerpt`` to such a project stopped its build with "source_suffix '.md' is
already registered". Now the extension loads myst-nb in place of myst_parser, the
project's pages and notebooks keep their doctree, and a page with a Pelican header is
an excerpt page there too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Build
from test_scope import doctrees

pytest.importorskip("myst_nb")

PLAIN = """\
# Tides of the Estuary

The river ~~slows~~ widens here,\\
and the mud flats shine.

<div id="tide-table"><textarea>high water</textarea></div>

:::{note}
A note of our own.
:::
"""

EXCERPT = """\
Title: The Ferryman's Morning
Date: 2023-06-12

The ferry left at *six*,
its bell ringing twice.

<div class="aside" id="bell">A bell of our own.</div>
"""

NOTEBOOK = {
    "cells": [
        {
            "cell_type": "markdown",
            "id": "a1",
            "metadata": {},
            "source": ["# Counting Boats\n", "\n", "Two."],
        },
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "a2",
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["2\n"]}],
            "source": ["print(1 + 1)"],
        },
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def project(root: Path, excerpt: bool) -> Path:
    """A small myst-nb project: a MyST page, a notebook, and maybe an excerpt page."""
    root.mkdir()
    conf = 'nb_execution_mode = "off"\nmyst_enable_extensions = ["strikethrough", "colon_fence"]\n'
    (root / "conf.py").write_text(conf, encoding="utf-8")
    pages = ["tides", "boats"] + (["ferry"] if excerpt else [])
    toctree = "\n".join(pages)
    (root / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    (root / "tides.md").write_text(PLAIN, encoding="utf-8")
    (root / "boats.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    if excerpt:
        (root / "ferry.md").write_text(EXCERPT, encoding="utf-8")
    return root


def both(tmp_path: Path, builder: str, order: list[str]) -> tuple[Build, Build]:
    """The project built without and with the extension (``order``: its extensions)."""
    source = project(tmp_path / "src", excerpt=True)
    without = run_isolated(source, builder, tmp_path / "without", ["myst_nb"])
    mine = run_isolated(source, builder, tmp_path / "with", order)
    return without, mine


def run_isolated(srcdir: Path, builder: str, outdir: Path, extensions: list[str]) -> Build:
    """A build in a process of its own, as sphinx-build runs: in the test session's
    process, after other MyST builds, even a plain myst-nb build found no parser for
    Markdown (state myst-nb keeps per process)."""
    doctreedir = outdir.parent / f"{outdir.name}.doctrees"
    command = [sys.executable, "-m", "sphinx", "-E", "-q", "-b", builder]
    command += ["-d", str(doctreedir), "-D", f"extensions={','.join(extensions)}"]
    proc = subprocess.run([*command, str(srcdir), str(outdir)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return Build(srcdir, outdir, proc.stderr, None, doctreedir)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "order", [["myst_nb", "sphinx_excerpt"], ["sphinx_excerpt", "myst_nb"]], ids=["after", "before"]
)
def test_only_the_excerpt_page_changes(tmp_path: Path, order: list[str]) -> None:
    without, mine = both(tmp_path, "html", order)
    # no new warning (the excerpt page's title, missing without the extension, is found)
    assert [w for w in mine.warning_lines() if w not in without.warning_lines()] == []
    plain, changed = doctrees(without), doctrees(mine)
    assert set(plain) == set(changed) == {"index", "tides", "boats", "ferry"}
    assert [name for name in plain if plain[name] != changed[name]] == ["ferry"]
    # the plain page keeps its raw HTML, its strikethrough and its hard break as MyST makes them
    tides = mine.soup("tides.html")
    assert tides.find("textarea").get_text() == "high water"
    assert tides.find("s").get_text() == "slows"
    assert tides.find("s").find_parent("p").find("br") is not None
    assert tides.find(id="tide-table") is not None
    assert "2" in mine.soup("boats.html").find("div", class_="output").get_text()


def test_the_excerpt_page_is_read_from_its_header(tmp_path: Path) -> None:
    without, mine = both(tmp_path, "text", ["myst_nb", "sphinx_excerpt"])
    assert "Title: The Ferryman" in without.read("ferry.txt")
    ferry = mine.read("ferry.txt")
    assert ferry.startswith("The Ferryman's Morning\n")
    assert "Title:" not in ferry
    assert "The ferry left at *six*, its bell ringing twice." in ferry
    assert "A bell of our own." in ferry
