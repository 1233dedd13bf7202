"""The assessor's public-key card on paper, for enrolment.

The coordinator enrols an assessor from the card FILE (`ovop identity export`) only after
confirming its fingerprint out of band (`ovop assessors enrol CARD --fingerprint FP`). The
printed card is that out-of-band channel when handed over in person: the fingerprint in
large type to read and compare, and a QR code holding the same fingerprint in the form
`--fingerprint` (and the GUI's enrol dialog) accepts, for a scanner instead of typing.
"""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ovop_desktop.domain.profile import Role
from ovop_desktop.services.identity import PublicIdentity
from ovop_desktop.services.printing.graphics import qr_code, signature_block
from ovop_desktop.services.printing.layout import (
    INK,
    LIGHT,
    MUTED,
    Cancelled,
    IsCancelled,
    PageSpec,
    Progress,
    details_table,
    frame_width,
    para,
    render,
    styles,
    table_style,
)
from ovop_desktop.services.printing.translate import Translator
from ovop_desktop.services.signing import format_fingerprint


def qr_payload(identity: PublicIdentity) -> str:
    """What the QR code holds: the fingerprint as `ovop assessors enrol --fingerprint` takes it."""
    return format_fingerprint(identity.key_id)


def key_card(identity: PublicIdentity, role: Role = Role.ASSESSOR, *, paper: str = "a4",
             language: str = "id", printed_on: date | None = None,
             progress: Progress | None = None, cancelled: IsCancelled | None = None) -> bytes:
    """One page: who (name, institution, role), the fingerprint large, its QR code, the date.

    (progress and cancelled are accepted like every document's; one page needs neither.)
    """
    if cancelled is not None and cancelled():
        raise Cancelled()
    _ = Translator(language)
    s = styles()
    width = frame_width(paper)
    groups = format_fingerprint(identity.key_id).split(" ")
    lines = [" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4)]
    fingerprint = Table([[para(line, s.fingerprint)] for line in lines],
                        colWidths=[width - 50 * mm - 6 * mm])
    fingerprint.setStyle(table_style(("TOPPADDING", (0, 0), (-1, -1), 0),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 0)))
    block = Table([[fingerprint, qr_code(qr_payload(identity), 50 * mm)]],
                  colWidths=[width - 50 * mm - 2, 50 * mm + 2])
    block.setStyle(table_style(
        ("BOX", (0, 0), (-1, -1), 1.2, INK), ("BACKGROUND", (0, 0), (0, 0), LIGHT),
        ("LINEAFTER", (0, 0), (0, 0), 0.5, MUTED), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (1, 0), (1, 0), 0), ("RIGHTPADDING", (1, 0), (1, 0), 0),
    ))
    role_label = _("Assessor") if role is Role.ASSESSOR else _("Coordinator")
    story: list[Flowable] = [
        para(_("Public-key card"), s.title),
        para(identity.name, s.large),
        para(identity.institution or "—", s.body),
        Spacer(1, 8),
        details_table([
            (_("Role"), role_label),
            (_("Key created"), _.datetime(identity.created_at)),
            (_("Card printed"), _.date(printed_on or datetime.now().date())),
        ], width, label_share=0.25),
        Spacer(1, 12),
        para(_("Fingerprint (SHA-256 of the public key)"), s.subheading),
        block,
        Spacer(1, 6),
        para(_("Read the 16 groups aloud, or scan the QR code: it holds the same fingerprint. "
               "The coordinator compares them with the card file (`ovop identity export`) and "
               "enrols with `ovop assessors enrol CARD --fingerprint …` only if every group "
               "matches."), s.hint),
        Spacer(1, 18),
        para(_("Handed over"), s.subheading),
        signature_block([(role_label, identity.name), (_("Received by (coordinator)"), "")],
                        width, name_label=_("Name"), date_label=_("Date")),
    ]
    data = render(story, PageSpec(title=_("Public-key card"), language=_.language, paper=paper,
                                  subject=identity.name, author=identity.name))
    if progress is not None:
        progress(1, 1)
    return data
