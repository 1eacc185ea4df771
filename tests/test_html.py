"""The HTML reader and converter on strings: each element, malformed and unsafe HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from docutils.utils import new_document
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_excerpt.html import (
    Converter,
    Event,
    HtmlToNodes,
    Problem,
    _lone_tag,
    _Tokenizer,
    authored_html,
    html_to_nodes,
    tokens,
    unsafe_url,
)
from sphinx_excerpt.nodes import well

# ---------------------------------------------------------------- converter cases

#: Converter cases, one block each: title, ``.``, the HTML, ``.``, the nodes and problems
#: as :func:`shown` writes them, ``.``. A title ``[name] --line=10 --embed-hosts=a,b``
#: gives the HTML's first line and the hosts of allowed video players. A new case is one
#: block: write its HTML with an empty expectation, run
#: ``pytest tests/test_html.py --regen-file-failure``, and read what it wrote.
CASES = Path(__file__).parent / "fixtures" / "html_to_nodes.md"


def shown(holder: nodes.Element, problems: list[Problem]) -> str:
    """The nodes as docutils' ``pformat`` writes them, but each text quoted (its spaces
    and non-breaking spaces seen), then one line per problem."""

    def lines(node: nodes.Node, level: int) -> list[str]:
        if isinstance(node, nodes.Text):
            return [f"{'    ' * level}{str(node)!r}"]
        assert isinstance(node, nodes.Element)
        own = [f"{'    ' * level}{node.starttag()}"]
        return own + [line for child in node.children for line in lines(child, level + 1)]

    found = [f"problem at line {p.line}: {p.message}" for p in problems]
    return "\n".join([*lines(holder, 0), *found]) + "\n"


def case_options(description: str | None) -> dict[str, Any]:
    """``--line=10 --embed-hosts=a,b`` as keyword arguments of :func:`html_to_nodes`."""
    options: dict[str, Any] = {}
    for option in (description or "").split():
        key, _, value = option.removeprefix("--").partition("=")
        options[key.replace("-", "_")] = int(value) if key == "line" else value.split(",")
    return options


@pytest.mark.param_file(CASES)
def test_html_to_nodes(file_params: Any) -> None:
    options = case_options(file_params.description)
    line = options.pop("line", 1)
    result, problems = html_to_nodes(
        file_params.content.removesuffix("\n"), line, {"well": well}, **options
    )
    file_params.assert_expected(shown(nodes.container("", *result), problems))


def test_unsafe_url() -> None:
    assert unsafe_url("java\nscript:x") and unsafe_url("DATA:image/png;base64,")
    assert not unsafe_url("https://example.org/javascript:") and not unsafe_url("/files/a.pdf")


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


# ---------------------------------------------------------------- the lone-tag shortcut

_TAG_NAME = st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,5}", fullmatch=True)
_ATTRIBUTE_NAME = st.from_regex(r"[a-zA-Z_:][-a-zA-Z0-9_:.]{0,5}", fullmatch=True)
_VALUE = st.text(alphabet=st.characters(blacklist_characters="\"'&<>"), max_size=8)
_GAP = st.sampled_from(["", " ", "\n"])


@st.composite
def lone_tags(draw: st.DrawFn) -> str:
    """A start tag with quoted attributes (or none), or an end tag."""
    if draw(st.booleans()):
        return "</" + draw(_TAG_NAME) + draw(_GAP) + ">"
    attributes = ""
    for _ in range(draw(st.integers(0, 3))):
        quote = draw(st.sampled_from(["", '"', "'"]))
        value = f"={quote}{draw(_VALUE)}{quote}" if quote else ""
        attributes += draw(st.sampled_from([" ", "  ", "\n", "\t"])) + draw(_ATTRIBUTE_NAME) + value
    return "<" + draw(_TAG_NAME) + attributes + draw(_GAP) + draw(st.sampled_from([">", "/>"]))


def tokenized(text: str, line: int) -> list[Event]:
    """The events of Python's HTML tokenizer, without the lone-tag shortcut."""
    tokenizer = _Tokenizer(line)
    tokenizer.feed(text)
    tokenizer.close()
    return tokenizer.events


@settings(max_examples=500, deadline=None)
@given(lone_tags(), st.text(max_size=12))
def test_lone_tags_give_the_tokenizers_events(tag: str, more: str) -> None:
    """A piece of HTML that is one tag skips the tokenizer, with the same event; a piece
    that is more than one tag (or another tag) goes through it."""
    assert tokens(tag, 7) == tokenized(tag, 7) == [_lone_tag(tag, 7)]
    for text in (tag + more, more, tag + "\n", tag + " \r\n\t"):
        assert tokens(text, 7) == tokenized(text, 7)


@pytest.mark.parametrize(
    "text",
    ['<a href="x&amp;y">', "<a href=x>", '<p\u2003x="1">', "<!-- c -->", "<a href='>'>", "<"],
)
def test_other_pieces_go_through_the_tokenizer(text: str) -> None:
    assert _lone_tag(text, 1) is None
    assert tokens(text, 1) == tokenized(text, 1)


# ---------------------------------------------------------------- the shortcuts of simple HTML


class _Recorded(HtmlToNodes):
    """The transform's conversions on a document of the test's own, its problems kept."""

    def _report(self, problems: list[Problem]) -> None:
        self.seen.extend((problem.line, problem.message) for problem in problems)


def _converted(holder: nodes.section, shortcuts: bool, step: str) -> tuple[str, list[Any]]:
    """``holder`` after the transform's ``step`` (``convert_blocks`` of it, or
    ``convert_inline`` of its text elements), with or without the shortcuts; and the
    problems reported."""
    document = new_document("test")
    document += holder
    transform = _Recorded(document)
    transform.shortcuts = shortcuts
    transform.seen = []
    transform.converter = Converter({"well": well})
    transform.events = {}
    raws = authored_html(document.findall(nodes.raw))
    transform.authored = {raw: text for raw, text, _ in raws}
    if step == "convert_blocks":
        # unguarded: a failure fails the test
        HtmlToNodes.convert_blocks.__wrapped__(transform, holder)  # type: ignore[attr-defined]
    else:
        parents = [raw.parent for raw, _, in_text in raws if in_text]
        for parent in [p for i, p in enumerate(parents) if p not in parents[:i]]:
            HtmlToNodes.convert_inline.__wrapped__(transform, parent)  # type: ignore[attr-defined]
    return holder.pformat(), transform.seen


def _raw(text: str, line: int = 3) -> nodes.raw:
    raw = nodes.raw("", text, format="html")
    raw.line = line
    return raw


#: Inline pieces: simple tags (the first ones), and tags the shortcut must leave to the
#: general path (removed attributes, voids, blocks, unknown elements, MyST's own marks).
_SIMPLE_INLINE_PIECES = [
    "<em>", "</em>", "<small>", "</small>", '<a href="https://example.org/">', "</a>",
    "<a>", '<span class="x  y" id="sid">', "</span>", "<b>", "</b>", "<i>", "</i>",
    '<abbr title="T">', "</abbr>", "<u>", "</u>", "<sup>", "</sup>", "<EM>", "<em >",
    "<code>", "</code>",
]  # fmt: skip
_OTHER_INLINE_PIECES = [
    '<a href="javascript:x()">', "<br>", '<img src="/x.png">', "<div>", "</div>",
    "<widget>", "</widget>", "</p>", '<em onclick="x()">', "<s>", "</s>",
]  # fmt: skip
_INLINE_PIECES = _SIMPLE_INLINE_PIECES + _OTHER_INLINE_PIECES
_WORDS = st.sampled_from(["word", " word ", "  ", "a\nb", " ", "x ", "\n"])


@st.composite
def _inline_children(draw: st.DrawFn) -> list[nodes.Node]:
    children: list[nodes.Node] = []
    pieces = st.sampled_from(draw(st.sampled_from([_SIMPLE_INLINE_PIECES, _INLINE_PIECES])))
    for _ in range(draw(st.integers(0, 9))):
        kind = draw(st.integers(0, 9))
        if kind < 5:
            children.append(_raw(draw(pieces)))
        elif kind < 8:
            children.append(nodes.Text(draw(_WORDS)))
        elif kind == 8:
            children.append(nodes.emphasis("", draw(_WORDS)))
        else:  # MyST's hard break: its two halves
            latex = nodes.raw("", "\\\\\n", format="latex")
            children += [_raw("<br />\n"), latex]
    return children


_SIMPLE_INLINE_TAGS = st.sampled_from(
    ["em", "small", 'a href="https://example.org/"', "a", 'span class="x" id="sid"', "b", "u"]
)


@st.composite
def _nested_inline(draw: st.DrawFn, depth: int = 0) -> list[nodes.Node]:
    """Inline tags closed in order around words (perhaps left open at the end)."""
    children: list[nodes.Node] = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(_SIMPLE_INLINE_TAGS)
            children += [_raw(f"<{tag}>"), *draw(_nested_inline(depth + 1))]
            children += [_raw(f"</{tag.split()[0]}>")] if draw(st.integers(0, 5)) else []
        else:
            children.append(nodes.Text(draw(_WORDS)))
    return children


@st.composite
def _changed(draw: st.DrawFn, children: list[nodes.Node], pieces: list[str]) -> list[nodes.Node]:
    """``children``, perhaps with one of them replaced by another piece of HTML."""
    if children and not draw(st.integers(0, 2)):
        at = draw(st.integers(0, len(children) - 1))
        children[at] = _raw(draw(st.sampled_from(pieces)))
    return children


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        _inline_children(), _nested_inline().flatmap(lambda c: _changed(c, _OTHER_INLINE_PIECES))
    ),
    st.sampled_from([nodes.paragraph, nodes.title]),
)
def test_the_inline_shortcut_gives_the_general_paths_nodes(
    children: list[nodes.Node], kind: type[nodes.TextElement]
) -> None:
    """A paragraph's (or title's) inline HTML converts to the same nodes and problems
    with the shortcut for simple HTML as without it."""

    def holder() -> nodes.section:
        return nodes.section("", kind("", "", *[child.deepcopy() for child in children]))

    assert _converted(holder(), True, "inline") == _converted(holder(), False, "inline")


#: Block pieces: container tags (the first ones), and pieces the shortcut must leave to
#: the general path.
_SIMPLE_BLOCK_PIECES = [
    '<div class="well">\n', "</div>\n", '<div class="row"><div class="col">\n',
    "</div></div>\n", '<section id="sid">\n', "</section>\n", "<!-- note -->\n",
    '<div id="sid" class="a b">\n', "  <div>\n", "<details>\n", "</details>\n",
    "</div>\n<div>\n",
]  # fmt: skip
_OTHER_BLOCK_PIECES = [
    "<blockquote>\n", "</blockquote>\n", '<div onclick="x()">\n', "<p>text</p>\n",
    "<div>words</div>\n", "<hr>\n", "<script>x()</script>\n", "</span>\n",
    '<section id="x" style="a" id="y">\n', '<div class="x" data-url="javascript:x">\n',
]  # fmt: skip
_BLOCK_PIECES = _SIMPLE_BLOCK_PIECES + _OTHER_BLOCK_PIECES


@st.composite
def _block_children(draw: st.DrawFn) -> list[nodes.Node]:
    children: list[nodes.Node] = []
    pieces = st.sampled_from(draw(st.sampled_from([_SIMPLE_BLOCK_PIECES, _BLOCK_PIECES])))
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 9))
        if kind < 5:
            children.append(_raw(draw(pieces), draw(st.integers(1, 9))))
        elif kind < 7:
            children.append(nodes.paragraph("", "Some text"))
        elif kind == 7:  # a paragraph with inline HTML, converted later
            children.append(nodes.paragraph("", "", nodes.Text("a "), _raw("<em>"), _raw("</em>")))
        elif kind == 8:
            children.append(nodes.section("", nodes.title("", "Heading"), nodes.paragraph("", "x")))
        else:
            children.append(draw(st.sampled_from([nodes.transition(), nodes.Text(" ")])))
    return children


@st.composite
def _nested_blocks(draw: st.DrawFn, depth: int = 0) -> list[nodes.Node]:
    """Containers closed in order around Markdown blocks."""
    children: list[nodes.Node] = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(st.sampled_from(['div class="well"', 'section id="sid"', "details"]))
            if not draw(st.integers(0, 5)):  # other blocks: lists, tables, frames, …
                tag = draw(st.sampled_from(["p", "ul", "li", "table", "td", "iframe", "form"]))
            children += [_raw(f"<{tag}>\n", 2), *draw(_nested_blocks(depth + 1))]
            children.append(_raw(f"</{tag.split()[0]}>\n", 5))
        elif depth and not draw(st.integers(0, 4)):  # HTML cannot span these
            children.append(draw(st.sampled_from([nodes.section(), nodes.transition()])))
        else:
            children.append(nodes.paragraph("", "", nodes.Text("a "), _raw("<em>"), _raw("</em>")))
    return children


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        _block_children(), _nested_blocks().flatmap(lambda c: _changed(c, _OTHER_BLOCK_PIECES))
    )
)
def test_the_block_shortcut_gives_the_general_paths_nodes(children: list[nodes.Node]) -> None:
    """A section's HTML blocks convert to the same nodes and problems with the shortcut
    for simple HTML as without it."""

    def holder() -> nodes.section:
        return nodes.section("", *[child.deepcopy() for child in children])

    shortcut = _converted(holder(), True, "convert_blocks")
    assert shortcut == _converted(holder(), False, "convert_blocks")


def test_the_shortcuts_read_a_well() -> None:
    """The well of a generated page (an HTML block around a paragraph of inline HTML)
    takes both shortcuts."""
    paragraph = nodes.paragraph(
        "",
        "",
        nodes.Text("From "),
        _raw("<em>"),
        nodes.Text("Book"),
        _raw("</em>"),
        _raw("<br />\n"),
        nodes.raw("", "\\\\\n", format="latex"),
        _raw("<small>"),
        _raw('<a href="https://example.org/">'),
        nodes.Text("credit"),
        _raw("</a>"),
        _raw("</small>"),
    )
    section = nodes.section("", _raw('<div class="well">\n'), paragraph, _raw("</div>\n"))
    document = new_document("test")
    document += section
    transform = HtmlToNodes(document)
    transform.events = {}
    transform.authored = {raw: text for raw, text, _ in authored_html(document.findall(nodes.raw))}
    simple = transform._simple_spans(list(section.children))
    assert simple is not None and simple[0] == {0: 3}
    assert transform._simple_line(list(paragraph.children)) is not None
    assert _converted(section, True, "convert_blocks")[0] == (
        '<section>\n    <well classes="well">\n' + paragraph.pformat("    ", 2)
    )
