"""The headers of a project's Markdown sources, read once, before any page is.

Some header values must be known before Sphinx looks for its pages: which pages are
drafts (:mod:`sphinx_excerpt.status`), which bibliographies a page names
(:mod:`sphinx_excerpt.citations`). At ``config-inited`` each Markdown source is found as
Sphinx finds its sources and opened once; only its first lines, up to the first blank
one (the header), are read, and kept for the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from sphinx.project import EXCLUDE_PATHS
from sphinx.util.matching import get_matching_files

from sphinx_excerpt.metadata import is_blank
from sphinx_excerpt.myst import is_markdown_source

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class SourceHead:
    """A Markdown source (its path in the source folder, and its suffix) and its header's
    lines as written (empty for a page with no header)."""

    source: str
    suffix: str
    text: str


_HEADS: WeakKeyDictionary[Config, list[SourceHead]] = WeakKeyDictionary()


def source_heads(app: Sphinx, config: Config) -> list[SourceHead]:
    """The project's Markdown sources with their headers, read at the first call of a
    build (the ``exclude_patterns`` of that moment apply)."""
    heads = _HEADS.get(config)
    if heads is not None:
        return heads
    heads = []
    suffixes = tuple(s for s in config.source_suffix if is_markdown_source(config, s))
    excluded = [*config.exclude_patterns, *EXCLUDE_PATHS]
    # Sphinx's own matching of sources (without its warnings, which it gives itself)
    for source in sorted(get_matching_files(app.srcdir, config.include_patterns, excluded)):
        for suffix in suffixes:  # (a loop, not a generator: no call per suffix)
            if source.endswith(suffix):
                break
        else:
            continue
        text = read_head(app.srcdir / source, config.source_encoding)
        if text is not None:
            heads.append(SourceHead(source, suffix, text))
    _HEADS[config] = heads
    return heads


def read_head(path: Path, encoding: str) -> str | None:
    """The first lines of a file, up to its first blank line; ``None`` if it cannot be
    read (Sphinx reports an unreadable source when it reads it)."""
    try:
        with path.open(encoding=encoding, errors="replace") as source:
            # Python's universal newlines end a line exactly where markdown-it does
            head = [next(source, "")]
            for line in source:  # (universal newlines leave "\n" as the only line end)
                if is_blank(line):
                    break
                head.append(line)
    except OSError:
        return None
    return "".join(head)
