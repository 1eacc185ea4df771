"""MyST set-up: load myst_parser and switch on the syntax extensions excerpt pages use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_excerpt import guard

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: ``{.pull-right}`` after an image needs inline attributes.
NEEDED_SYNTAX = ("attrs_inline",)


def add_syntax_extensions(app: Sphinx, config: Config) -> None:
    """Add what we need to the user's ``myst_enable_extensions``, keeping all they chose."""
    chosen = config.myst_enable_extensions
    missing = [name for name in NEEDED_SYNTAX if name not in chosen]
    if not missing:
        return
    if isinstance(chosen, set | frozenset):
        config.myst_enable_extensions = set(chosen) | set(missing)
    else:
        config.myst_enable_extensions = [*chosen, *missing]


def setup_myst(app: Sphinx) -> None:
    app.setup_extension("myst_parser")
    guard.connect(app, "config-inited", add_syntax_extensions)
