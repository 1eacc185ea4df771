"""The HTML page's link to its PDF.

An excerpt page whose header has a ``PDF`` value links to that address, as written
(Pelican sites keep their PDFs there). With ``excerpt_page_pdfs``, the other excerpt
pages link to the PDF ``latexpdf`` builds for them, ``<name>.pdf`` at the root of the
HTML output; ``sphinx-build -M html`` copies it there from the ``latex`` folder beside
the HTML output when ``-M latexpdf`` has built it (otherwise copy ``build/latex/*.pdf``
to the HTML root yourself). The link ends the date line under the page's title.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.osutil import relative_uri

from sphinx_excerpt import guard
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.i18n import translated
from sphinx_excerpt.latex import date_line, pdf_names
from sphinx_excerpt.pages import DATE_LINE_CLASS, any_page, excerpt_pages, per_build, title_section
from sphinx_excerpt.site_links import in_static_paths, static_address

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinx_excerpt.domain import Page

HTML_BUILDERS = ("html", "dirhtml")  # one output file per page, so a link per page
#: Builders that show the ``PDF`` header's address (as text: "PDF: https://…").
TEXT_BUILDERS = ("text",)
LINK_TEXT = "PDF"


#: Where each excerpt page's PDF name is kept for the build (``write-started``).
PDF_NAMES = "pdf_names"


def remember_pdf_names(app: Sphinx, builder: Builder) -> None:
    """Every page's PDF name, once: all pages are read when the writing starts; and the
    PDF link's step, in builds that show one (others would call it at every page)."""
    page_pdfs = builder.name in HTML_BUILDERS and excerpt_config(app.config).page_pdfs
    if page_pdfs:
        per_build(builder)[PDF_NAMES] = pdf_names(app.config, excerpt_pages(app.env))
    if page_pdfs or (
        builder.name in (*HTML_BUILDERS, *TEXT_BUILDERS)
        and any_page(builder, "a page with a PDF", _has_pdf)
    ):
        guard.connect_once(app, "doctree-resolved", add_pdf_link)


def _has_pdf(record: Page) -> bool:
    return bool(record.get("pdf"))


def pdf_link(app: Sphinx, docname: str) -> str | None:
    """Where the HTML page of ``docname`` links for its PDF, relative to the page."""
    record = excerpt_pages(app.env).get(docname)
    if record is None:
        return None
    given = record.get("pdf")
    if given is not None:
        if in_static_paths(excerpt_config(app.config), given):
            return static_address(app, docname, given) or given
        return given
    names = per_build(app.builder).get(PDF_NAMES)
    if names is None:
        return None  # (no page PDFs in this build: no more look-ups)
    name = names.get(docname)
    return relative_uri(app.builder.get_target_uri(docname), name) if name else None


@guard.handler
def add_pdf_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """End the page's date line (or start one) with a link to its PDF; in the text build,
    the address of a PDF the header gives."""
    text_build = app.builder.name in TEXT_BUILDERS
    if text_build:
        record = excerpt_pages(app.env).get(docname)
        uri = pdf_link(app, docname) if record is not None and record.get("pdf") else None
    elif app.builder.name in HTML_BUILDERS:
        uri = pdf_link(app, docname)
    else:
        return
    if uri is None:
        return  # (most pages of most builds: nothing more is looked up)
    section = title_section(doctree)
    if section is None:
        return
    text = f"{translated(LINK_TEXT)}: {uri}" if text_build else translated(LINK_TEXT)
    link = nodes.reference("", text, refuri=uri, classes=["excerpt-pdf"])
    dates = date_line(doctree)
    guard.keep(section, dates)
    if dates is None:
        section.insert(1, nodes.paragraph("", "", link, classes=[DATE_LINE_CLASS]))
    else:
        dates += [nodes.Text(" · "), link]


def copy_page_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """Copy the pages' PDFs from the ``latex`` folder beside the HTML output, if built."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    if not excerpt_config(app.config).page_pdfs:
        return
    latex = Path(app.outdir).parent / "latex"
    for name in per_build(app.builder).get(PDF_NAMES, {}).values():
        if (latex / name).is_file():
            copy_asset_file(latex / name, app.outdir, force=True)


def setup_pagepdf(app: Sphinx) -> None:
    guard.connect(app, "write-started", remember_pdf_names)
    guard.connect(app, "build-finished", copy_page_pdfs)
