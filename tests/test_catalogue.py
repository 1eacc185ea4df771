"""A catalogue of bad inputs: each is a small page; none may crash a build, lose a word or
let anything unsafe through, and each wrong input is one warning at its file:line.

All pages are built together, once per builder, so the catalogue stays fast.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOTS, run_build

from sphinx_excerpt.warnings import Subtype

IMG = "/files/images/harbour.png"
SVG = "/files/images/shape.svg"
SVG_FILE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20"/></svg>\n'
)


@dataclass
class Case:
    name: str
    source: str | bytes
    #: (subtype, line) of each warning the page must give; nothing else may be reported
    warnings: list[tuple[str, int]] = field(default_factory=list)
    #: words that must reach the HTML and text output
    words: list[str] = field(default_factory=list)
    #: warnings not of our own: Sphinx's (subtype text, line)
    sphinx_warnings: list[tuple[str, int]] = field(default_factory=list)


LATEX_SPECIALS = r"\input{/etc/passwd} 50% & $5 #1 ~x_y^z {}"

CASES = [
    # metadata
    Case(
        "no_title",
        "Date: 2020-01-01\nSlug: nt\n\nWordnotitle here.\n",
        [("metadata", 1)],
        ["Wordnotitle"],
    ),
    Case(
        "empty_title",
        "Title:\nDate: 2020-01-01\n\nWordemptytitle here.\n",
        [("metadata", 1)],
        ["Wordemptytitle"],
    ),
    Case(
        "empty_values",
        "Title: T\nSummary:\nTags:\n\nWordempty here.\n",
        [("metadata", 2), ("metadata", 3)],
        ["Wordempty"],
    ),
    Case(
        "bad_date",
        "Title: T\nDate: 31/31/2020\n\nWordbaddate here.\n",
        [("metadata", 2)],
        ["Wordbaddate"],
    ),
    Case(
        "missing_bibliography",
        "Title: T\nBibliography: nope.bib\n\nWordnobib [@key] here.\n",
        [("citation", 2)],
        ["Wordnobib", "[@key]"],
    ),
    Case(
        "bad_modified",
        "Title: T\nDate: 2020-01-01\nModified: soon\n\nWordbadmod.\n",
        [("metadata", 3)],
        ["Wordbadmod"],
    ),
    Case(
        "duplicated_key",
        "Title: T\nSlug: a\nSlug: b\n\nWordduplicate here.\n",
        [("metadata", 3)],
        ["Wordduplicate"],
    ),
    Case(
        "looks_like_metadata",
        "Note: Wordnote is a sentence.\n\nWordafter here.\n",
        [],
        ["Note", "Wordnote", "Wordafter"],
    ),
    Case("bom", "\ufeffTitle: T\nDate: 2020-01-01\n\nWordbom here.\n", [], ["Wordbom"]),
    Case(
        "crlf",
        "Title: T\r\nDate: 2020-01-01\r\n\r\n## Part\r\n\r\nWordcrlf here.\r\n",
        [],
        ["Wordcrlf"],
    ),
    Case("tabs", "Title:\tTabbed\nDate:\t2020-01-01\n\nWordtab\there.\n", [], ["Wordtab"]),
    Case("not_utf8", b"Title: T\n\nWordlatin caf\xe9 here.\n", [("encoding", 3)], ["Wordlatin"]),
    Case("empty_file", "", []),
    Case("header_only", "Title: Wordheaderonly\nDate: 2020-01-01\n", [], ["Wordheaderonly"]),
    # HTML
    Case(
        "unclosed_well",
        '<div class="well">\nWordunclosed <em>open emphasis\n',
        [("html", 1)],
        ["Wordunclosed", "open", "emphasis"],
    ),
    Case(
        "nested_wells",
        '<div class="well">Wordouter <div class="well">Wordinner</div></div>\n',
        [],
        ["Wordouter", "Wordinner"],
    ),
    Case(
        "stray_closing",
        "Wordstray text.\n\n</div>\n\nWordafterstray.\n",
        [("html", 3)],
        ["Wordstray", "Wordafterstray"],
    ),
    Case("unknown_tag", "A <blink>Wordblink</blink> tag.\n", [("html", 1)], ["Wordblink"]),
    Case(
        "script",
        'Title: T\n\nWordscript before.\n\n<script>alert("x")</script>\n',
        [("html", 5)],
        ["Wordscript"],
    ),
    Case(
        "script_in_well",
        '<div class="well">Wordwell<script>alert(1)</script></div>\n',
        [("html", 1)],
        ["Wordwell"],
    ),
    Case(
        "event_attribute",
        'Click <span onclick="steal()">Wordonclick</span>.\n',
        [("html", 1)],
        ["Wordonclick"],
    ),
    Case(
        "javascript_link",
        '<div class="well"><a href="javascript:alert(1)">Wordjs</a></div>\n',
        [("html", 1)],
        ["Wordjs"],
    ),
    Case(
        "data_link", 'See <a href="data:text/html,x">Worddata</a>.\n', [("html", 1)], ["Worddata"]
    ),
    Case(
        "style_in_well",
        '<div class="well"><style>p{}</style>Wordstyle</div>\n',
        [("html", 1)],
        ["Wordstyle"],
    ),
    Case(
        "iframe",
        '<iframe src="https://example.org/v" title="Wordiframe"></iframe>\n',
        [],
        ["Wordiframe"],
    ),
    Case(
        "html_table",
        "<table><tr><td>Wordcell1</td><td>Wordcell2</td></tr></table>\n",
        [],
        ["Wordcell1", "Wordcell2"],
    ),
    # figures
    Case("orphan_caption", "Title: T\n\n*Figure 2.1*. Wordorphan caption.\n", [], ["Wordorphan"]),
    Case(
        "duplicate_number",
        f"Title: T\n\n![a]({IMG})\n\n*Figure 1*. Wordfirst.\n\n![b]({IMG})\n\n"
        "*Figure 1*. Wordsecond.\n",
        [("caption", 9)],
        ["Wordfirst", "Wordsecond"],
    ),
    Case(
        "mention_of_missing_figure",
        "Title: T\n\nAs Figure 9.9 shows, Wordmissing.\n",
        [],
        ["Wordmissing", "9.9"],
    ),
    Case(
        "float_on_inline_image",
        f"Title: T\n\nText ![x]({IMG}){{.pull-right}} Wordinline.\n",
        [],
        ["Wordinline"],
    ),
    Case("unknown_class", f"Title: T\n\n![x]({IMG}){{.fancy}}\n\nWordfancy.\n", [], ["Wordfancy"]),
    Case(
        "missing_image",
        "Title: T\n\n![x](/files/images/nope.png)\n\nWordnoimage.\n",
        [],
        ["Wordnoimage"],
        sphinx_warnings=[("image file not readable", 3)],
    ),
    Case(
        "missing_svg",
        "Title: T\n\n![Wordsvgalt](/files/images/nope.svg)\n\nWordnosvg.\n",
        [],
        ["Wordnosvg"],
        sphinx_warnings=[("image file not readable", 3)],
    ),
    Case(
        # Sphinx writes a present SVG into the LaTeX as it is, which pdflatex cannot include
        "present_svg",
        f"Title: T\n\n![Wordshapealt]({SVG})\n\nWordsvg.\n",
        [],
        ["Wordsvg"],
    ),
    Case(
        "missing_float",
        'Title: T\n\n![Wordfloatalt](/files/images/nope.png "Wordfloattitle"){.pull-right}\n\n'
        + "Wordbeside the missing photo. " * 40
        + "\n",
        [],
        ["Wordfloattitle", "Wordbeside"],
        sphinx_warnings=[("image file not readable", 3)],
    ),
    Case(
        "missing_numbered_figure",
        "Title: T\n\n![Wordfigalt](/files/images/nope.png)\n\n*Figure 6.1*. Wordfigcaption.  \n"
        "Source: Wordfigsource.\n",
        [],
        ["Wordfigcaption", "Wordfigsource"],
        sphinx_warnings=[("image file not readable", 3)],
    ),
    Case(
        "long_caption",
        f"Title: T\n\n![x]({IMG})\n\n*Figure 3*. "
        + "Wordlong " * 150
        + "end.  \n"
        + "Source: "
        + "legend " * 150
        + "Wordlegend.\n",
        [],
        ["Wordlong", "Wordlegend"],
    ),
    Case(
        "latex_specials",
        f"Title: {LATEX_SPECIALS}\nSummary: {LATEX_SPECIALS}\nAuthor: {LATEX_SPECIALS}\n\n"
        f'<div class="well">Wordspecial {LATEX_SPECIALS}</div>\n\n'
        f'![{LATEX_SPECIALS}]({IMG} "{LATEX_SPECIALS}"){{.pull-right}}\n\n'
        f"![x]({IMG})\n\n*Figure 4*. {LATEX_SPECIALS}  \nSource: {LATEX_SPECIALS}\n",
        [],
        ["Wordspecial", "passwd"],
    ),
    Case(
        "bold_caption",
        f"Title: T\n\n![x]({IMG})\n\n**Figure 5**: Wordbold caption.\n",
        [],
        ["Wordbold"],
    ),
    Case(
        "table_caption_without_table", "Title: T\n\n*Table 2*. Wordnotable.\n", [], ["Wordnotable"]
    ),
    # URLs the URL policy refuses, wherever they are written
    Case(
        "pdf_javascript",
        "Title: T\nPDF: javascript:alert(document.domain)\n\nWordpdfjs here.\n",
        [("metadata", 2)],
        ["Wordpdfjs"],
    ),
    Case(
        "pdf_data_html",
        "Title: T\nPDF:  DaTa:text/html;base64,PHNjcmlwdD4=\n\nWordpdfdata here.\n",
        [("metadata", 2)],
        ["Wordpdfdata"],
    ),
    Case(
        "source_url_javascript",
        "Title: T\n\n```{excerpt-source}\n:title: Wordsrcjs\n:url: javascript:alert(1)\n```\n",
        [("metadata", 5)],
        ["Wordsrcjs"],
    ),
    Case(
        "source_url_data_html",
        "Title: T\n\n```{excerpt-source}\n:title: Wordsrcdata\n"
        ":url: data:text/html,<script>alert(1)</script>\n```\n",
        [("metadata", 5)],
        ["Wordsrcdata"],
    ),
    Case(
        "rst_link_javascript",
        "Title: T\n\n```{eval-rst}\nA `Wordrstjs <jav\tascript:alert(1)>`_ link.\n```\n",
        [("html", 4)],
        ["Wordrstjs"],
    ),
    Case(
        "link_obfuscated",
        'Title: T\n\nA <a href="&#x20;JaVa&#x0A;sCrIpT&colon;alert(1)">Wordobfus</a> link.\n',
        [("html", 3)],
        ["Wordobfus"],
    ),
    # paths that leave the source folder
    Case(
        "image_outside_rooted",
        "Title: T\n\n![Wordpasswd](/../../../../../../../../etc/passwd)\n",
        [("path", 3)],
        ["Wordpasswd"],
    ),
    Case(
        "image_outside_parent",
        "Title: T\n\n![Wordparentimg](../../outside.png)\n\n"
        '<img src="../../../x.png" alt="Wordrawout">\n',
        [("path", 3), ("path", 5)],
        ["Wordparentimg", "Wordrawout"],
    ),
    Case(
        "image_outside_absolute",
        "Title: T\n\n![Wordabsimg](//etc/hostname)\n",
        [("path", 3)],
        ["Wordabsimg"],
    ),
    # slugs whose redirect cannot be written
    Case(
        "slug_too_long",
        "Title: T\nSlug: " + "s" * 251 + "\n\nWordlongslug here.\n",
        [("metadata", 2)],
        ["Wordlongslug"],
    ),
    Case(
        "slug_under_a_page_file",
        "Title: T\nSlug: index.html/inner\n\nWordinner here.\n",
        [("metadata", 2)],
        ["Wordinner"],
    ),
    Case(
        "slug_genindex",
        "Title: T\nSlug: genindex\n\nWordgenindex here.\n",
        [("metadata", 2)],
        ["Wordgenindex"],
    ),
    Case(
        "slug_search",
        "Title: T\nSlug: search\n\nWordsearch here.\n",
        [("metadata", 2)],
        ["Wordsearch"],
    ),
    Case(
        "slug_names_a_page",
        "Title: T\nSlug: bom\n\nWordslugpage here.\n",
        [("metadata", 2)],
        ["Wordslugpage"],
    ),
    Case("slug_shared_a", "Title: A\nSlug: shared\n\nWordshareda.\n", [], ["Wordshareda"]),
    Case(
        "slug_shared_b",
        "Title: B\nSlug: shared\n\nWordsharedb.\n",
        [("metadata", 2)],
        ["Wordsharedb"],
    ),
]
BUILDERS = ["html", "text", "latex", "singlehtml", "epub", "man", "texinfo", "xml", "gettext"]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    src = tmp_path_factory.mktemp("catalogue") / "src"
    src.mkdir()
    shutil.copytree(ROOTS / "test-excerpt" / "files", src / "files")
    (src / SVG.lstrip("/")).write_text(SVG_FILE)
    (src / "conf.py").write_text(
        'project = "Catalogue"\nextensions = ["sphinx_excerpt"]\n'
        # every page is an excerpt page, most of them without a header
        'excerpt_pages = "all"\nsuppress_warnings = ["toc.not_included"]\n'
    )
    names = "\n".join(f"   {case.name}" for case in CASES)
    (src / "index.rst").write_text(f"Catalogue\n=========\n\n.. toctree::\n\n{names}\n")
    for case in CASES:
        path = src / f"{case.name}.md"
        if isinstance(case.source, bytes):
            path.write_bytes(case.source)
        else:
            path.write_bytes(case.source.encode("utf-8"))
    conf = {"copyright": "2026", "version": "1"}  # EPUB3 asks for them
    builds = {builder: run_build(src, builder, **conf) for builder in BUILDERS}
    builds["src"] = src  # type: ignore[assignment]
    return builds


def page_warnings(result, name: str) -> list[str]:
    clean = re.sub(r"\x1b\[[0-9;]*m", "", result.warnings)
    return [w for w in clean.splitlines() if f"/{name}.md:" in w and "WARNING" in w]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_warnings_name_type_subtype_and_line(catalogue, case):
    got = page_warnings(catalogue["html"], case.name)
    ours = sorted(
        (m[2], int(m[1]))
        for w in got
        if (m := re.search(rf"/{case.name}\.md:(\d+): WARNING: .*\[excerpt\.(\w+)\]$", w))
    )
    assert ours == sorted(case.warnings), got
    theirs = [w for w in got if "[excerpt." not in w]
    assert len(theirs) == len(case.sphinx_warnings), theirs
    for text, line in case.sphinx_warnings:
        assert any(f"{case.name}.md:{line}:" in w and text in w for w in theirs), theirs


@pytest.mark.parametrize("builder", BUILDERS)
def test_no_traceback_in_any_builder(catalogue, builder):
    result = catalogue[builder]
    assert "Traceback" not in result.warnings
    assert "ERROR" not in result.warnings


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_word_reaches_html_and_text(catalogue, case):
    from bs4 import BeautifulSoup

    html = BeautifulSoup(catalogue["html"].read(f"{case.name}.html"), "lxml")
    main = html.select_one('[role="main"]').get_text(" ")
    txt = catalogue["text"].read(f"{case.name}.txt")
    for word in case.words:
        assert word in main, f"{word} missing from the HTML"
        assert word in txt, f"{word} missing from the text build"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_nothing_unsafe_in_html(catalogue, case):
    soup = catalogue["html"].soup(f"{case.name}.html")
    main = str(soup.select_one('[role="main"]'))
    assert "<script" not in main and "<style" not in main
    assert not re.search(r"\son\w+\s*=", main)
    assert "javascript:" not in main
    assert 'href="data:' not in main
    assert "alert(" not in main


def test_images_latex_cannot_include_are_placeholders(catalogue):
    """One excerpt.latex warning for a present SVG; none where Sphinx said it already."""
    latex = catalogue["latex"]
    ours = [w for w in latex.warning_lines() if "[excerpt.latex]" in w]
    assert len(ours) == 1 and "/present_svg.md:3:" in ours[0], ours
    for name in ("missing_image", "missing_svg", "missing_float", "missing_numbered_figure"):
        assert [w for w in page_warnings(latex, name) if "excerpt" in w] == []
    tex = next(Path(latex.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "nope" not in tex and ".svg" not in tex
    assert r"\sphinxexcerptimageplaceholder{Wordshapealt}" in tex
    assert r"\sphinxexcerptimageplaceholder{Wordfigalt}" in tex
    assert r"\caption{Wordfigcaption.}" in tex


def test_latex_specials_are_text_in_the_latex(catalogue):
    tex = next(Path(catalogue["latex"].outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert "\\input{/etc/passwd}" not in tex
    assert "passwd" in tex


@pytest.mark.pdf
def test_the_catalogue_compiles_to_pdf(catalogue, tmp_path):
    import pdfplumber
    from conftest import latexpdf

    proc, latexdir = latexpdf(catalogue["src"], tmp_path / "pdf")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    pdf = next(latexdir.glob("*.pdf"))
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "\\input{/etc/passwd}" in text.replace(" ", "") or "input{/etc/passwd}" in text
    for word in ("Wordspecial", "Wordonclick", "Wordcell1", "Wordlegend"):
        assert word in text
    # images LaTeX cannot include: their alt text in a placeholder, captions kept
    for word in ("Wordsvgalt", "Wordshapealt", "Wordfloatalt", "Wordfloattitle", "Wordfigalt"):
        assert word in text
    assert "Figure6.1" in text.replace(" ", "") and "Wordfigsource" in text


#: For each warning subtype, the catalogue page that triggers it and the builder it needs;
#: ``internal`` (a bug met by a page) has no such page: tests/test_dialect.py makes a
#: rule fail on purpose to give it.
TRIGGERS = {
    "metadata": ("bad_date", "html"),
    "html": ("script", "html"),
    "caption": ("duplicate_number", "html"),
    "encoding": ("not_utf8", "html"),
    "path": ("image_outside_rooted", "html"),
    "latex": ("present_svg", "latex"),
    "citation": ("missing_bibliography", "html"),
}


#: Subtypes no source triggers: a bug of the extension (test_guard.py fails each step on
#: purpose, and checks that its warning can be suppressed).
NO_SOURCE_TRIGGERS = {"internal"}


def test_every_subtype_has_a_trigger():
    assert TRIGGERS.keys() | NO_SOURCE_TRIGGERS == {s.value for s in Subtype}


@pytest.mark.parametrize("subtype", list(TRIGGERS))
def test_each_warning_subtype_can_be_suppressed(tmp_path, subtype):
    name, builder = TRIGGERS[subtype]
    case = next(c for c in CASES if c.name == name)
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-excerpt" / "files", src / "files")
    (src / SVG.lstrip("/")).write_text(SVG_FILE)
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\nexcerpt_pages = "all"\n')
    source = case.source if isinstance(case.source, bytes) else case.source.encode("utf-8")
    (src / "index.md").write_bytes(source)
    tag = f"[excerpt.{subtype}]"
    loud = run_build(src, builder, outdir=tmp_path / "loud")
    assert tag in loud.warnings
    quiet = run_build(
        src, builder, outdir=tmp_path / "quiet", suppress_warnings=[f"excerpt.{subtype}"]
    )
    assert tag not in quiet.warnings
    quiet_all = run_build(src, builder, outdir=tmp_path / "all", suppress_warnings=["excerpt"])
    assert "[excerpt." not in quiet_all.warnings
