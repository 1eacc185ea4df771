"""The header and the page's shape on hostile and real-world input (issues 13 and 17).

Line ends, huge lines and impossible dates in the header; templates that are theme
machinery; drafts and hidden pages; ``---``-fenced Pelican headers; HTML in ``Title``;
``excerpt_pandoc_args``; a body that repeats the title; ``[TOC]`` markers.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import run_build

from sphinx_excerpt.headings import heading_shift
from sphinx_excerpt.metadata import parse_header, source_lines


def text(el) -> str:
    return re.sub(r"\s+", " ", el.get_text(" ").replace("¶", "")).strip()


def main(result, name: str = "index.html"):
    return result.soup(name).select_one('[role="main"]')


def headings(result, name: str = "index.html") -> list[tuple[str, str]]:
    return [(h.name, text(h)) for h in main(result, name).find_all(["h1", "h2", "h3", "h4"])]


def located(result) -> list[str]:
    """Every warning line; each must name its file and line."""
    lines = result.warning_lines()
    for line in lines:
        assert re.search(r"\.md:\d+: (WARNING|ERROR)", line), line
    return lines


def project(tmp_path: Path, pages: dict[str, str], conf: str = "") -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(f'extensions = ["sphinx_excerpt"]\n{conf}', encoding="utf-8")
    for name, source in pages.items():
        (src / name).write_text(source, encoding="utf-8")
    return src


# ---------------------------------------------------------------- line ends


def test_header_lines_are_the_bodys_lines():
    """``\\n``, ``\\r\\n`` and ``\\r`` end a line; form feeds and U+2028 do not."""
    assert source_lines("a\r\nb\rc\nd\fe\u2028f\x85g") == ["a", "b", "c", "d\fe\u2028f\x85g"]
    header = parse_header("Title: A\u2028Date: x\u2028Slug: s\n\nBody line\n")
    assert header is not None and header.lines == 1
    assert header.value("title") == "A Date: x Slug: s"


@pytest.mark.parametrize(
    "source",
    [
        "Title: Formfeed\fDate: 2020-01-01",  # no final newline
        "Title: Formfeed\f\fDate: 2020-01-01\f",
        "Title: Formfeed\nDate: 2020-01-01\n\f\nBody sentinelword.",
        "\fTitle: Formfeed\n\nBody sentinelword.",
    ],
)
def test_form_feeds_in_the_header_never_crash(page, source):
    result = page(source)
    body = text(main(result))
    assert "Formfeed" in body
    if "Date" in source:
        assert "January 1, 2020" in body or "2020-01-01" in body
    assert "sentinelword" in body or "sentinelword" not in source
    assert "Traceback" not in result.warnings


def test_a_line_separator_in_the_header_loses_no_body_line(page):
    result = page("Title: A\u2028Date: x\u2028Slug: s\n\nBody sentinelline.\nSecond sentinel.\n")
    body = text(main(result))
    assert "Body sentinelline." in body and "Second sentinel." in body


def test_an_impossible_yaml_date_warns_as_plain_myst_does(page):
    result = page("---\ntitle: Yaml\ndate: 2020-02-30\n---\n\nBody sentinel.\n")
    assert "Body sentinel." in text(main(result))
    lines = result.warning_lines()
    assert len(lines) == 1 and "index.md:1:" in lines[0] and "Malformed YAML" in lines[0]


def _parse_time(line: str) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        parse_header(line)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "Title: a" + " " * n + "b\n\nBody\n",  # blanks inside the value
        lambda n: "Title: " + "word " * (n // 5) + "\n\nBody\n",  # blanks at its end
        lambda n: "Title: T\nTags: x\n    a" + " " * n + "b\n\nBody\n",  # a continuation
        lambda n: "Title" + "x" * n + "\n\nBody\n",  # a key with no colon
    ],
)
def test_a_huge_header_line_is_read_in_linear_time(make):
    small, large = _parse_time(make(100_000)), _parse_time(make(1_000_000))
    # the quadratic patterns took 68 s on a 100 KB line; this is milliseconds for 1 MB
    assert large < 1.0
    # 10 × the input: a quadratic reading takes 100 × the time, this one about 10 × (up
    # to 5 × more on a busy machine, where a 1 MB line no longer fits the CPU's caches)
    assert large < 60 * max(small, 1e-4)


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    "template", ["layout", "page", "search", "genindex", "domainindex", "localtoc", "relations"]
)
def test_theme_machinery_is_not_a_layout(page, template):
    result = page(f"Title: T\nDate: 2020-01-01\nTemplate: {template}\n\nBody sentinel.\n")
    assert "Body sentinel." in text(main(result))
    lines = located(result)
    assert len(lines) == 1
    assert "index.md:3:" in lines[0] and "[excerpt.metadata]" in lines[0]
    assert f"'{template}.html' is the theme's, not a page layout" in lines[0]


def test_unknown_template_warns_at_its_line(page):
    result = page("Title: T\nTemplate: nosuchlayout\n\nBody sentinel.\n")
    lines = located(result)
    assert len(lines) == 1 and "index.md:2:" in lines[0]
    assert "no template 'nosuchlayout.html'" in lines[0]


def test_a_template_without_the_body_is_refused(tmp_path):
    src = project(
        tmp_path,
        {
            "index.md": "Title: T\nTemplate: bare\n\nBody sentinel.\n",
            "other.md": "Title: U\nTemplate: mine\nStatus: hidden\n\nOther sentinel.\n",
        },
        'templates_path = ["_templates"]\n',
    )
    (src / "_templates").mkdir()
    (src / "_templates" / "bare.html").write_text('{% extends "!layout.html" %}')
    (src / "_templates" / "mine.html").write_text(
        '{% extends "page.html" %}{% block relbar1 %}<p id="mine">mine</p>{% endblock %}'
    )
    result = run_build(src)
    assert "Body sentinel." in text(main(result))
    lines = located(result)
    assert len(lines) == 1 and "index.md:2:" in lines[0]
    assert "'bare.html' does not show the page's body" in lines[0]
    other = result.soup("other.html")
    assert other.select_one("#mine") is not None
    assert "Other sentinel." in text(other)


def test_page_no_title_is_the_theme_page(page):
    result = page("Title: T\nTemplate: page-no-title\n\nBody sentinel.\n")
    assert result.warning_lines() == []
    assert headings(result) == [("h1", "T")]


# ---------------------------------------------------------------- drafts and hidden pages


def _status_project(tmp_path: Path, conf: str = "") -> Path:
    return project(
        tmp_path,
        {
            "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   *\n",
            "draft.md": "Title: Draft Page\nStatus: draft\n\nDraft sentinel.\n",
            "hidden.md": "Title: Hidden Page\nStatus: Hidden\n\nHidden sentinel.\n",
            "shown.md": "Title: Shown Page\nStatus: published\n\nShown sentinel.\n",
        },
        conf,
    )


def _verbose_build(src: Path, **overrides) -> tuple[str, str]:
    result = run_build(src, outdir=src.parent / "_verbose", verbosity=1, **overrides)
    return result.app.status.getvalue(), result.warnings


def test_drafts_are_not_published_and_hidden_pages_not_listed(tmp_path):
    result = run_build(_status_project(tmp_path))
    assert not (result.outdir / "draft.html").exists()
    assert "Hidden sentinel." in text(main(result, "hidden.html"))
    assert "Shown sentinel." in text(main(result, "shown.html"))
    listed = [text(a) for a in result.soup("index.html").select(".toctree-wrapper a")]
    assert listed == ["Shown Page"]
    assert "Draft sentinel" not in result.read("searchindex.js")
    assert result.warning_lines() == []  # no "not included in any toctree" for the hidden page


def test_a_draft_is_named_at_verbose(tmp_path):
    status, warnings = _verbose_build(_status_project(tmp_path))
    assert "draft.md is a draft (Status: draft), not published" in status
    assert "WARNING" not in warnings


def test_drafts_are_published_when_asked(tmp_path):
    result = run_build(_status_project(tmp_path), excerpt_publish_drafts=True)
    assert "Draft sentinel." in text(main(result, "draft.html"))
    listed = [text(a) for a in result.soup("index.html").select(".toctree-wrapper a")]
    assert listed == ["Draft Page", "Shown Page"]


def test_a_draft_root_document_is_built(page):
    result = page("Title: Root\nStatus: draft\n\nRoot sentinel.\n")
    assert "Root sentinel." in text(main(result))


def test_a_page_made_hidden_leaves_the_toctree_on_an_incremental_build(tmp_path):
    src = _status_project(tmp_path)
    out = tmp_path / "out"
    run_build(src, outdir=out)
    (src / "shown.md").write_text("Title: Shown Page\nStatus: hidden\n\nShown sentinel.\n")
    again = run_build(src, outdir=out, freshenv=False)
    assert [text(a) for a in again.soup("index.html").select(".toctree-wrapper a")] == []
    assert again.warning_lines() == []


# ---------------------------------------------------------------- a ---fenced Pelican header


def test_a_fenced_pelican_header_keeps_its_title(page):
    result = page(
        "---\nTitle: Fenced Title\nDate: 2020-02-30\nSummary: s\n---\n\n# A Body Heading\n\nBody.\n"
    )
    assert headings(result) == [("h1", "Fenced Title"), ("h1", "A Body Heading")]
    assert "Title:" not in text(main(result))
    lines = located(result)  # the impossible date is Pelican's text, not YAML's problem
    assert len(lines) == 1 and "index.md:3:" in lines[0] and "'date'" in lines[0]
    assert result.app.env.metadata["index"]["summary"] == "s"


def test_lower_case_keys_in_fences_are_yaml_front_matter(page):
    result = page("---\ntitle: Meta title\n---\n\n# Written heading\n\nBody.\n")
    assert headings(result) == [("h1", "Written heading")]


# ---------------------------------------------------------------- HTML in the Title

LONG_WALK = "Title: The <em>Long</em> Walk\nDate: 2020-01-01\n\n## First\n\nBody.\n"


def test_html_in_the_title_is_markup_in_the_heading_and_text_elsewhere(tmp_path):
    src = project(
        tmp_path,
        {
            "index.rst": "Home\n====\n\n.. toctree::\n\n   walk\n",
            "walk.md": LONG_WALK,
        },
    )
    result = run_build(src)
    soup = result.soup("walk.html")
    h1 = soup.select_one('[role="main"] h1')
    assert text(h1) == "The Long Walk" and text(h1.find("em")) == "Long"
    assert soup.title.get_text().startswith("The Long Walk")
    assert "<em>" not in soup.title.get_text() and "&lt;" not in str(soup.title)
    toc = result.soup("index.html").select_one(".toctree-wrapper a")
    assert text(toc) == "The Long Walk" and toc.find("em") is None
    assert result.app.env.metadata["walk"]["title"] == "The <em>Long</em> Walk"
    assert "<em>" not in result.read("walk.html").split("<body")[0].replace("&lt;", "")
    assert result.warning_lines() == []
    out = run_build(src, "text").read("walk.txt")
    assert "<em>" not in out and "Long" in out


def test_the_pdf_title_of_an_html_title_is_plain_text(page):
    """``\\title`` is also the PDF's metadata (hyperref's ``pdftitle``)."""
    result = page("Title: The <em>Long</em> &amp; Winding Walk\n\n## One\n\nText.\n", "latex")
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert r"\title{The Long \& Winding Walk}" in tex
    assert "<em>" not in tex and "amp;" not in tex


def test_only_harmless_markup_survives_in_a_title(page):
    result = page(
        'Title: A <a href="javascript:x()">link</a> <img src=x onerror=y> '
        "<b onclick=z>bold</b><script>alert(1)</script> &amp; more\n\nBody.\n"
    )
    h1 = main(result).find("h1")
    assert text(h1) == "A link bold & more"
    assert h1.find("strong").attrs == {}
    assert h1.find(["a", "img", "script"], href=lambda v: v != "#a-link-bold-more") is None
    assert "alert" not in result.read("index.html")
    lines = located(result)
    assert len(lines) == 1 and "index.md:1:" in lines[0]
    assert "<a>, <img>, <script>" in lines[0]


def test_a_title_of_only_unsafe_markup_falls_back_to_the_file_name(page):
    result = page("Title: <img src=x onerror=y>\n\nBody.\n")
    assert headings(result) == [("h1", "Index")]
    lines = located(result)
    assert len(lines) == 1 and "index.md:1:" in lines[0] and "<img>" in lines[0]


# ---------------------------------------------------------------- excerpt_pandoc_args

SHIFTED = "Title: Shifted Page\n\n# One\n\nText one.\n\n## One A\n\nText.\n\n# Two\n\nText two.\n"


@pytest.mark.parametrize(
    ("args", "shift"),
    [
        ([], 0),
        (["--base-header-level=2"], 1),
        (["--base-header-level", "3"], 2),
        (["--shift-heading-level-by=1", "--mathjax"], 1),
        (["--shift-heading-level-by", "-1"], -1),
    ],
)
def test_pandoc_args_heading_shift(args, shift):
    assert heading_shift(tuple(args)) == (shift, ())


def test_unreadable_pandoc_args_warn(page):
    result = page(SHIFTED, excerpt_pandoc_args=["--base-header-level=two"])
    assert "excerpt_pandoc_args: --base-header-level needs a whole number" in result.warnings
    assert "[config]" in result.warnings


def test_base_header_level_nests_the_body_under_the_title(tmp_path):
    src = project(
        tmp_path,
        {"index.rst": "Home\n====\n\n.. toctree::\n\n   shifted\n", "shifted.md": SHIFTED},
        'excerpt_pandoc_args = ["--base-header-level=2"]\n',
    )
    result = run_build(src)
    assert headings(result, "shifted.html") == [
        ("h1", "Shifted Page"),
        ("h2", "One"),
        ("h3", "One A"),
        ("h2", "Two"),
    ]
    top = result.soup("index.html").select(".toctree-wrapper > ul > li")
    assert [text(li.find("a")) for li in top] == ["Shifted Page"]
    assert result.warning_lines() == []
    assert result.app.env.titles["shifted"].astext() == "Shifted Page"


def test_without_pandoc_args_body_h1s_stay_h1s(page):
    result = page(SHIFTED)
    assert [h for h in headings(result) if h[0] == "h1"] == [
        ("h1", "Shifted Page"),
        ("h1", "One"),
        ("h1", "Two"),
    ]


def test_a_negative_shift_makes_h1s_paragraphs(page):
    result = page(SHIFTED, excerpt_pandoc_args=["--shift-heading-level-by=-1"])
    assert headings(result) == [("h1", "Shifted Page"), ("h1", "One A")]
    body = text(main(result))
    assert "One" in body and "Two" in body and "Text two." in body


# ---------------------------------------------------------------- the title once


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("# The Long Walk\n\nBody.\n", "The Long Walk"),
        ("## The *Long* Walk\n\nBody.\n", "The Long Walk"),
        ("The Long Walk\n=============\n\nBody.\n", "The Long Walk"),
        ("# the long walk\n\nBody.\n", "the long walk"),
    ],
)
def test_a_body_that_opens_with_the_title_shows_it_once(page, body, shown):
    result = page(f"Title: The <em>Long</em> Walk\nTemplate: page-no-title\n\n{body}")
    assert headings(result) == [("h1", shown)]
    assert "Body." in text(main(result))
    assert result.warning_lines() == []


def test_the_title_once_with_base_header_level(page):
    result = page(
        "Title: Walk\n\n# Walk\n\nIntro.\n\n# Later\n\nText.\n",
        excerpt_pandoc_args=["--base-header-level=2"],
    )
    assert headings(result) == [("h1", "Walk"), ("h2", "Later")]


def test_a_different_opening_heading_is_kept(page):
    result = page("Title: Walk\n\n# Not the title\n\nText.\n")
    assert headings(result) == [("h1", "Walk"), ("h1", "Not the title")]


# ---------------------------------------------------------------- [TOC]

TOC_PAGE = (
    "Title: Contents Page\n\nIntro.\n\n[TOC]\n\n## Alpha\n\nA.\n\n### Beta\n\nB.\n\n"
    "## Gamma\n\nG.\n"
)


def test_a_toc_marker_is_the_contents_list(page):
    result = page(TOC_PAGE)
    body = main(result)
    assert "[TOC]" not in text(body)
    nav = body.select("nav.excerpt-contents")
    assert len(nav) == 1
    assert [text(a) for a in nav[0].find_all("a")] == ["Alpha", "Beta", "Gamma"]
    # where the marker was: after the intro, before the first section
    assert text(nav[0].find_previous("p", class_=False)) == "Intro."
    assert result.warning_lines() == []
    out = page(TOC_PAGE, "text").read("index.txt")
    assert "[TOC]" not in out and "Alpha" in out


def test_a_toc_marker_with_the_excerpt_layout_is_one_list(page):
    result = page(TOC_PAGE.replace("\n\nIntro.", "\nTemplate: excerpt\n\nIntro."))
    assert len(main(result).select("nav.excerpt-contents")) == 1


def test_toc_as_a_link_reference_is_a_link(page):
    result = page(TOC_PAGE + "\n[TOC]: https://example.org/toc\n")
    assert main(result).select("nav.excerpt-contents") == []
    assert main(result).find("a", href="https://example.org/toc") is not None


def test_toc_in_a_sentence_is_text(page):
    result = page("Title: T\n\nSee [TOC] here.\n\n## A\n\nx\n")
    assert "See [TOC] here." in text(main(result))
    assert main(result).select("nav.excerpt-contents") == []


# ---------------------------------------------------------------- every warning has its place


def test_every_header_warning_has_file_and_line(page):
    result = page(
        "Title: The <blink>T</blink>\nDate: someday\nTags:\nTitle: again\n"
        "Template: search\nSlug: ../x\n\nBody.\n"
    )
    lines = located(result)
    assert sorted(int(re.search(r"index\.md:(\d+):", w)[1]) for w in lines) == [1, 2, 3, 4, 5, 6]


# ---------------------------------------------------------------- the PDF's structure


@pytest.mark.pdf
def test_pdf_chapters_follow_the_title_and_base_header_level(tmp_path):
    """One chapter for the page, its body headings sections in it; the title's HTML is
    markup in the chapter heading and plain text in the PDF's outline."""
    import pdfplumber
    from conftest import latexpdf

    src = project(
        tmp_path,
        {
            "index.rst": "Home\n====\n\n.. toctree::\n\n   walk\n",
            "walk.md": LONG_WALK.split("\n")[0] + "\n\n# One\n\nText one.\n\n# Two\n\nText two.\n",
        },
        'project = "Walks"\nexcerpt_pandoc_args = ["--base-header-level=2"]\n',
    )
    proc, latex = latexpdf(src)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    tex = (latex / "walks.tex").read_text(encoding="utf-8")
    assert len(re.findall(r"\\chapter\{", tex)) == 1
    assert re.search(r"\\chapter\{The \\sphinxstyleemphasis\{Long\} Walk\}", tex)
    assert len(re.findall(r"\\section\{(One|Two)\}", tex)) == 2
    assert "<em>" not in tex
    with pdfplumber.open(latex / "walks.pdf") as pdf:
        outline = [(level, title) for level, title, *_ in pdf.doc.get_outlines()]
        words = " ".join(p.extract_text() or "" for p in pdf.pages)
    assert outline == [(1, "The Long Walk"), (2, "One"), (2, "Two")]
    assert "<em>" not in words and "Texttwo." in re.sub(r"\s+", "", words)
