"""The PDF of an excerpt: document set-up from the page, per-page PDFs, footnotes, text.

The PDF builds are few and shared: one project built once per engine, many assertions
on it. The LaTeX-only and HTML tests need no TeX.
"""

from __future__ import annotations

import collections
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import myst_parser
import pytest
from conftest import ROOTS, Build, copy_root, latexpdf, require_tool, run_build

# the root page's title and author, as written in tests/roots/test-latex/tides.md
TITLE = r"50% & $5 #1 ~x_y^z {} \input{/etc/passwd}"
AUTHOR = r"Wren & Sons_1 \emph{x}"
DATE_LINE = "June 2, 2020 · Updated January 15, 2021"
URLS = [
    "https://example.org/tables?year=1887&bay=50%25#north_side",
    "https://example.org/draw?x=1&y=50%25#top_2",  # in the citation well
]
MYST_MAJOR = int(myst_parser.__version__.split(".")[0])
TRICKY = r"50% & $5 #1 ~x_y^z {} \input{/etc/passwd}"  # also in the well and a caption
TYPOGRAPHY = [
    "The keeper’s log — written “by hand” in 1887 – records café visits, a naïve",
    "Ångström’s lamp",
    "ends ——— and then resumes",
]


@dataclass
class PdfBuild:
    """A ``latexpdf`` build: the latex folder, the command's output, each PDF's text."""

    latex: Path
    proc: subprocess.CompletedProcess[str]

    def pdf(self, name: str) -> Path:
        return self.latex / f"{name}.pdf"

    def text(self, name: str) -> str:
        require_tool("pdftotext")
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(self.pdf(name)), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return re.sub(r"-\n(?=[a-z])", "", out)

    def info(self, name: str) -> dict:
        import pdfplumber

        with pdfplumber.open(self.pdf(name)) as doc:
            return dict(doc.metadata or {})

    def log(self, name: str) -> str:
        return (self.latex / f"{name}.log").read_text(encoding="utf-8", errors="replace")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def words(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"[0-9a-zà-ɏ]+", text.casefold()))


def body_words(md: str) -> collections.Counter:
    """The words a reader should find of a page's body (header, directives, URLs left out)."""
    body = md.split("\n\n", 1)[1]
    body = re.sub(r"```.*?```", " ", body, flags=re.S)
    body = re.sub(r"\[\^(\d+)\]:?", r" \1 ", body)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", body)  # images: alt text is not printed
    body = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", body)
    body = re.sub(r"<[^>]+>|&[a-z]+;", " ", body)  # the well's inline HTML
    return words(body)


def pdflatex_runs(output: str) -> dict[str, int]:
    """How many times latexmk ran the engine on each ``.tex`` file."""
    runs: dict[str, int] = {}
    current = None
    for line in output.splitlines():
        started = re.search(r"latexmk .*'([^']+)\.tex'", line)
        if started:
            current = started[1]
            runs[current] = 0
        elif current and re.search(r"Run number \d+ of rule '(pdf|xe|lua)latex'", line):
            runs[current] += 1
    return runs


@pytest.fixture(scope="module")
def shore(tmp_path_factory) -> tuple[PdfBuild, Build]:
    """tests/roots/test-latex with pdflatex and per-page PDFs; then its HTML beside it."""
    base = tmp_path_factory.mktemp("shore")
    srcdir = copy_root("latex", base)
    proc, latex = latexpdf(srcdir, base / "out")
    html = run_build(srcdir, "html", outdir=base / "out" / "html")
    return PdfBuild(latex, proc), html


@pytest.fixture(scope="module", params=["xelatex", "lualatex"])
def engine(request, tmp_path_factory) -> PdfBuild:
    """The root page alone, built with a Unicode engine (Latin Modern, fontspec's default)."""
    require_tool(request.param)
    base = tmp_path_factory.mktemp(request.param)
    srcdir = copy_root("latex", base)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            f"latex_engine = {request.param!r}\n"
            'latex_elements = {"fontpkg": ""}\n'
            "excerpt_page_pdfs = False\n"
        )
    proc, latex = latexpdf(srcdir, base / "out")
    return PdfBuild(latex, proc)


# ---------------------------------------------------------------- the PDF, with pdflatex


@pytest.mark.pdf
def test_project_and_page_pdfs_build_cleanly(shore):
    pdf, _ = shore
    assert pdf.proc.returncode == 0, pdf.proc.stderr[-2000:]
    assert not re.search(r"WARNING|ERROR|Traceback", pdf.proc.stderr), pdf.proc.stderr
    assert sorted(p.name for p in pdf.latex.glob("*.pdf")) == [
        "lagoon.pdf",
        "reef.pdf",
        "shorenotes.pdf",
    ]


@pytest.mark.pdf
def test_title_author_and_date_come_from_the_root_page(shore):
    pdf, _ = shore
    info = pdf.info("shorenotes")
    assert info["Title"] == TITLE
    assert info["Author"] == AUTHOR
    text = pdf.text("shorenotes")
    # printed as text: nothing of it was read as LaTeX
    assert norm(text).startswith(norm(f"{TITLE} {AUTHOR} {DATE_LINE} Excerpt from Ada Marlow"))
    # the date line is the title page's date, not a second paragraph under it
    assert norm(text).count("June 2, 2020") == 1
    assert "Release" not in text and "2.0" not in text


@pytest.mark.pdf
def test_an_excerpt_is_an_article_without_contents_or_section_numbers(shore):
    pdf, _ = shore
    tex = (pdf.latex / "shorenotes.tex").read_text(encoding="utf-8")
    assert r"{sphinxhowto}" in tex
    text = norm(pdf.text("shorenotes"))
    assert "Contents" not in text
    assert "Where the Tide Turns" in text
    assert not re.search(r"\b1(\.1)? Where the Tide Turns", text)


@pytest.mark.pdf
def test_footnotes_are_set_at_the_foot_with_the_books_numbers(shore):
    pdf, _ = shore
    lines = pdf.text("shorenotes").splitlines()
    for number, start in (("4", "The keeper’s own words"), ("7", "Ledger of the sluice")):
        assert any(re.match(rf"^\s*{number}\s+{start}", line) for line in lines), number
    tex = (pdf.latex / "shorenotes.tex").read_text(encoding="utf-8")
    assert r"\begin{footnote}[4]" in tex and r"\begin{footnote}[7]" in tex


@pytest.mark.pdf
def test_no_word_of_the_page_is_lost(shore):
    pdf, _ = shore
    source = body_words((ROOTS / "test-latex" / "tides.md").read_text(encoding="utf-8"))
    got = words(pdf.text("shorenotes"))
    missing = {w: n - got[w] for w, n in source.items() if got[w] < n}
    assert not missing


@pytest.mark.pdf
def test_quotes_dashes_accents_and_ellipses_print_with_pdflatex(shore):
    pdf, _ = shore
    text = norm(pdf.text("shorenotes"))
    for phrase in TYPOGRAPHY:
        assert phrase in text
    assert re.search(r"lamp(…|\. \. \.)", text)
    assert "Seven knots in total" in text  # the non-breaking space is a space
    assert "Missing character" not in pdf.log("shorenotes")


@pytest.mark.pdf
def test_credits_captions_and_urls_print_as_written(shore):
    import pdfplumber

    pdf, _ = shore
    text = norm(pdf.text("shorenotes"))
    assert r"Tides & 50% of $5 #1 ~x_y^z {} \input{/etc/passwd} (Quay Press, 2019): 3–9." in text
    assert "Drawings via the 100% archive." in text
    assert re.search(rf"Figure 1\.2[.:] The sluice at {re.escape(TRICKY)} low water\.", text)
    with pdfplumber.open(pdf.pdf("shorenotes")) as doc:
        uris = [a.get("uri") for page in doc.pages for a in page.annots or []]
    assert URLS[1] in uris  # from the well's HTML, through the extension's converter
    if MYST_MAJOR >= 5:  # myst-parser 4 itself writes "&amp;" into Markdown link targets
        assert URLS[0] in uris


@pytest.mark.pdf
def test_each_excerpt_page_has_its_own_pdf(shore):
    pdf, _ = shore
    assert pdf.info("lagoon")["Title"] == "The Lagoon"
    text = norm(pdf.text("lagoon"))
    assert text.startswith("The Lagoon August 30, 2019 Reeds and Herons")
    assert text.count("August 30, 2019") == 1
    assert re.search(r"(?m)^\s*2\s+Counted by the warden", pdf.text("lagoon"))
    assert pdf.info("reef")["Title"] == "The Reef"


@pytest.mark.pdf
def test_no_more_latex_runs_than_plain_sphinx_needs(shore):
    pdf, _ = shore
    runs = pdflatex_runs(pdf.proc.stdout + pdf.proc.stderr)
    assert set(runs) == {"shorenotes", "lagoon", "reef"}
    # a Sphinx document with an index needs two: one to write the .idx and .aux, one to read
    assert max(runs.values()) <= 2, runs


@pytest.mark.pdf
def test_html_links_each_page_to_its_pdf_copied_beside_it(shore):
    _, html = shore
    for page, href in (("tides", "shorenotes.pdf"), ("lagoon", "lagoon.pdf")):
        link = html.soup(f"{page}.html").select_one("p.excerpt-dates a.excerpt-pdf")
        assert link is not None and link["href"] == href and link.get_text() == "PDF"
        assert (html.outdir / href).is_file()


# ---------------------------------------------------------------- other engines


@pytest.mark.pdf
def test_unicode_engines_set_the_same_document(engine):
    assert engine.proc.returncode == 0, engine.proc.stderr[-2000:]
    assert engine.info("shorenotes")["Title"] == TITLE
    text = norm(engine.text("shorenotes"))
    assert text.startswith(norm(f"{TITLE} {AUTHOR} {DATE_LINE}"))
    for phrase in [*TYPOGRAPHY, "lamp…", "Seven knots in total"]:
        assert phrase in text
    assert "Missing character" not in engine.log("shorenotes")


# ---------------------------------------------------------------- LaTeX source, no TeX needed


def test_a_project_with_its_own_latex_documents_keeps_them(build):
    result = build(
        "latex",
        "latex",
        latex_documents=[("tides", "custom.tex", "Custom Title", "Me", "manual")],
        excerpt_page_pdfs=False,
    )
    tex = result.read("custom.tex")
    assert r"\title{Custom Title}" in tex and r"\author{Me}" in tex
    assert "{sphinxmanual}" in tex and r"\sphinxtableofcontents" in tex
    assert r"\DUrole{excerpt-date}{June 2, 2020}" in tex  # the date line stays in the text
    assert sorted(p.name for p in result.outdir.glob("*.tex")) == ["custom.tex"]


def test_contents_set_in_conf_py_are_kept(build):
    result = build("latex", "latex", latex_elements={"tableofcontents": r"\tableofcontents"})
    tex = result.read("shorenotes.tex")
    assert r"\tableofcontents" in tex
    assert r"\author{Wren \& Sons\_1 \textbackslash{}emph\{x\}}" in tex


def test_a_normal_project_with_one_excerpt_page_is_unchanged(build):
    result = build("excerpt", "latex")
    assert not result.warning_lines()
    tex = result.read("harbourhistories.tex")
    assert r"\title{Harbour Histories}" in tex
    assert "{sphinxmanual}" in tex and r"\sphinxtableofcontents" in tex
    assert r"\chapter{The Harbour at Dawn}" in tex
    assert r"\DUrole{excerpt-date}{March 7, 2019}" in tex


@pytest.mark.pdf
def test_a_normal_project_with_one_excerpt_page_builds_its_pdf(tmp_path):
    srcdir = copy_root("excerpt", tmp_path)
    proc, latex = latexpdf(srcdir)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not re.search(r"WARNING|ERROR|Traceback", proc.stderr), proc.stderr
    assert [p.name for p in latex.glob("*.pdf")] == ["harbourhistories.pdf"]


# ---------------------------------------------------------------- the HTML link, no TeX needed


def test_pdf_links_and_the_pdf_key(build):
    result = build("latex", "html")
    links = {
        page: result.soup(f"{page}.html").select("a.excerpt-pdf")
        for page in ("tides", "lagoon", "reef")
    }
    assert [a["href"] for a in links["tides"]] == ["shorenotes.pdf"]
    assert [a["href"] for a in links["lagoon"]] == ["lagoon.pdf"]
    # a PDF key in the header is the address, as written
    assert [a["href"] for a in links["reef"]] == ["/files/pdfs/the-reef.pdf"]
    dates = result.soup("lagoon.html").select_one("p.excerpt-dates")
    assert norm(dates.get_text()) == "August 30, 2019 · PDF"


def test_without_page_pdfs_only_the_pdf_key_links(build):
    result = build("latex", "html", excerpt_page_pdfs=False)
    assert not result.soup("tides.html").select("a.excerpt-pdf")
    assert result.soup("reef.html").select_one("a.excerpt-pdf")["href"].endswith("the-reef.pdf")


def test_built_pdfs_are_copied_into_the_html_output(tmp_path):
    srcdir = copy_root("latex", tmp_path)
    latex = tmp_path / "out" / "latex"
    latex.mkdir(parents=True)
    (latex / "lagoon.pdf").write_bytes(b"%PDF-1.5 stand-in")
    result = run_build(srcdir, "html", outdir=tmp_path / "out" / "html")
    assert (result.outdir / "lagoon.pdf").read_bytes() == b"%PDF-1.5 stand-in"
    assert not (result.outdir / "shorenotes.pdf").exists()  # not built: not invented


def test_dirhtml_links_climb_out_of_the_page_folder(build):
    result = build("latex", "dirhtml")
    link = result.soup("lagoon/index.html").select_one("a.excerpt-pdf")
    assert link["href"] == "../lagoon.pdf"


def test_text_and_latex_builds_have_no_pdf_link(build):
    assert "PDF" not in build("latex", "text").read("lagoon.txt")
