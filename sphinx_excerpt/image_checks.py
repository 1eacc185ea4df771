"""Images LaTeX would stop on: a broken file, or a size it cannot measure.

pdflatex stops the whole PDF on an image file that is no image (a text file named
``.png``), that ends early (a truncated PNG, a JPEG cut before its size), or whose
natural size passes TeX's largest length (16,383 pt: a 30,000-px PNG at 72 dpi), and
on a width or height written larger than that (``{width=100000px}``).

Files are checked before LaTeX sees them, from their first bytes, a PNG's chunk
headers and the size in their header (the ``imagesize`` package Sphinx itself uses):
a file that fails becomes the framed placeholder of
:mod:`sphinx_excerpt.latex_images`, with one ``excerpt.latex`` warning at the image.
A written width or height larger than any page is set to the text block (the width
to the line's width, a floated photo's to half of it; the height left to Sphinx, which
fits an image into the page), with one warning.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import imagesize
from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.domain import warn_once
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

#: How each type LaTeX includes starts (pdflatex reads a file by these, not by its name).
SIGNATURES = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "application/pdf": b"%PDF-",
}
NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "application/pdf": "PDF"}
PNG_END = b"IEND"
JPEG_SCAN, JPEG_END = 0xDA, b"\xff\xd9"  # start of scan; end of image
CHUNK = 1 << 16
#: The largest natural size pdflatex measures (TeX's \maxdimen is 16,383.99 pt), in bp.
MAX_NATURAL_BP = 16000
DEFAULT_DPI = 72  # pdflatex's \pdfimageresolution, for files that give none
#: A written width or height past this (in bp, about 53 cm) is larger than any page.
PAGE_LIMIT_BP = 1500
#: Lengths of written sizes in bp (px as Sphinx's \sphinxpxdimen, % of a 6.5 in line;
#: the CSS units Sphinx maps to LaTeX at about a 10 pt font).
UNIT_BP = {
    "": 0.75,
    "px": 0.75,
    "pt": 1.0,
    "bp": 1.0,
    "pc": 12.0,
    "in": 72.0,
    "cm": 72 / 2.54,
    "mm": 72 / 25.4,
    "Q": 72 / 101.6,
    "em": 10.0,
    "ex": 4.5,
    "ch": 5.0,
    "rem": 10.0,
    "%": 4.68,
    "vw": 6.12,
    "vh": 7.92,
    "vmin": 6.12,
    "vmax": 7.92,
}
FLOAT_WIDTH = "50%"  # the widest a floated photo is (figures.py: 20-50 % of the column)
LENGTH = re.compile(r"^\s*(\d*\.?\d+)\s*([a-zA-Z%]*)\s*$")


def file_problem(path: Path, mimetype: str) -> str | None:
    """Why pdflatex would stop on the image file at ``path`` (named as ``mimetype``), or
    ``None``. A JPEG named ``.png`` is fine: pdflatex goes by the file's first bytes.
    A file is read once per process while it is unchanged (a page is written into its
    own PDF and the project's)."""
    try:
        stat = path.stat()
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    return _file_problem(str(path), mimetype, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _file_problem(name: str, mimetype: str, mtime: int, size: int) -> str | None:
    path = Path(name)
    try:
        with path.open("rb") as file:
            head = file.read(max(map(len, SIGNATURES.values())))
            actual = next((t for t, s in SIGNATURES.items() if head.startswith(s)), None)
            if actual is None:
                return f"it is not a {NAMES[mimetype]} file"
            if actual == "image/png" and not png_complete(file):
                return "the PNG file is incomplete (truncated)"
            if actual == "image/jpeg" and not jpeg_complete(file):
                return "the JPEG file is incomplete (truncated)"
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    if actual == "application/pdf":
        return None
    width, height = imagesize.get(str(path))
    if width <= 0 or height <= 0:
        return f"the {NAMES[actual]} file has no readable size (truncated or damaged)"
    dpi = max(DEFAULT_DPI, *imagesize.getDPI(str(path)))
    if max(width, height) * 72 / dpi > MAX_NATURAL_BP:
        return f"it is too large for LaTeX to measure ({width} × {height} px)"
    return None


def png_complete(file: BinaryIO) -> bool:
    """Whether the PNG's chunks run whole up to its end chunk (read past the signature;
    only the chunk headers are read)."""
    file.seek(len(SIGNATURES["image/png"]))
    while True:
        header = file.read(8)
        if len(header) < 8:
            return False
        if header[4:] == PNG_END:
            return True
        length = int.from_bytes(header[:4], "big")
        file.seek(length + 4, 1)  # the chunk's data and CRC


def jpeg_complete(file: BinaryIO) -> bool:
    """Whether the JPEG's image data ends (with its end marker, after the start of scan).

    pdflatex includes a JPEG cut in its image data, and the PDF shows an empty box. The
    segments before the scan are skipped by their lengths (an Exif thumbnail has an end
    marker of its own); in the scan data a 0xFF byte is always escaped, so the first end
    marker there is the image's (data may follow it: a motion photo's video).
    """
    file.seek(2)
    while True:
        marker = file.read(4)
        if len(marker) < 4 or marker[0] != 0xFF:
            return False
        if marker[1] == JPEG_SCAN:
            break
        file.seek(int.from_bytes(marker[2:], "big") - 2, 1)
    scan = file.tell()
    file.seek(-2, 2)
    if file.tell() >= scan and file.read(2) == JPEG_END:
        return True  # the usual case: the file ends with the image
    file.seek(scan)
    carry = b""
    while block := file.read(CHUNK):
        if JPEG_END in carry + block:
            return True
        carry = block[-1:]
    return False


def length_bp(value: str) -> float | None:
    """A written image length in bp, roughly (``None`` when it is not a length)."""
    match = LENGTH.match(value)
    if match is None or match[2] not in UNIT_BP:
        return None
    return float(match[1]) * UNIT_BP[match[2]]


class LatexImageSizes(SphinxPostTransform):
    """Set written sizes of images and figures larger than any page to the text block
    (LaTeX only)."""

    builders = ("latex",)
    default_priority = priorities.LATEX_IMAGE_SIZES

    @guard.rewrite
    def run(self, **kwargs: Any) -> None:
        # a floated photo's width is its figure's (the wrapped float's width)
        # (findall with a condition is typed as giving nodes; _sized gives elements only)
        for image in cast("Iterator[nodes.Element]", self.document.findall(_sized)):
            scale = image.get("scale", 100) / 100
            clamped = []
            for key in ("width", "height"):
                size = length_bp(str(image.get(key, "")))
                if size is not None and size * scale > PAGE_LIMIT_BP:
                    guard.keep(image)
                    clamped.append(f"{key} {image[key]}")
                    if key == "width":
                        # a floated photo keeps room for the text beside it
                        image["width"] = FLOAT_WIDTH if image.get("float") else "100%"
                        image.attributes.pop("scale", None)
                    else:
                        del image["height"]
            if clamped:
                warn_once(
                    self.env,
                    Subtype.LATEX,
                    f"the image {_uri(image)} is larger than any page ({', '.join(clamped)}); "
                    "the PDF fits it to the text block",
                    node=image,
                )


def _sized(node: nodes.Node) -> bool:
    return isinstance(node, nodes.image | nodes.figure) and (
        "width" in node.attributes or "height" in node.attributes
    )


def _uri(node: nodes.Element) -> str:
    image = node if isinstance(node, nodes.image) else next(node.findall(nodes.image), None)
    return image["uri"] if image is not None else "of the figure"


def setup_image_checks(app: Sphinx) -> None:
    app.add_post_transform(LatexImageSizes)
