"""Only excerpt pages change: a MyST project builds the same with and without the extension.

``tests/roots/test-myst-features`` has one page per syntax feature of MyST's
documentation (and a reST page). It is built with the html, latex and text builders,
once with plain MyST and once with ``sphinx_excerpt`` added, and the two builds must
give the same doctree for every page (docutils' pseudo-XML of the pickled doctrees),
the same warnings and the same written pages, ``.tex`` included. Then one excerpt page
joins the project: that page, and only that page, differs.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Build, copy_root, run_build
from myst_parser.config.main import MdParserConfig

ROOT = "myst-features"
BUILDERS = ("html", "latex", "text")
#: What a written page is, per builder (the files compared between the builds).
OUTPUTS = {"html": "*.html", "latex": "*.tex", "text": "*.txt"}
#: scripts/compare_projects.py, whose reading of doctrees this suite shares
_SPEC = importlib.util.spec_from_file_location(
    "compare_projects", Path(__file__).parents[1] / "scripts" / "compare_projects.py"
)
assert _SPEC is not None and _SPEC.loader is not None
COMPARE = sys.modules["compare_projects"] = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(COMPARE)
#: Sphinx labels an unlabelled equation with a random UUID, different in each build.
UUID = COMPARE.UUID


@dataclass(frozen=True)
class Feature:
    """A page of the project: the MyST syntax extensions and the package it needs."""

    page: str
    syntax: tuple[str, ...] = ()
    package: str | None = None  # an importable module; the page is left out without it
    extension: str | None = None  # a Sphinx extension the package provides


FEATURES = [
    Feature("colon_fence", ("colon_fence",)),
    Feature("directives"),
    Feature("roles"),
    Feature("attrs", ("attrs_inline", "attrs_block")),
    Feature("strikethrough", ("strikethrough",)),
    Feature("hard_breaks"),
    Feature("raw_html"),
    Feature("html_features", ("html_admonition", "html_image")),
    Feature("substitutions", ("substitution",)),
    Feature("tasklist", ("tasklist",)),
    Feature("deflist", ("deflist",)),
    Feature("dollarmath", ("dollarmath",)),
    Feature("amsmath", ("amsmath",)),
    Feature("fieldlist", ("fieldlist",)),
    Feature("linkify", ("linkify",), package="linkify_it"),
    Feature("gfm_autolink", ("gfm_autolink",)),
    Feature("alert", ("alert",)),
    Feature("section_ref", ("section_ref",)),
    Feature("replacements", ("replacements", "smartquotes")),
    Feature("footnotes"),
    Feature("admonitions"),
    Feature("figures"),
    Feature("tables"),
    Feature("sphinx_design", ("colon_fence",), "sphinx_design", "sphinx_design"),
    Feature("front_matter"),
    Feature("title_to_header"),
    Feature("rest_page"),
    Feature("index"),
]


def supported(syntax: str) -> bool:
    """Whether the installed myst-parser knows the syntax extension."""
    try:
        MdParserConfig(enable_extensions={syntax})
    except (TypeError, ValueError):
        return False
    return True


def missing(feature: Feature) -> str | None:
    """Why the page cannot be built here, or ``None``."""
    if feature.package is not None and importlib.util.find_spec(feature.package) is None:
        return f"{feature.package} is not installed"
    unknown = [s for s in feature.syntax if not supported(s)]
    if unknown:
        return f"the installed myst-parser has no {', '.join(unknown)}"
    return None


AVAILABLE = [f for f in FEATURES if missing(f) is None]


def project_config(extension: bool) -> dict[str, object]:
    """Configuration overrides: the available features, with or without the extension."""
    extensions = ["myst_parser", "svg_as_pdf"]
    extensions += [f.extension for f in AVAILABLE if f.extension]
    if extension:
        extensions.append("sphinx_excerpt")
    return {
        "extensions": extensions,
        "myst_enable_extensions": sorted({s for f in AVAILABLE for s in f.syntax}),
        "exclude_patterns": [f"{f.page}.*" for f in FEATURES if missing(f)],
    }


def doctrees(build: Build) -> dict[str, str]:
    """Docutils' pseudo-XML of each pickled doctree, by docname."""
    return COMPARE.read_doctrees(build.doctreedir)


def warnings(build: Build) -> list[str]:
    # without the colours Sphinx gives a terminal
    return [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in build.warning_lines()]


def written(build: Build, builder: str) -> dict[str, str]:
    """The written pages of the build, by path."""
    return {
        path.relative_to(build.outdir).as_posix(): UUID.sub(
            "<uuid>", path.read_text(encoding="utf-8")
        )
        for path in sorted(build.outdir.rglob(OUTPUTS[builder]))
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_root(ROOT, tmp_path_factory.mktemp("features"))


@pytest.fixture(scope="module")
def builds(project: Path) -> dict[tuple[str, bool], Build]:
    """Each builder's build of the project, without (False) and with (True) the extension."""
    return {
        (builder, extension): run_build(
            project,
            builder,
            outdir=project.parent / f"{builder}-{'with' if extension else 'without'}",
            **project_config(extension),
        )
        for builder in BUILDERS
        for extension in (False, True)
    }


def test_the_project_uses_every_feature(builds: dict[tuple[str, bool], Build]) -> None:
    """The pages are all built (a page left out would compare equal by being absent)."""
    names = set(doctrees(builds["html", False]))
    assert names == {f.page for f in AVAILABLE}
    assert len(AVAILABLE) >= len(FEATURES) - 4, [missing(f) for f in FEATURES]


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("feature", FEATURES, ids=lambda f: f.page)
def test_a_page_has_the_doctree_of_plain_myst(
    builds: dict[tuple[str, bool], Build], builder: str, feature: Feature
) -> None:
    why = missing(feature)
    if why is not None:
        pytest.skip(why)
    without = doctrees(builds[builder, False])[feature.page]
    with_extension = doctrees(builds[builder, True])[feature.page]
    assert with_extension == without


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_same_warnings(builds: dict[tuple[str, bool], Build], builder: str) -> None:
    without = warnings(builds[builder, False])
    assert without  # MyST's own (a numref with numfig off): the comparison is not of nothing
    assert warnings(builds[builder, True]) == without


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_same_written_pages(builds: dict[tuple[str, bool], Build], builder: str) -> None:
    """Post-transforms and writers too: the same HTML, ``.tex`` and text, byte for byte."""
    without = written(builds[builder, False], builder)
    assert without
    assert written(builds[builder, True], builder) == without


def test_no_stylesheet_and_no_latex_package(builds: dict[tuple[str, bool], Build]) -> None:
    html, latex = builds["html", True], builds["latex", True]
    assert not any("sphinx-excerpt.css" in page for page in written(html, "html").values())
    assert not (latex.outdir / "sphinxexcerpt.sty").exists()
    # the project's own SVG handling (a post-transform at 900) got the SVG, not ours
    tex = "".join(written(latex, "latex").values())
    assert "{images/shape}.pdf" in tex and "sphinxexcerpt" not in tex


def test_the_project_config_is_left_as_it_is(builds: dict[tuple[str, bool], Build]) -> None:
    config = builds["html", True].app.config
    assert sorted(config.myst_enable_extensions) == project_config(True)["myst_enable_extensions"]


# ---------------------------------------------------------------- plus one excerpt page

EXCERPT_PAGE = """\
Title: The Keeper's Log
Date: 2021-03-04
Summary: One excerpt page among plain MyST pages.

## The Log

<div class="well">
Excerpt from <em>A Keeper's Log</em> (Harbour Press, 1990).
</div>

![The harbour](images/harbour.png "The harbour at dawn"){.pull-right}

*Figure 1*. The harbour.\\
Source: our own photo.

Figure 1 shows the harbour; ~~struck~~ words stay struck.
"""


@pytest.fixture(scope="module")
def with_excerpt(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Build]:
    """The project plus one excerpt page, to HTML and LaTeX, without and with the extension."""
    base = tmp_path_factory.mktemp("features-excerpt")
    srcdir = copy_root(ROOT, base)
    (srcdir / "excerpt.md").write_text(EXCERPT_PAGE, encoding="utf-8")
    return {
        (builder, extension): run_build(
            srcdir,
            builder,
            outdir=base / f"{builder}-{'with' if extension else 'without'}",
            **project_config(extension),
        )
        for builder in ("html", "latex")
        for extension in (False, True)
    }


@pytest.mark.parametrize("builder", ("html", "latex"))
def test_only_the_excerpt_page_differs(
    with_excerpt: dict[tuple[str, bool], Build], builder: str
) -> None:
    without = doctrees(with_excerpt[builder, False])
    mine = doctrees(with_excerpt[builder, True])
    assert mine.keys() == without.keys()
    assert [name for name in mine if mine[name] != without[name]] == ["excerpt"]
    # and the difference is the extension's work: a title, a well, a floated figure
    assert "<well" in mine["excerpt"] and "<excerpt_figure" in mine["excerpt"]
    assert "Keeper" in mine["excerpt"] and "Title: The" not in mine["excerpt"]


def test_only_the_excerpt_page_warns_differently(
    with_excerpt: dict[tuple[str, bool], Build],
) -> None:
    without, mine = warnings(with_excerpt["html", False]), warnings(with_excerpt["html", True])
    assert [w for w in mine if "excerpt.md" not in w] == [
        w for w in without if "excerpt.md" not in w
    ]


def test_only_the_excerpt_page_links_the_stylesheet(
    with_excerpt: dict[tuple[str, bool], Build],
) -> None:
    pages = written(with_excerpt["html", True], "html")
    linking = sorted(name for name, page in pages.items() if "sphinx-excerpt.css" in page)
    assert linking == ["excerpt.html"]


def test_the_latex_package_is_loaded_for_the_excerpt_page(
    with_excerpt: dict[tuple[str, bool], Build],
) -> None:
    latex = with_excerpt["latex", True]
    tex = "".join(written(latex, "latex").values())
    assert r"\usepackage{sphinxexcerpt}" in tex and (latex.outdir / "sphinxexcerpt.sty").exists()
    # the other pages' SVG is still the project's to handle
    assert "{images/shape}.pdf" in tex


# ---------------------------------------------------------------- the excerpt_pages option


@pytest.fixture
def pages(tmp_path: Path):
    """``pages(excerpt_pages)``: three pages without a header, built to HTML."""

    def _pages(choice: object) -> dict[str, str]:
        srcdir = tmp_path / "src"
        shutil.rmtree(srcdir, ignore_errors=True)
        (srcdir / "book").mkdir(parents=True)
        (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
        (srcdir / "index.md").write_text(
            "# Index\n\n```{toctree}\nbook/one\nbook/two\n```\n\nA [span]{.pull-right} here.\n",
            encoding="utf-8",
        )
        for name in ("one", "two"):
            (srcdir / "book" / f"{name}.md").write_text(
                f"# {name}\n\nA [span]{{.marker}} here.\n", encoding="utf-8"
            )
        build = run_build(srcdir, "html", outdir=tmp_path / "out", excerpt_pages=choice)
        return {
            name: str(build.soup(f"{name}.html").select_one('[role="main"]'))
            for name in ("index", "book/one", "book/two")
        }

    return _pages


def parsed_attributes(page: str) -> bool:
    """Whether ``[span]{.class}`` was read as a span with a class (``attrs_inline``)."""
    return "{." not in page and '<span class="' in page


def test_auto_leaves_pages_without_a_header_alone(pages) -> None:
    found = pages("auto")
    assert not any(parsed_attributes(page) for page in found.values())


def test_all_makes_every_markdown_page_an_excerpt_page(pages) -> None:
    found = pages("all")
    assert all(parsed_attributes(page) for page in found.values())


@pytest.mark.parametrize("patterns", [["book/*"], ["book/*.md"], "book/*"])
def test_patterns_choose_the_excerpt_pages(pages, patterns: object) -> None:
    found = pages(patterns)
    assert [name for name, page in found.items() if parsed_attributes(page)] == [
        "book/one",
        "book/two",
    ]


def test_a_header_outside_the_patterns_is_left_as_text(page) -> None:
    result = page("Title: Not an excerpt\nDate: 2020-01-01\n\nBody.\n", excerpt_pages=["book/*"])
    main = result.soup("index.html").select_one('[role="main"]').get_text()
    assert "Title: Not an excerpt" in main
    assert result.warning_lines() == []


# ---------------------------------------------------------------- parallel and incremental


def test_a_parallel_build_has_the_same_scope(
    with_excerpt: dict[tuple[str, bool], Build], tmp_path: Path
) -> None:
    serial = with_excerpt["html", True]
    parallel = run_build(
        serial.srcdir, "html", outdir=tmp_path / "parallel", parallel=2, **project_config(True)
    )
    assert doctrees(parallel) == doctrees(serial)
    pages = written(parallel, "html")
    assert [name for name, page in pages.items() if "sphinx-excerpt.css" in page] == [
        "excerpt.html"
    ]


def test_a_page_that_loses_its_header_is_plain_again(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
    (srcdir / "index.md").write_text("# Index\n\n```{toctree}\npage\n```\n", encoding="utf-8")
    page = srcdir / "page.md"
    outdir = tmp_path / "out"

    def build(text: str) -> str:
        page.write_text(text, encoding="utf-8")
        result = run_build(srcdir, "html", outdir=outdir, freshenv=False)
        return result.read("page.html")

    body = 'A [span]{.marker} and <div class="well">a well</div>.\n'
    html = build(f"Title: An excerpt\n\n{body}")
    assert "sphinx-excerpt.css" in html and 'class="marker"' in html
    html = build(f"# No longer one\n\n{body}")
    assert "sphinx-excerpt.css" not in html and "{.marker}" in html
    html = build(f"Title: One again\n\n{body}")
    assert "sphinx-excerpt.css" in html and 'class="marker"' in html


def test_singlehtml_links_the_stylesheet_when_a_page_needs_it(
    with_excerpt: dict[tuple[str, bool], Build], builds: dict[tuple[str, bool], Build]
) -> None:
    """The single page holds every page: it links the CSS when one of them needs it."""
    for project, expected in ((with_excerpt, True), (builds, False)):
        srcdir = project["html", True].srcdir
        outdir = srcdir.parent / "singlehtml"
        single = run_build(srcdir, "singlehtml", outdir=outdir, **project_config(True))
        assert ("sphinx-excerpt.css" in single.read("index.html")) is expected
