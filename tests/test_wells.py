"""Citation wells and inline HTML in real builds: every builder, warnings, directives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SharedBuild, built, shared_build

from sphinx_excerpt.pages import excerpt_pages

CITATION_WORDS = [
    "Excerpt from Mara Quill",
    "Orchard Letters: A Season of Grafting",
    "Lantern & Reed",
    "courtesy of the Pomona archive.",
    "Inner well about rootstock.",
]


def plain_warnings(warnings: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", warnings)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def wells(builder: str) -> SharedBuild:
    """``roots/test-wells`` built once with ``builder`` for the tests marked so."""
    return shared_build(f"wells-{builder}", "wells", builder)


# the HTML build, unless a test names another
pytestmark = wells("html")


# ---------------------------------------------------------------- HTML


@pytest.fixture
def html(app):
    return built(app)


def test_seed_like_well_is_a_boxed_note_with_emphasis_small_print_and_link(html) -> None:
    soup = html.soup("citation.html")
    box = soup.select_one("div.well")
    assert box["role"] == "note"
    assert [e.get_text() for e in box.find_all("em")] == ["Orchard Letters: A Season of Grafting"]
    small = box.select_one("span.small")
    link = small.find("a")
    assert link["href"] == "https://example.org/drawings"
    assert link.get_text() == "courtesy of the Pomona archive."
    assert "Lantern & Reed" in box.get_text() and "12–19." in box.get_text()
    assert not box.select("span.small:empty")  # the unclosed second <small> adds nothing
    # the well comes before the page's first section
    assert soup.find_all(["div", "section"], class_=["well"])[0].find_next("h2")


def test_well_keeps_its_classes_and_holds_every_element(html) -> None:
    box = html.soup("citation.html").select_one("div.well.well-sm")
    assert [s.get_text() for s in box.find_all("strong")] == ["pear", "plum"]
    assert [e.get_text() for e in box.find_all("em")] == ["quince", "Apple Book"]
    assert box.find("sub").get_text() == "2" and box.find("sup").get_text() == "th"
    assert box.find("code").get_text() == "graft --now"
    assert box.select_one("span.botanical.latin").get_text() == "Malus domestica"
    assert box.select_one("div.well").get_text(strip=True) == "Inner well about rootstock."


def test_inline_html_in_markdown_paragraphs(html) -> None:
    body = html.soup("inline.html").select_one("div.body, [role=main]")
    assert body.find("sup").get_text() == "7"
    small = body.select_one("span.small")
    assert small.find("a")["href"] == "https://example.org/cider"
    assert body.find("em").get_text() == "slanted words"
    assert [p.get_text() for p in body.select("p.excerpt-line")] == [
        "Two lines",
        "joined by a break and a marked span.",
    ]
    assert body.select_one("span.marker").get_text() == "a marked span"
    assert body.find_all("em")[1].get_text() == "emphasis runs to the end of the paragraph."


def test_other_blocks_become_tables_links_and_containers(html) -> None:
    body = html.soup("blocks.html").select_one("div.body, [role=main]")
    cells = [c.get_text(strip=True) for c in body.select("table th, table td")]
    assert cells == ["Variety", "Season", "Russet", "Autumn", "Bramley spans both"]
    assert body.select_one("td[colspan='2']")
    link = body.select_one("p.excerpt-embed a")
    assert link["href"] == "https://example.org/embed/orchard-tour"
    assert link.get_text() == "A walk through the orchard"
    assert body.select_one("div.row div.col").get_text(strip=True) == "Layout text in a column."
    assert not body.find("iframe")


def test_unsafe_html_never_reaches_the_page(html) -> None:
    page = str(html.soup("unsafe.html").select_one("div.body, [role=main]"))
    body = html.soup("unsafe.html").select_one("div.well")
    assert "<script" not in page and "<style" not in page
    assert "alert" not in page and "steal" not in page and "display: none" not in page
    assert "javascript:" not in page and "data:text" not in page
    assert squash(body.get_text()).strip() == (
        "Safe words before. a scripted link and a data link. Safe words after."
    )


def test_each_problem_is_one_warning_at_its_line(html) -> None:
    found = sorted(
        (Path(m[1]).name, int(m[2]), m[3])
        for m in re.finditer(r"^(\S+?):(\d+): WARNING: (.*)$", plain_warnings(html.warnings), re.M)
    )
    assert [(name, line) for name, line, _ in found] == [
        ("malformed.md", 3),
        ("malformed.md", 8),
        ("malformed.md", 8),
        ("unsafe.md", 4),
        ("unsafe.md", 5),
        ("unsafe.md", 5),
        ("unsafe.md", 6),
        ("unsafe.md", 7),
    ]
    assert all(message.endswith("[excerpt.html]") for *_, message in found)
    assert "Traceback" not in html.warnings


def test_malformed_html_keeps_every_word(html) -> None:
    body = html.soup("malformed.html").select_one("div.body, [role=main]")
    # read as Pandoc and browsers read it: the well never closed holds the rest of the
    # section, the second well within it
    first, second = body.select("div.well")
    assert second.find_parent("div", class_="well") is first
    assert squash(first.get_text()).strip() == (
        "An unclosed well with strong text Second paragraph, still in the well. "
        "Text with a stray closing tag and an unknown tag."
    )
    assert squash(second.get_text()).strip() == (
        "Text with a stray closing tag and an unknown tag."
    )


def test_plain_page_has_no_trace_of_the_extension(html) -> None:
    body = html.soup("plain.html").select_one("div.body, [role=main]")
    assert not body.select(".well, .excerpt-line, .small")
    assert body.find("em").get_text() == "Markdown"


def test_line_numbers_count_the_metadata_header(page) -> None:
    result = page(
        "Title: A page\nDate: 2021-02-03\nSlug: a-page\n\n"
        '<div class="well">\nWords <a href="javascript:void(0)">here</a>\n</div>\n'
    )
    assert re.search(r"index\.md:6: WARNING: removed javascript: link", result.warnings)


def test_sanitized_css_is_shipped(html) -> None:
    css = html.read("_static/sphinx-excerpt.css")
    wells = css[css.index("/* wells */") :]
    assert "div.well" in wells and "border" in wells and "background-color" in wells
    assert "prefers-color-scheme: dark" in wells and '[data-theme="dark"]' in wells


# ---------------------------------------------------------------- directives


def test_well_directive_gives_the_same_node(html) -> None:
    box = html.soup("directives.html").select("div.well")[0]
    assert box["role"] == "note" and box.find("em").get_text() == "Markdown"


def test_source_directive_writes_the_citation_and_keeps_metadata(html) -> None:
    box = html.soup("directives.html").select_one("div.well.excerpt-source")
    sentence, credit = box.find_all("p")
    assert squash(sentence.get_text()) == (
        "Excerpt from Mara Quill, Orchard Letters (Lantern & Reed, 2019): 12–19."
    )
    assert sentence.find("a")["href"] == "https://example.org/orchard-letters"
    assert sentence.find("a").find("em").get_text() == "Orchard Letters"
    assert credit.select_one("span.small a")["href"] == "https://example.org/drawings"
    record = excerpt_pages(html.app.env)["directives"]
    assert record.metadata["source_author"] == "Mara Quill"
    assert record.metadata["source_year"] == "2019"
    assert record.metadata["source_url"] == "https://example.org/orchard-letters"
    assert record.metadata["source_credit"].startswith("Drawings courtesy of")


def test_source_directive_without_title_or_author_warns(page) -> None:
    result = page("# A page\n\n```{excerpt-source}\n:year: 2001\n```\n")
    assert re.search(r"index\.md:3: WARNING: excerpt-source needs", result.warnings)


# ---------------------------------------------------------------- every builder

OUTPUTS = {
    "html": "citation.html",
    "dirhtml": "citation/index.html",
    "singlehtml": "index.html",
    "epub": "citation.xhtml",
    "latex": "*.tex",
    "text": "citation.txt",
    "man": "*.1",
    "texinfo": "*.texi",
    "xml": "citation.xml",
}


@pytest.mark.parametrize("builder", [pytest.param(b, marks=wells(b)) for b in OUTPUTS])
def test_every_builder_writes_the_wells(app, builder: str) -> None:
    result = built(app)
    files = sorted(result.outdir.glob(OUTPUTS[builder]))
    assert files, f"no {OUTPUTS[builder]} in {result.outdir}"
    output = squash(files[0].read_text(encoding="utf-8"))
    output = output.replace("\\&", "&").replace("@@", "@").replace("&amp;", "&")
    output = output.replace("\\textendash{}", "–")
    for words in CITATION_WORDS:
        assert words in output, (builder, words)
    assert "alert(" not in output and "steal()" not in output
    assert "Traceback" not in result.warnings
    assert "unknown node type" not in result.warnings
    assert "<div" not in output or builder in ("html", "dirhtml", "singlehtml", "epub")


@wells("text")
def test_text_builder_indents_the_well(app) -> None:
    text = built(app).read("citation.txt")
    line = next(line for line in text.splitlines() if "Excerpt from Mara Quill" in line)
    assert line.startswith("   ")
    assert next(ln for ln in text.splitlines() if "Drawings" in ln).startswith("   ")


@wells("latex")
def test_latex_frames_the_well_with_the_package_box(app) -> None:
    result = built(app)
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    start = tex.index("\\begin{sphinxexcerptwell}")
    well = tex[start : tex.index("\\end{sphinxexcerptwell}", start)]
    assert "\\sphinxstyleemphasis{Orchard Letters: A Season of Grafting}" in well
    assert "\\DUrole{small}{" in well
    assert "\\sphinxhref{https://example.org/drawings}" in well
    sty = (result.outdir / "sphinxexcerpt.sty").read_text(encoding="utf-8")
    assert "\\newenvironment{sphinxexcerptwell}" in sty and "\\MakeFramed" in sty
    assert "\\DUrolesmall" in sty
