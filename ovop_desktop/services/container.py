"""The signed zip container that carries assignment packages and score bundles."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ovop_desktop.domain.strict_json import canonical_bytes, loads_strict
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.signing import format_fingerprint, key_id, public_key_raw, sign, verify

PAYLOAD_PACKAGE = "application/vnd.ovop.assignment-package+json;v=1"
PAYLOAD_BUNDLE = "application/vnd.ovop.score-bundle+json;v=1"
MANIFEST_FORMAT = 1
ENVELOPE = "envelope.json"
MEMBER_NAME = re.compile(
    r"envelope\.json|package\.json|scores\.json|photos/[0-9a-f]{64}\.(?:jpg|png)", re.ASCII)
_PHOTO = re.compile(r"photos/([0-9a-f]{64})\.(?:jpg|png)", re.ASCII)
_HEX64 = re.compile(r"[0-9a-f]{64}", re.ASCII)
# End of central directory: signature, disk, cd disk, entries here, entries, size, offset, comment.
_EOCD = struct.Struct("<4s4H2LH")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CHUNK = 64 * 1024
MiB = 1024 * 1024
LookupKey = Callable[[str, bytes], "bytes | None"]


@dataclass(frozen=True)
class Limits:
    """Caps applied before anything is decompressed or parsed; tests shrink them."""

    container_bytes: int = 200 * MiB
    entries: int = 2000
    member_bytes: int = 50 * MiB
    total_bytes: int = 500 * MiB
    ratio: int = 200               # uncompressed ÷ compressed, for members over ratio_floor
    ratio_floor: int = 1 * MiB
    envelope_bytes: int = 1 * MiB
    central_directory_bytes: int = 2 * MiB
    json_depth: int = 32


LIMITS = Limits()


class Rejected(UserFacingError):
    """Why a container was refused; `code` is stable (reports, tests), the message translated."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Verified:
    """A container whose signature and every member checked out; `files` holds the members."""

    payload_type: str
    manifest: dict[str, Any]
    manifest_bytes: bytes
    manifest_sha256: str
    key_id: str
    files: dict[str, bytes]


def _malformed(detail: str) -> Rejected:
    return Rejected("malformed", _("The file is damaged or is not an OVOP exchange file "
                                   "({detail}).").format(detail=detail))


def _too_large(detail: str) -> Rejected:
    return Rejected("too_large", _("The file is too large or unpacks to too much data "
                                   "({detail}).").format(detail=detail))


def _unsafe(name: str, detail: str) -> Rejected:
    return Rejected("unsafe_member", _("The file contains a member that is not allowed: {name} "
                                       "({detail}).").format(name=ascii(name)[:90], detail=detail))


def _json_depth(data: bytes, limit: int) -> int:
    """Nesting depth of JSON bytes without parsing them, stopping once past `limit`."""
    depth = peak = 0
    for match in re.finditer(rb"[\[\]{}]", _STRING.sub(b'""', data)):
        depth += 1 if match.group() in (b"[", b"{") else -1
        peak = max(peak, depth)
        if peak > limit:
            break
    return peak


def _strict_json(data: bytes, limits: Limits) -> Any:
    """Depth is measured before parsing so nothing ever recurses on attacker-chosen nesting."""
    if _json_depth(data, limits.json_depth) > limits.json_depth:
        raise ValueError(f"JSON nested deeper than {limits.json_depth}")
    return loads_strict(data, max_bytes=limits.envelope_bytes)


def _check_files_entry(name: str, entry: Any, limits: Limits) -> None:
    if (not isinstance(name, str) or not MEMBER_NAME.fullmatch(name) or name == ENVELOPE
            or not isinstance(entry, dict) or set(entry) != {"sha256", "size"}
            or not isinstance(entry["sha256"], str) or not _HEX64.fullmatch(entry["sha256"])
            or type(entry["size"]) is not int or not 0 <= entry["size"] <= limits.member_bytes):
        raise ValueError(f"bad files entry {ascii(name)[:90]}")
    photo = _PHOTO.fullmatch(name)
    if photo and photo.group(1) != entry["sha256"]:
        raise ValueError(f"photo {name} is not named by its SHA-256")


def build_container(payload_type: str, manifest: dict[str, Any], files: dict[str, bytes],
                    private_key: Ed25519PrivateKey, limits: Limits = LIMITS) -> bytes:
    """Sign `manifest` + the hashes of `files` and zip it all; same input, same bytes.

    Every rule the reader enforces is checked here too (ValueError: a programming
    error), so the app can never write a container it would itself refuse.
    """
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT \
            or "files" in manifest:
        raise ValueError('the manifest needs "format": 1 and no "files" (the container adds it)')
    if len(files) + 1 > limits.entries or sum(map(len, files.values())) > limits.total_bytes:
        raise ValueError("too many or too large files")
    listing = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
               for name, data in files.items()}
    for name, entry in listing.items():
        _check_files_entry(name, entry, limits)
    manifest_bytes = canonical_bytes({**manifest, "files": listing})
    _strict_json(manifest_bytes, limits)  # NaN, floats-as-NaN or deep nesting fail here
    signature = sign(private_key, payload_type, manifest_bytes)
    envelope = canonical_bytes({
        "payloadType": payload_type,
        "payload": base64.b64encode(manifest_bytes).decode("ascii"),
        "signatures": [{"keyid": key_id(public_key_raw(private_key)),
                        "publicKey": base64.b64encode(public_key_raw(private_key)).decode("ascii"),
                        "sig": base64.b64encode(signature).decode("ascii")}]})
    if len(envelope) > limits.envelope_bytes:
        raise ValueError("manifest too large for the envelope cap")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in [(ENVELOPE, envelope), *sorted(files.items())]:
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.create_system = 3  # "Unix", whatever the OS, so the bytes do not depend on it
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            # Photos are already compressed; deflating them again only costs time.
            info.compress_type = zipfile.ZIP_STORED if name.startswith("photos/") \
                else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=6)
    return out.getvalue()


def _check_end_record(data: bytes, limits: Limits) -> int:
    """One plain end record at the very end: no comment, no Zip64, nothing before or after.

    With that, zipfile reads exactly the central directory checked here, and its
    size bounds how many entries zipfile will build before we can count them.
    """
    if len(data) < _EOCD.size:
        raise _malformed("too short to be a zip file")
    sig, disk, cd_disk, here, total, cd_size, cd_offset, comment = _EOCD.unpack(data[-_EOCD.size:])
    if sig != b"PK\x05\x06" or comment or disk or cd_disk or here != total:
        raise _malformed("no plain zip end record")
    if data[-_EOCD.size - 20:-_EOCD.size].startswith(b"PK\x06\x07"):
        raise _malformed("Zip64 is not used by this format")
    if total > limits.entries or cd_size > limits.central_directory_bytes:
        raise _too_large(f"{total} entries, {cd_size} directory bytes")
    if cd_offset + cd_size != len(data) - _EOCD.size:
        raise _malformed("data before or after the zip")
    return cd_offset


def _check_directory(zf: zipfile.ZipFile, data_end: int, limits: Limits
                     ) -> dict[str, zipfile.ZipInfo]:
    """Every rule about names, kinds and sizes, from the central directory alone."""
    infos = zf.infolist()
    if len(infos) > limits.entries:
        raise _too_large(f"{len(infos)} entries")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if info.orig_filename != name or not MEMBER_NAME.fullmatch(name):
            raise _unsafe(info.orig_filename, "name not allowed")
        if name in members:
            raise Rejected("duplicate_member", _("The file contains the member {name} twice.")
                           .format(name=name))
        # Unix file type: none (DOS-made, or Python's writestr) or a regular file; no DOS dir bit.
        if stat.S_IFMT(info.external_attr >> 16) not in (0, stat.S_IFREG) \
                or info.external_attr & 0x10:
            raise _unsafe(name, "not a regular file")
        if info.flag_bits & 0x41:
            raise _unsafe(name, "encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unsafe(name, "compression method not allowed")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _malformed(f"stored member {name} with two sizes")
        if info.file_size > limits.member_bytes:
            raise _too_large(f"{name}: {info.file_size} bytes")
        if info.file_size > limits.ratio_floor \
                and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise _too_large(f"{name}: compressed more than {limits.ratio}:1")
        total += info.file_size
        if total > limits.total_bytes:
            raise _too_large(f"more than {limits.total_bytes} bytes in all")
        members[name] = info
    # Members may not overlap (overlapping-entry zip bombs); local headers are at least 30 bytes.
    spans = sorted((i.header_offset, i.header_offset + 30 + len(i.filename) + i.compress_size)
                   for i in infos)
    for (_start, end), (next_start, _end) in zip(spans, spans[1:] + [(data_end, 0)], strict=True):
        if end > next_start:
            raise _malformed("overlapping members")
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Stream with our own counter: never trust the declared size to stop decompression."""
    parts: list[bytes] = []
    count = 0
    with zf.open(info) as fh:
        while chunk := fh.read(min(_CHUNK, cap - count + 1)):
            count += len(chunk)
            if count > cap:
                raise _too_large(f"{info.filename} unpacks to more than declared")
            parts.append(chunk)
    return b"".join(parts)


def _read_envelope(raw: bytes, allowed_types: set[str], limits: Limits
                   ) -> tuple[str, str, bytes, bytes, bytes]:
    envelope = _strict_json(raw, limits)
    if not isinstance(envelope, dict) or set(envelope) != {"payloadType", "payload", "signatures"}:
        raise _malformed("envelope fields")
    payload_type, signatures = envelope["payloadType"], envelope["signatures"]
    if not isinstance(payload_type, str) or not isinstance(envelope["payload"], str) \
            or not isinstance(signatures, list) or len(signatures) != 1 \
            or not isinstance(signatures[0], dict) \
            or set(signatures[0]) != {"keyid", "publicKey", "sig"} \
            or not all(isinstance(v, str) for v in signatures[0].values()) \
            or not _HEX64.fullmatch(signatures[0]["keyid"]):
        raise _malformed("envelope fields")
    if payload_type not in allowed_types:
        bases = {t.split(";v=")[0] for t in allowed_types}
        if payload_type.split(";v=")[0] in bases:
            raise Rejected("unsupported_version", _(
                "The file was made by a newer or unknown version of OVOP Desktop ({found}). "
                "Update this program to read it.").format(found=ascii(payload_type)[:90]))
        raise Rejected("wrong_type", _("This is not the kind of file expected here: it is "
                                       "{found}, expected {expected}.").format(
            found=ascii(payload_type)[:90], expected=", ".join(sorted(allowed_types))))
    payload = base64.b64decode(envelope["payload"], validate=True)
    signature = base64.b64decode(signatures[0]["sig"], validate=True)
    embedded = base64.b64decode(signatures[0]["publicKey"], validate=True)
    if len(embedded) != 32 or key_id(embedded) != signatures[0]["keyid"]:
        raise _malformed("publicKey does not match keyid")
    return payload_type, signatures[0]["keyid"], payload, signature, embedded


def _verify(data: bytes, allowed_types: set[str], lookup_key: LookupKey, limits: Limits
            ) -> Verified:
    if not data:
        raise _malformed("empty file")
    if len(data) > limits.container_bytes:
        raise _too_large(f"{len(data)} bytes")
    cd_offset = _check_end_record(data, limits)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = _check_directory(zf, cd_offset, limits)
        if ENVELOPE not in members:
            raise _malformed("no envelope.json")
        if members[ENVELOPE].file_size > limits.envelope_bytes:
            raise _too_large("envelope.json")
        raw = _read_member(zf, members[ENVELOPE], limits.envelope_bytes)
        payload_type, hint, manifest_bytes, signature, embedded = _read_envelope(
            raw, allowed_types, limits)
        try:  # keyid and embedded key are hints only: the caller's trust store decides
            public_raw = lookup_key(hint, embedded)
        except Exception as exc:  # the caller's own failure, not the file's: let it through
            raise _LookupFailed() from exc
        if public_raw is None:
            raise Rejected("unknown_signer", _(
                "The file is signed by a key that is not registered here (fingerprint {fp}). "
                "Keys are only accepted through enrolment.").format(fp=format_fingerprint(hint)))
        if not verify(public_raw, payload_type, manifest_bytes, signature):
            raise Rejected("bad_signature", _(
                "The signature does not match: the file was changed after it was signed, "
                "or it is damaged."))
        manifest = _strict_json(manifest_bytes, limits)  # only now: these bytes are signed
        if not isinstance(manifest, dict) or type(manifest.get("format")) is not int \
                or not isinstance(manifest.get("files"), dict):
            raise _malformed("manifest fields")
        if manifest["format"] != MANIFEST_FORMAT:
            raise Rejected("unsupported_version", _(
                "The file was made by a newer or unknown version of OVOP Desktop ({found}). "
                "Update this program to read it.").format(found=f"format {manifest['format']}"))
        listing: dict[str, Any] = manifest["files"]
        for name, entry in listing.items():
            _check_files_entry(name, entry, limits)
        if set(members) != set(listing) | {ENVELOPE}:
            extra = sorted(set(members) - set(listing) - {ENVELOPE})
            missing = sorted(set(listing) - set(members))
            raise Rejected("member_mismatch", _(
                "The members of the file do not match its signed list (extra: {extra}; "
                "missing: {missing}).").format(extra=", ".join(extra) or "-",
                                               missing=", ".join(missing) or "-"))
        files: dict[str, bytes] = {}
        for name in sorted(listing):
            expected = listing[name]
            if members[name].file_size != expected["size"]:
                raise Rejected("member_hash", _("The member {name} was changed after signing.")
                               .format(name=name))
            content = _read_member(zf, members[name], expected["size"])
            if len(content) != expected["size"] \
                    or hashlib.sha256(content).hexdigest() != expected["sha256"]:
                raise Rejected("member_hash", _("The member {name} was changed after signing.")
                               .format(name=name))
            files[name] = content
    return Verified(payload_type, manifest, manifest_bytes,
                    hashlib.sha256(manifest_bytes).hexdigest(), key_id(public_raw), files)


class _LookupFailed(Exception):
    """Carries an exception raised by `lookup_key` past the mapping to Rejected."""


_PARSER_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError,
                  OverflowError, ValueError, KeyError, IndexError, struct.error,
                  NotImplementedError, OSError, binascii.Error)


def open_container(data: bytes, allowed_types: set[str], lookup_key: LookupKey,
                   limits: Limits = LIMITS) -> Verified:
    """Verify before parsing; any problem at all is a Rejected with a stable code.

    `lookup_key(keyid, embedded_public_key)` returns the raw public key the caller
    trusts for that id (from its registry or pin), or None. The embedded key is
    the signer's own claim, already checked to hash to keyid; returning it is only
    right on first contact, when keyid equals a fingerprint confirmed out of band.
    Exceptions raised by lookup_key pass through unchanged.
    """
    try:
        return _verify(bytes(data), allowed_types, lookup_key, limits)
    except Rejected:
        raise
    except _LookupFailed as failed:
        raise failed.__cause__ from None  # type: ignore[misc]
    except _PARSER_ERRORS as exc:  # RecursionError, UnicodeDecodeError, JsonError included
        raise _malformed(f"{type(exc).__name__}: {str(exc)[:120]}") from None
