"""Old Pelican URLs stay alive: a page with ``Slug: x`` is reachable where Pelican wrote it
(``x.html`` by default; ``excerpt_redirect_paths`` holds the site's ``ARTICLE_SAVE_AS``)."""

from __future__ import annotations

import os
import posixpath
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import FileAvoidWrite

from sphinx_excerpt import guard
from sphinx_excerpt.config import ExcerptConfig
from sphinx_excerpt.dates import parse_date
from sphinx_excerpt.pages import PageRecord, excerpt_pages

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SAFE_PATH = re.compile(r"^[\w.~-]+(?:/[\w.~-]+)*$")
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


def _is_safe(path: str) -> bool:
    return bool(SAFE_PATH.match(path)) and ".." not in path.split("/")


def redirect_targets(config: ExcerptConfig, record: PageRecord) -> tuple[list[str], list[str]]:
    """Where a page's redirects go, relative to the output root, and what went wrong.

    ``excerpt_redirect_paths`` are Pelican's ``ARTICLE_SAVE_AS`` values: ``{slug}``,
    ``{date}`` (a date) and the page's other header keys fill them.
    """
    slug = (record.get("slug") or "").strip().strip("/")
    if not slug or not config.redirects:
        return [], []
    if not _is_safe(slug):
        return [], [f"slug {slug!r} is not a safe URL path; no redirect written"]
    patterns = config.redirect_paths
    if isinstance(patterns, str):  # one path given as a string (Sphinx warns of the type)
        patterns = [patterns]
    values: dict[str, object] = {**record.metadata, "slug": slug}
    published = parse_date(record.get("date") or "")
    if published is not None:
        values["date"] = published
    paths: list[str] = []
    problems: list[str] = []
    for pattern in patterns:
        try:
            rel = pattern.format_map(values).lstrip("/")
        except KeyError as missing:
            problems.append(
                f"redirect path {pattern!r} needs {{{missing.args[0]}}}, not in the header"
            )
            continue
        except (ValueError, IndexError, AttributeError) as error:
            problems.append(f"redirect path {pattern!r} cannot be filled in: {error}")
            continue
        if not rel or rel.endswith("/"):
            rel += "index.html"
        if _is_safe(rel):
            paths.append(rel)
        else:
            problems.append(f"redirect path {rel!r} is not a safe URL path")
    return paths, [f"{problem}; no redirect written there" for problem in problems]


def write_redirects(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Write the redirect pages of a page with a ``Slug`` as the page itself is written.

    An incremental build writes only the pages that changed, so it rewrites only their
    redirects; a redirect is never written where a page of the project lives.
    """
    builder = app.builder
    if doctree is None or builder.name not in REDIRECTING_BUILDERS:
        return
    record = excerpt_pages(app.env).get(pagename)
    if record is None:
        return
    paths, _ = redirect_targets(ExcerptConfig.read(app.config), record)  # warned when read
    outdir = Path(builder.outdir)
    target = builder.get_target_uri(pagename)
    for rel in paths:
        path = Path(os.path.abspath(outdir / rel))
        if _page_of_project_at(app, rel, path):
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
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileAvoidWrite(path) as out:
            out.write(page)


def _page_of_project_at(app: Sphinx, rel: str, path: Path) -> bool:
    """Whether a page of the project is written at ``rel`` (``path`` in the output).

    Only the pages whose name the path could hold are asked: ``a/b.html`` is page
    ``a/b``; ``a/b/index.html`` is ``a/b/index``, or ``a/b`` under ``dirhtml``.
    """
    stem = rel.removesuffix(".html")
    candidates = [stem]
    if posixpath.basename(rel) == "index.html":
        candidates.append(posixpath.dirname(rel))
    return any(
        name in app.env.found_docs
        and os.path.abspath(app.builder.get_outfilename(name)) == str(path)  # type: ignore[attr-defined]
        for name in candidates
    )


def setup_redirects(app: Sphinx) -> None:
    guard.connect(app, "html-page-context", write_redirects)
