"""Generate excerpt pages that use every idiom, for benchmarks and property-based tests.

A page has a Pelican header, a citation well, floated photos, numbered figures with
legends, a table with a caption, footnotes with book numbers and figure mentions.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "showcase" / "files" / "images"
WORDS = [
    "harbour",
    "keeper",
    "light",
    "tide",
    "storm",
    "ledger",
    "boat",
    "coast",
    "rock",
    "lamp",
    "lens",
    "winter",
    "letter",
    "relief",
    "station",
    "board",
    "inspector",
    "diary",
    "weather",
    "signal",
    "channel",
    "pier",
    "quay",
    "shoal",
]


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, n: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def excerpt_page(index: int, seed: int = 0, native: bool = False) -> str:
    """The Markdown of one generated excerpt page (deterministic for ``index`` and ``seed``).

    ``native``: the same page with a MyST ``#`` title in place of the Pelican header, the
    form plain MyST reads best (a fair baseline for timing the extension).
    """
    rng = random.Random(seed * 100_003 + index)
    chapter = index % 20 + 1
    published = date(2000, 1, 1) + timedelta(days=index)
    note = 4
    header = [
        f"Title: Generated excerpt {index}",
        f"Date: {published.isoformat()}",  # each page its own dates, as on a real site
        f"Modified: {(published + timedelta(days=61)).isoformat()} 10:00",
        f"Summary: A generated page number {index}.",
        "Template: excerpt",
        f"Slug: generated-{index}",
    ]
    if native:
        header = [f"# Generated excerpt {index}"] + [""] * (len(header) - 1)
    parts = [
        *header,
        "",
        '<div class="well">',
        f"Excerpt from A. Writer, <em>Book {index}</em>, (A Press, 2020): {index}–{index + 9}.  ",
        '<small>Pictures <a href="https://example.org/">by the project.</a></small>',
        "</div>",
        "",
    ]
    for section in range(1, 4):
        parts += [f"## Section {section} of page {index}", ""]
        side = "right" if section % 2 else "left"
        parts += [
            f'![A photo](/files/images/lighthouse.png "Photo {section}"){{.pull-{side}}}',
            "",
            paragraph(rng) + f"[^{note}]",
            "",
            "![A chart](/files/images/keepers-by-decade.png)",
            "",
            f"*Figure {chapter}.{section}*. A chart of section {section}.  ",
            "Source: generated data.  ",
            "",
            paragraph(rng, 3) + f" As Figure {chapter}.{section} shows, {sentence(rng, 6)}",
            "",
        ]
        note += 1
    parts += [
        "| Station | Keepers |",
        "|---------|--------:|",
        "| North | 3 |",
        "| South | 4 |",
        "",
        f"*Table {chapter}.1*. Two stations.",
        "",
    ]
    parts += [f"[^{n}]: Note {n} of page {index}." for n in range(4, note)]
    return "\n".join(parts) + "\n"


def write_project(
    dest: Path, pages: int, extensions: list[str], seed: int = 0, native: bool = False
) -> Path:
    """A Sphinx project of ``pages`` generated pages and an index with a toctree.

    No sidebars: a global-toctree sidebar costs every page of any Sphinx project time in
    proportion to the number of pages, which would hide the cost of reading the pages.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(IMAGES, dest / "files" / "images", dirs_exist_ok=True)
    conf = f"project = 'Generated'\nextensions = {extensions!r}\nhtml_sidebars = {{'**': []}}\n"
    if extensions == ["myst_parser"]:
        conf += "myst_enable_extensions = ['attrs_inline']\n"
    (dest / "conf.py").write_text(conf, encoding="utf-8")
    names = [f"page{i:04d}" for i in range(pages)]
    toctree = "\n".join(f"   {n}" for n in names)
    (dest / "index.rst").write_text(f"Generated\n=========\n\n.. toctree::\n\n{toctree}\n")
    for i, name in enumerate(names):
        (dest / f"{name}.md").write_text(excerpt_page(i, seed, native), encoding="utf-8")
    return dest
