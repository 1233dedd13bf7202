#!/usr/bin/env bash
# Set up and start OVOP Desktop. Without OVOP_DATA_DIR/--data-dir it opens a demo
# profile in .demo-profile/ (built on first start), so your real profile stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export OVOP_DATA_DIR="${OVOP_DATA_DIR:-$PWD/.demo-profile}"
echo "Data folder: $OVOP_DATA_DIR" >&2
exec .venv/bin/ovop-desktop --demo-if-empty "$@"
