"""The HTML page of an excerpt: its layout template, description, dates and contents list."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from jinja2 import TemplateNotFound, TemplateSyntaxError
from jinja2 import meta as jinja2_meta
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.dates import formatted_date
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.i18n import translated
from sphinx_excerpt.kinds import NodeKinds
from sphinx_excerpt.metadata import DESCRIPTION_KEYS
from sphinx_excerpt.nodes import excerpt_contents
from sphinx_excerpt.pages import excerpt_pages, per_build, title_section
from sphinx_excerpt.scope import project_shows_excerpt_nodes, shows_excerpt_nodes
from sphinx_excerpt.social import social_cards_on
from sphinx_excerpt.visitors import SKIPPED
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

PACKAGE = Path(__file__).parent
BUILTIN_LAYOUT = "excerpt"
CONTENTS_DEPTH = 4  # h2 to h5
#: Pelican's names for the theme's ordinary page layout: without a template of that name
#: in ``templates_path``, the page keeps the theme's page, without a warning.
THEME_PAGE_LAYOUTS = frozenset(("page-no-title",))
#: Templates Sphinx renders itself, whatever the theme.
SPHINX_TEMPLATES = frozenset(
    """layout.html page.html search.html genindex.html genindex-single.html genindex-split.html
    domainindex.html defindex.html localtoc.html globaltoc.html relations.html
    sourcelink.html searchbox.html searchfield.html opensearch.xml""".split()
)
STYLESHEET = "sphinx-excerpt.css"


class PageContents(SphinxTransform):
    """Mark where pages with the ``excerpt`` layout show their contents list."""

    default_priority = priorities.PAGE_CONTENTS

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        env = self.env  # (a property: a call each time)
        record = excerpt_pages(env).get(env.docname)
        if record is None or (record.get("template") or "").lower() != BUILTIN_LAYOUT:
            return
        top = title_section(self.document)
        if top is None or any(self.document.findall(excerpt_contents)):
            return  # the page says where its contents list goes ([TOC])
        at = _first_listed(top)
        if at is not None:
            guard.keep(top)
            top.insert(at, excerpt_contents())


class ContentsDirective(SphinxDirective):
    """``{excerpt-contents}``: the page's contents list goes here (``[TOC]`` in the dialect)."""

    @guard.directive
    def run(self) -> list[nodes.Node]:
        node = excerpt_contents()
        self.set_source_info(node)
        return [node]


#: Sections, which the contents list shows (those with an id), and where a page inlined
#: into a bigger one (singlehtml) starts: a node's kind found by its class, with no call
#: per node.
_KINDS = NodeKinds(nodes.section, addnodes.start_of_file)
_SECTION, _START_OF_FILE = 0, 1


def _first_listed(node: nodes.Element) -> int | None:
    """Where the first of ``node``'s children that the contents list shows is, if any."""
    children: list[Any] = node.children  # (typed: no cast call)
    for at, child in enumerate(children):
        if _KINDS[type(child)] == _SECTION and child.attributes["ids"]:
            return at
    return None


def _section_list_html(section: nodes.Element, depth: int, top: bool = True) -> str:
    """The markup docutils writes for a compact bullet list of links to the sections that
    the contents list shows (a section with an id) among ``section``'s children."""
    items = ""
    children: list[Any] = section.children  # (typed: no cast call)
    for child in children:
        if _KINDS[type(child)] != _SECTION or not child.attributes["ids"]:
            continue
        href = escape("#" + child.attributes["ids"][0], quote=True)
        title = escape(child.children[0].astext())
        link = f'<a class="reference internal" href="{href}">{title}</a>'
        nested = ""
        if depth > 1:  # (a call only for a section with sections to list)
            for inner in child.children:
                if _KINDS[type(inner)] == _SECTION and inner.attributes["ids"]:
                    nested = _section_list_html(child, depth - 1, top=False)
                    break
        items += f"<li><p>{link}</p>\n{nested}</li>\n" if nested else f"<li><p>{link}</p></li>\n"
    if not items:
        return ""
    opening = '<ul class="simple">' if top else "<ul>"
    return f"{opening}\n{items}</ul>\n"


def _outermost_section(node: nodes.Element) -> nodes.Element:
    """The section of the page's title around ``node`` (its parent outside any section)."""
    outermost: nodes.Element = node.parent
    ancestor = node.parent
    # a page inlined into a bigger one (singlehtml) starts at its start_of_file
    while ancestor is not None:
        kind = _KINDS[type(ancestor)]
        if kind == _START_OF_FILE:
            break
        if kind == _SECTION:
            outermost = ancestor
        ancestor = ancestor.parent
    return outermost


@guard.appends_only
def visit_contents_html(self: HTML5Translator, node: excerpt_contents) -> None:
    title = escape(translated(excerpt_config(self.config).contents_title))
    self.body.append(
        f'<nav class="excerpt-contents" aria-label="{title}">\n'
        f'<p class="excerpt-contents-title">{title}</p>\n'
        f"{_section_list_html(_outermost_section(node), CONTENTS_DEPTH)}</nav>\n"
    )
    raise nodes.SkipNode


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> str | None:
    """Our stylesheet, linked from the pages that may show the extension's nodes (and no
    other); the description, last-updated date and layout of an excerpt page."""
    if doctree is None:
        return None
    env = app.env
    if isinstance(app.builder, SingleFileHTMLBuilder):  # one page holds every page
        needed = project_shows_excerpt_nodes(env)
    else:
        needed = shows_excerpt_nodes(env, pagename)
    if needed:
        app.add_css_file(STYLESHEET)
    pages = excerpt_pages(env)
    if pagename not in pages:  # (membership: no call)
        return None
    record = pages[pagename]
    options = excerpt_config(app.config)
    description = record.get(*DESCRIPTION_KEYS) or options.description
    if description:
        content = escape(description, quote=True)
        tags = f'\n<meta name="description" content="{content}" />'
        if not social_cards_on(app):  # else sphinxext-opengraph writes the og: tags
            tags += f'\n<meta property="og:description" content="{content}" />'
        context["metatags"] = (context["metatags"] if "metatags" in context else "") + tags  # noqa: SIM401
    modified = record.date("modified", "date")
    if modified is not None:
        fmt = app.config.html_last_updated_fmt or options.date_format
        context["last_updated"] = formatted_date(fmt, modified, app.config.language)
    template = record.get("template")
    if not template:
        return None
    name = template if template[-5:] == ".html" else f"{template}.html"  # (no call)
    problem = template_problem(app.builder, name)
    if problem is None:
        return name
    # the built-in layout is the theme's own page with the excerpt's nodes in its body;
    # Pelican's page-no-title, unless the project has one, is the theme's page
    builtin = name == f"{BUILTIN_LAYOUT}.html" or (
        template.lower() in THEME_PAGE_LAYOUTS and not has_template(app.builder, name)
    )
    if not builtin:
        warn(
            Subtype.METADATA,
            f"{problem}; the page uses {templatename!r}",
            location=(pagename, record.lines.get("template")),
        )
    return None


def template_problem(builder: Builder, name: str) -> str | None:
    """Why the page cannot use the template ``name``; ``None`` when it can (each answer
    kept for the build: most pages of a site share one layout).

    A page's layout is a template of the project's own (``templates_path``) that shows the
    page's body. The theme's templates are not layouts: ``layout.html`` and its blocks,
    search, index and sidebar templates would show a page without its body.
    """
    known: dict[str, str | None] = per_build(builder).setdefault("template problems", {})
    if name not in known:
        known[name] = _template_problem(builder, name)
    return known[name]


def _template_problem(builder: Builder, name: str) -> str | None:
    if name in theme_templates(builder):
        return f"the template {name!r} is the theme's, not a page layout"
    if not has_template(builder, name):
        return f"no template {name!r} in templates_path"
    if not shows_body(builder, name):
        return f"the template {name!r} does not show the page's body ({{{{ body }}}})"
    return None


def theme_templates(builder: Builder) -> frozenset[str]:
    """The names of the templates Sphinx and the HTML theme have (found once a build)."""
    known = per_build(builder)
    if "theme templates" not in known:
        names = set(SPHINX_TEMPLATES)
        theme = getattr(builder, "theme", None)
        for folder in theme.get_theme_dirs() if theme is not None else ():
            root = Path(folder)
            names.update(
                path.relative_to(root).as_posix()
                for path in root.rglob("*")
                if path.suffix in (".html", ".xml", ".txt") and "static" not in path.parts
            )
        known["theme templates"] = frozenset(names)
    templates: frozenset[str] = known["theme templates"]
    return templates


def shows_body(builder: Builder, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether the template writes ``{{ body }}``, itself or through one it extends."""
    env = builder.templates.environment
    try:
        tree = env.parse(env.loader.get_source(env, name)[0])
    except (TemplateNotFound, TemplateSyntaxError):
        return False
    if "body" in jinja2_meta.find_undeclared_variables(tree):
        return True
    return any(
        shows_body(builder, ref.lstrip("!"), seen | {name})
        for ref in jinja2_meta.find_referenced_templates(tree)
        if ref is not None and ref.lstrip("!") not in seen | {name}
    )


def has_template(builder: Builder, name: str) -> bool:
    """Whether the builder's templates have ``name``: jinja looks a missing template up
    on disk again each time, so each answer is kept for the build."""
    known: dict[str, bool] = per_build(builder).setdefault("templates", {})
    if name not in known:
        try:
            builder.templates.environment.get_template(name)
            known[name] = True
        except TemplateNotFound:
            known[name] = False
    return known[name]


def add_theme_files(app: Sphinx, config: Any) -> None:
    """Our CSS, after the project's own static files (which win on a clash)."""
    config.html_static_path.append(str(PACKAGE / "static" / STYLESHEET))


def setup_layout(app: Sphinx) -> None:
    guard.add_node(
        app,
        excerpt_contents,
        html=(visit_contents_html, None),
        **dict.fromkeys(("latex", "text", "man", "texinfo"), SKIPPED),
    )
    app.add_transform(PageContents)
    app.add_directive("excerpt-contents", ContentsDirective)
    guard.connect(app, "config-inited", add_theme_files)
    guard.connect(app, "html-page-context", on_html_page_context)
