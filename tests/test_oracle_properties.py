"""Random pages composed from the dialect's constructs read as Pandoc's HTML reads.

Hypothesis composes a page of headings (with and without attributes), paragraphs of
inline constructs (emphasis, math, notes, scripts, strikeout, spans, links, links to
headings), display math, definition lists, quotes, code and images (inline, with
attributes, or through reference definitions with attributes); each page is built by
Sphinx and by pandoc and compared by :mod:`oracle`, as the corpus pages are.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from oracle import compare, pandoc_html
from test_oracle import build_corpus, require_pandoc

from sphinx_excerpt.dialect.attributes import auto_identifier

WORDS = ["harbour", "keeper", "light", "tide", "storm", "ledger", "boat", "coast", "lamp"]
IMAGES = ["lighthouse.png", "harbour-boat.png", "keepers-cottage.png"]
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
name = st.sampled_from(WORDS)

inline = st.one_of(
    words,
    words.map(lambda w: f"*{w}*"),
    words.map(lambda w: f"**{w}**"),
    name.map(lambda w: f"${w[0]}^2 + {w[1]}$"),
    name.map(lambda w: f"{w}^2^"),
    name.map(lambda w: f"{w}~1~"),
    words.map(lambda w: f"~~{w}~~"),
    words.map(lambda w: f"{WORDS[0]}^[A note on {w}.]"),
    name.map(lambda w: f"{WORDS[1]}^[A note with ${w[0]}$ in it.]"),
    words.map(lambda w: f"[{w}]{{.smallcaps}}"),
    st.tuples(words, name).map(lambda p: f"[{p[0]}](https://example.org/{p[1]})"),
)
paragraph = st.lists(inline, min_size=1, max_size=6).map(lambda parts: " ".join(parts) + ".")


#: What headings hold besides words: Pandoc drops it from identifiers ("tl;dr" is tldr).
PUNCTUATION = ["", ";", "?", ":", " 2.", "_x", ".v"]


@st.composite
def heading(draw: st.DrawFn, tag: str) -> tuple[str, str]:
    text = draw(words).capitalize() + draw(st.sampled_from(PUNCTUATION))
    form = draw(st.sampled_from(["plain", "id", "class"]))
    if form == "id":
        ident = f"{draw(name)}-{tag}"  # unique: an id written twice warns
        return f"## {text} {{#{ident}}}", ident
    suffix = " {.wide}" if form == "class" else ""
    return f"## {text}{suffix}", auto_identifier(text)


@st.composite
def image(draw: st.DrawFn, tag: str) -> str:
    file, alt = draw(st.sampled_from(IMAGES)), draw(words)
    form = draw(st.sampled_from(["inline", "attrs", "reference"]))
    if form == "inline":
        return f"A picture ![{alt}](/files/images/{file}) in the text."
    if form == "attrs":
        return f"Then ![{alt}](/files/images/{file}){{.img-thumbnail width=40%}} here."
    label = f"{draw(name)}-{tag}"  # unique: a label defined twice warns
    return f'See ![{alt}][{label}] here.\n\n[{label}]: /files/images/{file} "{alt}" {{.img-fluid}}'


def block(tag: str) -> st.SearchStrategy[str]:
    """One block; ``tag`` makes its identifiers and labels unique on the page."""
    return st.one_of(
        paragraph,
        paragraph.map(lambda p: f"> {p}"),
        st.tuples(name, name).map(lambda p: f"$$\n{p[0][0]}\n=\n{p[1][0]}\n$$"),
        st.tuples(words, paragraph).map(lambda p: f"{p[0].capitalize()}\n:   {p[1]}"),
        words.map(lambda w: f"```\n{w}\n```"),
        image(tag),
    )


@st.composite
def page(draw: st.DrawFn) -> str:
    parts, anchors = [], []
    for i in range(draw(st.integers(1, 3))):
        text, ident = draw(heading(str(i)))
        anchors.append(ident)
        parts.append(text)
        parts += [draw(block(f"{i}x{j}")) for j in range(draw(st.integers(1, 3)))]
    parts.append(" ".join(f"[to {i}](#{ident})" for i, ident in enumerate(anchors)) + ".")
    body = "\n\n".join(parts)
    return f"Title: Composed page\nDate: 2020-01-01\n\n{body}\n"


COUNTER = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("composed")


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: a build each
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=page())
def test_composed_pages_at_pandoc_parity(workdir: Path, source: str) -> None:
    require_pandoc()
    built = build_corpus(workdir / f"p{next(COUNTER)}", {"page": source})
    result = compare(built.read("page.html"), pandoc_html(source))
    assert result.at_parity(), f"{result.explain()}\n--- page:\n{source}"
    assert [w for w in built.warning_lines() if "page.md" in w] == [], source
