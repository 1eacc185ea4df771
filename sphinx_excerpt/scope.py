"""Which pages the extension changes: excerpt pages, and no other.

A Markdown page is an *excerpt page* when ``excerpt_pages`` says so:

* ``"auto"`` (the default): the page has a metadata header (Pelican ``Key: value``
  lines) or excerpt front matter (a YAML ``title``, no ``#`` heading, and MyST's
  ``title_to_header`` off);
* ``"all"``: every Markdown page;
* a list of glob patterns (as ``exclude_patterns``): the pages whose docname or source
  path matches one of them, header or not.

Only excerpt pages are parsed with the dialect's syntax and rewritten by the
extension's transforms and post-transforms; every other page, and every reST page,
gets the doctree plain MyST (or docutils) gives it. The decision is taken once, when
the page is read (``source-read``), recorded per docname in the ``excerpt`` domain
(:class:`~sphinx_excerpt.domain.Scope`, merged back from parallel readers), and asked
by every stage through :func:`is_excerpt_page`.

A page that is not an excerpt page may still use the extension's directives (``well``,
``excerpt-source``, ``excerpt-figure``): the nodes they make need the stylesheet and
the LaTeX package, so :func:`note_excerpt_nodes` records such a page too
(:func:`shows_excerpt_nodes`), without making it an excerpt page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.matching import patmatch

from sphinx_excerpt import guard
from sphinx_excerpt.domain import DOMAIN, SCOPE, Scope

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: ``excerpt_pages`` values: detect excerpt pages by their header; every Markdown page.
AUTO, ALL = "auto", "all"


def page_scope(env: BuildEnvironment) -> Scope:
    """The project's scope record, kept in (and pickled with) the ``excerpt`` domain."""
    # the domain's data (``env.domains[...]`` first tries, and fails, an attribute look-up)
    scope: Scope = env.domaindata[DOMAIN][SCOPE]
    return scope


def decide(env: BuildEnvironment, docname: str, has_header: bool) -> bool:
    """Whether the Markdown page being read is an excerpt page; recorded for every later
    stage. ``has_header``: the page starts with a metadata header or excerpt front matter."""
    chosen: str | list[str] = env.config.excerpt_pages
    if chosen == AUTO:
        excerpt = has_header
    elif chosen == ALL:
        excerpt = True
    else:
        excerpt = matches(env, docname, [chosen] if isinstance(chosen, str) else chosen)
    if excerpt:
        page_scope(env).excerpt.add(docname)
    return excerpt


def matches(env: BuildEnvironment, docname: str, patterns: list[str]) -> bool:
    """Whether a pattern matches the docname (``excerpts/*``) or the source path
    relative to the source folder (``excerpts/*.md``)."""
    source = env.doc2path(docname, base=False).as_posix()
    return any(patmatch(docname, p) or patmatch(source, p) for p in patterns)


def is_excerpt_page(env: BuildEnvironment, docname: str | None = None) -> bool:
    """Whether ``docname`` (default: the page being read or resolved) is an excerpt page."""
    return (docname or env.docname) in page_scope(env).excerpt


def note_excerpt_nodes(env: BuildEnvironment) -> None:
    """Record that the page being read holds nodes of the extension's directives."""
    _note(page_scope(env).with_nodes, env.docname)


def note_site_links(env: BuildEnvironment) -> None:
    """Record that the excerpt page being read links to a site address."""
    _note(page_scope(env).site_links, env.docname)


def _note(docnames: set[str], docname: str) -> None:
    guard.keep_member(docnames, docname)  # (taken back if the step that notes it fails)
    docnames.add(docname)


def shows_excerpt_nodes(env: BuildEnvironment, docname: str) -> bool:
    """Whether ``docname`` may hold the extension's nodes (so needs its stylesheet)."""
    scope = page_scope(env)
    return docname in scope.excerpt or docname in scope.with_nodes


def project_shows_excerpt_nodes(env: BuildEnvironment) -> bool:
    """Whether any page of the project may hold the extension's nodes."""
    scope = page_scope(env)
    return bool(scope.excerpt or scope.with_nodes)


#: What names its page in a doctree of several (the LaTeX builder's): the included
#: page's ``start_of_file`` and sections, an appendix's document, the whole tree.
PAGE_HOLDERS = (addnodes.start_of_file, nodes.section, nodes.document)


def source_docname(node: nodes.Node, env: BuildEnvironment) -> str:
    """The page ``node`` comes from, also in a doctree that holds several pages."""
    top = node
    while top.parent is not None:
        top = top.parent
        if isinstance(top, PAGE_HOLDERS) and "docname" in top:
            return str(top["docname"])
    # an included page's nodes keep their own document as parent (Sphinx moves the
    # children into the start_of_file without re-parenting them)
    source = top.get("source") if isinstance(top, nodes.Element) else None
    return (env.path2doc(source) if source else None) or env.docname
