#!/usr/bin/env bash
# Set up and run the whole test suite: lint, layer contracts, all tests (Qt offscreen),
# then the core's tests again in a second environment that has no PySide6 at all.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
bash scripts/bootstrap.sh test

echo "== ruff"
.venv/bin/ruff check ovop_desktop resources tests scripts bench fuzz
echo "== import contracts"
.venv/bin/lint-imports
echo "== tests"
.venv/bin/python -m pytest -q "$@"

echo "== core tests without PySide6"
[[ -x .venv-core/bin/python ]] || python3 -m venv .venv-core
.venv-core/bin/python -m pip install --quiet --disable-pip-version-check -e ".[core-test]"
if .venv-core/bin/python -c "import PySide6" 2>/dev/null; then
    .venv-core/bin/python -m pip uninstall --quiet -y PySide6-Essentials shiboken6 PySide6
fi
.venv-core/bin/python -m pytest -q -W ignore::pytest.PytestConfigWarning tests/domain tests/data tests/services tests/cli
