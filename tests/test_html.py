"""The HTML reader and converter on strings: each element, malformed and unsafe HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_excerpt.html import (
    Event,
    Problem,
    _lone_tag,
    _Tokenizer,
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
