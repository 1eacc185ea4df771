"""What the Pandoc dialect's parser plugins cost: one page, and a 200-page project.

    .venv/bin/python scripts/dialect_cost.py [SEED_PAGE.md] [--pages 200] [--reps 5]

Two measures, each with and without the plugins (``parser.DIALECT_PLUGINS`` and the
syntax extensions of ``parser.EXCERPT_SYNTAX`` beyond ``attrs_inline``), alternating:

- **parse**: markdown-it parsing of the pages alone (what the plugins add to);
- **build**: a clean Sphinx HTML build, in-process, of the same pages.

It prints the fastest of the runs (the least disturbed on a shared machine) and their
ratios, and the plugins' share of a clean build (the extra parse time over the build
time). The generated pages are tests/pagegen.py's, with
a paragraph of the dialect's inline constructs added to each, so the rules have work.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from myst_parser.config.main import MdParserConfig  # noqa: E402
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer  # noqa: E402
from myst_parser.parsers.mdit import create_md_parser  # noqa: E402
from pagegen import write_project  # noqa: E402
from sphinx.application import Sphinx  # noqa: E402
from sphinx.util.docutils import docutils_namespace, patch_docutils  # noqa: E402

from sphinx_excerpt import parser  # noqa: E402

WITH = (list(parser.DIALECT_PLUGINS), parser.EXCERPT_SYNTAX)
WITHOUT: tuple[list, frozenset[str]] = ([], frozenset({"attrs_inline"}))
DIALECT_PARAGRAPH = (
    "\n\nThe beam^[A note on the beam.] turned in $T = 30$ s, H~2~O and 2^10^ and "
    "~~oil~~ paraffin, [small caps]{.smallcaps}.\n\nTerm\n:   A definition.\n"
)


def use(setting: tuple[list, frozenset[str]]) -> None:
    """Switch the dialect's plugins on or off for the next parse or build."""
    parser.DIALECT_PLUGINS[:] = setting[0]
    parser.EXCERPT_SYNTAX = setting[1]


def parse_time(texts: list[str], loops: int = 5) -> float:
    """The best of ``loops`` parses of ``texts``: the least disturbed by other processes."""
    config = parser.excerpt_config(MdParserConfig())
    best = float("inf")
    for _ in range(loops):
        start = time.perf_counter()
        for text in texts:
            md = create_md_parser(config, SphinxRenderer)
            for plugin in parser.DIALECT_PLUGINS:
                md.use(plugin)
            md.parse(text, {})
        best = min(best, time.perf_counter() - start)
    return best


def build_time(src: Path) -> float:
    out = src.parent / "_build"
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    with patch_docutils(src), docutils_namespace():
        app = Sphinx(
            str(src), str(src), str(out / "html"), str(out / "doctrees"), "html",
            status=io.StringIO(), warning=io.StringIO(), freshenv=True,
        )  # fmt: skip
        app.build()
    return time.perf_counter() - start


def seed_project(seed: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copytree(seed.parent / "files", dest / "files")
    shutil.copy(seed, dest / "index.md")
    (dest / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    return dest


def generated_project(pages: int, dest: Path) -> Path:
    write_project(dest, pages, ["sphinx_excerpt"])
    for page in dest.glob("page*.md"):
        page.write_text(page.read_text() + DIALECT_PARAGRAPH)
    return dest


def measure(name: str, src: Path, reps: int) -> None:
    texts = [p.read_text() for p in src.glob("*.md")]
    times: dict[str, dict[str, list[float]]] = {"parse": {}, "build": {}}
    for _ in range(reps):
        for label, setting in (("with", WITH), ("without", WITHOUT)):
            use(setting)
            times["parse"].setdefault(label, []).append(parse_time(texts))
            times["build"].setdefault(label, []).append(build_time(src))
    use(WITH)
    med = {k: {lab: min(v) for lab, v in d.items()} for k, d in times.items()}
    share = (med["parse"]["with"] - med["parse"]["without"]) / med["build"]["with"]
    print(f"## {name} ({len(texts)} pages, fastest of {reps})")
    for kind in ("parse", "build"):
        w, wo = med[kind]["with"], med[kind]["without"]
        print(f"{kind:6} with {w:8.3f} s  without {wo:8.3f} s  ratio {w / wo:.3f}")
    print(f"plugins' share of a clean build: {share:.2%}\n")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("seed", nargs="?", type=Path)
    args.add_argument("--pages", type=int, default=200)
    args.add_argument("--reps", type=int, default=5)
    options = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if options.seed:
            measure("seed page", seed_project(options.seed, Path(tmp) / "seed"), options.reps)
        generated = generated_project(options.pages, Path(tmp) / "generated")
        measure(f"{options.pages}-page project", generated, options.reps)


if __name__ == "__main__":
    main()
