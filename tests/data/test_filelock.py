"""A second GUI on one profile is refused, and a crashed GUI never leaves the profile locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ovop_desktop.filelock import FileLock
from ovop_desktop.paths import ProfilePaths

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ovop_desktop.filelock import FileLock
    lock = FileLock(Path(sys.argv[1]))
    print("held" if lock.try_acquire() else "refused", flush=True)
    time.sleep(60)
""")


@pytest.fixture
def lock_path(tmp_path: Path) -> Path:
    return ProfilePaths(tmp_path / "profile").gui_lock  # the folder does not exist yet


def _start_holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_lock_in_the_same_process_is_refused(lock_path: Path) -> None:
    first, second = FileLock(lock_path), FileLock(lock_path)
    assert first.try_acquire()
    assert first.try_acquire()  # re-entrant for its owner
    assert not second.try_acquire()
    assert not second.acquire(timeout_s=0.2)
    first.release()
    assert second.try_acquire()
    second.release()


def test_lock_file_names_the_holder(lock_path: Path) -> None:
    with FileLock(lock_path) as lock:
        assert lock.try_acquire()
        assert lock_path.read_text(encoding="utf-8") == str(os.getpid())


def test_context_manager_releases(lock_path: Path) -> None:
    with FileLock(lock_path) as lock:
        assert lock.try_acquire()
    other = FileLock(lock_path)
    assert other.try_acquire()
    other.release()


def test_lock_held_by_another_process_is_refused(lock_path: Path) -> None:
    proc = _start_holder(lock_path)
    try:
        assert not FileLock(lock_path).try_acquire()
    finally:
        proc.kill()
        proc.wait(10)


def test_lock_does_not_survive_a_crash(lock_path: Path) -> None:
    proc = _start_holder(lock_path)
    try:
        assert not FileLock(lock_path).try_acquire()
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
        assert lock_path.exists()  # the stale file stays, but it no longer locks anything
        lock = FileLock(lock_path)
        assert lock.try_acquire()
        lock.release()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_another_process_is_refused_while_we_hold_it(lock_path: Path) -> None:
    lock = FileLock(lock_path)
    assert lock.try_acquire()
    try:
        out = subprocess.run([sys.executable, "-c", HOLDER.replace("time.sleep(60)", ""),
                              str(lock_path)], capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == "refused"
    finally:
        lock.release()
