"""What the dialect's block plugins cost: builds with and without them, as ratios.

    .venv/bin/python scripts/benchmark_dialect.py [--pages 200] [--reps 5] [--seed-page FILE]

Builds, to HTML and in alternating runs, a project of generated excerpt pages
(tests/pagegen.py) and a project of one reference page (``--seed-page``, with its
``files/`` folder beside it), each with the extension as it is and with the extension
without the block plugins of :mod:`sphinx_excerpt.dialect` (its ``conf.py`` takes them
out of ``DIALECT_PLUGINS``). Reports the median ratio of clean-build CPU times, and the
parse alone (markdown-it on every generated page, in this process) with and without
the plugins, in CPU time per page; and the share of a clean build's own time (cProfile)
spent in the dialect's modules.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from pagegen import excerpt_page, write_project  # noqa: E402

WITHOUT = """
import sphinx_excerpt.parser as _parser
from sphinx_excerpt.dialect import BLOCK_PLUGINS as _blocks
_parser.DIALECT_PLUGINS[:] = [p for p in _parser.DIALECT_PLUGINS if p not in _blocks]
"""


def build_seconds(src: Path, out: Path) -> float:
    """The CPU seconds (user + system) of a clean HTML build: on a shared machine, wall
    time measures the neighbours more than the build."""
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the build of {src} failed")
    return usage.ru_utime + usage.ru_stime


def twin(src: Path) -> Path:
    """A copy of the project whose conf.py takes the block plugins out."""
    other = src.with_name(src.name + "-without")
    shutil.copytree(src, other)
    with (other / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(WITHOUT)
    return other


def seed_project(work: Path, page: Path) -> Path:
    src = work / "seed"
    src.mkdir()
    shutil.copy(page, src / "index.md")
    if (page.parent / "files").is_dir():
        shutil.copytree(page.parent / "files", src / "files")
    (src / "conf.py").write_text("extensions = ['sphinx_excerpt']\n", encoding="utf-8")
    return src


def parse_ms_per_page(pages: list[str], plugins: bool, reps: int) -> float:
    """The median time markdown-it takes to parse one page (tokens only)."""
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
    from myst_parser.parsers.mdit import create_md_parser

    from sphinx_excerpt.dialect import BLOCK_PLUGINS
    from sphinx_excerpt.parser import EXCERPT_SYNTAX

    config = MdParserConfig(enable_extensions=set(EXCERPT_SYNTAX))
    runs = []
    for _ in range(reps):
        start = time.process_time()
        for text in pages:
            md = create_md_parser(config, SphinxRenderer)
            for plugin in BLOCK_PLUGINS if plugins else ():
                md.use(plugin)
            md.parse(text)
        runs.append((time.process_time() - start) / len(pages) * 1000)
    return statistics.median(runs)


def own_shares(work: Path, pages: int) -> tuple[float, float]:
    """The shares of a clean in-process build (cProfile, own time, the collector off)
    spent in the dialect's modules and in all of sphinx_excerpt's."""
    from benchmark import profiled_build

    src = write_project(work / "profile", pages, ["sphinx_excerpt"])
    stats = profiled_build(src, work / "out-profile")
    total = stats.total_tt  # type: ignore[attr-defined]
    package = f"{os.sep}sphinx_excerpt{os.sep}"
    dialect = f"{package}dialect{os.sep}"
    own = {"dialect": 0.0, "all": 0.0}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if package in filename:
            own["all"] += tottime
            if dialect in filename:
                own["dialect"] += tottime
    return own["dialect"] / total, own["all"] / total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed-page", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        projects = {"generated": write_project(work / "generated", args.pages, ["sphinx_excerpt"])}
        if args.seed_page is not None:
            projects["seed page"] = seed_project(work, args.seed_page)
        pairs: dict[str, list[tuple[float, float]]] = {name: [] for name in projects}
        twins = {name: twin(src) for name, src in projects.items()}
        for _ in range(args.reps):
            for name, src in projects.items():
                with_plugins = build_seconds(src, work / f"out-{name}")
                without = build_seconds(twins[name], work / f"out-{name}-without")
                pairs[name].append((with_plugins, without))
        shares = own_shares(work, args.pages)
        texts = [excerpt_page(i) for i in range(args.pages)]
        parse_with = parse_ms_per_page(texts, True, args.reps)
        parse_without = parse_ms_per_page(texts, False, args.reps)
    print("| project | with (CPU s) | without (CPU s) | ratio |")
    print("|---|---:|---:|---:|")
    for name, runs in pairs.items():
        ratio = statistics.median(a / b for a, b in runs)
        with_s = statistics.median(a for a, _ in runs)
        without_s = statistics.median(b for _, b in runs)
        print(f"| {name} | {with_s:.2f} | {without_s:.2f} | {ratio:.3f} |")
    print(
        f"\nparse per generated page: {parse_with:.2f} ms with the block plugins, "
        f"{parse_without:.2f} ms without ({parse_with / parse_without:.3f})"
    )
    print(
        f"own time in a clean {args.pages}-page build (cProfile): the dialect's modules "
        f"{shares[0]:.2%}, all of sphinx_excerpt {shares[1]:.2%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
