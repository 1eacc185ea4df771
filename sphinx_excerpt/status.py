"""A page's publication ``Status``: drafts are not published, hidden pages are not listed.

Pelican leaves ``Status: draft`` pages out of the site and builds ``Status: hidden`` pages
without listing them. Which pages are drafts must be known before Sphinx looks for its
sources, so the headers of the project's Markdown pages are read when the configuration
is (``config-inited``), and the drafts are added to ``exclude_patterns``: Sphinx then
treats them as any excluded file (no page, no search entry, a warning where a toctree
names one), and its environment sees the change of status as a change of configuration.
``excerpt_publish_drafts = True`` builds them. A hidden page is built as an orphan and
taken out of every toctree (a ``glob`` one included) before Sphinx records the toctrees.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.domain import excerpt_domain
from sphinx_excerpt.metadata import parse_header
from sphinx_excerpt.sources import source_heads

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinx_excerpt")

DRAFT = "draft"
STATUS_KEY = re.compile(r"^[ ]{0,3}status:", re.IGNORECASE | re.MULTILINE)
HIDDEN = "hidden"


@dataclass
class Statuses:
    """The project's drafts (by source path) and hidden pages (by docname)."""

    drafts: set[str] = field(default_factory=set)
    excluded: set[str] = field(default_factory=set)  # the drafts left out of the build
    hidden: frozenset[str] = frozenset()


_STATUSES: WeakKeyDictionary[Config, Statuses] = WeakKeyDictionary()


def statuses(config: Config) -> Statuses:
    """What the headers of this build's pages said, read at ``config-inited``."""
    return _STATUSES.get(config) or Statuses()


def head_status(text: str) -> str | None:
    """The lower-case ``Status`` of a Markdown page's header lines."""
    if not STATUS_KEY.search(text):
        return None  # most pages: no need to read the header itself
    header = parse_header(text)
    status = header.value("status") if header is not None else None
    return status.lower() if status else None


def read_statuses(app: Sphinx, config: Config) -> None:
    """Find the drafts and hidden pages; leave the drafts out unless they are published."""
    result = Statuses()
    hidden = set()
    for head in source_heads(app, config):
        status = head_status(head.text)
        if status == DRAFT:
            result.drafts.add(head.source)
        elif status == HIDDEN:
            hidden.add(head.source.removesuffix(head.suffix))
    result.hidden = frozenset(hidden)
    _STATUSES[config] = result
    for source in sorted(result.drafts):
        if config.excerpt_publish_drafts:
            logger.verbose("excerpt: %s is a draft (Status: draft), published", source)
        elif any(source == config.root_doc + suffix for suffix in config.source_suffix):
            logger.verbose("excerpt: %s is a draft but the root document: published", source)
        else:
            logger.verbose(
                "excerpt: %s is a draft (Status: draft), not published "
                "(excerpt_publish_drafts = True publishes drafts)",
                source,
            )
            config.exclude_patterns = [*config.exclude_patterns, glob.escape(source)]
            result.excluded.add(source)


def reread_toctrees(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """When the set of hidden pages changed, the pages with toctrees are read again."""
    hidden = statuses(app.config).hidden
    domain = excerpt_domain(env)
    before, domain.hidden = domain.hidden, hidden
    if before is None or before == hidden:
        return []
    return sorted(set(env.toctree_includes) | set(env.glob_toctrees))


class HiddenPages(SphinxTransform):
    """A hidden page is an orphan, and no toctree lists it."""

    default_priority = priorities.HIDDEN_PAGES

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        hidden = statuses(self.config).hidden
        if self.env.docname in hidden:
            guard.keep_entry(self.env.metadata[self.env.docname], "orphan")
            self.env.metadata[self.env.docname]["orphan"] = ""
        for toctree in self.document.findall(addnodes.toctree):
            listed = [entry for entry in toctree["entries"] if entry[1] not in hidden]
            if len(listed) == len(toctree["entries"]):
                continue
            for _, ref in toctree["entries"]:
                if ref in hidden:
                    logger.verbose(
                        "excerpt: %s is hidden (Status: hidden): not listed in the toctree",
                        ref,
                        location=toctree,
                    )
            guard.keep(toctree)
            toctree["entries"] = listed
            toctree["includefiles"] = [d for d in toctree["includefiles"] if d not in hidden]


def setup_status(app: Sphinx) -> None:
    # after Sphinx makes source_suffix a mapping (priority 800)
    guard.connect(app, "config-inited", read_statuses, priority=900)
    guard.connect(app, "env-get-outdated", reread_toctrees)
    guard.connect(app, "builder-inited", add_hidden_pages)


def add_hidden_pages(app: Sphinx) -> None:
    """``builder-inited``: :class:`HiddenPages` when the project has hidden pages (else
    it would run at every page for nothing; when a page is no longer hidden,
    :func:`reread_toctrees` has the toctrees read again without it)."""
    if statuses(app.config).hidden:
        app.add_transform(HiddenPages)
