"""Image paths that start with ``/`` resolve against the Pelican content root.

Sphinx already reads ``/files/images/x.png`` as relative to the source folder; when the
Pelican ``content/`` folder is a sub-folder of a larger project, ``excerpt_content_root``
names it and such paths resolve against it instead.
"""

from __future__ import annotations

import posixpath
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.scope import is_excerpt_page


class ContentRootImages(SphinxTransform):
    """Prefix root-relative image paths with the content root."""

    default_priority = priorities.CONTENT_ROOT_IMAGES

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        if not is_excerpt_page(self.env):
            return
        root = excerpt_config(self.config).content_root.strip("/")
        for image in self.document.findall(nodes.image):
            rooted(image, root)


@guard.rewrite
def rooted(image: nodes.image, root: str) -> None:
    """Resolve the image's path against ``root`` if it starts with ``/``."""
    uri = image["uri"]
    if uri.startswith("/") and not uri.startswith("//"):
        image["uri"] = posixpath.join("/", root, uri.lstrip("/"))


def add_content_root_images(app: Sphinx) -> None:
    """``builder-inited``: :class:`ContentRootImages` when ``excerpt_content_root`` names a
    folder (else it would run at every page for nothing)."""
    if excerpt_config(app.config).content_root.strip("/"):
        app.add_transform(ContentRootImages)


def setup_paths(app: Sphinx) -> None:
    guard.connect(app, "builder-inited", add_content_root_images)
