"""Scaling of the raw-HTML converter on hostile pages, against plain MyST.

    .venv/bin/python scripts/bench_converter.py [--reps 3] [--case NAME ...]

Each case is one page whose size grows (footnotes, HTML blocks left unclosed, nested ``<div>``
elements). The page is built to HTML in a fresh process with ``extensions =
["sphinx_excerpt"]`` and with ``["myst_parser"]`` (plain MyST), the median of ``--reps``
runs each; and the seconds spent in the converter itself (``HtmlToNodes.apply``,
profiled in-process), which start-up does not blur. The builds' times are CPU seconds,
which the other processes of a shared machine do not lengthen. Printed per size: the
three times, the ratio of the builds, and the growth of the converter's time against the
smallest size divided by the growth of the size (1.00 is linear). The targets: growth at
most 1.2 (times linear) and the ratio to plain MyST at most 2.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HEADER = "Title: Scaling\nDate: 2020-01-01\n\n"


def footnotes(n: int) -> str:
    body = "".join(f"Sentence {i} with a note.[^{i}]\n\n" for i in range(1, n + 1))
    return HEADER + body + "".join(f"[^{i}]: Note {i}.\n" for i in range(1, n + 1))


def unclosed_divs(n: int) -> str:
    return HEADER + "".join(f'<div class="box">\n\nParagraph {i}.\n\n' for i in range(n))


def nested_divs(n: int) -> str:
    return HEADER + "<div>" * n + "deep" + "</div>" * n + "\n\nAfter.\n"


CASES: dict[str, tuple[Callable[[int], str], list[int]]] = {
    "footnotes": (footnotes, [1000, 2500, 5000, 10000]),
    "unclosed divs": (unclosed_divs, [100, 200, 400, 800, 1600]),
    "nested divs": (nested_divs, [625, 1250, 2500, 5000]),
}


def build_seconds(text: str, extensions: list[str], workdir: Path) -> float:
    """CPU seconds (user + system) of ``sphinx-build -b html`` of a one-page project.

    CPU time, not wall time: on a shared machine the other processes lengthen a build's
    wall time, not the work it does."""
    src = Path(tempfile.mkdtemp(dir=workdir))
    (src / "conf.py").write_text(
        f"extensions = {extensions!r}\nmyst_enable_extensions = ['attrs_inline']\n"
    )
    (src / "index.md").write_text(text, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(src), str(src / "_out")],
        check=True,
        capture_output=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def converter_seconds(text: str, workdir: Path) -> float:
    """Seconds in ``HtmlToNodes.apply`` while one page is built, in this process.

    The garbage collector is off while profiling: its pauses grow with everything the
    process holds (the earlier sizes' builds too), and fall in whichever function
    happens to allocate when they come (the build times include them)."""
    from sphinx.application import Sphinx

    src = Path(tempfile.mkdtemp(dir=workdir))
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    (src / "index.md").write_text(text, encoding="utf-8")
    out = src / "_out"
    app = Sphinx(src, src, out, out / ".doctrees", "html", status=io.StringIO(),
                 warning=io.StringIO(), freshenv=True)  # fmt: skip
    profile = cProfile.Profile()
    gc.collect()
    gc.disable()
    try:
        profile.runcall(app.build)
    finally:
        gc.enable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    return sum(
        row[3]
        for (path, _, name), row in stats.items()
        if name == "apply" and path.endswith("sphinx_excerpt/html.py")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--case", nargs="*", choices=list(CASES), default=list(CASES))
    parser.add_argument("--converter-only", action="store_true", help="skip the builds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.case:
            make, sizes = CASES[name]
            print(
                f"\n{name}\n{'size':>7} {'ours s':>8} {'MyST s':>8} {'ratio':>6}"
                f" {'conv. s':>8} {'growth':>7}"
            )
            first: tuple[int, float] | None = None
            for size in sizes:
                text = make(size)
                ours = plain = float("nan")
                if not args.converter_only:
                    ours = statistics.median(
                        build_seconds(text, ["sphinx_excerpt"], Path(tmp)) for _ in range(args.reps)
                    )
                    plain = statistics.median(
                        build_seconds(text, ["myst_parser"], Path(tmp)) for _ in range(args.reps)
                    )
                converter = statistics.median(
                    converter_seconds(text, Path(tmp)) for _ in range(args.reps)
                )
                first = first or (size, converter)
                growth = (converter / first[1]) / (size / first[0])
                print(
                    f"{size:>7} {ours:>8.2f} {plain:>8.2f} {ours / plain:>6.2f}"
                    f" {converter:>8.3f} {growth:>7.2f}"
                )


if __name__ == "__main__":
    main()
