"""Citation wells: the boxed source citation and credits at the top of an excerpt page.

A well comes from ``<div class="well">…</div>`` in a Markdown page (converted by
:mod:`sphinx_excerpt.html`), from the ``well`` directive, or from the
``excerpt-source`` directive, which writes the citation sentence from its fields and
keeps them as page metadata. All three give the same :class:`well` node: a box in
HTML (class ``well`` kept, ``role="note"``), a framed box in the PDF, an indented block
in text, manual pages and Texinfo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.domain import Page, handed_on, reading
from sphinx_excerpt.nodes import WELL_CLASS, well
from sphinx_excerpt.pages import excerpt_pages, run_on_this_page, title_section
from sphinx_excerpt.scope import note_excerpt_nodes
from sphinx_excerpt.urls import refused_url
from sphinx_excerpt.visitors import rendered_as
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

#: The fields of ``excerpt-source``, in the order the citation sentence uses them.
SOURCE_FIELDS = ("author", "title", "publisher", "year", "pages", "url", "credit")
#: The prefix of those fields in the page's metadata (``Page.metadata``).
METADATA_PREFIX = "source_"


def new_well(classes: list[str] | None = None) -> well:
    """An empty well with the ``well`` class and any others given."""
    return well("", classes=[WELL_CLASS, *(c for c in classes or [] if c != WELL_CLASS)])


class WellDirective(SphinxDirective):
    """```{well}``` — a well holding the directive's content."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    @guard.directive
    def run(self) -> list[nodes.Node]:
        note_excerpt_nodes(self.env)
        node = new_well(self.options.get("class"))
        self.set_source_info(node)
        self.add_name(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class SourceDirective(SphinxDirective):
    """```{excerpt-source}``` — the citation of the book an excerpt comes from.

    Writes "Excerpt from Author, *Title* (Publisher, Year): pages." (the title linked to
    ``url``), the ``credit`` line in small print under it, then the directive's content.
    """

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        **dict.fromkeys(SOURCE_FIELDS, directives.unchanged),
        "class": directives.class_option,
        "name": directives.unchanged,
    }

    @guard.directive
    def run(self) -> list[nodes.Node]:
        note_excerpt_nodes(self.env)
        fields = {key: self.options[key].strip() for key in SOURCE_FIELDS if key in self.options}
        node = new_well(["excerpt-source", *self.options.get("class", [])])
        self.set_source_info(node)
        self.add_name(node)
        if fields.get("url") and (why := refused_url(fields["url"])):
            warn(
                Subtype.METADATA,
                f"excerpt-source's url is {why}, which a page never links to: dropped",
                location=(self.env.docname, self._option_line("url")),
            )
            del fields["url"]
        if not fields.get("title") and not fields.get("author"):
            warn(
                Subtype.METADATA,
                "excerpt-source needs at least a 'title' or an 'author'",
                location=(self.env.docname, self.lineno),
            )
        else:
            node += citation_sentence(fields)
        if fields.get("credit"):
            credit, messages = self.parse_inline(fields["credit"], lineno=self.lineno)
            node += nodes.paragraph(
                "", "", nodes.inline("", "", *credit, classes=["small"]), classes=["credit"]
            )
            node.extend(messages)
        self.state.nested_parse(self.content, self.content_offset, node)
        # handed on to SourceMetadata, with the page being read, for which it runs
        pending = reading(self.env).source_fields
        if not pending:
            run_on_this_page(self.state.document, SourceMetadata)
        guard.keep_items(pending)
        pending.append((fields, self.lineno))
        return [node]

    def _option_line(self, name: str) -> int:
        """The source line of the directive's option ``name`` (else the directive's)."""
        for offset, line in enumerate(self.block_text.splitlines()):
            if line.lstrip().startswith(f":{name}:"):
                return self.lineno + offset
        return self.lineno


def citation_sentence(fields: dict[str, str]) -> nodes.paragraph:
    """The sentence "Excerpt from Author, *Title* (Publisher, Year): pages." from the fields."""
    sentence = nodes.paragraph("", "", classes=["citation-sentence"])
    sentence += nodes.Text("Excerpt from ")
    if fields.get("author"):
        sentence += nodes.Text(fields["author"] + (", " if fields.get("title") else ""))
    if fields.get("title"):
        title: nodes.Node = nodes.emphasis(fields["title"], fields["title"])
        if fields.get("url"):
            title = nodes.reference("", "", title, refuri=fields["url"])
        sentence += title
    published = ", ".join(fields[key] for key in ("publisher", "year") if fields.get(key))
    if published:
        sentence += nodes.Text(f" ({published})")
    if fields.get("pages"):
        sentence += nodes.Text(f": {fields['pages']}")
    sentence += nodes.Text("" if sentence.astext().endswith(".") else ".")
    return sentence


class SourceMetadata(SphinxTransform):
    """Keep the fields of a page's ``excerpt-source`` as ``source_*`` page metadata (run
    on the pages that have one: :class:`SourceDirective` gives it to its page)."""

    default_priority = priorities.SOURCE_METADATA

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        page = handed_on(self.env)
        pending = page.source_fields if page is not None else []
        if not pending:
            return
        (fields, _), *others = pending
        for _, line in others:
            warn(
                Subtype.METADATA,
                "a second excerpt-source on the page: the page metadata keeps the first",
                location=(self.env.docname, line),
            )
        records = excerpt_pages(self.env)
        guard.keep_entry(records, self.env.docname)
        record = records.get(self.env.docname)
        if record is None:
            section = title_section(self.document)
            title = section[0].astext() if section is not None else self.env.docname
            record = records[self.env.docname] = Page(title=title)
        for key, value in fields.items():
            guard.keep_entry(record.metadata, METADATA_PREFIX + key)
            record.metadata.setdefault(METADATA_PREFIX + key, value)


# ---------------------------------------------------------------- builders


@guard.appends_only
def visit_well_html(self: HTML5Translator, node: well) -> None:
    self.body.append(self.starttag(node, "div", role="note"))


@guard.appends_only
def depart_well_html(self: HTML5Translator, node: well) -> None:
    self.body.append("</div>\n")


@guard.appends_only
def visit_well_latex(self: LaTeXTranslator, node: well) -> None:
    self.body.append("\n\\begin{sphinxexcerptwell}\n")


@guard.appends_only
def depart_well_latex(self: LaTeXTranslator, node: well) -> None:
    self.body.append("\n\\end{sphinxexcerptwell}\n")


def setup_wells(app: Sphinx) -> None:
    # text, manual pages and Texinfo: an indented block, like a quotation
    indented = rendered_as("block_quote")
    guard.add_node(
        app,
        well,
        html=(visit_well_html, depart_well_html),
        latex=(visit_well_latex, depart_well_latex),
        text=indented,
        man=indented,
        texinfo=indented,
    )
    app.add_directive("well", WellDirective)
    app.add_directive("excerpt-source", SourceDirective)
