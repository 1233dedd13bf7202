#!/usr/bin/env bash
# Set up .venv with OVOP Desktop and its dependencies (idempotent; quick when done before).
#   scripts/bootstrap.sh            GUI + CLI
#   scripts/bootstrap.sh test       GUI + CLI + test tools
set -euo pipefail
cd "$(dirname "$0")/.."
extras="gui"
[[ "${1:-}" == "test" ]] && extras="gui,test"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "OVOP Desktop needs Python 3.11 or newer ($("$PYTHON" --version 2>&1) found)." >&2
    exit 1
fi
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"

# Qt needs a few system libraries (OpenGL/EGL, xkbcommon, fontconfig, a font).
# Debian/Ubuntu minimal images may lack them: install them when we can.
qt_ok() {
    QT_QPA_PLATFORM=offscreen .venv/bin/python - <<'PY' >/dev/null 2>&1
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("ok")
label.show()
assert not label.grab().isNull()
PY
}
if ! qt_ok; then
    packages="libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
    if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
        echo "Installing Qt's system libraries: $packages" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
    else
        echo "Qt cannot start. Install these system packages (as root): $packages" >&2
    fi
    qt_ok || { echo "Qt still cannot start; see the message above." >&2; exit 1; }
fi
