"""Compile the extension's message catalogs: every locale/*/LC_MESSAGES/*.po to its .mo.

Run after editing a .po file: ``.venv/bin/python scripts/compile-catalogs.py``.
Uses Babel, which Sphinx depends on.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "sphinx_excerpt" / "locale"


def main() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parts[-3])
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)
        print(po.with_suffix(".mo").relative_to(LOCALE.parent))


if __name__ == "__main__":
    main()
