"""``sphinx-excerpt build PAGE.md``: HTML and PDF of one or a few pages, with no ``conf.py``."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sphinx.util.osutil import make_filename_from_project

from sphinx_excerpt.latex_text import beyond_pdflatex
from sphinx_excerpt.migrate import add_migrate_command, migrate_site

EXIT_OK, EXIT_USAGE, EXIT_BUILD, EXIT_NO_TEX, EXIT_LATEX = 0, 2, 1, 3, 4

CONF = """\
# written by sphinx-excerpt build: the embedded default configuration
project = {project!r}
extensions = ["sphinx_excerpt"]
root_doc = {root!r}
include_patterns = {include!r}
suppress_warnings = ["toc.not_included"]
html_theme = "alabaster"
html_copy_source = False
excerpt_page_pdfs = {page_pdfs!r}
# every page named on the command line is an excerpt page, header or not
excerpt_pages = "all"
latex_engine = {engine!r}
"""
ENGINES = ("auto", "pdflatex", "lualatex", "xelatex")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sphinx-excerpt",
        description="Build Pelican/Pandoc-style Markdown pages to HTML and PDF with Sphinx "
        "and sphinx-excerpt, with no Sphinx project: the pages' folder is the content root "
        "(image paths starting with / resolve against it).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build",
        help="build pages to OUT/html and OUT/pdf",
        description="Build one or more Markdown pages (from one folder) to HTML and PDF.",
    )
    build.add_argument("pages", nargs="+", type=Path, metavar="PAGE.md")
    build.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path("excerpt-build"),
        help="output folder (default: ./excerpt-build)",
    )
    only = build.add_mutually_exclusive_group()
    only.add_argument("--html-only", action="store_true", help="build the HTML only")
    only.add_argument("--pdf-only", action="store_true", help="build the PDF only")
    build.add_argument(
        "--latex-engine",
        choices=ENGINES,
        default="auto",
        help="the PDF's LaTeX engine (default: auto, pdflatex unless the pages hold "
        "characters it cannot set, such as Greek, CJK, Arabic or emoji: then lualatex)",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    add_migrate_command(commands)
    args = parser.parse_args(argv)
    if args.command == "migrate":
        return migrate_site(args.site, args.out, args.theme, args.force)
    return build_pages(
        args.pages, args.out, not args.pdf_only, not args.html_only, args.quiet, args.latex_engine
    )


def build_pages(
    pages: list[Path], out: Path, html: bool, pdf: bool, quiet: bool, engine: str = "auto"
) -> int:
    """Build ``pages`` into ``out/html`` and ``out/pdf``; an exit code."""
    missing = [p for p in pages if not p.is_file()]
    if missing:
        return fail(f"no such file: {', '.join(map(str, missing))}", EXIT_USAGE)
    pages = [p.resolve() for p in pages]
    root = pages[0].parent
    if any(p.parent != root for p in pages) or any(p.suffix != ".md" for p in pages):
        return fail("the pages must be Markdown (.md) files in one folder", EXIT_USAGE)
    if pdf and shutil.which("latexmk") is None:
        return fail(
            "no LaTeX: latexmk is not on PATH (install TeX Live and latexmk, "
            "or build with --html-only)",
            EXIT_NO_TEX,
        )
    if engine == "auto":
        engine = choose_engine(pages, quiet)
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="sphinx-excerpt-") as tmp:
        confdir, builddir = Path(tmp) / "conf", Path(tmp) / "build"
        confdir.mkdir()
        project = pages[0].stem.replace("-", " ").title()
        (confdir / "conf.py").write_text(
            CONF.format(
                project=project,
                root=pages[0].stem,
                include=[p.name for p in pages],
                page_pdfs=len(pages) > 1,
                engine=engine,
            ),
            encoding="utf-8",
        )
        base = [sys.executable, "-m", "sphinx", "-M"]
        opts = ["-c", str(confdir), *(["-q"] if quiet else [])]
        if html:
            if run([*base, "html", str(root), str(builddir), *opts]) != 0:
                return fail("the HTML build failed (see the messages above)", EXIT_BUILD)
            shutil.rmtree(out / "html", ignore_errors=True)
            shutil.copytree(builddir / "html", out / "html")
            for p in pages:
                print(f"HTML: {out / 'html' / (p.stem + '.html')}")
        if pdf:
            if run([*base, "latexpdf", str(root), str(builddir), *opts]) != 0:
                show_latex_errors(builddir / "latex")
                return fail("the LaTeX run failed (the log's errors are above)", EXIT_LATEX)
            (out / "pdf").mkdir(parents=True, exist_ok=True)
            root_pdf = f"{make_filename_from_project(project)}.pdf"
            for made in sorted((builddir / "latex").glob("*.pdf")):
                # the root document's PDF is named after the project: name it after its page
                name = f"{pages[0].stem}.pdf" if made.name == root_pdf else made.name
                shutil.copy2(made, out / "pdf" / name)
                print(f"PDF: {out / 'pdf' / name}")
    return EXIT_OK


def choose_engine(pages: list[Path], quiet: bool) -> str:
    """pdflatex, or lualatex (with the extension's fallback fonts) when the pages hold
    characters pdflatex cannot set and lualatex is installed."""
    beyond: list[str] = []
    for page in pages:
        text = page.read_bytes().decode("utf-8", errors="replace")
        beyond += [c for c in beyond_pdflatex(text) if c not in beyond]
    if not beyond or not has_lualatex():
        return "pdflatex"
    if not quiet:
        shown = " ".join(f"U+{ord(c):04X}" for c in beyond[:8]) + (" …" if len(beyond) > 8 else "")
        print(f"PDF: lualatex, for characters pdflatex cannot set ({shown})")
    return "lualatex"


def has_lualatex() -> bool:
    """Whether lualatex can run: its program and its font loader (Debian's
    texlive-latex-base has the program without LuaTeX's support files)."""
    if shutil.which("lualatex") is None or shutil.which("kpsewhich") is None:
        return False
    found = subprocess.run(["kpsewhich", "luaotfload.sty"], capture_output=True, check=False)
    return found.returncode == 0


def run(cmd: list[str]) -> int:
    """Run a build; with ``-q``, what LaTeX prints is kept back (the log has it)."""
    quiet = "-q" in cmd
    return subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL if quiet else None).returncode


def show_latex_errors(latexdir: Path) -> None:
    """The error lines of each LaTeX log, with a little context."""
    for log in sorted(latexdir.glob("*.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("!"):
                print(f"{log.name}:", *lines[i : i + 3], sep="\n  ", file=sys.stderr)


def fail(message: str, code: int) -> int:
    print(f"sphinx-excerpt: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
