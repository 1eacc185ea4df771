"""The HTML page of an excerpt: its layout template, description, dates and contents list."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from jinja2 import TemplateNotFound
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard
from sphinx_excerpt.config import ExcerptConfig
from sphinx_excerpt.dates import formatted_date, parse_date
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.i18n import translated
from sphinx_excerpt.metadata import DESCRIPTION_KEYS
from sphinx_excerpt.pages import excerpt_pages, per_build, title_section
from sphinx_excerpt.visitors import SKIPPED

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

PACKAGE = Path(__file__).parent
BUILTIN_LAYOUT = "excerpt"
CONTENTS_DEPTH = 4  # h2 to h5


class excerpt_contents(nodes.General, nodes.Element):
    """Where the in-page list of the page's sections goes; shown by HTML builders only.

    The node is an empty marker: the HTML writer lists the sections of the section that
    holds it, so the doctrees Sphinx keeps in memory and pickles carry no copy of the
    headings.
    """


class PageContents(SphinxTransform):
    """Mark where pages with the ``excerpt`` layout show their contents list."""

    default_priority = 346  # after PageMetadata

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        record = excerpt_pages(self.env).get(self.env.docname)
        if record is None or (record.get("template") or "").lower() != BUILTIN_LAYOUT:
            return
        top = title_section(self.document)
        if top is None:
            return
        first = next((i for i, child in enumerate(top) if _listed(child)), None)
        if first is not None:
            guard.keep(top)
            top.insert(first, excerpt_contents())


def _listed(node: nodes.Node) -> bool:
    return isinstance(node, nodes.section) and bool(node["ids"])


def _section_list_html(section: nodes.Element, depth: int, top: bool = True) -> str:
    """The markup docutils writes for a compact bullet list of links to the sections."""
    items = []
    for child in section.children:
        if not _listed(child):
            continue
        href = escape("#" + child["ids"][0], quote=True)
        link = f'<a class="reference internal" href="{href}">{escape(child[0].astext())}</a>'
        nested = _section_list_html(child, depth - 1, top=False) if depth > 1 else ""
        item = f"<li><p>{link}</p>\n{nested}</li>" if nested else f"<li><p>{link}</p></li>"
        items.append(item + "\n")
    if not items:
        return ""
    opening = '<ul class="simple">' if top else "<ul>"
    return f"{opening}\n{''.join(items)}</ul>\n"


def visit_contents_html(self: HTML5Translator, node: excerpt_contents) -> None:
    title = escape(translated(ExcerptConfig.read(self.config).contents_title))
    self.body.append(
        f'<nav class="excerpt-contents" aria-label="{title}">\n'
        f'<p class="excerpt-contents-title">{title}</p>\n'
        f"{_section_list_html(node.parent, CONTENTS_DEPTH)}</nav>\n"
    )
    raise nodes.SkipNode


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
        context["last_updated"] = formatted_date(fmt, modified, app.config.language)
    template = record.get("template")
    if not template:
        return None
    name = template if template.endswith(".html") else f"{template}.html"
    if has_template(app.builder, name):
        return name
    # the built-in layout is the theme's own page with the excerpt's nodes in its body
    if name != f"{BUILTIN_LAYOUT}.html":
        warn(
            "metadata",
            f"no template {name!r} in templates_path; the page uses {templatename!r}",
            location=(pagename, None),
        )
    return None


def has_template(builder: Builder, name: str) -> bool:
    """Whether the builder's templates have ``name``: jinja looks a missing template up
    on disk again each time, so each answer is kept for the build."""
    known: dict[str, bool] = per_build(builder).setdefault("templates", {})
    if name not in known:
        try:
            builder.templates.environment.get_template(name)  # type: ignore[attr-defined]
            known[name] = True
        except TemplateNotFound:
            known[name] = False
    return known[name]


def add_theme_files(app: Sphinx, config: Any) -> None:
    """Our CSS, after the project's own static files (which win on a clash)."""
    config.html_static_path.append(str(PACKAGE / "static" / "sphinx-excerpt.css"))


def setup_layout(app: Sphinx) -> None:
    guard.add_node(
        app,
        excerpt_contents,
        html=(visit_contents_html, None),
        **dict.fromkeys(("latex", "text", "man", "texinfo"), SKIPPED),
    )
    app.add_transform(PageContents)
    guard.connect(app, "config-inited", add_theme_files)
    guard.connect(app, "html-page-context", on_html_page_context)
    app.add_css_file("sphinx-excerpt.css")
