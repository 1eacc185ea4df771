"""The dialect corpus's parity with pandoc: pages at parity, mean recall and precision.

    .venv/bin/python scripts/parity.py

Builds tests/corpus/dialect/ as tests/test_oracle.py does and prints one line per page
that is not at parity, then the figure published in docs/quality.md.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from oracle import compare, pandoc_html  # noqa: E402
from test_oracle import PAGES, build_corpus  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pages = {page.stem: page.read_text(encoding="utf-8") for page in PAGES}
        built = build_corpus(Path(tmp) / "src", pages)
        results = {
            name: compare(built.read(f"{name}.html"), pandoc_html(text))
            for name, text in pages.items()
        }
    at_parity = [name for name, result in results.items() if result.at_parity()]
    for name, result in results.items():
        if name not in at_parity:
            first = result.explain().splitlines()
            print(f"{name}: {'; '.join(first[:3])[:300]}")
    recall = statistics.mean(r.recall for r in results.values())
    precision = statistics.mean(r.precision for r in results.values())
    print(
        f"\n{len(at_parity)}/{len(results)} pages at parity; "
        f"mean recall {recall:.4f}, mean precision {precision:.4f}"
    )


if __name__ == "__main__":
    main()
