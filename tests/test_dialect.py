"""The Pandoc constructs of excerpt pages, as a reader gets them, and their rules failing soft.

What the oracle (tests/test_oracle.py) cannot see is checked here: ids and links that
resolve across pages, the PDF (real math, internal links), plain MyST pages left as
they were, and a rule that raises.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import latexpdf, run_build
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from myst_parser.config.main import MdParserConfig

from sphinx_excerpt.dialect import attributes, links, notes
from sphinx_excerpt.dialect.attributes import auto_identifier
from sphinx_excerpt.dialect.extensions import _CACHE as extension_cache
from sphinx_excerpt.dialect.extensions import enabled_extensions
from sphinx_excerpt.dialect.guard import optimistic
from sphinx_excerpt.parser import excerpt_config, excerpt_parser

ROOT = Path(__file__).resolve().parent.parent

HEADER = "Title: A Page\nDate: 2020-01-01\n\n"


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("tl;dr", "tldr"),
        ("Heading identifiers in HTML", "heading-identifiers-in-html"),
        ("Maître d'hôtel", "maître-dhôtel"),
        ("*Dogs*?--in *my* house?", "dogs--in-my-house"),
        ("[HTML], [S5], or [RTF]?", "html-s5-or-rtf"),
        ("3. Applications", "applications"),
        ("33", "section"),
        ("Notes_on.names  here", "notes_on.names-here"),
    ],
)
def test_auto_identifiers_are_pandocs(text: str, ident: str) -> None:
    # the examples of Pandoc's manual, section "Extension: auto_identifiers"
    assert auto_identifier(text.replace("*", "").replace("[", "").replace("]", "")) == ident


def test_heading_keeps_its_sphinx_id_and_gets_pandocs(page) -> None:
    built = page(
        HEADER + "## tl;dr\n\nText.\n\n## Heading {#mac .wide}\n\n## Heading\n\n"
        "[a](#tldr) [b](#mac) [c](#heading) [d](#tl-dr)\n"
    )
    soup = built.soup("index.html")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    assert {"tldr", "tl-dr", "mac", "heading"} <= ids
    assert soup.select_one("section.wide") is not None
    hrefs = [a["href"] for a in soup.select("div.body p a")]
    assert all(h.lstrip("#") in ids for h in hrefs), hrefs
    assert "{#" not in soup.get_text()
    assert built.warning_lines() == []


def test_a_heading_with_the_titles_words_keeps_pandocs_id(page) -> None:
    # Pandoc never sees the title (Pelican's metadata): the first "## A Page" is ``a-page``
    # (after an opening paragraph: a body that opens with the title's words is the title)
    built = page(
        HEADER + "Opening.\n\n## A Page\n\nText.\n\n## A Page\n\n[x](#a-page) [y](#a-page-1)\n"
    )
    soup = built.soup("index.html")
    first, second = soup.select("div.body section section")
    hrefs = [a["href"] for a in soup.select("div.body p a")]
    assert hrefs == [f"#{first['id']}", f"#{second['id']}"]
    assert built.warning_lines() == []


def test_links_between_pages_resolve(tmp_path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    (src / "index.md").write_text(
        HEADER + "```{toctree}\nother\n```\n\n"
        "See [the other page]({filename}other.md), its [short answer](|filename|other.md#tldr)"
        " and [its file]({static}/other.md).\n"
    )
    (src / "other.md").write_text("Title: Other\nDate: 2020-01-01\n\n## tl;dr\n\nShort.\n")
    built = run_build(src)
    hrefs = [a["href"] for a in built.soup("index.html").select("div.body p a")]
    assert hrefs[:2] == ["other.html", "other.html#tl-dr"]
    assert built.warning_lines() == []


def test_reference_definition_attributes_reach_the_image(page) -> None:
    built = page(
        HEADER + "[![Thumb][2]][1]\n\n[1]: https://example.org/r.pdf\n"
        '[2]: /x.png "Download PDF" {.center-block .img-thumbnail}\n'
    )
    link = built.soup("index.html").select_one("div.body a.reference.external")
    assert link["href"] == "https://example.org/r.pdf"
    assert link.img["class"] == ["center-block", "img-thumbnail"]
    assert "{." not in built.soup("index.html").select_one("div.body").get_text()


def test_a_label_defined_twice_is_the_last_definitions(page) -> None:
    # Pandoc's rule (CommonMark's is the first); MyST warns about the repeat, as Pandoc does
    built = page(
        HEADER + "![a][p] and [b][q]\n\n[p]: /one.png {.x}\n\n[p]: /two.png {.y}\n\n"
        "[q]: https://example.org/one\n\n[q]: https://example.org/two\n"
    )
    body = built.soup("index.html").select_one("div.body")
    assert body.img["src"].endswith("two.png") and body.img["class"] == ["y"]
    assert body.select_one("a.reference.external")["href"] == "https://example.org/two"
    assert [w for w in built.warning_lines() if "Duplicate reference definition" in w] != []


def test_plain_myst_pages_are_left_alone(page) -> None:
    # no Pelican header: MyST's own parser and configuration, no dollar math
    built = page("# Plain\n\nIt costs $5 and $x$ here ^[not a note].\n")
    text = built.soup("index.html").select_one("div.body").get_text()
    assert "$x$" in text and "^[not a note]" in text


def test_strikeout_and_scripts_reach_every_builder(page) -> None:
    source = HEADER + "H~2~O, 2^10^ and ~~struck~~ words^[a note].\n"
    html = page(source).soup("index.html").select_one("div.body")
    assert html.sub.text == "2" and html.sup.text == "10"
    assert html.select_one("span.strike").text == "struck"
    text = page(source, "text").read("index.txt")
    assert "struck" in text and "a note" in text


def failing(*args: object) -> bool:
    raise RuntimeError("made to fail")


@pytest.mark.parametrize(
    ("module", "name", "source", "line", "kept"),
    [
        (notes, "inline_note", "Words^[a note] here.\n", None, "^[a note]"),
        (
            links,
            "reference_with_attributes",
            "[x][1]\n\n[1]: /a.png {.c}\n",
            HEADER.count("\n") + 1,  # the first line it is tried on: "[x][1]"
            "[1]: /a.png {.c}",
        ),
        (attributes, "heading_attributes", "## Part {#p}\n", None, "Part {#p}"),
    ],
)
def test_a_failing_rule_is_no_match_and_one_warning(
    page, monkeypatch, module, name, source, line, kept
) -> None:
    monkeypatch.setattr(module, name, failing)
    built = page(HEADER + source)
    warnings = [w for w in built.warning_lines() if "[excerpt.internal]" in w]
    assert len(warnings) == 1, built.warnings
    assert "made to fail" in warnings[0] and "bug" in warnings[0]
    if line is not None:  # a block rule knows its line (that of its first failure)
        assert f"index.md:{line}:" in warnings[0]
    assert "Traceback" not in built.warnings
    assert kept in " ".join(built.soup("index.html").select_one("div.body").get_text().split())
    quiet = page(HEADER + source, suppress_warnings=["excerpt.internal"])
    assert "[excerpt.internal]" not in quiet.warnings


@pytest.mark.pdf
def test_pdf_has_real_math_and_internal_links(tmp_path) -> None:
    import pdfplumber

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    (src / "index.md").write_text(
        HEADER
        + "## tl;dr\n\nThe area is $\\pi r^2$ and\n\n$$\nE\n=\nmc^2\n$$\n\n"
        + "Filler text. " * 400
        + "\n\n## Later\n\nBack to [the summary](#tldr), H~2~O and ~~struck~~ 2^10^.\n"
    )
    proc, latexdir = latexpdf(src)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    tex = next(latexdir.glob("*.tex")).read_text()
    assert "\\(\\pi r^2\\)" in tex and "\\begin{equation*}" in tex
    assert re.search(r"\\hyperref\[\\detokenize\{index:tl-dr\}\]", tex), "internal link"
    with pdfplumber.open(next(latexdir.glob("*.pdf"))) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        internal = [a for p in pdf.pages for a in p.annots if not a.get("uri")]
    assert "struck" in text and "$$" not in text and "{#" not in text
    assert internal, "the link to #tldr is an internal link in the PDF"


def test_a_page_with_myst_options_of_its_own_has_a_parser_of_its_own(tmp_path) -> None:
    """The parsers of a build are kept from page to page; a page whose front matter sets
    MyST options is parsed with them, and the pages after it without them."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_excerpt"]\nmyst_enable_extensions = ["substitution"]\n'
    )
    front = '---\ntitle: {}\nmyst:\n  substitutions:\n    keeper: "Ada"\n---\n\n'
    (srcdir / "a.md").write_text(front.format("One") + "{{ keeper }} sailed $x$.\n")
    (srcdir / "b.md").write_text("---\ntitle: Two\n---\n\nNobody sailed $y$.\n")
    (srcdir / "c.md").write_text(front.format("Three") + "{{ keeper }} rowed $z$.\n")
    (srcdir / "index.md").write_text("# Home\n\n```{toctree}\na\nb\nc\n```\n")
    built = run_build(srcdir)
    for name, words in (("a", "Ada sailed"), ("b", "Nobody sailed"), ("c", "Ada rowed")):
        body = built.soup(f"{name}.html").select_one("div.body")
        assert words in " ".join(body.get_text().split()), name
        assert body.select_one(".math") is not None, name  # the dialect's dollar math
    assert not [w for w in built.warning_lines() if "excerpt" in w], built.warnings


# ---------------------------------------------------------------- fused rules


#: Every character a dialect rule starts with, and some that none does: the fused rules
#: of a fast parser dispatch on them.
ALPHABET = "Tt:|$[]!^@{}<>-=+*_~`#\\() \n.aZ1é"


def parser_pair(extensions: str = "") -> tuple[MarkdownIt, MarkdownIt]:
    """A fast parser (its rules unguarded, runs of them fused) and a careful one."""
    config = excerpt_config(MdParserConfig())
    fast, careful = excerpt_parser(config), excerpt_parser(config)
    optimistic(fast)
    if extensions:
        for md in (fast, careful):
            md.options[extension_cache] = enabled_extensions(extensions)
    return fast, careful


def same_tokens(fast: MarkdownIt, careful: MarkdownIt, text: str) -> None:
    def tokens(md: MarkdownIt) -> list[dict[str, Any]]:
        return [token.as_dict() for token in md.parse(text, {})]

    assert tokens(fast) == tokens(careful)


def test_fused_rules_are_the_rules_they_stand_for() -> None:
    """The fast parser's chains hold fused rules, and make every corpus page's tokens."""
    fast, careful = parser_pair()
    fused = [
        [
            rule
            for rule in ruler.getRules("")
            if getattr(rule, "__qualname__", "").endswith("_run.<locals>.fused")
        ]
        for ruler in (fast.block.ruler, fast.inline.ruler)
    ]
    # the dialect's block rules are one run (before ``code``: a call per block start);
    # one run of inline rules at least
    assert len(fused[0]) == 1
    assert len(fused[1]) >= 1
    pages = sorted((ROOT / "tests" / "corpus" / "dialect").glob("*.md"))
    assert len(pages) >= 40
    for page in [*pages, ROOT / "tests" / "roots" / "test-guard" / "index.md"]:
        same_tokens(fast, careful, page.read_text(encoding="utf-8"))


def test_footnote_definition_with_braces_stays_a_footnote() -> None:
    """The reference definitions with attributes come before markdown-it's footnote
    definitions (see ``BLOCK_ANCHOR``): ``[^1]: /note {.x}`` is still a footnote's."""
    for md in parser_pair():
        env: dict[str, Any] = {}
        types = [token.type for token in md.parse("A[^1].\n\n[^1]: /note {.x}\n", env)]
        assert "footnote_reference_open" in types
        assert "^1" not in env.get("references", {})


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=200))
def test_fused_rules_make_the_same_tokens_on_any_text(text: str) -> None:
    same_tokens(*PAIRS[0], text)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=200))
def test_fused_rules_follow_the_extensions_switched_off(text: str) -> None:
    """With extensions off, their rules leave the chains, and the runs are fused again."""
    same_tokens(*PAIRS[1], text)


PAIRS = [parser_pair(), parser_pair("-fenced_divs-line_blocks-citations-raw_html")]
