#!/usr/bin/env bash
# Build the showcase excerpt (docs/showcase) to HTML and PDF, installing what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
bash scripts/venv.sh
.venv/bin/sphinx-excerpt build docs/showcase/lighthouse-keepers.md -o demo-out -q
echo
echo "Open demo-out/html/lighthouse-keepers.html in a browser, and the PDF in demo-out/pdf/."
