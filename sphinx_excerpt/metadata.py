"""The page's metadata header: Pelican ``Key: value`` lines or MyST YAML front matter.

The header is read before MyST parses the page (``source-read``): its lines are blanked,
so every later line keeps its number, and the title is written back as a ``#`` heading
on a blank line of the header, so the page's ``##`` sections nest under it with no
warning. The values become docinfo fields, which Sphinx stores as the page's metadata
(``env.metadata``), and a :class:`~sphinx_excerpt.pages.PageRecord`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml
from docutils import nodes
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard
from sphinx_excerpt.config import ExcerptConfig
from sphinx_excerpt.dates import formatted_date, parse_date
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.i18n import translated
from sphinx_excerpt.pages import PageRecord, excerpt_pages, title_section
from sphinx_excerpt.redirects import redirect_targets

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Python-Markdown's meta extension, which Pelican uses: a key, a colon, the value;
# continuation lines are indented by four spaces or a tab.
KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
CONTINUATION = re.compile(r"^(?:[ ]{4,}|\t)(?P<value>\S.*?)[ \t]*$")
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
        "keywords",
        "subtitle",
    ]
)
DESCRIPTION_KEYS = ("summary", "excerpt", "description")
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


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

    def value(self, *keys: str) -> str | None:
        for key in keys:
            if key in self.fields and self.fields[key].value:
                return self.fields[key].value
        return None


def parse_header(text: str) -> Header | None:
    """Read a Pelican metadata header at the top of ``text``; ``None`` when there is none.

    The header is the run of ``Key: value`` lines before the first blank line. It counts
    as a header when it has a ``Title`` key, or when all its keys are Pelican's own.
    """
    lines = text.lstrip("\ufeff").splitlines()
    header = Header()
    current: Field | None = None
    seen: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            break
        key_match = KEY_LINE.match(line)
        cont_match = CONTINUATION.match(line) if current is not None else None
        if cont_match and current is not None:
            current.value = f"{current.value} {cont_match['value']}".strip()
        elif key_match:
            key = key_match["key"].lower()
            seen.append(key)
            current = Field(key_match["key"], (key_match["value"] or "").strip(), index + 1)
            if key in header.fields:
                header.problems.append(
                    (
                        index + 1,
                        f"duplicated metadata key {current.name!r}; the first value is kept",
                    )
                )
            else:
                header.fields[key] = current
        else:
            return None if index == 0 else _accept(header, seen, index)
        header.lines = index + 1
    return _accept(header, seen, header.lines)


def _accept(header: Header, keys: list[str], end: int) -> Header | None:
    if not keys or ("title" not in keys and not set(keys) <= PELICAN_KEYS):
        return None
    header.lines = end
    for f in header.fields.values():
        if not f.value and f.name.lower() != "title":
            header.problems.append((f.line, f"metadata key {f.name!r} has no value"))
    title = header.fields.get("title")
    if title is None:
        header.problems.append((1, "the metadata header has no 'Title'"))
        header.title_line = 1
    else:
        header.title_line = title.line
        if not title.value:
            header.problems.append((title.line, "the page's 'Title' is empty"))
    return header


def parse_front_matter(lines: list[str]) -> Header | None:
    """The YAML front matter of a MyST page, when it has a title and the body no ``#`` heading.

    Only then is the title written back as a heading, on the blank line after the
    front matter; the front matter itself is left to MyST.
    """
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None or end + 1 >= len(lines) or lines[end + 1].strip():
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return None  # MyST reports malformed YAML itself
    if not isinstance(data, dict):
        return None
    values = {str(k).lower(): v for k, v in data.items()}
    title = values.get("title")
    if not isinstance(title, str) or not title.strip() or _has_h1(lines[end + 1 :]):
        return None
    header = Header(lines=end + 1, title_line=end + 2, front_matter=True)
    header.fields["title"] = Field("title", title.strip(), 2)
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


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Take the metadata header off a Markdown page, keeping every line's number."""
    suffix = PurePosixPath(str(app.env.doc2path(docname))).suffix
    if app.config.source_suffix.get(suffix) != "markdown":
        return
    lines = source[0].lstrip("\ufeff").split("\n")
    header = parse_header(source[0])
    if header is not None:
        for i in range(header.lines):
            lines[i] = ""
        for line, message in header.problems:
            warn("metadata", message, location=(docname, line))
    else:
        header = parse_front_matter(lines)
        if header is None:
            return
    title = header.value("title") or fallback_title(docname)
    if header.front_matter:
        header.fields.clear()  # MyST turns the front matter into docinfo itself
    lines[header.title_line - 1] = "# " + MARKDOWN_PUNCTUATION.sub(r"\\\1", title)
    source[0] = "\n".join(lines)
    app.env.temp_data["excerpt_header"] = header


class PageMetadata(SphinxTransform):
    """Store an excerpt page's metadata and show its dates under the title."""

    # after docutils' DocInfo (340), which turns MyST's front matter into docinfo
    default_priority = 345

    def show_header(self, **kwargs: Any) -> None:
        """After a failure, the header as MyST shows a page's first lines: a paragraph of
        its ``Key: value`` lines (the title stays the page's heading)."""
        header: Header | None = self.env.temp_data.pop("excerpt_header", None)
        if header is None:
            return
        fields = [f for key, f in header.fields.items() if key != "title"]
        if not fields:
            return
        text = "\n".join(f"{f.name}: {f.value}" for f in fields)
        paragraph = nodes.paragraph(text, text)
        paragraph.source, paragraph.line = self.document["source"], fields[0].line
        section = title_section(self.document)
        if section is not None:
            section.insert(1, paragraph)
        else:
            self.document.insert(0, paragraph)

    @guard.rewrite(fallback=show_header)
    def apply(self, **kwargs: Any) -> None:
        guard.keep_entry(self.env.temp_data, "excerpt_header")
        header: Header | None = self.env.temp_data.pop("excerpt_header", None)
        if header is None:
            return
        if header.fields:
            # Sphinx's MetadataCollector turns the docinfo into the page's metadata
            self.document.insert(0, _docinfo(header, self.document["source"]))
            values = {key: f.value for key, f in header.fields.items()}
            lines = {key: f.line for key, f in header.fields.items()}
        else:
            values, lines = _docinfo_values(self.document)
        section = title_section(self.document)
        if section is None:
            return
        record = PageRecord(title=section[0].astext(), metadata=values)
        guard.keep_entry(excerpt_pages(self.env), self.env.docname)
        excerpt_pages(self.env)[self.env.docname] = record
        for problem in redirect_targets(ExcerptConfig.read(self.config), record)[1]:
            warn("metadata", problem, location=(self.env.docname, lines.get("slug")))
        dates = self._date_line(record, lines)
        if dates is not None:
            guard.keep(section)
            section.insert(1, dates)

    def _date_line(self, record: PageRecord, lines: dict[str, int]) -> nodes.paragraph | None:
        config = ExcerptConfig.read(self.config)
        shown: list[nodes.Node] = []
        published: datetime | None = None
        for key, css in (("date", "excerpt-date"), ("modified", "excerpt-modified")):
            raw = record.get(key)
            if raw is None:
                continue
            when = parse_date(raw)
            if when is None:
                warn(
                    "metadata",
                    f"{key!r} is not a date this extension reads: {raw!r} (use YYYY-MM-DD)",
                    location=(self.env.docname, lines.get(key)),
                )
                text = raw
            else:
                if key == "modified" and published is not None and when.date() == published.date():
                    continue
                text = formatted_date(config.date_format, when, self.config.language)
                published = published or when
            if shown:
                shown.append(nodes.Text(" · "))
            label = translated("Updated") + " " if key == "modified" and shown else ""
            shown.append(nodes.inline(text, label + text, classes=[css]))
        if not shown:
            return None
        return nodes.paragraph("", "", *shown, classes=["excerpt-dates"])


def _docinfo(header: Header, source: str) -> nodes.docinfo:
    info = nodes.docinfo()
    for key, f in header.fields.items():
        entry = nodes.field(
            "", nodes.field_name("", key), nodes.field_body("", nodes.Text(f.value))
        )
        entry.source, entry.line = source, f.line
        info += entry
    return info


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
