"""Cite this page: the "How to cite" box, its BibTeX, RIS and CSL-JSON downloads, and the
Google Scholar and Dublin Core tags, as a reader, a reference manager and an index get them.

``tests/roots/test-cite``: ``cases/north-pier`` says ``Cite: True`` (with a ``PDF``, two
authors, a book and a publisher, and TeX's special characters in its title),
``cases/net-lofts`` says ``Cite: False``, ``cases/ferry-quay`` says nothing, and
``plain`` is no excerpt page.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import copy_root, latexpdf, run_build

from sphinx_excerpt.cite import download_path, render, template_pieces
from sphinx_excerpt.config import DEFAULT_CITE_TEMPLATE

PAGE = "cases/north-pier.html"
URL = "https://harbour.example.org/book/cases/north-pier.html"
PDF_URL = "https://harbour.example.org/book/files/north-pier.pdf"
TITLE = "The North Pier & {its} 100% Ledgers"
CITED = (
    "Mara Lind and Ada Marlow. 2021. “The North Pier & {its} 100% Ledgers.” Harbour Towns. "
    f"Excerpt from Harbour Towns, Northbridge Press. {URL}"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    srcdir = copy_root("cite", tmp_path_factory.mktemp("cite"))
    return run_build(srcdir, "html")


def box_of(soup):
    return soup.select_one("div.well.excerpt-cite")


def test_the_box_shows_the_citation_under_the_title(site):
    assert site.warning_lines() == []
    soup = site.soup(PAGE)
    box = box_of(soup)
    assert box is not None and box["role"] == "note"
    assert box.select_one(".excerpt-cite-title").get_text() == "How to cite"
    text = box.select_one(".excerpt-cite-text")
    assert text.get_text() == CITED
    assert text.em.get_text() == "Harbour Towns"  # the book, in italics
    assert text.a["href"] == URL
    # under the title and its date line, before the body
    section = soup.select_one("section")
    children = [c for c in section.find_all(recursive=False)]
    assert children[0].name == "h1"
    assert "excerpt-dates" in children[1]["class"]
    assert children[2] is box


def test_the_box_links_its_three_files(site):
    links = box_of(site.soup(PAGE)).select(".excerpt-cite-downloads a")
    assert [a.get_text() for a in links] == ["BibTeX", "RIS", "CSL-JSON"]
    assert [a["href"] for a in links] == [
        "../_cite/cases/north-pier.bib",
        "../_cite/cases/north-pier.ris",
        "../_cite/cases/north-pier.json",
    ]
    for a in links:
        assert (site.outdir / "cases" / a["href"]).resolve().is_file()


def test_the_bibtex_parses_with_pybtex(site):
    from pybtex.database import parse_string

    bib = parse_string((site.outdir / "_cite/cases/north-pier.bib").read_text("utf-8"), "bibtex")
    (key, entry), *others = bib.entries.items()
    assert others == [] and key == "lind2021north" and entry.type == "misc"
    assert [str(p) for p in entry.persons["author"]] == ["Lind, Mara", "Marlow, Ada"]
    assert entry.fields["year"] == "2021"
    assert entry.fields["url"] == URL
    assert entry.fields["howpublished"] == "Harbour Towns"
    # TeX's specials escaped, so that TeX prints them
    title = entry.fields["title"]
    assert r"\&" in title and r"100\%" in title and r"\textbraceleft{}its" in title
    assert "Northbridge Press" in entry.fields["note"]


def test_the_ris_record(site):
    lines = (site.outdir / "_cite/cases/north-pier.ris").read_text("utf-8").splitlines()
    assert lines[0] == "TY  - ELEC" and lines[-1] == "ER  - "
    tags = [(line[:2], line[6:]) for line in lines]
    assert all(line[2:6] == "  - " for line in lines)
    assert ("TI", TITLE) in tags
    assert [v for t, v in tags if t == "AU"] == ["Mara Lind", "Ada Marlow"]
    assert ("PY", "2021") in tags and ("UR", URL) in tags and ("L1", PDF_URL) in tags


def test_the_csl_json(site):
    (item,) = json.loads((site.outdir / "_cite/cases/north-pier.json").read_text("utf-8"))
    assert item["type"] == "webpage" and item["title"] == TITLE
    assert item["author"] == [
        {"family": "Lind", "given": "Mara"},
        {"family": "Marlow", "given": "Ada"},
    ]
    assert item["issued"] == {"date-parts": [[2021, 1, 11]]}
    assert item["URL"] == URL
    assert item["container-title"] == "Harbour Towns"
    assert item["original-title"] == "Harbour Towns"
    assert item["original-publisher"] == "Northbridge Press"


def metas(soup) -> list[tuple[str, str]]:
    return [
        (m["name"], m["content"])
        for m in soup.find_all("meta")
        if m.get("name", "").startswith(("citation_", "DC."))
    ]


def test_the_head_has_highwire_and_dublin_core_tags(site):
    soup = site.soup(PAGE)
    tags = metas(soup)
    assert ("citation_title", TITLE) in tags  # escaped in the HTML, read back as written
    assert [v for n, v in tags if n == "citation_author"] == ["Mara Lind", "Ada Marlow"]
    assert ("citation_publication_date", "2021/01/11") in tags
    assert ("citation_public_url", URL) in tags
    assert ("citation_abstract_html_url", URL) in tags
    assert ("citation_pdf_url", PDF_URL) in tags
    assert ("DC.title", TITLE) in tags
    assert [v for n, v in tags if n == "DC.creator"] == ["Mara Lind", "Ada Marlow"]
    assert ("DC.date", "2021-01-11") in tags and ("DC.identifier", URL) in tags
    assert soup.find("link", rel="schema.DC") is not None


def test_pages_without_cite_get_nothing(site):
    for name in ("cases/net-lofts.html", "cases/ferry-quay.html", "plain.html"):
        soup = site.soup(name)
        assert box_of(soup) is None, name
        assert metas(soup) == [], name
    files = (site.outdir / "_cite").rglob("*.*")
    assert sorted(p.name for p in files if p.name != ".manifest.json") == [
        "north-pier.bib",
        "north-pier.json",
        "north-pier.ris",
    ]


def test_excerpt_cite_cites_every_excerpt_page_but_those_that_opt_out(tmp_path):
    srcdir = copy_root("cite", tmp_path)
    built = run_build(srcdir, "html", excerpt_cite=True)
    assert box_of(built.soup("cases/ferry-quay.html")) is not None
    assert box_of(built.soup("cases/net-lofts.html")) is None  # Cite: False
    assert box_of(built.soup("plain.html")) is None  # no excerpt page
    assert metas(built.soup("plain.html")) == []


def test_a_page_with_no_more_than_a_title(page):
    built = page("Title: The Harbour\nCite: True\n\nThe fleet left before sunrise.\n")
    assert built.warning_lines() == []
    box = box_of(built.soup("index.html"))
    # no author, date, site, book or address: none of their words or marks
    assert box.select_one(".excerpt-cite-text").get_text() == "“The Harbour.”"
    tags = dict(metas(built.soup("index.html")))
    assert tags["citation_title"] == "The Harbour"
    assert not any("url" in name or name == "DC.identifier" for name in tags)
    from pybtex.database import parse_string

    bib = parse_string((built.outdir / "_cite/index.bib").read_text("utf-8"), "bibtex")
    assert bib.entries["harbour"].fields["title"] == "{The Harbour}"


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ({"title": "T"}, "“T.”"),
        ({"authors": "A", "title": "T"}, "A. “T.”"),
        ({"year": "2021", "title": "T", "url": "u"}, "2021. “T.” u"),
        ({"authors": "A", "year": "2021", "title": "T", "site": "S"}, "A. 2021. “T.” S."),
        ({"title": "T", "book": "B"}, "“T.” Excerpt from B."),
        ({"title": "T", "publisher": "P", "url": "u"}, "“T.” P. u"),
        ({"title": "T", "book": "B", "publisher": "P"}, "“T.” Excerpt from B, P."),
        ({"authors": "Lind, M.", "title": "Why?"}, "Lind, M. “Why?”"),
        ({"authors": "None", "title": "T"}, "None. “T.”"),  # a value, shown as written
    ],
)
def test_missing_values_leave_no_trace(values, shown):
    segments = render(template_pieces(DEFAULT_CITE_TEMPLATE), values)
    assert "".join(text for text, _ in segments) == shown


def test_a_template_with_an_unknown_field_warns_in_conf_py(page):
    built = page(
        "Title: The Harbour\nDate: 2020-05-01\nCite: True\n\nThe fleet left.\n",
        excerpt_cite_template="{title} ({year}), {volume}. {site}",
        project="Harbour Towns",
    )
    warnings = built.warning_lines()
    assert len(warnings) == 1
    assert "excerpt_cite_template: unknown field {volume}, left out" in warnings[0]
    assert "[config]" in warnings[0]
    text = box_of(built.soup("index.html")).select_one(".excerpt-cite-text").get_text()
    assert text == "The Harbour (2020). Harbour Towns"


def test_a_malformed_template_warns_and_the_default_is_used(page):
    built = page(
        "Title: The Harbour\nCite: True\n\nThe fleet left.\n", excerpt_cite_template="{title"
    )
    (warning,) = built.warning_lines()
    assert "excerpt_cite_template:" in warning and "the default is used" in warning
    text = box_of(built.soup("index.html")).select_one(".excerpt-cite-text").get_text()
    assert text == "“The Harbour.”"


def test_a_cite_value_neither_true_nor_false_warns_at_its_line(page):
    built = page("Title: The Harbour\nCite: perhaps\n\nThe fleet left.\n")
    (warning,) = built.warning_lines()
    assert "index.md:2:" in warning and "[excerpt.metadata]" in warning
    assert "'perhaps'" in warning
    assert box_of(built.soup("index.html")) is None


def test_the_text_build_has_the_box(tmp_path):
    srcdir = copy_root("cite", tmp_path)
    built = run_build(srcdir, "text")
    text = (built.outdir / "cases" / "north-pier.txt").read_text("utf-8")
    assert "How to cite" in text
    # (the book in *emphasis*; the text builder wraps the address at its hyphen)
    shown = " ".join(text.replace("*Harbour Towns*", "Harbour Towns").split())
    assert " ".join(CITED.split()) in shown.replace("north- pier", "north-pier")
    assert "How to cite" not in (built.outdir / "cases" / "ferry-quay.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("authors", "key"),
    [
        (["Mara Lind"], "lind2021north"),
        (["Lind, Mara"], "lind2021north"),
        (["Zoë Åberg"], "aberg2021north"),
        ([", Mara"], "2021north"),
        ([], "2021north"),
    ],
)
def test_cite_keys(authors, key):
    from datetime import datetime

    from sphinx_excerpt.cite import cite_key

    assert cite_key(authors, datetime(2021, 1, 11), "The North Pier", "cases/x") == key
    assert cite_key([], None, "A", "cases/north-pier") == "northpier"


def test_download_names_stay_in_their_folder():
    assert download_path("cases/north-pier", "bib") == "_cite/cases/north-pier.bib"
    assert download_path("a b/..x/.hidden", "ris") == "_cite/a-b/x/hidden.ris"
    assert download_path("../../etc/passwd", "json") == "_cite/page/page/etc/passwd.json"


def test_hostile_values_are_escaped_in_the_head(page):
    title = 'Quotes " and <script>alert(1)</script>'
    built = page(
        f'Title: {title}\nAuthor: A <b>bold</b> "name"\nCite: True\n\nThe fleet left.\n',
        html_baseurl="javascript:alert(1)//",
    )
    html = built.read("index.html")
    assert "<script>alert" not in html
    tags = metas(built.soup("index.html"))
    assert ("citation_author", 'A <b>bold</b> "name"') in tags
    # a base URL the policy refuses gives the page no address
    assert not any(v.startswith("javascript") for _, v in tags)
    assert "javascript:" not in box_of(built.soup("index.html")).decode()


@pytest.mark.browser
def test_chromium_reads_the_tags(site, chromium):
    page = chromium.new_page()
    try:
        page.goto((site.outdir / PAGE).as_uri())
        tags = page.evaluate(
            """() => [...document.head.querySelectorAll('meta[name]')]
                .filter(m => /^(citation_|DC\\.)/.test(m.name))
                .map(m => [m.name, m.content])"""
        )
        box = page.evaluate(
            "() => { const b = document.querySelector('div.excerpt-cite');"
            " const r = b.getBoundingClientRect(); return [b.innerText, r.width, r.height]; }"
        )
    finally:
        page.close()
    tags = [tuple(t) for t in tags]
    assert ("citation_title", TITLE) in tags
    assert [v for n, v in tags if n == "citation_author"] == ["Mara Lind", "Ada Marlow"]
    assert ("citation_pdf_url", PDF_URL) in tags and ("DC.identifier", URL) in tags
    text, width, height = box
    assert "How to cite" in text and URL in text and width > 200 and height > 40


@pytest.mark.pdf
def test_the_pdf_has_the_box_on_the_page_first_page(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    srcdir = copy_root("cite", tmp_path)
    (srcdir / "conf.py").write_text(
        (srcdir / "conf.py").read_text("utf-8")
        + 'root_doc = "cases/north-pier"\nexclude_patterns += ["index.md"]\n',
        encoding="utf-8",
    )
    proc, latexdir = latexpdf(srcdir)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    pdf = next(latexdir.glob("*.pdf"))
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0]
        text = first.extract_text(x_tolerance=1.5)
        words = first.extract_words(x_tolerance=1.5)
        links = [a.get("uri") for a in first.hyperlinks]
        shapes = first.rects + first.lines
    # the whole citation on the first page, its characters as written (none escaped twice)
    assert "How to cite" in text
    assert " ".join(CITED.split()) in " ".join(text.split())
    assert URL in links
    # under the date line, before the body's first section, and framed
    top = {w["text"]: w for w in reversed(words)}
    how, date, body = top["How"], top["January"], top["place"]
    assert date["bottom"] < how["top"] < body["top"]
    end = top["Press."]
    framed = [
        s
        for s in shapes
        if s["top"] <= how["top"] - 1 and s["bottom"] >= end["bottom"] + 1 and s["x0"] < how["x0"]
    ]
    assert framed, "the box has no frame"


def test_downloads_never_follow_a_link_out_of_the_output(tmp_path):
    from sphinx_excerpt.cite import Citation, write_downloads

    outdir, elsewhere = tmp_path / "html", tmp_path / "elsewhere"
    outdir.mkdir()
    elsewhere.mkdir()
    (outdir / "_cite").symlink_to(elsewhere)
    write_downloads(outdir, Citation(docname="cases/pier", key="pier", title="The Pier"))
    assert list(elsewhere.rglob("*")) == []
    (outdir / "_cite").unlink()
    write_downloads(outdir, Citation(docname="cases/pier", key="pier", title="The Pier"))
    assert sorted(p.name for p in (outdir / "_cite" / "cases").iterdir()) == [
        "pier.bib",
        "pier.json",
        "pier.ris",
    ]


def test_a_parallel_build_cites_as_a_serial_one(site, tmp_path):
    srcdir = copy_root("cite", tmp_path)
    parallel = run_build(srcdir, "html", parallel=2)
    assert parallel.warning_lines() == []
    assert str(box_of(parallel.soup(PAGE))) == str(box_of(site.soup(PAGE)))
    assert metas(parallel.soup(PAGE)) == metas(site.soup(PAGE))
    for name in ("north-pier.bib", "north-pier.ris", "north-pier.json"):
        ours, theirs = (b.outdir / "_cite" / "cases" / name for b in (parallel, site))
        assert ours.read_text("utf-8") == theirs.read_text("utf-8")


def test_the_page_pdf_is_the_citation_pdf_without_a_pdf_header(page):
    built = page(
        "Title: The Harbour\nCite: True\n\nThe fleet left.\n",
        excerpt_page_pdfs=True,
        html_baseurl="https://harbour.example.org/",
    )
    tags = dict(metas(built.soup("index.html")))
    pdf = built.soup("index.html").select_one("a.excerpt-pdf")["href"]
    assert tags["citation_pdf_url"] == "https://harbour.example.org/" + pdf
    assert pdf.endswith(".pdf")
    ris = (built.outdir / "_cite" / "index.ris").read_text("utf-8")
    assert f"L1  - https://harbour.example.org/{pdf}" in ris.splitlines()


def test_the_excerpt_source_gives_the_book(page):
    built = page(
        "Title: The Harbour\nCite: True\n\n"
        "```{excerpt-source}\n:author: Ada Marlow\n:title: Ledgers of the Quay\n"
        ":publisher: Northbridge Press\n:year: 2019\n```\n\nThe fleet left.\n"
    )
    assert built.warning_lines() == []
    text = box_of(built.soup("index.html")).select_one(".excerpt-cite-text")
    assert text.get_text() == (
        "Ada Marlow. “The Harbour.” Excerpt from Ledgers of the Quay, Northbridge Press."
    )
    assert text.em.get_text() == "Ledgers of the Quay"


def test_an_incremental_build_removes_the_files_of_a_page_no_longer_cited(tmp_path):
    srcdir = copy_root("cite", tmp_path)
    first = run_build(srcdir, "html")
    mine = first.outdir / "_cite" / "notes.bib"  # not ours: never removed
    mine.write_text("@misc{x, title={Mine}}\n", "utf-8")
    bib = first.outdir / "_cite" / "cases" / "north-pier.bib"
    assert bib.is_file()
    page = srcdir / "cases" / "north-pier.md"
    page.write_text(page.read_text("utf-8").replace("Cite: True", "Cite: False"), "utf-8")
    again = run_build(srcdir, "html", outdir=first.outdir, freshenv=False)
    assert box_of(again.soup(PAGE)) is None
    assert not bib.exists()
    assert list((first.outdir / "_cite").rglob("*.bib")) == [mine]


def test_the_box_speaks_the_project_language(page):
    built = page("Title: Der Hafen\nCite: True\n\nDie Flotte lief aus.\n", language="de")
    box = box_of(built.soup("index.html"))
    assert box.select_one(".excerpt-cite-title").get_text() == "Zitierhinweis"
    assert box.select_one(".excerpt-cite-downloads").get_text().startswith("Herunterladen: ")


@pytest.mark.pdf
def test_characters_pdflatex_cannot_set_in_the_box_do_not_stop_the_pdf(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    srcdir = tmp_path / "greek"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'project = "Harbour"\nextensions = ["sphinx_excerpt"]\n', encoding="utf-8"
    )
    (srcdir / "index.md").write_text(
        "Title: The harbour ツ\nAuthor: Ἀλέξανδρος Marlow\nCite: True\n\n## The place\n\nText.\n",
        encoding="utf-8",
    )
    proc, latexdir = latexpdf(srcdir)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with pdfplumber.open(next(latexdir.glob("*.pdf"))) as doc:
        text = doc.pages[0].extract_text(x_tolerance=1.5)
    box = text[text.index("How to cite") :]
    # the latex_text policy: what pdflatex cannot set is shown as its code point
    assert "U+1F08" in box.split("Marlow")[0] and "U+30C4" in box


def test_any_missing_values_leave_clean_text():
    """Every combination of present and missing fields of the default template."""
    from itertools import product

    from sphinx_excerpt.cite import FIELDS

    template = template_pieces(DEFAULT_CITE_TEMPLATE)
    for present in product((False, True), repeat=len(FIELDS)):
        values = {name: f"V{name}" for name, on in zip(FIELDS, present, strict=True) if on}
        text = "".join(t for t, _ in render(template, values))
        shown = [n for n in FIELDS if f"V{n}" in text]
        # every value given (that the template uses) is shown, and nothing else
        assert shown == [n for n in values if n != "date"], (values, text)
        assert text == text.strip()
        assert not re.search(r"[.,;:]\s*[.,;:]|\s[.,;:]|^[.,;:”]|,$|\s\s|“”", text), text
