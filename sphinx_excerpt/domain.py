"""What the build knows about the project's pages, in one place: the ``excerpt`` domain.

:class:`ExcerptDomain` keeps, in its ``data`` (pickled with the environment, merged back
from parallel readers, forgotten for a page when it is read again):

* a :class:`Page` per excerpt page with a title: its title, metadata and dates
  (:func:`sphinx_excerpt.pages.excerpt_pages`);
* the :class:`Scope`: which pages are excerpt pages, which others hold nodes of the
  extension's directives, and which link to a site address (:mod:`sphinx_excerpt.scope`);
* the hidden pages of the last build (:mod:`sphinx_excerpt.status`).

Beside its data, the domain object (which Sphinx makes once per environment and
process, and never pickles) holds what lasts less than the environment:

* :class:`Reading`: what the steps reading one page hand to each other (its header, its
  text, its blocks); made when the page is read and dropped once it is
  (:meth:`ExcerptDomain.process_doc`);
* the values worked out once a build for the pages it writes
  (:func:`sphinx_excerpt.pages.per_build`), and the warnings given once a build
  (:func:`warn_once`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sphinx.domains import Domain

from sphinx_excerpt import guard
from sphinx_excerpt.dates import parse_date
from sphinx_excerpt.diagnostics import warn

if TYPE_CHECKING:
    from collections.abc import Set

    from docutils import nodes
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinx_excerpt.metadata import Header
    from sphinx_excerpt.warnings import Subtype


@dataclass
class Page:
    """The title and metadata of one excerpt page."""

    title: str
    metadata: dict[str, str] = field(default_factory=dict)  # lower-case keys, as written
    lines: dict[str, int] = field(default_factory=dict)  # the source line of each key
    #: Where its redirects go, relative to the output root (:mod:`~sphinx_excerpt.redirect_paths`)
    redirects: list[str] = field(default_factory=list)

    #: The header's dates, parsed once each (by the value written)
    parsed_dates: dict[str, datetime | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    def get(self, *keys: str) -> str | None:
        """The first non-empty value among ``keys``."""
        metadata = self.metadata
        for key in keys:  # (``in`` and ``[]``, not ``get``: no call)
            if key in metadata and metadata[key]:  # noqa: RUF019
                return metadata[key]
        return None

    def date(self, *keys: str) -> datetime | None:
        """The first non-empty value among ``keys``, read as a date (``None`` if it is not
        one): every step that shows or compares the page's dates reads them here."""
        value = self.get(*keys)
        if value is None:
            return None
        if value not in self.parsed_dates:
            self.parsed_dates[value] = parse_date(value)
        return self.parsed_dates[value]


@dataclass
class Scope:
    """The docnames of the project's excerpt pages, of the other pages that hold nodes of
    the extension's directives, and of the excerpt pages that link to a site address
    (``/files/report.pdf``: :mod:`sphinx_excerpt.site_links` resolves them)."""

    excerpt: set[str] = field(default_factory=set)
    with_nodes: set[str] = field(default_factory=set)
    site_links: set[str] = field(default_factory=set)


@dataclass
class Reading:
    """What the steps that read one page hand to each other, while it is read."""

    #: The metadata header, from ``source-read`` to the markdown-it rules that need the
    #: title's line and to the transform that makes the page's :class:`Page`.
    header: Header | None = None
    #: The page's text as parsed, for telling the HTML its author wrote from MyST's.
    source: str | None = None
    #: Each ``excerpt-source`` directive's fields and line, for the page's metadata.
    source_fields: list[tuple[dict[str, str], int]] = field(default_factory=list)
    #: The page's wells, figures and tables, found in one walk for the later transforms.
    blocks: tuple[nodes.document, list[nodes.Element]] | None = None

    def keep(self, name: str) -> None:
        """Remember a field before the guarded step running now sets it (put back if the
        step fails)."""
        guard.keep_entry(self.__dict__, name)  # (``vars`` is a call)


#: The domain's name, and the keys of its tables in ``env.domaindata[DOMAIN]`` (which
#: :func:`~sphinx_excerpt.pages.excerpt_pages` and :func:`~sphinx_excerpt.scope.page_scope`
#: read directly: every step of every page asks for them).
DOMAIN, PAGES, SCOPE = "excerpt", "pages", "scope"


class ExcerptDomain(Domain):
    """The excerpt pages' records and scope, kept per docname (no objects, no roles)."""

    name = DOMAIN
    label = "sphinx-excerpt"
    initial_data: ClassVar[dict[str, Any]] = {
        PAGES: {},  # docname -> Page
        SCOPE: Scope(),
        "hidden": None,  # the hidden pages of the last build, once there was one
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        # the tables of ``data`` (which is the environment's, and pickled with it), as
        # attributes: every step of every page asks for them
        #: The record of every excerpt page with a title, by docname.
        self.pages = cast("dict[str, Page]", self.data[PAGES])
        self.scope = cast("Scope", self.data[SCOPE])
        #: The hand-offs of the page being read (one at a time in a process), by docname.
        self.readings: dict[str, Reading] = {}
        #: What this build works out once for all the pages it writes.
        self.build_values: dict[str, Any] = {}

    @property
    def hidden(self) -> frozenset[str] | None:
        """The hidden pages when the project was last read (``None``: never)."""
        return cast("frozenset[str] | None", self.data["hidden"])

    @hidden.setter
    def hidden(self, docnames: frozenset[str]) -> None:
        self.data["hidden"] = docnames

    @guard.handler
    def clear_doc(self, docname: str) -> None:
        self.pages.pop(docname, None)
        scope = self.scope
        for docnames in (scope.excerpt, scope.with_nodes, scope.site_links):
            docnames.discard(docname)
        self.readings.pop(docname, None)

    @guard.handler
    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        pages, theirs = self.pages, cast("dict[str, Page]", otherdata[PAGES])
        scope, their_scope = self.scope, cast("Scope", otherdata[SCOPE])
        for docname in docnames:
            if docname in theirs:
                guard.keep_entry(pages, docname)
                pages[docname] = theirs[docname]
        # new sets, not updated ones: the guard puts the old ones back if this fails
        # (a merge is one of a few dozen, whatever the size of the project)
        for name in ("excerpt", "with_nodes", "site_links"):
            guard.keep_entry(vars(scope), name)
            theirs_named: set[str] = getattr(their_scope, name)
            setattr(scope, name, getattr(scope, name) | {d for d in theirs_named if d in docnames})

    @guard.handler
    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """The page is read: its hand-offs go (the records were written as it was read)."""
        guard.keep_entry(self.readings, docname)
        self.readings.pop(docname, None)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """No ``any`` reference is to the domain: it has no objects."""
        return []


def excerpt_domain(env: BuildEnvironment) -> ExcerptDomain:
    """The project's ``excerpt`` domain."""
    # asked a few times by every page: an annotation, not a call of ``cast``
    domain: ExcerptDomain = env.domains[DOMAIN]  # type: ignore[assignment]
    return domain


def reading(env: BuildEnvironment, docname: str | None = None) -> Reading:
    """The hand-offs of the page being read (default: ``env.docname``), for a step that
    hands something on."""
    readings, docname = excerpt_domain(env).readings, docname or env.docname
    if docname in readings:
        return readings[docname]
    made = readings[docname] = Reading()
    return made


def handed_on(env: BuildEnvironment) -> Reading | None:
    """The hand-offs of the page being read, if a step made any (``None`` also while
    pages are written)."""
    return excerpt_domain(env).readings.get(env.docname)


def setup_domain(app: Sphinx) -> None:
    app.add_domain(ExcerptDomain)


#: The key of the warnings given in a build, in the domain's ``build_values``.
GIVEN = "warnings given"


def warn_once(env: BuildEnvironment, subtype: Subtype, message: str, *, node: nodes.Node) -> None:
    """:func:`~sphinx_excerpt.diagnostics.warn`, unless this build has given the same
    warning at the same place: a page written into more than one document (its own PDF
    and the project's, with ``excerpt_page_pdfs``) warns once."""
    given: set[tuple[str | None, int | None, str]] = excerpt_domain(env).build_values.setdefault(
        GIVEN, set()
    )
    key = (node.source, node.line, message)
    if key not in given:
        given.add(key)
        # (forgotten if an optimistic run takes the warning back: its careful run gives it)
        warn(subtype, message, node=node, taken_back=functools.partial(given.discard, key))
