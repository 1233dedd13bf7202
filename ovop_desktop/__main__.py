"""`ovop-desktop` / `python -m ovop_desktop`: start the GUI."""

from __future__ import annotations

import sys


def main() -> int:
    from ovop_desktop.app import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
