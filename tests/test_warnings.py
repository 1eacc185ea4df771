"""The warning subtypes: one Enum, the docs' reference generated from it, no other names.

The reference page (``docs/reference/warnings.md``) is built as it is, with the docs'
own extension, and must show every member of :class:`~sphinx_excerpt.warnings.Subtype`
with its text; every ``excerpt.<name>`` the docs, the README and the code's docstrings
name must be a member.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import run_build

from sphinx_excerpt.warnings import Subtype

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: ``excerpt.<name>`` as a warning's code (not ``sphinx_excerpt.config``, ``x/excerpt.html``)
CODE = re.compile(r"(?<![\w/.-])excerpt\.([a-z_]+)(?![\w-])")
PLAIN_QUOTES = str.maketrans("‘’“”", "''\"\"")
#: Names ``excerpt.<name>`` that are not warnings: the layout's template file.
NOT_WARNINGS = {"excerpt.html": "the excerpt layout's template, _templates/excerpt.html"}


def test_the_reference_shows_every_subtype_with_its_text(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    shutil.copy(DOCS / "reference" / "warnings.md", srcdir / "index.md")
    (srcdir / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(DOCS / '_ext')!r})\n"
        'extensions = ["sphinx_excerpt", "excerpt_docs"]\n',
        encoding="utf-8",
    )
    result = run_build(srcdir, "html")
    # (alone, the page cannot reach the labels of the other pages it links to)
    assert [line for line in result.warning_lines() if "[ref.ref]" not in line] == []
    soup = result.soup("index.html")
    shown = [dt.get_text(strip=True) for dt in soup.select("dl dt")]
    assert shown == [subtype.code for subtype in Subtype]
    for subtype in Subtype:
        term = soup.find(id=f"warning-{subtype.code.replace('.', '-')}")
        assert term is not None, subtype
        text = " ".join(term.find_next_sibling("dd").get_text().split())
        text = text.translate(PLAIN_QUOTES)  # (Sphinx's smart quotes)
        assert f"Given for: {subtype.about.replace('``', '')}" in text
        assert f"What to do: {subtype.remedy.replace('``', '')}" in text
    # generated, not copied: the page's source names no subtype's text
    source = (DOCS / "reference" / "warnings.md").read_text(encoding="utf-8")
    assert not any(subtype.about[:40] in source for subtype in Subtype)


def test_every_member_says_when_and_what_to_do() -> None:
    for subtype in Subtype:
        assert subtype.value == subtype.code.removeprefix("excerpt.")
        assert len(subtype.about) > 30 and len(subtype.remedy) > 30, subtype
        assert subtype.remedy.endswith("."), subtype


def named_codes() -> dict[str, list[str]]:
    """Every ``excerpt.<name>`` in the docs, the README and the package, with where."""
    files = [
        *(p for p in DOCS.rglob("*.md") if "_build" not in p.parts),
        ROOT / "README.md",
        *(ROOT / "sphinx_excerpt").rglob("*.py"),
        *(DOCS / "_ext").rglob("*.py"),
    ]
    found: dict[str, list[str]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in CODE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(match[0], []).append(f"{path.relative_to(ROOT)}:{line}")
    return found


def test_every_subtype_the_docs_name_exists() -> None:
    found = named_codes()
    codes = {subtype.code for subtype in Subtype}
    assert len(found) >= 5, found  # the search finds them
    unknown = {
        code: where for code, where in found.items() if code not in codes | NOT_WARNINGS.keys()
    }
    assert unknown == {}
