"""Property-based: pages composed at random from the idioms build, and lose no word."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from conftest import ROOTS, run_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

IMG = "/files/images/harbour.png"
# words with characters that mean something to Markdown, HTML or LaTeX around them
word = st.from_regex(r"[a-z]{3,9}", fullmatch=True)
punct = st.sampled_from(["", ",", ".", " &", " %", " $", " #", " _", " ~", " {", "}", "—", "…"])


@st.composite
def text(draw: st.DrawFn, sentinels: list[str]) -> str:
    words = draw(st.lists(st.tuples(word, punct), min_size=2, max_size=12))
    sentinel = f"zq{len(sentinels)}x"
    sentinels.append(sentinel)
    out = [w + p for w, p in words]
    out.insert(draw(st.integers(0, len(out))), sentinel)
    return " ".join(out)


@st.composite
def page(draw: st.DrawFn) -> tuple[str, list[str]]:
    sentinels: list[str] = []
    blocks: list[str] = []
    notes: list[int] = []
    n_figure = 0
    for kind in draw(st.lists(st.sampled_from(IDIOMS), min_size=1, max_size=8)):
        t = draw(text(sentinels))
        if kind == "paragraph":
            blocks.append(t)
        elif kind == "section":
            blocks.append(f"## {t}")
        elif kind == "well":
            blocks.append(f'<div class="well">\n{t} <em>{draw(text(sentinels))}</em>\n</div>')
        elif kind == "float":
            side = draw(st.sampled_from(["right", "left"]))
            blocks.append(f'![alt]({IMG} "{t}"){{.pull-{side}}}')
        elif kind == "figure":
            n_figure += 1
            blocks.append(f"![chart]({IMG})\n\n*Figure {n_figure}*. {t}  \nSource: archive.")
        elif kind == "footnote":
            number = len(notes) + 4
            notes.append(number)
            blocks.append(f"{t}[^{number}]")
        elif kind == "mention":
            blocks.append(f"{t} as Figure {draw(st.integers(1, 3))} shows.")
    blocks += [f"[^{n}]: Note {n}." for n in notes]
    header = "Title: A generated page\nDate: 2020-01-02\n\n"
    return header + "\n\n".join(blocks) + "\n", sentinels


IDIOMS = ["paragraph", "section", "well", "float", "figure", "footnote", "mention"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(page())
def test_random_pages_build_and_keep_every_word(generated):
    source, sentinels = generated
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOTS / "test-excerpt" / "files", src / "files")
        (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
        (src / "index.md").write_text(source, encoding="utf-8")
        html = run_build(src, "html")
        text = run_build(src, "text")
        latex = run_build(src, "latex")
        clean = re.sub(r"\x1b\[[0-9;]*m", "", html.warnings + text.warnings + latex.warnings)
        assert "Traceback" not in clean and "ERROR" not in clean
        page_html = html.read("index.html")
        page_text = text.read("index.txt")
        page_tex = next(latex.outdir.glob("*.tex")).read_text(encoding="utf-8")
        for sentinel in sentinels:
            assert sentinel in page_tex, (sentinel, source)
            assert sentinel in page_html, (sentinel, source)
            assert sentinel in page_text, (sentinel, source)
