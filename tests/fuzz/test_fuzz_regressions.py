"""Every input a fuzzer once crashed on, kept in fuzz/regressions/<target>-<what>.bin.

Each is replayed the way the driver met it: a new world, the target's valid files
first (some crashes needed the state they leave, e.g. candidates already on the
laptop), then the input. It must now end as a success or the project's rejection,
with the store unchanged after a rejection (checked by the runner).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fuzz"))
import fuzzkit  # noqa: E402

from ovop_desktop.domain.strict_json import JsonError, loads_strict  # noqa: E402

KEPT = fuzzkit.regressions()
# What a kept input now gives, where it is not a rejection of the whole file: a paper sheet
# is read with its bad row refused; a bundle of sheets that carry only a note is filed.
EXPECTED = {"sheet-level-inf": "ok:0:1", "sheet-candidate-id-1e300": "ok:0:1",
            "bundle-sheets-without-scores": "ok:accepted"}


def test_there_are_regressions_for_what_was_fixed() -> None:
    assert {target for target, _path in KEPT} >= {"bundle", "package", "receipt", "rubric",
                                                   "sheet", "card"}


@pytest.mark.parametrize(("target", "path"), KEPT, ids=[p.stem for _t, p in KEPT])
def test_a_kept_crash_is_now_handled(target: str, path: Path) -> None:
    root = fuzzkit.scratch_dir(target)
    runner = fuzzkit.make_runner(target, root)
    try:
        for _name, data in runner.seeds():
            runner.one_input(data)
        label = runner.one_input(path.read_bytes())
        assert label.startswith(EXPECTED.get(path.stem, "rejected")), label
    finally:
        runner.close()
        runner.world.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("text", [
    b'{"name": "\\ud800"}', b'{"\\udfff": 1}', b'[9007199254740992]', b'[-9007199254740992]',
    b'{"seq": 1000000000000000000000000000000}', b'1e999', b'[-1e400]'])
def test_strict_json_refuses_what_no_store_can_hold(text: bytes) -> None:
    """Lone surrogates cannot be encoded, huge integers not stored, 1e999 is infinity."""
    with pytest.raises(JsonError):
        loads_strict(text, max_bytes=1000)


@pytest.mark.parametrize(("text", "value"), [
    (b'"\\ud83d\\ude00"', "\U0001f600"), (b'"\\\\ud800"', "\\ud800"),
    (b"[9007199254740991, -9007199254740991]", [2**53 - 1, -(2**53 - 1)]),
    (b'["123456789012345678901234"]', ["123456789012345678901234"]), (b"2.5e3", 2500.0)])
def test_strict_json_still_reads_what_is_fine(text: bytes, value: object) -> None:
    assert loads_strict(text, max_bytes=1000) == value


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file systems take any bytes as a name")
@pytest.mark.parametrize(("target", "name"), [
    ("bundle", b"nilai-\xff.zip"), ("proposals", b"usulan-\xe9.xlsx"),
    ("rubric", b"rubrik\xff.json")])
def test_a_file_whose_name_is_not_utf8_is_imported(target: str, name: bytes) -> None:
    """A stick written elsewhere: the name (stored, shown, audited) gets "?" for bad bytes."""
    root = fuzzkit.scratch_dir(target)
    runner = fuzzkit.make_runner(target, root)
    try:
        seed = runner.seeds()[-1 if target == "rubric" else 0][1]
        path = Path(os.fsdecode(os.fsencode(runner.inbox) + b"/" + name))
        path.write_bytes(seed[1:] if runner.modes else seed)
        shown = name.decode("utf-8", "replace").replace("\ufffd", "?")
        coordinator = runner.world.coordinator
        if target == "bundle":
            outcome = runner.service.import_file(path)
            assert (outcome.file, outcome.status.value) == (shown, "accepted")
        elif target == "proposals":
            report = coordinator.proposals.run(coordinator.proposals.preview(path),
                                               runner.world.round_id)
            assert report.file_name == shown and report.accepted
        else:
            assert coordinator.rubrics.import_file(path)[1]
    finally:
        runner.close()
        runner.world.close()
        shutil.rmtree(root, ignore_errors=True)
