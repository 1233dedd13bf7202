"""The assessor's side of score bundles: sign the current snapshot, verify it on the medium.

A bundle is written atomically, read back from where it was written and verified with
the assessor's own key before it is recorded (sequence number, manifest hash) and
reported as saved. A failed write, read-back or commit records nothing and leaves no file.

A kill or power cut between the bundle reaching the medium and the commit cannot take
the file back, so the export leaves a note first (PENDING_EXPORT in the profile folder:
where and what it is writing). The next export settles it: a complete bundle found there
that verifies and links to the chain is recorded as sent (it may already be on its way
to the coordinator; signing another under the same number would look like two
histories), anything else is dropped and its number used again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from ovop_desktop import __version__
from ovop_desktop.data import audit
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import BundleExportRow, CandidateRow, PackageReceivedRow, RoundRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.strict_json import canonical_bytes
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import atomic_write, remove_temp_copies
from ovop_desktop.services.container import (
    PAYLOAD_BUNDLE,
    Rejected,
    build_container,
    open_container,
)
from ovop_desktop.services.identity import PublicIdentity
from ovop_desktop.services.scoring import ScoringService


@dataclass(frozen=True)
class ExportInfo:
    path: Path
    seq: int
    sheets: int
    scores: int
    manifest_sha256: str


PENDING_EXPORT = "bundle-export.pending.json"


def export_bundle(store: Store, scoring: ScoringService, actor: str, out: Path,
                  key: Ed25519PrivateKey, me: PublicIdentity) -> ExportInfo:
    """Sign the current snapshot of every sheet; verify the written file before saying so."""
    pending = store.path.parent / PENDING_EXPORT
    recovered = settle_interrupted(store, actor, me)
    if recovered is not None and recovered.path.absolute() == Path(out).absolute():
        raise UserFacingError(_(
            "An export that was interrupted earlier had already written bundle {seq} to "
            "{path}; it is now on record as sent. Save this bundle under another name.").format(
            seq=recovered.seq, path=recovered.path))
    with _unrecorded_removed(Path(out)) as written, store.write() as s:
        received = s.execute(select(PackageReceivedRow).order_by(
            PackageReceivedRow.seq.desc()).limit(1)).scalar()
        if received is None:
            raise UserFacingError(_("Import the coordinator's assignment package first: a bundle "
                                    "belongs to a round."))
        round_row = s.get(RoundRow, received.round_id)
        last = s.execute(select(BundleExportRow).order_by(BundleExportRow.seq.desc())
                         .limit(1)).scalar()
        seq = (last.seq + 1) if last else 1
        sheets = scoring.snapshot(round_row.id)
        photos = _photos_by_uid(s, round_row.id, store.path.parent / "evidence")
        files: dict[str, bytes] = {}
        for items in photos.values():
            for sha, kind, _criterion, path in items:
                files[f"photos/{sha}.{kind}"] = path.read_bytes()
        body = {"format": 1, "sheets": [
            {"candidate": sh.candidate_uid, "commodity": sh.commodity, "status": sh.status,
             "note": sh.note, "scores": [{"criterion": c, "level": lv, "note": n}
                                         for c, lv, n in sh.scores],
             "photos": [{"sha256": sha, "kind": kind, "criterion": criterion}
                        for sha, kind, criterion, _p in photos.get(sh.candidate_uid, [])],
             # optional key: omitted until the assessor records the actual visit date
             **({"visited_on": sh.visited_on} if sh.visited_on else {})}
            for sh in sheets]}
        manifest = {
            "format": 1, "kind": "score-bundle", "app_version": __version__,
            "bundle_id": str(uuid.uuid4()), "assessor_key": me.key_id, "assessor_name": me.name,
            "seq": seq, "prev": last.manifest_sha256 if last else None, "round": round_row.uid,
            "rubrics": {link.commodity: link.rubric.sha256 for link in round_row.commodities},
            "created_at": now_iso(),
        }
        data = build_container(PAYLOAD_BUNDLE, manifest,
                               {"scores.json": canonical_bytes(body), **files}, key)
        # The note is durable before the bundle can reach its final name.
        atomic_write(pending, json.dumps({
            "seq": seq, "path": str(Path(out).absolute()),
            "sha256": hashlib.sha256(data).hexdigest()}).encode("utf-8"))
        written.append(data)
        atomic_write(Path(out), data)
        try:  # read back from the medium: a bad USB stick fails here, not at the coordinator
            verified = open_container(Path(out).read_bytes(), {PAYLOAD_BUNDLE},
                                      lambda k, _e: me.public_key_raw if k == me.key_id else None)
        except (OSError, Rejected) as exc:
            Path(out).unlink(missing_ok=True)  # never leave an unrecorded bundle behind
            raise UserFacingError(_("The bundle written to {path} does not read back correctly "
                                    "({reason}); it was not counted. Try another medium.")
                                  .format(path=out, reason=exc)) from None
        s.add(BundleExportRow(seq=seq, bundle_id=manifest["bundle_id"],
                              manifest_sha256=verified.manifest_sha256, round_id=round_row.id,
                              file_name=Path(out).name[:300], exported_at=manifest["created_at"]))
        n_scores = sum(len(sh.scores) for sh in sheets)
        audit.append(s, actor, "bundle.export", "round", round_row.id,
                     {"seq": seq, "sheets": len(sheets), "scores": n_scores,
                      "manifest_sha256": verified.manifest_sha256})
    with contextlib.suppress(OSError):  # on record now; a stale note is settled as such
        pending.unlink()
    return ExportInfo(Path(out), seq, len(sheets), n_scores, verified.manifest_sha256)


@dataclass(frozen=True)
class Recovered:
    """A bundle an interrupted export left on the medium, now on record as sent."""

    seq: int
    path: Path


def settle_interrupted(store: Store, actor: str, me: PublicIdentity) -> Recovered | None:
    """Settle an export a kill or power cut interrupted; returns what was recorded, if any.
    Call it before proposing the next bundle's number (export_bundle calls it too).

    Recorded when its file is on the medium, complete, signed by this laptop's key, and
    is the next bundle of the chain; otherwise the note is dropped (the export never
    finished, or the medium is not here to tell — the number is used again then).
    """
    pending = store.path.parent / PENDING_EXPORT
    try:
        note = json.loads(pending.read_bytes())
        seq, path, digest = int(note["seq"]), Path(note["path"]), str(note["sha256"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        note = None
    recorded = None
    if note is not None:
        with store.write() as s:
            last = s.execute(select(BundleExportRow).order_by(BundleExportRow.seq.desc())
                             .limit(1)).scalar()
            if (last.seq if last else 0) + 1 == seq:  # not committed before the interruption
                recorded = _adopt(s, actor, me, path, digest, seq, last)
        if recorded is None:
            remove_temp_copies(path)
    with contextlib.suppress(OSError):
        pending.unlink()
    return Recovered(recorded, path) if recorded is not None else None


def _adopt(s, actor: str, me: PublicIdentity, path: Path, digest: str, seq: int,  # type: ignore[no-untyped-def]
           last: BundleExportRow | None) -> int | None:
    try:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            return None
        verified = open_container(data, {PAYLOAD_BUNDLE},
                                  lambda k, _e: me.public_key_raw if k == me.key_id else None)
    except (OSError, Rejected):
        return None
    manifest = verified.manifest
    round_uid = manifest.get("round")
    round_row = s.execute(select(RoundRow).where(RoundRow.uid == round_uid)).scalar() \
        if isinstance(round_uid, str) else None
    if manifest.get("seq") != seq or round_row is None \
            or manifest.get("prev") != (last.manifest_sha256 if last else None):
        return None
    sheets = json.loads(verified.files.get("scores.json", b"{}")).get("sheets", [])
    n_scores = sum(len(sh.get("scores", [])) for sh in sheets)
    s.add(BundleExportRow(seq=seq, bundle_id=str(manifest.get("bundle_id", ""))[:36],
                          manifest_sha256=verified.manifest_sha256, round_id=round_row.id,
                          file_name=path.name[:300],
                          exported_at=str(manifest.get("created_at", now_iso()))))
    audit.append(s, actor, "bundle.export", "round", round_row.id,
                 {"seq": seq, "sheets": len(sheets), "scores": n_scores,
                  "manifest_sha256": verified.manifest_sha256, "recovered": True})
    return seq


@contextlib.contextmanager
def _unrecorded_removed(out: Path) -> Iterator[list[bytes]]:
    """If the export fails once our bundle is on the medium (the folder's fsync, the commit),
    take the file back: a bundle not on record would be signed again under the same seq."""
    written: list[bytes] = []
    try:
        yield written
    except BaseException:
        with contextlib.suppress(OSError):
            if written and out.read_bytes() == written[0]:  # ours, not an older file
                out.unlink()
        raise


def _photos_by_uid(s, round_id: int, evidence_dir: Path  # type: ignore[no-untyped-def]
                   ) -> dict[str, list[tuple[str, str, str, Path]]]:
    """Evidence photos per candidate uid: (sha256, kind, criterion, file)."""
    from ovop_desktop.data.models import EvidenceRow

    out: dict[str, list[tuple[str, str, str, Path]]] = {}
    rows = s.execute(select(CandidateRow.uid, EvidenceRow).join(
        EvidenceRow, EvidenceRow.candidate_id == CandidateRow.id).where(
        CandidateRow.round_id == round_id).order_by(EvidenceRow.id)).all()
    for uid, ev in rows:
        out.setdefault(uid, []).append((ev.sha256, ev.kind, ev.criterion_id,
                                        evidence_dir / f"{ev.sha256}.{ev.kind}"))
    return out


def last_export_seq(store: Store) -> int:
    with store.read() as s:
        return int(s.execute(select(func.max(BundleExportRow.seq))).scalar() or 0)
