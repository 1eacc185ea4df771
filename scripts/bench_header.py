"""Benchmark: one header line of 1 KB to 1 MB, read by the extension and built against plain MyST.

Each case is one page whose header has one huge line: a ``Title``, a ``Summary``, or a
title whose two words are separated by a long run of blanks (the input the old header
patterns read in quadratic time). Two figures for each size:

- the extension's reading of the header (splitting the lines, the header's patterns, the
  title's text), best of ``--reps`` runs, in nanoseconds per character: linear reading
  keeps this flat, and the growth over the smallest size is ``t(n) / t(small)`` against
  ``n / small``;
- a whole build (``sphinx-build -E -b html`` in this process, Sphinx's start-up left
  out), median of ``--reps`` runs, with ``extensions = ["sphinx_excerpt"]`` and with
  ``extensions = ["myst_parser"]`` on the same page.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from sphinx_excerpt.metadata import parse_header, source_lines
from sphinx_excerpt.title import parse_title

SIZES = [1_000, 10_000, 100_000, 1_000_000]
CASES = {
    "title": lambda n: "Title: " + ("word " * (n // 5)).strip() + "\n\nBody.\n",
    "summary": lambda n: "Title: T\nSummary: " + ("word " * (n // 5)).strip() + "\n\nBody.\n",
    "blanks": lambda n: "Title: a" + " " * n + "b\n\nBody.\n",
}
CONF = {
    "excerpt": 'extensions = ["sphinx_excerpt"]\n',
    "myst": 'extensions = ["myst_parser"]\n',
}


def build_time(src: Path) -> float:
    out = src.parent / f"_build-{src.name}"
    with patch_docutils(src), docutils_namespace():
        app = Sphinx(
            str(src), str(src), str(out), str(out / ".doctrees"), "html",
            status=io.StringIO(), warning=io.StringIO(), freshenv=True,
        )  # fmt: skip
        start = time.perf_counter()
        app.build()
        return time.perf_counter() - start


def reading_time(text: str, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        header = parse_header(source_lines(text))
        assert header is not None
        parse_title(header.value("title") or "")
        best = min(best, time.perf_counter() - start)
    return best


def project(work: Path, name: str, conf: str, source: str) -> Path:
    src = work / name
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.md").write_text(source, encoding="utf-8")
    return src


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    args = parser.parse_args()
    small = args.sizes[0]
    builds: dict[tuple[str, str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for _ in range(args.reps):  # every repetition goes through every case in turn
            for case, make in CASES.items():
                for size in args.sizes:
                    for variant, conf in CONF.items():
                        src = project(work, f"{case}-{size}-{variant}", conf, make(size))
                        builds.setdefault((case, variant, size), []).append(build_time(src))
    print(
        "| case | size | header read, ns/char | growth / linear "
        "| build s | plain MyST s | build / MyST |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for case, make in CASES.items():
        reading = {size: reading_time(make(size), args.reps * 7) for size in args.sizes}
        for size in args.sizes:
            mine = statistics.median(builds[(case, "excerpt", size)])
            plain = statistics.median(builds[(case, "myst", size)])
            growth = reading[size] / reading[small] / (size / small)
            print(
                f"| {case} | {size // 1000} KB | {reading[size] / size * 1e9:.1f} | "
                f"{growth:.2f} | {mine:.2f} | {plain:.2f} | {mine / plain:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
