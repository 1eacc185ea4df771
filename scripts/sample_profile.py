"""The extension's share of a clean HTML build, by sampling instead of by cProfile.

    .venv/bin/python scripts/sample_profile.py [--pages 100] [--interval 0.0003]

cProfile charges every function call the same, so code made of many small calls looks
dearer than it is. This script builds the benchmark's generated pages in this process
(after one warm-up build) while a thread looks at the main thread's innermost frame
every ``--interval`` seconds: a sample is the extension's when that frame is in
``sphinx_excerpt`` (time in C functions counts for the Python function that called them).
It prints the share, and the samples by the extension's outermost function on the
stack (the step that was running) and by the innermost one.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from pagegen import write_project  # noqa: E402

OURS = f"{os.sep}sphinx_excerpt{os.sep}"


def _name(frame: FrameType) -> str:
    return f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}"


def _step(frame: FrameType) -> str:
    """The extension's outermost function on the stack (the guard's wrappers aside)."""
    outer, current = frame, frame.f_back
    while current is not None:
        path = current.f_code.co_filename
        if OURS in path and not path.endswith("guard.py"):
            outer = current
        current = current.f_back
    return _name(outer)


@dataclass
class Samples:
    """Where a sampled build was: the innermost frame of each sample (file, function),
    and for the extension's samples, the step that was running."""

    total: int = 0
    frames: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)
    steps: collections.Counter[str] = field(default_factory=collections.Counter)

    def share(self, *folders: str) -> float:
        """The share of the samples in files under any of ``folders`` (path parts)."""
        found = sum(n for (path, _), n in self.frames.items() if any(f in path for f in folders))
        return found / max(self.total, 1)


def sampled_build(pages: int, interval: float) -> tuple[float, Samples]:
    """A clean in-process HTML build of ``pages`` generated pages (after a warm-up
    build), sampled every ``interval`` seconds; its CPU seconds and the samples."""
    from sphinx.cmd.build import build_main

    work = Path(tempfile.mkdtemp())
    src = write_project(work / "pages", pages, ["sphinx_excerpt"])
    build_main(["-b", "html", "-q", "-E", str(src), str(work / "warm-up")])
    samples = Samples()
    main_thread = threading.main_thread().ident or 0
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            frame = sys._current_frames().get(main_thread)
            if frame is not None:
                samples.total += 1
                samples.frames[frame.f_code.co_filename, frame.f_code.co_name] += 1
                if OURS in frame.f_code.co_filename:
                    samples.steps[_step(frame)] += 1
            time.sleep(interval)

    sys.setswitchinterval(interval / 2)  # let the sampler in often enough
    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.process_time()
    build_main(["-b", "html", "-q", "-E", str(src), str(work / "out")])
    seconds = time.process_time() - start
    done.set()
    sampler.join()
    return seconds, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.0003)
    args = parser.parse_args()
    seconds, samples = sampled_build(args.pages, args.interval)
    total = max(samples.total, 1)
    inner: collections.Counter[str] = collections.Counter()
    for (path, name), count in samples.frames.items():
        if OURS in path:
            inner[f"{Path(path).name}:{name}"] += count
    print(f"{args.pages} pages, {seconds:.2f} CPU s, {samples.total} samples")
    print(f"Share of the build in the extension's own code: {samples.share(OURS):.2%}")
    print("By step (outermost function of the extension):")
    for name, count in samples.steps.most_common(15):
        print(f"  {count / total:6.2%}  {name}")
    print("By function (innermost):")
    for name, count in inner.most_common(15):
        print(f"  {count / total:6.2%}  {name}")


if __name__ == "__main__":
    main()
