"""Old Pelican URLs stay alive: a page with ``Slug: x`` is reachable at ``x/`` and ``x.html``."""

from __future__ import annotations

import os
import posixpath
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.osutil import FileAvoidWrite

from sphinx_excerpt.config import ExcerptConfig
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.pages import excerpt_pages

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SAFE_SLUG = re.compile(r"^[\w.~-]+(?:/[\w.~-]+)*$")
REDIRECTING_BUILDERS = ("html", "dirhtml")

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>This page has moved: <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


def redirect_paths(slug: str) -> list[str]:
    """Where Pelican served a page with this slug, relative to the output root."""
    return [f"{slug}.html", f"{slug}/index.html"]


def write_redirects(app: Sphinx, exception: BaseException | None) -> None:
    """Write the redirect pages of every page with a ``Slug``, where no page of ours is."""
    if exception is not None or app.builder.name not in REDIRECTING_BUILDERS:
        return
    if not ExcerptConfig.read(app.config).redirects:
        return
    builder = app.builder
    outdir = Path(builder.outdir)
    slugged = {d: r for d, r in excerpt_pages(app.env).items() if r.get("slug")}
    if not slugged:
        return
    own_pages = {
        os.path.abspath(builder.get_outfilename(name))  # type: ignore[attr-defined]
        for name in app.env.found_docs
    }
    for docname, record in sorted(slugged.items()):
        slug = (record.get("slug") or "").strip().strip("/")
        if not slug:
            continue
        if not SAFE_SLUG.match(slug) or ".." in slug.split("/"):
            warn(
                "metadata",
                f"slug {slug!r} is not a safe URL path; no redirect written",
                location=(docname, None),
            )
            continue
        target = builder.get_target_uri(docname)
        for rel in redirect_paths(slug):
            path = Path(os.path.abspath(outdir / rel))
            if str(path) in own_pages:
                continue  # the page itself, or another page of the project, lives there
            href = posixpath.relpath(target, posixpath.dirname(rel) or ".")
            if target.endswith("/") and not href.endswith("/"):
                href += "/"
            base = app.config.html_baseurl
            canonical = posixpath.join(base.rstrip("/") + "/", target) if base else href
            page = PAGE.format(
                lang=escape(app.config.language or "en"),
                title=escape(record.title),
                href=escape(href, quote=True),
                canonical=escape(canonical, quote=True),
            )
            # rewritten only when it changes: an incremental build touches one page
            path.parent.mkdir(parents=True, exist_ok=True)
            with FileAvoidWrite(path) as out:
                out.write(page)


def setup_redirects(app: Sphinx) -> None:
    app.connect("build-finished", write_redirects)
