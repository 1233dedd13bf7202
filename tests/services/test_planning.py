"""Who visits whom: expertise, load, secretariat, conflicts — the planner and its enforcement."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.planning import PlanAssessor, PlanCandidate, is_secretariat, plan
from ovop_desktop.errors import UserFacingError
from ovop_desktop.services import identity
from ovop_desktop.services.signing import key_id
from ovop_desktop.services.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent))

B, M = Commodity.KAIN_BATIK, Commodity.MAKANAN_MINUMAN


def test_secretariat_is_recognised() -> None:
    assert is_secretariat("Direktorat Jenderal IKMA, Kementerian Perindustrian")
    assert not is_secretariat("Yayasan Batik Indonesia")


def _people() -> list[PlanAssessor]:
    return [PlanAssessor(1, "Sekretariat", frozenset(), True),
            PlanAssessor(2, "Ahli batik", frozenset({B}), False),
            PlanAssessor(3, "Ahli batik 2", frozenset({B}), False),
            PlanAssessor(4, "Ahli pangan", frozenset({M}), False, home_region="32.05")]


def test_team_has_an_officer_and_experts() -> None:
    result = plan([PlanCandidate(10, B, "34.71")], _people(), {})
    assert sorted(result.teams[10]) == [1, 2, 3]


def test_conflicts_never_assigned_and_short_team_says_why() -> None:
    candidates = [PlanCandidate(10, M, "32.05")]  # Ahli pangan lives there
    declared = {(1, 10): "kerabat pemilik"}
    result = plan(candidates, _people(), declared, per_candidate=3, minimum=3)
    assert 4 not in result.teams[10] and 1 not in result.teams[10]
    assert "2" in result.short[10]


def test_load_is_balanced_between_equals() -> None:
    people = [PlanAssessor(i, f"A{i}", frozenset({B}), False) for i in range(1, 7)]
    result = plan([PlanCandidate(c, B, "34.71") for c in range(30)], people, {},
                  per_candidate=2)
    assert max(result.loads.values()) - min(result.loads.values()) <= 1


def test_manual_assignments_are_kept() -> None:
    result = plan([PlanCandidate(10, B, "34.71")], _people(), {}, existing={10: [4]})
    assert 4 in result.teams[10] and len(result.teams[10]) == 3


@given(st.lists(st.tuples(st.sampled_from(list(Commodity)), st.sampled_from(
    ["32.05", "34.71", "13.76"])), min_size=1, max_size=25),
    st.sets(st.tuples(st.integers(1, 8), st.integers(0, 24)), max_size=20))
@settings(max_examples=60, deadline=None)
def test_no_conflicted_or_duplicate_member_ever(cands, conflicts) -> None:
    people = [PlanAssessor(i, f"A{i}", frozenset({list(Commodity)[i % 5]}), i == 1,
                           home_region="34.71" if i == 8 else "") for i in range(1, 9)]
    candidates = [PlanCandidate(i, c, r) for i, (c, r) in enumerate(cands)]
    declared = {pair: "x" for pair in conflicts}
    result = plan(candidates, people, declared)
    for c in candidates:
        team = result.teams[c.id]
        assert len(team) == len(set(team)) <= 3
        assert not any((a, c.id) in declared for a in team)
        assert not (c.region_code == "34.71" and 8 in team)


def _enrol(ws: Workspace, tmp: Path, name: str, institution: str, commodities: list[Commodity],
           home: str = "") -> int:
    raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    me = identity.PublicIdentity(name, institution, raw, key_id(raw), "2024-01-01")
    card = tmp / f"{key_id(raw)[:8]}.json"
    identity.write_card(card, me, "assessor", {})
    return ws.assessors.enrol(card, me.fingerprint, "Budi", "phone", commodities, "",
                              home).id


def test_auto_assignment_on_the_demo_round(demo_workspace: Workspace, tmp_path: Path) -> None:
    """166 visits, 3 officers, 3 experts per commodity, one local: as a real round looks."""
    ws = demo_workspace
    officers = {_enrol(ws, tmp_path, f"Pak {i}", "Ditjen IKMA", []) for i in range(3)}
    experts = {c: {_enrol(ws, tmp_path, f"Ahli {c.value} {i}", "Asosiasi", [c])
                   for i in range(3)} for c in Commodity}
    local = _enrol(ws, tmp_path, "Warga Garut", "Universitas", [M], home="32.05")
    round_ = ws.current_round()
    assert round_ is not None
    result = ws.planning.auto(round_.id)
    passed = {c.id: c for c in ws.candidates.summaries(round_.id) if c.decision.value == "passed"}
    assert set(result.teams) == set(passed) and not result.short
    assert all(local not in result.teams[c] for c in passed if passed[c].region_code == "32.05")
    assert all(len(set(team) & officers) <= 1 for team in result.teams.values())
    with_officer = sum(bool(set(team) & officers) for team in result.teams.values())
    with_expert = sum(bool(set(team) & experts[passed[cid].commodity])
                      for cid, team in result.teams.items())
    assert with_expert >= 0.85 * len(passed)  # expertise is traded against load, a little
    # Three officers cannot join 166 teams; they are preferred up to a fair extra load.
    expert_loads = [result.loads[a] for group in experts.values() for a in group]
    assert min(result.loads[o] for o in officers) > sum(expert_loads) / len(expert_loads)
    assert with_officer >= sum(result.loads[o] for o in officers)  # one per team, never two
    loads = sorted(result.loads.values())
    assert loads[-1] - loads[0] <= 0.5 * loads[-1]  # nobody carries twice another's load
    teams = ws.planning.teams(round_.id)
    assert teams == {k: sorted(v) for k, v in result.teams.items() if v}
    again = ws.planning.auto(round_.id)  # idempotent: nothing more to add
    assert {k: sorted(v) for k, v in again.teams.items()} == teams


def test_manual_assignment_of_a_conflicted_pair_is_refused(demo_workspace: Workspace,
                                                           tmp_path: Path) -> None:
    ws = demo_workspace
    aid = _enrol(ws, tmp_path, "Sri", "YBI", [B])
    round_ = ws.current_round()
    assert round_ is not None
    cid = ws.candidates.summaries(round_.id)[0].id
    ws.assessors.assign(round_.id, aid, [cid])
    ws.planning.declare(aid, cid, "pernah membina IKM ini")
    assert ws.assessors.assigned(round_.id, aid) == []  # the assignment went with it
    with pytest.raises(UserFacingError):
        ws.assessors.assign(round_.id, aid, [cid])


# -- the institution rule: an assessor whose institution is an association of the IKM --------

A = Commodity.ANYAMAN


def test_institution_that_is_an_association_of_the_ikm_is_a_conflict(english: None) -> None:
    from ovop_desktop.domain.planning import conflict_reason

    expert = PlanAssessor(5, "Ahli anyaman", frozenset({A}), False,
                          institution="Asosiasi Perajin, Anyaman Indonesia")
    member = PlanCandidate(20, A, "52.01", ("Koperasi Ketak Nyiur Baya",
                                            "asosiasi perajin anyaman  INDONESIA."))
    reason = conflict_reason(expert, member, {})
    assert reason == ("the assessor's institution (asosiasi perajin anyaman  INDONESIA.) is an "
                      "association the IKM belongs to")
    assert conflict_reason(expert, PlanCandidate(21, A, "52.01", ("Asosiasi Perajin Anyaman",)),
                           {}) is None  # another association, however close
    assert conflict_reason(expert, PlanCandidate(22, A, "52.01"), {}) is None  # none recorded
    nobody = PlanAssessor(6, "Tanpa instansi", frozenset({A}), False, institution=" . ")
    assert conflict_reason(nobody, PlanCandidate(23, A, "52.01", ("-",)), {}) is None


def test_planner_never_assigns_an_association_member(english: None) -> None:
    people = [PlanAssessor(1, "Sekretariat", frozenset(), True, institution="Ditjen IKMA"),
              PlanAssessor(2, "HIMKI 1", frozenset({A}), False, institution="HIMKI"),
              PlanAssessor(3, "HIMKI 2", frozenset({A}), False, institution="H.I.M.K.I."),
              PlanAssessor(4, "Kampus", frozenset({A}), False, institution="Universitas")]
    result = plan([PlanCandidate(10, A, "52.01", ("himki",)), PlanCandidate(11, A, "52.01")],
                  people, {}, per_candidate=3, minimum=3)
    assert sorted(result.teams[10]) == [1, 4]
    assert "2 eligible assessors (2 with a conflict of interest)" in result.short[10]
    assert 2 in result.teams[11] or 3 in result.teams[11]


def test_association_rule_in_the_planner_and_manual_assignment(
        demo_workspace: Workspace, tmp_path: Path, english: None) -> None:
    from ovop_desktop.services.demo_candidates import DEMO_ASSOCIATIONS

    ws = demo_workspace
    round_ = ws.current_round()
    assert round_ is not None
    himki = [_enrol(ws, tmp_path, f"Ahli HIMKI {i}", "HIMKI", [A, Commodity.GERABAH])
             for i in range(2)]
    others = [_enrol(ws, tmp_path, f"Ahli {i}", "Universitas", list(Commodity))
              for i in range(4)]
    officer = _enrol(ws, tmp_path, "Pak Sekretariat", "Ditjen IKMA", [])
    members = {c.id for c in ws.candidates.all(round_.id)
               if DEMO_ASSOCIATIONS[A][0] in c.data.associations}
    assert members  # the demo shows the rule
    result = ws.planning.auto(round_.id)
    planned_members = members & set(result.teams)
    assert planned_members
    for cid in planned_members:
        assert not set(result.teams[cid]) & set(himki)
        assert set(result.teams[cid]) <= set(others) | {officer}
    cid = sorted(planned_members)[0]
    reason = ws.planning.conflict_of(himki[0], cid)
    assert reason == "the assessor's institution (HIMKI) is an association the IKM belongs to"
    with pytest.raises(UserFacingError, match=r"conflict of interest .*\(the assessor's "
                                              r"institution \(HIMKI\)"):
        ws.assessors.assign(round_.id, himki[0], [cid])
    assert ws.planning.conflict_of(others[0], cid) is None


def test_an_association_recorded_later_makes_a_conflict(demo_workspace: Workspace,
                                                        tmp_path: Path) -> None:
    from dataclasses import replace

    ws = demo_workspace
    round_ = ws.current_round()
    assert round_ is not None
    aid = _enrol(ws, tmp_path, "Sri", "Yayasan Batik Indonesia", [B])
    candidate = next(c for c in ws.candidates.all(round_.id) if not c.data.associations)
    assert ws.planning.conflict_of(aid, candidate.id) is None
    ws.candidates.update(candidate.id, replace(candidate.data, associations=(
        "Koperasi Batik Sekar", "YAYASAN BATIK INDONESIA")))
    assert "YAYASAN BATIK INDONESIA" in (ws.planning.conflict_of(aid, candidate.id) or "")
    assert [h.field for h in ws.candidates.history(candidate.id)] == ["associations"]
