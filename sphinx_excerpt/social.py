"""Social cards: OpenGraph and Twitter tags of excerpt pages, through sphinxext-opengraph.

With ``excerpt_social_cards = True`` the extension loads sphinxext-opengraph and feeds
it each excerpt page's values through the page's metadata, where sphinxext-opengraph
reads per-page ``og:`` fields: the description of its header (``Summary``, ``Excerpt``,
``Description``, else ``excerpt_description``), its first image (the file Sphinx copied
into ``_images``, as an absolute address under ``ogp_site_url``), and ``og:type``
``article``. sphinxext-opengraph writes ``og:title`` (the page's title), ``og:url``,
``og:site_name`` and the rest; ``twitter:card`` is one of its ``ogp_custom_meta_tags``
(Twitter reads the ``og:`` tags for the card's title, description and image).

Other pages get no tags (their metadata says ``ogp_disable``, sphinxext-opengraph's
own switch), so they come out as without the extension, unless the project lists
``sphinxext.opengraph`` in its own ``extensions``: then every page has its tags, as
the project asked. ``ogp_site_url`` defaults to ``html_baseurl``; ``ogp_social_cards``
(images drawn by matplotlib) is off unless the project sets it.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from docutils import nodes

from sphinx_excerpt import guard
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.diagnostics import logger
from sphinx_excerpt.metadata import DESCRIPTION_KEYS
from sphinx_excerpt.pages import excerpt_pages
from sphinx_excerpt.scope import is_excerpt_page
from sphinx_excerpt.urls import refused_url, url_scheme

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

OPENGRAPH = "sphinxext.opengraph"
TWITTER_CARD = '<meta name="twitter:card" content="summary_large_image" />'


def configure_social_cards(app: Sphinx, config: Config) -> None:
    """Load and configure sphinxext-opengraph when ``excerpt_social_cards`` is on."""
    if not excerpt_config(config).social_cards:
        return
    try:
        import sphinxext.opengraph  # noqa: F401
    except ImportError:
        # a problem of conf.py's environment, not of a source: Sphinx's own type for those
        logger.warning(
            "excerpt_social_cards needs sphinxext-opengraph (pip install "
            "sphinxext-opengraph); the pages have no social card tags",
            type="config",
        )
        return
    app.setup_extension(OPENGRAPH)
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    if config.ogp_social_cards is None:  # no matplotlib drawing unless asked for
        config.ogp_social_cards = {"enable": False}
    if not any("twitter:card" in tag for tag in config.ogp_custom_meta_tags):
        config.ogp_custom_meta_tags = [*config.ogp_custom_meta_tags, TWITTER_CARD]
    # the pages' fields, in builds with social cards only (others would call it at every
    # page for nothing); before sphinxext-opengraph's handler (500), which reads them
    guard.connect(app, "html-page-context", social_fields, priority=450)


def social_cards_on(app: Sphinx) -> bool:
    """Whether sphinxext-opengraph writes the OpenGraph tags of this build's pages (the
    option is on, and the extension could be loaded)."""
    return excerpt_config(app.config).social_cards and OPENGRAPH in app.extensions


def social_fields(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The page's ``og:`` fields for sphinxext-opengraph (or its ``ogp_disable``)."""
    if doctree is None:
        return
    # a project that loads sphinxext-opengraph itself keeps its tags on its other pages
    own = OPENGRAPH in app.config.extensions
    fields = dict(context.get("meta") or {})  # a copy: the environment keeps the original
    if not is_excerpt_page(app.env, pagename):
        if not own:
            fields["ogp_disable"] = True
            context["meta"] = fields
        return
    record = excerpt_pages(app.env).get(pagename)
    description = (record.get(*DESCRIPTION_KEYS) if record else None) or excerpt_config(
        app.config
    ).description
    if description:
        fields.setdefault("og:description", description)
    image = doctree.next_node(nodes.image)
    address = image_address(app, image) if image is not None else None
    if address and "og:image" not in fields:
        fields["og:image"] = address
        if image.get("alt"):
            fields.setdefault("og:image:alt", image["alt"])
    fields.setdefault("og:type", "article")
    context["meta"] = fields


def image_address(app: Sphinx, image: nodes.image) -> str | None:
    """Where the reader's browser finds the image: its web address, or the copy Sphinx
    wrote into ``_images`` under the site's address. ``None`` for data: images and
    images Sphinx did not copy."""
    uri = str(image.get("uri", ""))
    if url_scheme(uri):
        return uri if url_scheme(uri) in ("http", "https") and not refused_url(uri) else None
    # the HTML builder has already pointed ``uri`` at the copy; the source path remains
    candidates: dict[str, str] = image.get("candidates", {})
    source = candidates.get("*", uri)
    name = getattr(app.builder, "images", {}).get(source)
    if not name:
        return None
    path = posixpath.join(getattr(app.builder, "imagedir", "_images"), name)
    site = app.config.ogp_site_url
    return urljoin(site if site.endswith("/") else site + "/", path) if site else path


def setup_social(app: Sphinx) -> None:
    guard.connect(app, "config-inited", configure_social_cards)
