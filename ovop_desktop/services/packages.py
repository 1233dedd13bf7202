"""Assignment packages: the coordinator signs what an assessor needs; the assessor pins that key."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ovop_desktop import __version__
from ovop_desktop.data import audit, candidate_repo
from ovop_desktop.data.conflicts import rule_conflicts
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import (
    AssessorRow,
    AssignmentRow,
    CandidateRow,
    ConflictRow,
    CoordinatorPinRow,
    PackageIssuedRow,
    PackageReceivedRow,
    RoundCommodityRow,
    RoundRow,
    RubricRow,
    VisitRow,
)
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.candidates import CandidateData, EntryKind, stored_associations
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.rounds import RoundStatus
from ovop_desktop.domain.rubric import parse_rubric
from ovop_desktop.domain.strict_json import JsonError, canonical_bytes, loads_strict
from ovop_desktop.errors import NotFoundError, UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import atomic_write, read_capped
from ovop_desktop.services.container import (
    PAYLOAD_PACKAGE,
    Rejected,
    build_container,
    open_container,
)
from ovop_desktop.services.identity import PublicIdentity
from ovop_desktop.services.signing import format_fingerprint, key_id, parse_fingerprint

MAX_PACKAGE_BYTES = 50_000_000


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    seq: int
    round_name: str
    assessor: str
    candidates: int
    manifest_sha256: str
    round_id: int = 0


def _candidate_doc(row: CandidateRow) -> dict[str, Any]:
    data = candidate_repo.to_domain(row).data
    return {"uid": row.uid, **{k: v for k, v in candidate_repo.column_values(data).items()
                               if k not in ("name_key", "fingerprint")}}


class PackageService:
    def __init__(self, store: Store, actor: Callable[[], str]) -> None:
        self._store = store
        self._actor = actor

    # -- coordinator --------------------------------------------------------------

    def export(self, round_id: int, assessor_id: int, out: Path, key: Ed25519PrivateKey,
               me: PublicIdentity) -> PackageInfo:
        """Sign the round, its frozen rubrics and the assessor's candidates into a file."""
        actor = self._actor()
        with self._store.write() as s:
            round_ = s.get(RoundRow, round_id)
            assessor = s.get(AssessorRow, assessor_id)
            if round_ is None or assessor is None:
                raise NotFoundError(_("Unknown round or assessor."))
            if assessor.revoked_through_seq is not None:
                raise UserFacingError(_("{name}'s key is revoked; enrol a new key first.")
                                      .format(name=assessor.name))
            rubrics = []
            for link in round_.commodities:  # assessors will score against these: freeze them
                if link.rubric.frozen_at is None:
                    link.rubric.frozen_at = now_iso()
                rubrics.append(json.loads(link.rubric.content))
            rows = s.execute(select(CandidateRow).join(AssignmentRow, (
                AssignmentRow.candidate_id == CandidateRow.id)).where(
                AssignmentRow.round_id == round_id, AssignmentRow.assessor_id == assessor_id)
                .order_by(CandidateRow.id)).scalars().all()
            seq = int(s.execute(select(func.max(PackageIssuedRow.seq)).where(
                PackageIssuedRow.assessor_id == assessor_id)).scalar() or 0) + 1
            manifest = {
                "format": 1, "kind": "assignment-package", "app_version": __version__,
                "package_id": str(uuid.uuid4()), "seq": seq, "issued_at": now_iso(),
                "coordinator": {"name": me.name, "key_id": me.key_id},
                "assessor": {"name": assessor.name, "key_id": assessor.key_id},
                "round": {"uid": round_.uid, "year": round_.year, "name": round_.name,
                          "thresholds": [round_.threshold_3, round_.threshold_2,
                                         round_.threshold_1]},
            }
            visits = {v.candidate_id: v.visit_date for v in s.execute(
                select(VisitRow).where(VisitRow.candidate_id.in_([r.id for r in rows]))).scalars()}
            conflicts = [{"candidate": uid, "reason": reason} for uid, reason in s.execute(
                select(CandidateRow.uid, ConflictRow.reason).join(
                    ConflictRow, ConflictRow.candidate_id == CandidateRow.id).where(
                    ConflictRow.assessor_id == assessor_id,
                    CandidateRow.round_id == round_id))]
            # Conflicts by rule that arose after the assignment (e.g. an association recorded
            # later) travel too, so the laptop refuses those sheets like declared ones.
            declared = {c["candidate"] for c in conflicts}
            uids = {r.id: r.uid for r in rows}
            conflicts += [{"candidate": uids[cid], "reason": reason} for cid, reason in sorted(
                rule_conflicts(s, assessor_id, round_id, uids).items())
                if uids[cid] not in declared]
            body = {"format": 1, "rubrics": rubrics,
                    "candidates": [_candidate_doc(r) | {"visit_date": visits.get(r.id)}
                                   for r in rows],
                    # so the assessor's laptop refuses these sheets too
                    "conflicts": conflicts}
            data = build_container(PAYLOAD_PACKAGE, manifest,
                                   {"package.json": canonical_bytes(body)}, key)
            verified = _write_and_check(Path(out), data, lambda k, _e: me.public_key_raw
                                        if k == me.key_id else None)
            s.add(PackageIssuedRow(round_id=round_id, assessor_id=assessor_id, seq=seq,
                                   package_id=manifest["package_id"],
                                   manifest_sha256=verified.manifest_sha256,
                                   candidates=len(rows), issued_at=manifest["issued_at"]))
            audit.append(s, actor, "package.issue", "assessor", assessor_id,
                         {"seq": seq, "round": round_.uid, "candidates": len(rows),
                          "manifest_sha256": verified.manifest_sha256})
            return PackageInfo(Path(out), seq, round_.name, assessor.name, len(rows),
                               verified.manifest_sha256)

    # -- assessor -----------------------------------------------------------------

    def pinned(self) -> tuple[str, str] | None:
        """(coordinator name, formatted fingerprint) once a package has been imported."""
        with self._store.read() as s:
            pin = s.get(CoordinatorPinRow, 1)
            return (pin.name, format_fingerprint(pin.key_id)) if pin else None

    def import_package(self, path: Path, coordinator_fingerprint: str | None) -> PackageInfo:
        """Verify a package; pin the coordinator key on first import; update the assignments."""
        data = read_capped(Path(path), MAX_PACKAGE_BYTES)
        with self._store.read() as s:
            pin = s.get(CoordinatorPinRow, 1)
            pinned = (pin.key_id, base64.b64decode(pin.public_key)) if pin else None
        expected = _expected_key(pinned, coordinator_fingerprint)
        trusted: list[bytes] = []

        def lookup(keyid: str, embedded: bytes | None) -> bytes | None:
            found = _trusted_key(keyid, embedded, pinned, expected)
            if found is not None:
                trusted.append(found)
            return found

        try:
            verified = open_container(data, {PAYLOAD_PACKAGE}, lookup)
        except Rejected as exc:
            if exc.code == "unknown_signer":  # say so without naming the signer's key
                raise UserFacingError(_(
                    "This package was not signed by the coordinator key this laptop trusts; "
                    "nothing was imported.") if pinned else _(
                    "This package was not signed by the key with the fingerprint you typed. "
                    "Check it with the coordinator again; nothing was imported.")) from None
            raise
        manifest, body = verified.manifest, _body(verified.files.get("package.json", b""))
        with self._store.write() as s:
            last = int(s.execute(select(func.max(PackageReceivedRow.seq))).scalar() or 0)
            seq = _int(manifest, "seq")
            if seq <= last:
                raise UserFacingError(_("This package (number {seq}) is not newer than the one "
                                        "already imported (number {last}); nothing changed.")
                                      .format(seq=seq, last=last))
            if pin is None:
                s.add(CoordinatorPinRow(id=1, name=str(manifest["coordinator"]["name"])[:200],
                                        public_key=base64.b64encode(trusted[0]).decode(),
                                        key_id=verified.key_id, pinned_at=now_iso()))
            round_row = _upsert_round(s, manifest["round"], body["rubrics"])
            try:
                count = _upsert_candidates(s, round_row.id, body["candidates"])
            except IntegrityError:  # the whole transaction rolls back: nothing is imported
                raise Rejected("malformed", _(
                    "The package gives the same IKM (name, kabupaten/kota and commodity) under "
                    "two different ids, or under an id other than the one this laptop holds; "
                    "nothing was imported. Tell the coordinator.")) from None
            _store_conflicts(s, body.get("conflicts", []), str(manifest["coordinator"]["name"]))
            s.add(PackageReceivedRow(seq=seq, package_id=str(manifest["package_id"]),
                                     manifest_sha256=verified.manifest_sha256,
                                     round_id=round_row.id, received_at=now_iso()))
            audit.append(s, self._actor(), "package.import", "round", round_row.id,
                         {"seq": seq, "candidates": count, "coordinator": verified.key_id})
            return PackageInfo(Path(path), seq, round_row.name, "", count,
                               verified.manifest_sha256, round_row.id)


def _write_and_check(out: Path, data: bytes, lookup):  # type: ignore[no-untyped-def]
    """Write atomically, read back and verify before anything is called saved."""
    atomic_write(out, data)
    try:
        written = out.read_bytes()
        return open_container(written, {PAYLOAD_PACKAGE}, lookup)
    except (OSError, Rejected) as exc:
        raise UserFacingError(_("The file written to {path} does not read back correctly "
                                "({reason}); do not use it.").format(path=out, reason=exc)
                              ) from None


def _expected_key(pinned: tuple[str, bytes] | None, typed: str | None) -> tuple[str, bytes | None]:
    if pinned is not None:
        if typed and parse_fingerprint(typed) != pinned[0]:
            raise UserFacingError(_("That fingerprint is not the coordinator key this laptop "
                                    "trusts; nothing was imported."))
        return pinned[0], pinned[1]
    if not typed:
        raise UserFacingError(_("First package: give the coordinator's fingerprint, confirmed by "
                                "phone or in person (--coordinator-fingerprint)."))
    try:
        return parse_fingerprint(typed), None
    except ValueError:
        raise UserFacingError(_("The fingerprint must be 64 hexadecimal digits.")) from None


def _trusted_key(keyid: str, embedded: bytes | None, pinned: tuple[str, bytes] | None,
                 expected: tuple[str, bytes | None]) -> bytes | None:
    if pinned is not None:
        return pinned[1] if keyid == pinned[0] else None
    # First contact: the key travels in the envelope and is trusted only because its
    # fingerprint equals the one the assessor confirmed out of band.
    if embedded is not None and key_id(embedded) == keyid == expected[0]:
        return embedded
    return None


def _body(raw: bytes) -> dict[str, Any]:
    try:
        body = loads_strict(raw, max_bytes=MAX_PACKAGE_BYTES)
    except JsonError as exc:
        raise Rejected("malformed", _("The package content is malformed ({reason}).").format(
            reason=exc)) from None
    if not isinstance(body, dict) or not isinstance(body.get("rubrics"), list) \
            or not isinstance(body.get("candidates"), list):
        raise Rejected("malformed", _("The package content is malformed."))
    return body


def _int(obj: dict[str, Any], key: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Rejected("malformed", _("The package field {key} is malformed.").format(key=key))
    return value


def _upsert_round(s, doc: dict[str, Any], rubric_docs: list[Any]) -> RoundRow:  # type: ignore[no-untyped-def]
    """The coordinator's round, with the same uid, and its frozen rubrics."""
    try:
        uid, year, name = str(doc["uid"]), int(doc["year"]), str(doc["name"])[:200]
        t3, t2, t1 = (int(x) for x in doc["thresholds"])
        rubrics = [parse_rubric(canonical_bytes(r)) for r in rubric_docs]
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected("malformed", _("The package's round is malformed ({reason}).").format(
            reason=exc)) from None
    row = s.execute(select(RoundRow).where(RoundRow.uid == uid)).scalar()
    if row is None:
        row = RoundRow(uid=uid, year=year, name=name, status=RoundStatus.OPEN.value,
                       threshold_3=t3, threshold_2=t2, threshold_1=t1, created_at=now_iso())
        s.add(row)
        s.flush()
    row.year, row.name = year, name
    row.threshold_3, row.threshold_2, row.threshold_1 = t3, t2, t1
    links = {link.commodity: link for link in row.commodities}
    for position, rubric in enumerate(rubrics):
        stored = s.execute(select(RubricRow).where(RubricRow.sha256 == rubric.sha256)).scalar()
        if stored is None:
            version = int(s.execute(select(func.max(RubricRow.version)).where(
                RubricRow.commodity == rubric.commodity.value)).scalar() or 0) + 1
            stored = RubricRow(commodity=rubric.commodity.value, version=version,
                               sha256=rubric.sha256, content=rubric.canonical_bytes().decode(),
                               frozen_at=now_iso(), created_at=now_iso())
            if version != rubric.version:
                # Keep the coordinator's content (and hash) exactly; only our numbering differs.
                stored.version = version
            s.add(stored)
            s.flush()
        link = links.get(rubric.commodity.value)
        if link is None:
            s.add(RoundCommodityRow(round_id=row.id, commodity=rubric.commodity.value,
                                    position=position, rubric_id=stored.id))
        else:
            link.rubric_id = stored.id
    s.flush()
    return row


def _upsert_candidates(s, round_id: int, docs: list[Any]) -> int:  # type: ignore[no-untyped-def]
    """Add or refresh the assigned candidates; scores already given are never touched.

    Candidates of the round that the new package no longer carries stay on the laptop
    with their scores but are marked withdrawn, so they can no longer be scored.
    """
    carried: set[int] = set()
    for doc in docs:
        try:
            if not all(v is None or type(v) is int for v in (
                    doc["workforce"], doc["previous_star"], doc["previous_year"])):
                raise TypeError("workforce, previous_star and previous_year are whole numbers")
            data = CandidateData(
                name=str(doc["name"]), region_code=str(doc["region_code"]),
                commodity=Commodity(doc["commodity"]), product=str(doc["product"]),
                owner=str(doc["owner"]), address=str(doc["address"]),
                sentra_name=str(doc["sentra_name"]), sentra_sk_number=str(doc["sentra_sk_number"]),
                nib=str(doc["nib"]), workforce=doc["workforce"],
                sentra_sk_date=date.fromisoformat(doc["sentra_sk_date"])
                if doc["sentra_sk_date"] else None,
                documents=frozenset(Document(d) for d in str(doc["documents"]).split(",") if d),
                capacity=str(doc["capacity"]), markets=str(doc["markets"]),
                export_history=str(doc["export_history"]), kind=EntryKind(doc["kind"]),
                previous_star=doc["previous_star"], previous_year=doc["previous_year"],
                # optional: packages from before schema 6 do not carry it
                associations=stored_associations(str(doc.get("associations") or "")))
            uid = str(doc["uid"])
        except (KeyError, TypeError, ValueError) as exc:
            raise Rejected("malformed", _("A candidate in the package is malformed ({reason}).")
                           .format(reason=exc)) from None
        row = s.execute(select(CandidateRow).where(CandidateRow.uid == uid)).scalar()
        if row is None:
            row = candidate_repo.insert(s, round_id, data, "package")
            row.uid = uid
        else:
            candidate_repo.update(s, row, data, "package")
        visit = doc.get("visit_date")
        if isinstance(visit, str):
            s.merge(VisitRow(candidate_id=row.id, visit_date=visit[:10]))
        row.withdrawn = 0
        carried.add(row.id)
    for row in s.execute(select(CandidateRow).where(CandidateRow.round_id == round_id)).scalars():
        if row.id not in carried:
            row.withdrawn = 1
    s.flush()
    return len(docs)


def _store_conflicts(s, docs: list[Any], who: str) -> None:  # type: ignore[no-untyped-def]
    """Conflicts the coordinator recorded for this assessor become this laptop's own."""
    if not isinstance(docs, list):
        raise Rejected("malformed", _("The package content is malformed."))
    for doc in docs:
        if not isinstance(doc, dict) or not isinstance(doc.get("candidate"), str):
            raise Rejected("malformed", _("The package content is malformed."))
        row = s.execute(select(CandidateRow).where(CandidateRow.uid == doc["candidate"])).scalar()
        if row is None or s.execute(select(ConflictRow).where(
                ConflictRow.candidate_id == row.id, ConflictRow.assessor_id.is_(None))).first():
            continue
        s.add(ConflictRow(assessor_id=None, candidate_id=row.id,
                          reason=str(doc.get("reason", ""))[:500], declared_by=who[:200],
                          declared_at=now_iso()))
