"""Images LaTeX cannot include: a framed placeholder with the alt text in the LaTeX source."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOTS, run_build

SVG_FILE = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>\n'

PAGE = """\
Title: Placeholders

Text with ![Wordinline](/gone/a.png) inside a line.

[![Wordlinked](/gone/b.png)](https://example.org/b)

![](/gone/nameless.png)

![Wordshape](/shape.svg)
"""


@pytest.fixture
def latex(tmp_path):
    def _latex(*extensions: str):
        src = tmp_path / "src"
        src.mkdir(exist_ok=True)
        (src / "conf.py").write_text(f"extensions = {['sphinx_excerpt', *extensions]!r}\n")
        (src / "index.md").write_text(PAGE)
        (src / "shape.svg").write_text(SVG_FILE)
        result = run_build(src, "latex", outdir=tmp_path / f"out{len(extensions)}")
        tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
        return result, tex

    return _latex


def test_missing_images_become_placeholders_where_they_stood(latex):
    result, tex = latex()
    assert r"Text with \sphinxexcerptinlineplaceholder{Wordinline} inside a line." in tex
    assert (
        r"\sphinxhref{https://example.org/b}{\noindent\sphinxexcerptimageplaceholder{Wordlinked}}"
        in tex
    )
    assert r"\sphinxexcerptimageplaceholder{nameless.png}" in tex  # no alt: the file name
    assert r"\sphinxexcerptimageplaceholder{Wordshape}" in tex
    assert "includegraphics" not in tex
    ours = [w for w in result.warning_lines() if "[excerpt." in w]
    assert len(ours) == 1 and "index.md:9:" in ours[0] and "shape.svg" in ours[0], ours


CONVERTER = """
import shutil
from sphinx.transforms.post_transforms.images import ImageConverter

class SvgToPng(ImageConverter):
    conversion_rules = [("image/svg+xml", "image/png")]

    def is_available(self):
        return True

    def convert(self, _from, _to):
        shutil.copy(PNG, _to)
        return True

def setup(app):
    app.add_post_transform(SvgToPng)
"""


def test_an_image_converter_turns_the_svg_into_an_image(latex, tmp_path):
    png = ROOTS / "test-excerpt" / "files" / "images" / "harbour.png"
    (tmp_path / "svgtopng.py").write_text(f"PNG = {str(png)!r}\n" + CONVERTER)
    sys.path.insert(0, str(tmp_path))
    try:
        result, tex = latex("svgtopng")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("svgtopng", None)
    assert r"\sphinxexcerptimageplaceholder{Wordshape}" not in tex
    assert r"\sphinxincludegraphics{{shape}.png}" in tex
    assert not [w for w in result.warning_lines() if "[excerpt." in w]
