"""Fonts for lualatex that cover the world's scripts: a fallback chain of Noto fonts.

Sphinx's lualatex set-up uses the GNU FreeFont family (FreeSerif, FreeSans, FreeMono),
which has Latin, Greek, Cyrillic and Hebrew but no CJK, Arabic shaping, Devanagari or
most symbols: lualatex then leaves such a character out of the PDF, with only a
"Missing character" line in its log. When the project uses lualatex and keeps Sphinx's
fonts (``latex_elements`` sets no ``fontpkg``), the extension gives every font a
*fallback* (luaotfload's): a character the font lacks is taken from the first font of
:data:`FALLBACK_FAMILIES` that has it (Noto and DejaVu, Debian's ``fonts-noto-core``,
``fonts-noto-cjk`` and ``fonts-dejavu-core``). Fonts that are not installed are left
out of the chain.

Each LaTeX document gets only the fallback fonts its characters need (every font
instance loads its whole chain, and a CJK font is large). What the fonts cover is
read from fontconfig (``fc-match``, ``fc-query``), once per process;
:mod:`sphinx_excerpt.latex_text` shows a character no font covers as its code point,
with a warning. Runs of right-to-left letters (Hebrew, Arabic …) are set right
to left (LuaTeX's ``\\textdir TRT``); full bidi (numbers inside them, mirrored
brackets) is not done.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders.latex.constants import LUALATEX_DEFAULT_FONTPKG

from sphinx_excerpt import guard

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Sphinx's own fonts for lualatex (its ``fontpkg``), which the chain falls back from.
MAIN_FAMILIES = ("FreeSerif", "FreeSans", "FreeMono")
#: The fallback chain, in order: wide Latin/Greek/Cyrillic, CJK, the scripts of the
#: world's larger languages, then symbols.
FALLBACK_FAMILIES = (
    "Noto Serif",
    "Noto Serif CJK SC",
    "Noto Naskh Arabic",
    "Noto Serif Hebrew",
    "Noto Serif Devanagari",
    "Noto Serif Bengali",
    "Noto Serif Tamil",
    "Noto Serif Thai",
    "Noto Serif Armenian",
    "Noto Serif Georgian",
    "Noto Serif Ethiopic",
    "DejaVu Sans",
    "Noto Sans Math",
    "Noto Sans Symbols",
    "Noto Sans Symbols2",
)
FALLBACK = "sphinxexcerpt"
TIMEOUT = 20  # seconds for one fontconfig call
RANGE = re.compile(r"([0-9a-f]+)(?:-([0-9a-f]+))?")


def uses_chain(app: Sphinx) -> bool:
    """Whether this build's PDF uses the fallback chain (lualatex with Sphinx's fonts)."""
    return app.config.latex_engine == "lualatex" and "fontpkg" not in app.config.latex_elements


@cache
def installed(family: str) -> tuple[str, str] | None:
    """The font file and face index fontconfig has for ``family`` (``None``: not installed)."""
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "--format=%{family}\n%{file}\n%{index}", f"{family}:style=Regular"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 3 or family not in out[0].split(","):
        return None  # fontconfig substituted another family
    return out[1], out[2]


@cache
def coverage(family: str) -> frozenset[int]:
    """The characters ``family`` has (empty when it is not installed)."""
    found = installed(family)
    if found is None or shutil.which("fc-query") is None:
        return frozenset()
    file, index = found
    try:
        charset = subprocess.run(
            ["fc-query", "--index", index, "--format=%{charset}", file],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    points: set[int] = set()
    for first, last in RANGE.findall(charset):
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


@cache
def chain_coverage() -> frozenset[int] | None:
    """What the main fonts and the chain cover together (``None``: fontconfig cannot say)."""
    if installed(MAIN_FAMILIES[0]) is None:
        return None
    covered: set[int] = set()
    for family in (*MAIN_FAMILIES, *FALLBACK_FAMILIES):
        covered |= coverage(family)
    return frozenset(covered)


@cache
def main_coverage() -> frozenset[int]:
    """What each of Sphinx's own fonts has (serif, sans and mono: a character any of them
    lacks needs the fallback, where that font sets it)."""
    covered = [coverage(family) for family in MAIN_FAMILIES]
    return covered[0].intersection(*covered[1:])


def families_for(points: set[int]) -> list[str]:
    """The fallback families a document needs for ``points``, in the chain's order (for
    each character the main fonts lack, the first family that has it)."""
    missing = points - main_coverage()
    needed: list[str] = []
    for family in FALLBACK_FAMILIES:
        if not missing:
            break
        found = missing & coverage(family)
        if found:
            needed.append(family)
            missing -= found
    return needed


def fallback_setup(families: list[str]) -> str:
    """The LaTeX that defines the chain of ``families`` and makes it every font's fallback."""
    fonts = ", ".join(f'"{family}:mode=harf;"' for family in families)
    return (
        "% sphinx-excerpt: characters the fonts below lack come from these (luaotfload)\n"
        f"\\directlua{{luaotfload.add_fallback('{FALLBACK}', {{{fonts}}})}}\n"
        f"\\defaultfontfeatures{{RawFeature={{fallback={FALLBACK}}}}}\n"
    )


def set_document_fonts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the LaTeX document being written the fallback fonts its characters need.

    Each font instance loads its whole fallback chain (a CJK font is large), so a
    document gets only the families its own characters need, and none when Sphinx's
    fonts have them all. The builder writes the document with this template value
    (``doctree-resolved`` comes for the whole document just before it is written).
    """
    if not uses_chain(app):
        return
    points: set[int] = set()
    for text in doctree.findall(nodes.Text):
        if not text.isascii():
            points.update(map(ord, text))
    families = families_for(points)
    fontpkg = fallback_setup(families) if families else ""
    app.builder.context["fontpkg"] = fontpkg + LUALATEX_DEFAULT_FONTPKG  # type: ignore[attr-defined]


def setup_latex_fonts(app: Sphinx) -> None:
    guard.connect(app, "builder-inited", connect_document_fonts)


def connect_document_fonts(app: Sphinx) -> None:
    """``builder-inited``: :func:`set_document_fonts` for each document of a LaTeX build
    only (any other build would call it at every page, for nothing)."""
    if app.builder.format == "latex":
        guard.connect(app, "doctree-resolved", set_document_fonts)
