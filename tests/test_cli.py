"""``sphinx-excerpt build``: one page to HTML and PDF with no conf.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOTS, require_tool

from sphinx_excerpt import cli


def content(tmp_path: Path) -> Path:
    """A Pelican-style content folder: two pages and their images."""
    folder = tmp_path / "content"
    shutil.copytree(ROOTS / "test-excerpt", folder, ignore=shutil.ignore_patterns("conf.py"))
    return folder


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx_excerpt.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_help_explains_the_command():
    proc = run_cli("build", "--help")
    assert proc.returncode == 0
    for option in ("--html-only", "--pdf-only", "-o OUT", "PAGE.md"):
        assert option in proc.stdout


def test_missing_file(tmp_path):
    proc = run_cli("build", str(tmp_path / "nope.md"))
    assert proc.returncode == cli.EXIT_USAGE
    assert "no such file" in proc.stderr


def test_pages_in_two_folders_are_refused(tmp_path):
    folder = content(tmp_path)
    other = tmp_path / "other.md"
    other.write_text("Title: O\n\nText.\n")
    proc = run_cli("build", str(folder / "harbour.md"), str(other), "--html-only")
    assert proc.returncode == cli.EXIT_USAGE


def test_html_only_with_no_project(tmp_path):
    folder = content(tmp_path)
    proc = run_cli("build", str(folder / "harbour.md"), "-o", str(tmp_path / "out"), "--html-only")
    assert proc.returncode == 0, proc.stderr
    page = tmp_path / "out" / "html" / "harbour.html"
    assert f"HTML: {page}" in proc.stdout
    html = page.read_text(encoding="utf-8")
    assert "<h1>The Harbour at Dawn" in html
    assert "_images/harbour.png" in html  # /files/images/… resolved against the page's folder
    assert (tmp_path / "out" / "html" / "_images" / "harbour.png").is_file()
    assert not (tmp_path / "out" / "pdf").exists()
    assert not (folder / "conf.py").exists()  # nothing written into the content folder


def test_a_page_without_a_header_is_an_excerpt_page_all_the_same(tmp_path):
    folder = content(tmp_path)
    page = folder / "bare.md"
    page.write_text(
        '# Bare\n\n![A boat](/files/images/harbour.png "The boat"){.pull-right}\n\nText.\n',
        encoding="utf-8",
    )
    proc = run_cli("build", str(page), "-o", str(tmp_path / "out"), "--html-only")
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "html" / "bare.html").read_text(encoding="utf-8")
    assert "excerpt-float" in html and "{.pull-right}" not in html
    assert "sphinx-excerpt.css" in html


def test_no_tex_is_a_clear_error(tmp_path):
    folder = content(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = run_cli("build", str(folder / "harbour.md"), env={**os.environ, "PATH": str(empty)})
    assert proc.returncode == cli.EXIT_NO_TEX
    assert "latexmk is not on PATH" in proc.stderr


def test_failed_latex_run_shows_the_log(tmp_path, monkeypatch, capsys):
    folder = content(tmp_path)
    monkeypatch.setattr(cli.shutil, "which", lambda name: "/usr/bin/" + name)

    def fake_run(cmd: list[str]) -> int:
        if "latexpdf" not in cmd:
            return 0
        latex = Path(cmd[cmd.index("latexpdf") + 2]) / "latex"
        latex.mkdir(parents=True)
        (latex / "x.log").write_text("noise\n! Undefined control sequence.\nl.12 \\oops\nmore\n")
        return 2

    monkeypatch.setattr(cli, "run", fake_run)
    code = cli.main(["build", str(folder / "harbour.md"), "-o", str(tmp_path / "o"), "--pdf-only"])
    assert code == cli.EXIT_LATEX
    err = capsys.readouterr().err
    assert "! Undefined control sequence." in err and "l.12 \\oops" in err


@pytest.mark.pdf
def test_html_and_pdf(tmp_path):
    require_tool("latexmk", "pdflatex")
    import pdfplumber

    folder = content(tmp_path)
    out = tmp_path / "out"
    proc = run_cli("build", str(folder / "harbour.md"), "-o", str(out), "-q")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    pdf = out / "pdf" / "harbour.pdf"
    assert f"PDF: {pdf}" in proc.stdout
    assert (out / "html" / "harbour.html").is_file()
    with pdfplumber.open(pdf) as doc:
        assert doc.metadata["Title"] == "The Harbour at Dawn"
        text = "\n".join(p.extract_text(x_tolerance=1.5) or "" for p in doc.pages)
    assert "The fleet left before sunrise" in text


SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed"


@pytest.mark.pdf
@pytest.mark.skipif(
    not SEED.is_dir(), reason="the reference page (../shared/corpus/seed) is not here"
)
def test_the_reference_page_with_no_set_up(tmp_path):
    """The reference page of a real companion site, with its files/ folder beside it."""
    require_tool("latexmk", "pdflatex")
    import pdfplumber

    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    out = tmp_path / "out"
    proc = run_cli("build", str(folder / "human-trafficking.md"), "-o", str(out), "-q")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    html = (out / "html" / "human-trafficking.html").read_text(encoding="utf-8")
    assert "<h1>Human Trafficking" in html and 'class="well' in html
    with pdfplumber.open(out / "pdf" / "human-trafficking.pdf") as doc:
        assert doc.metadata["Title"] == "Human Trafficking"
        assert len(doc.pages) >= 5
