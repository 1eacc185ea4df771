"""Old Pelican URLs stay alive: a page with ``Slug: x`` is reachable where Pelican wrote it
(``x.html`` by default; ``excerpt_redirect_paths`` holds the site's ``ARTICLE_SAVE_AS``).

When the build has written its pages, every redirect of the project is planned at once
(:func:`plan_redirects`): a redirect never takes the place of a page of the project, of
Sphinx's own pages (``genindex``, ``search``, the domain indices) and folders, of
another page's redirect, or of a folder that holds any of them, and each such
collision is one warning naming both pages. The redirects written are listed in a
manifest in the output folder, so a later build removes those that no longer apply
(after a slug changed, say), and only those.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_excerpt import guard
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.manifests import read_manifest, write_manifest
from sphinx_excerpt.pages import excerpt_pages
from sphinx_excerpt.redirect_paths import is_safe
from sphinx_excerpt.urls import on_site, refused_url
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx

REDIRECTING_BUILDERS = ("html", "dirhtml")
#: Where the redirects a build wrote are listed, in the output folder.
MANIFEST = ".excerpt-redirects.json"
#: Marks a redirect page as the extension's: only those are ever removed.
GENERATOR = "sphinx-excerpt redirect"
#: Sphinx's pages and folders in the HTML output (the domain indices are added per build).
SPHINX_PAGES = ("genindex", "search", "py-modindex")
SPHINX_FOLDERS = ("_static", "_sources", "_images", "_downloads")

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta name="robots" content="noindex">
<meta name="generator" content="{generator}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>This page has moved: <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


class Outputs:
    """What the HTML output holds besides redirects: pages' files and the folders above them."""

    def __init__(self, app: Sphinx) -> None:
        builder = app.builder
        self.prefix = os.path.join(os.path.abspath(builder.outdir), "")
        self.files: dict[str, str] = {}  # output path -> whose it is
        for docname in app.env.found_docs:
            self.files[self._rel(builder.get_outfilename(docname))] = f"page {docname!r}"  # type: ignore[attr-defined]
        indices = [
            f"{domain.name}-{index.name}"
            for domain in app.env.domains.sorted()
            for index in domain.indices
        ]
        for name in (*SPHINX_PAGES, *indices, *app.config.html_additional_pages):
            rel = self._rel(builder.get_outfilename(name))  # type: ignore[attr-defined]
            self.files.setdefault(rel, f"Sphinx's page {name!r}")
        self.folders = {folder: f"Sphinx's folder {folder!r}" for folder in SPHINX_FOLDERS} | {
            parent: self.files[rel] for rel in self.files for parent in _parents(rel)
        }

    def _rel(self, path: str | os.PathLike[str]) -> str:
        """``path`` (in the output folder) relative to it, with ``/`` (string work: one
        call for each page of the project)."""
        return os.path.abspath(path).removeprefix(self.prefix).replace(os.sep, "/")

    def owner(self, rel: str) -> str | None:
        """Who has ``rel`` (a file there, or a folder of that name), else ``None``."""
        if rel in self.files:
            return self.files[rel]
        if rel in self.folders:
            return self.folders[rel]
        for parent in _parents(rel):
            if parent in self.files:
                return f"{self.files[parent]} ({parent} is a file)"
            if parent in SPHINX_FOLDERS:
                return self.folders[parent]
        return None


def _parents(rel: str) -> list[str]:
    """The folders above ``rel``: ``a/b/c.html`` -> ``a``, ``a/b``."""
    if "/" not in rel:
        return []  # (most pages of a project: no calls)
    names = rel.split("/")[:-1]
    return ["/".join(names[: i + 1]) for i in range(len(names))]


def plan_redirects(app: Sphinx) -> dict[str, str]:
    """Every redirect to write: output path -> the docname it leads to.

    Pages are taken in docname order, so of two pages claiming one path the first keeps
    it. A path that belongs to something else is one ``excerpt.metadata`` warning at the
    page's ``Slug`` line, naming the other owner; a page's redirect to itself is skipped.
    """
    outputs: Outputs | None = None  # made once a page has a redirect
    plan: dict[str, str] = {}
    redirect_folders: dict[str, str] = {}
    records = excerpt_pages(app.env)
    for docname in sorted(records):
        record = records[docname]
        paths = record.redirects  # worked out (and warned about) when the page was read
        for rel in paths:
            outputs = outputs or Outputs(app)
            owner = outputs.owner(rel)
            if owner == f"page {docname!r}":
                continue  # the page itself lives there
            if owner is None and rel in plan:
                owner = f"the redirect of page {plan[rel]!r}"
            elif owner is None and rel in redirect_folders:
                owner = f"the redirect of page {redirect_folders[rel]!r} (a folder of it)"
            elif owner is None:
                for taken in _parents(rel):  # (a loop, not a generator: no call per folder)
                    if taken in plan:
                        owner = f"the redirect of page {plan[taken]!r} ({taken} is a file)"
                        break
            if owner is not None:
                warn(
                    Subtype.METADATA,
                    f"the redirect of page {docname!r} at {rel} would replace {owner}; not written",
                    location=(docname, record.lines.get("slug")),
                )
                continue
            plan[rel] = docname
            for folder in _parents(rel):
                redirect_folders[folder] = docname
    return plan


def redirect_page(app: Sphinx, rel: str, docname: str) -> str | None:
    """The HTML of the redirect at ``rel`` to ``docname``, or ``None`` if the URL policy
    refuses its address."""
    target = app.builder.get_target_uri(docname)
    href = posixpath.relpath(target, posixpath.dirname(rel) or ".")
    if target[-1:] == "/" and href[-1:] != "/":  # (slices, not ``endswith``: no calls)
        href += "/"
    base = app.config.html_baseurl
    canonical = on_site(base, target) if base else href
    why = refused_url(href) or (refused_url(canonical) if base else None)
    if why:
        warn(Subtype.METADATA, f"the redirect to page {docname!r} would lead to {why}; not written")
        return None
    return PAGE.format(
        lang=escape(app.config.language or "en"),
        title=escape(excerpt_pages(app.env)[docname].title),
        href=escape(href, quote=True),
        canonical=escape(canonical, quote=True),
        generator=GENERATOR,
    )


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """Write the planned redirects that are new or changed, remove the ones an earlier
    build wrote that no longer apply, and list what stands in the manifest."""
    if exception is not None or app.builder.name not in REDIRECTING_BUILDERS:
        return
    outdir = Path(app.builder.outdir)
    before = _manifest(outdir)
    after: dict[str, str] = {}
    for rel, docname in plan_redirects(app).items():
        page = redirect_page(app, rel, docname)
        if page is None:
            continue
        digest = hashlib.sha1(page.encode(), usedforsecurity=False).hexdigest()
        path = outdir / rel
        # an incremental build only checks that an unchanged redirect is still there
        if before.get(rel) != digest or not path.is_file():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(page, encoding="utf-8")
            except OSError as error:  # a limit of this file system, or a file put there by hand
                warn(
                    Subtype.METADATA,
                    f"the redirect of page {docname!r} at {rel} cannot be written: "
                    f"{error.strerror}",
                    location=(docname, excerpt_pages(app.env)[docname].lines.get("slug")),
                )
                continue
        after[rel] = digest
    _remove_stale(outdir, before.keys() - after.keys())
    if after or before:
        write_manifest(outdir / MANIFEST, after)


def written_redirects(outdir: Path) -> frozenset[str]:
    """The paths of the redirects the last build wrote in ``outdir``."""
    return frozenset(_manifest(outdir))


def _manifest(outdir: Path) -> dict[str, str]:
    """The redirects the last build wrote, by path, with a digest of each."""
    listed = read_manifest(outdir / MANIFEST)
    if not isinstance(listed, dict):
        return {}
    return {rel: str(digest) for rel, digest in listed.items() if is_safe(rel)}


def _remove_stale(outdir: Path, stale: set[str]) -> None:
    """Remove redirects an earlier build wrote, unless a page of the project lives there now."""
    for rel in sorted(stale):
        path = outdir / rel
        try:
            if GENERATOR not in path.read_text(encoding="utf-8"):
                continue
            path.unlink()
            for parent in _parents(rel)[::-1]:
                (outdir / parent).rmdir()  # stops at the first folder that is not empty
        except OSError:
            continue


def setup_redirects(app: Sphinx) -> None:
    guard.connect(app, "build-finished", write_redirects)
