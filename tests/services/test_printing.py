"""Printed documents: what a reader finds on the page, page by page, and what never happens
(markup interpreted, text past the edge, a half-written PDF, a missing glyph)."""

from __future__ import annotations

import errno
import io
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange_fixtures import FAST_KDF, Exchange, make_exchange  # noqa: E402

from ovop_desktop.data.schema import now_iso  # noqa: E402
from ovop_desktop.domain.bundle_rules import Outcome  # noqa: E402
from ovop_desktop.domain.candidates import CandidateData  # noqa: E402
from ovop_desktop.domain.commodities import Commodity  # noqa: E402
from ovop_desktop.domain.profile import Role  # noqa: E402
from ovop_desktop.errors import NotFoundError, UserFacingError  # noqa: E402
from ovop_desktop.services import identity  # noqa: E402
from ovop_desktop.services.bundles import ImportOutcome  # noqa: E402
from ovop_desktop.services.printing import Cancelled, sources, write_pdf  # noqa: E402
from ovop_desktop.services.printing.field_form import field_forms  # noqa: E402
from ovop_desktop.services.printing.fonts import (  # noqa: E402
    FONTS,
    missing_glyphs,
    register_fonts,
)
from ovop_desktop.services.printing.graphics import (  # noqa: E402
    Bar,
    bar_chart,
    qr_code,
    stars,
    verification_block,
)
from ovop_desktop.services.printing.import_receipt import (  # noqa: E402
    ImportReceipt,
    import_receipt,
)
from ovop_desktop.services.printing.key_card import key_card, qr_payload  # noqa: E402
from ovop_desktop.services.printing.layout import (  # noqa: E402
    F4,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PageSpec,
    frame_width,
    para,
    render,
    safe_text,
    styles,
    table,
)
from ovop_desktop.services.printing.screening_summary import screening_summary  # noqa: E402
from ovop_desktop.services.printing.translate import Translator  # noqa: E402
from ovop_desktop.services.signing import parse_fingerprint  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402

MARKUP_NAME = '<font color=red>Batik & Co</font> <img src="x.png"/>'
WORLD_NAME = "Ñoño Ğüçlü Łódź Nguyễn Đặng"
LONG_WORD = "Panjang" * 43  # 301 characters, no space to break at
LONG_NOTE = ("Catatan kunjungan: pembukuan rapi, bukti penjualan lengkap, bahan baku lokal. "
             * 26)[:2000]


# -- reading PDFs -----------------------------------------------------------------------------


def pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces (wrapping is layout)."""
    return " ".join(text.split())


def page_texts(data: bytes) -> list[str]:
    return [flat(p.extract_text()) for p in pdf(data).pages]


def all_text(data: bytes) -> str:
    return " ".join(page_texts(data))


def body_text(data: bytes) -> str:
    """The text between header and footer on every page, joined: what flowed across pages."""
    parts: list[str] = []
    for page in pdf(data).pages:
        runs: list[tuple[float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float,
                  runs: list[tuple[float, str]] = runs) -> None:
            runs.append((cm[5] + tm[5] * cm[3], text))

        page.extract_text(visitor_text=visit)
        top = float(page.mediabox.height) - MARGIN_TOP
        parts += [text for y, text in runs if MARGIN_BOTTOM - 1 <= y <= top + 1]
    return flat(" ".join(parts))


def page_label(language: str, page: int, pages: int) -> str:
    return Translator(language)("Page {page} of {pages}").format(page=page, pages=pages)


def text_runs(data: bytes) -> Iterator[tuple[int, float, float, float, str]]:
    """(page number, left x, right x, font size, text) of every run of text drawn."""
    for n, page in enumerate(pdf(data).pages):
        runs: list[tuple[float, str, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  runs: list[tuple[float, str, float, str]] = runs) -> None:
            line = text.strip("\n")
            if line.strip() and isinstance(font, dict):
                base = str(font.get("/BaseFont", ""))
                face = FONTS.bold if "Bold" in base else (
                    FONTS.italic if "Oblique" in base else FONTS.regular)
                runs.append((cm[4] + tm[4] * cm[0], face, size * tm[0] * cm[0], line))

        page.extract_text(visitor_text=visit)
        for x, face, size, line in runs:
            yield n, x, x + stringWidth(line, face, size), size, line


def assert_within_margins(data: bytes, paper_width: float) -> None:
    for page, left, right, _size, line in text_runs(data):
        assert left >= MARGIN_X - 1, (page, line)
        assert right <= paper_width - MARGIN_X + 2, (page, right, line)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def round_(demo_workspace: Workspace):  # type: ignore[no-untyped-def]
    return sources.current_round(demo_workspace)


def _candidate(ws: Workspace, name: str, **changes: object) -> int:
    round_ = sources.current_round(ws)
    data = CandidateData(name=name, region_code="32.05", commodity=Commodity.KAIN_BATIK,
                         product="Batik tulis", owner="Ibu Ratna", address="Jl. Pasar 1",
                         sentra_name="Sentra Batik Garutan", nib="9120001234567")
    return ws.candidates.create(round_.id, replace(data, **changes)).id


@pytest.fixture
def ex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Exchange]:
    """A coordinator (demo) and an assessor with three assigned candidates."""
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    exchange = make_exchange(tmp_path)
    round_ = sources.current_round(exchange.coordinator)
    ids = [c.id for c in exchange.coordinator.candidates.summaries(round_.id)[:3]]
    exchange.receive(exchange.package(ids))
    try:
        yield exchange
    finally:
        exchange.coordinator.close()
        exchange.assessor.close()


# -- the foundation ---------------------------------------------------------------------------


def test_fonts_cover_names_people_type() -> None:
    assert missing_glyphs(WORLD_NAME + " Ğ ğ Ş ş İ ı Ő ű Ř ž ß Æ ø ā ē ī ō ū ṭ ḍ ạ ỳ ơ ư") == set()


def test_font_registration_is_idempotent_and_thread_safe() -> None:
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(register_fonts()))
               for _n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and len(set(results)) == 1


def test_documents_can_be_built_on_several_threads_at_once() -> None:
    outputs: list[bytes] = []
    errors: list[BaseException] = []

    def build(n: int) -> None:
        try:
            outputs.append(render([para(f"{WORLD_NAME} {n}", styles().body)],
                                  PageSpec(title=f"Uji {n}")))
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(outputs) == 6
    assert all(WORLD_NAME in all_text(o) for o in outputs)


def test_only_the_embedded_font_is_used() -> None:
    data = render([para(WORLD_NAME, styles().title), table([["a", "b"], ["c", WORLD_NAME]],
                                                           [60, 200]),
                   qr_code("x"), bar_chart([Bar("A", 1, 2)], 300)], PageSpec(title="Uji"))
    fonts = set()
    for page in pdf(data).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"]  # embedded, not just named
    assert fonts and all("DejaVuSans" in f for f in fonts)
    assert WORLD_NAME in all_text(data)


def test_markup_prints_literally() -> None:
    hostile = MARKUP_NAME + ' <a href="http://x">klik</a> &amp; &nbsp; <b>'
    data = render([para(hostile, styles().body), table([["x"], [hostile]], [400])],
                  PageSpec(title=hostile, round_year=2024, round_name=hostile))
    text = all_text(data)
    assert text.count(flat(hostile)) == 2  # the paragraph and the cell, verbatim
    assert safe_text("a\u200bb\u202ec\u2066d\ufeff") == "abcd"


def test_invisible_direction_and_unknown_characters_do_not_crash_or_leak() -> None:
    text = "Batik\u200b \u202eKayu\u202c مرحبا שלום e\u0301 \U0001f600 \ue000 tab\there"
    data = render([para(text, styles().body)], PageSpec(title="Uji"))
    out = all_text(data)
    assert "\u200b" not in out and "\u202e" not in out
    assert "Batik" in out and "Kayu" in out and "é" in out and "tab here" in out
    assert safe_text("\U0001f600\ue000") == "\ufffd\ufffd"  # visible, never an empty box


def test_long_notes_flow_across_pages_and_long_words_wrap_inside_their_cell() -> None:
    width = frame_width("a4")
    short = render([table([["ID", "Catatan"], ["1", "singkat"]], [40, width - 40])],
                   PageSpec(title="Uji"))
    rows = [["ID", "Catatan"]] + [[str(n), LONG_NOTE] for n in range(3)] + [["4", LONG_WORD]]
    story = [para(LONG_NOTE, styles().body), table(rows, [40, width - 40]),
             table([["Kata panjang", LONG_WORD]], [40 * mm, width - 40 * mm], header_rows=0)]
    data = render(story, PageSpec(title="Uji"))
    assert len(pdf(data).pages) > len(pdf(short).pages)
    # (a cell split across pages continues under the repeated header row)
    text = body_text(data).replace(" ", "").replace("IDCatatan", "")
    assert text.count(LONG_NOTE.replace(" ", "")) == 4  # nothing lost between pages
    assert text.count(LONG_WORD) == 2
    assert_within_margins(data, page_size_width("a4"))


def test_a_cell_longer_than_a_page_is_split_not_refused() -> None:
    width = frame_width("a4")
    huge = " ".join([LONG_NOTE] * 4)  # 8,000 characters in one cell
    data = render([table([["ID", "Catatan"], ["1", huge]], [40, width - 40])],
                  PageSpec(title="Uji"))
    assert len(pdf(data).pages) >= 2
    text = body_text(data).replace(" ", "").replace("IDCatatan", "")
    assert text.count(huge.replace(" ", "")) == 1


def page_size_width(paper: str) -> float:
    return float(pdf(render([], PageSpec(title="x", paper=paper))).pages[0].mediabox.width)


def test_header_footer_and_page_numbers_in_the_documents_language() -> None:
    spec = PageSpec(title="Uji", language="en", round_year=2024, round_name="Penghargaan OVOP "
                    "2024", footer_text="receipt " + "ab" * 32,
                    printed_at=datetime(2024, 10, 18, 7, 5, tzinfo=UTC))
    data = render([para(LONG_NOTE, styles().body)] * 3, spec)
    texts = page_texts(data)
    assert len(texts) >= 2
    for n, text in enumerate(texts, start=1):
        assert "OVOP — One Village One Product" in text and "Ministry of Industry" in text
        assert "Round 2024: Penghargaan OVOP 2024" in text
        assert f"Page {n} of {len(texts)}" in text
        assert "receipt " + "ab" * 32 in text
        assert "18 October 2024" in text


def test_indonesian_documents_do_not_follow_the_apps_language(english: None) -> None:
    data = render([para("isi", styles().body)], PageSpec(title="Uji", language="id"))
    assert page_label("id", 1, 1) in all_text(data)
    assert Translator("id")("Page {page} of {pages}") != "" and \
        Translator("en")("Page {page} of {pages}") == "Page {page} of {pages}"


def test_stars_are_drawn_not_typed() -> None:
    data = render([stars(n) for n in range(4)], PageSpec(title="Uji"))
    assert "★" not in all_text(data) and "☆" not in all_text(data)
    with pytest.raises(ValueError):
        stars(4)
    with pytest.raises(ValueError):
        stars(-1)


def test_bar_chart_and_verification_block_show_formatted_values() -> None:
    width = frame_width("a4")
    bars = [Bar("A Produksi", 32.5, 40), Bar("B Manajemen dan Pemasaran " * 5, 20, 25),
            Bar("C Kualitas", 40, 35)]  # a value above its maximum is clamped, not overdrawn
    for language, expected in (("id", "32,5 / 40"), ("en", "32.5 / 40")):
        data = render([bar_chart(bars, width, language=language),
                       verification_block("Verifikasi", [("Receipt", "ab" * 32)], "ab" * 32,
                                          width)], PageSpec(title="Uji", language=language))
        text = all_text(data)
        assert expected in text and "…" in text  # the long label is shortened to fit
        assert_within_margins(data, page_size_width("a4"))


# -- output -----------------------------------------------------------------------------------


def test_write_pdf_is_atomic(tmp_path: Path) -> None:
    tmp_path = tmp_path / "keluaran"
    tmp_path.mkdir()
    target = tmp_path / "hasil.pdf"
    data = render([para("isi", styles().body)], PageSpec(title="Uji"))
    assert write_pdf(target, data) == target
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.pdf"]


@pytest.mark.parametrize("where", ["missing-folder", "parent-is-a-file", "target-is-a-folder"])
def test_unwritable_paths_are_refused_and_nothing_is_created(tmp_path: Path, where: str,
                                                             english: None) -> None:
    tmp_path = tmp_path / "keluaran"
    tmp_path.mkdir()
    (tmp_path / "berkas.txt").write_text("x")
    (tmp_path / "folder.pdf").mkdir()
    target = {"missing-folder": tmp_path / "tidak-ada" / "hasil.pdf",
              "parent-is-a-file": tmp_path / "berkas.txt" / "hasil.pdf",
              "target-is-a-folder": tmp_path / "folder.pdf"}[where]
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(UserFacingError) as caught:
        write_pdf(target, b"%PDF-1.4 ...")
    assert str(target.parent if where != "target-is-a-folder" else target) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_permission_denied_and_disk_full_are_named(tmp_path: Path, english: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path = tmp_path / "keluaran"
    tmp_path.mkdir()
    target = tmp_path / "hasil.pdf"
    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
    with pytest.raises(UserFacingError, match="permission denied"):
        write_pdf(target, b"%PDF-1.4")
    monkeypatch.undo()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UserFacingError, match="disk .* is full"):
        write_pdf(target, b"%PDF-1.4")
    assert list(tmp_path.iterdir()) == []  # no PDF, no temp file


# -- field forms ------------------------------------------------------------------------------


def test_field_form_has_every_criterion_and_the_ids_the_sheet_import_expects(
        demo_workspace: Workspace, round_) -> None:  # type: ignore[no-untyped-def]
    ws = demo_workspace
    first = ws.candidates.summaries(round_.id)[0]
    forms = sources.field_forms_for(ws, round_, [first.id])
    data = field_forms(forms, round_, language="en", keyed_here=False)
    texts = page_texts(data)
    text = " ".join(texts)
    rubric = forms[0].rubric
    assert first.name in text and first.region_name in text and first.province_name in text
    assert f"candidate_id {first.id}" in text
    for _aspect, criterion in rubric.criteria():
        assert criterion.id in text and criterion.name.en in flat(text)
        for level in criterion.levels:
            assert flat(level.en) in text
    assert "ovop score import-sheet" in text and "candidate_id, criterion_id, level, note" in text
    assert "Printed by the coordinator" in text
    assert f"Page 1 of {len(texts)}" in texts[0]
    assert "Assessor" in texts[-1] and "IKM owner" in texts[-1]


def test_field_form_in_indonesian_on_f4(demo_workspace: Workspace, round_) -> None:  # type: ignore[no-untyped-def]
    ws = demo_workspace
    first = ws.candidates.summaries(round_.id)[0]
    data = field_forms(sources.field_forms_for(ws, round_, [first.id]), round_, paper="f4",
                       language="id")
    reader = pdf(data)
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == \
        (round(F4[0], 1), round(F4[1], 1))
    texts = page_texts(data)
    assert page_label("id", 1, len(texts)) in texts[0]
    rubric = sources.field_forms_for(ws, round_, [first.id])[0].rubric
    assert flat(rubric.aspects[0].criteria[0].levels[2].id) in " ".join(texts)
    assert_within_margins(data, F4[0])


def test_hostile_and_foreign_names_print_literally_on_the_form(
        demo_workspace: Workspace, round_) -> None:  # type: ignore[no-untyped-def]
    ws = demo_workspace
    hostile = _candidate(ws, MARKUP_NAME, owner=WORLD_NAME, address=LONG_WORD)
    data = field_forms(sources.field_forms_for(ws, round_, [hostile]), round_, language="en")
    text = all_text(data)
    assert MARKUP_NAME in text
    assert WORLD_NAME in text
    assert LONG_WORD in text.replace(" ", "")
    assert_within_margins(data, page_size_width("a4"))


def test_a_batch_numbers_each_form_on_its_own_and_reports_progress(
        demo_workspace: Workspace, round_) -> None:  # type: ignore[no-untyped-def]
    ws = demo_workspace
    ids = [c.id for c in ws.candidates.summaries(round_.id)[:3]]
    forms = sources.field_forms_for(ws, round_, ids)
    single = len(pdf(field_forms(forms[:1], round_, language="en")).pages)
    seen: list[tuple[int, int]] = []
    data = field_forms(forms, round_, language="en", progress=lambda d, t: seen.append((d, t)))
    texts = page_texts(data)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    firsts = [t for t in texts if "Page 1 of" in t]
    assert len(firsts) == 3
    assert [c.name in " ".join(texts) for c in ws.candidates.summaries(round_.id)[:3]] == \
        [True] * 3
    assert len(texts) >= 3 * single - 3
    assert f"Page {single} of {single}" in " ".join(texts)


def test_a_cancelled_batch_stops_and_nothing_is_written(
        demo_workspace: Workspace, round_, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = demo_workspace
    forms = sources.field_forms_for(ws, round_, [c.id for c in
                                                  ws.candidates.summaries(round_.id)[:4]])
    tmp_path = tmp_path / "keluaran"
    tmp_path.mkdir()
    target = tmp_path / "formulir.pdf"
    done: list[int] = []

    with pytest.raises(Cancelled):  # asked before anything is built
        write_pdf(target, field_forms(forms, round_, cancelled=lambda: True))
    with pytest.raises(Cancelled):  # while the pages are being laid out
        write_pdf(target, field_forms(forms, round_, progress=lambda d, t: done.append(d),
                                      cancelled=lambda: len(done) >= 2))
    assert done == [1, 2]
    assert list(tmp_path.iterdir()) == []


def test_forms_on_an_assessors_laptop_cover_the_assigned_visits(ex: Exchange) -> None:
    ws = ex.assessor
    round_ = sources.current_round(ws)
    local = ex.local_candidates()
    ws.planning.set_visit(local[2], date(2024, 8, 12))
    ws.planning.declare(None, local[1], "saudara pemilik")
    forms = sources.field_forms_for(ws, round_)
    assert [f.candidate.candidate_id for f in forms] == [local[2], local[0]]  # dated first
    assert {f.assessor for f in forms} == {"Dr. Sri Wahyuni"}
    data = field_forms(forms, round_, language="en", keyed_here=sources.is_assessor(ws))
    text = all_text(data)
    assert "Printed by the coordinator" not in text and "12 August 2024" in text
    assert f"candidate_id {local[2]}" in text


def test_forms_for_an_assessor_on_the_coordinators_laptop(ex: Exchange) -> None:
    ws = ex.coordinator
    round_ = sources.current_round(ws)
    forms = sources.field_forms_for(ws, round_, assessor_id=ex.assessor_id)
    assert len(forms) == 3 and {f.assessor for f in forms} == {"Dr. Sri Wahyuni"}
    with pytest.raises(UserFacingError):
        sources.field_forms_for(ws, round_)  # neither candidates nor an assessor
    with pytest.raises(NotFoundError):
        sources.field_forms_for(ws, round_, assessor_id=999)
    other = next(r for r in ws.rounds.list() if r.id != round_.id)
    with pytest.raises(NotFoundError):
        sources.field_forms_for(ws, other, [forms[0].candidate.candidate_id])


# -- key card ---------------------------------------------------------------------------------


def test_key_card_shows_who_and_the_fingerprint_and_its_qr_is_what_enrolment_takes(
        ex: Exchange) -> None:
    me, role = sources.own_identity(ex.assessor)
    assert role is Role.ASSESSOR
    data = key_card(me, role, language="en", printed_on=date(2024, 8, 1))
    reader = pdf(data)
    assert len(reader.pages) == 1
    text = all_text(data)
    assert "Dr. Sri Wahyuni" in text and "Yayasan Batik Indonesia" in text
    groups = me.fingerprint.split(" ")
    for row in range(4):
        assert " ".join(groups[row * 4:row * 4 + 4]) in text
    assert "1 August 2024" in text and "Page 1 of 1" in text
    assert parse_fingerprint(qr_payload(me)) == me.key_id  # `--fingerprint` accepts it


def test_key_card_needs_a_key(workspace: Workspace) -> None:
    workspace.profile.init(Role.ASSESSOR, "Sri", "")
    with pytest.raises(NotFoundError):
        sources.own_identity(workspace)


# -- import receipt ---------------------------------------------------------------------------


def _three_bundles(ex: Exchange) -> list[Path]:
    first = ex.local_candidates()[0]
    paths = []
    for level in (1, 2, 3):
        ex.assessor.scoring.set_score(first, "A1", level)
        paths.append(ex.bundle()[0])
    return paths


def test_import_receipt_lists_every_file_with_its_outcome_and_totals(ex: Exchange,
                                                                     english: None) -> None:
    one, two, three = _three_bundles(ex)
    copy = ex.folder / "salinan.zip"
    copy.write_bytes(one.read_bytes())
    junk = ex.folder / ("rusak-" + LONG_WORD[:200] + ".zip")  # file names stop at 255 bytes
    junk.write_bytes(b"bukan zip")
    started = now_iso()
    outcomes = ex.coordinator.bundles.import_files([three, one, copy, junk, two])
    assert outcomes[0].status is Outcome.HELD
    settled = sources.settle(ex.coordinator, outcomes, started)
    assert [o.status for o in settled] == [Outcome.ACCEPTED, Outcome.ACCEPTED,
                                           Outcome.DUPLICATE, Outcome.REJECTED,
                                           Outcome.ACCEPTED]
    receipt = ImportReceipt(tuple(settled), "Sekretariat", started)
    data = import_receipt(receipt, language="en")
    text = all_text(data)
    for name in ("nilai-1.zip", "nilai-2.zip", "nilai-3.zip", "salinan.zip"):
        assert name in text
    assert "rusak-" + LONG_WORD[:200] in text.replace(" ", "")
    assert "the missing bundle arrived" in text  # why the held bundle counts after all
    assert "accepted 3" in text and "duplicate 1" in text and "rejected 1" in text
    assert "Imported by Sekretariat" in text
    assert_within_margins(data, page_size_width("a4"))


def test_import_receipt_survives_hostile_text_and_dry_runs(english: None) -> None:
    reason = LONG_NOTE + " <b>tebal</b> & lain \u200b \u202eمرحبا\u202c"
    outcomes = tuple(ImportOutcome(f"berkas-{n}\u200b.zip", status, reason, MARKUP_NAME, n)
                     for n, status in enumerate(Outcome, start=1))
    data = import_receipt(ImportReceipt(outcomes, WORLD_NAME, "2024-10-18T07:05:00+00:00",
                                        dry_run=True), language="en", paper="f4")
    text = all_text(data)
    assert "Dry run: nothing was imported" in text
    squeezed = text.replace(" ", "")  # narrow columns split long words anywhere
    assert MARKUP_NAME.replace(" ", "") in squeezed and "<b>tebal</b>&lain" in squeezed
    assert WORLD_NAME in text
    assert "berkas-1.zip" in text  # the zero-width space is gone
    assert len(pdf(data).pages) >= 2
    assert_within_margins(data, F4[0])


def test_receipt_rebuilt_from_the_store(ex: Exchange) -> None:
    with pytest.raises(NotFoundError):
        sources.latest_import_receipt(ex.coordinator)
    one, two, _three = _three_bundles(ex)
    ex.coordinator.bundles.import_files([one, two])
    receipt = sources.latest_import_receipt(ex.coordinator)
    assert [o.file for o in receipt.outcomes] == ["nilai-1.zip", "nilai-2.zip"]
    assert {o.assessor for o in receipt.outcomes} == {"Dr. Sri Wahyuni"}
    text = all_text(import_receipt(receipt, language="en"))
    assert "Rebuilt from the bundles filed on" in text and "nilai-2.zip" in text


# -- screening summary ------------------------------------------------------------------------


def test_screening_summary_has_the_figures_and_every_candidate(
        demo_workspace: Workspace, round_) -> None:  # type: ignore[no-untyped-def]
    ws = demo_workspace
    report = sources.screening_report(ws, round_)
    seen: list[int] = []
    data = screening_summary(report, round_, language="en",
                             progress=lambda d, t: seen.append(d))
    texts = page_texts(data)
    text = " ".join(texts)
    summary = report.summary
    assert (summary.proposals.total, summary.provinces, summary.reevaluations.total) == \
        (159, 22, 77)
    assert "Proposals Provinces Passed Failed Not yet screened Re-evaluations 159 22 " \
           f"{summary.proposals.passed} {summary.proposals.failed}" in text
    for c in report.candidates:
        assert c.name in text
    assert "Food and drink" in text and "Jawa Barat" in text and "Subtotal" in text
    assert "is missing" in text  # the reasons of failed candidates
    assert f"Page 1 of {len(texts)}" in texts[0] and len(texts) > 5
    assert seen == [1, 2, 3, 4, 5]
    with pytest.raises(Cancelled):
        screening_summary(report, round_, cancelled=lambda: True)
