"""The HTML page of an excerpt: its layout template, description, dates and contents list."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from jinja2 import TemplateNotFound
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import format_date

from sphinx_excerpt.config import ExcerptConfig
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.i18n import translated
from sphinx_excerpt.metadata import DESCRIPTION_KEYS, parse_date
from sphinx_excerpt.pages import excerpt_pages, title_section
from sphinx_excerpt.visitors import SKIPPED

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

PACKAGE = Path(__file__).parent
BUILTIN_LAYOUT = "excerpt"
CONTENTS_DEPTH = 4  # h2 to h5


class excerpt_contents(nodes.General, nodes.Element):
    """An in-page list of the page's sections; shown by HTML builders only."""


class PageContents(SphinxTransform):
    """Give pages with the ``excerpt`` layout a contents list before their first section."""

    default_priority = 346  # after PageMetadata

    def apply(self, **kwargs: Any) -> None:
        record = excerpt_pages(self.env).get(self.env.docname)
        if record is None or (record.get("template") or "").lower() != BUILTIN_LAYOUT:
            return
        top = title_section(self.document)
        if top is None:
            return
        entries = _section_list(top, CONTENTS_DEPTH)
        if entries is None:
            return
        config = ExcerptConfig.read(self.config)
        title = nodes.paragraph(
            "", translated(config.contents_title), classes=["excerpt-contents-title"]
        )
        contents = excerpt_contents("", title, entries)
        first = next((i for i, child in enumerate(top) if isinstance(child, nodes.section)), None)
        top.insert(len(top) if first is None else first, contents)


def _section_list(section: nodes.section, depth: int) -> nodes.bullet_list | None:
    items = nodes.bullet_list()
    for child in section.children:
        if not isinstance(child, nodes.section) or not child["ids"]:
            continue
        ref = nodes.reference("", "", internal=True, refid=child["ids"][0])
        ref += nodes.Text(child[0].astext())
        item = nodes.list_item("", nodes.paragraph("", "", ref))
        nested = _section_list(child, depth - 1) if depth > 1 else None
        if nested is not None:
            item += nested
        items += item
    return items if len(items) else None


def visit_contents_html(self: HTML5Translator, node: excerpt_contents) -> None:
    label = escape(node[0].astext(), quote=True)
    self.body.append(f'<nav class="excerpt-contents" aria-label="{label}">\n')


def depart_contents_html(self: HTML5Translator, node: excerpt_contents) -> None:
    self.body.append("</nav>\n")


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> str | None:
    """Description, last-updated date and layout of an excerpt page."""
    record = excerpt_pages(app.env).get(pagename)
    if record is None or doctree is None:
        return None
    description = record.get(*DESCRIPTION_KEYS)
    if description:
        content = escape(description, quote=True)
        context["metatags"] = (
            context.get("metatags", "")
            + f'\n<meta name="description" content="{content}" />'
            + f'\n<meta property="og:description" content="{content}" />'
        )
    modified = parse_date(record.get("modified", "date") or "")
    if modified is not None:
        fmt = app.config.html_last_updated_fmt or ExcerptConfig.read(app.config).date_format
        context["last_updated"] = format_date(fmt, date=modified, language=app.config.language)
    template = record.get("template")
    if not template:
        return None
    name = template if template.endswith(".html") else f"{template}.html"
    try:
        app.builder.templates.environment.get_template(name)  # type: ignore[attr-defined]
    except TemplateNotFound:
        # the built-in layout is the theme's own page with the excerpt's nodes in its body
        if name != f"{BUILTIN_LAYOUT}.html":
            warn(
                "metadata",
                f"no template {name!r} in templates_path; the page uses {templatename!r}",
                location=(pagename, None),
            )
        return None
    return name


def add_theme_files(app: Sphinx, config: Any) -> None:
    """Our CSS, after the project's own static files (which win on a clash)."""
    config.html_static_path.append(str(PACKAGE / "static" / "sphinx-excerpt.css"))


def setup_layout(app: Sphinx) -> None:
    app.add_node(
        excerpt_contents,
        html=(visit_contents_html, depart_contents_html),
        **dict.fromkeys(("latex", "text", "man", "texinfo"), SKIPPED),
    )
    app.add_transform(PageContents)
    app.connect("config-inited", add_theme_files)
    app.connect("html-page-context", on_html_page_context)
    app.add_css_file("sphinx-excerpt.css")
