"""Links written as the Pelican site's own addresses: ``[case](/cases/north-pier/)``,
``[data](/files/survey.pdf)``.

A Pelican page links to other pages and files by their address on the site, from its
root. MyST reads such a link as a path in the project and, finding none, warns. On an
excerpt page, before MyST resolves it, such a link that MyST could not place is:

- a link to the page itself when the address is one Pelican gave a page (a path of
  ``excerpt_redirect_paths`` for the page's ``Slug``), so it follows the page wherever
  Sphinx writes it;
- a link to the file when the address is in one of ``excerpt_static_paths`` (copied to the
  same path of the HTML output): relative to the page in HTML, so the site works from any
  folder; ``html_baseurl`` + the address in other builders (plain text without it).

Any other such link is left to MyST, which warns that it found no target.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.config import ExcerptConfig, excerpt_config
from sphinx_excerpt.pages import (
    PostTransformSomeBuildsNeed,
    add_when_needed,
    application,
    excerpt_pages,
    per_build,
)
from sphinx_excerpt.scope import is_excerpt_page, page_scope
from sphinx_excerpt.urls import on_site, site_address

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: Where the old addresses of the pages are kept for the build.
OLD_ADDRESSES = "old_addresses"


def _address(target: str) -> str:
    """A site address as the lookups key it: no leading ``/``, no ``index.html``, no
    fragment."""
    return target.split("#", 1)[0].lstrip("/").removesuffix("index.html").rstrip("/")


class SiteAddressLinks(PostTransformSomeBuildsNeed):
    """Resolve site-root links of excerpt pages to pages (by their old address) and to
    static files."""

    default_priority = priorities.SITE_LINKS

    @classmethod
    def needed(cls, app: Sphinx) -> bool:
        """Whether a page of the project links to a site address (the URL transform
        notes them as it reads the pages)."""
        return bool(page_scope(app.env).site_links)

    @guard.rewrite
    def run(self, **kwargs: Any) -> None:
        config = excerpt_config(self.config)
        for xref in list(self.document.findall(addnodes.pending_xref)):
            target = site_address(xref)
            # the page the link is on: the LaTeX builder resolves one document of many pages
            page = xref.get("refdoc") or self.env.docname
            if target is None or not is_excerpt_page(self.env, page):
                continue
            link = self._page_link(page, target) or self._static_link(config, page, target)
            if link is not None:
                link += xref.children
                link.source, link.line = xref.source, xref.line
                guard.keep(xref.parent)
                xref.replace_self(link)

    def _old_addresses(self) -> dict[str, str]:
        """Each old address of a page (as :func:`_address` keys it) -> its docname."""
        known = per_build(application(self.env).builder)
        if OLD_ADDRESSES not in known:
            found: dict[str, str] = {}
            for docname, record in sorted(excerpt_pages(self.env).items()):
                for rel in record.redirects:
                    found.setdefault(_address(rel), docname)
            known[OLD_ADDRESSES] = found
        addresses: dict[str, str] = known[OLD_ADDRESSES]
        return addresses

    def _page_link(self, page: str, target: str) -> nodes.reference | None:
        docname = self._old_addresses().get(_address(target))
        if docname is None:
            return None
        uri = application(self.env).builder.get_relative_uri(page, docname)
        fragment = target.partition("#")[2]
        uri += f"#{fragment}" if fragment else ""
        return nodes.reference("", "", internal=True, refuri=uri)

    def _static_link(self, config: ExcerptConfig, page: str, target: str) -> nodes.Element | None:
        if not in_static_paths(config, target):
            return None
        uri = static_address(application(self.env), page, target)
        return nodes.reference("", "", refuri=uri) if uri else nodes.inline("", "")


def in_static_paths(config: ExcerptConfig, target: str) -> bool:
    """Whether the site address ``target`` (``/files/x.pdf``) is in ``excerpt_static_paths``."""
    if not target.startswith("/") or target.startswith("//"):
        return False
    path = target.split("#", 1)[0].lstrip("/")
    statics = [p.strip("/") for p in config.static_paths]
    return any(path == s or path.startswith(s + "/") for s in statics if s)


def static_address(app: Sphinx, docname: str, target: str) -> str | None:
    """Where the page ``docname`` links for the static file at the site address
    ``target``: relative to the page in HTML, ``html_baseurl`` + the address elsewhere
    (``None`` without one)."""
    path = target.lstrip("/")
    if app.builder.name in ("html", "dirhtml"):
        here = posixpath.dirname(app.builder.get_target_uri(docname))
        return posixpath.relpath(path, here or ".")
    base = app.config.html_baseurl
    return on_site(base, path) if base else None


def add_site_address_links(app: Sphinx, builder: Builder) -> None:
    """:class:`SiteAddressLinks`, in builds of a project with such a link."""
    add_when_needed(app, SiteAddressLinks)


def setup_site_links(app: Sphinx) -> None:
    guard.connect(app, "write-started", add_site_address_links)
