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


#: How a generated page is written: ``pelican``, the excerpt idioms (what the extension
#: reads); ``native``, the same with a MyST ``#`` title in place of the Pelican header;
#: ``rich``, the same parts written with MyST's own syntax (a ``container`` for the
#: well, ``figure`` and ``table`` directives with captions and legends, links for the
#: mentions, the dates as a paragraph), so that plain MyST builds pages of the same
#: parts as the extension does: the floor of what the pages cost to build.
FORMS = ("pelican", "native", "rich")


def excerpt_page(index: int, seed: int = 0, form: str = "pelican") -> str:
    """The Markdown of one generated excerpt page (deterministic for ``index`` and ``seed``)."""
    rng = random.Random(seed * 100_003 + index)
    chapter = index % 20 + 1
    published = date(2000, 1, 1) + timedelta(days=index)
    modified = published + timedelta(days=61)  # each page its own dates, as on a real site
    rich = form == "rich"
    note = 4
    if form == "pelican":
        parts = [
            f"Title: Generated excerpt {index}",
            f"Date: {published.isoformat()}",
            f"Modified: {modified.isoformat()} 10:00",
            f"Summary: A generated page number {index}.",
            "Template: excerpt",
            f"Slug: generated-{index}",
        ]
    else:
        parts = [f"# Generated excerpt {index}", "", "", "", "", ""]
    if rich:
        shown = [f"{d:%B} {d.day}, {d.year}" for d in (published, modified)]
        parts += ["", f"{shown[0]} · Updated {shown[1]}"]
    parts += [""]
    if rich:
        parts += [
            "```{container} well",
            f"Excerpt from A. Writer, *Book {index}*, (A Press, 2020): {index}–{index + 9}.",
            "Pictures [by the project.](https://example.org/)",
            "```",
        ]
    else:
        parts += [
            '<div class="well">',
            f"Excerpt from A. Writer, <em>Book {index}</em>, (A Press, 2020): "
            f"{index}–{index + 9}.  ",
            '<small>Pictures <a href="https://example.org/">by the project.</a></small>',
            "</div>",
        ]
    parts += [""]
    for section in range(1, 4):
        parts += [f"## Section {section} of page {index}", ""]
        side = "right" if section % 2 else "left"
        number = f"{chapter}.{section}"
        if rich:
            photo = ["```{figure} /files/images/lighthouse.png", f":align: {side}"]
            photo += [":figwidth: 40%", ":alt: A photo", "", f"Photo {section}", "```"]
            chart = ["```{figure} /files/images/keepers-by-decade.png"]
            chart += [f":name: p{index}-figure-{chapter}-{section}", ":alt: A chart", ""]
            chart += [f"Figure {number}. A chart of section {section}.", ""]
            chart += ["Source: generated data.", "```"]
            mention = f"[Figure {number}](#p{index}-figure-{chapter}-{section})"
        else:
            photo = [f'![A photo](/files/images/lighthouse.png "Photo {section}"){{.pull-{side}}}']
            chart = ["![A chart](/files/images/keepers-by-decade.png)", ""]
            chart += [f"*Figure {number}*. A chart of section {section}.  "]
            chart += ["Source: generated data.  "]
            mention = f"Figure {number}"
        parts += [*photo, "", paragraph(rng) + f"[^{note}]", "", *chart, ""]
        parts += [paragraph(rng, 3) + f" As {mention} shows, {sentence(rng, 6)}", ""]
        note += 1
    table = ["| Station | Keepers |", "|---------|--------:|", "| North | 3 |", "| South | 4 |"]
    if rich:
        parts += [f"```{{table}} Table {chapter}.1. Two stations."]
        parts += [f":name: p{index}-table-{chapter}-1", "", *table, "```", ""]
    else:
        parts += [*table, "", f"*Table {chapter}.1*. Two stations.", ""]
    parts += [f"[^{n}]: Note {n} of page {index}." for n in range(4, note)]
    return "\n".join(parts) + "\n"


def write_project(
    dest: Path, pages: int, extensions: list[str], seed: int = 0, form: str = "pelican"
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
        (dest / f"{name}.md").write_text(excerpt_page(i, seed, form), encoding="utf-8")
    return dest
