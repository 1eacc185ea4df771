"""The page's metadata header: Pelican ``Key: value`` lines or MyST YAML front matter.

The header is read before MyST parses the page (``source-read``): its lines are blanked,
so every later line keeps its number, and the title is written back as a ``#`` heading
on a blank line of the header, so the page's ``##`` sections nest under it with no
warning. The values become docinfo fields, which Sphinx stores as the page's metadata
(``env.metadata``), and a :class:`~sphinx_excerpt.domain.Page`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml
from docutils import nodes
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.dates import formatted_date
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.domain import Page, handed_on, reading
from sphinx_excerpt.i18n import translated
from sphinx_excerpt.myst import is_markdown_source
from sphinx_excerpt.pages import DATE_LINE_CLASS, excerpt_pages, run_on_this_page, title_section
from sphinx_excerpt.redirect_paths import redirect_targets
from sphinx_excerpt.scope import decide
from sphinx_excerpt.title import MARKUP_ATTRIBUTE, has_markup, one_line, parse_title
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Python-Markdown's meta extension, which Pelican uses: a key, a colon, the value;
# continuation lines are indented by four spaces or a tab. No part of either pattern can
# backtrack more than once over a line (trailing blanks are stripped in Python), so a
# header line of any length is read in linear time.
KEY_LINE = re.compile(r"[ ]{0,3}(?P<key>[A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(?P<value>.*))?")
CONTINUATION = re.compile(r"(?:[ ]{4,}|\t)(?P<value>\S.*)")
#: Lines that open and close a ``---``-fenced header (Python-Markdown's meta extension).
FENCE_OPEN = "---"
FENCE_CLOSE = ("---", "...")
#: What YAML's loader raises on a malformed document (``ValueError`` for an impossible
#: date such as ``2020-02-30``), as MyST catches it.
YAML_ERRORS = (yaml.YAMLError, ValueError, RecursionError)
# Keys Pelican knows: a header of only these is a header even when its Title is missing.
PELICAN_KEYS = frozenset(
    [
        "title",
        "date",
        "modified",
        "summary",
        "excerpt",
        "description",
        "template",
        "slug",
        "author",
        "authors",
        "category",
        "tags",
        "status",
        "lang",
        "translation",
        "save_as",
        "url",
        "pdf",
        "cite",
        "keywords",
        "subtitle",
    ]
)
DESCRIPTION_KEYS = ("summary", "excerpt", "description")
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
#: The opening of an ATX heading, and a setext heading's underline.
ATX_OPENING = re.compile(r" {0,3}#{1,6}(?=[ \t]|$)")
SETEXT_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")
#: Markdown's inline marks and escapes, left out when a heading is compared with the title.
INLINE_MARKS = re.compile(r"[*_`\\]")


@dataclass
class Field:
    """One ``Key: value`` of a header, with the line it starts on (1-based)."""

    name: str
    value: str
    line: int


@dataclass
class Header:
    """A parsed metadata header: its fields by lower-case key, and what was wrong with it."""

    fields: dict[str, Field] = field(default_factory=dict)
    lines: int = 0  # how many lines of the source it covers
    problems: list[tuple[int, str]] = field(default_factory=list)
    title_line: int = 0  # the (1-based) line where the title heading is written back
    front_matter: bool = False  # YAML front matter, which MyST itself turns into docinfo
    title_html: str | None = None  # the Title as written, when it holds HTML markup

    def value(self, *keys: str) -> str | None:
        for key in keys:
            if key in self.fields and self.fields[key].value:
                return self.fields[key].value
        return None


def source_lines(text: str) -> list[str]:
    """The lines of a source as markdown-it splits the page body (a byte-order mark dropped).

    A line ends at ``\\n``, ``\\r\\n`` or ``\\r`` and nowhere else: ``str.splitlines`` also
    splits at form feeds and U+2028, and would count the header's lines differently from
    the body's. (``str`` methods, not a regular expression: four times faster on a 1 MB
    line.)
    """
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def is_blank(line: str) -> bool:
    """A blank line as CommonMark defines it: nothing but spaces and tabs (before the
    line's end, when it is given with the line)."""
    return not line.strip(" \t\n")


def parse_header(text: str | list[str]) -> Header | None:
    """Read a Pelican metadata header at the top of a page; ``None`` when there is none.

    The header is the run of ``Key: value`` lines before the first blank line, optionally
    fenced by ``---`` lines as Python-Markdown's meta extension allows. It counts as a
    header when it has a ``Title`` key, or when all its keys are Pelican's own. ``text``
    is the page's text or its :func:`source_lines`.
    """
    lines = source_lines(text) if isinstance(text, str) else text
    if lines and lines[0].strip(" \t") == FENCE_OPEN:
        return _fenced_header(lines)
    return _read_fields(lines, 0, len(lines))


def _fenced_header(lines: list[str]) -> Header | None:
    """A ``---``-fenced header whose lines are all Pelican ``Key: value`` lines.

    The same fences hold MyST's YAML front matter; a block is Pelican's when its first key
    is capitalised, as Pelican writes them (``Title:``), and YAML's otherwise (``title:``).
    """
    close = None
    for index in range(1, len(lines)):
        stripped = lines[index].strip(" \t")
        if stripped in FENCE_CLOSE:
            close = index
            break
        if not stripped:
            return None  # a blank line ends a header: this is no fenced header
    if close is None:
        return None
    header = _read_fields(lines, 1, close)
    first = next(iter(header.fields.values()), None) if header is not None else None
    if header is None or header.lines != close or first is None or not first.name[0].isupper():
        return None
    header.lines = close + 1
    return header


def _read_fields(lines: list[str], start: int, stop: int) -> Header | None:
    header = Header(lines=start)
    fields = header.fields
    current: Field | None = None
    for index in range(start, stop):
        line = lines[index]
        # a key line has at most three leading spaces, a continuation four or a tab: a
        # line is one or the other, so the continuation is tried only on what no key is.
        # A blank line is neither (both patterns need a letter or a non-blank): it ends
        # the header where it stands, with no test of its own (a call fewer per line)
        key_match = KEY_LINE.fullmatch(line)
        if key_match:
            name = key_match["key"]
            key = name.lower()
            # one line of text: tabs, form feeds, U+2028 … inside a value are spaces
            current = Field(name, one_line(key_match["value"] or ""), index + 1)
            if key in fields:
                header.problems.append(
                    (index + 1, f"duplicated metadata key {name!r}; the first value is kept")
                )
            else:
                fields[key] = current
        elif current is not None and (cont_match := CONTINUATION.fullmatch(line)):
            current.value = one_line(f"{current.value} {cont_match['value']}")
        else:
            return None if index == start else _accept(header, index)
        header.lines = index + 1
    return _accept(header, header.lines)


def _accept(header: Header, end: int) -> Header | None:
    # a duplicated key is in ``fields`` once: the keys read are the fields' keys
    keys = header.fields.keys()
    if not keys or ("title" not in keys and not keys <= PELICAN_KEYS):
        return None
    header.lines = end
    for f in header.fields.values():
        if not f.value and f.name.lower() != "title":
            header.problems.append((f.line, f"metadata key {f.name!r} has no value"))
    title = header.fields.get("title")
    if title is None:
        first = next(iter(header.fields.values()))
        header.problems.append((first.line, "the metadata header has no 'Title'"))
        header.title_line = first.line
    else:
        header.title_line = title.line
        if not title.value:
            header.problems.append((title.line, "the page's 'Title' is empty"))
    return header


def parse_front_matter(lines: list[str]) -> Header | None:
    """The YAML front matter of a MyST page, when it has a title and the body no ``#`` heading.

    Only then is the title written back as a heading, on the blank line after the
    front matter; the front matter itself is left to MyST (which reports bad YAML).
    """
    if not lines or lines[0].strip() != FENCE_OPEN:
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in FENCE_CLOSE), None)
    if end is None or end + 1 >= len(lines) or not is_blank(lines[end + 1]):
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except YAML_ERRORS:
        return None  # MyST reports malformed YAML itself
    if not isinstance(data, dict):
        return None
    values = {str(k).lower(): v for k, v in data.items()}
    myst = values.get("myst")
    if isinstance(myst, dict) and myst.get("title_to_header"):
        return None  # MyST makes the title a heading itself: a plain MyST page
    title = values.get("title")
    if not isinstance(title, str) or not title.strip() or _has_h1(lines[end + 1 :]):
        return None
    header = Header(lines=end + 1, title_line=end + 2, front_matter=True)
    header.fields["title"] = Field("title", one_line(title), 2)
    return header


def _has_h1(lines: list[str]) -> bool:
    fence: str | None = None
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
        elif fence is None and re.match(r"^ {0,3}#(\s|$)", line):
            return True
    return False


def fallback_title(docname: str) -> str:
    """A title for a page whose header has none: its file name, in words."""
    stem = PurePosixPath(docname).name
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or docname


@dataclass
class OpeningHeading:
    """A heading on the first line of a page's body: its text, and the lines it takes."""

    text: str
    line: int  # 0-based index of its (first) line
    setext: bool  # underlined with ``===`` or ``---`` on the next line


def opening_heading(lines: list[str], start: int) -> OpeningHeading | None:
    """The heading the body opens with (its first non-blank line, from ``start``), if any."""
    for index in range(start, len(lines)):  # (a loop: no generator)
        if not is_blank(lines[index]):
            break
    else:
        return None
    line = lines[index]
    atx = ATX_OPENING.match(line)
    if atx:
        text = line[atx.end() :].strip(" \t")
        closed = text.rstrip("#")  # an optional closing sequence, after a space
        if not closed or closed[-1] in " \t":
            text = closed.rstrip(" \t")
        return OpeningHeading(text, index, setext=False)
    if index + 1 < len(lines) and SETEXT_UNDERLINE.fullmatch(lines[index + 1]):
        return OpeningHeading(line.strip(" \t"), index, setext=True)
    return None


def same_title(heading: str, title: str) -> bool:
    """Whether a heading written in Markdown says the same words as the page's title."""
    if heading.endswith("}") and "{" in heading:  # Pandoc's {#id .class} after a heading
        heading = heading[: heading.rindex("{")]
    words = INLINE_MARKS.sub("", parse_title(heading).text).casefold().split()
    return words == INLINE_MARKS.sub("", parse_title(title).text).casefold().split()


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Take the metadata header off a Markdown page, keeping every line's number."""
    suffix = os.path.splitext(app.env.doc2path(docname))[1]
    if not is_markdown_source(app.config, suffix):
        return
    lines = source_lines(source[0])
    header = parse_header(lines)
    if header is None and not app.config.myst_title_to_header:
        # with title_to_header MyST makes the title a heading itself: a plain MyST page
        header = parse_front_matter(lines)
    # a page that is no excerpt page is left exactly as it is, header or not
    if not decide(app.env, docname, header is not None) or header is None:
        return
    if not header.front_matter:
        for i in range(header.lines):
            lines[i] = ""
        for line, message in header.problems:
            warn(Subtype.METADATA, message, location=(docname, line))
    title = header.value("title") or fallback_title(docname)
    if header.front_matter:
        header.fields.clear()  # MyST turns the front matter into docinfo itself
    opening = opening_heading(lines, header.lines)
    if opening is not None and same_title(opening.text, title):
        # the body's own heading is the title, shown once, as the author wrote it
        lines[opening.line] = "# " + opening.text
        if opening.setext:
            lines[opening.line + 1] = ""
        header.title_line = opening.line + 1
    else:
        parsed = parse_title(title)
        shown = parsed.text or fallback_title(docname)  # a title of nothing but markup
        lines[header.title_line - 1] = "# " + MARKDOWN_PUNCTUATION.sub(r"\\\1", shown)
        if has_markup(title) and parsed.text:
            header.title_html = title
        if parsed.dropped:
            line = header.fields["title"].line if "title" in header.fields else header.title_line
            tags = ", ".join(f"<{tag}>" for tag in dict.fromkeys(parsed.dropped))
            warn(
                Subtype.METADATA, f"markup removed from the title: {tags}", location=(docname, line)
            )
    source[0] = "\n".join(lines)
    page = reading(app.env, docname)
    page.keep("header")
    page.header = header


#: The header key of whether the page shows a "How to cite" box, and what it may say.
CITE_KEY = "cite"
YES = frozenset(("true", "yes", "on", "1"))
NO = frozenset(("false", "no", "off", "0"))


def cite_choice(record: Page) -> bool | None:
    """What the page's ``Cite`` header says: ``True``, ``False``, or ``None`` (none, or a
    value that is neither)."""
    value = record.metadata.get(CITE_KEY)
    if not value:
        return None  # (no ``Cite``, most pages: no more calls)
    value = value.strip().lower()
    return True if value in YES else False if value in NO else None


class CiteHeader(SphinxTransform):
    """Warn of a ``Cite`` header that says neither yes nor no (run on the pages that
    have one: :class:`PageMetadata` gives it to its page)."""

    default_priority = priorities.CITE_HEADER

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        env = self.env  # (a property: asked once)
        record = excerpt_pages(env).get(env.docname)
        if record is None or not record.metadata.get(CITE_KEY) or cite_choice(record) is not None:
            return
        value = record.metadata[CITE_KEY]
        default = "a box" if excerpt_config(self.config).cite else "no box"
        warn(
            Subtype.METADATA,
            f"'Cite' is {value!r}, neither True nor False: the page has {default} (excerpt_cite)",
            location=(env.docname, record.lines.get(CITE_KEY)),
        )


class PageMetadata(SphinxTransform):
    """Store an excerpt page's metadata and show its dates under the title."""

    default_priority = priorities.PAGE_METADATA

    def show_header(self, **kwargs: Any) -> None:
        """After a failure, the header as MyST shows a page's first lines: a paragraph of
        its ``Key: value`` lines (the title stays the page's heading)."""
        page = handed_on(self.env)
        header = page.header if page is not None else None
        if page is None or header is None:
            return
        page.keep("header")
        page.header = None
        fields = [f for key, f in header.fields.items() if key != "title"]
        if not fields:
            return
        text = "\n".join(f"{f.name}: {f.value}" for f in fields)
        paragraph = nodes.paragraph(text, text)
        paragraph.source, paragraph.line = self.document["source"], fields[0].line
        section = title_section(self.document)
        guard.keep(section if section is not None else self.document)
        if section is not None:
            section.insert(1, paragraph)
        else:
            self.document.insert(0, paragraph)

    @guard.rewrite(fallback=show_header)
    def apply(self, **kwargs: Any) -> None:
        env = self.env  # (a property, as ``self.config`` is: asked once)
        page = handed_on(env)
        header = page.header if page is not None else None
        if page is None or header is None:
            return
        page.keep("header")
        page.header = None
        if header.fields:
            # Sphinx's MetadataCollector turns the docinfo into the page's metadata
            # (the attributes' table, not ``document[...]``, a call of docutils')
            guard.keep(self.document)  # (not its tree: a step keeps what it changes)
            self.document.insert(0, _docinfo(header, self.document.attributes["source"]))
            values, lines = {}, {}
            for key, f in header.fields.items():  # one loop, not a comprehension per table
                values[key], lines[key] = f.value, f.line
        else:
            values, lines = _docinfo_values(self.document)
        section = title_section(self.document)
        if section is None:
            return
        title = section.children[0]  # (``children``, not ``section[0]``: no call)
        if header.title_html:
            assert isinstance(title, nodes.Element)  # the section's title
            title[MARKUP_ATTRIBUTE] = header.title_html
        record = Page(title=title.astext(), metadata=values, lines=lines)
        docname, pages = env.docname, excerpt_pages(env)
        guard.keep_entry(pages, docname)
        pages[docname] = record
        if CITE_KEY in values:
            run_on_this_page(self.document, CiteHeader)
        config = excerpt_config(env.config)
        record.redirects, problems = redirect_targets(config, record)
        for problem in problems:
            warn(Subtype.METADATA, problem, location=(docname, lines.get("slug")))
        dates = _date_line(record, lines, config.date_format, env.config.language, docname)
        if dates is not None:
            guard.keep(section)
            section.insert(1, dates)


def _date_line(
    record: Page, lines: dict[str, int], date_format: str, language: str | None, docname: str
) -> nodes.paragraph | None:
    """The page's dates under its title, as ``date_format`` writes them."""
    shown: list[nodes.Node] = []
    published: datetime | None = None
    for key, css in (("date", "excerpt-date"), ("modified", "excerpt-modified")):
        raw = record.get(key)
        if raw is None:
            continue
        when = record.date(key)
        if when is None:
            warn(
                Subtype.METADATA,
                f"{key!r} is not a date this extension reads: {raw!r} (use YYYY-MM-DD)",
                location=(docname, lines.get(key)),
            )
            text = raw
        else:
            if key == "modified" and published is not None and when.date() == published.date():
                continue
            text = formatted_date(date_format, when, language)
            published = published or when
        if shown:
            shown += (nodes.Text(" · "),)  # (``+=``, not ``append``: no call)
        label = translated("Updated") + " " if key == "modified" and shown else ""
        shown += (nodes.inline(text, label + text, classes=[css]),)
    if not shown:
        return None
    return nodes.paragraph("", "", *shown, classes=[DATE_LINE_CLASS])


def _docinfo(header: Header, source: str) -> nodes.docinfo:
    entries: list[nodes.field] = []
    for key, f in header.fields.items():
        entry = nodes.field(
            "", nodes.field_name("", key), nodes.field_body("", nodes.Text(f.value))
        )
        entry.source, entry.line = source, f.line
        entries += (entry,)  # (the docinfo takes them all in one call)
    return nodes.docinfo("", *entries)


def _docinfo_values(document: nodes.document) -> tuple[dict[str, str], dict[str, int]]:
    """The front matter's values (from the docinfo MyST made), by lower-case key."""
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for info in document.findall(nodes.docinfo):
        for item in info.children:
            if isinstance(item, nodes.field):
                key, value = item[0].astext().lower(), item[1].astext()
            elif isinstance(item, nodes.TextElement):
                key, value = item.__class__.__name__, item.astext()
            else:
                continue
            values[key] = value
            lines[key] = item.line or 1
        break
    return values, lines


def setup_metadata(app: Sphinx) -> None:
    guard.connect(app, "source-read", on_source_read)
    app.add_transform(PageMetadata)
