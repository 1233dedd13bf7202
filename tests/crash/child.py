"""The crash harness's child: run one operation and acknowledge what the app would call saved.

`python child.py OP SPEC_JSON` runs one operation (OP: scoring | export | import |
migration); `python child.py serve` is a fork server that imports everything once and then
forks one such child per request, so that a run costs the operation and not 1.5 s of
imports. The child prints "BEGIN <t>" when the operation starts (after the profile is open,
except for the migration, whose operation *is* the opening), one "ACK …" line the moment
the app would show a change as saved or imported — never earlier — and "DONE <t>" at the
end (t: time.monotonic(), one clock for every process on the machine). The parent SIGKILLs
it somewhere in between.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any


def say(line: str) -> None:
    sys.stdout.write(line + "\n")  # one short write: a line is never cut in two by the kill
    sys.stdout.flush()


def begin() -> None:
    say(f"BEGIN {time.monotonic():.6f}")


def done() -> None:
    say(f"DONE {time.monotonic():.6f}")


def scoring(spec: dict[str, Any]) -> None:
    """An assessor giving levels one after another; each is saved the moment it is given."""
    from ovop_desktop.services.workspace import Workspace

    with Workspace.open(Path(spec["profile"])) as ws:
        begin()
        for cid, criterion, level, note in spec["plan"]:
            ws.scoring.set_score(cid, criterion, level, note)
            say(f"ACK score {cid} {criterion} {level}")
        done()


def export(spec: dict[str, Any]) -> None:
    """An assessor writing signed bundles until `target` are on record (a re-run resumes)."""
    from ovop_desktop.services import identity
    from ovop_desktop.services.bundle_export import export_bundle, last_export_seq
    from ovop_desktop.services.workspace import Workspace

    with Workspace.open(Path(spec["profile"])) as ws:
        key = identity.unlock(ws.paths.keys, spec["passphrase"])
        me = identity.load_public(ws.paths.keys)
        assert me is not None
        begin()
        while (seq := last_export_seq(ws.store) + 1) <= spec["target"]:
            out = Path(spec["folder"]) / spec["name"].format(seq=seq)
            info = export_bundle(ws.store, ws.scoring, ws.profile.actor(), out, key, me)
            digest = hashlib.sha256(out.read_bytes()).hexdigest()
            say(f"ACK bundle {out.name} {digest} {info.seq} {info.manifest_sha256}")
        done()


def import_(spec: dict[str, Any]) -> None:
    """The coordinator importing a folder of bundles; the report comes when the call returns."""
    from ovop_desktop.services import bundles
    from ovop_desktop.services.workspace import Workspace

    bundles.BATCH = spec["batch"]  # so that a folder of 31 spans several commits
    with Workspace.open(Path(spec["profile"])) as ws:
        begin()
        outcomes = ws.bundles.import_files([Path(spec["folder"])])
        for o in outcomes:
            say(f"ACK import {o.file} {o.status.value}")
        done()


def migration(spec: dict[str, Any]) -> None:
    """Opening a profile written by an older version: backup, then the ladder's steps."""
    from ovop_desktop.services.workspace import Workspace

    begin()
    with Workspace.open(Path(spec["profile"])):
        say("ACK migrated")
    done()


OPS = {"scoring": scoring, "export": export, "import": import_, "migration": migration}


class Lines:
    """Lines from a file descriptor, with a timeout, never reading past what select saw."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer = fd, b""

    def readline(self, timeout: float | None) -> str | None:
        """A line; None on timeout; "" at end of file."""
        while b"\n" not in self.buffer:
            if not select.select([self.fd], [], [], timeout)[0]:
                return None
            chunk = os.read(self.fd, 4096)
            if not chunk:
                return ""
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()


def serve() -> None:
    """Fork one child per request line {"op", "spec", "out", "err"}; answer "PID <pid>", obey
    "KILL" (SIGKILL) while it runs, answer "EXIT <pid> <code>" once it has been reaped."""
    import ovop_desktop.services.bundle_export  # noqa: F401 - warm: the children inherit it
    import ovop_desktop.services.bundles  # noqa: F401
    import ovop_desktop.services.workspace  # noqa: F401

    requests = Lines(sys.stdin.fileno())
    while (line := requests.readline(None)) != "":
        if not line.startswith("{"):
            continue  # a KILL that came after its child had ended
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _forked(req)
        say(f"PID {pid}")
        while True:
            ended, status = os.waitpid(pid, os.WNOHANG)
            if ended:
                say(f"EXIT {pid} {os.waitstatus_to_exitcode(status)}")
                break
            if requests.readline(0.0005) == "KILL":
                os.kill(pid, signal.SIGKILL)


def _forked(req: dict[str, object]) -> None:
    code = 1
    try:
        out = os.open(str(req["out"]), os.O_WRONLY | os.O_APPEND)
        err = os.open(str(req["err"]), os.O_WRONLY | os.O_APPEND)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.close(out)
        os.close(err)
        # Fresh objects: the server's may hold a lock or buffered bytes from before the fork.
        sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        OPS[str(req["op"])](req["spec"])  # type: ignore[arg-type]
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    else:
        OPS[sys.argv[1]](json.loads(sys.argv[2]))
