"""A CI-sized fuzz run over every reader of untrusted input (the long run: scripts/fuzz.py).

Each target gets a world of its own (a coordinator with the demo round and an enrolled
assessor; that assessor's laptop), its valid files — made now by the real export code,
and the stored corpus of fuzz/corpus — and then a fixed number of mutants from a fixed
seed through fuzz/fuzzkit.py's pure-Python driver, whether or not atheris is installed.
The only acceptable outcomes are success or the project's own rejection, and a rejection
leaves the store as it was: the runners compare SQLite's data_version, every table's row
count and the audit head before and after (bundle import files a rejected bundle and
its audit entry, nothing else).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fuzz"))
import fuzzkit  # noqa: E402

MUTANTS = 300
SEED = 20240601


@pytest.fixture
def runner(request: pytest.FixtureRequest) -> Iterator[fuzzkit.Runner]:
    # On tmpfs where there is one: every import is a durable commit, and fsync on a
    # disk would make the run take minutes instead of seconds.
    root = fuzzkit.scratch_dir(request.param)
    made = fuzzkit.make_runner(request.param, root)
    try:
        yield made
    finally:
        made.close()
        made.world.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("runner", fuzzkit.TARGETS, indirect=True)
def test_valid_files_are_read_and_mutants_are_only_ever_rejected(
        runner: fuzzkit.Runner) -> None:
    seeds = runner.seeds()
    for name, data in seeds:  # in order: each is valid after the ones before it
        label = runner.one_input(data)
        assert label.startswith("ok"), f"the valid file {name} was refused: {label}"
    corpus = [data for _n, data in seeds + fuzzkit.stored_seeds(runner.name)]
    runs = len(corpus) + MUTANTS
    stats = fuzzkit.fuzz(runner, corpus, runs=runs, seed=SEED)
    assert not stats.crashes, "\n\n".join(f"{c.key}\n{c.trace}" for c in stats.crashes)
    assert stats.executions == runs
    rejected = sum(n for label, n in stats.outcomes.items() if label.startswith("rejected"))
    assert rejected > MUTANTS // 10, stats.outcomes  # the mutants do reach the checks


def test_every_target_has_a_stored_corpus_and_the_script_runs_it() -> None:
    for name in fuzzkit.TARGETS:
        assert fuzzkit.stored_seeds(name), f"run fuzz/make_seeds.py {name}"
    assert (fuzzkit.FUZZ_DIR / "fuzz_target.py").is_file()
    assert fuzzkit.main(["fuzz_target.py", "no-such-target"]) == 2


def test_the_driver_is_reproducible() -> None:
    """Same seed, same mutants: a CI failure can be replayed on a laptop."""
    import random

    data = b'{"a": [1, "x", {"b": null}]}'
    runs = []
    for _ in range(2):
        mutator = fuzzkit.Mutator(random.Random(7))
        runs.append([mutator.mutate(data, [data]) for _i in range(50)])
    assert runs[0] == runs[1] and len(set(runs[0])) > 10


@pytest.mark.parametrize("runner", ["rubric"], indirect=True)
def test_a_rejection_that_changed_the_store_is_caught(runner: fuzzkit.Runner) -> None:
    """The check is not vacuous: a write followed by a rejection breaks the invariant."""
    from ovop_desktop.data import audit
    from ovop_desktop.errors import UserFacingError

    store = runner.world.coordinator.store

    def writes_then_refuses() -> str:
        with store.write() as s:
            audit.append(s, "fuzz", "test.write", "test", 1)
        raise UserFacingError("refused after writing")

    watch = fuzzkit.StoreWatch(runner.world.coordinator.paths.database)
    try:
        assert runner._guarded(watch, lambda: "ok") == "ok"
        with pytest.raises(fuzzkit.InvariantBroken, match="audit_log"):
            runner._guarded(watch, writes_then_refuses)
    finally:
        watch.close()
