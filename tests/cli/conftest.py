"""Run `ovop` in-process (fast) and check the contract: exit codes, one JSON document, one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ovop_desktop.cli.main import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)  # exactly one JSON document, nothing around it

    def assert_ok(self) -> Result:
        assert self.code == 0, (self.out, self.err)
        assert "Traceback" not in self.out + self.err
        return self

    def assert_refused(self) -> Result:
        """Bad input: non-zero exit, one line on stderr, no traceback anywhere."""
        assert self.code != 0, self.out
        assert self.err.endswith("\n") and self.err.count("\n") == 1, self.err
        assert self.err.strip()
        assert "Traceback" not in self.out + self.err
        return self


Run = Callable[..., Result]


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def ovop(capsys: pytest.CaptureFixture[str], profile_dir: Path) -> Run:
    """ovop(*args) runs `ovop --data-dir <profile_dir> *args`; data_dir=None uses OVOP_DATA_DIR."""

    def run(*args: str, data_dir: Path | None | str = "default") -> Result:
        argv = list(args)
        if data_dir == "default":
            argv = ["--data-dir", str(profile_dir), *argv]
        elif data_dir is not None:
            argv = ["--data-dir", str(data_dir), *argv]
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def demo(ovop: Run) -> Run:
    """`ovop` on a profile that `ovop demo --no-results` has filled (no assessors yet)."""
    ovop("demo", "--no-results").assert_ok()
    return ovop
