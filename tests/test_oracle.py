"""pandoc is the oracle: every page of the dialect corpus reads as Pandoc's HTML reads.

The corpus (``tests/corpus/dialect/*.md``, pages of our own in Pandoc's Markdown with a
Pelican header) is built once as one Sphinx project; each page is compared with
``pandoc -f markdown -t html5`` by :mod:`oracle`, deliberate differences aside.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import IN_CI, Build, latexpdf, run_build
from oracle import DELIBERATE, compare, deliberate_keys, has_pandoc, pandoc_html

CORPUS = Path(__file__).resolve().parent / "corpus" / "dialect"
IMAGES = Path(__file__).resolve().parent.parent / "docs" / "showcase" / "files" / "images"
PAGES = sorted(CORPUS.glob("*.md"))


def require_pandoc() -> None:
    if not has_pandoc():
        if IN_CI:
            pytest.fail("pandoc is not installed (run scripts/install-system-deps.sh)")
        pytest.skip("needs pandoc (run scripts/install-system-deps.sh)")


def build_corpus(dest: Path, pages: dict[str, str]) -> Build:
    """One Sphinx project of ``pages`` (name → Markdown), built to HTML."""
    return run_build(write_corpus(dest, pages), "html")


def write_corpus(dest: Path, pages: dict[str, str]) -> Path:
    """One Sphinx project of ``pages`` (name → Markdown), with the showcase's pictures."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(IMAGES, dest / "files" / "images", dirs_exist_ok=True)
    (dest / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
    toctree = "\n".join(f"   {name}" for name in pages)
    (dest / "index.rst").write_text(f"Corpus\n======\n\n.. toctree::\n\n{toctree}\n")
    for name, text in pages.items():
        (dest / f"{name}.md").write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    pages = {page.stem: page.read_text(encoding="utf-8") for page in PAGES}
    return build_corpus(tmp_path_factory.mktemp("corpus") / "src", pages)


def test_corpus_is_large_enough() -> None:
    assert len(PAGES) >= 40


def test_deliberate_differences_are_listed_once() -> None:
    """The table in docs/explanation.md and the comparison's functions are one list."""
    keys = deliberate_keys()
    assert sorted(keys) == sorted(DELIBERATE)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.stem)
def test_page_at_pandoc_parity(source: Path, corpus_build: Build, request) -> None:
    require_pandoc()
    page = f"{source.stem}.html"
    result = compare(corpus_build.read(page), pandoc_html(source.read_text(encoding="utf-8")))
    assert result.at_parity(), result.explain()
    assert [w for w in corpus_build.warning_lines() if f"/{source.stem}.md" in w] == []
    assert unresolved(corpus_build, page) == []


def unresolved(build: Build, page: str) -> list[str]:
    """Images whose file is not in the build, internal links to no page or no anchor."""
    soup = build.soup(page)
    missing = [
        str(img["src"])
        for img in soup.select("img[src]")
        if not (build.outdir / img["src"]).is_file()
    ]
    for link in soup.select("div.body a.reference.internal[href]"):
        path, _, anchor = str(link["href"]).partition("#")
        target = build.outdir / (path or page)
        if not target.is_file() or (
            anchor and f'id="{anchor}"' not in target.read_text(encoding="utf-8")
        ):
            missing.append(str(link["href"]))
    return missing


def test_the_comparison_sees_what_a_reader_would() -> None:
    """The oracle itself: leaked syntax, lost words and a changed outline are differences."""
    pandoc = (
        '<h2 id="a">Part one</h2>\n'
        '<p>The keeper wrote <span class="math inline">\\(x\\)</span>.</p>'
    )
    ours = (
        '<div class="body" role="main"><section><h1>Title</h1>'
        '<p class="excerpt-dates">May 1</p><section id="part-one">'
        "<h2>Part one</h2><p>The keeper wrote "
        '<span class="math notranslate nohighlight">\\(x\\)</span>.</p></section></section></div>'
    )
    assert compare(ours, pandoc).at_parity()
    leaked = compare(ours.replace("wrote ", "wrote {#x} "), pandoc)
    assert leaked.leaked == ["{#"] and not leaked.at_parity()
    lost = compare(ours.replace("keeper ", ""), pandoc)
    assert lost.recall < 0.995 and lost.missing == {"keeper": 1}
    moved = compare(ours.replace("<h2>Part one</h2>", "<p>Part one</p>"), pandoc)
    assert "outline" in moved.differences
    no_math = compare(ours.replace("\\(x\\)", "$x$"), pandoc)
    assert "math" in no_math.differences


#: Inline syntax of the dialect that no page of the corpus shows as text.
INLINE_SYNTAX = ("{#", "{.", "$$", "^[", "[^", "~~", "{static}", "{filename}", "|filename|", "]:")


@pytest.mark.pdf
def test_corpus_builds_to_pdf(tmp_path: Path) -> None:
    """``latexpdf`` of the whole corpus with pdflatex exits 0, with no syntax in the text."""
    import pdfplumber

    pages = {page.stem: page.read_text(encoding="utf-8") for page in PAGES}
    proc, latexdir = latexpdf(write_corpus(tmp_path / "src", pages))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    with pdfplumber.open(next(latexdir.glob("*.pdf"))) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert [s for s in INLINE_SYNTAX if s in text] == []
    packed = "".join(text.split())  # pdfplumber may join words
    for words in ("Paraffin burns to CO", "The line with a single equals sign", "tl;dr"):
        assert "".join(words.split()) in packed
