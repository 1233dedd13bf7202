"""Results receipts: what a results export was computed from, signed by the coordinator.

The payload is deterministic — the same store gives the same bytes, hence the same
receipt hash — so a receipt (or the hash printed in a scorecard's QR code) can be
checked later by recomputing it from the data. Signed as a DSSE envelope with the
coordinator's Ed25519 key; the envelope embeds the public key so anyone can check
the signature and compare its fingerprint with the one they know.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ovop_desktop.domain.strict_json import JsonError, canonical_bytes, loads_strict
from ovop_desktop.i18n import _
from ovop_desktop.services.results import ResultsReport
from ovop_desktop.services.signing import key_id, public_key_raw, sign, verify

PAYLOAD_TYPE = "application/vnd.ovop.results-receipt+json"
FORMAT = "ovop-results-receipt"
VERSION = 1
MAX_RECEIPT_BYTES = 20_000_000
QR_PREFIX = "OVOP-R1"
_QR = re.compile(rf"^{QR_PREFIX}\s+([0-9a-f]{{64}})\s+([0-9a-f]{{64}})$")


def payload(report: ResultsReport) -> dict[str, Any]:
    """The canonical description of these results and of everything they rest on."""
    round_ = report.round
    facts = report.candidates
    moderation = sorted(
        [facts[r.candidate_id].uid, c.criterion_id, c.moderated]
        for r in report.results.candidates for c in r.criteria if c.moderated is not None)
    results = sorted(
        ({"candidate": facts[r.candidate_id].uid,
          "total": None if r.total is None else f"{r.total:.6f}",
          "star": r.star, "rank": r.rank} for r in report.results.candidates),
        key=lambda row: row["candidate"])
    return {
        "format": FORMAT, "version": VERSION,
        "round": {"uid": round_.uid, "year": round_.year, "name": round_.name},
        "thresholds": {"3": round_.thresholds.three, "2": round_.thresholds.two,
                       "1": round_.thresholds.one},
        "method": report.results.method.as_dict(),
        "rubrics": {rc.commodity.value: rc.rubric_sha256 for rc in round_.commodities},
        "bundles": sorted(b.manifest_sha256 for b in report.bundles),
        "moderation": moderation,
        "conflicts_excluded": report.excluded_conflicts,
        "audit_head": report.audit_head,
        "results": results,
    }


def receipt_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


def qr_text(body: dict[str, Any]) -> str:
    """What a printed scorecard's QR code carries: the receipt hash and the audit head."""
    return f"{QR_PREFIX} {receipt_hash(body)} {body['audit_head']}"


def sign_receipt(body: dict[str, Any], key: Ed25519PrivateKey, signer: str) -> dict[str, Any]:
    raw = canonical_bytes(body)
    public = public_key_raw(key)
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(raw).decode("ascii"),
        "signatures": [{"keyid": key_id(public),
                        "sig": base64.b64encode(sign(key, PAYLOAD_TYPE, raw)).decode("ascii")}],
        "public_key": base64.b64encode(public).decode("ascii"),
        "signer": signer,
        "receipt_sha256": hashlib.sha256(raw).hexdigest(),
    }


@dataclass(frozen=True)
class OpenedReceipt:
    body: dict[str, Any]
    key_id: str
    signer: str

    @property
    def hash(self) -> str:
        return receipt_hash(self.body)


class ReceiptError(ValueError):
    """Not a receipt, or one whose signature does not hold (the message says which)."""


def open_receipt(data: bytes) -> OpenedReceipt:
    """Parse and check a signed receipt; a results JSON export with one inside works too."""
    try:
        doc = loads_strict(data, max_bytes=MAX_RECEIPT_BYTES)
    except JsonError as exc:
        raise ReceiptError(_("not a results receipt (not JSON: {e})").format(e=exc)) from None
    if isinstance(doc, dict) and isinstance(doc.get("receipt"), dict):
        doc = doc["receipt"]  # a results .json export carries its receipt inside
    if not isinstance(doc, dict) or doc.get("payloadType") != PAYLOAD_TYPE:
        raise ReceiptError(_("not a results receipt"))
    try:
        raw = base64.b64decode(str(doc.get("payload", "")), validate=True)
        public = base64.b64decode(str(doc.get("public_key", "")), validate=True)
        sigs = doc.get("signatures")
        entry = sigs[0] if isinstance(sigs, list) and len(sigs) == 1 else None
        signature = base64.b64decode(str(entry.get("sig", "")), validate=True) if isinstance(
            entry, dict) else b""
    except (binascii.Error, ValueError):
        raise ReceiptError(_("the receipt is damaged (bad encoding)")) from None
    if len(public) != 32 or not verify(public, PAYLOAD_TYPE, raw, signature):
        raise ReceiptError(_("the signature does not match: the receipt was altered or is "
                             "not signed"))
    if not isinstance(entry, dict) or entry.get("keyid") != key_id(public):
        raise ReceiptError(_("the receipt names another key than the one that signed it"))
    try:
        body = loads_strict(raw, max_bytes=MAX_RECEIPT_BYTES)
    except JsonError:
        raise ReceiptError(_("the receipt is damaged (bad payload)")) from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ReceiptError(_("not a results receipt"))
    if body.get("version") != VERSION:
        raise ReceiptError(_("receipt version {v} is not supported").format(
            v=body.get("version")))
    results = body.get("results")  # signed by anyone's key: its shape proves nothing
    if not isinstance(body.get("round"), dict) or not isinstance(results, list) or not all(
            isinstance(r, dict) and isinstance(r.get("candidate"), str) for r in results):
        raise ReceiptError(_("the receipt is damaged (bad payload)"))
    signer = doc.get("signer")
    return OpenedReceipt(body, key_id(public), signer if isinstance(signer, str) else "")


def parse_qr(text: str) -> tuple[str, str] | None:
    """(receipt hash, audit head) from what a scorecard's QR code holds, or None."""
    found = _QR.match(" ".join(text.split()))
    return (found.group(1), found.group(2)) if found else None


@dataclass(frozen=True)
class Comparison:
    """How a receipt relates to the results recomputed from the store now."""

    same_receipt: bool          # everything identical: inputs and results
    same_results: bool          # stars, ranks and totals identical
    changed: tuple[str, ...]    # candidate uids whose result differs
    missing: tuple[str, ...]    # in the receipt, not in the store
    inputs_changed: tuple[str, ...]  # which inputs differ ("bundles", "moderation", …)


def compare(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    before = {r.get("candidate"): r for r in old.get("results", []) if isinstance(r, dict)}
    now = {r["candidate"]: r for r in new["results"]}
    changed = tuple(sorted(str(u) for u in before if u in now and before[u] != now[u]))
    missing = tuple(sorted(str(u) for u in before if u not in now))
    extra = [u for u in now if u not in before]
    inputs = tuple(k for k in ("thresholds", "method", "rubrics", "bundles", "moderation",
                               "conflicts_excluded", "audit_head") if old.get(k) != new.get(k))
    same_results = not changed and not missing and not extra
    return Comparison(receipt_hash(old) == receipt_hash(new), same_results, changed, missing,
                      inputs)


def dumps(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
