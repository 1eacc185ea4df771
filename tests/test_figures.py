"""Figures: floated photos, numbered figures and tables with written numbers, numref, mentions.

The project tests/roots/test-figures is built once per builder (module fixtures): an
excerpt page written in the Pelican idioms (``photos.md``) and a MyST page using the
``excerpt-figure`` directive (``native.md``). Bad inputs are one-page projects.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, Build, copy_root, latexpdf, require_tool, run_build

IMAGES = ROOTS / "test-figures" / "images"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("¶", "")).strip()


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict[str, Build]:
    """tests/roots/test-figures built as html, html with numfig, text and latex."""
    base = tmp_path_factory.mktemp("figures")
    srcdir = copy_root("figures", base)
    builds = {name: run_build(srcdir, name) for name in ("html", "text", "latex")}
    builds["numfig"] = run_build(srcdir, "html", outdir=base / "numfig", numfig=True)
    return builds


@pytest.fixture
def figure_page(tmp_path: Path):
    """``figure_page(markdown)``: a one-page project with the test images beside it."""

    def _page(text: str, builder: str = "html", **overrides) -> Build:
        srcdir = tmp_path / f"page-{builder}"
        shutil.copytree(IMAGES, srcdir / "images")
        # the page is an excerpt page, header or not
        (srcdir / "conf.py").write_text(
            'extensions = ["sphinx_excerpt"]\nexcerpt_pages = "all"\n', encoding="utf-8"
        )
        (srcdir / "index.md").write_text(text, encoding="utf-8")
        return run_build(srcdir, builder, **overrides)

    return _page


def figure_of(soup, src: str):
    img = next(i for i in soup.find_all("img") if i["src"].endswith(src))
    return img, img.find_parent("figure")


def caption(figure) -> str:
    return norm(figure.figcaption.p.get_text(" ")) if figure and figure.figcaption else ""


def legend(figure) -> list[str]:
    return [norm(p.get_text()) for p in figure.select("div.legend p")]


# ---------------------------------------------------------------- HTML


def test_the_project_builds_without_warnings(figures):
    for name, build in figures.items():
        assert build.warning_lines() == [], name


def test_a_photo_with_a_float_class_is_a_floated_figure_captioned_by_its_title(figures):
    soup = figures["html"].soup("photos.html")
    img, figure = figure_of(soup, "harbour.png")
    assert {"excerpt-float", "align-right"} <= set(figure["class"])
    assert figure["style"] == "width: 40%"
    assert caption(figure) == "A fishing boat at the quay"
    assert img["alt"] == "A fishing boat at the quay"
    assert "pull-right" not in (img.get("class") or [])


def test_a_width_attribute_overrides_the_float_width(figures):
    _, figure = figure_of(figures["html"].soup("photos.html"), "lighthouse.png")
    assert "align-left" in figure["class"]
    assert figure["style"] == "width: 30%"


def test_float_width_option(tmp_path):
    srcdir = copy_root("figures", tmp_path)
    build = run_build(srcdir, "html", excerpt_float_width="25%")
    _, figure = figure_of(build.soup("photos.html"), "harbour.png")
    assert figure["style"] == "width: 25%"


def test_emphasized_caption_and_hard_broken_lines_make_a_numbered_figure(figures):
    soup = figures["html"].soup("photos.html")
    figure = soup.find("figure", id="figure-2-1")
    assert caption(figure) == "Figure 2.1. Catch landed at the quay by year, 1950–1990."
    assert figure.select_one("span.caption-number").get_text() == "Figure 2.1. "
    assert legend(figure) == ["Counts are in tonnes.", "Source: Harbour ledgers."]
    assert "align-left" not in figure["class"] and "align-right" not in figure["class"]
    # the caption paragraph is gone from the text
    main = norm(soup.select_one('[role="main"]').get_text(" "))
    assert main.count("Catch landed at the quay") == 1
    assert main.count("Counts are in tonnes.") == 1


def test_a_strong_label_with_a_colon_is_a_caption_too(figures):
    figure = figures["html"].soup("photos.html").find("figure", id="figure-2-2")
    assert caption(figure) == "Figure 2.2. Moorings in the inner basin."
    assert legend(figure) == []


def test_a_caption_written_as_a_well_is_a_numbered_caption(figures):
    soup = figures["html"].soup("photos.html")
    figure = soup.find("figure", id="figure-2-3")
    assert caption(figure) == "Figure 2.3. Cranes on the east quay."
    assert legend(figure) == ["Source: Port office."]
    assert not [w for w in soup.select(".well") if "Cranes" in w.get_text()]


def test_a_table_followed_by_a_table_caption_is_a_numbered_table(figures):
    soup = figures["html"].soup("photos.html")
    table = soup.find("table", id="table-a1")
    assert norm(table.caption.get_text(" ")) == "Table A1. Boats registered at the harbour."
    main = norm(soup.select_one('[role="main"]').get_text(" "))
    assert main.count("Boats registered at the harbour.") == 1


# ---------------------------------------------------------------- mentions


def mentions(soup) -> list[tuple[str, str]]:
    return [(norm(a.get_text()), a["href"]) for a in soup.select("a.excerpt-mention")]


def test_mentions_in_the_running_text_link_to_the_figures(figures):
    soup = figures["html"].soup("photos.html")
    assert mentions(soup) == [
        ("Figure 2.1", "#figure-2-1"),
        ("Figures 2.1", "#figure-2-1"),
        ("2.2", "#figure-2-2"),
        ("Fig. 2.2", "#figure-2-2"),
        ("Table A1", "#table-a1"),
        ("Figure 2.3", "#figure-2-3"),
    ]
    text = norm(soup.select_one('[role="main"]').get_text(" "))
    assert "while Figure 9.9 was never drawn" in text  # no such figure: plain text


def test_no_mention_links_in_headings_code_links_or_captions(figures):
    soup = figures["html"].soup("photos.html")
    for element in soup.select("h1, h2, h3, code, figcaption, caption"):
        assert not element.select("a.excerpt-mention"), element
    assert soup.find("a", href="https://example.org/map").get_text() == "Figure 2.2"


def test_mentions_can_be_switched_off(tmp_path):
    srcdir = copy_root("figures", tmp_path)
    build = run_build(srcdir, "html", excerpt_link_mentions=False)
    assert mentions(build.soup("photos.html")) == []


def test_mentions_only_in_excerpt_pages(figure_page):
    build = figure_page(
        "# A plain page\n\n![Chart](/images/chart.png)\n\n*Figure 1*. A chart.\n\n"
        "Figure 1 shows it.\n"
    )
    soup = build.soup("index.html")
    assert soup.find("figure", id="figure-1") is not None
    assert mentions(soup) == []


# ---------------------------------------------------------------- MyST-native and numref


def test_the_excerpt_figure_directive_numbers_floats_and_adds_a_legend(figures):
    soup = figures["html"].soup("native.html")
    img, figure = figure_of(soup, "chart.png")
    assert figure["id"] == "figure-4-2"
    assert {"excerpt-float", "align-right"} <= set(figure["class"])
    assert figure["style"] == "width: 30%"
    assert img["alt"] == "Bars of the catch"
    assert caption(figure) == "Figure 4.2. Catch by decade."
    assert legend(figure) == ["Source: our own counts."]


def test_a_myst_figure_with_a_float_class_floats(figures):
    soup = figures["html"].soup("native.html")
    _, floated = figure_of(soup, "harbour.png")
    assert "align-left" in floated["class"] and floated["style"] == "width: 40%"
    _, plain = figure_of(soup, "map.png")
    assert plain["class"] == ["align-default"]  # an ordinary figure is left alone


@pytest.mark.parametrize("build", ["html", "numfig"])
def test_numref_shows_the_written_number_with_numfig_on_or_off(figures, build):
    soup = figures[build].soup("native.html")
    links = [(norm(a.get_text()), a["href"]) for a in soup.select("p a.reference.internal")]
    assert ("Figure 4.2", "#catch-chart") in links
    assert ("Chart 4.2", "#catch-chart") in links


def test_numfig_numbers_the_other_figures_as_if_ours_were_not_there(figures):
    soup = figures["numfig"].soup("native.html")
    _, plain = figure_of(soup, "map.png")
    assert caption(plain) == "Fig. 1 An ordinary figure of the project."
    _, ours = figure_of(soup, "chart.png")
    assert caption(ours) == "Figure 4.2. Catch by decade."
    _, photo = figure_of(soup, "harbour.png")
    assert caption(photo) == "A floated MyST figure."


def test_numref_from_another_page(figure_page, tmp_path):
    build = figure_page(
        "# Two\n\n```{excerpt-figure} images/map.png\n:number: A1.6\n:name: moor\n\nMoorings.\n"
        "```\n\nSee {numref}`moor` and {numref}`no. {number}: {name} <moor>`.\n"
    )
    soup = build.soup("index.html")
    links = [norm(a.get_text()) for a in soup.select("p a.reference.internal")]
    assert links == ["Figure A1.6", "no. A1.6: Moorings."]


# ---------------------------------------------------------------- other builders


def test_the_text_build_has_the_written_numbers(figures):
    photos = norm(figures["text"].read("photos.txt"))
    assert "Figure 2.1. Catch landed at the quay by year, 1950–1990." in photos
    assert "Source: Harbour ledgers." in photos
    assert "Table A1. Boats registered at the harbour." in photos
    native = norm(figures["text"].read("native.txt"))
    assert 'see "Figure 4.2" and "Chart 4.2"' in native


def test_latex_numbers_floats_and_wraps(figures):
    tex = next(figures["latex"].outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert r"\sphinxexcerptnumber{figure}{Figure}{2.1}" in tex
    assert r"\sphinxexcerptnumber{figure}{Figure}{4.2}" in tex
    assert r"\sphinxexcerptnumber{table}{Table}{A1}" in tex
    assert tex.count(r"\sphinxexcerptuncount{figure}") == 4
    assert r"\begin{wrapfigure}{r}{0.400\linewidth}" in tex
    assert r"\sphinxexcerptphotocaption{A fishing boat at the quay}" in tex
    # the written label is LaTeX's caption label, not text inside the caption
    assert r"\caption{Figure 2.1" not in tex and r"\caption{Catch landed" in tex


@pytest.mark.parametrize("builder", ["man", "texinfo", "xml", "singlehtml", "epub"])
def test_every_builder_renders_the_figures(tmp_path, builder):
    srcdir = copy_root("figures", tmp_path)
    build = run_build(srcdir, builder)
    assert build.warning_lines() == [] or builder == "epub"


def test_the_pdf_prints_the_written_numbers_and_keeps_sphinx_numbers(tmp_path):
    require_tool("latexmk", "pdftotext")
    import subprocess

    srcdir = copy_root("figures", tmp_path)
    proc, latex = latexpdf(srcdir)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pdf = next(latex.glob("*.pdf"))
    text = norm(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "Figure 2.1. Catch landed at the quay" in text  # as the print edition: a full stop
    assert "Figure 4.2. Catch by decade." in text
    assert "Table A1. Boats registered" in text
    assert "Fig. 1: An ordinary figure" in text  # Sphinx's own figure is still number 1
    assert "Source: Harbour ledgers." in text


# ---------------------------------------------------------------- bad input


def test_a_caption_without_an_image_stays_a_paragraph(figure_page):
    build = figure_page("# Page\n\nSome text.\n\n*Figure 1*. A caption alone.\n")
    soup = build.soup("index.html")
    assert soup.find("figure") is None
    assert "Figure 1. A caption alone." in norm(soup.select_one('[role="main"]').get_text())
    assert build.warning_lines() == []


def test_two_figures_with_one_number_warn_at_the_second(figure_page):
    build = figure_page(
        "Title: Twice\n\n## One\n\n![A](/images/chart.png)\n\n*Figure 1*. First.\n\n"
        "![B](/images/map.png)\n\n*Figure 1*. Second.\n\nSee Figure 1.\n"
    )
    lines = build.warning_lines()
    # at the second caption
    assert len(lines) == 1 and "[excerpt.caption]" in lines[0] and "index.md:11:" in lines[0]
    soup = build.soup("index.html")
    assert [caption(f) for f in soup.find_all("figure")] == [
        "Figure 1. First.",
        "Figure 1. Second.",
    ]
    assert mentions(soup) == [("Figure 1", "#figure-1")]


def test_a_float_class_inside_a_sentence_keeps_the_image_inline(figure_page):
    build = figure_page("# Page\n\nA boat ![boat](/images/harbour.png){.pull-right} in text.\n")
    soup = build.soup("index.html")
    assert soup.find("figure") is None
    assert soup.find("img").find_parent("p") is not None
    assert "A boat in text." in norm(soup.select_one('[role="main"]').get_text(" ")).replace(
        " .", "."
    )


def test_a_missing_image_gives_sphinxs_warning_and_keeps_the_caption(figure_page):
    build = figure_page("# Page\n\n![Gone](/images/missing.png)\n\n*Figure 5*. Lost image.\n")
    assert any("missing.png" in line for line in build.warning_lines())
    figure = build.soup("index.html").find("figure", id="figure-5")
    assert caption(figure) == "Figure 5. Lost image."


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("*Figure 3*. Plain.", "Figure 3. Plain."),
        ("*Figure A*: Letter.", "Figure A. Letter."),
        ("*Fig. 7.2.* Dotted.", "Fig. 7.2. Dotted."),
        ("**Figure A1.6**. Appendix.", "Figure A1.6. Appendix."),
    ],
)
def test_caption_label_forms(figure_page, written, expected):
    build = figure_page(f"# Page\n\n![x](/images/chart.png)\n\n{written}\n")
    figure = build.soup("index.html").find("figure")
    assert caption(figure) == expected


def test_float_aliases_and_bootstrap_classes(figure_page):
    build = figure_page(
        '# Page\n\n![a](/images/harbour.png "Boat"){.float-left}\n\nText.\n\n'
        "![b](/images/map.png){.img-fluid}\n\n"
        "![c](/images/map.png){.center-block .img-thumbnail .mine}\n"
    )
    soup = build.soup("index.html")
    _, floated = figure_of(soup, "harbour.png")
    assert "align-left" in floated["class"] and caption(floated) == "Boat"
    fluid, thumb = [i for i in soup.find_all("img") if i["src"].endswith("map.png")]
    assert "img-fluid" in fluid["class"] and "width: 100%" in fluid.get("style", "")
    assert {"center-block", "img-thumbnail", "mine"} <= set(thumb["class"])


def test_a_photo_right_under_a_heading_keeps_the_heading_with_it(page):
    text = " ".join(["The keepers watched the light all night long."] * 40)
    source = (
        "Title: T\n\n## First\n\nIntro text.\n\n## Second\n\n"
        f'![A photo](/files/images/harbour.png "A title"){{.pull-left}}\n\n{text}\n'
    )
    result = page(source, "latex")
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    second = tex.index(r"\section{Second}")
    # the room for the photo is asked before the heading, so no page break comes between
    assert tex.rindex(r"\sphinxexcerptwrapneedspace", 0, second) > tex.index(r"\section{First}")
    assert r"\begin{wrapfigure}{l}" in tex[second:]


def test_the_figure_walk_yields_every_kind_it_looks_for():
    """FigureIdioms walks the page by WALKED_BASE: a kind outside it would never be read."""
    from docutils import nodes

    from sphinx_excerpt.figures import BLOCKS, WALKED_BASE

    for kind in (*BLOCKS, nodes.image, nodes.table, nodes.figure):
        assert issubclass(kind, WALKED_BASE), kind


def test_the_space_set_is_what_isspace_says():
    """figures.SPACES stands in for str.isspace (a set look-up is no call)."""
    import sys

    from sphinx_excerpt.figures import SPACES

    assert {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()} == SPACES
