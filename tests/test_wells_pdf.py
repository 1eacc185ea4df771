"""The well in the PDF: a framed, shaded box, small print smaller, links that work."""

from __future__ import annotations

import pytest
from conftest import copy_root, latexpdf

pytestmark = pytest.mark.pdf


def test_well_is_framed_with_small_print_and_a_link(tmp_path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    proc, latexdir = latexpdf(copy_root("wells", tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    pdf = next(latexdir.glob("*.pdf"))
    with pdfplumber.open(pdf) as doc:
        page = next(
            p
            for p in doc.pages
            if "Excerpt from Mara Quill" in (p.extract_text(x_tolerance=1.5) or "")
        )
        words = page.extract_words(x_tolerance=1.5, extra_attrs=["size"])
        first = next(w for w in words if w["text"] == "Excerpt")
        credit = next(w for w in words if w["text"] == "Drawings")
        top, bottom = first["top"], credit["bottom"]
        covering = [
            shape
            for shape in page.rects + page.lines
            if shape["top"] <= top - 1 and shape["bottom"] >= bottom + 1
        ]
        left = [s for s in covering if s["x0"] < first["x0"] - 2]
        right = [s for s in covering if s["x1"] > credit["x1"] + 2]
        assert left and right, "the citation is not framed"
        shaded = [
            r for r in covering if r in page.rects and r["fill"] and r["non_stroking_color"] != (1,)
        ]
        assert shaded and all(c < 1 for c in shaded[0]["non_stroking_color"]), "not shaded"
        assert credit["size"] < first["size"], "small print is not smaller"
        links = [a.get("uri") for a in page.hyperlinks]
        assert "https://example.org/drawings" in links
