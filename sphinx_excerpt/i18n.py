"""The extension's own words in the reader's language: its message catalog.

The words the extension writes itself ("Figure" before a number, "Updated" on the
date line, "Contents", "PDF") are translated into the project's ``language`` from
``locale/<language>/LC_MESSAGES/sphinx_excerpt.mo`` (compiled by
``scripts/compile-catalogs.py``). A caption label is translated only when its author
wrote the English word: a page written in German keeps its own "Abbildung".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CATALOG = "sphinx_excerpt"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(CATALOG)

#: The English caption labels and their translatable words.
ENGLISH_LABELS = {"Figure": "Figure", "Fig.": "Fig.", "Table": "Table"}


def shown_label(written: str) -> str:
    """The label of a figure or table in the reader's language, if written in English."""
    if written in ENGLISH_LABELS:
        return str(_(ENGLISH_LABELS[written]))
    return written


def translated(text: str) -> str:
    """One of the extension's own words in the reader's language."""
    return str(_(text))


def setup_i18n(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
