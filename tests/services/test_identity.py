"""Installation key pairs: sealed seed, passphrase sources, public-key cards."""

from __future__ import annotations

import base64
import inspect
import json
import os
import stat
import time
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from ovop_desktop.errors import UserFacingError
from ovop_desktop.services import identity
from ovop_desktop.services.identity import (
    KDF_FLOOR,
    ScryptParams,
    WrongPassphraseError,
    create_identity,
    load_public,
    read_card,
    read_passphrase,
    unlock,
    write_card,
)
from ovop_desktop.services.signing import format_fingerprint, key_id, public_key_raw, sign, verify

PASS = "kopi tubruk 2024"


@pytest.fixture
def real_kdf() -> None:
    """Marks a test that must run with the shipped scrypt parameters."""


@pytest.fixture(autouse=True)
def fast_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap scrypt for most tests; the stored parameters travel in the file, so unlock agrees."""
    if "real_kdf" not in request.fixturenames:
        monkeypatch.setattr(identity, "KDF_PARAMS", ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return tmp_path / "keys"


def _doc(keys: Path) -> dict:
    return json.loads((keys / "identity.json").read_text(encoding="utf-8"))


def _rewrite(keys: Path, change) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(keys)
    change(doc)
    (keys / "identity.json").write_text(json.dumps(doc), encoding="utf-8")


def test_default_kdf_is_strong_and_not_best_available_encryption(real_kdf: None) -> None:
    params = identity.KDF_PARAMS
    assert isinstance(params, ScryptParams)  # not a cryptography KeySerializationEncryption
    assert params.n >= 2**15 and params.r >= 8 and params.p >= 1
    assert params.n >= KDF_FLOOR.n and params.r >= KDF_FLOOR.r
    assert KDF_FLOOR.n >= 2**15 and KDF_FLOOR.r >= 8
    assert 128 * params.n * params.r >= 64 * 1024 * 1024  # memory-hard: ≥ 64 MiB a guess
    source = inspect.getsource(identity)
    assert "BestAvailableEncryption(" not in source and "PKCS8" not in source


def test_create_and_unlock_with_the_real_kdf(keys: Path, real_kdf: None) -> None:
    started = time.perf_counter()
    public = create_identity(keys, PASS, "Siti Rahma", "Universitas Gadjah Mada")
    created = time.perf_counter() - started
    doc = _doc(keys)
    assert doc["kdf"]["name"] == "scrypt"
    assert (doc["kdf"]["n"], doc["kdf"]["r"], doc["kdf"]["p"]) == (2**17, 8, 1)
    assert doc["format"] == "ovop-identity/1" and doc["aead"] == "chacha20-poly1305"
    assert "PRIVATE KEY" not in json.dumps(doc)
    started = time.perf_counter()
    private_key = unlock(keys, PASS)
    unlocked = time.perf_counter() - started
    print(f"real KDF: create {created:.2f} s, unlock {unlocked:.2f} s")
    assert public_key_raw(private_key) == public.public_key_raw
    assert verify(public.public_key_raw, "t", b"x", sign(private_key, "t", b"x"))
    with pytest.raises(WrongPassphraseError):
        unlock(keys, PASS + "!")


def test_public_identity_needs_no_passphrase(keys: Path) -> None:
    assert load_public(keys) is None
    made = create_identity(keys, PASS, "  Siti Rahma ", "UGM")
    loaded = load_public(keys)
    assert loaded == made
    assert loaded.name == "Siti Rahma" and loaded.institution == "UGM"
    assert loaded.key_id == key_id(loaded.public_key_raw)
    assert loaded.fingerprint == format_fingerprint(loaded.key_id)
    assert len(loaded.fingerprint.split(" ")) == 16


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_key_file_is_private(keys: Path) -> None:
    create_identity(keys, PASS, "Siti", "UGM")
    assert stat.S_IMODE((keys / "identity.json").stat().st_mode) == 0o600


def test_the_seed_is_not_in_the_file(keys: Path) -> None:
    create_identity(keys, PASS, "Siti", "UGM")
    seed = unlock(keys, PASS).private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    raw = (keys / "identity.json").read_bytes()
    assert seed not in raw and base64.b64encode(seed) not in raw and seed.hex().encode() not in raw


def test_create_refuses_an_existing_key(keys: Path) -> None:
    create_identity(keys, PASS, "Siti", "UGM")
    before = (keys / "identity.json").read_bytes()
    with pytest.raises(UserFacingError):
        create_identity(keys, PASS, "Other", "UGM")
    assert (keys / "identity.json").read_bytes() == before


def test_short_passphrase_refused(keys: Path, english: None) -> None:
    with pytest.raises(UserFacingError, match="at least 8 characters"):
        create_identity(keys, "1234567", "Siti", "UGM")
    assert load_public(keys) is None
    create_identity(keys, "12345678", "Siti", "UGM")


@pytest.mark.parametrize("name", ["", "   ", "Siti\u202egnp.exe", "Siti\nRahma", "x" * 201])
def test_bad_names_refused(keys: Path, name: str) -> None:
    with pytest.raises(UserFacingError):
        create_identity(keys, PASS, name, "UGM")


def test_wrong_passphrase_has_a_clear_message(keys: Path, english: None) -> None:
    create_identity(keys, PASS, "Siti", "UGM")
    with pytest.raises(WrongPassphraseError) as caught:
        unlock(keys, "kopi tubruk 2025")
    assert isinstance(caught.value, UserFacingError)
    assert str(caught.value).startswith("The passphrase is wrong")


def test_passphrase_is_compared_after_nfc(keys: Path) -> None:
    composed = "kata sandi caf\u00e9"
    create_identity(keys, composed, "Siti", "UGM")
    unlock(keys, unicodedata.normalize("NFD", composed))


def test_no_key_yet(keys: Path) -> None:
    with pytest.raises(UserFacingError):
        unlock(keys, PASS)


def test_ciphertext_is_bound_to_its_public_key(keys: Path, tmp_path: Path) -> None:
    """Moving a sealed seed under another public key must not open (AEAD associated data)."""
    create_identity(keys, PASS, "Siti", "UGM")
    other = tmp_path / "other"
    create_identity(other, PASS, "Budi", "ITB")
    _rewrite(keys, lambda d: d.update(public_key=_doc(other)["public_key"]))
    with pytest.raises(UserFacingError):
        unlock(keys, PASS)


DAMAGE = {
    "not-json": lambda p: p.write_bytes(b"\x00garbage"),
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:60]),
    "duplicate-key": lambda p: p.write_bytes(p.read_bytes().replace(b"{", b'{"aead": "x",', 1)),
    "huge": lambda p: p.write_bytes(b" " * (70 * 1024) + p.read_bytes()),
    "list": lambda p: p.write_text("[]"),
}
FIELD_DAMAGE = {
    "format": lambda d: d.update(format="ovop-identity/9"),
    "public-key-short": lambda d: d.update(public_key=base64.b64encode(b"k" * 31).decode()),
    "public-key-not-b64": lambda d: d.update(public_key="***"),
    "nonce-short": lambda d: d.update(nonce=base64.b64encode(b"n" * 11).decode()),
    "ciphertext-short": lambda d: d.update(ciphertext=d["ciphertext"][:20]),
    "kdf-unknown": lambda d: d["kdf"].update(name="pbkdf2"),
    "kdf-huge-n": lambda d: d["kdf"].update(n=2**40),
    "kdf-n-not-power": lambda d: d["kdf"].update(n=1000),
    "kdf-n-string": lambda d: d["kdf"].update(n="1024"),
    "kdf-r-bool": lambda d: d["kdf"].update(r=True),
    "aead-unknown": lambda d: d.update(aead="aes-128-cbc"),
    "name-missing": lambda d: d.pop("name"),
    "created-missing": lambda d: d.pop("created_at"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_file_is_a_user_facing_error(keys: Path, damage: str) -> None:
    create_identity(keys, PASS, "Siti", "UGM")
    DAMAGE[damage](keys / "identity.json")
    with pytest.raises(UserFacingError):
        load_public(keys)
    with pytest.raises(UserFacingError):
        unlock(keys, PASS)


@pytest.mark.parametrize("damage", sorted(FIELD_DAMAGE))
def test_damaged_field_is_a_user_facing_error(keys: Path, damage: str) -> None:
    create_identity(keys, PASS, "Siti", "UGM")
    _rewrite(keys, FIELD_DAMAGE[damage])
    started = time.perf_counter()
    with pytest.raises(UserFacingError):
        unlock(keys, PASS)
    assert time.perf_counter() - started < 2  # a hostile n never runs scrypt


def test_changed_ciphertext_byte_does_not_open(keys: Path) -> None:
    create_identity(keys, PASS, "Siti", "UGM")

    def flip(d: dict) -> None:
        raw = bytearray(base64.b64decode(d["ciphertext"]))
        raw[5] ^= 1
        d["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    _rewrite(keys, flip)
    with pytest.raises(UserFacingError):
        unlock(keys, PASS)


# -- passphrase sources ---------------------------------------------------------------------

def _no_prompt(_text: str) -> str:
    raise AssertionError("must not prompt")


def test_passphrase_file_wins(tmp_path: Path) -> None:
    f = tmp_path / "pass.txt"
    f.write_bytes("\ufeffrahasia sekali\r\nsecond line\n".encode())
    env = {"OVOP_PASSPHRASE": "from env"}
    assert read_passphrase(f, env=env, prompt=_no_prompt) == "rahasia sekali"
    f.write_bytes(b"  spaces kept  \n")
    assert read_passphrase(f, env={}, prompt=_no_prompt) == "  spaces kept  "


@pytest.mark.parametrize("content", [b"", b"\n", b"\xff\xfe\x00bad"])
def test_unusable_passphrase_file(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "pass.txt"
    f.write_bytes(content)
    with pytest.raises(UserFacingError):
        read_passphrase(f, env={}, prompt=_no_prompt)


def test_missing_passphrase_file(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError):
        read_passphrase(tmp_path / "nope.txt", env={}, prompt=_no_prompt)


def test_environment_before_prompt() -> None:
    assert read_passphrase(None, env={"OVOP_PASSPHRASE": "dari env!"}, prompt=_no_prompt,
                           interactive=True) == "dari env!"


def test_prompt_with_confirmation() -> None:
    answers = iter(["satu dua tiga", "satu dua tiga"])
    assert read_passphrase(None, env={}, prompt=lambda _t: next(answers), confirm=True,
                           interactive=True) == "satu dua tiga"
    answers = iter(["satu dua tiga", "satu dua empat"])
    with pytest.raises(UserFacingError):
        read_passphrase(None, env={}, prompt=lambda _t: next(answers), confirm=True,
                        interactive=True)


def test_prompt_end_of_input() -> None:
    def eof(_text: str) -> str:
        raise EOFError
    with pytest.raises(UserFacingError):
        read_passphrase(None, env={}, prompt=eof, interactive=True)


def test_no_terminal_and_nothing_given_explains_the_three_ways(english: None) -> None:
    with pytest.raises(UserFacingError) as caught:
        read_passphrase(None, env={"OVOP_PASSPHRASE": ""}, prompt=_no_prompt, interactive=False)
    message = str(caught.value)
    assert "--passphrase-file" in message and "OVOP_PASSPHRASE" in message
    assert "terminal" in message


# -- public-key cards -----------------------------------------------------------------------

@pytest.fixture
def card_path(keys: Path, tmp_path: Path) -> Path:
    public = create_identity(keys, PASS, "Siti Rahma", "Universitas Gadjah Mada")
    path = tmp_path / "siti.ovopcard"
    write_card(path, public, "assessor", {"commodities": ["kopi", "anyaman"], "province": "34"})
    return path


def test_card_round_trip(card_path: Path, keys: Path) -> None:
    public = load_public(keys)
    card = read_card(card_path)
    assert card.name == "Siti Rahma" and card.institution == "Universitas Gadjah Mada"
    assert card.role == "assessor"
    assert card.public_key_raw == public.public_key_raw and card.key_id == public.key_id
    assert card.fingerprint == public.fingerprint
    assert card.created_at == public.created_at
    assert card.extra == {"commodities": ["kopi", "anyaman"], "province": "34"}
    doc = json.loads(card_path.read_text(encoding="utf-8"))
    assert doc["format"] == "ovop-card/1" and doc["fingerprint"] == public.key_id


def test_card_extra_cannot_override_fields(keys: Path, tmp_path: Path) -> None:
    public = create_identity(keys, PASS, "Siti", "UGM")
    with pytest.raises(ValueError):
        write_card(tmp_path / "c.json", public, "assessor", {"public_key": "x"})


def _edit_card(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_card_with_tampered_fingerprint_is_damaged(card_path: Path, english: None) -> None:
    def tamper(d: dict) -> None:
        d["fingerprint"] = ("0" if d["fingerprint"][0] != "0" else "1") + d["fingerprint"][1:]
    _edit_card(card_path, tamper)
    with pytest.raises(UserFacingError, match="damaged"):
        read_card(card_path)


def test_card_with_swapped_key_is_damaged(card_path: Path, tmp_path: Path) -> None:
    other = create_identity(tmp_path / "k2", PASS, "Mallory", "X")
    _edit_card(card_path, lambda d: d.update(
        public_key=base64.b64encode(other.public_key_raw).decode()))
    with pytest.raises(UserFacingError):
        read_card(card_path)


CARD_DAMAGE = {
    "format": lambda d: d.update(format="ovop-card/2"),
    "no-format": lambda d: d.pop("format"),
    "no-fingerprint": lambda d: d.pop("fingerprint"),
    "fingerprint-number": lambda d: d.update(fingerprint=7),
    "key-short": lambda d: d.update(public_key=base64.b64encode(b"k" * 31).decode()),
    "key-not-b64": lambda d: d.update(public_key="!!"),
    "name-empty": lambda d: d.update(name=""),
    "name-list": lambda d: d.update(name=["Siti"]),
    "role-missing": lambda d: d.pop("role"),
    "name-bidi": lambda d: d.update(name="Siti\u202e"),
    "created-missing": lambda d: d.pop("created_at"),
}


@pytest.mark.parametrize("damage", sorted(CARD_DAMAGE))
def test_damaged_card_refused(card_path: Path, damage: str) -> None:
    _edit_card(card_path, CARD_DAMAGE[damage])
    with pytest.raises(UserFacingError):
        read_card(card_path)


@pytest.mark.parametrize("raw", [
    b"", b"[]", b"not json", b'{"format": "ovop-card/1", "format": "ovop-card/1"}',
    b'{"format": "ovop-card/1", "x": NaN}', b"[" * 100_000 + b"]" * 100_000,
    b" " * (65 * 1024) + b"{}",
])
def test_hostile_card_bytes_refused(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "card.json"
    path.write_bytes(raw)
    with pytest.raises(UserFacingError):
        read_card(path)


def test_card_fingerprint_in_readable_form_is_accepted(card_path: Path) -> None:
    _edit_card(card_path, lambda d: d.update(fingerprint=format_fingerprint(d["fingerprint"])))
    assert read_card(card_path).role == "assessor"
