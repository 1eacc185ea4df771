"""The HTML reader and converter on strings: each element, malformed and unsafe HTML."""

from __future__ import annotations

import pytest
from docutils import nodes

from sphinx_excerpt.html import Problem, html_to_nodes, unsafe_url
from sphinx_excerpt.nodes import well


def convert(text: str, line: int = 1) -> tuple[nodes.Element, list[Problem]]:
    """The nodes of ``text`` in a holder element, and the problems found."""
    result, problems = html_to_nodes(text, line, {"well": well})
    return nodes.container("", *result), problems


def only(holder: nodes.Element, cls: type[nodes.Node]) -> nodes.Node:
    found = list(holder.findall(cls))
    assert len(found) == 1, holder.pformat()
    return found[0]


@pytest.mark.parametrize(
    ("html", "node_class", "text"),
    [
        ("<em>slanted</em>", nodes.emphasis, "slanted"),
        ("<i>leaning</i>", nodes.emphasis, "leaning"),
        ("<cite>A Book</cite>", nodes.emphasis, "A Book"),
        ("<strong>heavy</strong>", nodes.strong, "heavy"),
        ("<b>bold</b>", nodes.strong, "bold"),
        ("<sup>2</sup>", nodes.superscript, "2"),
        ("<sub>x</sub>", nodes.subscript, "x"),
        ("<code>run --it</code>", nodes.literal, "run --it"),
    ],
)
def test_inline_elements(html: str, node_class: type[nodes.Node], text: str) -> None:
    holder, problems = convert(f"<p>Before {html} after</p>")
    assert only(holder, node_class).astext() == text
    assert holder.astext() == f"Before {text} after"
    assert not problems


def test_small_span_and_link() -> None:
    holder, _ = convert(
        '<p><small>fine <a href="https://example.org/a">print</a></small> '
        '<span class="grape vine">tagged</span></p>'
    )
    small, span = (n for n in holder.findall(nodes.inline))
    assert small["classes"] == ["small"] and small.astext() == "fine print"
    assert span["classes"] == ["grape", "vine"]
    link = only(holder, nodes.reference)
    assert link["refuri"] == "https://example.org/a" and link.astext() == "print"


def test_entities_are_decoded() -> None:
    holder, _ = convert("<p>Salt &amp; pepper&nbsp;jar &lt;3 &ndash; &#8217;</p>")
    assert holder.astext() == "Salt & pepper\u00a0jar <3 \u2013 \u2019"


def test_line_breaks_split_lines_into_paragraphs() -> None:
    holder, _ = convert('<div class="well"><em>Figure 1</em>: A map<br>Source: a survey</div>')
    box = only(holder, well)
    first, second = box.children
    assert isinstance(first, nodes.paragraph) and isinstance(first[0], nodes.emphasis)
    assert first[0].astext() == "Figure 1" and first.astext() == "Figure 1: A map"
    assert second.astext() == "Source: a survey"


def test_break_inside_inline_element_keeps_the_element_on_both_lines() -> None:
    holder, _ = convert("<p><small>one<br>two</small></p>")
    lines = list(holder.findall(nodes.paragraph))
    assert [p.astext() for p in lines] == ["one", "two"]
    assert all(p[0]["classes"] == ["small"] for p in lines)


def test_nested_wells_and_whitespace() -> None:
    holder, _ = convert('<div class="well">\n  outer\n  text <div class="well">inner</div></div>')
    outer = holder[0]
    assert isinstance(outer, well) and outer["classes"] == ["well"]
    assert outer[0].astext() == "outer text"
    assert isinstance(outer[1], well) and outer[1].astext() == "inner"


def test_unclosed_inline_tag_ends_with_its_block() -> None:
    # as in Pelican pages: the second <small> was meant to close the first
    holder, problems = convert('<div class="well">Cited. <small>Photo by a friend.<small></div>')
    assert holder.astext() == "Cited. Photo by a friend."
    assert only(holder, nodes.inline)["classes"] == ["small"]
    assert not problems


def test_unclosed_well_is_reported_and_closed() -> None:
    holder, problems = convert('\n<div class="well">never closed <b>text', line=10)
    assert holder.astext() == "never closed text"
    assert [(p.line, "unclosed" in p.message) for p in problems] == [(11, True)]


def test_stray_closing_and_unknown_tags_keep_their_text() -> None:
    holder, problems = convert("<p>a</span> b <marquee>moving</marquee> c</p>")
    assert holder.astext() == "a b moving c"
    assert len(problems) == 2
    assert "</span>" in problems[0].message and "<marquee>" in problems[1].message


def test_script_and_style_are_removed_with_a_warning_each() -> None:
    holder, problems = convert(
        "<p>kept<script>var x = '<b>no</b>';</script> words<style>p{}</style>.</p>", line=3
    )
    assert holder.astext() == "kept words."
    assert [p.line for p in problems] == [3, 3]
    assert all("removed" in p.message for p in problems)


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "data:text/html,hi", "vbscript:x"],
)
def test_dangerous_links_lose_their_target_but_keep_their_text(href: str) -> None:
    holder, problems = convert(f'<p><a href="{href}">the words</a></p>')
    assert not list(holder.findall(nodes.reference))
    assert holder.astext() == "the words"
    assert len(problems) == 1 and "link" in problems[0].message


def test_event_attributes_are_removed() -> None:
    holder, problems = convert('<p><a href="https://ok.example" onclick="x()">go</a></p>')
    assert only(holder, nodes.reference)["refuri"] == "https://ok.example"
    assert "onclick" not in str(holder)
    assert ["onclick" in p.message for p in problems] == [True]


def test_unsafe_url() -> None:
    assert unsafe_url("java\nscript:x") and unsafe_url("DATA:image/png;base64,")
    assert not unsafe_url("https://example.org/javascript:") and not unsafe_url("/files/a.pdf")


def test_table_with_header_and_colspan() -> None:
    holder, _ = convert(
        "<table><caption>Yields</caption><tr><th>Tree</th><th>Kg</th></tr>"
        "<tr><td>Pear</td><td>40</td></tr><tr><td colspan=2>Both</td></tr></table>"
    )
    table = only(holder, nodes.table)
    assert table[0].astext() == "Yields"
    assert [e.astext() for e in table.findall(nodes.entry)] == ["Tree", "Kg", "Pear", "40", "Both"]
    assert len(list(table.findall(nodes.thead))) == 1
    assert next(e for e in table.findall(nodes.entry) if e.astext() == "Both")["morecols"] == 1


def test_iframe_becomes_a_link_named_by_its_title() -> None:
    holder, _ = convert('<iframe src="https://video.example/v/1" title="A short film"></iframe>')
    link = only(holder, nodes.reference)
    assert link["refuri"] == "https://video.example/v/1" and link.astext() == "A short film"


def test_layout_divs_lists_and_quotes() -> None:
    holder, _ = convert(
        '<div class="row"><ul><li>one<li>two</ul><ol><li>first</li></ol>'
        "<blockquote>said</blockquote><h4>Heading</h4><pre>  kept\n  as is</pre></div>"
    )
    assert holder[0]["classes"] == ["row"]
    assert [i.astext() for i in only(holder, nodes.bullet_list).children] == ["one", "two"]
    assert only(holder, nodes.enumerated_list).astext() == "first"
    assert only(holder, nodes.block_quote).astext() == "said"
    assert only(holder, nodes.rubric).astext() == "Heading"
    assert only(holder, nodes.literal_block).astext() == "  kept\n  as is"


def test_images() -> None:
    holder, _ = convert('<p>see <img src="/files/a.png" alt="a map" width="200"></p>')
    image = only(holder, nodes.image)
    assert image["uri"] == "/files/a.png" and image["alt"] == "a map"
    assert image["width"] == "200px"


def test_hard_breaks_beside_inline_html_stay_line_breaks_of_one_paragraph(page):
    """MyST's hard breaks are MyST's (issue 14): a line break in HTML and in LaTeX, in one
    paragraph, beside the author's inline HTML; each break written once."""
    text = "Title: T\n\nLine one  \nline <em>two</em>  \nline three.\n"
    tex = next(page(text, "latex").outdir.glob("*.tex")).read_text(encoding="utf-8")
    body = tex[tex.index("Line one") : tex.index("line three.")]
    assert body == "Line one\\\\\nline \\sphinxstyleemphasis{two}\\\\\n"
    paragraph = page(text).soup("index.html").select_one('[role="main"] section p')
    assert paragraph.get_text() == "Line one\nline two\nline three."
    assert len(paragraph.find_all("br")) == 2 and paragraph.em.get_text() == "two"
