"""Signed results receipts: any change to a signed file is caught; junk is refused cleanly."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ovop_desktop.services import receipts

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
BODY = {
    "format": receipts.FORMAT, "version": receipts.VERSION,
    "round": {"uid": "r-1", "year": 2024, "name": "Penghargaan OVOP 2024"},
    "thresholds": {"3": 80, "2": 65, "1": 50}, "method": {"min_assessors": 2},
    "rubrics": {"kain_batik": "ab" * 32}, "bundles": ["cd" * 32], "moderation": [],
    "conflicts_excluded": 0, "audit_head": "ef" * 32,
    "results": [{"candidate": "u-1", "total": "83.333333", "star": 3, "rank": 1}],
}
SIGNED = receipts.dumps(receipts.sign_receipt(BODY, KEY, "Sekretariat OVOP"))


def test_a_signed_receipt_opens_with_its_body_and_signer() -> None:
    opened = receipts.open_receipt(SIGNED)
    assert opened.body == BODY and opened.signer == "Sekretariat OVOP"
    assert opened.hash == receipts.receipt_hash(BODY)
    inside = json.dumps({"results": [], "receipt": json.loads(SIGNED)}).encode()
    assert receipts.open_receipt(inside).body == BODY  # a results .json export


def test_the_receipt_hash_is_stable_and_the_qr_text_round_trips() -> None:
    again = receipts.sign_receipt(dict(reversed(list(BODY.items()))), KEY, "x")
    assert again["receipt_sha256"] == receipts.receipt_hash(BODY)
    text = receipts.qr_text(BODY)
    assert receipts.parse_qr(text) == (receipts.receipt_hash(BODY), BODY["audit_head"])
    assert receipts.parse_qr("  " + text.replace(" ", "\n") + " ") is not None
    assert receipts.parse_qr(text + "0") is None


def test_compare_names_what_changed() -> None:
    changed = json.loads(json.dumps(BODY))
    changed["results"][0]["star"] = 2
    changed["moderation"] = [["u-1", "B4", 3]]
    result = receipts.compare(BODY, changed)
    assert not result.same_receipt and not result.same_results
    assert result.changed == ("u-1",) and result.inputs_changed == ("moderation",)
    assert receipts.compare(BODY, BODY).same_receipt


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(SIGNED) - 1), st.integers(1, 255))
def test_any_flipped_byte_is_refused_or_changes_nothing(position: int, flip: int) -> None:
    data = bytearray(SIGNED)
    data[position] ^= flip
    try:
        opened = receipts.open_receipt(bytes(data))
    except receipts.ReceiptError:
        return
    # only bytes outside what is signed (layout, the signer label, the stated hash) may change
    assert opened.body == BODY


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_junk_is_a_receipt_error_never_a_crash(data: bytes) -> None:
    try:
        receipts.open_receipt(data)
    except receipts.ReceiptError:
        pass
    receipts.parse_qr(data.decode("utf-8", "replace"))


def test_a_receipt_signed_by_another_key_names_that_key() -> None:
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    opened = receipts.open_receipt(receipts.dumps(receipts.sign_receipt(BODY, other, "x")))
    assert opened.key_id != receipts.open_receipt(SIGNED).key_id
