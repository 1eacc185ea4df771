"""The documentation is a test input: its Markdown examples build, and the docs build with -W.

Every fenced ```` ```markdown ```` block of ``docs/**/*.md`` is built as a page of one
project (with the showcase's pictures under ``files/``), and must build without a
warning. A block that shows a deliberate problem is preceded by an HTML comment naming
the warning it must give: ``<!-- expect-warning: excerpt.metadata -->``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_helpers import THEMES, require_theme
from conftest import Build, latexpdf, require_tool, run_build

DOCS = Path(__file__).resolve().parent.parent / "docs"
SHOWCASE = DOCS / "showcase"
SHOWCASE_TITLE = "The Last Lighthouse Keepers"
SHOWCASE_PDF = "showcase-lighthouse-keepers.pdf"
#: A fenced block of one language (``{language}``), maybe indented in a list item.
FENCE = (
    r"^(?P<indent>[ ]*)(?P<fence>`{{3,}}|~{{3,}}){language}[ \t]*\n"
    r"(?P<body>.*?)^[ ]*(?P=fence)[ \t]*$"
)
EXPECT = re.compile(r"<!--\s*expect-warning:\s*(?P<subtype>[\w.-]+)\s*-->\s*$")
# MyST leaves attributes it cannot parse ({.pull-right width=25%}) as text, with no warning
LEFTOVER_ATTRIBUTES = re.compile(r"\{[.#][\w-]")


@dataclass
class Snippet:
    """One Markdown example of the docs."""

    doc: Path  # relative to docs/
    line: int
    text: str
    expect: str | None  # the warning subtype it must give, for a deliberate problem

    @property
    def name(self) -> str:
        return f"{self.doc.with_suffix('').as_posix().replace('/', '-')}-{self.line}"


def fenced(path: Path, language: str) -> list[Snippet]:
    """The fenced blocks of one language in a page of the docs."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(FENCE.format(language=language), text, re.MULTILINE | re.DOTALL):
        indent = len(match["indent"])
        body = "".join(line[indent:] for line in match["body"].splitlines(keepends=True))
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        expect = EXPECT.search(before)
        found.append(
            Snippet(path.relative_to(DOCS), line, body, expect["subtype"] if expect else None)
        )
    return found


def snippets() -> list[Snippet]:
    return [
        snippet
        for path in sorted(DOCS.rglob("*.md"))
        if "_build" not in path.parts
        for snippet in fenced(path, "markdown")
    ]


SNIPPETS = snippets()


@pytest.fixture(scope="module")
def snippet_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """All the snippets as pages of one project, built to HTML once."""
    srcdir = tmp_path_factory.mktemp("snippets") / "src"
    shutil.copytree(SHOWCASE / "files", srcdir / "files")
    (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
    toctree = "\n".join(s.name for s in SNIPPETS)
    (srcdir / "index.md").write_text(
        f"# Snippets\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8"
    )
    for snippet in SNIPPETS:
        (srcdir / f"{snippet.name}.md").write_text(snippet.text, encoding="utf-8")
    return run_build(srcdir, "html")


def test_the_docs_have_snippets() -> None:
    where = {s.doc.as_posix() for s in SNIPPETS}
    assert len(SNIPPETS) >= 15, SNIPPETS
    assert {"tutorial.md", "howto/photos.md", "howto/figures.md", "howto/wells.md"} <= where


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.name)
def test_snippet_builds(snippet_build: Build, snippet: Snippet) -> None:
    mine = [line for line in snippet_build.warning_lines() if f"{snippet.name}.md" in line]
    if snippet.expect is None:
        assert mine == [], f"docs/{snippet.doc}:{snippet.line}"
    else:
        assert any(f"[{snippet.expect}]" in line for line in mine), (snippet.expect, mine)
    body = snippet_build.soup(f"{snippet.name}.html").select_one("div.body")
    assert body is not None and body.get_text(strip=True)
    leftover = LEFTOVER_ATTRIBUTES.search(body.get_text())
    assert leftover is None, f"docs/{snippet.doc}:{snippet.line}: {leftover}"


def sphinx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_docs_build_to_html_with_no_warning(tmp_path: Path) -> None:
    out = tmp_path / "html"
    proc = sphinx("-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out))
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr
    from bs4 import BeautifulSoup

    page = out / "showcase" / "lighthouse-keepers.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    assert soup.h1.get_text(strip=True).rstrip("¶") == SHOWCASE_TITLE
    link = soup.select_one("p.excerpt-dates a.excerpt-pdf")
    assert link is not None and link["href"] == f"../{SHOWCASE_PDF}"
    for reference in ("options", "warnings", "directives", "styling"):
        assert (out / "reference" / f"{reference}.html").is_file()


@pytest.mark.pdf
def test_docs_build_to_pdf_and_the_showcase_links_its_pdf(tmp_path: Path) -> None:
    require_tool("latexmk", "pdflatex")
    pdfplumber = pytest.importorskip("pdfplumber")
    proc = sphinx("-M", "latexpdf", str(DOCS), str(tmp_path), "-W", "--keep-going", "-q")
    assert proc.returncode == 0, proc.stderr + proc.stdout[-3000:]
    manual, showcase = tmp_path / "latex" / "sphinx-excerpt.pdf", tmp_path / "latex" / SHOWCASE_PDF
    assert manual.is_file() and showcase.is_file()
    with pdfplumber.open(manual) as pdf:
        text = " ".join(page.extract_text(x_tolerance=1) or "" for page in pdf.pages)
    text = re.sub(r"\s+", " ", text)
    assert SHOWCASE_TITLE in text
    # the caption itself (LaTeX's label separator), not the docs' words about it
    assert re.search(r"Figure 4\.1[.:] Keepers in service on the north coast", text), text[-3000:]
    with pdfplumber.open(showcase) as pdf:
        assert pdf.metadata.get("Title") == SHOWCASE_TITLE
    # the HTML build beside it copies the page's PDF where the page's link points
    proc = sphinx("-M", "html", str(DOCS), str(tmp_path), "-W", "--keep-going", "-q")
    assert proc.returncode == 0, proc.stderr
    page = tmp_path / "html" / "showcase" / "lighthouse-keepers.html"
    href = re.search(r'class="excerpt-pdf[^"]*" href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert href is not None and (page.parent / href[1]).resolve().is_file()


# ---------------------------------------------------------------- the other snippets

STYLED_PAGE = 'Title: Styled\n\n<div class="well">Excerpt from <em>Lights</em>.</div>\n'


@pytest.mark.parametrize("theme", THEMES)
def test_the_themes_guide_template_replaces_the_layout(tmp_path: Path, theme: str) -> None:
    require_theme(theme)
    (template,) = fenced(DOCS / "howto" / "themes.md", "html")
    srcdir = tmp_path / "src"
    (srcdir / "_templates").mkdir(parents=True)
    (srcdir / "_templates" / "excerpt.html").write_text(template.text, encoding="utf-8")
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_excerpt"]\ntemplates_path = ["_templates"]\n', encoding="utf-8"
    )
    page = "Title: Filed\nTemplate: excerpt\nCategory: history\n\n## One\n\nText.\n"
    (srcdir / "index.md").write_text(page, encoding="utf-8")
    result = run_build(srcdir, "html", html_theme=theme)
    assert result.warning_lines() == []
    soup = result.soup("index.html")
    assert soup.select_one("p.excerpt-category").get_text() == "Filed under history"
    assert soup.select_one("nav.excerpt-contents") is not None  # the built-in layout's part


def styled_project(tmp_path: Path) -> Path:
    """A page, with the conf.py and stylesheet of the styling reference."""
    conf = fenced(DOCS / "reference" / "styling.md", "python")
    (css,) = fenced(DOCS / "reference" / "styling.md", "css")
    srcdir = tmp_path / "src"
    (srcdir / "_static").mkdir(parents=True)
    (srcdir / "_static" / "custom.css").write_text(css.text, encoding="utf-8")
    conf_py = 'extensions = ["sphinx_excerpt"]\n' + "".join(c.text for c in conf)
    (srcdir / "conf.py").write_text(conf_py, encoding="utf-8")
    (srcdir / "index.md").write_text(STYLED_PAGE, encoding="utf-8")
    return srcdir


def test_the_styling_overrides_come_after_the_extension(tmp_path: Path) -> None:
    srcdir = styled_project(tmp_path)
    html = run_build(srcdir, "html")
    assert html.warning_lines() == []
    sheets = [link["href"] for link in html.soup("index.html").select("link[rel=stylesheet]")]
    ours = next(i for i, href in enumerate(sheets) if "sphinx-excerpt.css" in href)
    custom = next(i for i, href in enumerate(sheets) if "custom.css" in href)
    assert ours < custom, sheets
    latex = run_build(srcdir, "latex")
    tex = next(latex.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert tex.index(r"\usepackage{sphinxexcerpt}") < tex.index(r"\definecolor{sphinxexcerptwell")


@pytest.mark.pdf
def test_the_styling_preamble_builds_a_pdf(tmp_path: Path) -> None:
    proc, latexdir = latexpdf(styled_project(tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert list(latexdir.glob("*.pdf"))
