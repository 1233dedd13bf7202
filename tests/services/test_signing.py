"""Ed25519 over DSSE PAE and fingerprints, pinned to published vectors."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from ovop_desktop.services.signing import (
    format_fingerprint,
    key_id,
    pae,
    parse_fingerprint,
    public_key_raw,
    sign,
    verify,
)

# RFC 8032 §7.1, TEST 1 (empty message).
RFC_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555f"
    "b8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
# The DSSE specification's PAE example.
DSSE_TYPE = "http://example.com/HelloWorld"
DSSE_PAE = b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
# Our sign() over that PAE with the RFC key: Ed25519 is deterministic, so this is pinned.
PINNED_SIG = bytes.fromhex(
    "e031d7dd99f8aa904abc48fb99a13c3bdbbd6e35c49cf2cb9f25d5509d8f5c94"
    "7c0d22dc2f7403a45bdf24e8f7a41fd23c7b25e898386e8c6c31be8abee60007")


@pytest.fixture
def rfc_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(RFC_SECRET)


def test_dsse_pae_vector() -> None:
    assert pae(DSSE_TYPE, b"hello world") == DSSE_PAE


def test_pae_counts_bytes_not_characters() -> None:
    assert pae("é", b"\xff") == b"DSSEv1 2 \xc3\xa9 1 \xff"
    assert pae("", b"") == b"DSSEv1 0  0 "


def test_rfc8032_test1(rfc_key: Ed25519PrivateKey) -> None:
    assert public_key_raw(rfc_key) == RFC_PUBLIC
    assert rfc_key.sign(b"") == RFC_SIGNATURE


def test_sign_is_ed25519_over_pae_and_pinned(rfc_key: Ed25519PrivateKey) -> None:
    signature = sign(rfc_key, DSSE_TYPE, b"hello world")
    assert signature == rfc_key.sign(DSSE_PAE) == PINNED_SIG
    assert verify(RFC_PUBLIC, DSSE_TYPE, b"hello world", signature)


def test_verify_refuses_every_change(rfc_key: Ed25519PrivateKey) -> None:
    good = sign(rfc_key, DSSE_TYPE, b"hello world")
    other = public_key_raw(Ed25519PrivateKey.generate())
    assert not verify(RFC_PUBLIC, DSSE_TYPE, b"hello world!", good)
    assert not verify(RFC_PUBLIC, DSSE_TYPE + "x", b"hello world", good)  # type is signed
    assert not verify(RFC_PUBLIC, DSSE_TYPE, b"hello world", bytes([good[0] ^ 1]) + good[1:])
    assert not verify(other, DSSE_TYPE, b"hello world", good)
    # Bad shapes are False, never an exception.
    assert not verify(RFC_PUBLIC[:31], DSSE_TYPE, b"hello world", good)
    assert not verify(RFC_PUBLIC, DSSE_TYPE, b"hello world", good[:63])
    assert not verify(b"\x00" * 32, DSSE_TYPE, b"hello world", good)
    assert not verify("not bytes", DSSE_TYPE, b"hello world", good)  # type: ignore[arg-type]
    assert not verify(RFC_PUBLIC, "\udc80", b"hello world", good)


def test_key_id_is_sha256_of_the_raw_key() -> None:
    assert key_id(RFC_PUBLIC) == hashlib.sha256(RFC_PUBLIC).hexdigest()
    assert key_id(RFC_PUBLIC) == "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
    with pytest.raises(ValueError):
        key_id(RFC_PUBLIC + b"\x00")


def test_fingerprint_is_sixteen_groups_of_four() -> None:
    text = format_fingerprint(key_id(RFC_PUBLIC))
    assert text == "21FE 31DF A154 A261 626B F854 046F D227 1B7B ED4B 6ABE 45AA 5887 7EF4 7F97 21B9"
    assert [len(g) for g in text.split(" ")] == [4] * 16


@pytest.mark.parametrize("typed", [
    "21FE 31DF A154 A261 626B F854 046F D227 1B7B ED4B 6ABE 45AA 5887 7EF4 7F97 21B9",
    "21fe-31df-a154-a261-626b-f854-046f-d227-1b7b-ed4b-6abe-45aa-5887-7ef4-7f97-21b9",
    "21:FE:31:DF:A1:54:A2:61:62:6B:F8:54:04:6F:D2:27:1B:7B:ED:4B:6A:BE:45:AA:58:87:7E:F4:7F:97:21:B9",
    "  21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9\n",
    "21FE 31df\tA154 a261\n626B F854 046F D227 1B7B ED4B 6ABE 45AA 5887 7EF4 7F97 21B9",
])
def test_parse_fingerprint_forgives_layout(typed: str) -> None:
    assert parse_fingerprint(typed) == key_id(RFC_PUBLIC)


@pytest.mark.parametrize("typed", [
    "", "21FE", "21FE 31DF A154 A261 626B F854 046F D227 1B7B ED4B 6ABE 45AA 5887 7EF4 7F97 21B",
    "21FE 31DF A154 A261 626B F854 046F D227 1B7B ED4B 6ABE 45AA 5887 7EF4 7F97 21B9 0",
    "21FE 31DF A154 A261 626B F854 O46F D227 1B7B ED4B 6ABE 45AA 5887 7EF4 7F97 21B9",  # letter O
    "２1FE 31DF A154 A261 626B F854 046F D227 1B7B ED4B 6ABE 45AA 5887 7EF4 7F97 21B9",  # wide 2
    "21FE_31DF_A154_A261_626B_F854_046F_D227_1B7B_ED4B_6ABE_45AA_5887_7EF4_7F97_21B9",
])
def test_parse_fingerprint_refuses_anything_else(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_fingerprint(typed)


@given(st.binary(min_size=32, max_size=32))
def test_fingerprint_round_trip(raw: bytes) -> None:
    hex64 = key_id(raw)
    assert parse_fingerprint(format_fingerprint(hex64)) == hex64
    assert parse_fingerprint(format_fingerprint(hex64).lower().replace(" ", "-")) == hex64
