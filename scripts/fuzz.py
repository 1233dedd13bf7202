"""Fuzz the readers of untrusted input for a while each; print executions, coverage, crashes.

    .venv/bin/python scripts/fuzz.py --target all --seconds 600 [--jobs 2]
    .venv/bin/python scripts/fuzz.py --target bundle --seconds 60 --driver python

One subprocess per target (fuzz/fuzz_target.py TARGET). With atheris installed
(`.venv/bin/pip install --only-binary=:all: atheris` takes 3.0.0, the newest with a
wheel for CPython 3.11; building from source needs clang; not a dependency of the
project) a target runs under libFuzzer with coverage guidance and fuzzkit's
structure-aware mutations, `-max_total_time` seconds, restarted after a crash until
the time is spent; without it, under fuzz/fuzzkit.py's pure-Python driver (seeded
mutations; lines of ovop_desktop reached serve as guidance).
Work corpora and crashing inputs go to build/fuzz/<target>/. A crash worth keeping
goes to fuzz/regressions/<target>-<what>.bin, replayed by tests/fuzz. Exit status
1 when anything crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
sys.path.insert(0, str(FUZZ))
import fuzzkit  # noqa: E402

_LIBFUZZER_STATUS = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)", re.M)
_LIBFUZZER_DONE = re.compile(r"^Done (\d+) runs in (\d+) second", re.M)
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_EXCEPTION = re.compile(r"^(\w+(?:Error|Exception|Broken|Exit)\b.*)$", re.M)
MAX_RESTARTS = 10


@dataclass
class Result:
    target: str
    driver: str
    executions: int = 0
    seconds: float = 0.0
    coverage: str = "-"
    corpus: int = 0
    crashes: list[str] = field(default_factory=list)
    failed: str = ""  # the target itself could not run


def has_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _env(scratch: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1",
               OVOP_FUZZ_TMP=scratch)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def run_atheris(target: str, seconds: int, seed: int, out: Path, scratch: str) -> Result:
    """libFuzzer stops at the first crash: start it again until the time is spent."""
    result = Result(target, "atheris")
    work = out / "corpus"
    work.mkdir(parents=True, exist_ok=True)
    log = out / "atheris.log"
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as sink:
        for attempt in range(MAX_RESTARTS):
            left = int(seconds - (time.monotonic() - started))
            if left < 5 and attempt:
                break
            cmd = [sys.executable, str(FUZZ / "fuzz_target.py"), target, str(work),
                   str(fuzzkit.CORPUS / target), f"-max_total_time={max(left, 1)}",
                   f"-artifact_prefix={out}/", "-timeout=60", "-rss_limit_mb=6144",
                   f"-seed={seed + attempt}", "-print_final_stats=1", "-max_len=1000000"]
            proc = subprocess.run(cmd, cwd=ROOT, env=_env(scratch), capture_output=True, text=True,
                                  errors="replace", timeout=seconds + 600)
            sink.write(f"$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}\n")
            text = proc.stdout + proc.stderr
            status = _LIBFUZZER_STATUS.findall(text)
            done = _LIBFUZZER_DONE.findall(text)
            if done:
                result.executions += int(done[-1][0])
            elif status:
                result.executions += int(status[-1][0])
            if status:
                result.coverage = f"cov {status[-1][1]} ft {status[-1][2]}"
                result.corpus = int(status[-1][3])
            if proc.returncode == 0:
                break
            artifacts = _ARTIFACT.findall(text)
            error = (_EXCEPTION.findall(text) or [f"exit status {proc.returncode}"])[-1]
            if not artifacts and not status:
                result.failed = error
                break
            result.crashes.append(f"{error[:120]} -> {artifacts[-1] if artifacts else '?'}")
    result.seconds = time.monotonic() - started
    return result


def run_python(target: str, seconds: int, seed: int, out: Path, scratch: str) -> Result:
    result = Result(target, "python")
    cmd = [sys.executable, str(FUZZ / "fuzz_target.py"), target, "--driver=python", "--seconds",
           str(seconds), "--seed", str(seed), "--crash-dir", str(out),
           str(fuzzkit.CORPUS / target)]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(scratch), capture_output=True, text=True,
                          errors="replace", timeout=seconds + 600)
    out.mkdir(parents=True, exist_ok=True)
    (out / "python.log").write_text(f"$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}",
                                    encoding="utf-8")
    result.seconds = time.monotonic() - started
    stats = [line for line in proc.stdout.splitlines() if line.startswith("FUZZ-STATS ")]
    if not stats:
        result.failed = (proc.stderr.strip().splitlines() or ["no statistics"])[-1]
        return result
    summary = json.loads(stats[-1].removeprefix("FUZZ-STATS "))
    result.executions, result.corpus = summary["executions"], summary["corpus"]
    result.coverage = f"{summary['lines']} lines" if summary["lines"] else "-"
    result.crashes = [line.removeprefix("CRASH ") for line in proc.stdout.splitlines()
                      if line.startswith("CRASH ")]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default="all",
                        help=f"one of {', '.join(fuzzkit.TARGETS)}, or all")
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--driver", choices=("auto", "atheris", "python"), default="auto")
    parser.add_argument("--jobs", type=int, default=1, help="targets run at once")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz")
    args = parser.parse_args(argv)
    targets = list(fuzzkit.TARGETS) if args.target == "all" else [args.target]
    if any(t not in fuzzkit.RUNNERS for t in targets):
        parser.error(f"unknown target {args.target}")
    driver = args.driver
    if driver == "auto":
        driver = "atheris" if has_atheris() else "python"
    elif driver == "atheris" and not has_atheris():
        parser.error("atheris is not installed (pip install --only-binary=:all: atheris)")
    if driver == "python":
        print("atheris not used: pure-Python mutation driver (pip install --only-binary=:all: "
              "atheris enables coverage-guided fuzzing)")
    run = run_atheris if driver == "atheris" else run_python

    def one(target: str) -> Result:
        # The target's worlds live here; removed afterwards, whatever way the target ended.
        with tempfile.TemporaryDirectory(prefix=f"ovop-fuzz-{target}-",
                                         dir=fuzzkit.scratch_base()) as scratch:
            result = run(target, args.seconds, args.seed, args.out / target, scratch)
        print(f"{target}: {result.executions} executions, {result.coverage}, "
              f"{len(result.crashes)} crashes{' FAILED ' + result.failed if result.failed else ''}",
              flush=True)
        return result

    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(one, targets))
    print()
    print(f"{'target':<10} {'driver':<8} {'executions':>10} {'exec/s':>7} {'coverage':<20} "
          f"{'corpus':>6} {'crashes':>7}")
    for r in results:
        rate = r.executions / r.seconds if r.seconds else 0
        print(f"{r.target:<10} {r.driver:<8} {r.executions:>10} {rate:>7.0f} {r.coverage:<20} "
              f"{r.corpus:>6} {len(r.crashes):>7}")
    for r in results:
        for crash in r.crashes:
            print(f"CRASH {r.target}: {crash}")
        if r.failed:
            print(f"FAILED {r.target}: {r.failed}")
    return 1 if any(r.crashes or r.failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
