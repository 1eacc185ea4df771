"""The extension's share of a clean HTML build, sampled by the kernel (Linux ``perf``).

    python3.12 scripts/perf_share.py [--pages 300] [--python PYTHON] [--frequency 999]

cProfile charges each function call the same fixed cost, so code made of many small calls
(the fail-soft guard, the dialect's rule wrappers) looks dearer than it is; a thread that
samples the main thread's frame can only look when the main thread lets go of the GIL,
which it does at some bytecodes more than at others. This script asks the kernel instead:
``perf record`` samples the CPU at a fixed rate whatever the process is doing, and
CPython 3.12's ``-X perf`` names each Python function in the native stack. A sample is
the extension's when the innermost Python function on its stack is in ``sphinx_excerpt``
(time in C code, the garbage collector included, counts for the Python function that
called it, as in the other profiles).

``--python`` is an interpreter of CPython 3.12 or later with the project installed
(``-X perf`` is new in 3.12). The build runs twice in one process, a warm-up and the
measured one; only samples taken during the measured build count (``perf`` is told to
use the clock the script reads).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = "/sphinx_excerpt/"

#: What runs under ``perf``: a warm-up build, then the measured one between two readings
#: of the monotonic clock (the clock ``perf record -k mono`` stamps its samples with).
BUILD = """
import sys, tempfile, time
from pathlib import Path
from sphinx.cmd.build import build_main
source, window = sys.argv[1], Path(sys.argv[2])
work = Path(tempfile.mkdtemp())
build_main(["-b", "html", "-q", "-E", source, str(work / "warm-up")])
start = time.clock_gettime(time.CLOCK_MONOTONIC)
build_main(["-b", "html", "-q", "-E", source, str(work / "out")])
window.write_text(f"{start} {time.clock_gettime(time.CLOCK_MONOTONIC)}")
"""


def innermost_functions(
    script: str, start: float, end: float
) -> tuple[int, collections.Counter[str]]:
    """The samples between ``start`` and ``end`` in ``perf script`` output (time and
    symbols), and how many of them each innermost Python function (``file:function``) has."""
    total = 0
    functions: collections.Counter[str] = collections.Counter()
    for sample in script.split("\n\n"):
        lines = sample.strip().splitlines()
        if not lines or not start <= float(lines[0].strip().rstrip(":")) <= end:
            continue
        total += 1
        frame = next((line for line in lines[1:] if "py::" in line), None)
        if frame is not None:
            name, _, path = frame.split("py::", 1)[1].partition(":")
            functions[f"{path.split()[0]}:{name}"] += 1
    return total, functions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--frequency", type=int, default=999)
    args = parser.parse_args()
    if shutil.which("perf") is None:
        raise SystemExit("perf (linux-perf) is not installed")
    sys.path.insert(0, str(ROOT / "tests"))
    from pagegen import write_project

    work = Path(tempfile.mkdtemp())
    source = write_project(work / "pages", args.pages, ["sphinx_excerpt"])
    (work / "build.py").write_text(BUILD, encoding="utf-8")
    window, data = work / "window.txt", work / "perf.data"
    subprocess.run(
        ["perf", "record", "-q", "-k", "mono", "-F", str(args.frequency), "-e", "cpu-clock",
         "--call-graph", "dwarf,4096", "-o", str(data), "--",
         args.python, "-X", "perf", str(work / "build.py"), str(source), str(window)],
        check=True,
    )  # fmt: skip
    script = subprocess.run(
        ["perf", "script", "-F", "time,ip,sym", "-i", str(data)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    start, end = map(float, window.read_text().split())
    total, functions = innermost_functions(script, start, end)
    ours = {name: n for name, n in functions.items() if OURS in name}
    unnamed = total - sum(functions.values())
    print(f"{args.pages} pages, {total} samples in the measured build,", end=" ")
    print(f"{unnamed} with no Python frame")
    print(f"Share of the build in the extension's own code: {sum(ours.values()) / total:.2%}")
    by_file: collections.Counter[str] = collections.Counter()
    for name, n in ours.items():
        by_file[name.split(OURS, 1)[1].split(":")[0]] += n
    print("By file:")
    for name, n in by_file.most_common(12):
        print(f"  {n / total:6.2%}  {name}")
    print("By function (innermost):")
    for name, n in collections.Counter(ours).most_common(25):
        print(f"  {n / total:6.2%}  {name.split(OURS, 1)[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
