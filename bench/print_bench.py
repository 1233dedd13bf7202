"""1,000 one-page scorecards into one PDF against plain reportlab canvas calls.

The round: 1,000 candidates × 3 assessors × the default rubric's 22 criteria, some sheets
with notes; the received bundles are written straight into the tables (as in
results_bench.py) and the results come from the real service (ws.results.report, notes).

Ours: `scorecards()` — platypus tables, wrapping, measured note room, page numbers per
card, drawn stars, the aspect bar chart, the QR code (one PDF form for the batch).
Baseline, in the same run: one reportlab Canvas drawing the same text with drawString at
fixed positions and a line per table cell, the same fonts, the same header and footer,
stars, bars and the same QR form — what a hand-written report script would do, with no
layout at all. Goal: ours ≤ 3× the baseline. Peak Python memory (tracemalloc) is
measured in a separate run of each, as tracing slows everything down.

    .venv/bin/python bench/print_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Mapping
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CANDIDATES, ASSESSORS, PER = 1_000, 30, 3
NOTES = ("Bahan baku utama didatangkan dari luar provinsi.",
         "Pembukuan sederhana sudah rutin; bukti penjualan lengkap untuk 12 bulan terakhir.",
         "Kemasan menarik, tetapi label belum mencantumkan komposisi & tanggal kedaluwarsa.",
         "Aktif di marketplace dan ikut pameran INACRAFT 2024.",
         "Produksi terhenti saat musim hujan; mutu antarbatch berbeda.")


def build(folder: Path) -> None:
    from results_bench import received_panel

    received_panel(folder, CANDIDATES, ASSESSORS, seed=11, named=True, notes=NOTES)


def pages(data: bytes) -> int:
    return max((int(m) for m in re.findall(rb"/Count (\d+)", data)), default=0)


# -- the baseline: the same content with plain canvas calls -----------------------------------


def baseline(report: Any, notes: Mapping[int, Mapping[int, Any]], language: str = "id") -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from ovop_desktop.services import receipts
    from ovop_desktop.services.printing.fonts import register_fonts
    from ovop_desktop.services.printing.graphics import GOLD, qr_code
    from ovop_desktop.services.printing.layout import A4, INK, RULE, SHADE
    from ovop_desktop.services.printing.scorecard import grouped, ranked_counts
    from ovop_desktop.services.printing.translate import Translator

    fonts = register_fonts()
    _ = Translator(language)
    body = receipts.payload(report)
    digest, qr = receipts.receipt_hash(body), receipts.qr_text(body)
    ranked = ranked_counts(report)
    width, height = A4
    x0, x1 = 18 * mm, width - 18 * mm
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=A4)  # page compression as the document template's canvas
    size = 23 * mm
    c.beginForm("qr", 0, 0, size, size)
    renderPDF.draw(qr_code(qr, size), c, 0, 0)
    c.endForm()
    programme = _("OVOP — One Village One Product · Directorate General of IKMA, "
                  "Ministry of Industry")
    round_ = report.round

    def cell_row(y: float, xs: list[float], texts: list[str], font: str, size: float) -> None:
        c.setFont(font, size)
        for left, right, text in zip(xs, xs[1:], texts, strict=False):
            c.drawString(left + 2.5, y + 2, text)
            c.line(left, y, right, y)
            c.line(left, y, left, y + size + 4)

    def star(cx: float, cy: float, r: float, filled: bool) -> None:
        path = c.beginPath()
        for k in range(10):
            radius = r if k % 2 == 0 else r * 0.4
            angle = math.pi / 2 + k * math.pi / 5
            point = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
            path.moveTo(*point) if k == 0 else path.lineTo(*point)
        path.close()
        c.setFillColor(GOLD if filled else "white")
        c.drawPath(path, stroke=1, fill=1)

    for result in report.rows():
        f = report.candidates[result.candidate_id]
        rubric = report.rubrics[result.commodity]
        c.setStrokeColor(RULE)
        c.setFillColor(INK)
        c.setFont(fonts.bold, 8)
        c.drawString(x0, height - 31, programme)
        c.setFont(fonts.regular, 8)
        c.drawString(x0, height - 42, f"Putaran {round_.year}: {round_.name}")
        c.drawRightString(x1, height - 42, _("Scorecard"))
        c.line(x0, height - 47, x1, height - 47)
        c.line(x0, 43, x1, 43)
        c.drawString(x0, 34, "Dicetak 18 Oktober 2024 07.05 UTC+7")
        c.drawRightString(x1, 34, _("Page {page} of {pages}").format(page=1, pages=1))
        c.setFont(fonts.regular, 6.5)
        c.drawString(x0, 25, f"Results receipt (SHA-256): {digest}")
        y = height - 80
        c.setFont(fonts.regular, 8)
        c.drawString(x0, y, f"{_('Scorecard')} · {_.commodity(rubric.commodity)}")
        c.setFont(fonts.bold, 13)
        c.drawString(x0, y - 16, f.name)
        c.setFont(fonts.regular, 8.5)
        c.drawString(x0, y - 28, f.product)
        for i in range(3):
            star(x1 - 40 + i * 15, y, 7, i < (result.star or 0))
        c.setFillColor(INK)
        c.setFont(fonts.bold, 12)
        c.drawRightString(x1, y - 16, f"Total {_.number(result.total or 0)}")
        c.setFont(fonts.regular, 8)
        c.drawRightString(x1, y - 28, f"{result.star} bintang · Peringkat {result.rank} dari "
                                      f"{ranked.get(result.commodity, 0)}")
        y -= 50
        cols = [x0, x0 + 75, x0 + 246, x0 + 321, x1]
        for pair in ((_("Owner"), f.owner, _("Product"), f.product),
                     (_("Sentra IKM"), f.sentra, _("Commodity"), _.commodity(rubric.commodity)),
                     (_("Kabupaten/kota"), f.regency, _("Province"), f.province),
                     (_("Entry"), f.kind, _("Star change"), "—")):
            cell_row(y, cols, list(pair), fonts.regular, 7.5)
            y -= 12
        y -= 6
        levels_x = x1 - 34 - 20 * len(result.assessors)
        cols = [x0, x0 + 22, *[levels_x + 20 * i for i in range(len(result.assessors))],
                x1 - 34, x1]
        cell_row(y, cols, ["ID", "Kriteria", *[f"P{i + 1}" for i in
                                                range(len(result.assessors))], "Nilai"],
                 fonts.bold, 7)
        y -= 10.6
        by_id = {k.criterion_id: k for k in result.criteria}
        for aspect in rubric.aspects:
            cell_row(y, [x0, x1 - 60, x1], [f"{aspect.id} · {aspect.name.id} (bobot "
                                            f"{aspect.weight})",
                                            f"{_.number(result.aspects[aspect.id])} / "
                                            f"{aspect.weight}"], fonts.bold, 7)
            y -= 10.6
            for criterion in aspect.criteria:
                k = by_id[criterion.id]
                cell_row(y, cols, [criterion.id, criterion.name.id,
                                   *[str(k.levels.get(a, "—")) for a in result.assessors],
                                   _.number(k.value or 0)], fonts.regular, 7)
                y -= 10.6
        cell_row(y, [x0, x1 - 60, x1], ["Total", f"{_.number(result.total or 0)} / 100"],
                 fonts.bold, 7)
        y -= 14
        c.setFont(fonts.italic, 6.5)
        c.drawString(x0, y, "P1, P2…: penilai di bawah (level 1–3) · Nilai: rata-rata level")
        y -= 20
        c.setFont(fonts.bold, 9.5)
        c.drawString(x0, y, "Skor per aspek")
        for aspect in rubric.aspects:
            y -= 14
            c.setFont(fonts.regular, 8)
            c.drawString(x0, y, f"{aspect.id} {aspect.name.id}")
            c.setFillColor(SHADE)
            c.rect(x0 + 170, y - 1, 250, 8, stroke=1, fill=1)
            c.setFillColor("#3e6e9e")
            c.rect(x0 + 170, y - 1, 250 * result.aspects[aspect.id] / aspect.weight, 8,
                   stroke=0, fill=1)
            c.setFillColor(INK)
            c.drawRightString(x1, y, f"{_.number(result.aspects[aspect.id])} / {aspect.weight}")
        y -= 22
        c.setFont(fonts.bold, 9.5)
        c.drawString(x0, y, "Area pembinaan")
        c.drawString(x0 + 250, y, "Penilai")
        c.setFont(fonts.regular, 7.5)
        for i, cid in enumerate(result.coaching):
            name = report.criterion_name(result.commodity, cid, "id")
            c.drawString(x0, y - 12 * (i + 1), f"{cid}  {name}")
        for i, a in enumerate(result.assessors):
            who = report.assessors[a]
            c.drawString(x0 + 250, y - 12 * (i + 1), f"P{i + 1}  {who.name}")
            c.drawString(x0 + 262, y - 12 * (i + 1) - 8, who.institution)
        y -= 60
        mine = notes.get(result.candidate_id, {})
        c.setFont(fonts.bold, 9.5)
        c.drawString(x0, y, "Catatan penilai")
        c.setFont(fonts.regular, 7.5)
        for i, a in enumerate(result.assessors):
            sheet = mine.get(a)
            if sheet is not None and sheet.note:
                y -= 12
                c.drawString(x0, y, f"P{i + 1}")
                c.drawString(x0 + 46, y, sheet.note)
            for cid, text in (sheet.criteria if sheet else {}).items():
                y -= 12
                c.drawString(x0, y, f"P{i + 1} · {cid}")
                c.drawString(x0 + 46, y, text)
        y = 62
        c.rect(x0, y, x1 - x0, size + 8, stroke=1, fill=0)
        c.setFont(fonts.bold, 9)
        c.drawString(x0 + 6, y + size - 4, "Verifikasi")
        for i, (label, value) in enumerate((("Putaran", f"{round_.name} ({round_.year})"),
                                            ("Tanda terima hasil", grouped(digest)),
                                            ("Kepala log audit", grouped(report.audit_head)))):
            cell_row(y + size - 18 - 11 * i, [x0 + 6, x0 + 114, x1 - size - 8],
                     [label, value], fonts.regular, 7)
        c.setFont(fonts.italic, 7)
        c.drawString(x0 + 6, y + 4, "Untuk memeriksa kartu ini: `ovop results verify` dengan "
                                    "teks kode QR.")
        c.saveState()
        c.translate(x1 - size, y + 4)
        c.doForm("qr")
        c.restoreState()
        c.showPage()
    c.save()
    return buffer.getvalue()


# -- the run ----------------------------------------------------------------------------------


def timed(fn: Callable[[], bytes]) -> tuple[float, bytes]:
    start = time.perf_counter()
    data = fn()
    return time.perf_counter() - start, data


def peak(fn: Callable[[], bytes]) -> float:
    tracemalloc.start()
    fn()
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top / 1e6


def run(folder: Path, repeat: int = 3) -> dict[str, float]:
    from ovop_desktop.services.printing.scorecard import scorecards
    from ovop_desktop.services.workspace import Workspace

    build(folder)
    with Workspace.open(folder) as ws:
        round_ = ws.current_round()
        assert round_ is not None
        report = ws.results.report(round_.id)
        notes = ws.results.notes(report)
    chosen = [r.candidate_id for r in report.rows()][:CANDIDATES]
    assert len(chosen) == CANDIDATES

    def ours() -> bytes:
        return scorecards(report, chosen, language="id", notes=notes)

    def base() -> bytes:
        return baseline(report, notes)

    ours()  # warm: fonts, catalogues, imports
    base()
    t_ours, t_base = [], []
    for _ in range(repeat):  # interleaved, so machine noise hits both alike
        t, data = timed(base)
        t_base.append(t)
        t, ours_data = timed(ours)
        t_ours.append(t)
    return {"ours": statistics.median(t_ours), "baseline": statistics.median(t_base),
            "pages": pages(ours_data), "baseline_pages": pages(data),
            "bytes": len(ours_data), "baseline_bytes": len(data),
            "peak_mb": peak(ours), "baseline_peak_mb": peak(base)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = run(Path(tmp), args.repeat)
    ratio = r["ours"] / r["baseline"]
    print(f"{'1,000 scorecards into one PDF':<40} {r['baseline'] * 1000:>7.0f}ms "
          f"{r['ours'] * 1000:>7.0f}ms {ratio:>6.2f}x {'3.0x':>6}")
    print(f"  {r['pages']:.0f} pages ({r['bytes'] / 1e6:.1f} MB; baseline "
          f"{r['baseline_pages']:.0f} pages, {r['baseline_bytes'] / 1e6:.1f} MB); peak Python "
          f"memory {r['peak_mb']:.0f} MB "
          f"(baseline {r['baseline_peak_mb']:.0f} MB); median of {args.repeat}, interleaved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
