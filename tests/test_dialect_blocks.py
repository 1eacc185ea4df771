"""Pandoc's block constructs on excerpt pages: tables, captions, line blocks, fenced divs
and Markdown inside HTML blocks.

Three kinds of tests: the markdown-it tokens the dialect's rules emit; real builds
(html, text, latex) read as a reader sees them; and, for each construct, the same
snippet through ``pandoc -f markdown -t html5`` (the oracle), compared on what a reader
sees (a table's caption, header and rows; a line block's lines; a div's classes and text).
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import require_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser

from sphinx_excerpt.dialect.extensions import enabled_extensions, parse_extensions
from sphinx_excerpt.parser import DIALECT_PLUGINS

HEADER = "Title: Blocks\nDate: 2021-03-04\n\n"

SIMPLE = """\
  Right     Left     Center     Default
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123

Table:  Keepers by station.
"""

SIMPLE_HEADLESS = """\
-------     ------ ----------   -------
     12     12        12             12
    123     123       123           123
-------     ------ ----------   -------

: A table without header
"""

MULTILINE = """\
-------------------------------------------------------------
 Centered   Default           Right Left
  Header    Aligned         Aligned Aligned
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here is another one. Note
                                    the blank line between
                                    rows.
-------------------------------------------------------------

Table: Here is the caption. It, too, may span
multiple lines.
"""

MULTILINE_HEADLESS = """\
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here is another one.
----------- ------- --------------- -------------------------
"""

GRID = """\
: Fruit and their virtues.

+---------------+---------------+--------------------+
| Fruit         | Price         | Advantages         |
+===============+===============+====================+
| Bananas       | $1.34         | - built-in wrapper |
|               |               | - bright color     |
+---------------+---------------+--------------------+
| Oranges       | $2.10         | - cures scurvy     |
|               |               | - tasty            |
+---------------+---------------+--------------------+
"""

GRID_ALIGNED = """\
+--------+-------+-----+
| a      | b     | c   |
+:=======+======:+=====+
| d      | e     | f   |
|        |       |     |
| second |       |     |
+--------+-------+-----+
"""

GRID_HEADLESS = """\
+:-------+------:+:---:+
| left   | right | mid |
+--------+-------+-----+
"""

PIPE = """\
Station | Keepers
------- | ------:
North   | 3
South   | 4
Table: Two stations, caption right under the rows.
"""

PIPE_CAPTION_BEFORE = """\
: Caption written first.

| Station | Keepers |
|:--------|:-------:|
| North   | 3       |
"""

LINE_BLOCK = """\
| The lamp is lit at dusk
|     and trimmed at *midnight*,
| a long line wrapped onto
  a continuation line
|
| after an empty line.
"""

FENCED_DIV = """\
::: {.well}
Excerpt from *A Keeper's Year*, pages 3–9.
:::

::: warning
Mind the **tide**.

::: {#inner .note}
A nested div.
:::
:::
"""

HTML_DIV = """\
<div class="panel">
*Emphasised* words and an image ![A lamp](lamp.png)
</div>
"""

SIMPLE_INLINE = """\
Name        Where                   Note
--------    ---------------------   ---------
*Argand*    [North](https://e.org)  `oil`
**Fresnel** South quay              two words
--------    ---------------------   ---------
"""

ONE_COLUMN = """\
-----------
 alone
 together
-----------
"""

GRID_PARAGRAPHS = """\
+------------+-------------------+
| Keeper     | Log               |
+============+===================+
| Ann        | First paragraph.  |
|            |                   |
|            | Second paragraph. |
+------------+-------------------+
"""

TABLES = {
    "simple-inline": SIMPLE_INLINE,
    "one-column": ONE_COLUMN,
    "grid-paragraphs": GRID_PARAGRAPHS,
    "simple": SIMPLE,
    "simple-headless": SIMPLE_HEADLESS,
    "multiline": MULTILINE,
    "multiline-headless": MULTILINE_HEADLESS,
    "grid": GRID,
    "grid-aligned": GRID_ALIGNED,
    "grid-headless": GRID_HEADLESS,
    "pipe": PIPE,
    "pipe-caption-before": PIPE_CAPTION_BEFORE,
}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u2019", "'")).strip()


# ---------------------------------------------------------------- tokens


def tokens(text: str) -> list[Token]:
    md = create_md_parser(MdParserConfig(), SphinxRenderer)
    for plugin in DIALECT_PLUGINS:
        md.use(plugin)
    return md.parse(text)


def types(text: str) -> list[str]:
    return [t.type for t in tokens(text)]


def test_simple_table_is_myst_table_tokens_with_alignment() -> None:
    found = tokens(SIMPLE)
    assert [t.type for t in found[:4]] == ["table_open", "thead_open", "tr_open", "th_open"]
    heads = [t for t in found if t.type == "th_open"]
    assert [t.attrs.get("style") for t in heads] == [
        "text-align:right",
        "text-align:left",
        "text-align:center",
        None,
    ]
    cells = [found[i + 1].content for i, t in enumerate(found) if t.type == "td_open"]
    assert cells == ["12"] * 4 + ["123"] * 4
    assert "heading_open" not in types(SIMPLE) and "hr" not in types(SIMPLE)


def test_caption_moves_into_the_table_after_its_body() -> None:
    found = types(SIMPLE)
    assert found[-4:] == ["table_caption_open", "inline", "table_caption_close", "table_close"]
    assert "paragraph_open" not in found
    caption = next(t for t in tokens(SIMPLE) if t.type == "table_caption_open")
    assert caption.map == [5, 6]


def test_headless_tables_have_no_thead() -> None:
    for text in (SIMPLE_HEADLESS, MULTILINE_HEADLESS, GRID_HEADLESS):
        found = types("\n" + text)
        assert "table_open" in found and "thead_open" not in found, text


def test_multiline_cells_join_their_lines_and_widths_come_from_the_dashes() -> None:
    found = tokens("\n" + MULTILINE)  # (a "---" first line would be MyST's front matter)
    opening = found[0]
    assert opening.meta["widths"] == [16, 11, 22, 36]
    cells = [found[i + 1].content for i, t in enumerate(found) if t.type in ("th_open", "td_open")]
    assert cells[:4] == ["Centered\nHeader", "Default\nAligned", "Right\nAligned", "Left\nAligned"]
    assert cells[7] == "Example of a row that\nspans multiple lines."


def test_grid_cells_hold_blocks() -> None:
    found = types(GRID)
    body = found[found.index("tbody_open") :]
    assert body.count("bullet_list_open") == 2
    assert found.count("th_open") == 3


def test_grid_alignment_comes_from_the_colons() -> None:
    heads = [t.attrs.get("style") for t in tokens(GRID_ALIGNED) if t.type == "th_open"]
    assert heads == ["text-align:left", "text-align:right", None]


def test_a_line_over_one_dash_group_stays_a_heading() -> None:
    assert types("Heading\n-------\nrow\n")[:1] == ["heading_open"]


def test_pipe_table_caption_right_under_the_rows() -> None:
    found = tokens(PIPE)
    rows = [t for t in found if t.type == "tr_open"]
    assert len(rows) == 3
    caption = found[found.index(next(t for t in found if t.type == "table_caption_open")) + 1]
    assert caption.content == "Two stations, caption right under the rows."


def test_line_block_tokens_keep_lines_and_leading_spaces() -> None:
    found = tokens(LINE_BLOCK)
    lines = [found[i + 1].content for i, t in enumerate(found) if t.type == "line_block_line_open"]
    assert lines == [
        "The lamp is lit at dusk",
        "\u00a0" * 4 + "and trimmed at *midnight*,",
        "a long line wrapped onto continuation line".replace("onto ", "onto a "),
        "",
        "after an empty line.",
    ]


def test_fenced_divs_nest_and_keep_attributes() -> None:
    found = [t for t in tokens(FENCED_DIV) if t.type == "pandoc_div_open"]
    assert [t.attrs for t in found] == [
        {"class": "well"},
        {"class": "warning"},
        {"id": "inner", "class": "note"},
    ]


def test_unclosed_fenced_div_is_text_and_myst_colon_fence_syntax_is_left_alone() -> None:
    assert "pandoc_div_open" not in types("::: {.well}\nnever closed\n")
    assert "pandoc_div_open" not in types(":::{note}\nA MyST directive\n:::\n")


def test_markdown_inside_an_html_block_is_parsed() -> None:
    found = types(HTML_DIV)
    assert found == ["html_block", "paragraph_open", "inline", "paragraph_close", "html_block"]
    inline = tokens(HTML_DIV)[2]
    assert [c.type for c in inline.children if c.type in ("em_open", "image")] == [
        "em_open",
        "image",
    ]


def test_extensions_string_is_parsed_once_in_one_place() -> None:
    assert parse_extensions("-markdown_in_html_blocks+raw_html+smart") == {
        "markdown_in_html_blocks": False,
        "raw_html": True,
        "smart": True,
    }
    assert parse_extensions(["+footnotes", "-pipe_tables"]) == {
        "footnotes": True,
        "pipe_tables": False,
    }
    on = enabled_extensions("markdown-grid_tables+grid_tables-line_blocks")
    assert "grid_tables" in on and "line_blocks" not in on and "simple_tables" in on


def test_a_failing_rule_means_no_match(monkeypatch: pytest.MonkeyPatch) -> None:
    from sphinx_excerpt.dialect import tables

    def broken(lines: Any, start: int) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tables, "READERS", (("simple_tables", broken),))
    warned: list[str] = []
    monkeypatch.setattr(
        "sphinx_excerpt.guard.warn", lambda subtype, msg, **kw: warned.append(subtype)
    )
    found = types(SIMPLE)
    assert "table_open" not in found and "paragraph_open" in found
    assert warned == ["internal"]


# ---------------------------------------------------------------- the oracle


def pandoc_html(text: str, extensions: str = "") -> BeautifulSoup:
    require_tool("pandoc")  # a skip with its reason; in CI (CI=true) a failure
    html = subprocess.run(
        ["pandoc", "-f", f"markdown{extensions}", "-t", "html5"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return BeautifulSoup(html, "lxml")


def table_view(table: Any) -> dict[str, Any]:
    """What a reader sees of a table: caption, header rows and body rows of cell texts."""
    caption = table.find("caption")
    for link in table.select("a.headerlink"):  # Sphinx's permalink sign
        link.decompose()

    def rows(part: Any) -> list[list[str]]:
        if part is None:
            return []
        return [
            [squash(c.get_text()) for c in tr.find_all(["td", "th"])] for tr in part.find_all("tr")
        ]

    return {
        "caption": squash(caption.get_text()) if caption else None,
        "header": rows(table.find("thead")),
        "body": rows(table.find("tbody")),
    }


def aligns(table: Any) -> list[str | None]:
    """The alignment of each cell of the first row (Pandoc's style, Sphinx's class)."""
    out: list[str | None] = []
    for cell in table.find("tr").find_all(["td", "th"]):
        style = cell.get("style", "")
        classes = " ".join(cell.get("class", []))
        found = re.search(r"text-align: ?(\w+)|text-(left|right|center)", style + " " + classes)
        out.append((found[1] or found[2]) if found else None)
    return out


def body(build: Any) -> Any:
    return build.soup("index.html").select_one('div[role="main"], div.body, main')


@pytest.mark.parametrize("name", list(TABLES))
def test_tables_as_pandoc_shows_them(page: Any, name: str) -> None:
    text = TABLES[name]
    ours = body(page(HEADER + text)).find_all("table")
    theirs = pandoc_html(text).find_all("table")
    assert [table_view(t) for t in ours] == [table_view(t) for t in theirs]
    assert [aligns(t) for t in ours] == [aligns(t) for t in theirs]


def test_line_block_as_pandoc_shows_it(page: Any) -> None:
    ours = body(page(HEADER + LINE_BLOCK)).select_one("div.line-block")
    theirs = pandoc_html(LINE_BLOCK).select_one("div.line-block")
    our_lines = [line.get_text() for line in ours.select("div.line")]
    their_lines = re.split(r"<br\s*/?>", theirs.decode_contents())
    their_lines = [BeautifulSoup(part, "lxml").get_text().strip("\n") for part in their_lines]
    assert [squash(x) for x in our_lines] == [squash(x) for x in their_lines]
    # the indentation is kept, as no-break spaces
    assert our_lines[1].startswith("\u00a0" * 4)


def test_fenced_divs_as_pandoc_shows_them(page: Any) -> None:
    ours = body(page(HEADER + FENCED_DIV))
    theirs = pandoc_html(FENCED_DIV)

    def divs(soup: Any, classes: list[str]) -> list[tuple[str, str]]:
        return [(c, squash(soup.select_one(f"div.{c}").get_text())) for c in classes]

    assert divs(ours, ["well", "warning", "note"]) == divs(theirs, ["well", "warning", "note"])
    assert ours.select_one("div.well")["role"] == "note"  # the citation well node
    assert ours.select_one("div.warning div.note")["id"] == "inner"


def test_markdown_in_html_block_as_pandoc_shows_it(page: Any) -> None:
    ours = body(page(HEADER + HTML_DIV)).select_one("div.panel")
    theirs = pandoc_html(HTML_DIV).select_one("div.panel")
    for soup in (ours, theirs):
        assert soup.find("em").get_text() == "Emphasised"
        assert soup.find("img")["alt"] == "A lamp"
    assert squash(ours.get_text()) == squash(theirs.get_text())


HTML_SECTION = HTML_DIV.replace("div", "section").replace("panel", "part")


@pytest.mark.parametrize(
    ("extensions", "markdown"),
    [
        ("", {".panel": True, ".part": True}),
        # Pandoc's native_divs still reads Markdown in a <div>, not in other elements
        ("-markdown_in_html_blocks", {".panel": True, ".part": False}),
        ("-markdown_in_html_blocks-native_divs", {".panel": False, ".part": False}),
    ],
)
def test_markdown_in_html_blocks_follows_the_extensions(
    page: Any, extensions: str, markdown: dict[str, bool]
) -> None:
    text = HTML_DIV + "\n" + HTML_SECTION
    ours = body(page(HEADER + text, excerpt_pandoc_extensions=extensions))
    theirs = pandoc_html(text, extensions)
    for selector, parsed in markdown.items():
        for soup in (ours, theirs):
            element = soup.select_one(selector)
            assert ("*Emphasised*" not in element.get_text()) is parsed, (selector, soup)
            assert (element.find("img") is not None) is parsed, (selector, soup)


# ---------------------------------------------------------------- builds


def test_tables_in_text_and_latex(page: Any) -> None:
    text = page(HEADER + MULTILINE + "\n" + GRID, "text").read("index.txt")
    assert "Here is the caption. It, too, may span multiple lines." in squash(text)
    assert "Fruit and their virtues." in text
    assert "* built-in wrapper" in text and "Example of a row that" in squash(text)
    tex_build = page(HEADER + MULTILINE + "\n" + GRID, "latex")
    tex = next(tex_build.outdir.glob("*.tex")).read_text(encoding="utf-8")
    body_tex = tex.split("\\begin{document}")[1]
    assert "\\sphinxcaption{Here is the caption." in squash(body_tex)
    assert "\\sphinxcaption{Fruit and their virtues.}" in body_tex
    assert "\\begin{itemize}" in body_tex  # the grid cell's list
    assert "\\sphinxstyletheadfamily" in body_tex and "Centered" in body_tex
    # the given widths: columns of fixed relative widths (p{…}), not automatic ones
    assert "\\X{16}{" in body_tex or "\\X{" in body_tex


def test_dash_ruled_rows_are_no_headings(page: Any) -> None:
    soup = body(page(HEADER + SIMPLE + "\n" + MULTILINE))
    assert not soup.find_all("h2")
    assert len(soup.find_all("table")) == 2
    latex = page(HEADER + SIMPLE, "latex")
    tex = next(latex.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\section{" not in tex


def test_line_block_in_text_and_latex(page: Any) -> None:
    text = page(HEADER + LINE_BLOCK, "text").read("index.txt")
    assert "The lamp is lit at dusk\n" in text and "after an empty line." in text
    tex_build = page(HEADER + LINE_BLOCK, "latex")
    tex = next(tex_build.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\begin{DUlineblock}" in tex


def test_table_caption_next_to_site_caption_idioms(page: Any) -> None:
    text = (
        "Station | Keepers\n--------|--------\nNorth | 3\n\n*Table 2*. Keepers at two stations.\n\n"
        + SIMPLE
        + '\n<div class="well"><em>Table 4</em>: Grid in a well caption.</div>\n\n'
        + GRID_HEADLESS
    )
    soup = body(page(HEADER + text))
    captions = [squash(c.get_text()).rstrip("¶") for c in soup.find_all("caption")]
    assert captions == [
        "Table 2. Keepers at two stations.",
        "Keepers by station.",
        "Table 4. Grid in a well caption.",
    ]


@pytest.mark.pdf
def test_every_block_construct_prints_in_the_pdf(tmp_path: Any) -> None:
    import pdfplumber
    from conftest import latexpdf

    srcdir = tmp_path / "blocks"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
    text = "\n".join([HEADER, SIMPLE_HEADLESS, MULTILINE, GRID, PIPE, LINE_BLOCK, FENCED_DIV])
    (srcdir / "index.md").write_text(text, encoding="utf-8")
    proc, latex = latexpdf(srcdir)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    with pdfplumber.open(next(latex.glob("*.pdf"))) as pdf:
        printed = re.sub(r"\s", "", squash("".join(p.extract_text() or "" for p in pdf.pages)))
    for words in (
        "A table without header",
        "Here is the caption. It, too, may span multiple lines.",
        "Example of a row that spans multiple lines.",
        "Fruit and their virtues.",
        "built-in wrapper",
        "Two stations, caption right under the rows.",
        "The lamp is lit at dusk",
        "Excerpt from A Keeper's Year",
        "A nested div.",
    ):
        assert re.sub(r"\s", "", words) in printed, words


def test_extensions_as_a_list_turn_a_construct_off(page: Any) -> None:
    built = page(HEADER + LINE_BLOCK, excerpt_pandoc_extensions=["+smart", "-line_blocks"])
    assert built.warning_lines() == []
    assert body(built).select_one("div.line-block") is None
    assert "| The lamp is lit at dusk" in body(built).get_text()


def test_a_failing_rule_in_a_build_is_one_warning_and_keeps_every_word(
    page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx_excerpt.dialect import tables

    def broken(lines: Any, start: int) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tables, "READERS", (("simple_tables", broken),))
    built = page(HEADER + "Words before.\n\n" + SIMPLE)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", built.warnings)
    # the message, then a line saying it is a bug to report
    warnings = re.findall(r"index\.md:(\d+): WARNING: (.*?)\[excerpt\.internal\]", plain, re.S)
    assert len(warnings) == 1 and warnings[0][0] == "6", plain
    assert "RuntimeError: boom" in warnings[0][1] and "bug" in warnings[0][1]
    text = squash(body(built).get_text())
    for word in ("Words before.", "Right", "Default", "123", "Keepers by station."):
        assert word in text
    quiet = page(HEADER + SIMPLE, suppress_warnings=["excerpt.internal"])
    assert "[excerpt.internal]" not in quiet.warnings


def test_with_colon_fence_on_myst_directives_and_pandoc_divs_live_together(page: Any) -> None:
    text = ":::{note}\nA MyST note.\n:::\n\n" + FENCED_DIV
    built = page(HEADER + text, myst_enable_extensions=["colon_fence", "attrs_inline"])
    assert built.warning_lines() == []
    soup = body(built)
    assert "A MyST note." in soup.select_one("div.admonition.note").get_text()
    assert soup.select_one("div.well")["role"] == "note"
    assert soup.select_one("div.warning div.note#inner") is not None


# ---------------------------------------------------------------- generated tables


def token_table(text: str) -> dict[str, Any]:
    """Caption-less view of the first table in the tokens: header, rows, alignments."""
    found = tokens("\n" + text)
    rows: dict[str, list[list[str]]] = {"thead": [], "tbody": []}
    aligns: list[str | None] = []
    part = "tbody"
    for index, token in enumerate(found):
        if token.type in ("thead_open", "tbody_open"):
            part = token.type[:5]
        elif token.type == "tr_open":
            rows[part].append([])
        elif token.type in ("th_open", "td_open"):
            inner = found[
                index + 1 : index
                + 1
                + next(
                    n
                    for n, t in enumerate(found[index + 1 :])
                    if t.type == token.type[:2] + "_close"
                )
            ]
            rows[part][-1].append(squash(" ".join(t.content for t in inner if t.type == "inline")))
            if len(rows["thead"]) + len(rows["tbody"]) == 1:
                style = token.attrs.get("style")
                aligns.append(str(style).split(":")[1] if style else None)
    return {"header": rows["thead"], "body": rows["tbody"], "aligns": aligns}


WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
ALIGN = st.sampled_from(["left", "right", "center", None])


def place(word: str, width: int, align: str | None) -> str:
    if align == "right":
        return word.rjust(width)
    if align == "center":
        return " " + word.ljust(width - 1)
    return word.ljust(width)


@st.composite
def simple_tables(draw: Any) -> str:
    columns = draw(st.integers(2, 4))
    aligns = [draw(ALIGN) for _ in range(columns)]
    header = [draw(WORD) for _ in range(columns)]
    rows = [[draw(WORD) for _ in range(columns)] for _ in range(draw(st.integers(1, 3)))]
    widths = []
    for i, align in enumerate(aligns):
        longest = max(len(header[i]), *(len(r[i]) for r in rows))
        widths.append(
            len(header[i]) if align is None and longest == len(header[i]) else longest + 2
        )
        if align is None:
            header[i] = header[i].ljust(widths[i])[: widths[i]]
    lines = ["  ".join(place(header[i], widths[i], aligns[i]) for i in range(columns))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(place(r[i], widths[i], "left") for i in range(columns)) for r in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


@st.composite
def multiline_tables(draw: Any) -> str:
    """A simple table's lines, rewritten as a multiline table: a full dash line above and
    below, a blank line between rows, and rows wrapped onto a second line."""
    lines = draw(simple_tables()).splitlines()
    width = max(len(line) for line in lines)
    header, rule, rows = lines[0], lines[1], lines[2:]
    out = ["-" * width, header, rule]
    for row in rows:
        out += [row, ""]
    out[-1] = "-" * width
    return "\n".join(out) + "\n"


@st.composite
def grid_tables(draw: Any) -> str:
    columns = draw(st.integers(1, 4))
    marks = {"left": (":", ""), "right": ("", ":"), "center": (":", ":"), None: ("", "")}
    aligns = [draw(ALIGN) for _ in range(columns)]
    header = [draw(WORD) for _ in range(columns)]
    rows = [[draw(WORD) for _ in range(columns)] for _ in range(draw(st.integers(1, 3)))]
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) + 2 for i in range(columns)]

    def border(char: str, aligned: bool) -> str:
        parts = []
        for w, a in zip(widths, aligns, strict=True):
            left, right = marks[a] if aligned else ("", "")
            parts.append(left + char * (w - len(left) - len(right)) + right)
        return "+" + "+".join(parts) + "+"

    def row(cells: list[str]) -> str:
        return (
            "|" + "|".join(" " + c.ljust(w - 1) for c, w in zip(cells, widths, strict=True)) + "|"
        )

    lines = [border("-", False), row(header), border("=", True)]
    for r in rows:
        lines += [row(r), border("-", False)]
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(simple_tables(), multiline_tables(), grid_tables()))
def test_generated_tables_read_as_pandoc_reads_them(text: str) -> None:
    theirs = pandoc_html(text).find("table")
    assert theirs is not None, text
    view = table_view(theirs)
    ours = token_table(text)
    assert ours["header"] == view["header"], text
    assert ours["body"] == view["body"], text
    assert ours["aligns"] == aligns(theirs), text
