"""Table captions in every form a Pelican page writes them, before or after the table.

``tests/roots/test-table-captions`` has one table per form: a caption in a well after
the table (the form that once stopped the build with a traceback), a well before it,
``*Table N*.`` and ``*Table N*:`` paragraphs after and before it, and a well whose
hard-broken second line becomes a note under the table.
"""

from __future__ import annotations

import re

import pytest
from conftest import Build, copy_root, run_build

#: (number, caption as shown) for each table of the page.
CAPTIONS = [
    ("1", "Key statistics, averaged 2001–2013"),  # well after
    ("2", "Harbour tonnage by decade"),  # well before
    ("3", "Crews of the fishing fleet."),  # *Table 3*. after
    ("4", "Lighthouse keepers by year."),  # *Table 4*: before
    ("5", "Ships in port"),  # well after, with a legend line
]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("¶", "")).strip()


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, Build]:
    base = tmp_path_factory.mktemp("table-captions")
    srcdir = copy_root("table-captions", base)
    return {name: run_build(srcdir, name) for name in ("html", "text", "latex")}


def test_the_page_builds_without_warnings(tables):
    for build in tables.values():
        assert build.warning_lines() == []


@pytest.mark.parametrize(("number", "text"), CAPTIONS)
def test_html_numbered_table_caption(tables, number, text):
    soup = tables["html"].soup("index.html")
    table = soup.find("table", id=f"table-{number}")
    assert norm(table.caption.get_text(" ")) == f"Table {number}. {text}"
    main = norm(soup.select_one('[role="main"]').get_text(" "))
    assert main.count(text) == 1  # the caption paragraph or well is gone


def test_html_no_caption_is_left_in_a_well(tables):
    soup = tables["html"].soup("index.html")
    assert soup.select(".well") == []


def test_a_legend_line_stays_as_a_note_under_the_table(tables):
    soup = tables["html"].soup("index.html")
    note = soup.find("table", id="table-5").find_next_sibling("p")
    assert norm(note.get_text()) == "Source: Port office ledgers."
    assert "table-notes" in note["class"] and "well" not in note["class"]


@pytest.mark.parametrize(("number", "text"), CAPTIONS)
def test_text_numbered_table_caption(tables, number, text):
    page = tables["text"].read("index.txt")
    assert page.count(f"Table {number}. {text}") == 1
    assert "Source: Port office ledgers." in page


@pytest.mark.parametrize(("number", "text"), CAPTIONS)
def test_latex_numbered_table_caption(tables, number, text):
    tex = next(tables["latex"].outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert rf"\sphinxexcerptnumber{{table}}{{Table}}{{{number}}}" in tex
    shown = text.replace("–", r"\textendash{}")
    assert rf"\sphinxcaption{{{shown}}}" in tex
    assert "sphinxexcerptwell" not in tex
