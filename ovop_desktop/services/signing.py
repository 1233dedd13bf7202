"""Ed25519 signatures over DSSE's pre-authentication encoding, and readable key fingerprints."""

from __future__ import annotations

import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
_HEX64 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-:]+")


def key_id(public_key_raw: bytes) -> str:
    """SHA-256 (lowercase hex) of the raw 32-byte public key: the key's fingerprint and id.

    Hashing the raw key, not a DER/PEM wrapping, means any Ed25519 library can
    reproduce it from the 32 bytes alone.
    """
    if not isinstance(public_key_raw, bytes) or len(public_key_raw) != PUBLIC_KEY_BYTES:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return hashlib.sha256(public_key_raw).hexdigest()


def public_key_raw(private_key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public half of `private_key` (what cards and registries store)."""
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def format_fingerprint(hex64: str) -> str:
    """"3F2A 91C0 …": 16 upper-case groups of four, so it can be read aloud over the phone."""
    clean = hex64.lower()
    if not _HEX64.fullmatch(clean):
        raise ValueError("a fingerprint is 64 hex digits")
    upper = clean.upper()
    return " ".join(upper[i:i + 4] for i in range(0, 64, 4))


def parse_fingerprint(text: str) -> str:
    """The lowercase hex64 a person typed back, forgiving spaces, dashes, colons and case.

    Anything else (a missing digit, an "O" for a zero, full-width digits) is a
    ValueError: a fingerprint is compared exactly or not at all.
    """
    clean = _SEPARATORS.sub("", str(text)).lower()
    if not _HEX64.fullmatch(clean):
        raise ValueError("a fingerprint is 64 hex digits (0-9, A-F)")
    return clean


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding; signing it binds the type to the body.

    Without the type inside the signed bytes a signed package could be passed off
    as a signed bundle (type confusion, cf. CVE-2022-35929).
    """
    type_bytes = payload_type.encode("utf-8")
    return b" ".join([b"DSSEv1", str(len(type_bytes)).encode("ascii"), type_bytes,
                      str(len(body)).encode("ascii"), body])


def sign(private_key: Ed25519PrivateKey, payload_type: str, body: bytes) -> bytes:
    """A 64-byte Ed25519 signature over PAE(payload_type, body)."""
    return private_key.sign(pae(payload_type, body))


def verify(public_key_raw: bytes, payload_type: str, body: bytes, signature: bytes) -> bool:
    """True only for a valid signature by exactly this key; never raises on bad input."""
    if (not isinstance(public_key_raw, bytes) or len(public_key_raw) != PUBLIC_KEY_BYTES
            or not isinstance(signature, bytes) or len(signature) != SIGNATURE_BYTES
            or not isinstance(body, bytes) or not isinstance(payload_type, str)):
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key_raw)
        key.verify(signature, pae(payload_type, body))
    except (InvalidSignature, ValueError, UnicodeEncodeError):
        return False
    return True
