"""Reference tables generated from the code, so the docs cannot drift from it.

``{excerpt-options}`` lists every field of :class:`sphinx_excerpt.config.ExcerptConfig`
with the values it takes (what its check accepts), its default and help;
``{excerpt-warnings}`` lists the members of :class:`sphinx_excerpt.warnings.Subtype`: when
each warning is given and what to do.
"""

from __future__ import annotations

from dataclasses import fields

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_excerpt.config import ExcerptConfig, default_value
from sphinx_excerpt.warnings import Subtype


def table(header: list[str], rows: list[list[nodes.Node]]) -> nodes.table:
    tgroup = nodes.tgroup(cols=len(header))
    for _ in header:
        tgroup += nodes.colspec(colwidth=1)
    head = nodes.thead(
        "", nodes.row("", *[nodes.entry("", nodes.paragraph("", h)) for h in header])
    )
    body = nodes.tbody()
    for cells in rows:
        body += nodes.row("", *[nodes.entry("", nodes.paragraph("", "", c)) for c in cells])
    tgroup += [head, body]
    return nodes.table("", tgroup)


class ExcerptOptions(SphinxDirective):
    """The ``excerpt_*`` options: name, the values it takes (as checked), default, meaning."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for f in fields(ExcerptConfig):
            default = default_value(f)
            rows.append(
                [
                    nodes.literal("", f"excerpt_{f.name}"),
                    nodes.Text(f.metadata["rule"].expect),
                    nodes.literal("", repr(default)),
                    nodes.Text(f.metadata.get("help", "").replace("``", "")),
                ]
            )
        return [table(["option", "takes", "default", "what it does"], rows)]


def inline(text: str) -> list[nodes.Node]:
    """``text`` with its double-backquoted parts as code."""
    return [
        nodes.literal("", part) if i % 2 else nodes.Text(part)
        for i, part in enumerate(text.split("``"))
        if part
    ]


def warnings_list() -> nodes.definition_list:
    """Each warning subtype: its ``excerpt.<subtype>`` code, when it is given, what to do."""
    entries = nodes.definition_list()
    for subtype in Subtype:
        term = nodes.term("", "", nodes.literal("", subtype.code))
        term["ids"].append(f"warning-{subtype.code.replace('.', '-')}")
        about = nodes.paragraph("", "", nodes.strong("", "Given for: "), *inline(subtype.about))
        remedy = nodes.paragraph("", "", nodes.strong("", "What to do: "), *inline(subtype.remedy))
        entries += nodes.definition_list_item("", term, nodes.definition("", about, remedy))
    return entries


class ExcerptWarnings(SphinxDirective):
    """The warning subtypes, for ``suppress_warnings``."""

    def run(self) -> list[nodes.Node]:
        return [warnings_list()]


def setup(app):
    app.add_directive("excerpt-options", ExcerptOptions)
    app.add_directive("excerpt-warnings", ExcerptWarnings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
