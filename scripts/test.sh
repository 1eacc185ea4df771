#!/usr/bin/env bash
# Install everything the tests need (system tools, .venv with the test extras) and run the
# whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
bash scripts/venv.sh test,themes,lint
exec .venv/bin/python -m pytest -ra "$@"
