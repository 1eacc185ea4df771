"""The PDF: the extension's LaTeX package and the document set-up of excerpt projects.

When the project's root document is an excerpt page and ``conf.py`` leaves
``latex_documents`` to Sphinx, the PDF is set up from the page: an article-like
document (Sphinx's ``howto`` class) whose title is the page's title, whose author is
the page's ``Author`` and whose date is the page's date line, with no contents page.
With ``excerpt_page_pdfs`` every excerpt page also gets a PDF of its own, set up the
same way. A project that sets ``latex_documents`` keeps its own entries.

The page's title (its first section's, which the LaTeX writer leaves out of the body as
the document's title) is the entry's title, escaped as Sphinx escapes its own; the
document classes also give it to hyperref as the PDF's ``Title``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.osutil import make_filename
from sphinx.util.texescape import escape_abbr

from sphinx_excerpt import guard
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.domain import Page
from sphinx_excerpt.latex_text import tex_escape
from sphinx_excerpt.pages import (
    DATE_LINE_CLASS,
    excerpt_pages,
    per_build,
    title_section,
)
from sphinx_excerpt.scope import project_shows_excerpt_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

STY = Path(__file__).parent / "static" / "sphinxexcerpt.sty"
DOCUMENT_CLASS = "howto"  # Sphinx's article-like LaTeX theme
AUTHOR_KEYS = ("author", "authors")
# latex_elements a page document sets for itself, unless conf.py sets them: no contents
# page, and sections unnumbered as on the HTML page (the book's numbers are in the text)
PAGE_ELEMENTS = {"tableofcontents": "", "secnumdepth": r"\setcounter{secnumdepth}{0}"}
# a page's PDF is not a release of the project: no "Release 0.1" under its title
PAGE_CONTEXT = {"release": "", "releasename": ""}

LatexDocument = tuple[Any, ...]  # (startdoc, targetname, title, author, theme[, toctree_only])


#: Where the build keeps its :class:`TitlePages` (``per_build``).
TITLE_PAGES = "title pages"


@dataclass
class TitlePages:
    """The LaTeX documents set up from an excerpt page, for the build being written."""

    start_docs: set[str] = field(default_factory=set)
    project: dict[str, Any] = field(default_factory=dict)  # context values to restore


def load_latex_package(app: Sphinx, builder: Builder) -> None:
    """Load ``sphinxexcerpt.sty`` (and put it beside the ``.tex`` files) when a page of
    the project may show the extension's nodes; a project without leaves its LaTeX as
    it is. The pages are all read by now, before the builder writes a preamble."""
    if builder.format == "latex" and project_shows_excerpt_nodes(app.env):
        app.add_latex_package(STY.stem)
        copy_asset_file(STY, builder.outdir, force=True)


def is_set_by_user(config: Config, name: str) -> bool:
    """Whether ``conf.py`` (or ``-D``) gives ``name`` a value other than Sphinx's default."""
    default = config.values[name].default
    if callable(default):
        default = default(config)
    return bool(_comparable(getattr(config, name)) != _comparable(default))


def _comparable(value: Any) -> Any:
    # conf.py may write the entries of latex_documents as lists
    if isinstance(value, list | tuple):
        return [tuple(v) if isinstance(v, list | tuple) else v for v in value]
    return value


def page_documents(config: Config, pages: dict[str, Page]) -> list[LatexDocument]:
    """The ``latex_documents`` entries this extension sets up from excerpt pages.

    The root document's entry when the root is an excerpt page and ``latex_documents``
    is Sphinx's default; with ``excerpt_page_pdfs``, one entry per other excerpt page,
    written to a file named after its docname.
    """
    configured: list[LatexDocument] = [tuple(e) for e in config.latex_documents]
    documents: list[LatexDocument] = []
    if config.root_doc in pages and not is_set_by_user(config, "latex_documents"):
        documents.append(_page_document(config, config.root_doc, configured[0][1], pages))
        configured = configured[1:]
    if excerpt_config(config).page_pdfs:
        taken = {e[0] for e in configured + documents}
        names = {str(e[1]).lower() for e in configured + documents}
        for docname in sorted(pages.keys() - taken):
            documents.append(_page_document(config, docname, _page_file(docname, names), pages))
    return documents


def all_documents(config: Config, pages: dict[str, Page]) -> list[LatexDocument]:
    """``latex_documents`` with the excerpt pages' entries in place (the root's first)."""
    mine = page_documents(config, pages)
    replaced = {e[0] for e in mine}
    rest = [tuple(e) for e in config.latex_documents if e[0] not in replaced]
    root = [e for e in mine if e[0] == config.root_doc]
    return root + rest + [e for e in mine if e[0] != config.root_doc]


def pdf_names(config: Config, pages: dict[str, Page]) -> dict[str, str]:
    """The PDF file name of each excerpt page that starts a LaTeX document."""
    return {
        str(e[0]): re.sub(r"\.tex$", "", str(e[1])) + ".pdf"
        for e in all_documents(config, pages)
        if e[0] in pages
    }


def _page_document(
    config: Config, docname: str, targetname: str, pages: dict[str, Page]
) -> LatexDocument:
    author = pages[docname].get(*AUTHOR_KEYS)
    if author is None and is_set_by_user(config, "author"):
        author = config.author
    title = _tex(pages[docname].title, config)
    return (docname, targetname, title, _tex(author or "", config), DOCUMENT_CLASS)


def _tex(text: str, config: Config) -> str:
    """Text from a source as LaTeX that prints it, as Sphinx escapes its own values."""
    return escape_abbr(tex_escape(text, config))


def _page_file(docname: str, taken: set[str]) -> str:
    stem = make_filename(docname.replace("/", "-")).lower()
    name, n = f"{stem}.tex", 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}.tex"
    taken.add(name.lower())
    return name


def set_up_documents(app: Sphinx, builder: Builder) -> None:
    """Give the LaTeX builder the excerpt pages' documents before it reads the list.

    Which pages are excerpt pages is known only once every page is read, so the list is
    completed here, just before the builder reads ``latex_documents`` to write.
    """
    if builder.format != "latex":
        return
    pages = excerpt_pages(app.env)
    mine = page_documents(app.config, pages)
    context: dict[str, Any] = builder.context  # type: ignore[attr-defined]
    per_build(builder)[TITLE_PAGES] = TitlePages(
        start_docs={str(e[0]) for e in mine},
        project={key: context.get(key) for key in ("date", *PAGE_ELEMENTS, *PAGE_CONTEXT)},
    )
    if mine:
        app.config.latex_documents = all_documents(app.config, pages)


def set_title_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Date and contents page of the LaTeX document that starts at ``docname``.

    The page's date line becomes the document's ``\\date`` and leaves the body, where
    it would print a second time under the title. ``latex_documents`` has no date, so
    it goes into the builder's template context, which the builder sets per document
    for title and author in the same way (after ``doctree-resolved``, before writing).
    """
    title_pages: TitlePages | None = per_build(app.builder).get(TITLE_PAGES)
    if title_pages is None:
        return
    context: dict[str, Any] = app.builder.context  # type: ignore[attr-defined]
    context.update(title_pages.project)
    if docname not in title_pages.start_docs:
        return
    for key, value in PAGE_ELEMENTS.items():
        if key not in app.config.latex_elements:
            context[key] = value
    context.update(PAGE_CONTEXT)
    context["date"] = ""
    dates = date_line(doctree)
    if dates is not None:
        context["date"] = tex_escape(dates.astext(), app.config)
        guard.keep(dates.parent)
        dates.parent.remove(dates)


def date_line(doctree: nodes.document) -> nodes.paragraph | None:
    """The date line under the title of the document's first page, if it has one."""
    section = title_section(doctree)
    if section is None:
        return None
    for child in section.children:
        if isinstance(child, nodes.paragraph) and DATE_LINE_CLASS in child["classes"]:
            return child
    return None


def setup_latex(app: Sphinx) -> None:
    guard.connect(app, "write-started", load_latex_package)
    guard.connect(app, "write-started", set_up_documents)
    guard.connect(app, "builder-inited", connect_title_page)


def connect_title_page(app: Sphinx) -> None:
    """``builder-inited``: :func:`set_title_page` for each document of a LaTeX build only
    (any other build would call it at every page, for nothing)."""
    if app.builder.format == "latex":
        guard.connect(app, "doctree-resolved", set_title_page)
