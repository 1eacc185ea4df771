"""Where a page's old Pelican addresses are, worked out once, when the page is read.

A page with ``Slug: x`` gets a redirect at each of ``excerpt_redirect_paths`` (Pelican's
``ARTICLE_SAVE_AS`` values) filled in from its header. The paths are worked out when the
page is read and kept in its record (``Page.redirects``), with one ``excerpt.metadata``
warning for each that cannot be; the write phase (:mod:`sphinx_excerpt.redirects`, which
writes the redirect pages, and :mod:`sphinx_excerpt.site_links`, which resolves links to
old addresses) reads them there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx_excerpt.config import ExcerptConfig
    from sphinx_excerpt.domain import Page

SAFE_PATH = re.compile(r"^[\w.~-]+(?:/[\w.~-]+)*$")
#: The longest file name (in bytes) the common file systems allow (ext4, APFS, NTFS, ZFS).
NAME_MAX = 255


def is_safe(path: str) -> bool:
    # (a path without ".." has no ".." name: split only when it may)
    if SAFE_PATH.match(path) is None:
        return False
    return ".." not in path or ".." not in path.split("/")


def _too_long(path: str) -> bool:
    # (a path no longer than a name can be has no name too long: the common case)
    if len(path) * 4 <= NAME_MAX:  # (UTF-8 writes a character in four bytes at most)
        return False
    return any(len(name.encode()) > NAME_MAX for name in path.split("/"))


def redirect_targets(config: ExcerptConfig, record: Page) -> tuple[list[str], list[str]]:
    """Where a page's redirects go, relative to the output root, and what went wrong.

    ``excerpt_redirect_paths`` are Pelican's ``ARTICLE_SAVE_AS`` values: ``{slug}``,
    ``{date}`` (a date) and the page's other header keys fill them.
    """
    slug = (record.get("slug") or "").strip().strip("/")
    if not slug or not config.redirects:
        return [], []
    if not is_safe(slug):
        return [], [f"slug {slug!r} is not a safe URL path; no redirect written"]
    if _too_long(slug + ".html"):
        return [], [
            f"slug {slug[:40]!r}… is longer than file systems allow ({NAME_MAX} bytes a name); "
            "no redirect written"
        ]
    patterns = config.redirect_paths
    if isinstance(patterns, str):  # one path given as a string (Sphinx warns of the type)
        patterns = [patterns]
    values: dict[str, object] = {**record.metadata, "slug": slug}
    published = record.date("date")
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
        if rel[-1:] in ("", "/"):  # (a slice, not ``endswith``: no call)
            rel += "index.html"
        if not is_safe(rel):
            problems.append(f"redirect path {rel!r} is not a safe URL path")
        elif _too_long(rel):
            problems.append(f"redirect path {rel[:40]!r}… has a name longer than {NAME_MAX} bytes")
        else:
            paths.append(rel)
    if not problems:
        return paths, problems  # (no list made: a comprehension is a call)
    return paths, [f"{problem}; no redirect written there" for problem in problems]
