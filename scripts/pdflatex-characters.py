#!/usr/bin/env python3
"""Write ``sphinx_excerpt/data/pdflatex-characters.txt``: what pdflatex sets with Sphinx's set-up.

LaTeX's ``utf8`` input encoding knows a character when ``utf8.def`` itself or a
loaded font encoding's ``<enc>enc.dfu`` file declares it. Sphinx's pdflatex preamble
loads the kernel's OT1, OMS and TS1 and the T1 of its ``fontenc`` default, so those
files are the table (the extension adds what Sphinx's own ``texescape`` and ``utf8extra`` and the
extension's ``sphinxexcerpt.sty`` declare at build time). Run this after a TeX Live
upgrade; it needs ``kpsewhich``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ENCODINGS = ("ot1", "oms", "t1", "ts1")
OUT = Path(__file__).resolve().parent.parent / "sphinx_excerpt" / "data" / "pdflatex-characters.txt"


def declared(path: str) -> set[int]:
    text = Path(path).read_text(encoding="latin-1")
    return {int(h, 16) for h in re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-Fa-f]+)\}", text)}


def ranges(points: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for p in sorted(points):
        if out and out[-1][1] == p - 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def main() -> None:
    points = set(range(0x20, 0x7F))
    files = []
    for name in ("utf8.def", *(f"{enc}enc.dfu" for enc in ENCODINGS)):
        path = subprocess.run(
            ["kpsewhich", name], capture_output=True, text=True, check=True
        ).stdout.strip()
        files.append(path)
        points |= declared(path)
    version = subprocess.run(["tex", "--version"], capture_output=True, text=True).stdout
    lines = [
        "# Characters pdflatex sets with Sphinx's default preamble (utf8.def and the",
        f"# font encodings {', '.join(e.upper() for e in ENCODINGS)}), as code point ranges.",
        f"# Written by scripts/pdflatex-characters.py from {version.splitlines()[0]}.",
    ]
    lines += [f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in ranges(points)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(points)} characters")


if __name__ == "__main__":
    main()
