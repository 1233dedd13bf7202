"""Results from real bundles: current snapshots, conflicts, moderation, progress, Go Global.

Every test runs with the coordinator's store on SQLite and on PostgreSQL (both_stores)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from exchange_fixtures import FAST_KDF  # noqa: E402
from panel_fixtures import Panel, make_panel  # noqa: E402

from ovop_desktop.data.models import AuditRow  # noqa: E402
from ovop_desktop.domain.results import Flag  # noqa: E402
from ovop_desktop.errors import UserFacingError, ValidationError  # noqa: E402
from ovop_desktop.services import identity  # noqa: E402

pytestmark = pytest.mark.both_stores


@pytest.fixture
def panel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          store_url: str | None) -> Iterator[Panel]:
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    p = make_panel(tmp_path, 3, db_url=store_url)
    yield p
    p.close()


def _two(panel: Panel) -> list[int]:
    """Two candidates of the same commodity."""
    rows = panel.coordinator.results.report(panel.round_id)  # nothing assigned yet
    assert rows.results.candidates == ()
    summaries = panel.coordinator.candidates.summaries(panel.round_id)
    batik = [c.id for c in summaries if c.commodity.value == "kain_batik"]
    return batik[:2]


def test_no_bundles_means_no_results_and_nothing_breaks(panel: Panel) -> None:
    report = panel.coordinator.results.report(panel.round_id)
    assert report.results.candidates == () and report.bundles == ()
    board = panel.coordinator.results.progress(panel.round_id)
    assert board.candidates == ()
    assert [a.bundles for a in board.assessors] == [0, 0, 0]


def test_finished_sheets_of_current_bundles_make_the_result(panel: Panel) -> None:
    a, b = _two(panel)
    for who in (0, 1):
        panel.give(who, [a, b])
    panel.score(0, a, lambda c: 3)
    panel.score(1, a, lambda c: 3 if c.startswith(("A", "C")) else 2)
    panel.score(0, b, lambda c: 2, finish=False)  # in progress: does not count
    panel.send(0)
    panel.send(1)
    report = panel.coordinator.results.report(panel.round_id)
    res = report.results.by_id()
    assert res[a].assessors == tuple(sorted(panel.ids[:2]))
    # A and C full; B (7 criteria) mean 2.5 → 25 × 2.5/3 = 20.83
    assert res[a].total == pytest.approx(40 + 35 + 25 * 2.5 / 3, abs=1e-6)
    assert res[a].star == 3 and res[a].rank == 1
    assert res[b].total is None and Flag.INCOMPLETE in res[b].flags
    # a newer bundle replaces the older snapshot: assessor 0 lowers everything to 1
    panel.assessors[0].scoring.finish(panel._local[0][a], False, "salah input")
    panel.score(0, a, lambda c: 1)
    panel.send(0)
    res = panel.coordinator.results.report(panel.round_id).results.by_id()
    # own totals 33.33 (all 1) and 91.67 (B at 2): the mean per criterion averages them
    assert res[a].total == pytest.approx((100 / 3 + 75 + 25 * 2 / 3) / 2, abs=1e-6)


def test_scores_of_a_conflicted_assessor_never_count(panel: Panel) -> None:
    a, _b = _two(panel)
    for who in (0, 1, 2):
        panel.give(who, [a])
        panel.score(who, a, lambda c, w=who: 3 if w < 2 else 1)
        panel.send(who)
    before = panel.coordinator.results.report(panel.round_id).results.by_id()[a]
    assert len(before.assessors) == 3
    # declared after the bundle arrived: the assessor's scores stop counting at once
    panel.coordinator.planning.declare(panel.ids[2], a, "kerabat pemilik IKM")
    report = panel.coordinator.results.report(panel.round_id)
    after = report.results.by_id()[a]
    assert after.assessors == tuple(sorted(panel.ids[:2])) and after.total == 100
    assert report.excluded_conflicts == 1
    detail = panel.coordinator.results.detail(panel.round_id, a)
    assert detail.excluded == (panel.ids[2],)
    assert len(detail.sheets) == 3  # still visible in the drill-down


def test_moderation_needs_a_reason_sets_the_level_and_is_audited(panel: Panel) -> None:
    a, _b = _two(panel)
    for who in (0, 1):
        panel.give(who, [a])
        panel.score(who, a, lambda c, w=who: 1 if (c == "B4" and w == 0) else 3)
        panel.send(who)
    results = panel.coordinator.results
    first = results.report(panel.round_id).results.by_id()[a]
    assert Flag.DISAGREEMENT in first.flags
    with pytest.raises(ValidationError):
        results.moderate(a, "B4", 3, "   ")
    with pytest.raises(ValidationError):
        results.moderate(a, "B4", 4, "rapat panel")
    with pytest.raises(ValidationError):
        results.moderate(a, "Z9", 3, "rapat panel")
    results.moderate(a, "B4", 3, "Rapat panel 12 Oktober: bukti ekspor dilihat")
    after = results.report(panel.round_id).results.by_id()[a]
    assert after.total == 100 and Flag.MODERATED in after.flags
    b4 = next(c for c in after.criteria if c.criterion_id == "B4")
    assert b4.mean == 2 and b4.moderated == 3  # the original levels stay visible
    results.moderate(a, "B4", None, "keputusan ditarik")
    again = results.report(panel.round_id).results.by_id()[a]
    assert again.total == first.total
    detail = results.detail(panel.round_id, a)
    assert [m.level for m in detail.moderation] == [3, None]
    with panel.coordinator.store.read() as s:
        actions = [r.action for r in s.query(AuditRow).order_by(AuditRow.seq)]
    assert actions[-2:] == ["results.moderate", "results.unmoderate"]
    with pytest.raises(UserFacingError):
        results.moderate(a, "B4", None, "tidak ada moderasi")


def test_progress_board_shows_what_is_missing(panel: Panel) -> None:
    a, b = _two(panel)
    panel.give(0, [a, b])
    panel.give(1, [a])
    panel.score(0, a, lambda c: 2)
    panel.score(0, b, lambda c: 2, finish=False)
    panel.send(0)
    board = panel.coordinator.results.progress(panel.round_id)
    mine = {p.assessor.id: p for p in board.assessors}
    first = mine[panel.ids[0]]
    assert (first.bundles, first.last_seq, first.assigned, first.finished,
            first.in_progress) == (1, 1, 2, 1, 1)
    assert first.missing == (b,)
    second = mine[panel.ids[1]]
    assert (second.bundles, second.last_seq, second.finished) == (0, None, 0)
    per = {c.candidate_id: c for c in board.candidates}
    assert per[a].finished == (panel.ids[0],) and per[a].missing == (panel.ids[1],)


def test_go_global_shortlist_and_curation(panel: Panel) -> None:
    a, b = _two(panel)
    for who in (0, 1):
        panel.give(who, [a, b])
        panel.score(who, a, lambda c: 3)
        panel.score(who, b, lambda c: 1)
        panel.send(who)
    results = panel.coordinator.results
    entries = results.shortlist(panel.round_id)
    assert [e.result.candidate_id for e in entries] == [a]  # b has no star
    results.curate(a, True, "Siap pameran; perlu sertifikat SVLK")
    [entry] = results.shortlist(panel.round_id)
    assert entry.selected and entry.note.startswith("Siap")
    with pytest.raises(ValidationError):
        results.curate(a, True, "x" * 5000)


def test_the_drill_down_shows_the_photos_that_came_in_the_bundle(panel: Panel,
                                                                 tmp_path: Path) -> None:
    from PIL import Image

    a, _b = _two(panel)
    panel.give(0, [a])
    picture = tmp_path / "tenun.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture)
    local = panel._local[0][a]
    panel.assessors[0].evidence.add(local, picture, "C1")
    panel.assessors[0].evidence.add(local, picture, "")
    panel.score(0, a, lambda c: 3)
    panel.send(0)
    results = panel.coordinator.results
    report = results.report(panel.round_id)
    photos = results.photos(report, a)
    assert sorted(p.criterion_id for p in photos) == ["", "C1"]
    assert all(p.assessor_id == panel.ids[0] and p.data == picture.read_bytes() for p in photos)
    # a kept bundle file that no longer matches its hash shows nothing rather than a forgery
    kept = next(panel.coordinator.paths.bundles.glob("*.zip"))
    kept.write_bytes(kept.read_bytes()[:-10])
    assert results.photos(report, a) == []


def test_an_association_recorded_after_the_visit_excludes_that_assessor(panel: Panel,
                                                                       english) -> None:
    from dataclasses import replace

    a, _b = _two(panel)
    for who in (0, 1, 2):
        panel.give(who, [a])
        panel.score(who, a, lambda c, w=who: 3 if w < 2 else 1)
        panel.send(who)
    ws = panel.coordinator
    candidate = ws.candidates.get(a)
    # assessor 0's institution (Yayasan Batik Indonesia) turns out to be the IKM's association
    ws.candidates.update(a, replace(candidate.data, associations=("Yayasan Batik Indonesia",)))
    report = ws.results.report(panel.round_id)
    assert report.results.by_id()[a].assessors == tuple(sorted(panel.ids[1:]))
    detail = ws.results.detail(panel.round_id, a, report)
    assert "Yayasan Batik Indonesia" in detail.excluded_reasons[panel.ids[0]]


def test_candidate_facts_unpack_the_columns_in_the_order_the_repository_reads_them() -> None:
    """services/results._facts unpacks round_candidates' rows by position (fast); a column
    added or moved in one place only would silently shift every fact shown and exported."""
    from types import SimpleNamespace

    from ovop_desktop.data import results_repo
    from ovop_desktop.services import results as service

    row = tuple(f"<{name}>" for name in results_repo.FACT_FIELDS)  # each value names its column
    names = SimpleNamespace(of=lambda code: ("kab/kota", "provinsi"))
    facts, infos = service._facts([row], names)  # type: ignore[arg-type]
    [got] = facts.values()
    for column in results_repo.FACT_FIELDS:
        field = {"sentra_name": "sentra"}.get(column, column)
        assert getattr(got, field) == f"<{column}>", column
    assert (got.regency, got.province) == ("kab/kota", "provinsi")
    assert infos[0].commodity == "<commodity>"
