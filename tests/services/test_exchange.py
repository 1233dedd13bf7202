"""The signed exchange between two real profiles, and every attack the issue lists.

The import tests marked both_stores also run with the coordinator's store on PostgreSQL
(accepted, duplicate, superseded, held, rejected, crash and re-run, dry run, conflicts)."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange_fixtures import ASSESSOR_PASS, FAST_KDF, Exchange, packaged  # noqa: E402

from ovop_desktop.domain.bundle_rules import Outcome  # noqa: E402
from ovop_desktop.errors import UserFacingError  # noqa: E402
from ovop_desktop.services import identity  # noqa: E402
from ovop_desktop.services.container import PAYLOAD_BUNDLE, build_container  # noqa: E402
from ovop_desktop.services.signing import key_id  # noqa: E402


@pytest.fixture
def ex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
       store_url: str | None) -> Iterator[Exchange]:
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    with packaged(tmp_path, db_url=store_url) as exchange:
        yield exchange


def _query(ex: Exchange, sql: str, **params: object) -> list[tuple]:
    """Read the coordinator's store directly (SQLite or PostgreSQL)."""
    with ex.coordinator.store.read() as s:
        return [tuple(row) for row in s.execute(text(sql), params)]


def _state(ex: Exchange) -> list[tuple]:
    """What a result depends on: the bundles filed and the scores they carry."""
    return _query(ex, "SELECT b.status, b.seq, count(r.level) FROM bundle b LEFT JOIN "
                      "received_score r ON r.bundle_id = b.id GROUP BY b.id ORDER BY b.id")


def _import(ex: Exchange, path: Path) -> tuple[Outcome, str]:
    (outcome,) = ex.coordinator.bundles.import_files([path])
    return outcome.status, outcome.reason


@pytest.mark.both_stores
def test_whole_exchange_carries_scores(ex: Exchange) -> None:
    first = ex.local_candidates()[0]
    ex.assessor.scoring.set_score(first, "A1", 3, "bahan baku lokal")
    ex.assessor.scoring.set_score(first, "B2", 2)
    path, info = ex.bundle()
    assert (info.seq, info.sheets, info.scores) == (1, 1, 2)
    assert _import(ex, path)[0] is Outcome.ACCEPTED
    assert _state(ex) == [("accepted", 1, 2)]


@pytest.mark.both_stores
def test_an_empty_snapshot_is_a_valid_first_bundle(ex: Exchange) -> None:
    path, info = ex.bundle()
    assert info.sheets == 0 and _import(ex, path)[0] is Outcome.ACCEPTED


@pytest.mark.both_stores
def test_same_bundle_twice_is_a_duplicate_and_changes_nothing(ex: Exchange) -> None:
    path, _ = ex.bundle()
    _import(ex, path)
    before = _state(ex)
    assert _import(ex, path)[0] is Outcome.DUPLICATE
    assert _state(ex) == before


@pytest.mark.both_stores
def test_older_after_newer_is_superseded(ex: Exchange) -> None:
    one, _ = ex.bundle()
    two, _ = ex.bundle()
    assert _import(ex, two)[0] is Outcome.HELD  # gap: 1 has not arrived
    assert _import(ex, one)[0] is Outcome.ACCEPTED
    assert [s for s, _q, _n in _state(ex)] == ["accepted", "accepted"]  # 2 released
    three, _ = ex.bundle()
    _import(ex, three)
    one_again = ex.folder / "copy-of-1.zip"
    one_again.write_bytes(one.read_bytes())
    assert _import(ex, one_again)[0] is Outcome.DUPLICATE


@pytest.mark.both_stores
def test_old_bundle_after_newer_is_kept_as_evidence(ex: Exchange) -> None:
    one, _ = ex.bundle()
    two, _ = ex.bundle()
    three, _ = ex.bundle()
    for p in (one, three):
        _import(ex, p)
    assert _import(ex, three)[0] is Outcome.DUPLICATE
    status, reason = _import(ex, two)
    assert status in (Outcome.SUPERSEDED, Outcome.ACCEPTED)


@pytest.mark.both_stores
def test_no_bundle_stays_held_once_its_chain_is_settled(ex: Exchange) -> None:
    """5 and 4 wait for 3; when 1 arrives, 5 (linked to 4) is accepted, so 4 is older than an
    accepted bundle: superseded too, not held for ever (found by the load test)."""
    paths = [ex.bundle()[0] for _ in range(5)]
    statuses = [_import(ex, paths[i])[0] for i in (4, 3, 0, 2, 1)]
    assert statuses == [Outcome.HELD, Outcome.HELD, Outcome.ACCEPTED, Outcome.SUPERSEDED,
                        Outcome.SUPERSEDED]
    assert sorted((q, s) for s, q, _n in _state(ex)) == [
        (1, "accepted"), (2, "superseded"), (3, "superseded"), (4, "superseded"),
        (5, "accepted")]


def _forge(ex: Exchange, key: Ed25519PrivateKey, sheets: list | None = None,
           **changes: object) -> Path:
    """A bundle built outside the app (another key, another round, a replayed seq …)."""
    me = ex.assessor_me
    round_ = ex.assessor.current_round()
    assert round_ is not None
    manifest = {"format": 1, "kind": "score-bundle", "bundle_id": "x" * 36,
                "assessor_key": me.key_id, "seq": 1, "prev": None,
                "round": ex.coordinator.current_round().uid,  # type: ignore[union-attr]
                "rubrics": {rc.commodity.value: rc.rubric_sha256 for rc in round_.commodities},
                "created_at": "2024-08-20T10:00:00+00:00"}
    manifest.update(changes)
    body = json.dumps({"format": 1, "sheets": sheets or []}).encode()
    path = ex.folder / f"forged-{len(list(ex.folder.iterdir()))}.zip"
    path.write_bytes(build_container(PAYLOAD_BUNDLE, manifest, {"scores.json": body}, key))
    return path


def _assessor_key(ex: Exchange) -> Ed25519PrivateKey:
    return identity.unlock(ex.assessor.paths.keys, ASSESSOR_PASS)


@pytest.mark.both_stores
def test_unknown_signer_is_rejected_and_only_the_rejection_is_filed(ex: Exchange) -> None:
    status, reason = _import(ex, _forge(ex, Ed25519PrivateKey.generate()))
    assert status is Outcome.REJECTED
    assert _state(ex) == [("rejected", None, 0)]


@pytest.mark.both_stores
def test_revoked_key_is_held(ex: Exchange) -> None:
    one, _ = ex.bundle()
    _import(ex, one)
    ex.coordinator.assessors.revoke(ex.assessor_id, 1)
    two, _ = ex.bundle()
    assert _import(ex, two)[0] is Outcome.HELD


def test_another_round_and_another_rubric_are_rejected(ex: Exchange) -> None:
    key = _assessor_key(ex)
    assert _import(ex, _forge(ex, key, round="00000000-0000-0000-0000-000000000000"))[0] \
        is Outcome.REJECTED
    assert _import(ex, _forge(ex, key, rubrics={"kain_batik": "0" * 64}))[0] is Outcome.REJECTED


def test_half_written_kept_copies_of_a_killed_import_are_swept(ex: Exchange) -> None:
    kept = ex.coordinator.paths.bundles
    kept.mkdir(exist_ok=True)
    leftover = kept / f"{'ab' * 32}.part"
    leftover.write_bytes(b"PK\x03\x04 half")
    path, _ = ex.bundle()
    assert _import(ex, path)[0] is Outcome.ACCEPTED
    assert not leftover.exists() and [p.suffix for p in kept.iterdir()] == [".zip"]


@pytest.mark.both_stores
def test_a_bundle_number_beyond_the_stores_integers_is_rejected_not_a_crash(
        ex: Exchange) -> None:
    """2**31 is within JSON's safe integers but not PostgreSQL's INTEGER: refused as
    malformed on both engines, the rejection filed, nothing else."""
    status, reason = _import(ex, _forge(ex, _assessor_key(ex), seq=2**31))
    assert status is Outcome.REJECTED and "seq" in reason
    assert _state(ex) == [("rejected", None, 0)]
    with pytest.raises(UserFacingError):
        ex.coordinator.assessors.revoke(ex.assessor_id, 2**31)
    ex.coordinator.assessors.revoke(ex.assessor_id, 2**31 - 1)  # the largest is fine


@pytest.mark.both_stores
def test_equivocation_two_bundles_with_one_seq_are_held(ex: Exchange) -> None:
    one, _ = ex.bundle()
    _import(ex, one)
    two, _ = ex.bundle()
    _import(ex, two)
    key = _assessor_key(ex)
    other = _forge(ex, key, seq=2, prev=None, bundle_id="y" * 36)
    status, reason = _import(ex, other)
    assert status is Outcome.HELD and "2" in reason


@pytest.mark.both_stores
def test_fast_forward_with_a_broken_chain_is_held(ex: Exchange) -> None:
    one, _ = ex.bundle()
    _import(ex, one)
    jump = _forge(ex, _assessor_key(ex), seq=10**9, prev="f" * 64)
    assert _import(ex, jump)[0] is Outcome.HELD
    two, _ = ex.bundle()
    assert _import(ex, two)[0] is Outcome.ACCEPTED  # the genuine next one still goes in


@pytest.mark.parametrize("damage", ["truncate", "empty", "flip", "extra-member"])
def test_damaged_files_are_rejected(ex: Exchange, damage: str) -> None:
    path, _ = ex.bundle()
    data = path.read_bytes()
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "empty":
        data = b""
    elif damage == "flip":
        data = data[:200] + bytes([data[200] ^ 0x01]) + data[201:]
    else:
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as z:
            z.writestr("photos/" + "0" * 64 + ".jpg", b"x")
        data = buffer.getvalue()
    path.write_bytes(data)
    assert _import(ex, path)[0] is Outcome.REJECTED
    assert [s for s, _q, _n in _state(ex)] == ["rejected"]


@pytest.mark.both_stores
def test_crash_mid_import_leaves_nothing_and_the_rerun_works(
        ex: Exchange, monkeypatch: pytest.MonkeyPatch) -> None:
    from ovop_desktop.services import bundles

    ex.assessor.scoring.set_score(ex.local_candidates()[0], "A1", 2)
    path, _ = ex.bundle()

    def die(*_a: object) -> None:
        raise KeyboardInterrupt  # stands for the power going off mid-transaction

    monkeypatch.setattr(bundles, "_store_scores", die)
    with pytest.raises(KeyboardInterrupt):
        ex.coordinator.bundles.import_files([path])
    assert _state(ex) == []
    monkeypatch.undo()
    assert _import(ex, path)[0] is Outcome.ACCEPTED
    assert _state(ex) == [("accepted", 1, 1)]


def test_package_from_another_key_is_refused_after_pinning(ex: Exchange, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    from ovop_desktop.services.workspace import Workspace

    with Workspace.open(stranger) as other:
        from ovop_desktop.services.demo import build_demo

        build_demo(other)
        me = identity.create_identity(other.paths.keys, "kunci-palsu-123", "Palsu", "")
        card = tmp_path / "c.json"
        identity.write_card(card, ex.assessor_me, "assessor", {})
        aid = other.assessors.enrol(card, ex.assessor_me.fingerprint, "X", "other").id
        round_ = other.current_round()
        assert round_ is not None
        out = tmp_path / "evil.zip"
        other.packages.export(round_.id, aid, out, identity.unlock(other.paths.keys,
                                                                   "kunci-palsu-123"), me)
    with pytest.raises(UserFacingError):
        ex.assessor.packages.import_package(out, None)
    with pytest.raises(UserFacingError):
        ex.assessor.packages.import_package(out, me.fingerprint)


def test_first_package_needs_the_matching_fingerprint(ex: Exchange, tmp_path: Path) -> None:
    from ovop_desktop.domain.profile import Role
    from ovop_desktop.services.workspace import Workspace

    package = ex.package([])
    with Workspace.open(tmp_path / "fresh") as fresh:
        fresh.profile.init(Role.ASSESSOR, "Baru", "")
        with pytest.raises(UserFacingError):
            fresh.packages.import_package(package, None)
        wrong = ex.assessor_me.fingerprint  # a real fingerprint, just not the coordinator's
        with pytest.raises(UserFacingError):
            fresh.packages.import_package(package, wrong)
        assert fresh.packages.pinned() is None
        fresh.packages.import_package(package, ex.coord_me.fingerprint)
        assert fresh.packages.pinned() is not None


def test_newer_package_keeps_scores(ex: Exchange) -> None:
    first = ex.local_candidates()[0]
    ex.assessor.scoring.set_score(first, "A1", 3)
    round_ = ex.coordinator.current_round()
    assert round_ is not None
    more = [c.id for c in ex.coordinator.candidates.summaries(round_.id)[3:5]]
    ex.receive(ex.package(more, "paket-2.zip"))
    assert len(ex.local_candidates()) == 5
    sheets = ex.assessor.scoring.snapshot(ex.assessor.current_round().id)  # type: ignore[union-attr]
    assert sheets[0].scores == (("A1", 3, ""),)
    with pytest.raises(UserFacingError):  # an old package again changes nothing
        ex.receive(ex.folder / "paket.zip")


def test_enrolment_refuses_a_card_whose_fingerprint_was_not_confirmed(ex: Exchange) -> None:
    card = ex.folder / "card2.json"
    raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    other = identity.PublicIdentity("Lain", "", raw, key_id(raw), "2024-01-01")
    identity.write_card(card, other, "assessor", {})
    with pytest.raises(UserFacingError):
        ex.coordinator.assessors.enrol(card, ex.assessor_me.fingerprint, "Budi", "phone")
    assert len(ex.coordinator.assessors.list()) == 1


def test_wrong_passphrase(ex: Exchange) -> None:
    with pytest.raises(UserFacingError):
        identity.unlock(ex.assessor.paths.keys, "bukan-ini-sandinya")


@pytest.mark.both_stores
def test_audit_chain_covers_the_exchange(ex: Exchange) -> None:
    path, _ = ex.bundle()
    _import(ex, path)
    from ovop_desktop.services.maintenance import check_database, recent_audit

    assert check_database(ex.coordinator.store).audit_first_bad_seq is None
    actions = {e.action for e in recent_audit(ex.coordinator.store)}
    assert {"assessor.enrol", "package.issue", "bundle.import"} <= actions


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["candidate", "commodity", "status", "scores", "criterion", "level",
                         "note", "photos", "sha256", "kind", "visited_on", "x"]), children,
        max_size=5),
    max_leaves=12)


@given(sheets=st.lists(json_values, max_size=3))
@settings(max_examples=300, deadline=None)
def test_scores_of_any_shape_are_rejected_not_crashed(sheets: list) -> None:
    """Signed-but-hostile content: any JSON value in any place ends in a rejection."""
    from ovop_desktop.services.bundle_checks import _Reject, _resolve

    uids = {"u1": 1}
    criteria = {"kain_batik": frozenset({"A1", "A2"})}
    try:
        rows = _resolve(uids, sheets, criteria)
    except _Reject:
        return
    for cid, status, note, scores, visited_on in rows:
        assert cid == 1 and status in ("in_progress", "finished") and isinstance(note, str)
        assert all(c in ("A1", "A2") and lv in (1, 2, 3) for c, lv, _n in scores)
        assert visited_on is None or (isinstance(visited_on, str) and len(visited_on) == 10)


@pytest.mark.both_stores
def test_dry_run_reports_what_a_real_run_would(ex: Exchange) -> None:
    path, _ = ex.bundle()
    dry = [o.status for o in ex.coordinator.bundles.import_files([path, path], dry_run=True)]
    assert dry == [Outcome.ACCEPTED, Outcome.DUPLICATE]
    assert _state(ex) == []
    real = [o.status for o in ex.coordinator.bundles.import_files([path, path])]
    assert real == dry


@pytest.mark.both_stores
def test_conflicted_scores_that_arrive_anyway_are_discarded(ex: Exchange) -> None:
    first = ex.local_candidates()[0]
    ex.assessor.scoring.set_score(first, "A1", 3)
    path, _ = ex.bundle()
    round_ = ex.coordinator.current_round()
    assert round_ is not None
    name = ex.assessor.candidates.get(first).data.name
    coordinator_id = next(c.id for c in ex.coordinator.candidates.summaries(round_.id)
                          if c.name == name)
    # The coordinator learns of the conflict after the package went out.
    ex.coordinator.planning.declare(ex.assessor_id, coordinator_id, "pernah membina IKM ini")
    (outcome,) = ex.coordinator.bundles.import_files([path])
    assert outcome.status is Outcome.ACCEPTED and outcome.scores == 0
    assert "conflict" in outcome.reason or "konflik" in outcome.reason
    assert _state(ex) == [("accepted", 1, 0)]


def test_withdrawn_candidate_keeps_scores_but_is_no_longer_scored(ex: Exchange) -> None:
    first = ex.local_candidates()[0]
    ex.assessor.scoring.set_score(first, "A1", 3)
    ex.receive(ex.package([], "paket-2.zip"))  # the coordinator gave nothing new …
    round_ = ex.coordinator.current_round()
    assert round_ is not None
    for cid in ex.coordinator.assessors.assigned(round_.id, ex.assessor_id)[1:]:
        ex.coordinator.assessors.unassign(round_.id, ex.assessor_id, [cid])
    ex.receive(ex.package([], "paket-3.zip"))  # … then took two candidates away
    withdrawn = [c for c in ex.local_candidates() if c != first]
    with pytest.raises(UserFacingError):
        ex.assessor.scoring.set_score(withdrawn[0], "A1", 2)
    ex.assessor.scoring.set_score(first, "A2", 2)  # still assigned
    assert ex.assessor.scoring.sheet(first)[1]["A1"] == (3, "")


# -- the actual visit date travels in the bundle ---------------------------------------------

def _received(ex: Exchange) -> list[tuple]:
    return _query(ex, "SELECT c.name, r.status, r.visited_on FROM received_sheet r "
                      "JOIN candidate c ON c.id = r.candidate_id ORDER BY c.name")


@pytest.mark.both_stores
def test_visit_date_travels_to_the_coordinator(ex: Exchange) -> None:
    from datetime import date

    first, second = ex.local_candidates()[:2]
    ex.assessor.scoring.set_visited(first, date(2024, 8, 13))
    ex.assessor.scoring.set_score(second, "A1", 2)  # a sheet with no date recorded
    path, info = ex.bundle()
    with zipfile.ZipFile(path) as z:
        sheets = {sh["candidate"]: sh for sh in json.loads(z.read("scores.json"))["sheets"]}
    assert info.sheets == 2 and sorted("visited_on" in sh for sh in sheets.values()) == [
        False, True]  # the key is omitted while no date is recorded
    assert _import(ex, path)[0] is Outcome.ACCEPTED
    names = {cid: ex.assessor.candidates.get(cid).data.name for cid in (first, second)}
    assert _received(ex) == sorted([(names[first], "in_progress", "2024-08-13"),
                                    (names[second], "in_progress", None)])


def _sheet(ex: Exchange, **extra: object) -> dict:
    """One well-formed sheet for the first packaged candidate, as the coordinator knows it."""
    local = ex.assessor.candidates.get(ex.local_candidates()[0])
    return {"candidate": _uid_of(ex, local.data.name), "commodity": local.data.commodity.value,
            "status": "in_progress", "note": "",
            "scores": [{"criterion": "A1", "level": 2, "note": ""}], **extra}


def _uid_of(ex: Exchange, name: str) -> str:
    return _query(ex, "SELECT uid FROM candidate WHERE name = :name", name=name)[0][0]


@pytest.mark.parametrize("value", ["2024-02-30", "2024-8-13", "20240813", "13-08-2024",
                                   "2024-08-13T10:00", "2024-08-13\n", "２０２４-08-13", 20240813,
                                   True, ["2024-08-13"], {"date": "2024-08-13"}, ""])
def test_a_malformed_visit_date_rejects_the_bundle(ex: Exchange, value: object) -> None:
    path = _forge(ex, _assessor_key(ex), [_sheet(ex, visited_on=value)])
    status, reason = _import(ex, path)
    assert status is Outcome.REJECTED and "visited_on" in reason
    assert _state(ex) == [("rejected", 1, 0)] and _received(ex) == []


@pytest.mark.parametrize("extra", [{}, {"visited_on": None}, {"visited_on": "2024-08-13"}])
def test_bundles_with_or_without_a_visit_date_import(ex: Exchange, extra: dict) -> None:
    path = _forge(ex, _assessor_key(ex), [_sheet(ex, **extra)])
    assert _import(ex, path)[0] is Outcome.ACCEPTED
    assert [v for _n, _s, v in _received(ex)] == [extra.get("visited_on")]


# -- the institution rule reaches the laptop and the bundle import --------------------------------

def _coordinator_twin(ex: Exchange, local_id: int) -> int:
    round_ = ex.coordinator.current_round()
    assert round_ is not None
    name = ex.assessor.candidates.get(local_id).data.name
    return next(c.id for c in ex.coordinator.candidates.summaries(round_.id) if c.name == name)


def _join_association(ex: Exchange, coordinator_id: int, association: str) -> None:
    from dataclasses import replace

    data = ex.coordinator.candidates.get(coordinator_id).data
    ex.coordinator.candidates.update(coordinator_id, replace(
        data, associations=(*data.associations, association)))


def test_package_carries_associations_and_an_association_conflict(ex: Exchange,
                                                                  english: None) -> None:
    first = ex.local_candidates()[0]
    twin = _coordinator_twin(ex, first)
    # Recorded after the assignment: the assessor's institution (from the card) is a member.
    _join_association(ex, twin, "Yayasan Batik Indonesia.")
    path = ex.package([], "paket-2.zip")
    with zipfile.ZipFile(path) as z:
        body = json.loads(z.read("package.json"))
    uid = _uid_of(ex, ex.assessor.candidates.get(first).data.name)
    assert {"candidate": uid, "reason": "the assessor's institution (Yayasan Batik Indonesia.) "
            "is an association the IKM belongs to"} in body["conflicts"]
    ex.receive(path)
    assert "Yayasan Batik Indonesia." in ex.assessor.candidates.get(first).data.associations
    with pytest.raises(UserFacingError, match="Yayasan Batik Indonesia"):
        ex.assessor.scoring.set_score(first, "A1", 2)
    with pytest.raises(UserFacingError, match="Yayasan Batik Indonesia"):
        ex.assessor.scoring.set_visited(first, None)
    ex.assessor.scoring.set_score(ex.local_candidates()[1], "A1", 2)  # the others still open


@pytest.mark.both_stores
def test_scores_for_an_association_member_are_discarded_on_import(ex: Exchange) -> None:
    first, second = ex.local_candidates()[:2]
    ex.assessor.scoring.set_score(first, "A1", 3)
    ex.assessor.scoring.set_score(second, "A1", 2)
    path, _ = ex.bundle()
    _join_association(ex, _coordinator_twin(ex, first), "YAYASAN BATIK INDONESIA")
    (outcome,) = ex.coordinator.bundles.import_files([path])
    assert outcome.status is Outcome.ACCEPTED and outcome.scores == 1
    assert "conflict" in outcome.reason or "konflik" in outcome.reason
    assert [n for n, _s, _v in _received(ex)] == [
        ex.assessor.candidates.get(second).data.name]
