"""Evidence photos and the visit note on the scoring sheet, read back from the store."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QEvent, QMimeData, QObject, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from test_scoring_sheet import press, score_all

from ovop_desktop.domain.candidates import CandidateData
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.views import scoring_panels, scoring_photos
from ovop_desktop.ui.views.scoring_photos import VISIT
from ovop_desktop.ui.views.scoring_sheet import ScoringSheet


def make_photo(folder: Path, name: str, size: tuple[int, int] = (1600, 1200),
               hue: int = 0) -> Path:
    """A real image with something to see: a workshop-ish scene of coloured blocks."""
    image = Image.new("RGB", size, (40 + hue % 200, 110, 160 - hue % 120))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((w // 8, h // 3, w // 2, h - h // 8), fill=(200, 160 - hue % 100, 60))
    draw.ellipse((w // 2, h // 8, w - w // 8, h // 2), fill=(240, 230, 200))
    path = folder / name
    image.save(path, "PNG" if name.lower().endswith(".png") else "JPEG", quality=85)
    return path


class Chosen(list[Path]):
    """What the (monkeypatched) file dialog answers; `asked` holds the filters it was shown."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, _title: str, _dir: str,
                 filters: str) -> tuple[list[str], str]:
        self.asked.append(filters)
        return [str(p) for p in self], filters.split(";;")[0]


@pytest.fixture
def chosen(monkeypatch: pytest.MonkeyPatch) -> Chosen:
    answer = Chosen()
    monkeypatch.setattr(scoring_photos.QFileDialog, "getOpenFileNames", answer)
    return answer


def settle(qtbot, sheet: ScoringSheet) -> None:
    """Wait for adding and thumbnail decoding on the pool to report back."""
    qtbot.waitUntil(lambda: sheet.photos.adding == 0 and sheet.photos.decoding == 0,
                    timeout=15000)


def drop(target: QWidget, paths: list[Path]) -> bool:
    """Drag files over target and drop them, as a file manager does; True if accepted."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(target.rect().center())
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(point, actions, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(point, actions, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def test_add_by_file_dialog_shows_busy_then_thumbnails(qtbot, sheet: ScoringSheet,
                                                       assessor_ctx: AppContext, batik: int,
                                                       chosen: Chosen,
                                                       tmp_path: Path) -> None:
    chosen[:] = [make_photo(tmp_path, "produk.jpg", (3000, 2000)),
                 make_photo(tmp_path, "label.png", (800, 600), hue=90)]
    row = sheet.rows[0]
    press("P")  # the keyboard way: P on the highlighted criterion
    assert "*.jpg" in chosen.asked[0] and "*.png" in chosen.asked[0]
    strip = sheet.photos.strips[row.criterion_id]
    assert strip.busy and not strip.add_button.isEnabled()
    assert strip.busy_label.isVisible() and "2" in strip.busy_label.text()
    settle(qtbot, sheet)
    assert not strip.busy and strip.add_button.isEnabled() and strip.isVisible()
    assert [t.photo.file_name for t in strip.thumbs] == ["produk.jpg", "label.png"]
    assert all(t.has_image() for t in strip.thumbs)
    photos = assessor_ctx.workspace.evidence.photos(batik)
    assert [(p.criterion_id, p.width, p.height) for p in photos] == [
        (row.criterion_id, 3000, 2000), (row.criterion_id, 800, 600)]
    assert sheet.save_state.property("state") == "saved"
    assert not sheet.photos.strips[sheet.rows[1].criterion_id].isVisible()  # no photos: no strip

    chosen[:] = [make_photo(tmp_path, "bengkel.jpg", hue=30)]
    button = sheet.photos.strips[sheet.rows[2].criterion_id].add_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the mouse way
    settle(qtbot, sheet)
    assert sheet.photos.count(sheet.rows[2].criterion_id) == 1


def test_drop_on_a_criterion_and_on_the_visit(qtbot, sheet: ScoringSheet,
                                              assessor_ctx: AppContext, batik: int,
                                              tmp_path: Path) -> None:
    first = make_photo(tmp_path, "a.jpg")
    second = make_photo(tmp_path, "b.png", hue=50)
    row = sheet.rows[3]
    assert drop(row, [first])
    settle(qtbot, sheet)
    assert drop(row.note, [second])  # over the note: a photo, not the file's path as text
    settle(qtbot, sheet)
    assert row.note.text() == ""
    assert drop(sheet.visit_section, [first, second])
    settle(qtbot, sheet)
    assert sheet.photos.count(row.criterion_id) == 2 and sheet.photos.count(VISIT) == 2
    assert not sheet.visit_strip.empty.isVisible()
    stored = [(p.criterion_id, p.file_name) for p in assessor_ctx.workspace.evidence.photos(batik)]
    assert stored == [(row.criterion_id, "a.jpg"), (row.criterion_id, "b.png"),
                      (VISIT, "a.jpg"), (VISIT, "b.png")]
    # the same sheet opened again shows them (thumbnails now from the cache)
    assert sheet.load(batik)
    settle(qtbot, sheet)
    assert all(t.has_image() for t in sheet.visit_strip.thumbs)


def test_large_view_and_remove(qtbot, sheet: ScoringSheet, assessor_ctx: AppContext,
                               batik: int, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert drop(sheet.visit_section, [make_photo(tmp_path, "sentra.jpg", (4000, 3000))])
    settle(qtbot, sheet)
    thumb = sheet.visit_strip.thumbs[0]
    qtbot.mouseClick(thumb, Qt.MouseButton.LeftButton)
    dialog = sheet.photos.dialog
    assert dialog is not None and dialog.isVisible()
    pixmap = dialog.image.pixmap()
    assert pixmap.width() > 480 and pixmap.width() <= 1100  # the original, scaled to fit
    assert "sentra.jpg" in dialog.caption.text() and "4000 × 3000" in dialog.caption.text()
    assert dialog.remove_button.isVisible()

    monkeypatch.setattr(scoring_panels, "confirm", lambda *_a: False)
    dialog.remove_button.click()
    assert len(assessor_ctx.workspace.evidence.photos(batik)) == 1 and dialog.isVisible()
    monkeypatch.setattr(scoring_panels, "confirm", lambda *_a: True)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: sheet.photos.dialog is None)
    assert assessor_ctx.workspace.evidence.photos(batik) == []
    assert sheet.visit_strip.thumbs == [] and sheet.visit_strip.empty.isVisible()


def test_visit_note_saved_on_leaving_and_after_a_pause(qtbot, sheet: ScoringSheet,
                                                       assessor_ctx: AppContext,
                                                       batik: int) -> None:
    scoring = assessor_ctx.workspace.scoring
    note = sheet.visit_note
    note.setFocus()
    QTest.keyClicks(note, "Bengkel bersih, 12 pekerja")
    assert sheet.save_state.property("state") == "pending"
    assert scoring.sheet_note(batik) == ""
    sheet.rows[0].setFocus()  # leaving the field saves it
    assert scoring.sheet_note(batik) == "Bengkel bersih, 12 pekerja"
    assert sheet.save_state.property("state") == "saved"
    assert sheet.status == "in_progress"

    note.setFocus()
    QTest.keyClicks(note, "; pewarna alam")
    qtbot.waitUntil(lambda: scoring.sheet_note(batik).endswith("pewarna alam"), timeout=5000)
    QTest.keyClick(note, Qt.Key.Key_Return)
    QTest.keyClicks(note, "Listrik padam saat kunjungan")
    sheet.flush_notes()  # leaving the sheet or closing the window does not wait for the pause
    assert scoring.sheet_note(batik) == ("Bengkel bersih, 12 pekerja; pewarna alam\n"
                                         "Listrik padam saat kunjungan")

    again = ScoringSheet(assessor_ctx)
    qtbot.addWidget(again)
    assert again.load(batik)
    assert again.visit_note.text() == scoring.sheet_note(batik)


def test_a_file_that_is_not_an_image_is_refused(qtbot, sheet: ScoringSheet,
                                                assessor_ctx: AppContext, batik: int,
                                                chosen: Chosen, errors: list[BaseException],
                                                tmp_path: Path) -> None:
    text = tmp_path / "catatan.jpg"
    text.write_text("bukan foto")
    good = make_photo(tmp_path, "ok.jpg")
    chosen[:] = [text]
    sheet.photos.add_from_dialog(sheet.rows[0].criterion_id)
    settle(qtbot, sheet)
    assert len(errors) == 1 and "catatan.jpg" in str(errors[0])
    assert assessor_ctx.workspace.evidence.photos(batik) == []
    assert not sheet.photos.strips[sheet.rows[0].criterion_id].busy

    chosen[:] = [text, good, tmp_path / "vanished.jpg"]  # one good among two bad: it is kept
    sheet.photos.add_from_dialog(VISIT)
    settle(qtbot, sheet)
    assert len(errors) == 2 and len(errors[1].problems) == 2
    assert [p.file_name for p in assessor_ctx.workspace.evidence.photos(batik)] == ["ok.jpg"]


def test_finished_sheet_is_read_only(qtbot, sheet: ScoringSheet, assessor_ctx: AppContext,
                                     batik: int, chosen: Chosen, tmp_path: Path) -> None:
    photo = make_photo(tmp_path, "x.jpg")
    assert drop(sheet.rows[0], [photo])
    settle(qtbot, sheet)
    score_all(sheet)
    sheet.finish_button.click()
    assert sheet.status == "finished"
    assert sheet.visit_note.isReadOnly()
    assert not sheet.visit_strip.add_button.isVisible()
    assert not sheet.photos.strips[sheet.rows[0].criterion_id].add_button.isVisible()
    assert not drop(sheet.rows[1], [photo]) and not drop(sheet.visit_section, [photo])
    chosen[:] = [photo]
    sheet.rows[1].setFocus()
    press("P")
    sheet.photos.add_from_dialog(VISIT)
    assert chosen.asked == []
    assert len(assessor_ctx.workspace.evidence.photos(batik)) == 1
    qtbot.mouseClick(sheet.photos.strips[sheet.rows[0].criterion_id].thumbs[0],
                     Qt.MouseButton.LeftButton)
    assert sheet.photos.dialog is not None and not sheet.photos.dialog.remove_button.isVisible()
    sheet.photos.dialog.reject()


class PaintSpy(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def first_paint(qtbot, ctx: AppContext, candidate_id: int) -> tuple[float, float]:
    """(ms from load() to the first paint of the criteria, ms until every thumbnail shows)."""
    widget = ScoringSheet(ctx)
    qtbot.addWidget(widget)
    widget.resize(1090, 740)
    spy = PaintSpy()
    started = time.perf_counter()
    assert widget.load(candidate_id)
    widget.scroll.widget().installEventFilter(spy)
    widget.show()
    qtbot.waitUntil(lambda: spy.at is not None, timeout=10000)
    assert spy.at is not None
    qtbot.waitUntil(lambda: widget.photos.decoding == 0, timeout=10000)
    done = time.perf_counter()
    widget.close()
    return (spy.at - started) * 1000, (done - started) * 1000


def test_first_paint_with_20_photos(qtbot, assessor_ctx: AppContext, batik: int,
                                    tmp_path: Path) -> None:
    """Opening a sheet with 20 photos vs none: time to first paint (goal ≤ 2×)."""
    ws = assessor_ctx.workspace
    bare = ws.candidates.create_many(ws.current_round().id, [CandidateData(  # type: ignore[union-attr]
        name="Batik Cap Lasem", region_code="33.17", commodity=Commodity.KAIN_BATIK,
        product="Batik cap")], "test")[0]
    widget = ScoringSheet(assessor_ctx)
    assert widget.load(batik)
    criteria = [r.criterion_id for r in widget.rows]
    for i in range(20):  # 4000×3000 camera photos: 2 per criterion on 6 criteria, 8 of the visit
        ws.evidence.add(batik, make_photo(tmp_path, f"foto{i:02}.jpg", (4000, 3000), hue=i * 13),
                        criteria[i // 2] if i < 12 else VISIT)
    assert len(ws.evidence.photos(batik)) == 20
    first_paint(qtbot, assessor_ctx, bare)  # warm-up: fonts, styles, imports
    first_paint(qtbot, assessor_ctx, batik)
    none, twenty, all_thumbs = [], [], []
    for _ in range(5):
        none.append(first_paint(qtbot, assessor_ctx, bare)[0])
        paint, thumbs = first_paint(qtbot, assessor_ctx, batik)
        twenty.append(paint)
        all_thumbs.append(thumbs)
    without, with_photos = statistics.median(none), statistics.median(twenty)
    ratio = with_photos / without
    print(f"\nfirst paint: no photos {without:.0f} ms, 20 photos {with_photos:.0f} ms "
          f"(ratio {ratio:.2f}); all 20 thumbnails shown after "
          f"{statistics.median(all_thumbs):.0f} ms")
    assert ratio <= 2.0


def test_screenshot_with_photos(qtbot, sheet: ScoringSheet, assessor_ctx: AppContext,
                                batik: int, tmp_path: Path, shots: Path) -> None:
    ws = assessor_ctx.workspace
    ids = [r.criterion_id for r in sheet.rows]
    for i, criterion in enumerate([ids[0], ids[0], ids[0], ids[1], VISIT, VISIT, VISIT]):
        ws.evidence.add(batik, make_photo(tmp_path, f"bukti{i}.jpg", (1600, 1200), hue=i * 37),
                        criterion)
    press("3")
    press(Qt.Key.Key_Down)
    press("2")
    assert sheet.load(batik)
    settle(qtbot, sheet)
    sheet.visit_note.set_note("Bengkel bersih dan tertata; 12 pekerja, 9 perempuan.")
    sheet.resize(1280, 800)
    sheet.rows[0].setFocus()
    sheet.scroll.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    assert sheet.grab().save(str(shots / "scoring-sheet-photos.png"))
    sheet.scroll.verticalScrollBar().setValue(sheet.scroll.verticalScrollBar().maximum())
    QApplication.processEvents()
    assert sheet.grab().save(str(shots / "scoring-sheet-visit.png"))
    qtbot.mouseClick(sheet.photos.strips[ids[0]].thumbs[0], Qt.MouseButton.LeftButton)
    dialog = sheet.photos.dialog
    assert dialog is not None
    QApplication.processEvents()
    assert dialog.grab().save(str(shots / "scoring-photo-large.png"))
    dialog.reject()
