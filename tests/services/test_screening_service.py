"""Administrative screening: per-commodity checklist, decisions with reasons, the summary."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ovop_desktop.domain.candidates import CandidateData
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import DEFAULT_REQUIREMENTS, Document
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.screening import Decision, DocStatus
from ovop_desktop.errors import ValidationError
from ovop_desktop.services.workspace import Workspace

BATIK = CandidateData(name="Batik Tulis Sekar Jagad", region_code="34.71",
                      commodity=Commodity.KAIN_BATIK, product="Batik tulis")
FOOD = CandidateData(name="Rendang Uni Ema", region_code="13.76",
                     commodity=Commodity.MAKANAN_MINUMAN, product="Rendang")


@pytest.fixture
def round_id(workspace: Workspace) -> int:
    workspace.profile.init(Role.COORDINATOR, "Petugas Seleksi", "")
    workspace.rubrics.install_defaults()
    return workspace.rounds.create(2024, "Penghargaan OVOP 2024").id


def test_default_checklist_food_needs_permit_and_halal(workspace: Workspace,
                                                       round_id: int) -> None:
    required = workspace.screening.requirements(round_id)
    assert set(required[Commodity.KAIN_BATIK]) == {Document.SK_SENTRA, Document.NIB}
    assert set(required[Commodity.MAKANAN_MINUMAN]) == {
        Document.SK_SENTRA, Document.NIB, Document.IZIN_EDAR, Document.HALAL}


def test_pass_only_when_every_required_document_is_present(workspace: Workspace,
                                                           round_id: int) -> None:
    cid = workspace.candidates.create(round_id, FOOD).id
    for doc in DEFAULT_REQUIREMENTS[Commodity.MAKANAN_MINUMAN][:-1]:
        result = workspace.screening.set_check(cid, doc, DocStatus.PRESENT)
        assert result.decision is Decision.PENDING
    result = workspace.screening.set_check(cid, Document.HALAL, DocStatus.PRESENT)
    assert result.decision is Decision.PASSED


def test_missing_or_invalid_fails_with_reasons(workspace: Workspace, round_id: int,
                                               english: None) -> None:
    cid = workspace.candidates.create(round_id, FOOD).id
    workspace.screening.set_check(cid, Document.HALAL, DocStatus.INVALID, "  expired 2023 ")
    result = workspace.screening.set_check(cid, Document.NIB, DocStatus.MISSING)
    assert result.decision is Decision.FAILED
    assert result.invalid == (Document.HALAL,) and result.missing == (Document.NIB,)
    assert any("Halal" in r for r in result.reasons())
    assert workspace.screening.checks(cid)[Document.HALAL].note == "expired 2023"
    assert workspace.screening.checks(cid)[Document.HALAL].checked_by == "Petugas Seleksi"


def test_a_screening_session_in_bulk_replaces_earlier_checks_and_adds_new_ones(
        workspace: Workspace, round_id: int) -> None:
    food = workspace.candidates.create(round_id, FOOD).id
    batik = workspace.candidates.create(round_id, BATIK).id
    workspace.screening.set_check(food, Document.HALAL, DocStatus.MISSING)
    session = [(food, doc, DocStatus.PRESENT, "")
               for doc in DEFAULT_REQUIREMENTS[Commodity.MAKANAN_MINUMAN]]
    session += [(batik, Document.NIB, DocStatus.INVALID, "bukan NIB"),
                (batik, Document.NIB, DocStatus.PRESENT, "")]  # corrected: the last one counts
    assert workspace.screening.set_checks_many(session) == len(session)
    assert workspace.screening.result(food).decision is Decision.PASSED
    assert workspace.screening.checks(food)[Document.HALAL].status is DocStatus.PRESENT
    assert workspace.screening.checks(batik)[Document.NIB].status is DocStatus.PRESENT
    assert set(workspace.screening.checks(batik)) == {Document.NIB}


def test_coordinator_edits_the_checklist(workspace: Workspace, round_id: int) -> None:
    cid = workspace.candidates.create(round_id, BATIK).id
    workspace.screening.set_check(cid, Document.SK_SENTRA, DocStatus.PRESENT)
    workspace.screening.set_check(cid, Document.NIB, DocStatus.PRESENT)
    assert workspace.screening.result(cid).decision is Decision.PASSED
    workspace.screening.set_requirements(
        round_id, Commodity.KAIN_BATIK, [Document.SK_SENTRA, Document.NIB, Document.BATIK_MARK])
    assert workspace.screening.result(cid).decision is Decision.PENDING
    with pytest.raises(ValidationError):
        workspace.screening.set_requirements(round_id, Commodity.KAIN_BATIK, [])


def test_summary_counts_like_the_ministry(workspace: Workspace, round_id: int) -> None:
    passed = workspace.candidates.create(round_id, BATIK).id
    failed = workspace.candidates.create(round_id, FOOD).id
    workspace.candidates.create(round_id, replace(BATIK, name="Batik Lain", region_code="33.17"))
    for doc in (Document.SK_SENTRA, Document.NIB):
        workspace.screening.set_check(passed, doc, DocStatus.PRESENT)
    workspace.screening.set_check(failed, Document.HALAL, DocStatus.MISSING)
    summary = workspace.screening.summary(round_id)
    assert (summary.proposals.total, summary.proposals.passed, summary.proposals.failed,
            summary.proposals.pending) == (3, 1, 1, 1)
    assert summary.provinces == 3
    assert summary.failed_by_document == {Document.HALAL: 1}
    assert summary.by_commodity[Commodity.KAIN_BATIK].total == 2
    assert summary.by_province["13"].failed == 1
