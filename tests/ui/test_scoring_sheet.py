"""The scoring sheet: keyboard and mouse scoring read back from the store, notes, finish, reopen."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _ as translated
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.views import scoring_sheet as sheet_module
from ovop_desktop.ui.views.scoring_sheet import ScoringSheet
from ovop_desktop.ui.views.scoring_widgets import ReasonDialog, aspect_scores


def press(key: Qt.Key | str) -> None:
    """A key as the assessor types it: to whatever has the focus."""
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClick(target, key)


def stored(ctx: AppContext, candidate_id: int) -> tuple[str, dict[str, tuple[int, str]]]:
    return ctx.workspace.scoring.sheet(candidate_id)


def test_keyboard_scores_and_moves(sheet: ScoringSheet, assessor_ctx: AppContext,
                                   batik: int) -> None:
    press("3")
    press(Qt.Key.Key_Down)
    press("2")
    press(Qt.Key.Key_Down)
    press("1")
    press(Qt.Key.Key_Up)
    press("3")  # changes the second criterion
    status, scores = stored(assessor_ctx, batik)
    ids = [r.criterion_id for r in sheet.rows]
    assert status == "in_progress"
    assert scores == {ids[0]: (3, ""), ids[1]: (3, ""), ids[2]: (1, "")}
    assert sheet.rows[1].level() == 3 and sheet.rows[1].hasFocus()
    assert sheet.save_state.property("state") == "saved"
    history = assessor_ctx.workspace.scoring.history(batik)
    assert [(h[2], h[3], h[4]) for h in history[:2]] == [(ids[1], "2", "3"), (ids[2], "", "1")]


def test_tab_goes_through_notes_and_up_down_work_from_a_note(sheet: ScoringSheet) -> None:
    press("2")
    press(Qt.Key.Key_Tab)
    assert sheet.rows[0].note.hasFocus()
    press(Qt.Key.Key_Down)
    assert sheet.rows[1].hasFocus()
    press(Qt.Key.Key_Tab)  # the unscored criterion's note is disabled: straight to the next
    assert sheet.rows[2].hasFocus()


def test_mouse_clicks_level_cards(qtbot, sheet: ScoringSheet, assessor_ctx: AppContext,
                                  batik: int) -> None:
    row = sheet.rows[5]
    qtbot.mouseClick(row.cards[1], Qt.MouseButton.LeftButton)
    assert row.hasFocus() and row.cards[1].is_chosen()
    qtbot.mouseClick(row.cards[2], Qt.MouseButton.LeftButton)
    assert not row.cards[1].is_chosen() and row.cards[2].is_chosen()
    assert stored(assessor_ctx, batik)[1] == {row.criterion_id: (3, "")}
    press(Qt.Key.Key_Down)
    press("1")  # the keyboard carries on from the clicked criterion
    assert stored(assessor_ctx, batik)[1][sheet.rows[6].criterion_id] == (1, "")


def test_note_saved_when_editing_finishes_and_after_a_pause(qtbot, sheet: ScoringSheet,
                                                           assessor_ctx: AppContext,
                                                           batik: int) -> None:
    first, second = sheet.rows[0], sheet.rows[1]
    assert not first.note.isEnabled()  # a note is stored with a level: level first
    press("2")
    press(Qt.Key.Key_Tab)
    QTest.keyClicks(first.note, "Bahan baku  dari Pekalongan ")
    assert sheet.save_state.property("state") == "pending"  # not shown as saved while typing
    press(Qt.Key.Key_Tab)  # leaving the field finishes the edit
    assert stored(assessor_ctx, batik)[1][first.criterion_id] == (2, "Bahan baku dari Pekalongan")
    assert sheet.save_state.property("state") == "saved"
    second.setFocus()
    press("3")
    second.note.setFocus()
    QTest.keyClicks(second.note, "SOP dipasang")  # no focus change: the pause saves it
    qtbot.waitUntil(lambda: stored(assessor_ctx, batik)[1][second.criterion_id][1]
                    == "SOP dipasang", timeout=5000)
    QTest.keyClicks(second.note, " di dinding")
    sheet.flush_notes()  # leaving the sheet or closing the window does not wait for the pause
    assert stored(assessor_ctx, batik)[1][second.criterion_id] == (3, "SOP dipasang di dinding")


def score_all(sheet: ScoringSheet, level: str = "3") -> None:
    sheet.rows[0].setFocus()
    for _row in sheet.rows:
        press(level)
        press(Qt.Key.Key_Down)


def test_finish_only_when_complete_then_read_only(sheet: ScoringSheet, assessor_ctx: AppContext,
                                                  batik: int) -> None:
    assert not sheet.finish_button.isEnabled()
    score_all(sheet, "2")
    assert sheet.panel.total.text() == "66.7 / 100"
    sheet.rows[-1].setFocus()
    press("3")
    assert sheet.finish_button.isEnabled()
    sheet.finish_button.click()
    assert stored(assessor_ctx, batik)[0] == "finished"
    assert sheet.reopen_button.isVisible() and not sheet.finish_button.isVisible()
    assert sheet.banner.isVisible() and sheet.rows[0].note.isReadOnly()
    sheet.rows[0].setFocus()
    press("1")  # ignored: the sheet is finished
    sheet.rows[0].cards[0].clicked.emit(1)
    assert stored(assessor_ctx, batik)[1][sheet.rows[0].criterion_id][0] == 2
    assert sheet.rows[0].level() == 2


def test_reopen_requires_a_reason(qtbot, sheet: ScoringSheet, assessor_ctx: AppContext,
                                  batik: int, monkeypatch: pytest.MonkeyPatch) -> None:
    score_all(sheet)
    sheet.finish_button.click()
    monkeypatch.setattr(sheet_module, "ask_reason", lambda _parent: None)  # cancelled
    sheet.reopen_button.click()
    assert stored(assessor_ctx, batik)[0] == "finished"
    monkeypatch.setattr(sheet_module, "ask_reason", lambda _parent: "Foto bukti kurang")
    sheet.reopen_button.click()
    assert stored(assessor_ctx, batik)[0] == "in_progress"
    assert sheet.finish_button.isVisible() and not sheet.rows[0].read_only
    history = assessor_ctx.workspace.scoring.history(batik)
    assert history[0][2:] == ("*", "finished", "in_progress", "Foto bukti kurang")
    sheet.tabs.setCurrentIndex(1)
    assert sheet.history_model.rowCount() == len(history)

    dialog = ReasonDialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    dialog.reason.setPlainText("   ")
    assert not dialog.ok.isEnabled()
    dialog.reason.setPlainText("Salah  ketik")
    assert dialog.ok.isEnabled() and dialog.text() == "Salah ketik"


def test_a_failed_save_reverts_the_display(sheet: ScoringSheet, assessor_ctx: AppContext,
                                           batik: int, errors: list[BaseException],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    press("2")
    service = assessor_ctx.workspace.scoring

    def refuse(*_args: object) -> None:
        raise UserFacingError("disk full")

    monkeypatch.setattr(service, "set_score", refuse)
    press("3")
    assert sheet.rows[0].level() == 2
    assert sheet.save_state.property("state") == "error"
    assert [str(e) for e in errors] == ["disk full"]
    assert stored(assessor_ctx, batik)[1] == {sheet.rows[0].criterion_id: (2, "")}


def test_conflicted_candidate_is_refused(qtbot, assessor_ctx: AppContext, batik: int,
                                         errors: list[BaseException]) -> None:
    assessor_ctx.workspace.planning.declare(None, batik, "kerabat")
    widget = ScoringSheet(assessor_ctx)
    qtbot.addWidget(widget)
    assert not widget.load(batik)
    assert len(errors) == 1 and "kerabat" in str(errors[0])
    assert widget.candidate_id is None


def test_running_subtotals_follow_the_domain_rule(sheet: ScoringSheet) -> None:
    rubric = sheet.rubric
    assert rubric is not None
    aspect = rubric.aspects[0]
    press("3")
    press(Qt.Key.Key_Down)
    press("1")
    expected = (3 + 1) / (3 * len(aspect.criteria)) * aspect.weight
    assert aspect_scores(rubric, {c: v[0] for c, v in sheet.stored.items()})[0].points \
        == pytest.approx(expected)
    assert sheet.panel.total.text() == f"{expected:.1f} / 100"
    assert "*" in sheet.findChild(type(sheet.title), f"aspectPoints_{aspect.id}").text()


def test_keypress_to_commit_latency(sheet: ScoringSheet, assessor_ctx: AppContext,
                                    batik: int) -> None:
    """200 presses, each one a change stored durably; prints p50/p95 of both timings."""
    sheet.commit_ms.clear()
    whole = []
    for i in range(200):
        started = time.perf_counter()
        press("123"[i % 3])
        whole.append((time.perf_counter() - started) * 1000)
        if i % 3 == 2:
            press(Qt.Key.Key_Down)
    assert len(sheet.commit_ms) == 200

    def pct(values: list[float], p: int) -> float:
        return statistics.quantiles(values, n=100)[p - 1]

    print(f"\nset_score: p50 {pct(sheet.commit_ms, 50):.1f} ms, "
          f"p95 {pct(sheet.commit_ms, 95):.1f} ms; key press to committed and shown: "
          f"p50 {pct(whole, 50):.1f} ms, p95 {pct(whole, 95):.1f} ms")
    assert len(assessor_ctx.workspace.scoring.history(batik)) == 200


def test_opening_time(qtbot, assessor_ctx: AppContext, batik: int) -> None:
    """Prints how long load() takes: the first time (builds the widgets) and again."""
    widget = ScoringSheet(assessor_ctx)
    qtbot.addWidget(widget)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        assert widget.load(batik)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"\nsheet load: first {timings[0]:.0f} ms, again {min(timings[1:]):.0f} ms "
          f"({len(widget.rows)} criteria)")


def test_screenshot(qtbot, sheet: ScoringSheet, shots: Path) -> None:
    for key in ("3", Qt.Key.Key_Down, "2", Qt.Key.Key_Tab):
        press(key)
    QTest.keyClicks(sheet.rows[1].note, "Bahan baku lokal")
    sheet.resize(1280 - 190, 800 - 60)
    assert sheet.grab().save(str(shots / "scoring-sheet-typing.png"))
    score_all(sheet, "2")
    sheet.finish_button.click()
    sheet.tabs.setCurrentIndex(1)
    assert sheet.grab().save(str(shots / "scoring-sheet-finished-history.png"))


# -- the actual visit date --------------------------------------------------------------------

def test_visit_date_is_saved_at_once_from_the_keyboard(
        qtbot, sheet: ScoringSheet, assessor_ctx: AppContext, batik: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from ovop_desktop.services import scoring

    monkeypatch.setattr(scoring, "today", lambda: date(2024, 8, 20))
    assessor_ctx.workspace.planning.set_visit(batik, date(2024, 8, 12))
    assert sheet.load(batik)
    field = sheet.visit_date
    scoring_api = assessor_ctx.workspace.scoring
    assert "2024-08-12" in field.planned.text() and "2024-08-12" in sheet.identity.text()
    assert not field.visited.isChecked() and not field.date_edit.isEnabled()
    assert field.today_button.isEnabled()

    field.visited.setFocus()
    press(Qt.Key.Key_Space)  # ticked: the planned date is offered and stored at once
    assert scoring_api.visited_on(batik) == date(2024, 8, 12)
    assert sheet.save_state.property("state") == "saved"
    assert field.date_edit.isEnabled()

    field.date_edit.setFocus()
    field.date_edit.setCurrentSection(field.date_edit.Section.DaySection)
    press(Qt.Key.Key_Up)  # the next day, held back until a pause or leaving the field
    assert sheet.save_state.property("state") == "pending"
    press(Qt.Key.Key_Up)
    press(Qt.Key.Key_Tab)
    assert scoring_api.visited_on(batik) == date(2024, 8, 14)
    assert [h[3:5] for h in scoring_api.history(batik)] == [
        ("2024-08-12", "2024-08-14"), ("", "2024-08-12")]  # one change for two key presses

    field.today_button.click()
    assert scoring_api.visited_on(batik) == date(2024, 8, 20)
    assert field.date_edit.date().toPython() == date(2024, 8, 20)

    field.visited.setFocus()
    press(Qt.Key.Key_Space)  # unticked: no date recorded
    assert scoring_api.visited_on(batik) is None
    assert sheet.save_state.property("state") == "saved"
    sheet.tabs.setCurrentIndex(1)
    assert sheet.history_model.index(0, 2).data() == translated("Actual visit date")


def test_visit_date_pending_is_flushed_when_leaving(qtbot, sheet: ScoringSheet,
                                                   assessor_ctx: AppContext, batik: int) -> None:
    from datetime import date

    from PySide6.QtCore import QDate

    sheet.visit_date.visited.click()
    first = assessor_ctx.workspace.scoring.visited_on(batik)
    assert first is not None
    sheet.visit_date.date_edit.setDate(QDate(2024, 7, 1))  # typed, no pause yet
    assert assessor_ctx.workspace.scoring.visited_on(batik) == first
    with qtbot.waitSignal(sheet.back_requested):
        sheet.back_button.click()  # leaving the sheet does not wait for the pause
    assert assessor_ctx.workspace.scoring.visited_on(batik) == date(2024, 7, 1)


def test_visit_date_is_read_only_on_a_finished_sheet(sheet: ScoringSheet,
                                                     assessor_ctx: AppContext,
                                                     batik: int) -> None:
    from datetime import date

    assessor_ctx.workspace.scoring.set_visited(batik, date(2024, 8, 13))
    assert sheet.load(batik)
    assert sheet.visit_date.value() == date(2024, 8, 13)
    score_all(sheet)
    sheet.finish_button.click()
    field = sheet.visit_date
    assert not field.visited.isEnabled() and not field.date_edit.isEnabled()
    assert not field.today_button.isEnabled()
    again = ScoringSheet(assessor_ctx)  # opened later: read-only from the start
    assert again.load(batik)
    assert not again.visit_date.visited.isEnabled() and not again.visit_date.date_edit.isEnabled()
    assert again.visit_date.value() == date(2024, 8, 13)
    again.deleteLater()


def test_a_refused_visit_date_goes_back_to_what_is_stored(
        sheet: ScoringSheet, assessor_ctx: AppContext, batik: int,
        errors: list[BaseException], monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from PySide6.QtCore import QDate

    service = assessor_ctx.workspace.scoring
    service.set_visited(batik, date(2024, 8, 13))
    assert sheet.load(batik)

    def refuse(*_args: object) -> None:
        raise UserFacingError("disk full")

    monkeypatch.setattr(service, "set_visited", refuse)
    sheet.visit_date.date_edit.setDate(QDate(2024, 8, 15))
    sheet.visit_date.flush()
    assert [str(e) for e in errors] == ["disk full"]
    assert sheet.save_state.property("state") == "error"
    assert sheet.visit_date.value() == date(2024, 8, 13) == service.visited_on(batik)


def test_no_visit_date_before_the_round_year_begins(qtbot, assessor_ctx: AppContext,
                                                    batik: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from ovop_desktop.services import scoring

    monkeypatch.setattr(scoring, "today", lambda: date(2023, 11, 30))
    widget = ScoringSheet(assessor_ctx)
    qtbot.addWidget(widget)
    assert widget.load(batik)
    field = widget.visit_date
    assert not field.visited.isEnabled() and not field.today_button.isEnabled()
    assert field.toolTip()
