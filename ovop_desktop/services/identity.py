"""An installation's Ed25519 key pair, sealed with a passphrase, and its public-key card."""

from __future__ import annotations

import base64
import binascii
import getpass
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from ovop_desktop.domain.strict_json import JsonError, loads_strict
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import atomic_write, read_capped
from ovop_desktop.services.signing import format_fingerprint, key_id, parse_fingerprint
from ovop_desktop.services.signing import public_key_raw as _raw_public

IDENTITY_FORMAT = "ovop-identity/1"
CARD_FORMAT = "ovop-card/1"
IDENTITY_FILE = "identity.json"
AEAD_NAME = "chacha20-poly1305"
MIN_PASSPHRASE_CHARS = 8
MAX_FILE_BYTES = 64 * 1024
MAX_TEXT_CHARS = 200
PASSPHRASE_ENV = "OVOP_PASSPHRASE"


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost: memory is 128·n·r bytes (128 MiB at the defaults), time grows with n·r·p."""

    n: int
    r: int
    p: int


# ~0.25 s and 128 MiB per guess on a laptop: a few hundred times the CPU of cryptography's
# PKCS#8 default (PBKDF2, 2,048 rounds), and memory-hard, which is what makes GPU guessing
# expensive. Tests may lower this for speed; the parameters used are stored in the file.
KDF_PARAMS = ScryptParams(n=2**17, r=8, p=1)
KDF_FLOOR = ScryptParams(n=2**15, r=8, p=1)
_KDF_MAX_MEMORY = 1 << 30  # a key file asking for more than 1 GiB is damaged or hostile


class WrongPassphraseError(UserFacingError):
    """The passphrase did not open the key (the GUI asks again instead of giving up)."""


@dataclass(frozen=True)
class PublicIdentity:
    """What anyone may know about an installation's key; no passphrase needed to read it."""

    name: str
    institution: str
    public_key_raw: bytes
    key_id: str
    created_at: str

    @property
    def fingerprint(self) -> str:
        return format_fingerprint(self.key_id)


@dataclass(frozen=True)
class Card:
    """A public-key card as read from a file: untrusted until its fingerprint is confirmed."""

    name: str
    institution: str
    role: str
    public_key_raw: bytes
    key_id: str
    created_at: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return format_fingerprint(self.key_id)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, length: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not a base64 string")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(data) != length:
        raise ValueError(f"expected {length} bytes")
    return data


def _clean_text(value: object, what: str, *, required: bool = True) -> str:
    """A short single-line label without control or bidi characters (spoofing, threat 18)."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    text = unicodedata.normalize("NFC", value.strip())
    if required and not text:
        raise ValueError(f"{what} is empty")
    if len(text) > MAX_TEXT_CHARS or any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise ValueError(f"{what} is too long or contains control characters")
    return text


def _aad(public_raw: bytes) -> bytes:
    """Associated data: the format and the public key, so a ciphertext cannot be moved elsewhere."""
    return IDENTITY_FORMAT.encode("ascii") + b"\x00" + AEAD_NAME.encode("ascii") + b"\x00" \
        + public_raw


def _derive(passphrase: str, salt: bytes, params: ScryptParams) -> bytes:
    """NFC first: the same passphrase typed on macOS and on Windows gives the same key."""
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=params.n, r=params.r, p=params.p).derive(secret)


def _identity_path(keys_dir: Path) -> Path:
    return Path(keys_dir) / IDENTITY_FILE


def _damaged(path: Path, reason: str) -> UserFacingError:
    return UserFacingError(_("The key file {path} is damaged and cannot be used ({reason}).")
                           .format(path=path, reason=reason))


def create_identity(keys_dir: Path, passphrase: str, name: str, institution: str
                    ) -> PublicIdentity:
    """Make this installation's key pair once; the seed is stored only in sealed form."""
    path = _identity_path(keys_dir)
    if path.exists():
        raise UserFacingError(_("This profile already has a key ({path}). It is never replaced "
                                "silently; move the file away first if you really want a new key.")
                              .format(path=path))
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise UserFacingError(_("The passphrase must have at least {n} characters.")
                              .format(n=MIN_PASSPHRASE_CHARS))
    try:
        name = _clean_text(name, "name")
        institution = _clean_text(institution, "institution", required=False)
    except ValueError:
        raise UserFacingError(_("Name and institution must be one line of at most {n} "
                                "characters, and the name must not be empty.")
                              .format(n=MAX_TEXT_CHARS)) from None
    private_key = Ed25519PrivateKey.generate()
    seed = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public_raw = _raw_public(private_key)
    params, salt, nonce = KDF_PARAMS, os.urandom(16), os.urandom(12)
    sealed = ChaCha20Poly1305(_derive(passphrase, salt, params)).encrypt(
        nonce, seed, _aad(public_raw))
    created_at = _now()
    doc = {"format": IDENTITY_FORMAT, "public_key": _b64(public_raw),
           "kdf": {"name": "scrypt", "n": params.n, "r": params.r, "p": params.p,
                   "salt": _b64(salt)},
           "aead": AEAD_NAME, "nonce": _b64(nonce), "ciphertext": _b64(sealed),
           "name": name, "institution": institution, "created_at": created_at}
    Path(keys_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write(path, json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"))
    if os.name == "posix":
        os.chmod(path, 0o600)  # mkstemp already made it 0600; say so explicitly
    return PublicIdentity(name, institution, public_raw, key_id(public_raw), created_at)


def _read_identity(path: Path) -> tuple[dict[str, Any], PublicIdentity]:
    doc = loads_strict(read_capped(path, MAX_FILE_BYTES), max_bytes=MAX_FILE_BYTES)
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    if doc.get("format") != IDENTITY_FORMAT:
        raise ValueError(f"unknown format {str(doc.get('format'))[:40]!r}")
    public_raw = _unb64(doc.get("public_key"), 32)
    created_at = doc.get("created_at")
    if not isinstance(created_at, str):
        raise ValueError("created_at missing")
    identity = PublicIdentity(_clean_text(doc.get("name"), "name"),
                              _clean_text(doc.get("institution"), "institution", required=False),
                              public_raw, key_id(public_raw), created_at)
    return doc, identity


def load_public(keys_dir: Path) -> PublicIdentity | None:
    """The public half of this installation's identity, or None before one is created."""
    path = _identity_path(keys_dir)
    if not path.exists():
        return None
    try:
        return _read_identity(path)[1]
    except (JsonError, ValueError, binascii.Error) as exc:
        raise _damaged(path, str(exc)) from None


def unlock(keys_dir: Path, passphrase: str) -> Ed25519PrivateKey:
    """The private key, for signing; the passphrase is checked by the AEAD tag, not a hash."""
    path = _identity_path(keys_dir)
    if not path.exists():
        raise UserFacingError(_("This profile has no key yet. Create one first."))
    try:
        doc, identity = _read_identity(path)
        kdf = doc.get("kdf")
        if not isinstance(kdf, dict) or kdf.get("name") != "scrypt" or doc.get("aead") != AEAD_NAME:
            raise ValueError("unknown KDF or cipher")
        n, r, p = (kdf.get(k) for k in ("n", "r", "p"))
        if not all(type(v) is int and v >= 1 for v in (n, r, p)) or n < 2 or n & (n - 1) \
                or 128 * n * r * p > _KDF_MAX_MEMORY:  # type: ignore[operator]
            raise ValueError("unreasonable KDF parameters")
        salt, nonce = _unb64(kdf.get("salt")), _unb64(doc.get("nonce"), 12)
        sealed = _unb64(doc.get("ciphertext"), 32 + 16)
        key = _derive(passphrase, salt, ScryptParams(n, r, p))  # type: ignore[arg-type]
    except (JsonError, ValueError, binascii.Error) as exc:
        raise _damaged(path, str(exc)) from None
    try:
        seed = ChaCha20Poly1305(key).decrypt(nonce, sealed, _aad(identity.public_key_raw))
    except InvalidTag:
        raise WrongPassphraseError(_("The passphrase is wrong (or the key file was changed). "
                                     "Check Caps Lock and the keyboard layout, then try again.")
                                   ) from None
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    if _raw_public(private_key) != identity.public_key_raw:
        raise _damaged(path, "the private key does not belong to the public key")
    return private_key


def read_passphrase(passphrase_file: Path | None, env: Mapping[str, str] = os.environ,
                    prompt: Callable[[str], str] = getpass.getpass, confirm: bool = False,
                    *, interactive: bool | None = None) -> str:
    """--passphrase-file (first line) > OVOP_PASSPHRASE > a prompt (asked twice when creating).

    `interactive` defaults to "stdin is a terminal", so a script never hangs on a prompt.
    """
    if passphrase_file is not None:
        data = read_capped(Path(passphrase_file), MAX_FILE_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserFacingError(_("The passphrase file {path} is not UTF-8 text.")
                                  .format(path=passphrase_file)) from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise UserFacingError(_("The passphrase file {path} is empty; the passphrase must be "
                                    "on its first line.").format(path=passphrase_file))
        return lines[0]
    if env.get(PASSPHRASE_ENV):
        return env[PASSPHRASE_ENV]
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    if not interactive:
        raise UserFacingError(_("A passphrase is needed. Give it with --passphrase-file FILE "
                                "(first line), in the environment variable {env}, or run the "
                                "command in a terminal to be asked.").format(env=PASSPHRASE_ENV))
    try:
        first = prompt(_("Passphrase: "))
        if confirm and prompt(_("Repeat the passphrase: ")) != first:
            raise UserFacingError(_("The two passphrases differ. Nothing was changed."))
    except EOFError:
        raise UserFacingError(_("No passphrase was entered.")) from None
    return first


_CARD_FIELDS = ("format", "name", "institution", "role", "public_key", "fingerprint", "created_at")


def write_card(path: Path, identity: PublicIdentity, role: str, extra: dict[str, Any]) -> None:
    """The file handed to the other side; it is only trusted after the fingerprint is confirmed."""
    clash = set(extra) & set(_CARD_FIELDS)
    if clash:
        raise ValueError(f"extra fields may not replace card fields: {sorted(clash)}")
    doc = {**extra, "format": CARD_FORMAT, "name": identity.name,
           "institution": identity.institution, "role": _clean_text(role, "role"),
           "public_key": _b64(identity.public_key_raw), "fingerprint": identity.key_id,
           "created_at": identity.created_at}
    atomic_write(Path(path), json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
                 .encode("utf-8") + b"\n")


def read_card(path: Path) -> Card:
    """A card file parsed strictly; a fingerprint that is not the key's own means damage."""
    data = read_capped(Path(path), MAX_FILE_BYTES)
    try:
        doc = loads_strict(data, max_bytes=MAX_FILE_BYTES)
        if not isinstance(doc, dict):
            raise ValueError("not a JSON object")
    except (JsonError, ValueError) as exc:
        raise UserFacingError(_("{path} is not a public-key card ({reason}).")
                              .format(path=path, reason=str(exc)[:200])) from None
    if doc.get("format") != CARD_FORMAT:
        raise UserFacingError(_("{path} is not a public-key card this version can read "
                                "(format {format}).").format(path=path,
                                                             format=ascii(doc.get("format"))[:40]))
    try:
        public_raw = _unb64(doc.get("public_key"), 32)
        stated = parse_fingerprint(doc["fingerprint"]) if isinstance(
            doc.get("fingerprint"), str) else ""
        if stated != key_id(public_raw):
            raise ValueError("fingerprint does not match the key")
        created_at = doc.get("created_at")
        if not isinstance(created_at, str) or len(created_at) > 40:
            raise ValueError("created_at")
        card = Card(_clean_text(doc.get("name"), "name"),
                    _clean_text(doc.get("institution"), "institution", required=False),
                    _clean_text(doc.get("role"), "role"), public_raw, key_id(public_raw),
                    created_at, {k: v for k, v in doc.items() if k not in _CARD_FIELDS})
    except (ValueError, binascii.Error) as exc:
        raise UserFacingError(_("The card {path} is damaged ({reason}); ask for a new one.")
                              .format(path=path, reason=str(exc)[:200])) from None
    return card
