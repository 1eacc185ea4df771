"""The PDF: the extension's LaTeX package and the document set-up of excerpt projects."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.fileutil import copy_asset_file

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STY = Path(__file__).parent / "static" / "sphinxexcerpt.sty"


def copy_latex_package(app: Sphinx) -> None:
    """Put ``sphinxexcerpt.sty`` beside the ``.tex`` files Sphinx writes."""
    if app.builder.format == "latex":
        copy_asset_file(STY, app.builder.outdir, force=True)


def setup_latex(app: Sphinx) -> None:
    app.add_latex_package("sphinxexcerpt")
    app.connect("builder-inited", copy_latex_package)
