"""Candidate, history and screening rows ↔ domain objects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy import insert as sql_insert
from sqlalchemy.orm import Session

from ovop_desktop.data.models import (
    CandidateHistoryRow,
    CandidateRow,
    ImportBatchRow,
    ScreeningCheckRow,
    ScreeningRequirementRow,
)
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.candidates import (
    Candidate,
    CandidateData,
    EntryKind,
    fingerprint,
    normalised_name,
    stored_associations,
)
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.screening import DocStatus, DocumentCheck
from ovop_desktop.errors import NotFoundError
from ovop_desktop.i18n import _

_TEXT = ("name", "owner", "address", "region_code", "sentra_name", "sentra_sk_number",
         "product", "nib", "capacity", "markets", "export_history")


def require(session: Session, candidate_id: int) -> CandidateRow:
    """The candidate's row, or NotFoundError with a sentence the user can read."""
    row = session.get(CandidateRow, candidate_id)
    if row is None:
        raise NotFoundError(_("There is no candidate with id {id}.").format(id=candidate_id))
    return row


def to_domain(row: CandidateRow) -> Candidate:
    data = CandidateData(
        **{f: getattr(row, f) for f in _TEXT},
        commodity=Commodity(row.commodity),
        sentra_sk_date=date.fromisoformat(row.sentra_sk_date) if row.sentra_sk_date else None,
        documents=frozenset(Document(d) for d in row.documents.split(",") if d),
        workforce=row.workforce, kind=EntryKind(row.kind),
        previous_star=row.previous_star, previous_year=row.previous_year,
        associations=stored_associations(row.associations),
    )
    return Candidate(id=row.id, round_id=row.round_id, data=data, created_at=row.created_at,
                     updated_at=row.updated_at, source=row.source)


def column_values(data: CandidateData) -> dict[str, object]:
    """The stored form of each field (what history compares, old → new)."""
    return {
        **{f: getattr(data, f) for f in _TEXT},
        "commodity": data.commodity.value,
        "sentra_sk_date": data.sentra_sk_date.isoformat() if data.sentra_sk_date else None,
        "documents": ",".join(sorted(d.value for d in data.documents)),
        "workforce": data.workforce, "kind": data.kind.value,
        "previous_star": data.previous_star, "previous_year": data.previous_year,
        "associations": "\n".join(data.associations),  # one per line
        "name_key": normalised_name(data.name), "fingerprint": fingerprint(data),
    }


def insert(session: Session, round_id: int, data: CandidateData, source: str) -> CandidateRow:
    stamp = now_iso()
    row = CandidateRow(round_id=round_id, source=source[:300], created_at=stamp, updated_at=stamp,
                       **column_values(data))
    session.add(row)
    session.flush()
    return row


def insert_many(session: Session, round_id: int,
                items: list[tuple[CandidateData, str]]) -> list[int]:
    """Insert many records in one statement batch (an import of 10,000 rows); ids in order."""
    if not items:
        return []
    stamp = now_iso()
    params = [{"round_id": round_id, "source": source[:300], "created_at": stamp,
               "updated_at": stamp, **column_values(data)} for data, source in items]
    result = session.scalars(
        sql_insert(CandidateRow).returning(CandidateRow.id, sort_by_parameter_order=True), params)
    return list(result)


def update(session: Session, row: CandidateRow, data: CandidateData,
           actor: str) -> list[tuple[str, object, object]]:
    """Apply changed fields and record each in the history; returns (field, old, new)."""
    changes = []
    stamp = now_iso()
    for name, new in column_values(data).items():
        old = getattr(row, name)
        if old != new:
            setattr(row, name, new)
            if name not in ("name_key", "fingerprint"):
                changes.append((name, old, new))
                session.add(CandidateHistoryRow(candidate_id=row.id, ts=stamp, actor=actor,
                                                field=name, old=_text(old), new=_text(new)))
    if changes:
        row.updated_at = stamp
    session.flush()
    return changes


def _text(value: object) -> str:
    return "" if value is None else str(value)


def history(session: Session, candidate_id: int) -> list[CandidateHistoryRow]:
    return list(session.execute(
        select(CandidateHistoryRow).where(CandidateHistoryRow.candidate_id == candidate_id)
        .order_by(CandidateHistoryRow.id.desc())).scalars())


def rows_for_round(session: Session, round_id: int) -> list[CandidateRow]:
    return list(session.execute(
        select(CandidateRow).where(CandidateRow.round_id == round_id).order_by(CandidateRow.id)
    ).scalars())


def keys_for_round(session: Session, round_id: int) -> list[tuple[int, str, str, str, str]]:
    """(id, fingerprint, nib, name_key, region_code) — what duplicate detection needs."""
    return [tuple(r) for r in session.execute(  # type: ignore[misc]
        select(CandidateRow.id, CandidateRow.fingerprint, CandidateRow.nib, CandidateRow.name_key,
               CandidateRow.region_code).where(CandidateRow.round_id == round_id))]


# -- screening ------------------------------------------------------------------


def requirements(session: Session, round_id: int) -> dict[Commodity, tuple[Document, ...]]:
    rows = session.execute(select(ScreeningRequirementRow).where(
        ScreeningRequirementRow.round_id == round_id)).scalars()
    found: dict[Commodity, list[Document]] = {}
    for row in rows:
        found.setdefault(Commodity(row.commodity), []).append(Document(row.document))
    order = list(Document)
    return {c: tuple(sorted(docs, key=order.index)) for c, docs in found.items()}


def set_requirements(session: Session, round_id: int, commodity: Commodity,
                     documents: Iterable[Document]) -> None:
    session.execute(delete(ScreeningRequirementRow).where(
        ScreeningRequirementRow.round_id == round_id,
        ScreeningRequirementRow.commodity == commodity.value))
    session.add_all(ScreeningRequirementRow(round_id=round_id, commodity=commodity.value,
                                            document=d.value) for d in set(documents))
    session.flush()


def checks_for_round(session: Session, round_id: int) -> dict[int, dict[Document, DocumentCheck]]:
    query = (select(ScreeningCheckRow).join(CandidateRow)
             .where(CandidateRow.round_id == round_id))
    out: dict[int, dict[Document, DocumentCheck]] = {}
    for row in session.execute(query).scalars():
        out.setdefault(row.candidate_id, {})[Document(row.document)] = _check(row)
    return out


def checks_for(session: Session, candidate_id: int) -> dict[Document, DocumentCheck]:
    rows = session.execute(select(ScreeningCheckRow).where(
        ScreeningCheckRow.candidate_id == candidate_id)).scalars()
    return {Document(r.document): _check(r) for r in rows}


def _check(row: ScreeningCheckRow) -> DocumentCheck:
    return DocumentCheck(Document(row.document), DocStatus(row.status), row.note, row.actor,
                         row.ts)


def set_check(session: Session, candidate_id: int, check: DocumentCheck) -> DocumentCheck | None:
    """Store a check; returns the previous one (None if the document was unchecked)."""
    row = session.get(ScreeningCheckRow, (candidate_id, check.document.value))
    previous = _check(row) if row else None
    if row is None:
        row = ScreeningCheckRow(candidate_id=candidate_id, document=check.document.value)
        session.add(row)
    row.status, row.note, row.actor, row.ts = (check.status.value, check.note, check.checked_by,
                                               check.checked_at)
    session.flush()
    return previous


def set_checks(session: Session, checks: list[tuple[int, DocumentCheck]]) -> None:
    """Store many checks with one read of the rows they replace and one flush (a national
    screening session marks 25,000 documents)."""
    ids = sorted({cid for cid, _check in checks})
    rows: dict[tuple[int, str], ScreeningCheckRow] = {}
    for start in range(0, len(ids), 500):  # well under every engine's parameter limit
        for row in session.execute(select(ScreeningCheckRow).where(
                ScreeningCheckRow.candidate_id.in_(ids[start:start + 500]))).scalars():
            rows[(row.candidate_id, row.document)] = row
    for candidate_id, check in checks:
        key = (candidate_id, check.document.value)
        row = rows.get(key)
        if row is None:
            row = rows[key] = ScreeningCheckRow(candidate_id=candidate_id,
                                                document=check.document.value)
            session.add(row)
        row.status, row.note, row.actor, row.ts = (check.status.value, check.note,
                                                   check.checked_by, check.checked_at)
    session.flush()


def add_import_batch(session: Session, round_id: int, file_name: str, sha256: str, actor: str,
                     counts: tuple[int, int, int]) -> int:
    row = ImportBatchRow(round_id=round_id, file_name=file_name[:300], sha256=sha256,
                         imported_at=now_iso(), actor=actor, accepted=counts[0],
                         rejected=counts[1], duplicates=counts[2])
    session.add(row)
    session.flush()
    return row.id
