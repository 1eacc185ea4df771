"""Pandoc's Markdown extensions: which are on for a project, from Pelican's setting.

Pelican's pandoc_reader runs ``pandoc -f markdown<PANDOC_EXTENSIONS>``; a site's
``PANDOC_EXTENSIONS`` (``"-markdown_in_html_blocks+raw_html+smart"``, or a list of such
pieces) goes unchanged into the ``excerpt_pandoc_extensions`` option. The dialect's
plugins ask :func:`extension_enabled` whether the construct they read is on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx_excerpt.dialect.guard import core_rule, fuse_rules, is_fast

if TYPE_CHECKING:
    from collections.abc import Iterable

    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

#: The extensions of ``pandoc -f markdown`` (2.17) that the dialect's plugins read, and
#: whether Pandoc has them on by default.
DEFAULTS: dict[str, bool] = {
    "citations": True,
    "fenced_divs": True,
    "grid_tables": True,
    "line_blocks": True,
    "markdown_in_html_blocks": True,
    "multiline_tables": True,
    "native_divs": True,
    "pipe_tables": True,
    "raw_html": True,
    "simple_tables": True,
    "table_captions": True,
}
_PIECE = re.compile(r"([+-])([a-z0-9_]+)")
_OPTION = "excerpt_pandoc_extensions"
_CACHE = "excerpt_pandoc_extensions_on"  # md.options key: the set, once per parser
_OFF = "excerpt_pandoc_rules_off"  # md.options key: the rules switched off (once)


def parse_extensions(spec: str | Iterable[str]) -> dict[str, bool]:
    """``"-markdown_in_html_blocks+smart"`` (or ``["-a", "+b"]``) as ``{name: on}``.

    A leading format name (``markdown-smart``) is ignored; the last mention of an
    extension wins, as with Pandoc.
    """
    text = spec if isinstance(spec, str) else "".join(str(piece).strip() for piece in spec)
    return {name: sign == "+" for sign, name in _PIECE.findall(text)}


def enabled_extensions(spec: str | Iterable[str]) -> frozenset[str]:
    """The extensions on: Pandoc's defaults for ``markdown`` changed by ``spec``."""
    on = {name for name, default in DEFAULTS.items() if default}
    for name, value in parse_extensions(spec).items():
        (on.add if value else on.discard)(name)
    return frozenset(on)


def extension_enabled(md: MarkdownIt, name: str) -> bool:
    """Whether extension ``name`` is on for the page ``md`` parses (from the project's
    ``excerpt_pandoc_extensions``; Pandoc's defaults where there is no project)."""
    options = md.options  # (markdown-it's mapping: ``get`` is two calls, ``[]`` one)
    try:
        on = options[_CACHE]
    except KeyError:
        document = options.get("document")
        env = getattr(getattr(document, "settings", None), "env", None)
        spec = getattr(env.config, _OPTION, "") if env is not None else ""
        on = options[_CACHE] = enabled_extensions(spec)
    return name in on


#: The markdown-it rules that read each extension (markdown-it's own ``table`` reads
#: pipe tables, its ``html_*`` rules raw HTML).
RULES: dict[str, tuple[str, ...]] = {
    "citations": ("pandoc_citation", "pandoc_in_text_citation"),
    "fenced_divs": ("pandoc_fenced_div",),
    "line_blocks": ("pandoc_line_block",),
    "pipe_tables": ("table",),
    "raw_html": ("html_block", "html_inline", "pandoc_html_block"),
    # the table kinds, markdown_in_html_blocks and native_divs: read by their rules
    "table_captions": ("pandoc_table_captions", "pandoc_caption_line"),
}


def switch_extensions(state: StateCore) -> None:
    """Turn off the rules of the extensions the project has off (once per parser: it is
    kept for the build's pages, which all have the project's extensions)."""
    md = state.md
    if _OFF in md.options:
        return  # switched already (and the chains of a fast parser fused again)
    off = md.options[_OFF] = [
        rule for name, rules in RULES.items() if not extension_enabled(md, name) for rule in rules
    ]
    if not off:
        return
    for ruler in (md.block.ruler, md.core.ruler, md.inline.ruler):
        ruler.disable(off, ignoreInvalid=True)
    if is_fast(md):
        fuse_rules(md)


def extensions_plugin(md: MarkdownIt) -> None:
    """Follow the project's ``excerpt_pandoc_extensions``."""
    md.core.ruler.before(
        "block", "pandoc_extensions", core_rule("pandoc_extensions", switch_extensions)
    )
