"""Printed results: scorecards, the recommendation list and the Go Global shortlist, from
real panel data — what a reader finds on the page, page by page, and what never happens
(markup interpreted, text past the edge, a card the verifier would not accept)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.lib.units import mm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange_fixtures import FAST_KDF  # noqa: E402
from panel_fixtures import Panel, make_panel  # noqa: E402
from test_printing import (  # noqa: E402
    LONG_NOTE,
    LONG_WORD,
    MARKUP_NAME,
    all_text,
    assert_within_margins,
    flat,
    page_label,
    page_texts,
    pdf,
)

from ovop_desktop.domain.candidates import CandidateData  # noqa: E402
from ovop_desktop.domain.commodities import Commodity  # noqa: E402
from ovop_desktop.domain.results import Flag, star_counts  # noqa: E402
from ovop_desktop.errors import NotFoundError, UserFacingError  # noqa: E402
from ovop_desktop.services import identity, receipts  # noqa: E402
from ovop_desktop.services.demo import build_demo  # noqa: E402
from ovop_desktop.services.printing import Cancelled  # noqa: E402
from ovop_desktop.services.printing.go_global import go_global_list  # noqa: E402
from ovop_desktop.services.printing.layout import F4, PageSpec, render  # noqa: E402
from ovop_desktop.services.printing.ranking import ranking_list  # noqa: E402
from ovop_desktop.services.printing.scorecard import (  # noqa: E402
    FormQr,
    change_label,
    grouped,
    scorecards,
    verification_of,
    wrap,
)
from ovop_desktop.services.printing.translate import Translator  # noqa: E402
from ovop_desktop.services.results import AssessorFacts, ResultsReport  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402

A4_WIDTH = 595.2755905511812
HOSTILE_NAME = (MARKUP_NAME + ' <a href="http://x">klik</a> & < 5 ' + "Panjang" * 20)[:200]
HOSTILE_NOTE = ('Nur\u200b \u202eعلي\u202c שלום <img src="x"/> <font color=red>merah</font> '
                '& <b>tebal</b> ' + LONG_WORD)


@dataclasses.dataclass
class Demo:
    ws: Workspace
    report: ResultsReport
    notes: dict
    round_id: int


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo with results: nine assessors' real bundles, moderation, curation (~5 s)."""
    ws = Workspace.open(tmp_path_factory.mktemp("demo"))
    build_demo(ws, with_results=True)
    round_ = ws.current_round()
    assert round_ is not None
    report = ws.results.report(round_.id)
    try:
        yield Demo(ws, report, ws.results.notes(report), round_.id)
    finally:
        ws.close()


@dataclasses.dataclass
class Hostile:
    panel: Panel
    report: ResultsReport
    notes: dict
    hostile: int  # scored by three, with markup in its name and notes
    plain: int    # scored by three
    unscored: int  # assigned, no sheet at all
    single: int   # one finished sheet: incomplete


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(identity, "KDF_PARAMS", FAST_KDF)
        panel = make_panel(tmp_path_factory.mktemp("panel"), 3)
        coord = panel.coordinator
        data = CandidateData(name=HOSTILE_NAME, region_code="32.05",
                             commodity=Commodity.KAIN_BATIK, product="Batik <b>tulis</b> & cap",
                             owner="Ibu Ratna <i>&amp;</i>", address="Jl. Pasar 1",
                             sentra_name="Sentra " + "Garutan" * 25, nib="9120001234567",
                             capacity="<font size=40>9000</font> lembar/bulan",
                             markets="Ekspor & lokal <a href=x>")
        h = coord.candidates.create(panel.round_id, data).id
        batik = [c.id for c in coord.candidates.summaries(panel.round_id)
                 if c.commodity is Commodity.KAIN_BATIK and c.id != h]
        plain, unscored, single = batik[:3]
        for who in (0, 1, 2):
            panel.give(who, [h, plain, unscored, single] if who == 0 else [h, plain, single])
            panel.score(who, h, lambda crit: 3, finish=False)
            ws = panel.assessors[who]
            local = panel._local[who][h]
            ws.scoring.set_score(local, "A1", 3, HOSTILE_NOTE)
            ws.scoring.set_score(local, "C2", 3, LONG_NOTE)
            ws.scoring.set_sheet_note(local, LONG_NOTE + " " + HOSTILE_NOTE)
            ws.scoring.finish(local)
            panel.score(who, plain, lambda crit, w=who: 2 if crit.startswith("A") else 3 - w % 2)
            if who == 0:
                panel.score(who, single, lambda crit: 3)
            panel.send(who)
        coord.results.curate(h, True, LONG_NOTE + " " + HOSTILE_NOTE)
        report = coord.results.report(panel.round_id)
        try:
            yield Hostile(panel, report, coord.results.notes(report), h, plain, unscored, single)
        finally:
            panel.close()


def text_of(data: bytes) -> str:
    return all_text(data)


# -- scorecards -------------------------------------------------------------------------------


def test_every_card_is_one_page_numbered_on_its_own_with_the_receipt(demo: Demo) -> None:
    report = demo.report
    seen: list[tuple[int, int]] = []
    data = scorecards(report, language="en", notes=demo.notes,
                      progress=lambda d, t: seen.append((d, t)))
    texts = page_texts(data)
    n = len(report.results.candidates)
    # the default rubric, 22 criteria × 2–3 assessors, with notes: one page per card
    assert len(texts) == n == 166
    assert all("Page 1 of 1" in t for t in texts)
    assert seen[-1] == (n, n) and len(seen) == n
    check = verification_of(report)
    body = receipts.payload(report)
    assert check.receipt_hash == receipts.receipt_hash(body)
    assert check.qr == receipts.qr_text(body)
    for t in texts:
        assert check.receipt_hash in t  # the footer, whole
        assert grouped(check.receipt_hash) in t and grouped(report.audit_head) in t
    names = [report.candidates[r.candidate_id].name for r in report.rows()]
    assert [next(name for name in names if name in t) for t in texts[:3]] == names[:3]


def test_a_card_shows_identity_levels_aspects_rank_assessors_notes_and_coaching(
        demo: Demo) -> None:
    report = demo.report
    result = next(r for r in report.rows() if len(r.assessors) == 3 and r.star
                  and demo.notes.get(r.candidate_id))
    facts = report.candidates[result.candidate_id]
    text = text_of(scorecards(report, [result.candidate_id], language="en",
                              notes=demo.notes))
    for value in (facts.name, facts.owner, facts.product, facts.sentra, facts.regency,
                  facts.province, Translator("en").commodity(Commodity(facts.commodity))):
        assert value in text
    ranked = sum(1 for r in report.results.candidates
                 if r.commodity == result.commodity and r.rank is not None)
    assert f"Rank {result.rank} of {ranked} in" in text
    assert f"Total {result.total:.1f}" in text
    rubric = report.rubrics[result.commodity]
    for aspect in rubric.aspects:
        assert f"{result.aspects[aspect.id]:.1f} / {aspect.weight}" in text
    by_id = {c.criterion_id: c for c in result.criteria}
    for _aspect, criterion in rubric.criteria():
        c = by_id[criterion.id]
        levels = " ".join(str(c.levels[a]) for a in result.assessors)
        value = f"{c.moderated}*" if c.moderated is not None else f"{c.mean:.1f}"
        assert f"{criterion.id} {criterion.name.en} {levels} {value}" in text
    for i, a in enumerate(result.assessors, start=1):
        who = report.assessors[a]
        assert f"P{i} {who.name}" in text and who.institution.split(",")[0] in text
    for cid in result.coaching:
        assert f"{cid} {report.criterion_name(result.commodity, cid, 'en')}" in text
    notes = demo.notes[result.candidate_id]
    shown = [t for a in result.assessors if a in notes for t in notes[a].criteria.values()]
    assert any(flat(note) in text for note in shown)
    assert "Coaching areas" in text and "Score per aspect" in text and "Verification" in text


def test_moderated_values_are_marked_and_reevaluations_show_the_change(demo: Demo) -> None:
    report = demo.report
    moderated = next(r for r in report.results.candidates if Flag.MODERATED in r.flags)
    reeval = next(r for r in report.results.candidates if r.change is not None)
    data = scorecards(report, [moderated.candidate_id, reeval.candidate_id], language="en",
                      notes=demo.notes)
    first, second = page_texts(data)
    level = next(c for c in moderated.criteria if c.moderated is not None)
    assert f" {level.moderated}* " in first and "* set by the panel (moderation)" in first
    star = f"{reeval.star}★" if reeval.star else "no star"
    change = change_label(Translator("en"), reeval)
    assert change in ("up", "same", "down", "lost")
    assert f"Star change {reeval.previous_star}★ → {star}: {change}" in second
    assert f"Re-evaluation: {reeval.previous_star}★ in" in second


def test_indonesian_card_numbers_and_labels(demo: Demo) -> None:
    result = next(r for r in demo.report.rows() if r.total and r.total % 1)
    data = scorecards(demo.report, [result.candidate_id], language="id", notes=demo.notes)
    text = text_of(data)
    _ = Translator("id")
    assert page_label("id", 1, 1) in text
    assert _("Total {total}").format(total=_.number(result.total)) in text
    assert f"{result.total:.1f}".replace(".", ",") in text


def test_incomplete_candidates_are_marked_and_a_card_without_scores_prints(
        hostile: Hostile) -> None:
    report = hostile.report
    res = report.results.by_id()
    assert res[hostile.unscored].total is None and res[hostile.single].star is None
    data = scorecards(report, [hostile.unscored, hostile.single], language="en",
                      notes=hostile.notes)
    texts = page_texts(data)
    assert len(texts) == 2
    for t in texts:
        assert "Incomplete — not classified" in t and "Rank " not in t
        assert "at least 2 are needed" in t
    assert "Finished sheets from 0 assessors" in texts[0]
    assert "No finished sheet has been received yet." in texts[0]
    assert "Finished sheets from 1 assessors" in texts[1]
    assert "P1 Dr. Sri Wahyuni" in texts[1]


def test_hostile_names_and_notes_print_literally_cut_short_and_inside_the_page(
        hostile: Hostile) -> None:
    # the hostile name, owner and product on their card; the hostile notes (2,000
    # characters, markup, a 300-character word, right-to-left and zero-width characters)
    # on a card with room for notes
    notes = {hostile.plain: hostile.notes[hostile.hostile]}
    data = scorecards(hostile.report, [hostile.hostile, hostile.plain], language="en",
                      notes=notes)
    named, noted = page_texts(data)  # 2,000-character notes are cut, not spread
    assert HOSTILE_NAME.replace(" ", "") in named.replace(" ", "")  # wrapped, not cut
    assert "Batik <b>tulis</b> & cap" in named and "Ibu Ratna <i>&amp;</i>" in named
    assert '<font color=red>merah</font> & <b>tebal</b>' in noted and 'img src="x"/>' in noted
    # right-to-left words print (pypdf reads them back reordered); invisible marks do not
    assert all(ch in noted for ch in "علي" + "שלום")
    assert "\u200b" not in noted and "\u202e" not in noted
    assert "P1 · A1" in noted and "more notes: see the results in OVOP Desktop." in noted
    assert "…" in noted and LONG_NOTE not in noted  # long notes end in an ellipsis
    assert_within_margins(data, A4_WIDTH)


def test_hostile_assessor_names_stay_inside_the_page_on_f4(hostile: Hostile) -> None:
    report = hostile.report
    forged = {a: AssessorFacts(a, HOSTILE_NOTE[:180], LONG_WORD) for a in report.assessors}
    data = scorecards(dataclasses.replace(report, assessors=forged), [hostile.hostile],
                      paper="f4", language="id", notes=hostile.notes)
    reader = pdf(data)
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.height)) == round(F4[1])
    assert '<font color=red>merah</font>' in text_of(data)
    assert_within_margins(data, F4[0])


def test_the_qr_code_holds_exactly_the_verify_text(hostile: Hostile) -> None:
    """The QR drawn on every card is the code of receipts.qr_text(payload(report)): its
    drawing is the same form a QR of that text gives, and another text gives another."""
    report = hostile.report
    body = receipts.payload(report)
    text = receipts.qr_text(body)
    assert verification_of(report).qr == text
    assert receipts.parse_qr(text) == (receipts.receipt_hash(body), report.audit_head)
    data = scorecards(report, [hostile.hostile, hostile.plain], language="en")
    forms = [_qr_streams(page) for page in pdf(data).pages]
    assert len(forms[0]) == 1 and forms[0] == forms[1]  # one form, shared by the cards

    def drawn(payload: str) -> list[bytes]:
        return _qr_streams(pdf(render([FormQr(payload, 23 * mm)], PageSpec(title="x"))).pages[0])

    assert drawn(text) == forms[0]
    assert drawn(text.replace(text[-8:], "00000000")) != forms[0]


def _qr_streams(page) -> list[bytes]:  # type: ignore[no-untyped-def]
    xobjects = page["/Resources"].get("/XObject", {})
    return [ref.get_object().get_data() for ref in xobjects.values()]


def test_selection_order_unknown_candidates_and_cancel(demo: Demo) -> None:
    rows = demo.report.rows()
    picked = [rows[5].candidate_id, rows[0].candidate_id, rows[5].candidate_id]
    texts = page_texts(scorecards(demo.report, picked, language="en"))
    names = [demo.report.candidates[c].name for c in picked[:2]]
    assert len(texts) == 2 and names[0] in texts[0] and names[1] in texts[1]
    with pytest.raises(NotFoundError):
        scorecards(demo.report, [999_999])
    done: list[int] = []
    with pytest.raises(Cancelled):
        scorecards(demo.report, progress=lambda d, t: done.append(d),
                   cancelled=lambda: len(done) >= 3)
    assert done == [1, 2, 3]


def test_a_round_without_results_is_refused_by_every_document(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             english: None) -> None:
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    panel = make_panel(tmp_path, 1)
    try:
        a = panel.coordinator.candidates.summaries(panel.round_id)[0].id
        panel.give(0, [a])  # assigned, nothing received yet
        report = panel.coordinator.results.report(panel.round_id)
        assert report.results.candidates and report.bundles == ()
        for build in (lambda: scorecards(report), lambda: ranking_list(report),
                      lambda: go_global_list([], report)):
            with pytest.raises(UserFacingError, match="no results yet"):
                build()
    finally:
        panel.close()


def test_wrap_splits_long_words_and_cuts_with_an_ellipsis() -> None:
    from ovop_desktop.services.printing.fonts import register_fonts

    font = register_fonts().regular
    lines = wrap(LONG_WORD, font, 8, 100).split("\n")
    assert "".join(lines) == LONG_WORD and len(lines) > 5
    cut = wrap(LONG_NOTE, font, 8, 200, max_lines=3).split("\n")
    assert len(cut) == 3 and cut[-1].endswith("…")
    assert wrap("<b>x</b> & y", font, 8, 200) == "<b>x</b> & y"
    assert wrap("a\u200bb \u202eC\u202c", font, 8, 200) == "ab C"


# -- the recommendation list ------------------------------------------------------------------


def test_ranking_list_has_every_candidate_counts_method_and_signatures(demo: Demo) -> None:
    report = demo.report
    data = ranking_list(report, language="en")
    texts = page_texts(data)
    text = " ".join(texts)
    check = verification_of(report)
    for n, t in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in t
        assert f"Results receipt (SHA-256): {check.receipt_hash}" in t
    for f in report.candidates.values():
        assert f.name in text
    totals = {k: sum(v[k] for v in star_counts(report.results.candidates).values())
              for k in (3, 2, 1, 0, None)}
    assert f"Total {totals[3]} {totals[2]} {totals[1]} {totals[0]} {totals[None]} " \
           f"{len(report.results.candidates)}" in text
    t = report.round.thresholds
    assert f"3★: total at least {t.three} · 2★: at least {t.two} · 1★: at least {t.one}" in text
    assert "C Product quality and uniqueness, B Management and marketing, A Production" in text
    assert "2 assessors with a finished sheet" in text
    for role in ("Selection team", "Chair", "Secretary"):
        assert role in texts[-1]
    assert texts[-1].count("Member") == 3
    assert "Jawa Barat" in text and "Food and drink: " in text
    # ranked first, then the incomplete ones marked
    food = text[text.index("Food and drink: "):text.index("Woven cloth (tenun): ")]
    first_incomplete = food.index(" incomplete ")
    assert food.rfind(" 43 ", 0, first_incomplete) > 0  # the last ranked comes before
    assert "moderated" in text and "was 2★: " in text


def test_ranking_for_one_commodity_and_refusals(demo: Demo, english: None) -> None:
    report = demo.report
    data = ranking_list(report, "kain_batik", language="id", paper="f4")
    text = text_of(data)
    batik = {report.candidates[r.candidate_id].name for r in report.rows("kain_batik")}
    others = {report.candidates[r.candidate_id].name for r in report.rows("gerabah")} - batik
    assert all(n in text for n in batik) and not any(n in text for n in others)
    assert page_label("id", 1, len(pdf(data).pages)) in text
    with pytest.raises(UserFacingError, match="has no commodity kopi"):
        ranking_list(report, "kopi")
    with pytest.raises(Cancelled):
        ranking_list(report, cancelled=lambda: True)


def test_ranking_and_shortlist_print_hostile_text_literally(hostile: Hostile) -> None:
    report = hostile.report
    data = ranking_list(report, language="en")
    assert HOSTILE_NAME.replace(" ", "") in text_of(data).replace(" ", "")
    assert_within_margins(data, A4_WIDTH)
    entries = hostile.panel.coordinator.results.shortlist(hostile.panel.round_id, report)
    data = go_global_list(entries, report, language="en")
    text = text_of(data)
    squeezed = text.replace(" ", "")
    assert HOSTILE_NAME.replace(" ", "") in squeezed
    assert "<font size=40>9000</font> lembar/bulan" in text and "Ekspor & lokal <a href=x>" in text
    assert "Curation note: Catatan kunjungan" in text and "…" in text
    assert_within_margins(data, A4_WIDTH)


# -- the Go Global shortlist ------------------------------------------------------------------


def test_go_global_list_shows_the_curation_fields(demo: Demo) -> None:
    entries = demo.ws.results.shortlist(demo.round_id, demo.report)
    data = go_global_list(entries, demo.report, language="en")
    texts = page_texts(data)
    text = " ".join(texts)
    selected = [e for e in entries if e.selected]
    assert f"{len(entries)} candidates on the shortlist (3★ and 2★), {len(selected)} selected" \
        in text
    for e in entries:
        assert e.facts.name in text
    e = selected[0]
    assert e.note.split(":")[0] in text and "yes" in text
    assert f"Production capacity: {e.facts.capacity}" in text
    assert f"Workforce: {e.facts.workforce}" in text and f"Markets: {e.facts.markets}" in text
    assert "Certifications and documents: " in text
    threes = sum(1 for x in entries if x.result.star == 3)
    assert f"3★: {threes} candidates" in text and f"2★: {len(entries) - threes} candidates" in text
    assert all("Results receipt (SHA-256): " in t for t in texts)
    with pytest.raises(UserFacingError):
        go_global_list([], demo.report)
