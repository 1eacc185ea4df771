"""Benchmark sphinx-excerpt against plain MyST on the same generated pages.

    .venv/bin/python scripts/benchmark.py [--sizes 100 500 1000] [--reps 3] [--rebuilds 3]
        [--out FILE.md]

For each size it generates projects of excerpt pages (tests/pagegen.py: header, well,
floats, numbered figures, a table, footnotes, mentions): one with
``extensions = ["sphinx_excerpt"]``, and three with ``["myst_parser"]`` (and the same
``attrs_inline`` syntax): **plain**, the same sources; **native**, the same with a MyST
``#`` title instead of the header; **rich**, the same parts written with MyST's own
syntax, so that plain MyST builds pages as rich as the extension's. It builds them to
HTML in alternating runs (each repetition goes through every size and every project in
turn, so that a machine whose speed drifts tilts no figure) and reports, against each,
median ratios for a clean build, for an incremental rebuild after editing one page, and
for peak memory; the nodes per page of each; ``-j 2`` against ``-j 1``; the per-page
cost at the largest size against the smallest; the share of a clean build spent in the
extension's own code (cProfile); and ``latexpdf`` of the showcase page with and without
the extension, with the number of LaTeX passes each needed.
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import gc
import os
import pickle
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from pagegen import write_project  # noqa: E402

EXT, PLAIN = ["sphinx_excerpt"], ["myst_parser"]


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak memory (KiB) of the process, and its output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out[-3000:]}")
    return elapsed, usage.ru_maxrss, out


def sphinx_html(src: Path, out: Path, *extra: str) -> tuple[float, int, str]:
    return timed([sys.executable, "-m", "sphinx", "-b", "html", "-q", *extra, str(src), str(out)])


def median_ratio(pairs: list[tuple[float, float]]) -> float:
    return statistics.median(a / b for a, b in pairs)


def edit_one_page(src: Path) -> None:
    page = src / "page0001.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")


#: The projects compared (tests/pagegen.py FORMS): the extension on Pelican pages; plain
#: MyST on the same pages; plain MyST on them with a "#" title instead of the header;
#: plain MyST on the same parts written with MyST's own syntax (figure and table
#: directives, a container for the well), pages as rich as the extension makes them.
VARIANTS = {
    "ext": (EXT, "pelican"),
    "plain": (PLAIN, "pelican"),
    "native": (PLAIN, "native"),
    "rich": (PLAIN, "rich"),
}
BASES = ("plain", "native", "rich")


def nodes_per_page(out: Path) -> float:
    """The mean number of nodes in the pages' doctrees (the index left out)."""
    counts = []
    for path in (out / ".doctrees").glob("page*.doctree"):
        with path.open("rb") as f:
            counts.append(sum(1 for _ in pickle.load(f).findall()))
    return statistics.mean(counts)


PARALLEL = ("ext", "plain")  # the projects also built with -j 2


def runs_of(names: Iterable[str]) -> dict[str, list[float]]:
    return {name: [] for name in names}


@dataclass
class Size:
    """The runs of one project size, each a list per variant (in run order)."""

    pages: int
    srcs: dict[str, Path]
    clean: dict[str, list[float]] = field(default_factory=lambda: runs_of(VARIANTS))
    memory: dict[str, list[float]] = field(default_factory=lambda: runs_of(VARIANTS))
    incremental: dict[str, list[float]] = field(default_factory=lambda: runs_of(VARIANTS))
    parallel: dict[str, list[float]] = field(default_factory=lambda: runs_of(PARALLEL))


def one_round(work: Path, size: Size, rebuilds: int) -> None:
    """One clean build of each variant in turn, then ``rebuilds`` one-page rebuilds of
    each in turn, then ``-j 2`` builds: alternating, so drift hits every variant alike."""
    for name in VARIANTS:
        out = work / f"out-{name}-{size.pages}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak, _ = sphinx_html(size.srcs[name], out, "-E")
        size.clean[name].append(seconds)
        size.memory[name].append(float(peak))
    for _ in range(rebuilds):
        for name in VARIANTS:
            edit_one_page(size.srcs[name])
            out = work / f"out-{name}-{size.pages}"
            size.incremental[name].append(sphinx_html(size.srcs[name], out)[0])
    if size.pages > 1:
        for name in PARALLEL:
            out = work / f"out-j2-{name}-{size.pages}"
            shutil.rmtree(out, ignore_errors=True)
            size.parallel[name].append(sphinx_html(size.srcs[name], out, "-E", "-j", "2")[0])


def summary(work: Path, size: Size) -> dict[str, float]:
    def ratio(series: dict[str, list[float]], a: str, b: str) -> float:
        return median_ratio(list(zip(series[a], series[b], strict=True)))

    row: dict[str, float] = {"pages": size.pages}
    for name in VARIANTS:
        row[f"clean_{name}"] = statistics.median(size.clean[name])
        row[f"nodes_{name}"] = nodes_per_page(work / f"out-{name}-{size.pages}")
    for base in BASES:
        row[f"clean_ratio_{base}"] = ratio(size.clean, "ext", base)
        row[f"incremental_ratio_{base}"] = ratio(size.incremental, "ext", base)
        row[f"memory_ratio_{base}"] = ratio(size.memory, "ext", base)
    for name in PARALLEL:
        row[f"j2_ratio_{name}"] = median_ratio(
            list(zip(size.parallel[name], size.clean[name], strict=True))
        )
    row["rebuild_pairs"] = len(size.incremental["ext"])
    return row


def bench(work: Path, sizes: list[int], reps: int, rebuilds: int) -> tuple[Size, list[Size]]:
    """Every size in every repetition (1 page, 100, 500, 1000, 1, 100 …), so that a
    machine whose speed drifts during the run does not tilt the per-page growth."""
    projects = [
        Size(
            pages,
            {
                name: write_project(work / f"{name}-{pages}", pages, ext, form=form)
                for name, (ext, form) in VARIANTS.items()
            },
        )
        for pages in [1, *sorted(sizes)]
    ]
    for _ in range(reps):
        for size in projects:
            one_round(work, size, rebuilds if size.pages > 1 else 0)
    return projects[0], projects[1:]


def profiled_build(src: Path, out: Path) -> pstats.Stats:
    """The profile of a clean in-process HTML build of ``src``, the collector off."""
    from sphinx.cmd.build import build_main

    profiler = cProfile.Profile()
    gc.collect()
    gc.disable()
    try:
        profiler.enable()
        build_main(["-b", "html", "-q", "-E", str(src), str(out)])
        profiler.disable()
    finally:
        gc.enable()
    return pstats.Stats(profiler)


def own_code_share(work: Path, pages: int) -> tuple[float, list[tuple[str, float]]]:
    """Share of a clean in-process build spent in sphinx_excerpt's own functions.

    The garbage collector is off while profiling: its pauses fall in whichever function
    happens to allocate when they come, so they would be counted against that function
    (the clean-build ratios include them).
    """
    src = write_project(work / f"profile-{pages}", pages, EXT)
    stats = profiled_build(src, work / "out-profile")
    total = stats.total_tt  # type: ignore[attr-defined]
    own: dict[str, float] = {}
    for (filename, _, func), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if f"{os.sep}sphinx_excerpt{os.sep}" in filename:
            key = f"{Path(filename).name}:{func}"
            own[key] = own.get(key, 0.0) + tottime
    hot = sorted(own.items(), key=lambda kv: -kv[1])[:8]
    return sum(own.values()) / total, hot


def latexpdf(work: Path, reps: int) -> dict[str, float]:
    page = ROOT / "docs" / "showcase" / "lighthouse-keepers.md"
    results: dict[str, list[float]] = {"ext": [], "plain": []}
    passes: dict[str, int] = {}
    srcs = {}
    for name, ext in (("ext", EXT), ("plain", PLAIN)):
        src = work / f"pdf-{name}"
        shutil.copytree(page.parent, src, dirs_exist_ok=True)
        (src / "conf.py").write_text(
            f"project = 'Showcase'\nextensions = {ext!r}\nroot_doc = 'lighthouse-keepers'\n"
            "myst_enable_extensions = ['attrs_inline']\n"
        )
        srcs[name] = src
    for _ in range(reps):
        for name in ("ext", "plain"):
            out = work / f"out-pdf-{name}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(srcs[name]), str(out)]
            seconds, _, text = timed(cmd)
            results[name].append(seconds)
            passes[name] = len(re.findall(r"Run number \d+ of rule '(?:pdf|xe|lua)latex'", text))
    return {
        "latexpdf_ext": statistics.median(results["ext"]),
        "latexpdf_plain": statistics.median(results["plain"]),
        "latexpdf_ratio": median_ratio(list(zip(results["ext"], results["plain"], strict=True))),
        "passes_ext": passes["ext"],
        "passes_plain": passes["plain"],
    }


def report(
    rows: list[dict[str, float]],
    base: dict[str, float],
    share: float,
    hot: list[tuple[str, float]],
    pdf: dict[str, float] | None,
) -> str:
    first, last = rows[0], rows[-1]

    def per_page(name: str, row: dict[str, float]) -> float:
        return (row[f"clean_{name}"] - base[name]) / row["pages"]

    growth = {name: per_page(name, last) / per_page(name, first) for name in VARIANTS}
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "",
        "Clean builds, medians of alternating runs (seconds), and nodes per page:",
        "",
        "| pages | extension | plain | native | rich | nodes: extension | plain | native | rich |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        times = " | ".join(f"{r[f'clean_{n}']:.2f}" for n in VARIANTS)
        counts = " | ".join(f"{r[f'nodes_{n}']:.0f}" for n in VARIANTS)
        lines.append(f"| {r['pages']:.0f} | {times} | {counts} |")
    lines += [
        "",
        f"The extension over plain MyST (ratios pair by pair, medians; "
        f"{rows[0]['rebuild_pairs']:.0f} pairs of one-page rebuilds per size):",
        "",
        "| pages | base | clean build | one-page rebuild | peak memory |",
        "|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        for b in BASES:
            lines.append(
                f"| {r['pages']:.0f} | {b} | {r[f'clean_ratio_{b}']:.3f} "
                f"| {r[f'incremental_ratio_{b}']:.3f} | {r[f'memory_ratio_{b}']:.3f} |"
            )
    lines += [
        "",
        "`-j 2` over `-j 1`: "
        + ", ".join(
            f"{r['pages']:.0f} pages {r['j2_ratio_ext']:.3f} (extension), "
            f"{r['j2_ratio_plain']:.3f} (plain)"
            for r in rows
        )
        + ".",
        f"Per-page cost of the extension (clean build less a one-page build of "
        f"{base['ext']:.2f} s): {per_page('ext', first) * 1000:.1f} ms at "
        f"{first['pages']:.0f} pages, {per_page('ext', last) * 1000:.1f} ms at "
        f"{last['pages']:.0f} pages (ratio {growth['ext']:.3f}; the same ratio for "
        + ", ".join(f"{name} {growth[name]:.3f}" for name in BASES)
        + ").",
        f"Share of a clean build in the extension's own code: {share:.2%}. Hot spots: "
        + ", ".join(f"{name} {secs:.3f} s" for name, secs in hot[:5]),
    ]
    if pdf:
        lines.append(
            f"latexpdf of the showcase page: {pdf['latexpdf_ext']:.2f} s with the extension, "
            f"{pdf['latexpdf_plain']:.2f} s plain (ratio {pdf['latexpdf_ratio']:.3f}); "
            f"LaTeX passes: {pdf['passes_ext']} with, {pdf['passes_plain']} plain."
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--rebuilds", type=int, default=3, help="one-page rebuilds of each project per rep"
    )
    parser.add_argument("--profile-pages", type=int, default=500)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    # Byte-compiled as an installed wheel is, like Sphinx and MyST: an editable install
    # under PYTHONDONTWRITEBYTECODE would otherwise compile the extension in every run.
    import sphinx_excerpt

    compileall.compile_dir(Path(sphinx_excerpt.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="excerpt-bench-") as tmp:
        work = Path(tmp)
        one_page, sizes = bench(work, args.sizes, args.reps, args.rebuilds)
        base = {name: statistics.median(runs) for name, runs in one_page.clean.items()}
        rows = [summary(work, size) for size in sizes]
        share, hot = own_code_share(work, args.profile_pages)
        pdf = None if args.no_pdf or not shutil.which("latexmk") else latexpdf(work, args.reps)
    text = report(rows, base, share, hot, pdf)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
