"""sphinx-excerpt: book excerpts and long-form scholarly pages in Sphinx, HTML and PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    from sphinx_excerpt.citations import setup_citations
    from sphinx_excerpt.cite import setup_cite
    from sphinx_excerpt.config import setup_config
    from sphinx_excerpt.domain import setup_domain
    from sphinx_excerpt.encoding import setup_encoding
    from sphinx_excerpt.figures import setup_figures
    from sphinx_excerpt.figures_latex import setup_figures_latex
    from sphinx_excerpt.headings import setup_headings
    from sphinx_excerpt.html import setup_html
    from sphinx_excerpt.i18n import setup_i18n
    from sphinx_excerpt.image_checks import setup_image_checks
    from sphinx_excerpt.latex import setup_latex
    from sphinx_excerpt.latex_fonts import setup_latex_fonts
    from sphinx_excerpt.latex_images import setup_latex_images
    from sphinx_excerpt.latex_text import setup_latex_text
    from sphinx_excerpt.layout import setup_layout
    from sphinx_excerpt.mentions import setup_mentions
    from sphinx_excerpt.messages import setup_messages
    from sphinx_excerpt.metadata import setup_metadata
    from sphinx_excerpt.myst import setup_myst
    from sphinx_excerpt.numbering import setup_numbering
    from sphinx_excerpt.pagepdf import setup_pagepdf
    from sphinx_excerpt.parser import setup_parser
    from sphinx_excerpt.paths import setup_paths
    from sphinx_excerpt.redirects import setup_redirects
    from sphinx_excerpt.site_links import setup_site_links
    from sphinx_excerpt.social import setup_social
    from sphinx_excerpt.static import setup_static
    from sphinx_excerpt.status import setup_status
    from sphinx_excerpt.title import setup_title
    from sphinx_excerpt.urls import setup_urls
    from sphinx_excerpt.wells import setup_wells

    setup_myst(app)
    setup_parser(app)
    setup_config(app)
    setup_domain(app)
    setup_i18n(app)
    setup_encoding(app)
    setup_metadata(app)
    setup_title(app)
    setup_status(app)
    setup_headings(app)
    setup_citations(app)  # after the headings: its References heading is not shifted
    setup_paths(app)
    setup_layout(app)
    setup_social(app)
    setup_redirects(app)
    setup_static(app)  # after the redirects: it reads which were written
    setup_site_links(app)
    setup_latex(app)
    setup_html(app)
    setup_wells(app)
    setup_pagepdf(app)
    setup_cite(app)
    setup_figures(app)
    setup_figures_latex(app)
    setup_numbering(app)
    setup_mentions(app)
    setup_latex_images(app)
    setup_latex_text(app)
    setup_latex_fonts(app)
    setup_image_checks(app)
    setup_messages(app)
    setup_urls(app)
    return {
        "version": __version__,
        # raised when what the environment keeps changes (PageRecord.lines, then its
        # parsed dates, then the excerpt domain in place of attributes of the
        # environment, then the node classes' module, sphinx_excerpt.nodes, which the
        # pickled doctrees name, then Page.redirects), so that an environment pickled by
        # an earlier version is read again, not reused
        "env_version": 5,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
