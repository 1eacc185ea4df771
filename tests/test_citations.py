"""Pandoc's citations on excerpt pages: author-year in the text, linked to a References
list at the page's end (sphinxcontrib-bibtex with a pybtex style), in HTML and PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import copy_root, latexpdf, require_tool, run_build

ROOT = "citations"
#: What the reader sees for each citation of index.md, in the order written.
INDEX_CITATIONS = [
    "(Doe 1999)",
    "(Doe 1999, 12)",
    "(Doe 1999; Smith and Berg 2004, 3)",
    "(see Holm 1987, 40)",
    "(2004)",
    "Smith and Berg (2004)",
    "Holm (1987, 33)",
    "(Doe 1999; 1987)",
]
#: The words of each entry the References must show, by key.
ENTRIES = {
    "doe99": "Harbours and Their People",
    "smith04": "Maritime History Review",
    "holm87": "Ledgers of the Quay",
    "lund20": "The Salt Road",
    "never10": "A Work Nobody Cites",
}


def text(element) -> str:
    return " ".join(element.get_text().split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return run_build(copy_root(ROOT, tmp_path_factory.mktemp("citations")), "html")


def references(soup):
    """The page's References: the heading's section and its entries."""
    section = soup.select("section")[-1]
    return section, section.select("p.excerpt-reference")


def test_citations_read_author_year(site):
    soup = site.soup("index.html")
    shown = [text(c) for c in soup.select("span.excerpt-citation")]
    assert shown == INDEX_CITATIONS


def test_each_citation_links_to_its_entry_in_the_references_at_the_page_end(site):
    soup = site.soup("index.html")
    section, entries = references(soup)
    assert text(section.find("h2")).rstrip("¶").strip() == "References"
    assert section is soup.select("section")[-1]  # the page's last section
    by_id = {entry["id"]: text(entry) for entry in entries}
    links = soup.select("span.excerpt-citation a")
    assert len(links) == 10
    for link in links:
        assert link["href"].startswith("#")
        assert link["href"][1:] in by_id, link
    # every cited key has its entry, and no other work is listed
    listed = " ".join(by_id.values())
    for key in ("doe99", "smith04", "holm87"):
        assert ENTRIES[key] in listed
    assert ENTRIES["never10"] not in listed and ENTRIES["lund20"] not in listed
    # pybtex's style, sorted by author: "Jane Doe. Harbours and Their People. Coast Press…"
    assert next(iter(by_id.values())).startswith("Jane Doe. Harbours and Their People.")
    assert [v.split(".")[0] for v in by_id.values()] == [
        "Jane Doe",
        "Petra Holm",
        "John Smith and Anna Berg",
    ]


def test_a_missing_key_is_one_warning_at_its_line_and_its_text_stays(site):
    warnings = site.warning_lines()
    assert len(warnings) == 1, warnings
    (warning,) = warnings
    assert re.search(r"index\.md:12: WARNING: .*lost55.*\[excerpt\.citation\]", warning)
    paragraph = site.soup("index.html").find(string=re.compile("One source is lost"))
    assert "One source is lost [@lost55], and nothing else is." in paragraph


def test_email_addresses_are_no_citations(site):
    soup = site.soup("index.html")
    line = soup.find(string=re.compile("Write to"))
    assert "harbour@example.org" in line and "the.clerk@quay.example.net" in line
    assert not any("example" in text(c) for c in soup.select("span.excerpt-citation"))


def test_a_bibliography_header_and_the_page_s_own_references(site):
    soup = site.soup("cases/quay.html")
    assert [text(c) for c in soup.select("span.excerpt-citation")] == [
        "(Lund 2020, 7)",
        "(Doe 1999)",
    ]
    _, entries = references(soup)
    assert [text(e).split(".")[0] for e in entries] == ["Jane Doe", "Ola Lund"]
    # a work cited on two pages is in the References of both, and links to its own page's
    link = soup.select("span.excerpt-citation a")[-1]
    assert link["href"] == "#" + entries[0]["id"]


def test_a_page_that_ends_with_a_heading_gets_its_list_under_it(site):
    soup = site.soup("ends-with-heading.html")
    headings = [text(h).rstrip("¶").strip() for h in soup.select("h2")]
    assert headings == ["Books", "Works cited"]
    _, entries = references(soup)
    assert [text(e).split(".")[0] for e in entries] == ["Petra Holm"]


def test_pages_that_are_no_excerpt_pages_keep_the_text(site):
    paragraph = text(site.soup("plain.html").find(string=re.compile("Not an excerpt")).parent)
    assert "Not an excerpt page: [@doe99] and @smith04 stay as they are written." in paragraph
    assert not site.soup("plain.html").select("span.excerpt-citation, .excerpt-references")


def test_other_pages_are_as_in_a_project_without_a_bibliography(site, tmp_path):
    srcdir = copy_root(ROOT, tmp_path)
    quay = srcdir / "cases" / "quay.md"
    quay.write_text(quay.read_text("utf-8").replace("Bibliography:", "Source:"), "utf-8")
    without = run_build(srcdir, "html", excerpt_bibliography=[])
    assert "sphinxcontrib.bibtex" not in without.app.extensions
    main = '[role="main"]'
    assert str(site.soup("plain.html").select_one(main)) == str(
        without.soup("plain.html").select_one(main)
    )


def test_the_text_build_reads_the_same(tmp_path):
    built = run_build(copy_root(ROOT, tmp_path), "text")
    page = " ".join(built.read("index.txt").split())
    for citation in INDEX_CITATIONS:
        assert citation in page
    assert "References" in page
    assert "Jane Doe. *Harbours and Their People*. Coast Press, Bergen, 1999." in page


def test_the_bibliography_from_pandoc_args(tmp_path):
    srcdir = copy_root(ROOT, tmp_path)
    (srcdir / "sources").mkdir()
    shutil.move(srcdir / "refs.bib", srcdir / "sources" / "refs.bib")
    built = run_build(
        srcdir,
        "html",
        excerpt_bibliography=[],
        excerpt_pandoc_args=["--base-header-level=1", "--bibliography", "sources/refs.bib"],
    )
    shown = [text(c) for c in built.soup("index.html").select("span.excerpt-citation")]
    assert shown == INDEX_CITATIONS
    assert len(built.warning_lines()) == 1


def test_pandoc_reader_s_page_bibliography_with_citeproc(tmp_path):
    srcdir = copy_root(ROOT, tmp_path)
    shutil.move(srcdir / "refs.bib", srcdir / "index.bib")  # as Pelican's pandoc_reader finds it
    built = run_build(srcdir, "html", excerpt_bibliography=[], excerpt_pandoc_args=["--citeproc"])
    shown = [text(c) for c in built.soup("index.html").select("span.excerpt-citation")]
    assert shown == INDEX_CITATIONS


def test_a_missing_bibliography_file_is_said(tmp_path):
    srcdir = copy_root(ROOT, tmp_path)
    (srcdir / "files" / "quay.bib").unlink()
    built = run_build(srcdir, "html")
    warnings = "\n".join(built.warning_lines())
    assert re.search(
        r"quay\.md:2: WARNING: no bibliography file .*quay\.bib.*\[excerpt\.citation\]", warnings
    )


def test_without_a_bibliography_nothing_changes(tmp_path):
    srcdir = copy_root(ROOT, tmp_path)
    (srcdir / "cases" / "quay.md").unlink()  # the one page with a Bibliography: header
    (srcdir / "index.md").write_text(
        (srcdir / "index.md").read_text("utf-8").replace("cases/quay\n", ""), "utf-8"
    )
    built = run_build(srcdir, "html", excerpt_bibliography=[])
    assert "sphinxcontrib.bibtex" not in built.app.extensions
    assert built.warning_lines() == []
    soup = built.soup("index.html")
    assert not soup.select("span.excerpt-citation")
    assert "dug by hand [@doe99]" in text(soup.select_one("[role=main]"))


def test_the_citations_extension_can_be_turned_off(tmp_path):
    built = run_build(copy_root(ROOT, tmp_path), "html", excerpt_pandoc_extensions="-citations")
    soup = built.soup("index.html")
    assert not soup.select("span.excerpt-citation")
    assert "dug by hand [@doe99]" in text(soup.select_one("[role=main]"))


def test_a_parallel_build_gives_the_same_pages(tmp_path):
    serial = run_build(copy_root(ROOT, tmp_path / "a"), "html")
    parallel = run_build(copy_root(ROOT, tmp_path / "b"), "html", parallel=2)
    for name in ("index.html", "cases/quay.html"):
        assert str(serial.soup(name).select_one("[role=main]")) == str(
            parallel.soup(name).select_one("[role=main]")
        )


@pytest.mark.pdf
def test_the_pdf_shows_the_citations_and_the_references(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    srcdir = copy_root(ROOT, tmp_path)
    proc, latexdir = latexpdf(srcdir)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (pdf,) = latexdir.glob("*.pdf")
    with pdfplumber.open(pdf) as doc:
        text = " ".join(page.extract_text(x_tolerance=1.5) or "" for page in doc.pages)
        words = " ".join(text.split())
        targets = [
            annot["data"]["A"]["D"]
            for page in doc.pages
            for annot in page.annots
            if str(annot["data"].get("A", {}).get("D", b"")).startswith("b'cite.")
        ]
        # each one a named destination of the PDF: the entry in the References
        resolved = [doc.doc.get_dest(target) for target in targets]
    for citation in INDEX_CITATIONS:
        assert citation in words, citation
    assert "[@lost55]" in words
    assert words.count("References") >= 2  # the two pages' lists (and the contents)
    for key in ("doe99", "smith04", "holm87", "lund20"):
        assert ENTRIES[key] in words
    # the citations link inside the PDF (to the entries): no label such as [Doe99] shown
    # (a link broken over two lines is two annotations): one entry per work and page
    assert len(set(targets)) == 3 + 2 + 1  # index.md, cases/quay.md, ends-with-heading.md
    assert all(resolved)
    assert not re.search(r"\[[A-Z][a-z]+\d\d\]", words)


def test_the_heading_is_in_the_reader_s_language(tmp_path):
    built = run_build(copy_root(ROOT, tmp_path), "html", language="de")
    section, entries = references(built.soup("index.html"))
    assert text(section.find("h2")).rstrip("¶").strip() == "Literatur"
    assert len(entries) == 3


def test_a_refs_div_holds_the_list_where_it_is(tmp_path):
    srcdir = copy_root(ROOT, tmp_path)
    page = srcdir / "cases" / "quay.md"
    page.write_text(
        page.read_text("utf-8").replace(
            "Bibliography: {static}/files/quay.bib", "Bibliography: ../files/quay.bib"
        )
        + "\n::: {#refs}\n:::\n\n## After the list\n\nThe end.\n",
        "utf-8",
    )
    built = run_build(srcdir, "html")
    soup = built.soup("cases/quay.html")
    refs = soup.find(id="refs")
    assert [text(e).split(".")[0] for e in refs.select("p.excerpt-reference")] == [
        "Jane Doe",
        "Ola Lund",
    ]
    assert [text(h).rstrip("¶").strip() for h in soup.select("h2")] == [
        "The road",
        "After the list",
    ]


def test_the_citations_read_as_pandoc_s_with_citeproc(site):
    """Pandoc (``--citeproc``, its default Chicago author-date style) is the oracle for
    the citations' text; a missing key is the deliberate difference (shown as written)."""
    require_tool("pandoc")
    body = (site.srcdir / "index.md").read_text("utf-8").split("\n\n", 1)[1]
    proc = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "html", "--citeproc", "--bibliography=refs.bib"],
        input=body,
        capture_output=True,
        text=True,
        cwd=site.srcdir,
        check=True,
    )
    theirs = [text(c) for c in BeautifulSoup(proc.stdout, "lxml").select("span.citation")]
    assert theirs[-1] == "(lost55?)"  # Pandoc's missing key
    assert [text(c) for c in site.soup("index.html").select("span.excerpt-citation")] == theirs[:-1]


def test_a_bibliography_header_outside_the_source_folder_is_not_read(tmp_path):
    srcdir = copy_root(ROOT, tmp_path)
    (tmp_path / "secret.bib").write_text((srcdir / "files" / "quay.bib").read_text("utf-8"))
    quay = srcdir / "cases" / "quay.md"
    quay.write_text(
        quay.read_text("utf-8").replace("{static}/files/quay.bib", "../../secret.bib"), "utf-8"
    )
    built = run_build(srcdir, "html")
    warnings = "\n".join(built.warning_lines())
    assert re.search(
        r"quay\.md:2: WARNING: bibliography '\.\./\.\./secret\.bib' is outside", warnings
    )
    assert "[excerpt.path]" in warnings
    assert "[@lund20, 7]" in text(built.soup("cases/quay.html").select_one("[role=main]"))
