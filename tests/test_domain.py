"""The ``excerpt`` domain: every page's record and the scope, and nowhere else.

A project of several kinds of pages is built serially, in parallel (``-j 2``: readers
in other processes, their records merged back) and incrementally (an environment
read back from its pickle, one page changed, one removed); each build's domain holds
what a clean serial build of the same sources holds, and the pages come out the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import Build, run_build

from sphinx_excerpt.domain import ExcerptDomain, Page, excerpt_domain

#: Excerpt pages with a header, numbered so that a parallel read splits them.
EXCERPT = """\
Title: Landing number {n}
Date: 2020-0{m}-1{m}
Slug: old/landing-{n}

Text of page {n}, with a <em>raw</em> tag.

<div class="well">From the harbour log, volume {n}.</div>
"""
#: A page without a header: not an excerpt page.
PLAIN = "# Plain page {n}\n\nNothing of ours.\n"
#: A reST page that holds a well: not an excerpt page, but it shows the extension's nodes.
WELL_RST = "Well page\n=========\n\n.. well::\n\n   Boxed words.\n"
#: A Markdown page with a source box, no header: a record from the box alone.
SOURCE_BOX = """\
# Boxed source

```{excerpt-source}
:author: A. Keeper
:title: The Harbour Log
```

Words.
"""


def write_project(srcdir: Path) -> None:
    srcdir.mkdir(parents=True, exist_ok=True)
    (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
    names = []
    for n in range(1, 9):
        (srcdir / f"landing{n}.md").write_text(EXCERPT.format(n=n, m=n), encoding="utf-8")
        names.append(f"landing{n}")
    for n in range(1, 4):
        (srcdir / f"plain{n}.md").write_text(PLAIN.format(n=n), encoding="utf-8")
        names.append(f"plain{n}")
    (srcdir / "wellpage.rst").write_text(WELL_RST, encoding="utf-8")
    (srcdir / "boxed.md").write_text(SOURCE_BOX, encoding="utf-8")
    names += ["wellpage", "boxed"]
    toctree = "\n".join(names)
    (srcdir / "index.md").write_text(f"# Index\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")


def domain_state(build: Build) -> dict[str, Any]:
    """What the build's domain holds: records, scope, hand-offs left behind."""
    domain = excerpt_domain(build.app.env)
    return {
        "pages": dict(sorted(domain.pages.items())),
        "excerpt": sorted(domain.scope.excerpt),
        "with_nodes": sorted(domain.scope.with_nodes),
        "reading": sorted(domain.readings),
    }


def outputs(build: Build) -> dict[str, str]:
    """Each written page, whole."""
    return {
        p.relative_to(build.outdir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(build.outdir.rglob("*.html"))
    }


def bodies(build: Build) -> dict[str, str]:
    """Each page's body (Sphinx rewrites only the pages it reads again, so the others
    keep the navigation of the earlier build: that is Sphinx's, and not compared)."""
    return {name: str(build.soup(name).select_one('[role="main"]')) for name in outputs(build)}


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Build:
    srcdir = tmp_path_factory.mktemp("domain") / "src"
    write_project(srcdir)
    return run_build(srcdir, "html")


def test_the_domain_holds_each_page_s_record_and_the_scope(serial: Build) -> None:
    state = domain_state(serial)
    landings = [f"landing{n}" for n in range(1, 9)]
    assert sorted(state["pages"]) == sorted([*landings, "boxed"])
    page = state["pages"]["landing3"]
    assert isinstance(page, Page)
    assert page.title == "Landing number 3"
    assert page.get("slug") == "old/landing-3"
    assert page.lines["date"] == 2
    assert page.date("date") is not None and page.date("date").month == 3
    assert state["pages"]["boxed"].get("source_author") == "A. Keeper"
    assert state["excerpt"] == landings
    assert state["with_nodes"] == ["boxed", "wellpage"]
    # the hand-offs of each page went when it was read
    assert state["reading"] == []
    assert serial.warning_lines() == []


def test_nothing_of_ours_on_sphinx_s_objects(serial: Build) -> None:
    app = serial.app
    for owner in (app.env, app.builder, app):
        ours = [name for name in vars(owner) if "excerpt" in name]
        assert ours == [], f"attributes of ours on {type(owner).__name__}: {ours}"
    assert isinstance(app.env.domains["excerpt"], ExcerptDomain)
    assert set(app.env.domaindata["excerpt"]) == {"version", "pages", "scope", "hidden"}


def test_a_parallel_read_merges_the_same_records(serial: Build, tmp_path: Path) -> None:
    parallel = run_build(serial.srcdir, "html", outdir=tmp_path / "j2", parallel=2)
    assert domain_state(parallel) == domain_state(serial)
    assert outputs(parallel) == outputs(serial)
    assert parallel.warning_lines() == serial.warning_lines()


def test_an_incremental_build_keeps_and_forgets_records(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    write_project(srcdir)
    outdir = tmp_path / "out"
    run_build(srcdir, "html", outdir=outdir)
    # one page's header changes, one page loses it, one page goes
    changed = srcdir / "landing2.md"
    changed.write_text(changed.read_text("utf-8").replace("number 2", "number two"), "utf-8")
    (srcdir / "landing5.md").write_text(PLAIN.format(n=5), encoding="utf-8")
    (srcdir / "wellpage.rst").unlink()
    index = srcdir / "index.md"
    index.write_text(index.read_text("utf-8").replace("wellpage\n", ""), "utf-8")
    again = run_build(srcdir, "html", outdir=outdir, freshenv=False)
    clean = run_build(srcdir, "html", outdir=tmp_path / "clean")
    assert domain_state(again) == domain_state(clean)
    assert domain_state(again)["pages"]["landing2"].title == "Landing number two"
    assert "landing5" not in domain_state(again)["excerpt"]
    assert domain_state(again)["with_nodes"] == ["boxed"]
    # (Sphinx leaves the removed page's HTML file in place: the pages of the clean build)
    assert {name: bodies(again)[name] for name in bodies(clean)} == bodies(clean)
