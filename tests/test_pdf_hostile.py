"""The PDF survives one bad input: hostile characters and broken images.

The catalogue is one project, each page holding one class of hostile input, built once
with ``-M latexpdf`` (pdflatex, as Sphinx configures it) and ``excerpt_page_pdfs``: every
page is a LaTeX document of its own, so one class that stopped LaTeX would not hide the
others, and the project's PDF holds them all. Then one mixed-script page is built with
xelatex, and with lualatex through the command line (which picks lualatex for it).
The LaTeX-source tests need no TeX.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import latexpdf, require_tool, run_build

from sphinx_excerpt.image_checks import file_problem, length_bp
from sphinx_excerpt.latex_text import beyond_pdflatex, describe, pdflatex_settable, rtl_runs


@dataclass
class Case:
    """One page of the catalogue: its body, what its PDF must show, what must be warned."""

    body: str
    shows: list[str]
    warns: list[str] = field(default_factory=list)  # "line: text" of its excerpt warnings
    title: str = "Hostile input"


CASES: dict[str, Case] = {
    "combining": Case(
        "Cited by Bu\u0308the in a note.[^1]\n\n[^1]: Bu\u0308the and Mattli, 2011.\n",
        ["Cited by Büthe in a note.", "Büthe and Mattli, 2011."],
    ),
    "greek": Case("Alpha α particles and Ω here.\n", ["Alpha U+03B1 particles and U+03A9 here."],
                  ["3: pdflatex cannot set U+03B1 GREEK SMALL LETTER ALPHA (line 3), U+03A9"]),
    "cyrillic": Case("The word Жизнь means life.\n", ["The word U+0416 U+0438"],
                     ["3: pdflatex cannot set U+0416 CYRILLIC CAPITAL LETTER ZHE (line 3)"]),
    "cjk": Case("Before\n\nThe word 中文 and ツ here.\n",
                ["The word U+4E2D U+6587 and U+30C4 here."],
                ["5: pdflatex cannot set U+4E2D CJK UNIFIED IDEOGRAPH-4E2D (line 5)",
                 "U+30C4 KATAKANA LETTER TU (line 5)"]),
    "arabic": Case("Greeting مرحبا here.\n", ["Greeting U+0645", "here."],
                   ["3: pdflatex cannot set U+0645 ARABIC LETTER MEEM (line 3)"]),
    "hebrew": Case("Greeting שלום here.\n", ["Greeting U+05E9", "here."],
                   ["3: pdflatex cannot set U+05E9 HEBREW LETTER SHIN (line 3)"]),
    "devanagari": Case("Greeting नमस्ते here.\n", ["Greeting U+0928", "here."],
                       ["3: pdflatex cannot set U+0928 DEVANAGARI LETTER NA (line 3)"]),
    "emoji": Case("Smile 😀 and family 👨\u200d👩\u200d👧 here.\n",
                  ["Smile U+1F600 and family U+1F468 U+1F469 U+1F467 here."],
                  ["3: pdflatex cannot set U+1F600 GRINNING FACE (line 3)"]),
    "symbols": Case("A star ✶ and x⁻¹ and 5\u2009km here.\n",
                    ["A star U+2736 and x", "5 km here."],
                    ["3: pdflatex cannot set U+2736 SIX POINTED BLACK STAR (line 3)"]),
    "invisible": Case("Marks left\u200eright, join\u200dme, over\u202eride here.\n",
                      ["Marks leftright, joinme, override here."]),
    "lone-mark": Case("A lone \u0302 mark here.\n", ["A lone U+0302 mark here."],
                      ["3: pdflatex cannot set U+0302 COMBINING CIRCUMFLEX ACCENT (line 3)"]),
    "controls": Case("Ring the bell\u0007 and escape\u001b now.\n",
                     ["Ring the bell and escape now."],
                     ["3: control characters removed from the PDF: U+0007 BEL (line 3), "
                      "U+001B ESC (line 3)"]),
    "title": Case("Body text of the titled page.\n", ["Notes on U+4E2D", "Body text"],
                  ["1: pdflatex cannot set U+4E2D"], title="Notes on 中文"),
    "code": Case("Code:\n\n```\nprint('中')\n```\n\nInline `x = 'ツ'` too.\n",
                 ["print('[U+4E2D]')", "U+30C4"],
                 # the line of the code block
                 ["5: pdflatex cannot set U+4E2D CJK UNIFIED IDEOGRAPH-4E2D (line 5)"]),
    "link": Case("See [Ελλάδα](https://el.wikipedia.org/wiki/Ελλάδα) online.\n",
                 ["See U+0395"], ["3: pdflatex cannot set U+0395"]),
    "broken-images": Case(
        "Fake ![Wordfake](/files/fake.png) here.\n\n"
        "Cut ![Wordcutjpeg](/files/cut.jpg) here.\n\n"
        "Cut ![Wordcutpng](/files/cut.png) here.\n\n"
        "![Wordhuge](/files/huge.png)\n\n"
        "Good ![Wordgood](/files/good.png) here.\n",
        ["Fake Wordfake here.", "Cut Wordcutjpeg here.", "Cut Wordcutpng here.", "Wordhuge",
         "Good here."],
        ["3: the PDF cannot include the image files/fake.png: it is not a PNG file",
         "5: the PDF cannot include the image files/cut.jpg: the JPEG file is incomplete",
         "7: the PDF cannot include the image files/cut.png: the PNG file is incomplete",
         "9: the PDF cannot include the image files/huge.png: it is too large for LaTeX to "
         "measure (30000 × 20 px)"],
    ),
    "image-sizes": Case(
        "Wide ![Wordwide](/files/good.png){width=100000px} here.\n\n"
        "Tall ![Wordtall](/files/good.png){height=100000px} here.\n\n"
        "![Wordfloat](/files/good.png){.pull-right width=100000px}\n\n"
        + "Text beside the floated photo. " * 40 + "\n",
        ["Wide", "Tall", "Text beside the floated photo."],
        ["3: the image files/good.png is larger than any page (width 100000px)",
         "5: the image files/good.png is larger than any page (height 100000px)",
         "7: the image files/good.png is larger than any page (width 100000px)"],
    ),
}  # fmt: skip

MIXED = """\
Title: Mixed scripts

Greek α and Ω, Cyrillic Жизнь, CJK 中文 and ツ, Hebrew שלום, Arabic مرحبا, \
Devanagari नमस्ते, a star ✶, x⁻¹, and Bu\u0308the. Bell\u0007 gone.
"""
#: What the lualatex PDF must show of MIXED: every script set (the fallback fonts).
MIXED_SHOWN = ["α", "Ω", "Жизнь", "中文", "ツ", "✶", "⁻", "Büthe", "नमस्ते", "Bell gone"]


def make_images(folder: Path) -> None:
    """A good PNG, a text file named .png, a JPEG and a PNG cut short, a 30,000-px PNG."""
    import zlib

    def png(width: int, height: int, row: bytes) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            crc = zlib.crc32(kind + data).to_bytes(4, "big")
            return len(data).to_bytes(4, "big") + kind + data + crc

        header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
        pixels = zlib.compress((b"\0" + row) * height)
        return (
            b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b"")
        )  # fmt: skip

    folder.mkdir(parents=True, exist_ok=True)
    good = png(16, 8, b"\x55\x55")
    (folder / "good.png").write_bytes(good)
    (folder / "fake.png").write_text("not an image at all\n")
    (folder / "cut.png").write_bytes(good[:-20])
    (folder / "huge.png").write_bytes(png(30000, 20, b"\xff" * 3750))
    # a JPEG's start (SOI, JFIF, the size) with its image data cut off
    jfif = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0\x00\x0b\x08\x00\x08\x00\x10\x01\x01\x11\x00"
    (folder / "cut.jpg").write_bytes(b"\xff\xd8" + jfif + sof + b"\xff\xda\x00\x08\x01\x01\x00")


def write_catalogue(src: Path) -> None:
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        'extensions = ["sphinx_excerpt"]\nexcerpt_page_pdfs = True\nproject = "Catalogue"\n',
        encoding="utf-8",
    )
    names = "\n".join(CASES)
    (src / "index.rst").write_text(f"Catalogue\n=========\n\n.. toctree::\n\n{_indent(names)}\n")
    for name, case in CASES.items():
        (src / f"{name}.md").write_text(f"Title: {case.title}\n\n{case.body}", encoding="utf-8")
    make_images(src / "files")


def _indent(text: str) -> str:
    return "\n".join(f"   {line}" for line in text.splitlines())


def pdf_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        # a code point's frame is set smaller: its top is lower than the line's
        pages = [page.extract_text(x_tolerance=1.5, y_tolerance=6) or "" for page in doc.pages]
    text = "\n".join(pages)
    return re.sub(r"[ \t]+", " ", text)


@dataclass
class Catalogue:
    proc: subprocess.CompletedProcess[str]
    latex: Path
    src: Path

    def warnings(self, name: str) -> list[str]:
        """The page's excerpt warnings, as ``line: message``."""
        found = re.findall(
            rf"{re.escape(str(self.src / name))}\.md:(\d+): WARNING: (.*?) \[excerpt\.\w+\]",
            self.proc.stderr,
        )
        return [f"{line}: {message}" for line, message in found]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Catalogue:
    base = tmp_path_factory.mktemp("hostile")
    src = base / "src"
    write_catalogue(src)
    proc, latex = latexpdf(src, base / "out")
    return Catalogue(proc, latex, src)


# ---------------------------------------------------------------- pdflatex, one page per class


@pytest.mark.pdf
def test_the_catalogue_builds_with_pdflatex(catalogue):
    assert catalogue.proc.returncode == 0, catalogue.proc.stderr[-3000:]
    assert "Traceback" not in catalogue.proc.stderr
    for name in CASES:
        assert (catalogue.latex / f"{name}.pdf").is_file(), name
    assert (catalogue.latex / "catalogue.pdf").is_file()  # every page in one document


@pytest.mark.pdf
@pytest.mark.parametrize("name", list(CASES))
def test_each_page_shows_its_words_and_the_character_or_its_code_point(catalogue, name):
    pdf = catalogue.latex / f"{name}.pdf"
    assert pdf.is_file(), catalogue.proc.stderr[-3000:]
    text = pdf_text(pdf)
    for shown in CASES[name].shows:
        assert shown in text, (shown, text)
    assert "\ufffd" not in text


@pytest.mark.pdf
@pytest.mark.parametrize("name", list(CASES))
def test_each_page_warns_once_per_kind_at_its_line(catalogue, name):
    warnings = catalogue.warnings(name)
    expected = CASES[name].warns
    for want in expected:
        assert any(w.startswith(want) or want in w for w in warnings), (want, warnings)
    characters = [w for w in warnings if "cannot set" in w or "no font" in w]
    assert len(characters) <= 1, warnings  # one warning per page for its characters
    if not expected:
        assert warnings == []


@pytest.mark.pdf
def test_the_project_pdf_holds_every_page(catalogue):
    text = pdf_text(catalogue.latex / "catalogue.pdf")
    for case in CASES.values():
        for shown in case.shows:
            assert shown in text, shown


# ---------------------------------------------------------------- Unicode engines


@pytest.fixture(scope="module")
def mixed_xelatex(tmp_path_factory):
    require_tool("xelatex")
    src = tmp_path_factory.mktemp("xelatex") / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx_excerpt"]\nroot_doc = "mixed"\nlatex_engine = "xelatex"\n'
    )
    (src / "mixed.md").write_text(MIXED, encoding="utf-8")
    return latexpdf(src)


@pytest.mark.pdf
def test_xelatex_builds_the_mixed_page(mixed_xelatex):
    proc, latex = mixed_xelatex
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = pdf_text(next(latex.glob("*.pdf")))
    # Sphinx's xelatex fonts (FreeSerif) have Greek, Cyrillic and Hebrew; the rest is
    # theirs to add (the fallback chain is lualatex's)
    for shown in ["Greek α and Ω", "Жизнь", "Büthe", "Bell gone"]:
        assert shown in text, text
    assert "mixed.md:3: WARNING: control characters removed" in proc.stderr


@pytest.fixture(scope="module")
def mixed_cli(tmp_path_factory):
    require_tool("latexmk", "lualatex")
    base = tmp_path_factory.mktemp("cli")
    (base / "mixed.md").write_text(MIXED, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx_excerpt.cli", "build", str(base / "mixed.md"),
         "-o", str(base / "out"), "--pdf-only"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    return proc, base / "out" / "pdf" / "mixed.pdf"


@pytest.mark.pdf
def test_the_command_line_sets_every_script_with_lualatex(mixed_cli):
    proc, pdf = mixed_cli
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "PDF: lualatex, for characters pdflatex cannot set (U+03B1" in proc.stdout
    text = pdf_text(pdf)
    for shown in MIXED_SHOWN:
        assert shown in text, (shown, text)
    # set right to left: pdfplumber reads the letters as drawn, left to right, so the
    # words come out reversed (set left to right, they would come out as written)
    assert "שלום"[::-1] in text and "مرحبا"[::-1] in text
    assert "cannot set" not in proc.stderr and "no font of the PDF" not in proc.stderr


# ---------------------------------------------------------------- LaTeX source, no TeX needed


@pytest.fixture
def latex_of(tmp_path):
    def _latex(body: str, **conf) -> tuple[str, list[str], Path]:
        src = tmp_path / "src"
        src.mkdir(exist_ok=True)
        (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
        (src / "index.md").write_text(f"Title: Page\n\n{body}", encoding="utf-8")
        make_images(src / "files")
        result = run_build(src, "latex", **conf)
        tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
        return tex, [w for w in result.warning_lines() if "[excerpt." in w], result.outdir

    return _latex


def test_text_reaches_latex_composed_and_settable(latex_of):
    tex, warnings, _ = latex_of("Bu\u0308the wrote 中 and a\u200eb, bell\u0007.\n")
    assert "Büthe wrote \\sphinxexcerptcharacter{4E2D} and ab, bell." in tex
    assert "u\u0308" not in tex and "中" not in tex and "\u0007" not in tex
    assert len(warnings) == 2, warnings
    assert all("index.md:3:" in w for w in warnings)


def test_html_keeps_every_character(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    (src / "index.md").write_text("Title: Page\n\nThe word 中文 and α.\n", encoding="utf-8")
    result = run_build(src, "html")
    assert "The word 中文 and α." in result.read("index.html")
    assert "[excerpt.latex]" not in result.warnings


def test_a_character_the_project_declares_is_kept(latex_of):
    preamble = r"\DeclareUnicodeCharacter{03B1}{\ensuremath{\alpha}}"
    tex, warnings, _ = latex_of("Alpha α and β.\n", latex_elements={"preamble": preamble})
    assert "Alpha α and \\sphinxexcerptcharacter{03B2}." in tex
    assert len(warnings) == 1 and "U+03B2" in warnings[0] and "U+03B1" not in warnings[0]


def test_greek_is_kept_with_an_lgr_font_encoding(latex_of):
    fontenc = r"\usepackage[LGR,T1]{fontenc}"
    tex, warnings, _ = latex_of("Alpha α here.\n", latex_elements={"fontenc": fontenc})
    assert "Alpha α here." in tex and not warnings


def test_invisible_characters_alone_are_dropped_silently(latex_of):
    tex, warnings, _ = latex_of("Marks left\u200eright and over\u202eride.\n")
    assert "Marks leftright and override." in tex and not warnings


def test_unicode_engines_get_every_character_but_controls(latex_of):
    tex, warnings, _ = latex_of("中 and a\u200db and bell\u0007.\n", latex_engine="xelatex")
    assert "中 and a\u200db and bell." in tex
    assert len(warnings) == 1 and "U+0007 BEL" in warnings[0]


def test_lualatex_sets_right_to_left_runs_and_loads_only_the_fonts_needed(latex_of):
    require_tool("fc-match", "fc-query")
    tex, _, _ = latex_of("Hebrew שלום here.\n", latex_engine="lualatex")
    assert "Hebrew {\\textdir TRT שלום} here." in tex
    assert "CJK" not in tex  # no CJK font loaded for a page without CJK
    tex, _, _ = latex_of("CJK 中文 here.\n", latex_engine="lualatex")
    assert "Noto Serif CJK SC:mode=harf;" in tex and "CJK 中文 here." in tex


def test_math_and_code_get_code_points_as_text(latex_of):
    tex, warnings, _ = latex_of("Math {math}`x + α`.\n\n```\nprint('中')\n```\n")
    assert r"x + \sphinxexcerptcharacter{03B1}" in tex
    assert r"\PYG{l+s+s1}{[U+4E2D]}" in tex  # still highlighted
    assert len(warnings) == 1, warnings


def test_image_files_that_would_stop_latex(tmp_path):
    make_images(tmp_path)
    assert file_problem(tmp_path / "good.png", "image/png") is None
    assert file_problem(tmp_path / "fake.png", "image/png") == "it is not a PNG file"
    assert "incomplete" in file_problem(tmp_path / "cut.png", "image/png")
    assert "incomplete" in file_problem(tmp_path / "cut.jpg", "image/jpeg")
    assert "30000 × 20 px" in file_problem(tmp_path / "huge.png", "image/png")
    # a JPEG named .png: pdflatex reads files by their first bytes
    (tmp_path / "photo.png").write_bytes(_jpeg())
    assert file_problem(tmp_path / "photo.png", "image/png") is None
    # data after the end of a JPEG (a motion photo's video) is no truncation
    (tmp_path / "motion.jpg").write_bytes(_jpeg() + b"\0\1" * 5000)
    assert file_problem(tmp_path / "motion.jpg", "image/jpeg") is None


def _jpeg() -> bytes:
    jfif = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0\x00\x0b\x08\x00\x08\x00\x10\x01\x01\x11\x00"
    scan = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x12\xff\x00\x34" * 10
    return b"\xff\xd8" + jfif + sof + scan + b"\xff\xd9"


def test_image_sizes_are_fitted_to_the_text_block(latex_of):
    tex, warnings, _ = latex_of(
        "![w](/files/good.png){width=100000px}\n\n![h](/files/good.png){height=2000cm}\n\n"
        "![ok](/files/good.png){width=300px}\n\n"
        "![f](/files/good.png){.pull-right width=100000px}\n\n" + "Text beside it. " * 80
    )
    assert r"\sphinxincludegraphics[width=1.000\linewidth]{{good}.png}" in tex
    assert "2000" not in tex and "100000" not in tex
    assert r"\sphinxincludegraphics[width=300\sphinxpxdimen]{{good}.png}" in tex
    assert r"\begin{wrapfigure}{r}{0.500\linewidth}" in tex  # room for the text beside
    where = [w.split(": WARNING")[0][-10:] for w in warnings]
    assert where == ["index.md:3", "index.md:5", "index.md:9"], warnings


def test_lengths():
    assert length_bp("100000px") == 75000
    assert length_bp("2in") == 144
    assert length_bp("50%") == pytest.approx(234)
    assert length_bp("wide") is None


def test_the_character_table():
    settable = pdflatex_settable()
    assert {ord(c) for c in "aé“”—–…ßŁœ€"} <= settable
    assert not {ord(c) for c in "α中😀\u0302"} & settable
    assert ord("\u2009") in settable  # declared by sphinxexcerpt.sty
    assert beyond_pdflatex("Büthe 中 ✶ a\u200eb") == ["中", "✶"]
    assert describe("\x1b") == "U+001B ESC"
    assert describe("ツ") == "U+30C4 KATAKANA LETTER TU"


def test_right_to_left_runs():
    assert rtl_runs("a שלום עולם, b") == ["a ", "שלום עולם", ", b"]
    assert rtl_runs("x שנת 2020 היה") == ["x ", "שנת", " 2020 ", "היה", ""]
    assert rtl_runs("plain") == ["plain"]


def test_the_command_line_chooses_its_engine_from_the_pages(tmp_path, monkeypatch):
    from sphinx_excerpt import cli

    plain, mixed = tmp_path / "plain.md", tmp_path / "mixed.md"
    plain.write_text("Title: Plain\n\nCafé “quoted” — fine.\n", encoding="utf-8")
    mixed.write_text(MIXED, encoding="utf-8")
    monkeypatch.setattr(cli, "has_lualatex", lambda: True)
    assert cli.choose_engine([plain], quiet=True) == "pdflatex"
    assert cli.choose_engine([plain, mixed], quiet=True) == "lualatex"
    monkeypatch.setattr(cli, "has_lualatex", lambda: False)
    assert cli.choose_engine([mixed], quiet=True) == "pdflatex"  # then with code points
