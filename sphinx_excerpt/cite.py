"""Cite this page: a "How to cite" box, its downloads, and the tags scholarly indexes read.

An excerpt page is cited when its header says ``Cite: True``, or when
``excerpt_cite = True`` and its header does not say ``Cite: False``. Its
:class:`Citation` is made from the page's metadata (``Author``/``Authors``, title,
``Date``, ``Book`` and ``Publisher`` or the ``excerpt-source`` fields) and the site's
(``project``, ``author``, ``html_baseurl`` for the page's absolute URL). It becomes:

* a "How to cite" box under the title and date line (a :class:`~sphinx_excerpt.nodes.well`
  with the class ``excerpt-cite``): the text of ``excerpt_cite_template``, in every
  builder (in the PDF, a framed box on the page's first page);
* in HTML, links in the box to BibTeX, RIS and CSL-JSON files written under ``_cite/``
  (:mod:`sphinx_excerpt.cite_formats`);
* in the HTML page's ``<head>``, Google Scholar's (Highwire Press) ``citation_*`` tags and
  Dublin Core's ``DC.*`` tags.

The template's fields are read when the configuration is (an unknown field is a
``config`` warning, and left out). A field with no value is left out with the text that
goes with it: the punctuation right after it and the words right before it (see
:func:`template_pieces`), so no "None" and no dangling punctuation is shown.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from string import Formatter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin

from docutils import nodes
from sphinx import addnodes
from sphinx.util.osutil import relative_uri

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.cite_formats import FORMATS
from sphinx_excerpt.config import DEFAULT_CITE_TEMPLATE, excerpt_config
from sphinx_excerpt.dates import formatted_date
from sphinx_excerpt.diagnostics import logger
from sphinx_excerpt.domain import Page
from sphinx_excerpt.i18n import translated
from sphinx_excerpt.latex import is_set_by_user
from sphinx_excerpt.manifests import read_manifest, write_manifest
from sphinx_excerpt.metadata import cite_choice
from sphinx_excerpt.pagepdf import HTML_BUILDERS, pdf_link
from sphinx_excerpt.pages import (
    DATE_LINE_CLASS,
    PostTransformSomeBuildsNeed,
    add_when_needed,
    any_page,
    application,
    excerpt_pages,
    per_build,
    title_section,
)
from sphinx_excerpt.urls import on_site, real_folder, refused_url, url_scheme
from sphinx_excerpt.wells import METADATA_PREFIX, new_well

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

#: The template's fields; each is a value of :meth:`Citation.fields`.
FIELDS = ("authors", "year", "date", "title", "site", "book", "publisher", "url")
BOX_CLASS = "excerpt-cite"
TITLE_TEXT = "How to cite"
DOWNLOAD_TEXT = "Download"
#: Where the downloads go in the HTML output: ``_cite/<docname>.bib`` …
DOWNLOAD_FOLDER = "_cite"
#: Builders that show no box: the catalog's messages are the page's own words.
NO_BOX_BUILDERS = frozenset(("gettext",))
#: Builders whose doctree is always one page (the others may join pages: LaTeX,
#: singlehtml, Texinfo, manual pages).
ONE_PAGE_BUILDERS = frozenset(("html", "dirhtml", "text", "epub", "xml", "pseudoxml"))
#: Sentence ends a left-out field passes to the text before it; the marks that text
#: may end with instead, which give way to it.
SENTENCE_ENDS = ".!?"
JOINERS = ",;:"
UNSAFE_NAME = re.compile(r"[^\w.-]+")
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
#: The downloads the last build wrote (``_cite/.manifest.json``).
MANIFEST = ".manifest.json"
CITATIONS = "citations"  # where each page's citation is kept for the build (per_build)


# ---------------------------------------------------------------- the template


@dataclass
class Piece:
    """One field of the template with the text that goes with it."""

    prefix: str  # the words before it (from the space after the previous field's mark)
    name: str
    suffix: str  # the punctuation right after it (up to the first space)


@dataclass
class Template:
    """A parsed ``excerpt_cite_template``: its pieces and what is wrong with it."""

    pieces: list[Piece] = field(default_factory=list)
    lead: str = ""  # text of a template with no field at all
    problems: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=8)
def template_pieces(template: str) -> Template:
    """The template's pieces (a malformed template is the default's, with its problem).

    The text between two fields is split at its first space: what comes before (``.``,
    ``,``, ``.”``) belongs to the field before, the rest (`` Excerpt from ``, `` “``) to
    the field after. The text before the first field is that field's; the text after the
    last, the last field's. A text between two fields with no space in it (``/``) is the
    second field's.
    """
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as error:
        default = template_pieces(DEFAULT_CITE_TEMPLATE)
        return Template(default.pieces, default.lead, [f"{error}; the default is used"])
    result = Template()
    pending = ""  # text not yet given to a field (``{{`` splits a text in two)
    for literal, name, spec, conversion in parsed:
        pending += literal
        if name is None:
            continue
        if result.pieces:
            space = next((i for i, c in enumerate(pending) if c.isspace()), None)
            if space is not None:
                result.pieces[-1].suffix, pending = pending[:space], pending[space:]
        if spec or conversion:
            result.problems.append(f"{{{name}}}: conversions and format specs are not used")
        if name not in FIELDS:
            known = ", ".join(f"{{{f}}}" for f in FIELDS)
            result.problems.append(f"unknown field {{{name}}}, left out (the fields: {known})")
        result.pieces.append(Piece(pending, name, ""))
        pending = ""
    if result.pieces:
        result.pieces[-1].suffix = pending
    else:
        result.lead = pending
    return result


def render(template: Template, values: dict[str, str | None]) -> list[tuple[str, str | None]]:
    """The template's text with ``values``: ``(text, field name)`` segments, the name
    ``None`` for the template's own words. Fields without a value are left out."""
    kept: list[list[str]] = []  # [prefix, name, value, suffix]
    for piece in template.pieces:
        value = (values.get(piece.name) or "").strip()
        if not value:
            _pass_sentence_end(kept, piece.suffix)
            continue
        suffix = piece.suffix
        if value[-1] in SENTENCE_ENDS and suffix.startswith("."):
            suffix = suffix[1:]  # "M." and "." are one full stop; "Why?" needs none
        prefix = piece.prefix if kept else piece.prefix.lstrip()
        kept.append([prefix, piece.name, value, suffix])
    if not kept:
        return [(template.lead.strip(), None)] if template.lead.strip() else []
    kept[-1][3] = kept[-1][3].rstrip().rstrip(JOINERS)
    segments: list[tuple[str, str | None]] = []
    for prefix, name, value, suffix in kept:
        segments += [(prefix, None), (value, name), (suffix, None)]
    return [(text, name) for text, name in segments if text]


def _pass_sentence_end(kept: list[list[str]], suffix: str) -> None:
    """A left-out field's sentence end (``.``) ends the text before it instead of a ``,``."""
    end = suffix.rstrip()[-1:]
    if not kept or not end or end not in SENTENCE_ENDS:
        return
    last = kept[-1]
    if last[3] and last[3][-1] not in JOINERS:
        return  # it ends a sentence of its own
    last[3] = last[3].rstrip(JOINERS)
    if not (last[2] + last[3]).endswith(tuple(SENTENCE_ENDS)):
        last[3] += end


def configured_template(config: Config) -> Template:
    """The project's ``excerpt_cite_template``, parsed."""
    return template_pieces(str(config.excerpt_cite_template))


def check_template(app: Sphinx, config: Config) -> None:
    """Warn (as Sphinx warns of ``conf.py``) of unknown fields and a malformed template."""
    for problem in configured_template(config).problems:
        logger.warning("excerpt_cite_template: %s", problem, type="config")


# ---------------------------------------------------------------- the citation


@dataclass
class Citation:
    """What a cited page's citation says."""

    docname: str
    key: str
    title: str
    authors: list[str] = field(default_factory=list)
    date: datetime | None = None
    site: str | None = None
    book: str | None = None
    publisher: str | None = None
    url: str | None = None  # the page's absolute URL
    pdf_url: str | None = None  # absolute, in HTML builds

    def fields(self, config: Config) -> dict[str, str | None]:
        """The template's values."""
        shown_date = None
        if self.date is not None:
            fmt = excerpt_config(config).date_format
            shown_date = formatted_date(fmt, self.date, config.language)
        return {
            "authors": joined_names(self.authors),
            "year": str(self.date.year) if self.date is not None else None,
            "date": shown_date,
            "title": self.title,
            "site": self.site,
            "book": self.book,
            "publisher": self.publisher,
            "url": self.url,
        }

    def excerpt_note(self) -> str:
        """The note "Excerpt from Book (Publisher)" of the formats."""
        note = f"Excerpt from {self.book}"
        return note + (f" ({self.publisher})" if self.publisher else "")


def joined_names(names: list[str]) -> str | None:
    """The names as a list in a sentence: "A", "A and B", "A, B and C"."""
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def is_cited(config: Config, record: Page) -> bool:
    """Whether the page shows a "How to cite" box."""
    choice = cite_choice(record)
    return choice if choice is not None else excerpt_config(config).cite


def page_authors(config: Config, record: Page) -> list[str]:
    """``Authors`` (split as Pelican splits it: at ``;`` if it has one, else at ``,``),
    else ``Author``, else the excerpt's author, else the project's ``author``."""
    several = record.get("authors")
    if several:
        mark = ";" if ";" in several else ","
        return [name.strip() for name in several.split(mark) if name.strip()]
    one = record.get("author", METADATA_PREFIX + "author")
    if one:
        return [one]
    return [config.author] if is_set_by_user(config, "author") and config.author else []


def page_url(app: Sphinx, docname: str) -> str | None:
    """The page's absolute URL on the HTML site (``html_baseurl`` + its address), or
    ``None`` without an ``http(s)`` base URL."""
    base = app.config.html_baseurl
    if not base or url_scheme(base) not in ("http", "https"):
        return None
    if app.builder.name in HTML_BUILDERS:
        address = app.builder.get_target_uri(docname)
    else:  # the address the html builder gives the page
        address = docname + (app.config.html_file_suffix or ".html")
    url = on_site(base, quote(address, safe="/#"))
    return None if refused_url(url) else url


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", unicodedata.normalize("NFKD", text).lower())


def cite_key(authors: list[str], date: datetime | None, title: str, docname: str) -> str:
    """A BibTeX-style key: the first author's family name, the year, the title's first
    word (``lind2021north``); the page's name when those give nothing."""
    names = authors[0].split(",")[0].split() if authors else []
    family = names[-1] if names else ""
    words = [w for w in (_ascii_word(w) for w in title.split()) if len(w) > 3]
    key = _ascii_word(family) + (str(date.year) if date else "") + (words[0] if words else "")
    return key or _ascii_word(posixpath.basename(docname)) or "page"


def citation_for(app: Sphinx, docname: str) -> Citation | None:
    """The page's citation, when it is cited (worked out once a build)."""
    known: dict[str, Citation | None] = per_build(app.builder).setdefault(CITATIONS, {})
    if docname not in known:
        known[docname] = _citation(app, docname)
    return known[docname]


def _citation(app: Sphinx, docname: str) -> Citation | None:
    record = excerpt_pages(app.env).get(docname)
    if record is None or not is_cited(app.config, record):
        return None
    config = app.config
    authors = page_authors(config, record)
    date = record.date("date")
    url = page_url(app, docname)
    pdf_url = None
    if app.builder.name in HTML_BUILDERS:
        link = pdf_link(app, docname)
        if link:
            pdf_url = urljoin(url, link) if url else link
        if pdf_url and (url_scheme(pdf_url) not in ("http", "https") or refused_url(pdf_url)):
            pdf_url = None  # scholarly indexes read absolute addresses only
    return Citation(
        docname=docname,
        key=cite_key(authors, date, record.title, docname),
        title=record.title,
        authors=authors,
        date=date,
        site=config.project if is_set_by_user(config, "project") else None,
        book=record.get("book", METADATA_PREFIX + "title"),
        publisher=record.get("publisher", METADATA_PREFIX + "publisher"),
        url=url,
        pdf_url=pdf_url,
    )


# ---------------------------------------------------------------- the box


class CiteBoxes(PostTransformSomeBuildsNeed):
    """Put the "How to cite" box under the title and date line of each cited page.

    A post-transform, so that each builder gets the page's address as it writes it and the
    LaTeX builder's character handling (:mod:`sphinx_excerpt.latex_text`, later) sees
    the box's text. A LaTeX or single-page document holds several pages: each page's box
    goes under its own title.
    """

    default_priority = priorities.CITE_BOXES

    @classmethod
    def needed(cls, app: Sphinx) -> bool:
        """Whether the build shows a box on some page."""
        return app.builder.name not in NO_BOX_BUILDERS and any_page(
            app.builder, "a page cited", functools.partial(is_cited, app.config)
        )

    @guard.rewrite
    def run(self, **kwargs: Any) -> None:
        app = application(self.env)
        holders: list[tuple[str, nodes.Element]] = [(self.env.docname, self.document)]
        if app.builder.name not in ONE_PAGE_BUILDERS:  # a document of several pages
            holders += [
                (str(page["docname"]), page)
                for page in self.document.findall(addnodes.start_of_file)
            ]
        for docname, holder in holders:
            citation = citation_for(app, docname)
            section = title_section(holder) if citation is not None else None
            if citation is None or section is None:
                continue
            guard.keep(section)
            section.insert(_box_place(section), cite_box(app, citation))


def _box_place(section: nodes.section) -> int:
    """Where the box goes: after the title, and after the date line if there is one."""
    second = section[1] if len(section) > 1 else None
    if isinstance(second, nodes.Element) and DATE_LINE_CLASS in second["classes"]:
        return 2
    return 1


def cite_box(app: Sphinx, citation: Citation) -> nodes.Element:
    """The box: its title, the citation's text, and in HTML the downloads."""
    box = new_well([BOX_CLASS])
    title = translated(TITLE_TEXT)
    box += nodes.paragraph("", "", nodes.strong(title, title), classes=["excerpt-cite-title"])
    text = nodes.paragraph("", "", classes=["excerpt-cite-text"])
    template = configured_template(app.config)
    for segment, name in render(template, citation.fields(app.config)):
        if name == "url":
            text += nodes.reference(segment, segment, refuri=segment)
        elif name == "book":
            text += nodes.emphasis(segment, segment)
        else:
            text += nodes.Text(segment)
    box += text
    if app.builder.name in HTML_BUILDERS:
        box += _downloads(app, citation.docname)
    return box


def download_path(docname: str, suffix: str) -> str:
    """The download's path in the HTML output: under ``_cite/``, the docname's folders and
    name, each reduced to letters, digits, ``.``, ``-`` and ``_`` (no ``..``, no hidden
    file), so it never leaves the folder."""
    parts = [UNSAFE_NAME.sub("-", part).lstrip(".-") or "page" for part in docname.split("/")]
    return posixpath.join(DOWNLOAD_FOLDER, *parts) + "." + suffix


def _downloads(app: Sphinx, docname: str) -> nodes.paragraph:
    here = app.builder.get_target_uri(docname)
    line = nodes.paragraph("", translated(DOWNLOAD_TEXT) + ": ", classes=["excerpt-cite-downloads"])
    for index, (suffix, label, _) in enumerate(FORMATS):
        if index:
            line += nodes.Text(" · ")
        uri = quote(relative_uri(here, download_path(docname, suffix)), safe="/#.")
        line += nodes.reference(label, label, refuri=uri, classes=[f"excerpt-cite-{suffix}"])
    return line


# ---------------------------------------------------------------- the HTML page


def add_citation_files_and_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Write the page's BibTeX, RIS and CSL-JSON files; put its citation tags in ``<head>``."""
    if doctree is None or app.builder.name not in HTML_BUILDERS:
        return
    citation = citation_for(app, pagename)
    if citation is None:
        return
    write_downloads(Path(app.outdir), citation)
    context["metatags"] = context.get("metatags", "") + meta_tags(citation, app.config.language)


def write_downloads(outdir: Path, citation: Citation) -> None:
    """The three files of the citation, under ``outdir``."""
    files = [(outdir / download_path(citation.docname, suffix), w) for suffix, _, w in FORMATS]
    folder = files[0][0].parent
    # (realpath resolves the part of the path that exists)
    if not os.path.realpath(folder).startswith(real_folder(str(outdir)) + os.sep):
        return  # never outside the output (through a symbolic link in it)
    os.makedirs(folder, exist_ok=True)
    for path, writer in files:
        path.write_text(writer(citation), encoding="utf-8")


def remove_stale_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Remove the downloads an earlier build wrote for a page that is no longer cited (it
    says ``Cite: False`` now, or is gone): an incremental build writes only the changed
    pages' files. Only files listed in the manifest of the last build are removed, never
    another file of ``_cite/``."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    outdir = Path(app.outdir)
    wanted = sorted(
        download_path(docname, suffix)
        for docname, record in excerpt_pages(app.env).items()
        if is_cited(app.config, record)
        for suffix, _, _ in FORMATS
    )
    manifest = outdir / DOWNLOAD_FOLDER / MANIFEST
    listed = read_manifest(manifest)
    before = listed if isinstance(listed, list) else []
    for rel in set(before) - set(wanted):
        if isinstance(rel, str) and rel.startswith(DOWNLOAD_FOLDER + "/") and ".." not in rel:
            (outdir / rel).unlink(missing_ok=True)
    if wanted or before:
        write_manifest(manifest, wanted)


def meta_tags(citation: Citation, language: str | None) -> str:
    """Google Scholar's ``citation_*`` and Dublin Core's ``DC.*`` tags, values escaped."""
    tags: list[tuple[str, str]] = [("citation_title", citation.title)]
    tags += [("citation_author", author) for author in citation.authors]
    if citation.date is not None:
        tags.append(("citation_publication_date", citation.date.strftime("%Y/%m/%d")))
    if citation.url:
        tags.append(("citation_public_url", citation.url))
        tags.append(("citation_abstract_html_url", citation.url))
    if citation.pdf_url:
        tags.append(("citation_pdf_url", citation.pdf_url))
    if language:
        tags.append(("citation_language", language))
    tags.append(("DC.title", citation.title))
    tags += [("DC.creator", author) for author in citation.authors]
    if citation.date is not None:
        tags.append(("DC.date", citation.date.date().isoformat()))
    if citation.url:
        tags.append(("DC.identifier", citation.url))
    if citation.site:
        tags.append(("DC.publisher", citation.site))
    if citation.book:
        tags.append(("DC.source", citation.excerpt_note()))
    if language:
        tags.append(("DC.language", language))
    tags.append(("DC.type", "Text"))
    lines = [f'\n<link rel="schema.DC" href="{DUBLIN_CORE}" />']
    lines += [
        f'\n<meta name="{name}" content="{escape(value, quote=True)}" />' for name, value in tags
    ]
    return "".join(lines)


def add_cite_boxes(app: Sphinx, builder: Builder) -> None:
    """:class:`CiteBoxes`, in builds that show a box on some page."""
    add_when_needed(app, CiteBoxes)


def setup_cite(app: Sphinx) -> None:
    guard.connect(app, "config-inited", check_template)
    guard.connect(app, "write-started", add_cite_boxes)
    # (from the start: its tags come before those of sphinxext-opengraph, loaded later)
    guard.connect(app, "html-page-context", add_citation_files_and_tags)
    guard.connect(app, "build-finished", remove_stale_downloads)
