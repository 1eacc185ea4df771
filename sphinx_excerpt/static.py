"""A Pelican site's static folders, served where Pelican served them.

Pelican copies each of its ``STATIC_PATHS`` (``files``, ``images`` …) from the content
folder into the site at the same path, and pages link there as ``/files/report.pdf``.
``excerpt_static_paths`` does the same for the HTML builders: when the build has written
its pages, each path (a folder or a file of ``excerpt_content_root``) is copied into the
output at the same path. A file is copied when it is new or changed, so an incremental
build copies only what changed; a file never replaces a page, Sphinx's own pages and
folders, or the extension's redirects (one warning each, naming what is there).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_excerpt import guard
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.redirects import REDIRECTING_BUILDERS, Outputs, written_redirects
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def static_files(root: Path, path: str) -> tuple[list[str], str | None]:
    """The files of the static ``path`` of the content ``root``, relative to ``root`` (with
    ``/``), and why ``path`` cannot be served (or ``None``)."""
    rel = path.strip().strip("/")
    if not rel or ".." in rel.split("/") or os.path.isabs(path.lstrip("/")):
        return [], f"the static path {path!r} is not a folder or file of the content root"
    source = root / rel
    if source.is_file():
        return [rel], None
    if not source.is_dir():
        return [], f"the static path {path!r} is not in the content root ({root})"
    found = []
    for folder, dirs, names in os.walk(source):
        dirs.sort()
        here = Path(folder).relative_to(root).as_posix()
        found += [f"{here}/{name}" for name in sorted(names)]
    return found, None


def copy_static_paths(app: Sphinx, exception: Exception | None) -> None:
    """Copy ``excerpt_static_paths`` into the HTML output, at the same paths."""
    if exception is not None or app.builder.name not in REDIRECTING_BUILDERS:
        return
    config = excerpt_config(app.config)
    if not config.static_paths:
        return
    root = Path(app.srcdir, config.content_root)
    outdir = Path(app.builder.outdir)
    outputs = Outputs(app)
    redirects = written_redirects(outdir)  # written just before (setup order)
    for path in config.static_paths:
        files, problem = static_files(root, path)
        if problem:
            warn(Subtype.PATH, f"{problem}; not copied")
        for rel in files:
            owner = outputs.owner(rel) or (f"a redirect page ({rel})" if rel in redirects else None)
            if owner is not None:
                warn(Subtype.PATH, f"the static file {rel} would replace {owner}; not copied")
                continue
            source, target = root / rel, outdir / rel
            if target.is_file() and _same(source, target):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _same(source: Path, target: Path) -> bool:
    """Whether ``target`` is a copy of ``source`` as ``copy2`` made it (size and time)."""
    a, b = source.stat(), target.stat()
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def setup_static(app: Sphinx) -> None:
    guard.connect(app, "build-finished", copy_static_paths)
