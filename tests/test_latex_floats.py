"""Floated photos and numbered figures in the PDF: placed by the post-transform, written by Sphinx.

``tests/roots/test-floats`` has a photo with text enough to flow beside it, a photo
followed by a list (no text can flow beside it), a numbered figure and one of Sphinx's
own figures. The PDF is built once; the tests measure it with pdfplumber.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_root, latexpdf, require_tool

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "showcase" / "files" / "images"
LONG_TEXT = " ".join(["The keeper wound the clockwork and wrote the hour in the log."] * 30)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Any:
    require_tool("latexmk")
    import pdfplumber

    srcdir = copy_root("floats", tmp_path_factory.mktemp("floats"))
    shutil.copytree(IMAGES, srcdir / "files" / "images")
    proc, latex = latexpdf(srcdir)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with pdfplumber.open(next(latex.glob("*.pdf"))) as document:
        yield document


def pdf_text(document: Any) -> str:
    """The PDF's text as pdftotext reads it (pdfplumber joins the words of a line)."""
    require_tool("pdftotext")
    proc = subprocess.run(
        ["pdftotext", str(document.stream.name), "-"], capture_output=True, text=True, check=True
    )
    return norm(proc.stdout)


def photos(document: Any) -> list[tuple[Any, dict[str, Any]]]:
    """The pages' images, in reading order, with their page."""
    return [(page, image) for page in document.pages for image in page.images]


def words(page: Any) -> list[dict[str, Any]]:
    return list(page.extract_words())


@pytest.mark.pdf
def test_text_flows_beside_a_wrapped_photo_and_resumes_a_line_below_its_caption(pdf):
    page, photo = photos(pdf)[0]
    beside = [w for w in words(page) if photo["top"] <= w["top"] and w["bottom"] <= photo["bottom"]]
    assert len(beside) > 20
    # every word beside the photo stops short of it (it floats right)
    assert all(w["x1"] < photo["x0"] for w in beside)
    caption = [w for w in words(page) if "Head" in w["text"] and w["x0"] >= photo["x0"] - 1]
    assert caption, "the photo's title is its caption, under it"
    under = [
        w
        for w in words(page)
        if w["top"] > photo["top"] and w["x1"] > photo["x0"] and w not in caption
    ]
    # the narrowed lines last a line past the caption, as before Sphinx's own wrapfigure
    # (whose empty last paragraph would close the text up under the caption)
    assert min(w["top"] for w in under) - max(w["bottom"] for w in caption) > 6


@pytest.mark.pdf
def test_a_photo_text_cannot_flow_beside_is_a_centred_block(pdf):
    page, photo = photos(pdf)[1]
    middle = (photo["x0"] + photo["x1"]) / 2
    text_left = min(w["x0"] for w in words(page))
    text_right = max(w["x1"] for w in words(page))
    assert abs(middle - (text_left + text_right) / 2) < 5
    assert photo["x1"] - photo["x0"] < 0.5 * (text_right - text_left)
    # nothing beside it: a list after a wrapped photo would run into it
    beside = [w for w in words(page) if photo["top"] < w["top"] and w["bottom"] < photo["bottom"]]
    assert beside == []


@pytest.mark.pdf
def test_the_written_number_and_sphinxs_own_number_side_by_side(pdf):
    text = pdf_text(pdf)
    assert "Figure 4.1. Keepers in service by decade." in text
    assert "Source: the board’s registers." in text
    assert "Fig. 1: An ordinary figure of the project." in text  # not 2: ours is not counted
    assert "A keeper’s cottage" in text  # the block photo's title, its caption
    assert "Figure 1" not in text.replace("Figure 4.1", "")  # a photo's caption has no number


def test_a_photo_right_under_the_page_title_asks_its_room_right_before_itself(page):
    source = (
        "Title: T\n\n"
        f'![A photo](/files/images/harbour.png "A title"){{.pull-right}}\n\n{LONG_TEXT}\n'
    )
    tex = next(page(source, "latex").outdir.glob("*.tex")).read_text(encoding="utf-8")
    # the page's title is the document's, not a heading of the body: nothing to keep with
    assert re.search(
        r"\\sphinxexcerptwrapneedspace\{[\d.]+\}\s*\\begin\{wrapfigure\}\{r\}\{0\.400\\linewidth\}",
        tex,
    )
    assert tex.count(r"\sphinxexcerptwrapneedspace") == 1


def test_a_figure_the_placement_failed_on_is_never_wrapped(page, monkeypatch):
    from sphinx_excerpt import latex_floats

    def fail(*args: Any) -> None:
        raise RuntimeError("failure made on purpose")

    monkeypatch.setattr(latex_floats.FloatPlacement.place, "__wrapped__", fail)
    source = (
        "Title: T\n\n"
        f'![A photo](/files/images/harbour.png "A title"){{.pull-right}}\n\n{LONG_TEXT}\n'
    )
    result = page(source, "latex")
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "excerpt.internal" in result.warnings
    assert r"\begin{wrapfigure}" not in tex
    assert r"\begin{sphinxexcerptblock}{0.400\linewidth}" in tex
    assert r"\sphinxexcerptphotocaption{A title}" in tex
