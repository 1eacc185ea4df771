"""The justhtml trial (issue 16): justhtml's HTML5 tokenizer in place of Python's.

Not part of the package. ``sphinx_excerpt.html.tokens`` is the one switch: every HTML
piece of a page goes through it (``TreeBuilder.feed_html`` and ``HtmlToNodes._events_of``
look it up in the module at call time), so replacing it swaps the tokenizer while the
tree builder, sanitising and converter stay ours.

    # the tests with justhtml's tokenizer
    PYTHONPATH=$PWD:$PWD/scripts python -m pytest -p justhtml_trial tests/test_html.py
    # the converter benchmark with it
    PYTHONPATH=$PWD:$PWD/scripts python scripts/justhtml_trial.py bench [--reps 5]
    # tokenizer / tree-building micro-benchmark on the corpus' HTML pieces
    PYTHONPATH=$PWD:$PWD/scripts python scripts/justhtml_trial.py micro

justhtml (MIT, pure Python) has no incremental tree builder: ``JustHTML(text)`` parses
a whole string. Our pieces of HTML come interleaved with Markdown nodes (``<div>``,
Markdown, ``</div>``), so only its tokenizer (``justhtml.stream``) can take our
tokenizer's place. ``stream`` gives no positions: a tag's line is found by looking for
the tag in the source from where the previous one was found.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from justhtml import stream

from sphinx_excerpt import html

TAG_AT = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")
COMMENT_END = ("-->", ">")


def justhtml_tokens(text: str, line: int) -> list[html.Event]:
    """:func:`sphinx_excerpt.html.tokens`, with justhtml's tokenizer."""
    cut = html._unclosed_comment(text)
    source = text if cut is None else text[:cut]
    events: list[html.Event] = []
    cursor = 0  # where the previous tag was found
    counted = 0  # newlines are counted up to here
    current = line
    for kind, value in stream(source):
        if kind == "text":
            events.append(("data", value))
        elif kind in ("start", "end"):
            name = value[0] if kind == "start" else value
            found = _find_tag(source, name, kind == "end", cursor)
            if found >= 0:
                current += source.count("\n", counted, found)
                counted = cursor = found + 1
            if kind == "start":
                attrs = [(key, val) for key, val in value[1].items()]
                events.append(("start", name, attrs, current))
            else:
                events.append(("end", name, current))
        elif kind == "comment":
            end = source.find("-->", cursor)
            if end >= 0:
                cursor = end + 3
    if cut is not None:
        at = line + text.count("\n", 0, cut)
        message = "unclosed HTML comment '<!--': what follows it is shown as text"
        events += [("problem", message, at), ("data", text[cut:])]
    return events


def _find_tag(source: str, name: str, closing: bool, start: int) -> int:
    for match in TAG_AT.finditer(source, start):
        if bool(match.group(1)) == closing and match.group(2).lower() == name:
            return match.start()
    return -1


STDLIB_TOKENS = html.tokens


def use(on: bool = True) -> None:
    """Switch the package's tokenizer to justhtml's (or back)."""
    html.tokens = justhtml_tokens if on else STDLIB_TOKENS


def pytest_configure(config: Any) -> None:
    """As a pytest plugin (``-p justhtml_trial``): the whole run uses justhtml."""
    use(True)


def micro(reps: int = 5) -> None:
    """Seconds to tokenize (and tree-build) every HTML piece of the corpus."""
    import glob
    import time

    from justhtml import JustHTML

    pieces: list[str] = []
    corpus = Path(__file__).resolve().parent.parent / "tests" / "corpus"
    for path in glob.glob(f"{corpus}/**/*.md", recursive=True):
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        # the page's HTML blocks, and the whole page (Markdown, with its HTML, as text)
        pieces += [*re.findall(r"(?ms)^<[a-zA-Z!/].*?(?:\n\n|\Z)", text), text]
    pieces *= 50  # a corpus of 50 such pages
    size = sum(map(len, pieces))
    print(f"{len(pieces)} HTML pieces, {size} characters")

    def ours_tree() -> None:
        for piece in pieces:
            builder = html.TreeBuilder(1)
            builder.feed_events(STDLIB_TOKENS(piece, 1))
            builder.finish()

    def just_tree() -> None:
        for piece in pieces:
            JustHTML(piece, fragment=True, sanitize=False, track_node_locations=True)

    runs = {
        "stdlib tokens": lambda: [STDLIB_TOKENS(p, 1) for p in pieces],
        "justhtml tokens": lambda: [justhtml_tokens(p, 1) for p in pieces],
        "ours: tokens + TreeBuilder": ours_tree,
        "justhtml: JustHTML(fragment, locations)": just_tree,
    }
    for name, run in runs.items():
        best = min(_timed(run, time.perf_counter) for _ in range(reps))
        print(f"{name:42} {best * 1000:8.1f} ms")


def share(pages: int = 100, interval: float = 0.0003) -> None:
    """The extension's share of a clean build (as ``sample_profile.py`` samples it), with
    time in justhtml counted as the extension's and also shown on its own."""
    import os

    scripts = Path(__file__).resolve().parent
    sys.path.insert(0, str(scripts))
    from sample_profile import OURS, sampled_build

    seconds, samples = sampled_build(pages, interval)
    theirs = f"site-packages{os.sep}justhtml{os.sep}"
    print(f"tokenizer {html.tokens.__name__}: {pages} pages, {seconds:.2f} CPU s")
    print(f"  sphinx_excerpt {samples.share(OURS):.2%}, justhtml {samples.share(theirs):.2%}")
    print(f"  own-code share (both): {samples.share(OURS, theirs):.2%}")


def _timed(run: Any, clock: Any) -> float:
    start = clock()
    run()
    return float(clock() - start)


if __name__ == "__main__":
    if sys.argv[1:2] == ["micro"]:
        micro()
    elif sys.argv[1:2] == ["share"]:
        use(sys.argv[2:3] != ["off"])
        share()
    elif sys.argv[1:2] == ["bench"]:
        use(True)
        sys.argv[1:2] = []
        import runpy

        sys.argv[0] = "scripts/bench_converter.py"
        runpy.run_path("scripts/bench_converter.py", run_name="__main__")
