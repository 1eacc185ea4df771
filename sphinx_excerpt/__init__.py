"""sphinx-excerpt: book excerpts and long-form scholarly pages in Sphinx, HTML and PDF."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


#: The modules that register the extension's steps, in the order they register them:
#: each has a ``setup_<module>(app)``. The order of the steps themselves is in
#: :mod:`sphinx_excerpt.priorities`; this order matters only between handlers of one event
#: at one priority.
REGISTRATION = (
    "myst", "parser", "config", "domain", "i18n", "encoding", "metadata", "title",
    "status", "headings", "citations", "paths", "layout", "social",
    "redirects", "static",  # the static folders after the redirects: it reads which were written
    "site_links", "latex", "html", "wells", "pagepdf", "cite", "figures", "figures_latex",
    "numbering", "mentions", "latex_images", "latex_text", "latex_fonts", "image_checks",
    "messages", "urls",
)  # fmt: skip


def setup(app: Sphinx) -> ExtensionMetadata:
    for name in REGISTRATION:
        module = importlib.import_module(f"sphinx_excerpt.{name}")
        getattr(module, f"setup_{name}")(app)
    return {
        "version": __version__,
        # raised when what the environment keeps changes (Page.lines, then its
        # parsed dates, then the excerpt domain in place of attributes of the
        # environment, then the node classes' module, sphinx_excerpt.nodes, which the
        # pickled doctrees name, then Page.redirects, then the scope's pages with site
        # links), so that an environment pickled by an earlier version is read again,
        # not reused
        "env_version": 6,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
