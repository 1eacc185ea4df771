"""Every builder Sphinx ships, parallel and incremental builds agree with clean ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_build

SHOWCASE = Path(__file__).resolve().parent.parent / "docs" / "showcase"
BUILDERS = [
    "html",
    "dirhtml",
    "singlehtml",
    "epub",
    "latex",
    "text",
    "man",
    "texinfo",
    "gettext",
    "xml",
    "pseudoxml",
]


def showcase_project(dest: Path) -> Path:
    """The showcase page alone, as the root of a project whose conf.py names the extension."""
    shutil.copytree(SHOWCASE, dest)
    (dest / "conf.py").write_text(
        'project = "Showcase"\nextensions = ["sphinx_excerpt"]\nroot_doc = "lighthouse-keepers"\n',
        encoding="utf-8",
    )
    return dest


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder_builds_the_showcase_cleanly(builder, tmp_path):
    # copyright and version: EPUB3 asks for them, whatever the extension does
    result = run_build(showcase_project(tmp_path / "src"), builder, copyright="2021", version="1")
    assert result.warning_lines() == []
    outputs = [p for p in result.outdir.rglob("*") if p.is_file() and ".doctrees" not in p.parts]
    assert outputs


@pytest.mark.parametrize("builder", ["html", "text", "latex", "man", "texinfo", "epub"])
def test_every_builder_builds_the_excerpt_root(builder, build):
    result = build("excerpt", builder, copyright="2021", version="1")
    assert result.warning_lines() == []


def html_files(outdir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(outdir)): p.read_text(encoding="utf-8")
        for p in sorted(outdir.rglob("*.html"))
    }


def test_parallel_build_is_identical(tmp_path):
    src = showcase_project(tmp_path / "src")
    extra = src / "second.md"
    extra.write_text((src / "lighthouse-keepers.md").read_text(encoding="utf-8"))
    serial = run_build(src, outdir=tmp_path / "j1")
    parallel = run_build(src, outdir=tmp_path / "j2", parallel=2)
    assert serial.warning_lines() == parallel.warning_lines()
    assert html_files(serial.outdir) == html_files(parallel.outdir)


def test_incremental_build_matches_a_clean_build(tmp_path):
    src = showcase_project(tmp_path / "src")
    (src / "other.md").write_text("Title: Other\nSlug: other-old\n\n## Part\n\nText.\n")
    conf = {"suppress_warnings": ["toc.not_included"]}
    first = run_build(src, outdir=tmp_path / "inc", **conf)
    assert first.warning_lines() == []
    page = src / "lighthouse-keepers.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("Slug: last-lighthouse-keepers", "Slug: keepers"),
        encoding="utf-8",
    )
    (src / "other.md").write_text("Title: Other, renamed\n\n## Part\n\nText again.\n")
    again = run_build(src, outdir=tmp_path / "inc", freshenv=False, **conf)
    clean = run_build(src, outdir=tmp_path / "clean", **conf)
    inc_files, clean_files = html_files(again.outdir), html_files(clean.outdir)
    # a redirect written by the first build stays behind (like any stale output file)
    stale = {"last-lighthouse-keepers.html", "other-old.html"}
    assert {k: v for k, v in inc_files.items() if k not in stale} == clean_files
    assert "keepers.html" in clean_files


def test_a_page_doctree_is_freed_once_the_page_is_written(tmp_path):
    """Sphinx keeps each doctree from reading to writing; the extension keeps none longer
    (a doctree held past its page would stay in memory for the whole build)."""
    import gc
    import weakref

    src = showcase_project(tmp_path / "src")
    text = (src / "lighthouse-keepers.md").read_text(encoding="utf-8")
    for name in ("first", "second"):  # read and written in this order, the root between
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    read: dict[str, weakref.ref] = {}

    def remember(app, doctree):
        read[app.env.docname] = weakref.ref(doctree)

    run_build(src, outdir=tmp_path / "out", handlers={"doctree-read": remember})
    gc.collect()
    assert set(read) == {"first", "lighthouse-keepers", "second"}
    # Sphinx itself keeps the root's doctree (Sphinx 9) and the last one it read and
    # wrote (Sphinx 8); the first page's has nothing left holding it
    assert read["first"]() is None
