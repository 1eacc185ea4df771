"""pandoc as the test oracle: what a reader sees in Pandoc's HTML and in ours.

A page is rendered twice: by ``pandoc -f markdown -t html5 --mathjax`` (as Pelican's
pandoc_reader runs it: the header lines are Pelican's, only the body reaches pandoc)
and by a Sphinx HTML build with the extension. Each HTML is reduced to a
:class:`ReaderView` (visible words, heading outline, tables, definition lists, code,
block quotes, math, images, external links, footnote texts, visible syntax), and
:func:`compare` says where they differ.

The deliberate differences are the rows of the table in ``docs/explanation.md``
(section "Where our pages differ from Pandoc's on purpose"); each row's key names one
function in :data:`DELIBERATE`, which removes that difference from the views before
they are compared. The table is the one list: a row without a function, or a function
without a row, fails :func:`deliberate_keys`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

EXPLANATION = Path(__file__).resolve().parent.parent / "docs" / "explanation.md"
DELIBERATE_HEADING = "## Where our pages differ from Pandoc's on purpose"
#: The pandoc command: Pandoc's Markdown, HTML5, TeX math for MathJax.
PANDOC = ["pandoc", "-f", "markdown", "-t", "html5", "--mathjax"]
#: Syntax that must not be visible in our page unless it is visible in Pandoc's too.
SYNTAX = (
    "{#",
    "{.",
    "{-",
    "$$",
    "^[",
    "[^",
    ":::",
    "|---",
    "---|",
    "+---",
    "[TOC]",
    "](",
    "]:",
    "][",
    "~~",
    "{static}",
    "{filename}",
    "{attach}",
    "|filename|",
    "<div",
    "</",
    "\\begin",
)
#: Syntax at the start of a line (line blocks), counted in the text with its line breaks.
LINE_SYNTAX = {"| (line block)": re.compile(r"^[ \t]*\| ", re.MULTILINE)}
WORD = re.compile(r"\w+")


@dataclass
class ReaderView:
    """What a reader sees in one rendered page."""

    words: Counter[str] = field(default_factory=Counter)
    text: str = ""
    lines: str = ""
    outline: list[tuple[int, str]] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    math: list[str] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    """Where our view differs from Pandoc's."""

    recall: float
    precision: float
    missing: Counter[str]
    extra: Counter[str]
    leaked: list[str]
    differences: dict[str, tuple[Any, Any]]

    def at_parity(self, recall: float = 0.995, precision: float = 0.99) -> bool:
        return (
            self.recall >= recall
            and self.precision >= precision
            and not self.leaked
            and not self.differences
        )

    def explain(self) -> str:
        lines = [f"recall {self.recall:.4f}, precision {self.precision:.4f}"]
        if self.missing:
            lines.append(f"missing words: {dict(self.missing.most_common(20))}")
        if self.extra:
            lines.append(f"extra words: {dict(self.extra.most_common(20))}")
        if self.leaked:
            lines.append(f"syntax visible in ours only: {self.leaked}")
        for name, (ours, theirs) in self.differences.items():
            lines.append(f"{name} differ:\n  ours:   {ours!r}\n  pandoc: {theirs!r}")
        return "\n".join(lines)


# ---------------------------------------------------------------- rendering


def has_pandoc() -> bool:
    return shutil.which("pandoc") is not None


def split_header(markdown: str) -> tuple[dict[str, str], str]:
    """Pelican's header (``Key: value`` lines, or ``---``-fenced) and the body."""
    lines = markdown.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        header, body = lines[1:end], lines[end + 1 :]
    else:
        end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
        header, body = lines[:end], lines[end:]
    fields = {}
    for line in header:
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields, "\n".join(body) + "\n"


def pandoc_html(markdown: str) -> str:
    """Pandoc's HTML of a page's body (the header is Pelican's, as pandoc_reader does)."""
    _, body = split_header(markdown)
    proc = subprocess.run(PANDOC, input=body, capture_output=True, text=True, check=True)
    return proc.stdout


# ---------------------------------------------------------------- reading a page


#: Pandoc's ``smart`` typography, undone: Sphinx's SmartQuotes does the same for text
#: but not for attributes (an image's alt text), so both sides are compared plain.
PLAIN_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def squash(text: str) -> str:
    """``text`` with its white space runs as single spaces and plain quotes."""
    return " ".join(text.translate(PLAIN_TYPOGRAPHY).split())


def pandoc_view(html: str) -> ReaderView:
    """The reader's view of Pandoc's HTML fragment."""
    soup = BeautifulSoup(f"<main>{html}</main>", "lxml").main
    assert soup is not None
    notes = []
    for item in soup.select("section.footnotes li"):
        for back in item.select("a.footnote-back"):
            back.decompose()
        notes.append(squash(item.get_text(" ")))
    for node in soup.select("section.footnotes, a.footnote-ref"):
        node.decompose()
    return read_view(soup, notes)


def our_view(html: str) -> ReaderView:
    """The reader's view of the body of one of our built HTML pages."""
    page = BeautifulSoup(html, "lxml")
    body = page.select_one('div[role="main"], main, div.body') or page
    notes = []
    for aside in body.select("aside.footnote"):
        for label in aside.select("span.label"):
            label.decompose()
        notes.append(squash(aside.get_text(" ")))
    for node in body.select(
        "aside.footnote-list, hr.footnotes, a.footnote-reference, a.headerlink, script, style"
    ):
        node.decompose()
    return read_view(body, notes)


def read_view(root: Tag, notes: list[str]) -> ReaderView:
    view = ReaderView(notes=sorted(notes))
    view.ids = {str(tag["id"]) for tag in root.find_all(id=True)}
    for math in root.select(".math"):
        view.math.append(normal_math(math.get_text()))
        math.replace_with(" ")
    view.math.sort()
    for level in range(1, 7):
        for heading in root.find_all(f"h{level}"):
            heading["data-level"] = str(level)
    view.outline = [
        (int(str(h["data-level"])), squash(h.get_text(" ")))
        for h in root.find_all(attrs={"data-level": True})
    ]
    view.tables = [
        [[squash(cell.get_text(" ")) for cell in row.find_all(["th", "td"])] for row in rows]
        for rows in (table.find_all("tr") for table in root.find_all("table"))
    ]
    for dl in root.find_all("dl"):
        for dt in dl.find_all("dt", recursive=False):
            dd = dt.find_next_sibling("dd")
            view.definitions.append(
                (squash(dt.get_text(" ")), squash(dd.get_text(" ")) if dd else "")
            )
    view.code = [pre.get_text().strip("\n") for pre in root.find_all("pre")]
    view.quotes = [squash(q.get_text(" ")) for q in root.find_all("blockquote")]
    view.images = sorted(
        (Path(str(img.get("src", ""))).name, squash(str(img.get("alt", ""))))
        for img in root.find_all("img")
    )
    view.links = sorted(
        urllib.parse.unquote(str(a["href"]))
        for a in root.find_all("a", href=True)
        if re.match(r"(https?|mailto|ftp):", str(a["href"]))
    )
    view.anchors = [
        str(a["href"])[1:]
        for a in root.find_all("a", href=re.compile("^#."))
        if a.find_parent("pre") is None  # Pandoc's line anchors in code
    ]
    # block elements end a word, wherever the HTML has no space between them
    blocks = ["p", "div", "li", "dt", "dd", "td", "th", "tr", "br", "figcaption", "caption"]
    blocks += ["h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "aside"]
    for block in root.find_all(blocks):
        block.insert_after(" ")
    view.lines = root.get_text("")
    view.text = squash(view.lines)
    view.words = Counter(WORD.findall(view.text))
    return view


def normal_math(tex: str) -> str:
    """TeX as written, without MathJax's delimiters and spaces."""
    tex = tex.strip()
    for left, right in (("\\(", "\\)"), ("\\[", "\\]")):
        if tex.startswith(left) and tex.endswith(right):
            tex = tex[2:-2]
    return "".join(tex.split())


# ---------------------------------------------------------------- deliberate differences


def drop_title_and_dates(ours: Tag, theirs: Tag) -> None:
    """Our page shows its title (the ``h1``) and date line; Pandoc's body has neither."""
    for node in ours.select("p.excerpt-dates"):
        node.decompose()
    title = ours.find("h1")
    if title is not None:
        title.decompose()


def drop_contents_list(ours: Tag, theirs: Tag) -> None:
    """``[TOC]`` is our contents list; Pandoc prints the marker as text."""
    for node in ours.select("nav.excerpt-contents"):
        node.decompose()
    for text in theirs.find_all(string=re.compile(r"\[TOC\]")):
        text.replace_with(text.replace("[TOC]", ""))


def photo_captions(ours: Tag, theirs: Tag) -> None:
    """Our photos show their title as a caption; Pandoc shows an image's alt text.

    Pandoc's implicit figures caption a lone image with its alt text; we caption a
    floated photo with its title, and a numbered figure with the caption written
    under it. Neither caption is compared as words: images are compared by file and
    alt text, and a written caption is a paragraph in Pandoc's HTML.
    """
    for figure in theirs.find_all("figure"):
        img, caption = figure.find("img"), figure.find("figcaption")
        if (
            img is not None
            and caption is not None
            and squash(caption.get_text()) == squash(str(img.get("alt", "")))
        ):
            caption.decompose()
    for figure in ours.find_all("figure"):
        img, caption = figure.find("img"), figure.find("figcaption")
        if img is None or caption is None:
            continue
        text = squash(caption.get_text(" "))
        if text in (squash(str(img.get("title", ""))), squash(str(img.get("alt", "")))):
            caption.decompose()


def print_numbers(ours: Tag, theirs: Tag) -> None:
    """Footnotes keep the book's numbers: the markers are not compared, only the notes."""
    for node in theirs.select("a.footnote-ref"):
        node.decompose()
    for node in ours.select("a.footnote-reference"):
        node.decompose()


#: Row keys of the table in docs/explanation.md, and what each one removes.
DELIBERATE: dict[str, Callable[[Tag, Tag], None]] = {
    "title-and-dates": drop_title_and_dates,
    "contents-list": drop_contents_list,
    "photo-captions": photo_captions,
    "print-numbers": print_numbers,
}


def deliberate_keys(path: Path = EXPLANATION) -> list[str]:
    """The keys of the deliberate-differences table in ``docs/explanation.md``."""
    text = path.read_text(encoding="utf-8")
    start = text.index(DELIBERATE_HEADING)
    end = text.find("\n## ", start + len(DELIBERATE_HEADING))
    section = text[start : end if end > 0 else len(text)]
    return re.findall(r"^\| `([a-z-]+)` \|", section, flags=re.MULTILINE)


def apply_deliberate(ours_html: str, theirs_html: str) -> tuple[str, str]:
    """Both pages with every documented deliberate difference removed."""
    ours = BeautifulSoup(ours_html, "lxml")
    theirs = BeautifulSoup(f"<main>{theirs_html}</main>", "lxml")
    ours_body = ours.select_one('div[role="main"], main, div.body') or ours
    for key in deliberate_keys():
        DELIBERATE[key](ours_body, theirs)
    main = theirs.main
    assert main is not None
    return str(ours), main.decode_contents()


# ---------------------------------------------------------------- comparing


def compare(ours_html: str, theirs_html: str) -> Comparison:
    """Compare what a reader sees in our page and in Pandoc's, deliberate differences aside."""
    ours_html, theirs_html = apply_deliberate(ours_html, theirs_html)
    ours, theirs = our_view(ours_html), pandoc_view(theirs_html)
    common = sum((ours.words & theirs.words).values())
    recall = common / max(sum(theirs.words.values()), 1)
    precision = common / max(sum(ours.words.values()), 1)
    leaked = [s for s in SYNTAX if ours.text.count(s) > theirs.text.count(s)]
    leaked += [
        name
        for name, pattern in LINE_SYNTAX.items()
        if len(pattern.findall(ours.lines)) > len(pattern.findall(theirs.lines))
    ]
    differences: dict[str, tuple[Any, Any]] = {}
    for name in ("outline", "tables", "definitions", "code", "quotes", "math", "images"):
        if getattr(ours, name) != getattr(theirs, name):
            differences[name] = (getattr(ours, name), getattr(theirs, name))
    if ours.links != theirs.links:
        differences["links"] = (ours.links, theirs.links)
    if ours.notes != theirs.notes:
        differences["notes"] = (ours.notes, theirs.notes)
    # a link to a Pandoc identifier must land on an element of ours with that id
    unresolved = [a for a in theirs.anchors if a in theirs.ids and a not in ours.ids]
    if unresolved:
        differences["anchors"] = (sorted(ours.ids), unresolved)
    return Comparison(
        recall,
        precision,
        theirs.words - ours.words,
        ours.words - theirs.words,
        leaked,
        differences,
    )
