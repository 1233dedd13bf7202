"""The blank field form an assessor carries to a site visit as a paper fallback.

One form per candidate: its details pre-filled, every criterion of its commodity's rubric
with the three level descriptors and a box to tick each, room for notes, the visit date and
signatures. The form mirrors the sheet import (`ovop score import-sheet`, columns
candidate_id, criterion_id, level, note): the candidate_id and each criterion_id are
printed exactly as that import expects them, so a filled form is keyed in row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ovop_desktop.domain.candidates import EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.rounds import Round
from ovop_desktop.domain.rubric import LEVELS, Aspect, Rubric
from ovop_desktop.errors import UserFacingError
from ovop_desktop.services.printing.graphics import TickBox, signature_block
from ovop_desktop.services.printing.layout import (
    INK,
    LIGHT,
    RULE,
    SHADE,
    IsCancelled,
    PageSpec,
    Progress,
    details_table,
    frame_width,
    para,
    render,
    rich,
    sections,
    styles,
    table,
    table_style,
)
from ovop_desktop.services.printing.translate import Translator
from ovop_desktop.services.scoring import SHEET_COLUMNS


@dataclass(frozen=True)
class FormCandidate:
    """What the form pre-fills about the IKM (names already resolved from codes)."""

    candidate_id: int  # this laptop's id: what `ovop score import-sheet` expects
    name: str
    commodity: Commodity
    product: str
    owner: str = ""
    address: str = ""
    region_name: str = ""
    province_name: str = ""
    sentra_name: str = ""
    nib: str = ""
    kind: EntryKind = EntryKind.NEW
    previous_star: int | None = None
    previous_year: int | None = None
    visit_date: date | None = None


@dataclass(frozen=True)
class FieldForm:
    candidate: FormCandidate
    rubric: Rubric  # the round's rubric version for the candidate's commodity
    assessor: str = ""  # printed on the signature line when known


def field_forms(forms: Sequence[FieldForm], round_: Round, *, paper: str = "a4",
                language: str = "id", keyed_here: bool = True,
                progress: Progress | None = None,
                cancelled: IsCancelled | None = None) -> bytes:
    """One form per candidate, each numbered "Halaman 1 dari N" on its own.

    keyed_here: the forms are printed on the laptop where they will be keyed in (an
    assessor's). When a coordinator prints them, the hint warns that the assessor's laptop
    numbers candidates differently.
    """
    _ = Translator(language)
    if not forms:
        raise UserFacingError(_("There is nothing to print."))
    width = frame_width(paper)
    story = sections(forms, lambda f: _form(f, _, width, keyed_here), progress=progress,
                     cancelled=cancelled)
    return render(story, PageSpec(
        title=_("Field assessment form"), language=_.language, paper=paper,
        round_year=round_.year, round_name=round_.name,
        subject=_("Field assessment forms ({n})").format(n=len(forms))))


def _form(form: FieldForm, _: Translator, width: float, keyed_here: bool) -> list[Flowable]:
    s = styles()
    c = form.candidate
    story: list[Flowable] = [
        rich("{title} — {commodity}", s.title, title=_("Field assessment form"),
             commodity=_.commodity(c.commodity)),
        _id_banner(c, _, width),
        Spacer(1, 4),
        details_table(_candidate_rows(form, _), width, label_share=0.24),
        Spacer(1, 4),
        para(_("To key in this form: `ovop score import-sheet FILE`, one row per ticked "
               "criterion with the columns {columns} — candidate_id {id}, the criterion_id "
               "printed beside each criterion, level 1–3, note.").format(
                   columns=", ".join(SHEET_COLUMNS), id=c.candidate_id), s.hint),
    ]
    if not keyed_here:
        story.append(para(_("Printed by the coordinator: the assessor's laptop may number "
                            "this candidate differently; print the form there to key it in."),
                          s.hint))
    for aspect in form.rubric.aspects:
        story += _aspect(aspect, _, width)
    story += _closing(form, _, width)
    return story


def _id_banner(c: FormCandidate, _: Translator, width: float) -> Table:
    """candidate_id large at the left, the IKM name beside it: what one looks for first."""
    s = styles()
    t = Table([[[para("candidate_id", s.small), para(c.candidate_id, s.number)],
                para(c.name, s.large)]],
              colWidths=[30 * mm, width - 30 * mm], hAlign="LEFT")
    t.setStyle(table_style(
        ("BOX", (0, 0), (-1, -1), 0.8, INK), ("LINEAFTER", (0, 0), (0, 0), 0.8, INK),
        ("BACKGROUND", (0, 0), (0, 0), SHADE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ))
    return t


def _candidate_rows(form: FieldForm, _: Translator) -> list[tuple[str, object]]:
    c = form.candidate
    if c.kind is EntryKind.REEVALUATION and c.previous_star:
        entry = _("{kind}: {stars}★ in {year}").format(
            kind=_.entry_kind(c.kind), stars=c.previous_star, year=c.previous_year or "—")
    else:
        entry = _.entry_kind(c.kind)
    region = ", ".join(p for p in (c.region_name, c.province_name) if p)
    return [
        (_("Owner"), c.owner or "—"), (_("Kabupaten/kota, province"), region or "—"),
        (_("Address"), c.address or "—"), (_("Sentra IKM"), c.sentra_name or "—"),
        (_("Commodity"), _.commodity(c.commodity)), (_("Product"), c.product or "—"),
        (_("NIB"), c.nib or "—"), (_("Previous star"), entry),
        (_("Assessor"), form.assessor or ""),
        (_("Visit date"), _.date(c.visit_date) if c.visit_date else ""),
        (_("Rubric"), _("{commodity}, version {version}").format(
            commodity=_.commodity(form.rubric.commodity), version=form.rubric.version)),
    ]


def _aspect(aspect: Aspect, _: Translator, width: float) -> list[Flowable]:
    """One table per aspect, its name and column headers repeated on every page it spans;
    a criterion and its notes row never part across pages."""
    s = styles()
    id_w, name_w = 14 * mm, 36 * mm
    level_w = (width - id_w - name_w) / len(LEVELS)
    language = _.language
    title = rich("{id} — {name} <font size=8>({weight})</font>", s.subheading, id=aspect.id,
                 name=aspect.name.get(language), weight=_("weight {w}").format(w=aspect.weight))
    rows: list[list[object]] = [
        [title, "", "", "", ""],
        ["ID", _("Criterion"), *[_("Level {n}").format(n=n) for n in LEVELS]]]
    commands: list[tuple[object, ...]] = [("SPAN", (0, 0), (-1, 0)),
                                          ("BACKGROUND", (0, 0), (-1, 0), colors.white),
                                          ("LINEBELOW", (0, 1), (-1, 1), 0.9, INK)]
    for criterion in aspect.criteria:
        r = len(rows)
        rows.append([
            para(criterion.id, s.large), para(criterion.name.get(language), s.cell_bold),
            *[[TickBox(str(n)), Spacer(1, 2), para(text.get(language), s.cell)]
              for n, text in zip(LEVELS, criterion.levels, strict=True)]])
        rows.append(["", [para(_("Notes"), s.small), Spacer(1, 10 * mm)], "", "", ""])
        commands += [
            ("SPAN", (0, r), (0, r + 1)), ("SPAN", (1, r + 1), (-1, r + 1)),
            ("NOSPLIT", (0, r), (-1, r + 1)),
            ("BACKGROUND", (0, r), (0, r + 1), LIGHT),
            ("LINEBELOW", (0, r + 1), (-1, r + 1), 0.9, INK),
        ]
    grid = table(rows, [id_w, name_w] + [level_w] * len(LEVELS), header_rows=2, zebra=False,
                 split_in_row=False, extra=commands)
    return [Spacer(1, 6), grid]


def _closing(form: FieldForm, _: Translator, width: float) -> list[Flowable]:
    s = styles()
    c = form.candidate
    visit = _.date(c.visit_date) if c.visit_date else "____ / ____ / ________"
    note_box = Table([[[para(_("Visit note (overall impression, evidence seen, follow-up)"),
                             s.small), Spacer(1, 38 * mm)]]], colWidths=[width])
    note_box.setStyle(table_style(("BOX", (0, 0), (-1, -1), 0.6, RULE)))
    return [
        Spacer(1, 8),
        KeepTogether([
            para(_("Visit"), s.heading), note_box, Spacer(1, 6),
            rich("<b>{label}</b>: {value}", s.body, label=_("Visit date"), value=visit),
            Spacer(1, 10),
            signature_block([(_("Assessor"), form.assessor), (_("IKM owner"), c.owner)], width,
                            name_label=_("Name"), date_label=_("Date")),
        ]),
    ]
