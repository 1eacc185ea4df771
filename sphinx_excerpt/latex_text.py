"""Text the PDF's engine can set: one character never stops the LaTeX run.

pdflatex stops the whole PDF at the first character its input encoding does not
know (``! LaTeX Error: Unicode character ツ (U+30C4) not set up``), and every engine
stops at a control character (``Text line contains an invalid character``). Before
the LaTeX writer sees a page, this LaTeX-only post-transform makes its text settable:

- every text is NFC-normalised, so ``u`` + U+0308 COMBINING DIAERESIS is ``ü``;
- control characters (U+0007, U+001B …; tab and line ends are kept) are removed,
  with one ``excerpt.latex`` warning per page naming them;
- with pdflatex, invisible format characters (U+200E, ZWJ, RLO, variation
  selectors …) are dropped silently: pdflatex has no bidi or shaping for them to
  steer, and they show nothing;
- with pdflatex, any other character its set-up does not declare (Greek, Cyrillic,
  CJK, Arabic, emoji, a combining mark with no precomposed form …) is shown as its
  code point in a thin frame (``\\sphinxexcerptcharacter``), with one
  ``excerpt.latex`` warning per page naming each character, its name and line.

What pdflatex declares is the table ``data/pdflatex-characters.txt`` (written by
``scripts/pdflatex-characters.py`` from TeX Live's ``.dfu`` files), plus what
Sphinx's ``texescape``, Sphinx's and this extension's LaTeX packages, and the
project's own ``latex_elements`` declare (``\\DeclareUnicodeCharacter``; Greek with an
``LGR`` font encoding, Cyrillic with ``T2A`` or ``X2``).

lualatex with Sphinx's fonts gets the fallback fonts of
:mod:`sphinx_excerpt.latex_fonts`: a character none of them has is shown as its code
point, with the warning, and runs of right-to-left letters are set right to left.
xelatex, and lualatex with the project's own fonts, set what their fonts have: with
them only NFC and control characters apply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.latex.constants import ADDITIONAL_SETTINGS
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.domain import warn_once
from sphinx_excerpt.latex_fonts import chain_coverage
from sphinx_excerpt.nodes import right_to_left, unsettable_character
from sphinx_excerpt.scope import project_shows_excerpt_nodes, shows_excerpt_nodes, source_docname
from sphinx_excerpt.visitors import rendered_as
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

TABLE = Path(__file__).parent / "data" / "pdflatex-characters.txt"
STY = Path(__file__).parent / "static" / "sphinxexcerpt.sty"
#: Font encodings that make a whole script settable with pdflatex (Sphinx loads
#: textalpha for LGR, and its Cyrillic support for T2A/X2).
SCRIPT_ENCODINGS = {
    "LGR": (range(0x0370, 0x0400), range(0x1F00, 0x2000)),
    "T2A": (range(0x0400, 0x0530),),
    "X2": (range(0x0400, 0x0530),),
}
DECLARED = re.compile(r"\\(?:DeclareUnicodeCharacter|sphinxDUC)\{\"?([0-9A-Fa-f]{2,6})\}")
#: Characters every engine refuses (catcode 15 "invalid" or not text): C0 and C1
#: controls and DEL, but tab, line feed and carriage return, which are white space.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
#: Invisible characters beyond the format (Cf) category: combining grapheme joiner
#: and variation selectors (Unicode's default-ignorable code points).
INVISIBLE = frozenset(
    [0x034F, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), *range(0x180B, 0x1810)]
)
MARKER = "\\sphinxexcerptcharacter{{{:04X}}}"  # LaTeX for a character shown as its code point
RTL_START, RTL_END = "{\\textdir TRT ", "}"  # LuaTeX: the run is set right to left
#: Invisible characters lualatex is given even where no font has them: the joiners
#: and selectors shaping needs (HarfBuzz reads them; they print nothing).
INVISIBLE_KEPT = frozenset([0x200C, 0x200D, *range(0xFE00, 0xFE10)])
NAMED, LISTED = 8, 40  # characters named in one warning, and listed by code point


@dataclass
class PageFindings:
    """What one page holds that the PDF cannot show as written: first node of each character."""

    unsettable: dict[str, nodes.Node] = field(default_factory=dict)
    controls: dict[str, nodes.Node] = field(default_factory=dict)


@cache
def tex_table() -> frozenset[int]:
    """The characters TeX Live's pdflatex declares with Sphinx's preamble (the data file)."""
    points: set[int] = set()
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


@cache
def _base_settable() -> frozenset[int]:
    sphinx = [ord(c) for c, _ in (*texescape.tex_replacements, *texescape.unicode_tex_replacements)]
    declared = declared_in(
        [STY.read_text(encoding="utf-8"), ADDITIONAL_SETTINGS["pdflatex"]["utf8extra"]]
    )
    return tex_table() | frozenset(sphinx) | declared


def declared_in(texts: Iterable[str]) -> frozenset[int]:
    """Code points that ``\\DeclareUnicodeCharacter`` (or Sphinx's ``\\sphinxDUC``) sets up."""
    return frozenset(int(h, 16) for text in texts for h in DECLARED.findall(text))


def pdflatex_settable(context: Mapping[str, Any] | None = None) -> frozenset[int]:
    """What pdflatex sets with Sphinx's preamble and ``context`` (the project's
    ``latex_elements``: its ``fontenc``, ``preamble`` …)."""
    if not context:
        return _base_settable()
    values = [v for v in context.values() if isinstance(v, str)]
    extra: set[int] = set(declared_in(values))
    fontenc = str(context.get("fontenc", ""))
    for encoding, blocks in SCRIPT_ENCODINGS.items():
        if re.search(rf"\b{encoding}\b", fontenc):
            for block in blocks:
                extra.update(block)
    return _base_settable() | extra


def is_invisible(char: str) -> bool:
    """A default-ignorable character: no glyph of its own (bidi marks, joiners …)."""
    return unicodedata.category(char) == "Cf" or ord(char) in INVISIBLE


def describe(char: str) -> str:
    """``U+30C4 KATAKANA LETTER TU``: the code point and the character's name."""
    point = ord(char)
    if point < 0x20:
        name = C0_NAMES[point]
    elif point == 0x7F:
        name = "DEL"
    else:
        name = unicodedata.name(char, "") or {
            "Cc": "control",
            "Co": "private use",
            "Cn": "unassigned",
            "Cs": "surrogate",
        }.get(unicodedata.category(char), "unnamed")
    return f"U+{point:04X} {name}"


class RightToLeft(str):
    """A run of right-to-left text (Hebrew, Arabic …) among the parts of a text."""


@dataclass
class Charset:
    """What the configured engine sets. ``settable`` is ``None`` when the extension cannot
    tell (xelatex, lualatex with the project's own fonts, other engines): then every
    character but controls goes to LaTeX. ``right_to_left``: runs of right-to-left
    letters are marked (lualatex sets them right to left)."""

    engine: str
    settable: frozenset[int] | None
    right_to_left: bool = False

    def split(self, text: str, found: dict[str, str]) -> list[str | int]:
        """``text`` as settable runs (:class:`RightToLeft` where they are) and the code
        points of unsettable characters; removed and unsettable characters are added to
        ``found`` (character → ``"control"`` or ``"unsettable"``)."""
        parts: list[str | int] = []
        start = 0
        for index, char in enumerate(text):
            verdict = self.verdict(char)
            if verdict is None:
                continue
            parts.append(text[start:index])
            start = index + 1
            if verdict == "unsettable":
                parts.append(ord(char))
            if verdict != "invisible":
                found.setdefault(char, verdict)
        parts.append(text[start:])
        if self.right_to_left:
            parts = [r for p in parts for r in (rtl_runs(p) if isinstance(p, str) else [p])]
        return [p for p in parts if p != ""]

    def verdict(self, char: str) -> str | None:
        """``None`` (set as it is), ``"control"``, ``"invisible"`` or ``"unsettable"``."""
        if char < "\x80":
            return "control" if CONTROL.match(char) else None
        if self.settable is None or ord(char) in self.settable:
            return "control" if CONTROL.match(char) else None
        if CONTROL.match(char):
            return "control"
        return "invisible" if is_invisible(char) else "unsettable"

    def needs_work(self, text: str) -> bool:
        """Whether ``text`` may hold a character to normalise, remove, replace or turn."""
        if text.isascii():
            return CONTROL.search(text) is not None
        return True


def rtl_runs(text: str) -> list[str]:
    """``text`` split into runs, the right-to-left ones as :class:`RightToLeft`: from a
    right-to-left letter to the last one before a left-to-right letter or a digit, with
    what stands between (spaces, marks, punctuation)."""
    runs: list[str] = []
    start = first = last = -1
    for index, char in enumerate(text):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            if first < 0:
                first = index
            last = index
        elif kind == "NSM" and first >= 0 and last == index - 1:
            last = index  # a combining mark on the last letter
        elif kind in ("L", "EN", "AN") and first >= 0:  # digits stay left to right
            runs += [text[start + 1 : first], RightToLeft(text[first : last + 1])]
            start, first = last, -1
    if first >= 0:
        runs += [text[start + 1 : first], RightToLeft(text[first : last + 1])]
        start = last
    runs.append(text[start + 1 :])
    return runs if len(runs) > 1 else [text]


def charset_for(config: Config) -> Charset:
    """The :class:`Charset` of the project's engine, with its ``latex_elements``."""
    engine = config.latex_engine
    if engine == "pdflatex":
        return Charset(engine, pdflatex_settable(config.latex_elements))
    if engine == "lualatex":
        covered = chain_coverage() if "fontpkg" not in config.latex_elements else None
        if covered is not None:
            covered |= INVISIBLE_KEPT | frozenset(ord(c) for c, _ in texescape.tex_replacements)
        return Charset(engine, covered, right_to_left=True)
    return Charset(engine, None)


def tex_escape(text: str, config: Config) -> str:
    """Text from a source as LaTeX the project's engine can set (for values outside the
    doctree, such as the document's title): NFC, escaped as Sphinx escapes text,
    unsettable characters as their code points. The page's doctree says what is replaced
    (and warns)."""
    engine = config.latex_engine
    out = []
    for part in charset_for(config).split(unicodedata.normalize("NFC", text), {}):
        if isinstance(part, int):
            out.append(MARKER.format(part))
        elif isinstance(part, RightToLeft):
            out.append(RTL_START + texescape.escape(part, engine) + RTL_END)
        else:
            out.append(texescape.escape(part, engine))
    return "".join(out)


def beyond_pdflatex(text: str) -> list[str]:
    """The characters of ``text`` that pdflatex (with Sphinx's defaults) cannot set."""
    found: dict[str, str] = {}
    Charset("pdflatex", pdflatex_settable()).split(unicodedata.normalize("NFC", text), found)
    return [char for char, verdict in found.items() if verdict == "unsettable"]


def located(node: nodes.Node) -> nodes.Node:
    """The nearest element with a line number (text nodes have none of their own)."""
    current: nodes.Node | None = node
    while current is not None:
        if getattr(current, "line", None):
            return current
        current = current.parent
    return node.parent or node


class LatexCharacters(SphinxPostTransform):
    """Make every text of a page settable by the configured LaTeX engine (LaTeX only)."""

    builders = ("latex",)
    default_priority = priorities.LATEX_CHARACTERS

    @guard.rewrite
    def run(self, **kwargs: Any) -> None:
        if not project_shows_excerpt_nodes(self.env):
            return  # a project without excerpt pages gets the .tex it got before
        charset = charset_for(self.config)
        # by source file: a LaTeX document may hold many pages
        findings: dict[str | None, PageFindings] = {}
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, nodes.raw) or not charset.needs_work(text):
                continue
            if not shows_excerpt_nodes(self.env, source_docname(parent, self.env)):
                continue  # only what is ours: other pages stay as Sphinx writes them
            self.settle(text, parent, charset, findings)
        for page in findings.values():
            self.report(page, charset)

    def settle(
        self,
        text: nodes.Text,
        parent: nodes.Element,
        charset: Charset,
        findings: dict[str | None, PageFindings],
    ) -> None:
        """Replace ``text`` by its settable form, noting what it held."""
        normal = unicodedata.normalize("NFC", str(text))
        found: dict[str, str] = {}
        parts = charset.split(normal, found)
        if found:
            where = located(parent)
            page = findings.setdefault(where.source, PageFindings())
            for char, verdict in found.items():
                table = page.controls if verdict == "control" else page.unsettable
                table.setdefault(char, where)
        if parts == [text] and not isinstance(parts[0], RightToLeft):
            return  # nothing to change
        if isinstance(parent, nodes.math | nodes.math_block):
            new: list[nodes.Node] = [nodes.Text(_joined(parts, MARKER))]
        elif isinstance(parent, nodes.FixedTextElement):
            # code is highlighted from its text: the code point goes in as text
            before = parent.astext()
            new = [nodes.Text(_joined(parts, "[U+{:04X}]"))]
        else:
            new = [_node(p) for p in parts]
        guard.keep(parent)
        index = parent.index(text)
        parent[index : index + 1] = new
        if isinstance(parent, nodes.FixedTextElement) and parent.rawsource == before:
            parent.rawsource = parent.astext()  # else Sphinx takes it for a parsed literal

    def report(self, findings: PageFindings, charset: Charset) -> None:
        """One warning for the page's control characters, one for what cannot be set."""
        if findings.controls:
            warn_once(
                self.env,
                Subtype.LATEX,
                f"control characters removed from the PDF: {_listing(findings.controls)}",
                node=next(iter(findings.controls.values())),
            )
        if not findings.unsettable:
            return
        if charset.engine == "pdflatex":
            why = (
                f"pdflatex cannot set {_listing(findings.unsettable)}; the PDF shows each as "
                "its code point in a frame (latex_engine = 'lualatex' sets them, with fonts "
                "that have them)"
            )
        else:
            why = (
                f"no font of the PDF has {_listing(findings.unsettable)}; the PDF shows "
                "each as its code point in a frame (install a font that has them, such as "
                "Debian's fonts-noto-core, fonts-noto-cjk or fonts-noto-extra)"
            )
        warn_once(self.env, Subtype.LATEX, why, node=next(iter(findings.unsettable.values())))


def _node(part: str | int) -> nodes.Node:
    if isinstance(part, int):
        return unsettable_character("", chr(part))
    if isinstance(part, RightToLeft):
        return right_to_left("", str(part))
    return nodes.Text(part)


def _joined(parts: list[str | int], marker: str) -> str:
    return "".join(marker.format(p) if isinstance(p, int) else p for p in parts)


def _listing(found: dict[str, nodes.Node]) -> str:
    """Each character by code point and name (past ``NAMED``, by code point only), at its
    first line."""
    items: list[str] = []
    for index, (char, node) in enumerate(found.items()):
        if index == LISTED:
            return ", ".join(items) + f" and {len(found) - LISTED} more"
        what = describe(char) if index < NAMED else f"U+{ord(char):04X}"
        items.append(f"{what} (line {node.line})" if node.line else what)
    return ", ".join(items)


# ---------------------------------------------------------------- builders


@guard.appends_only
def visit_character_latex(self: LaTeXTranslator, node: unsettable_character) -> None:
    self.body.append(MARKER.format(ord(node.astext()[0])))
    raise nodes.SkipNode


@guard.appends_only
def visit_rtl_latex(self: LaTeXTranslator, node: right_to_left) -> None:
    self.body.append(RTL_START)


@guard.appends_only
def depart_rtl_latex(self: LaTeXTranslator, node: right_to_left) -> None:
    self.body.append(RTL_END)


def setup_latex_text(app: Sphinx) -> None:
    # other builders never see the node (LaTeX only); if one does, it is its text
    guard.add_node(
        app,
        unsettable_character,
        latex=(visit_character_latex, None),
        **dict.fromkeys(("html", "text", "man", "texinfo"), rendered_as("inline")),
    )
    guard.add_node(
        app,
        right_to_left,
        latex=(visit_rtl_latex, depart_rtl_latex),
        **dict.fromkeys(("html", "text", "man", "texinfo"), rendered_as("inline")),
    )
    app.add_post_transform(LatexCharacters)
