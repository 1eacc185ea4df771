"""What the build knows about each excerpt page, kept in the environment.

An excerpt page (:mod:`sphinx_excerpt.scope`) with a metadata header (Pelican
``Key: value`` lines or MyST YAML front matter) has a record of its title and metadata.
The record is written while the page is read and merged back from parallel readers by
:class:`ExcerptPageCollector`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.environment.collectors import EnvironmentCollector

from sphinx_excerpt import guard
from sphinx_excerpt.dates import parse_date

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


#: The class of the date line under an excerpt page's title (``metadata`` writes it; the
#: PDF link, the cite box and the LaTeX title page find it by this class).
DATE_LINE_CLASS = "excerpt-dates"


@dataclass
class PageRecord:
    """The title and metadata of one excerpt page."""

    title: str
    metadata: dict[str, str] = field(default_factory=dict)  # lower-case keys, as written
    lines: dict[str, int] = field(default_factory=dict)  # the source line of each key

    #: The header's dates, parsed once each (by the value written)
    parsed_dates: dict[str, datetime | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    def get(self, *keys: str) -> str | None:
        """The first non-empty value among ``keys``."""
        for key in keys:
            value = self.metadata.get(key)
            if value:
                return value
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


def title_section(document: nodes.Node) -> nodes.section | None:
    """The page's first section: the one its title heads, holding the rest of the page."""
    return next(iter(document.findall(nodes.section)), None)


#: Values worked out once in a build and used for each page it writes, by builder (a
#: builder lives for one build; its values go with it).
_PER_BUILD: WeakKeyDictionary[Builder, dict[str, Any]] = WeakKeyDictionary()


def application(env: BuildEnvironment) -> Sphinx:
    """The build's application, for a post-transform that needs the builder (Sphinx 9
    deprecates a transform's own ``app``, which is this)."""
    app: Sphinx = env._app
    return app


def per_build(builder: Builder) -> dict[str, Any]:
    """What this build keeps for its pages: template lookups, page-PDF names."""
    return _PER_BUILD.setdefault(builder, {})


def excerpt_pages(env: BuildEnvironment) -> dict[str, PageRecord]:
    """The records of every excerpt page in the project, by docname."""
    # (an attribute of ours on the environment, which its type does not declare)
    try:
        pages: dict[str, PageRecord] = env.excerpt_pages  # type: ignore[attr-defined]
    except AttributeError:
        pages = env.excerpt_pages = {}  # type: ignore[attr-defined]
    return pages


class ExcerptPageCollector(EnvironmentCollector):
    """Forget a page's record when it is re-read; merge records from parallel readers."""

    @guard.handler
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        excerpt_pages(env).pop(docname, None)

    @guard.handler
    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        mine, theirs = excerpt_pages(env), excerpt_pages(other)
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]

    @guard.handler
    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Records are written by the transforms that read the page."""


def setup_pages(app: Sphinx) -> None:
    app.add_env_collector(ExcerptPageCollector)
