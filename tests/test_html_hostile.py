"""The HTML converter on hostile, malformed and huge input, and on HTML that is not the
author's: deep nesting, nested tables, unclosed blocks and comments, layouts spanning
Markdown blocks, form controls and unknown elements, ids, video embeds, MyST's own
raw HTML. Converter cases run on strings; probe pages are built with every builder.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import run_build
from docutils import nodes

from sphinx_excerpt.embeds import allowed_embed
from sphinx_excerpt.html import MAX_DEPTH, html_to_nodes
from sphinx_excerpt.nodes import well


def convert(text: str, line: int = 1, **options) -> tuple[nodes.Element, list]:
    result, problems = html_to_nodes(text, line, {"well": well}, **options)
    return nodes.container("", *result), problems


def depth(node: nodes.Node) -> int:
    deepest, level = 0, [(node, 0)]
    while level:
        current, at = level.pop()
        deepest = max(deepest, at)
        level += [(child, at + 1) for child in getattr(current, "children", [])]
    return deepest


# ---------------------------------------------------------------- converter cases
# (HTML in, nodes and problems out: tests/fixtures/html_to_nodes.md, run by test_html.py)


@pytest.mark.parametrize("count", [MAX_DEPTH + 1, 200, 5000])
def test_deep_divs_are_flattened_past_the_limit_with_one_problem(count: int) -> None:
    holder, problems = convert("<div>" * count + "deep" + "</div>" * count + "<p>after</p>")
    assert holder.astext() == "deep\n\nafter"
    assert depth(holder) <= MAX_DEPTH + 3
    assert [p.message.split(":")[0] for p in problems] == [
        f"HTML nested more than {MAX_DEPTH} elements deep"
    ]


def test_deep_inline_tags_are_flattened_and_keep_every_word() -> None:
    holder, problems = convert("<p>" + "<b><i>" * 1500 + "core" + "</i></b>" * 1500 + " tail</p>")
    assert holder.astext() == "core tail"
    assert len(problems) == 1 and depth(holder) <= MAX_DEPTH + 3


def test_flattened_blocks_still_start_new_lines() -> None:
    inner = "<div>one</div><div>two</div>"
    holder, _ = convert("<div>" * MAX_DEPTH + inner + "</div>" * MAX_DEPTH)
    assert [p.astext() for p in holder.findall(nodes.paragraph)] == ["one", "two"]


def test_nesting_below_the_limit_is_kept() -> None:
    holder, problems = convert("<div>" * (MAX_DEPTH - 1) + "x" + "</div>" * (MAX_DEPTH - 1))
    assert len(list(holder.findall(nodes.container))) == MAX_DEPTH and not problems


@pytest.mark.parametrize(
    ("src", "allowed"),
    [
        ("https://www.youtube.com/embed/abc", True),
        ("https://www.youtube-nocookie.com/embed/abc", True),
        ("https://player.vimeo.com/video/1", True),
        ("//www.youtube.com/embed/abc", True),
        ("https://youtube.com.evil.example/embed", False),
        ("https://evilyoutube.com/embed", False),
        ("http://www.youtube.com/embed/abc", False),
        ("javascript:alert(1)", False),
        ("/local/page.html", False),
    ],
)
def test_allowed_embed(src: str, allowed: bool) -> None:
    assert allowed_embed(src, ["youtube.com", "youtube-nocookie.com", "vimeo.com"]) is allowed


# ---------------------------------------------------------------- probe pages, every builder

BUILDERS = ["html", "dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo",
            "gettext", "xml"]  # fmt: skip
YOUTUBE = "https://www.youtube-nocookie.com/embed/k3y"
PROBES: dict[str, str] = {
    "deepdivs": "Title: Deep\n\n" + "<div>" * 5000 + "Worddeep" + "</div>" * 5000 + "\n",
    "deepinline": "Title: Inline\n\nA "
    + "<span>" * 3000
    + "Wordinline"
    + "</span>" * 3000
    + " b.\n",
    "nestedtable": "Title: Tables\n\n<table><caption>Outer</caption><tr><th>Key</th>"
    "<th>Value</th></tr><tr><td>Wordouter</td><td><table><caption>Inner</caption><tr>"
    "<td>Wordinner</td><td>Wordcell</td></tr><tr><td><p>Wordpara</p><p>Wordtwo</p></td>"
    "<td><table><tr><td>Worddeepest</td></tr></table></td></tr></table></td></tr></table>\n",
    "unclosed": "Title: Unclosed\n\n"
    + "".join(f'<div class="box">\n\nWordpara{i}.\n\n' for i in range(40)),
    "comment": "Title: Comment\n\nWordbefore.\n\n<!-- never closed\n\n## Section\n\nWordafter.\n",
    "grid": 'Title: Grid\n\n<div class="row">\n\n<div class="col-sm-9" id="main-col">\n\n'
    'Wordmain *text*.\n\n</div>\n\n<div class="col-sm-3">\n\nWordside.\n\n</div>\n\n</div>\n\n'
    '<div class="row">\n<div class="col-sm-8">\n\n## Heading\n\nWordunder heading.\n\n</div>\n'
    '<div class="col-sm-4">\nWordsecond side\n</div>\n</div>\n\nWordafter.\n',
    "myst": "Title: MyST\n\nSome ~~Wordstruck~~ text.  \nWordhard break\\\nWordnext line.\n\n"
    '```{raw} html\n<hr class="docutils">\n```\n\nWordend.\n',
    "forms": 'Title: Forms\n\n<py-script>\nimport js\nprint("Wordcode")\n</py-script>\n\n'
    '<textarea id="t">value = "Wordvalue"</textarea>\n\n<p><label for="t">Wordlabel</label> '
    '<u>Wordunder</u> <select id="s"><option>Wordoption</option></select></p>\n\n'
    '<div id="anchor">Wordanchor</div>\n\n[Back](#anchor)\n',
    "embed": f'Title: Embed\n\n<iframe src="{YOUTUBE}" title="Wordvideo" width="560" '
    'height="315"></iframe>\n\n<iframe src="https://example.org/x" title="Wordother">'
    "</iframe>\n",
    "places": 'Title: Places\n\n<img src="/files/images/missing.png" alt="gone">\n\n'
    "Wordfirst line  \nWordsecond line </span> stray\n",
}
#: (line, words of the message) of each excerpt.html warning a probe page must give.
PROBE_WARNINGS: dict[str, list[tuple[int, str]]] = {
    "deepdivs": [(3, "nested more than 100")],
    "deepinline": [(3, "nested more than 100")],
    "unclosed": [(3 + 4 * i, "unclosed <div") for i in range(40)],
    "comment": [(5, "unclosed HTML comment")],
    "forms": [(3, "removed <py-script>"), (8, "removed <textarea>"), (10, "removed <select>")],
    "places": [(6, "stray closing tag </span>")],
}


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    src = tmp_path_factory.mktemp("probes") / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'project = "Probes"\nextensions = ["sphinx_excerpt"]\n'
        'myst_enable_extensions = ["strikethrough"]\n'
        'suppress_warnings = ["toc.not_included", "myst.strikethrough"]\n'
    )
    names = "\n".join(f"   {name}" for name in PROBES)
    (src / "index.rst").write_text(f"Probes\n======\n\n.. toctree::\n\n{names}\n")
    for name, text in PROBES.items():
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    conf = {"copyright": "2026", "version": "1"}
    builds: dict[str, object] = {b: run_build(src, b, **conf) for b in BUILDERS}
    return builds


def our_warnings(result, name: str) -> list[tuple[int, str]]:
    clean = re.sub(r"\x1b\[[0-9;]*m", "", result.warnings)
    return [
        (int(m[1]), m[2])
        for m in re.finditer(rf"/{name}\.md:(\d+): WARNING: (.*) \[excerpt\.html\]", clean)
    ]


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_probe_builds_with_every_builder(probes, builder):
    result = probes[builder]
    assert "Traceback" not in result.warnings and "ERROR" not in result.warnings
    assert "RecursionError" not in result.warnings
    outputs = [p for p in result.outdir.rglob("*") if p.is_file() and ".doctrees" not in p.parts]
    assert outputs


@pytest.mark.parametrize("name", PROBES)
def test_probe_warnings_are_one_each_at_their_line(probes, name):
    got = our_warnings(probes["html"], name)
    expected = PROBE_WARNINGS.get(name, [])
    assert len(got) == len(expected), got
    for (line, message), (want_line, words) in zip(got, sorted(expected), strict=True):
        assert line == want_line and words in message, got


def visible_words(text: str) -> set[str]:
    return set(re.findall(r"Word\w+", text))


@pytest.mark.parametrize("name", PROBES)
def test_every_word_reaches_html_and_text(probes, name):
    source_words = visible_words(PROBES[name]) - {"Wordcode", "Wordvalue", "Wordoption"}
    main = probes["html"].soup(f"{name}.html").select_one('[role="main"]').get_text(" ")
    text = probes["text"].read(f"{name}.txt")
    assert source_words <= visible_words(main)
    assert source_words <= visible_words(text)


def test_nested_tables_are_tables_in_html_and_rows_in_text_and_man(probes):
    soup = probes["html"].soup("nestedtable.html")
    assert len(soup.select("table table table")) == 1
    assert not [w for w in probes["html"].warning_lines() if "nestedtable" in w or "<unkn" in w]
    text = probes["text"].read("nestedtable.txt")
    assert "Wordinner | Wordcell" in text and "Worddeepest" in text
    man = next(probes["man"].outdir.glob("*.1")).read_text(encoding="utf-8")
    assert "Wordinner | Wordcell" in man and "Worddeepest" in man
    latex = next(probes["latex"].outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "Wordinner" in latex and "Worddeepest" in latex


def test_a_bootstrap_grid_keeps_its_layout_without_warnings(probes):
    soup = probes["html"].soup("grid.html")
    rows = soup.select("div.row")
    assert len(rows) == 2
    assert [c["class"][0] for c in rows[0].find_all("div", recursive=False)] == [
        "col-sm-9",
        "col-sm-3",
    ]
    assert rows[0].select_one("div.col-sm-9#main-col p em").get_text() == "text"
    # the heading opens its section; the layout opened just before it holds its body
    section = soup.select_one("section#heading")
    second = section.select_one("div.row")
    assert second.select_one("div.col-sm-8").get_text(" ", strip=True) == "Wordunder heading."
    assert second.select_one("div.col-sm-4").get_text(strip=True) == "Wordsecond side"
    assert second.find_next_sibling("p").get_text() == "Wordafter."


def test_myst_raw_html_is_mysts(probes):
    soup = probes["html"].soup("myst.html")
    main = soup.select_one('[role="main"]')
    # crossed out: the dialect's strikeout (an excerpt page), never an escaped <s>
    struck = main.select_one("s, del, .strike")
    assert struck.get_text() == "Wordstruck" and "&lt;s" not in str(main)
    paragraph = struck.parent
    assert len(paragraph.find_all("br")) == 2 and "excerpt-line" not in str(main)
    assert main.select_one("hr.docutils") is not None  # the raw directive's, untouched
    latex = next(probes["latex"].outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "Wordhard break\\\\\nWordnext line." in latex


def test_forms_show_no_code_and_ids_link(probes):
    soup = probes["html"].soup("forms.html")
    main = soup.select_one('[role="main"]')
    words = main.get_text(" ")
    assert "print" not in words and "import" not in words and "value =" not in words
    assert not main.select("textarea, select, input, py-script")
    assert main.select_one("u").get_text() == "Wordunder"  # underlined, as written
    assert main.select_one("label").get_text() == "Wordlabel"
    assert main.select_one("#anchor").get_text(strip=True) == "Wordanchor"
    assert main.select_one('a[href="#anchor"]') is not None
    for meta in soup.select('meta[name="description"], meta[property="og:description"]'):
        assert "print" not in meta.get("content", "")


def test_allowed_video_is_a_sandboxed_lazy_iframe_and_a_link_elsewhere(probes):
    main = probes["html"].soup("embed.html").select_one('[role="main"]')
    frames = main.select("iframe")
    assert len(frames) == 1
    frame = frames[0]
    assert frame["src"] == YOUTUBE and frame["title"] == "Wordvideo"
    assert frame["loading"] == "lazy" and frame["sandbox"]
    assert "allow-top-navigation" not in frame["sandbox"]
    assert frame["referrerpolicy"] == "strict-origin-when-cross-origin"
    assert frame["width"] == "560" and frame["height"] == "315"
    assert frame.parent.select_one(f'a[href="{YOUTUBE}"]').get_text() == "Wordvideo"
    assert main.select_one('a[href="https://example.org/x"]').get_text() == "Wordother"
    latex = next(probes["latex"].outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\sphinxhref{" + YOUTUBE + "}{Wordvideo}" in latex
    assert "Wordvideo" in probes["text"].read("embed.txt")
    epub = (probes["epub"].outdir / "embed.xhtml").read_text(encoding="utf-8")
    assert "<iframe" not in epub and YOUTUBE in epub


def test_embed_hosts_option(page):
    text = f'Title: T\n\n<iframe src="{YOUTUBE}" title="V"></iframe>\n'
    result = page(text, excerpt_embed_hosts=["vimeo.com"])
    main = result.soup("index.html").select_one('[role="main"]')
    assert not main.select("iframe") and main.select_one(f'a[href="{YOUTUBE}"]')


def test_an_unclosed_comment_is_text_and_the_page_goes_on(probes):
    main = probes["html"].soup("comment.html").select_one('[role="main"]')
    assert main.select_one("section#section h2").get_text().startswith("Section")
    assert "never closed" in main.select("p")[1].get_text()
    assert "Wordafter" in main.select_one("section#section").get_text()


def test_a_missing_raw_image_is_reported_at_its_file_and_line(probes):
    clean = re.sub(r"\x1b\[[0-9;]*m", "", probes["html"].warnings)
    lines = [w for w in clean.splitlines() if "missing.png" in w]
    assert lines and all(re.search(r"/places\.md:3: WARNING", w) for w in lines), lines
    assert "<unknown>" not in clean


def test_duplicate_ids_keep_the_first(page):
    result = page('Title: T\n\n<div id="x">one</div>\n\n<div id="x">two</div>\n')
    main = result.soup("index.html").select_one('[role="main"]')
    assert len(main.select("#x")) == 1 and main.select_one("#x").get_text(strip=True) == "one"
    assert "id 'x' is used twice" in result.warnings


# ---------------------------------------------------------------- time


def build_seconds(tmp_path: Path, name: str, text: str) -> float:
    src = tmp_path / name
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    (src / "index.md").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    run_build(src)
    return time.perf_counter() - start


def test_unclosed_blocks_take_linear_time(tmp_path):
    """Each unclosed block used to re-read every block after it (1,600 took 130 s)."""
    page = "Title: T\n\n" + "".join('<div class="box">\n\nText.\n\n' for _ in range(1600))
    small = "Title: T\n\n" + "".join('<div class="box">\n\nText.\n\n' for _ in range(200))
    build_seconds(tmp_path, "warm", small)  # imports and caches, once
    ratio = build_seconds(tmp_path, "big", page) / build_seconds(tmp_path, "small", small)
    assert ratio < 8 * 2.5  # 8 times the blocks; quadratic time would be 64 times


# ---------------------------------------------------------------- the PDF


@pytest.mark.pdf
def test_probe_pages_make_a_pdf_with_nested_tables_and_video_links(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    from conftest import latexpdf

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('project = "P"\nextensions = ["sphinx_excerpt"]\n')
    names = ["deepdivs", "deepinline", "nestedtable", "grid", "embed"]
    toctree = "\n".join(f"   {name}" for name in names)
    (src / "index.rst").write_text(f"P\n=\n\n.. toctree::\n\n{toctree}\n")
    for name in names:
        (src / f"{name}.md").write_text(PROBES[name], encoding="utf-8")
    proc, latexdir = latexpdf(src)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with pdfplumber.open(next(latexdir.glob("*.pdf"))) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
        links = [link.get("uri") for page in doc.pages for link in page.hyperlinks]
    for word in ("Worddeep", "Wordinline", "Wordinner", "Worddeepest", "Wordmain", "Wordvideo"):
        assert word in text
    assert YOUTUBE in links


# ---------------------------------------------------------------- whose HTML


def raw_at(text: str, line: int, inline: bool) -> nodes.raw:
    raw = nodes.raw("", text, format="html")
    raw.line = line
    (nodes.paragraph() if inline else nodes.section()).append(raw)
    return raw


@pytest.mark.parametrize(
    ("text", "line", "inline", "source", "authored"),
    [
        ("<div>x</div>\n", 3, False, ["", "", "<div>x</div>"], True),
        ("<div>x</div>\n", 3, False, ["", "", "> <div>x</div>"], True),
        ('<hr class="docutils">', 2, False, ["", "```{raw} html", '<hr class="docutils">'], False),
        ("<hr>", 2, False, ["", ".. raw:: html", "", "   <hr>"], False),
        # written elsewhere, but no directive there: the author's, so it is sanitised
        ("<script>x()</script>", 2, False, ["", "text", "<script>x()</script>"], True),
        ("<s>", 1, True, ["Some ~~struck~~ text."], False),
        ("<br />\n", 1, True, ["Line  ", "next"], False),
        ("<b>", 1, True, ["Some", "more <b>bold</b>", "", "<b>later</b>"], True),
        ("<svg/>", 1, True, ["An {octicon}`star` icon"], False),
        ("<b>", 1, True, ["Nothing like it", ""], True),
    ],
)
def test_whose_html(text, line, inline, source, authored):
    from sphinx_excerpt.html import is_source_html

    assert is_source_html(raw_at(text, line, inline), source) is authored
    assert is_source_html(raw_at(text, line, inline)) is (text not in ("<s>", "<br />\n"))


def test_misnested_formatting_on_a_page(tmp_path) -> None:
    """The page shows what a browser shows, and says where it repaired the HTML."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    (src / "index.md").write_text("Title: T\n\nA <b><i>bold</b>italic</i> word.\n")
    built = run_build(src, outdir=tmp_path / "out")
    html = (built.outdir / "index.html").read_text()
    assert "<strong><em>bold</em></strong><em>italic</em> word." in html
    assert "index.md:3: WARNING: misnested </b>" in built.warnings
