"""What the build knows about each excerpt page, kept in the ``excerpt`` domain.

An excerpt page (:mod:`sphinx_excerpt.scope`) with a metadata header (Pelican
``Key: value`` lines or MyST YAML front matter) has a record of its title and metadata,
a :class:`~sphinx_excerpt.domain.Page`. The record is written while the page is read and
kept by :class:`~sphinx_excerpt.domain.ExcerptDomain`, which merges it back from
parallel readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_excerpt import guard
from sphinx_excerpt.domain import DOMAIN, PAGES, Page, excerpt_domain
from sphinx_excerpt.kinds import TEXT, NodeKinds

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.transforms import Transform
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


#: The class of the date line under an excerpt page's title (``metadata`` writes it; the
#: PDF link, the cite box and the LaTeX title page find it by this class).
DATE_LINE_CLASS = "excerpt-dates"


def title_section(document: nodes.Node) -> nodes.section | None:
    """The page's first section: the one its title heads, holding the rest of the page
    (``document`` itself, if it is a section)."""
    # asked by several steps of every page, whose first section is one of the document's
    # children, after a docinfo or a target at most: those are passed over by their class
    # (no generator resumed per node, as in docutils' findall); after any other node,
    # docutils' walk, which looks inside it
    # (Any, not typing.cast: no call)
    node: Any = document
    if _SECTIONS[type(node)] == 0:
        return node  # type: ignore[no-any-return]
    for node in document.children:
        kind = _SECTIONS[type(node)]
        if kind == 0:
            return node  # type: ignore[no-any-return]
        if kind != 1 and kind != TEXT:
            return next(iter(document.findall(nodes.section)), None)
    return None


#: Sections (and their subclasses), and the nodes that never hold one, found by class.
_SECTIONS = NodeKinds(nodes.section, (nodes.docinfo, nodes.target, nodes.TextElement))


def application(env: BuildEnvironment) -> Sphinx:
    """The build's application, for a post-transform that needs the builder (Sphinx 9
    deprecates a transform's own ``app``, which is this; Sphinx 8's environment keeps it
    as ``app``, Sphinx 9's as ``_app``)."""
    # (Sphinx 9's first, tried rather than tested: no call of ``hasattr``)
    try:
        app: Sphinx = env._app
    except AttributeError:
        app = env.app
    return app


def run_on_this_page(document: nodes.document, transform: type[Transform]) -> None:
    """Have ``transform`` run on this page, at its priority, as docutils' own directives
    have theirs run (``document.transformer``): a transform that only some pages need
    (most pages have nothing for it) is not registered for every page, but given to the
    page by the step that finds it a reason to run, read before it."""
    transformer = document.transformer
    guard.keep_items(transformer.transforms)  # (a step that fails takes it back)
    transformer.add_transform(transform)


class PostTransformSomeBuildsNeed(SphinxPostTransform):
    """A post-transform that only some builds need (:meth:`needed`, asked once a build):
    :func:`add_when_needed` registers it when the writing starts, every page read, in a
    build that needs it, so that the others do not ask at every page whether to run it;
    an application that builds again keeps it, and :meth:`needed` still decides."""

    @classmethod
    def needed(cls, app: Sphinx) -> bool:
        """Whether this build needs the post-transform."""
        raise NotImplementedError

    def is_supported(self) -> bool:
        return super().is_supported() and self.needed(application(self.env))


def add_when_needed(app: Sphinx, transform: type[PostTransformSomeBuildsNeed]) -> None:
    """For a ``write-started`` handler: register ``transform`` if the build needs it."""
    if transform.needed(app):
        add_post_transform_once(app, transform)


def add_post_transform_once(app: Sphinx, transform: type[SphinxPostTransform]) -> None:
    """Register ``transform`` unless it is: a post-transform that only some builds need,
    added by a build that finds it needs it once its pages are read (``write-started``),
    so that the others do not ask at every page whether to run it (an application that
    builds again keeps it; its ``is_supported`` then decides)."""
    if transform not in app.registry.get_post_transforms():
        app.add_post_transform(transform)


def per_build(builder: Builder) -> dict[str, Any]:
    """What this build keeps for its pages: template lookups, page-PDF names."""
    return excerpt_domain(builder.env).build_values


def excerpt_pages(env: BuildEnvironment) -> dict[str, Page]:
    """The records of every excerpt page in the project, by docname."""
    # the domain's data (``env.domains[...]`` first tries, and fails, an attribute look-up)
    pages: dict[str, Page] = env.domaindata[DOMAIN][PAGES]
    return pages


def any_page(builder: Builder, question: str, test: Callable[[Page], bool]) -> bool:
    """Whether ``test`` holds for a page of the project, asked once a build (every page is
    read before the first is written) and kept as ``question``: whether a step that
    only some pages need runs at all."""
    known = per_build(builder)
    if question not in known:
        known[question] = any(map(test, excerpt_pages(builder.env).values()))
    answer: bool = known[question]
    return answer
