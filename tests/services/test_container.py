"""The signed container: every hostile input ends as Rejected(code), never anything else."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import struct
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ovop_desktop.domain.strict_json import canonical_bytes
from ovop_desktop.errors import UserFacingError
from ovop_desktop.services.container import (
    LIMITS,
    PAYLOAD_BUNDLE,
    PAYLOAD_PACKAGE,
    Limits,
    Rejected,
    Verified,
    build_container,
    open_container,
)
from ovop_desktop.services.signing import key_id, public_key_raw, sign

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
PUB = public_key_raw(KEY)
KID = key_id(PUB)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3
PHOTO_NAME = f"photos/{hashlib.sha256(PHOTO).hexdigest()}.jpg"
SCORES = json.dumps({"scores": [{"candidate": i, "criterion": "A1", "level": i % 4 + 1}
                                for i in range(20)]}).encode()
FILES = {"scores.json": SCORES, PHOTO_NAME: PHOTO}
MANIFEST = {"format": 1, "round_id": "r-2024", "seq": 3, "prev": None, "note": "Sate ayam ✓"}
VALID = build_container(PAYLOAD_BUNDLE, MANIFEST, FILES, KEY)


def lookup(kid: str, _embedded: bytes) -> bytes | None:
    return PUB if kid == KID else None


def verify_bundle(data: bytes, limits: Limits = LIMITS) -> Verified:
    return open_container(data, {PAYLOAD_BUNDLE}, lookup, limits)


def code(data: bytes, types: set[str] | None = None,
         lookup_key: Callable[[str, bytes], bytes | None] = lookup,
         limits: Limits = LIMITS) -> str:
    with pytest.raises(Rejected) as caught:
        open_container(data, types or {PAYLOAD_BUNDLE}, lookup_key, limits)
    assert isinstance(caught.value, UserFacingError) and str(caught.value)
    return caught.value.code


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_container(members: list[tuple[str | zipfile.ZipInfo, bytes]], *,
                  manifest: dict | None = None, manifest_bytes: bytes | None = None,
                  payload_type: str = PAYLOAD_BUNDLE, key: Ed25519PrivateKey = KEY,
                  envelope: bytes | None = None, comment: bytes = b"") -> bytes:
    """A container assembled by hand, signed by `key`, listing every member it holds.

    Attacks use it so that only the defence under test stands between them and success.
    """
    if manifest_bytes is None:
        listing = {(m.filename if isinstance(m, zipfile.ZipInfo) else m):
                   {"sha256": _sha(data), "size": len(data)} for m, data in members}
        manifest_bytes = canonical_bytes({"format": 1, **(manifest or {}), "files": listing})
    if envelope is None:
        envelope = canonical_bytes(envelope_doc(manifest_bytes, payload_type, key))
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # duplicate names are the point of some tests
        zf.writestr("envelope.json", envelope)
        for member, data in members:
            zf.writestr(member, data)
        zf.comment = comment
    return out.getvalue()


def envelope_doc(manifest_bytes: bytes, payload_type: str = PAYLOAD_BUNDLE,
                 key: Ed25519PrivateKey = KEY) -> dict:
    public = public_key_raw(key)
    return {"payloadType": payload_type, "payload": base64.b64encode(manifest_bytes).decode(),
            "signatures": [{"keyid": key_id(public), "publicKey": base64.b64encode(public).decode(),
                            "sig": base64.b64encode(sign(key, payload_type, manifest_bytes))
                            .decode()}]}


def _central(data: bytes) -> dict[bytes, int]:
    """Name → offset of its central-directory header (first one wins)."""
    _sig, _d, _cd, _here, total, _size, pos, _c = struct.unpack("<4s4H2LH", data[-22:])
    found: dict[bytes, int] = {}
    for _ in range(total):
        assert data[pos:pos + 4] == b"PK\x01\x02"
        n, m, k = struct.unpack("<3H", data[pos + 28:pos + 34])
        found.setdefault(data[pos + 46:pos + 46 + n], pos)
        pos += 46 + n + m + k
    return found


def patch_central(data: bytes, name: str, field: int, fmt: str, value: int) -> bytes:
    """Change one field of `name`'s central-directory header (offsets per APPNOTE 4.3.12)."""
    pos = _central(data)[name.encode()] + field
    return data[:pos] + struct.pack(fmt, value) + data[pos + struct.calcsize(fmt):]


def members_of(files: dict[str, bytes]) -> list[tuple[str | zipfile.ZipInfo, bytes]]:
    return list(files.items())


# -- the good path --------------------------------------------------------------------------

def test_round_trip() -> None:
    verified = verify_bundle(VALID)
    assert verified.payload_type == PAYLOAD_BUNDLE
    assert verified.files == FILES
    assert verified.key_id == KID
    assert {k: v for k, v in verified.manifest.items() if k != "files"} == MANIFEST
    assert verified.manifest["files"] == {n: {"sha256": _sha(d), "size": len(d)}
                                          for n, d in FILES.items()}
    assert verified.manifest_bytes == canonical_bytes(verified.manifest)
    assert verified.manifest_sha256 == _sha(verified.manifest_bytes)


def test_layout_envelope_first_and_regular_files() -> None:
    with zipfile.ZipFile(io.BytesIO(VALID)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["envelope.json", PHOTO_NAME, "scores.json"]
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
        assert all(stat.S_ISREG(i.external_attr >> 16) for i in infos)
        assert zf.getinfo(PHOTO_NAME).compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("scores.json").compress_type == zipfile.ZIP_DEFLATED
        envelope = json.loads(zf.read("envelope.json"))
    assert set(envelope) == {"payloadType", "payload", "signatures"}
    assert envelope["signatures"][0]["keyid"] == KID
    assert base64.b64decode(envelope["signatures"][0]["publicKey"]) == PUB
    assert len(base64.b64decode(envelope["signatures"][0]["sig"])) == 64


def test_build_is_deterministic() -> None:
    again = build_container(PAYLOAD_BUNDLE, dict(reversed(list(MANIFEST.items()))),
                            dict(reversed(list(FILES.items()))), KEY)
    assert again == VALID


DOC_ENVELOPE = (
    '{"payload":"eyJmaWxlcyI6eyJzY29yZXMuanNvbiI6eyJzaGEyNTYiOiI5NGYwYmVkZmY2ZTVhOTU4ZDc3NTFiMjBj'
    'NmFkZjIwMGJmYmFlMGM1YzAzZmY4ZmMwMjdmM2YxNTUyOGMzYTAxIiwic2l6ZSI6MjR9fSwiZm9ybWF0IjoxLCJzZXEi'
    'OjF9","payloadType":"application/vnd.ovop.score-bundle+json;v=1","signatures":[{"keyid":"21fe'
    '31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9","publicKey":"11qYAYKxCrfVS/7TyW'
    'QHOg7hcvPapiMlrwIaaPcHURo=","sig":"E5b0TcNlWxZqruMtR1s3YM6ZP92NaXp0sUyHqF5dwxodxTDnfa0QZ3pgGW'
    'fPCifPHKOvuZ5kGGp5/2DFqXYzDw=="}]}')


def test_worked_example_of_the_format_document() -> None:
    """docs/bundle-format.md §4.9 shows these exact bytes; the document must match the code."""
    rfc_key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    data = build_container(PAYLOAD_BUNDLE, {"format": 1, "seq": 1},
                           {"scores.json": b'{"format":1,"sheets":[]}'}, rfc_key)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("envelope.json").decode() == DOC_ENVELOPE
    doc = (Path(__file__).resolve().parents[2] / "docs" / "bundle-format.md").read_text("utf-8")
    assert DOC_ENVELOPE in doc


def test_empty_payload_is_fine() -> None:
    verified = verify_bundle(build_container(PAYLOAD_BUNDLE, {"format": 1}, {}, KEY))
    assert verified.files == {} and verified.manifest == {"format": 1, "files": {}}


@pytest.mark.parametrize("manifest, files", [
    ({}, {}), ({"format": 2}, {}), ({"format": "1"}, {}), ({"format": 1, "files": {}}, {}),
    ({"format": 1, "x": float("nan")}, {}),
    ({"format": 1, "x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}, {}),
    ({"format": 1}, {"../x": b""}), ({"format": 1}, {"envelope.json": b""}),
    ({"format": 1}, {"notes.txt": b""}), ({"format": 1}, {"photos/" + "0" * 64 + ".jpg": b"x"}),
    ({"format": 1}, {"photos/" + _sha(b"x").upper() + ".jpg": b"x"}),
])
def test_build_refuses_what_the_reader_would_refuse(manifest: dict, files: dict) -> None:
    with pytest.raises(ValueError):
        build_container(PAYLOAD_BUNDLE, manifest, files, KEY)


# -- changed bytes --------------------------------------------------------------------------

def _same_or_rejected(data: bytes) -> None:
    """The core property: a changed container is refused or carries exactly the signed content."""
    try:
        verified = verify_bundle(data)
    except Rejected:
        return
    original = verify_bundle(VALID)
    assert verified.manifest_bytes == original.manifest_bytes
    assert verified.files == original.files and verified.key_id == original.key_id
    assert verified.payload_type == original.payload_type


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_any_single_byte_change_is_rejected_or_identical(data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(VALID) - 1))
    kind = data.draw(st.sampled_from(["replace", "delete", "insert", "truncate"]))
    if kind == "replace":
        value = data.draw(st.integers(0, 255).filter(lambda v: v != VALID[pos]))
        mutated = VALID[:pos] + bytes([value]) + VALID[pos + 1:]
    elif kind == "delete":
        mutated = VALID[:pos] + VALID[pos + 1:]
    elif kind == "insert":
        mutated = VALID[:pos] + bytes([data.draw(st.integers(0, 255))]) + VALID[pos:]
    else:
        mutated = VALID[:pos]
    _same_or_rejected(mutated)


def test_exhaustive_flips_and_every_prefix() -> None:
    for pos in range(len(VALID)):
        for mask in (0x01, 0x80, 0xFF):
            _same_or_rejected(VALID[:pos] + bytes([VALID[pos] ^ mask]) + VALID[pos + 1:])
        assert code(VALID[:pos]) == "malformed"  # every proper prefix, including empty


def test_empty_file_and_junk_around_the_zip() -> None:
    assert code(b"") == "malformed"
    assert code(b"PK\x05\x06" + bytes(18)) == "malformed"
    assert code(b"junk" + VALID) == "malformed"
    assert code(VALID + b"junk") == "malformed"
    assert code(raw_container(members_of(FILES), comment=b"hello")) == "malformed"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_are_rejected(data: bytes) -> None:
    assert code(data) in {"malformed", "too_large"}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64), st.integers(0, 200))
def test_arbitrary_bytes_with_a_zip_end_record_are_rejected(junk: bytes, cut: int) -> None:
    assert code(VALID[:cut] + junk + VALID[-22:]) in {"malformed", "too_large"}


NAMES = st.sampled_from(["scores.json", "package.json", PHOTO_NAME, "envelope.json", "../x",
                         "photos/", "a\\b", "/etc/x", "scores.json/x"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NAMES, st.binary(max_size=300),
                          st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED,
                                           zipfile.ZIP_BZIP2]),
                          st.sampled_from([0, stat.S_IFREG | 0o644, stat.S_IFLNK | 0o777])),
                max_size=4))
def test_fuzzed_archives_only_ever_reject(entries: list) -> None:  # type: ignore[type-arg]
    members = []
    for name, content, method, mode in entries:
        info = zipfile.ZipInfo(name)
        info.compress_type, info.external_attr = method, mode << 16
        members.append((info, content))
    try:
        verified = verify_bundle(raw_container(members))
    except Rejected:
        return
    assert verified.key_id == KID  # it can only pass as a fully valid, signed container


# -- re-zipped containers -------------------------------------------------------------------

def _rezip(files: dict[str, bytes], envelope_from: bytes = VALID) -> bytes:
    with zipfile.ZipFile(io.BytesIO(envelope_from)) as zf:
        envelope = zf.read("envelope.json")
    return raw_container(members_of(files), envelope=envelope)


def test_rezip_unchanged_still_verifies() -> None:
    assert verify_bundle(_rezip(FILES)).files == FILES


def test_rezip_with_an_extra_member() -> None:
    assert code(_rezip({**FILES, "package.json": b"{}"})) == "member_mismatch"


def test_rezip_with_a_missing_member() -> None:
    assert code(_rezip({"scores.json": SCORES})) == "member_mismatch"


def test_rezip_with_a_renamed_member() -> None:
    assert code(_rezip({"package.json": SCORES, PHOTO_NAME: PHOTO})) == "member_mismatch"


def test_rezip_with_changed_content() -> None:
    assert code(_rezip({"scores.json": SCORES.replace(b'"level": 1', b'"level": 4'),
                        PHOTO_NAME: PHOTO})) == "member_hash"
    assert code(_rezip({"scores.json": SCORES + b" ", PHOTO_NAME: PHOTO})) == "member_hash"


def test_changed_manifest_breaks_the_signature() -> None:
    with zipfile.ZipFile(io.BytesIO(VALID)) as zf:
        envelope = json.loads(zf.read("envelope.json"))
    payload = base64.b64decode(envelope["payload"]).replace(b'"seq":3', b'"seq":9')
    envelope["payload"] = base64.b64encode(payload).decode()
    assert code(raw_container(members_of(FILES), envelope=canonical_bytes(envelope))) \
        == "bad_signature"


# -- names, kinds and structure -------------------------------------------------------------

@pytest.mark.parametrize("name", ["../x", "/etc/x", "C:\\x", "C:/x", "a\\b", "photos/../x",
                                  "photos/", "scores.json/", "SCORES.JSON", "./scores.json",
                                  "photos/" + "a" * 64 + ".jpg.exe", "scores.json ",
                                  "ѕcores.json"])
def test_unsafe_names_rejected_even_when_signed(name: str) -> None:
    assert code(raw_container([*members_of(FILES), (name, b"evil")])) == "unsafe_member"


def test_nul_in_a_name_rejected() -> None:
    data = raw_container([("scores.jsonXx", b"{}")]).replace(b"scores.jsonXx", b"scores.json\0x")
    assert code(data) == "unsafe_member"


@pytest.mark.parametrize("mode", [stat.S_IFLNK | 0o777, stat.S_IFDIR | 0o755,
                                  stat.S_IFCHR | 0o644, stat.S_IFIFO | 0o644])
def test_non_regular_members_rejected_even_when_signed(mode: int) -> None:
    info = zipfile.ZipInfo("scores.json")
    info.external_attr = mode << 16
    assert code(raw_container([(info, b"/etc/passwd")])) == "unsafe_member"


def test_msdos_directory_attribute_rejected() -> None:
    info = zipfile.ZipInfo("scores.json")
    info.external_attr = 0x10
    assert code(raw_container([(info, b"{}")])) == "unsafe_member"


def test_duplicate_member_names_rejected() -> None:
    data = raw_container([("scores.json", SCORES), ("scores.json", b'{"evil": 1}')])
    assert code(data) == "duplicate_member"


def test_duplicate_envelope_rejected() -> None:
    with zipfile.ZipFile(io.BytesIO(VALID)) as zf:
        envelope = zf.read("envelope.json")
    assert code(raw_container([("envelope.json", envelope), *members_of(FILES)],
                              envelope=envelope)) == "duplicate_member"


def test_encrypted_flag_rejected() -> None:
    data = raw_container(members_of(FILES))
    assert code(patch_central(data, "scores.json", 8, "<H", 0x01)) == "unsafe_member"


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_other_compression_methods_rejected(method: int) -> None:
    info = zipfile.ZipInfo("scores.json")
    info.compress_type = method
    assert code(raw_container([(info, SCORES)])) == "unsafe_member"


def test_overlapping_members_rejected(english: None) -> None:
    data = raw_container([("scores.json", SCORES), ("package.json", SCORES)])
    first = struct.unpack("<L", data[_central(data)[b"scores.json"] + 42:][:4])[0]
    with pytest.raises(Rejected, match="overlapping") as caught:
        verify_bundle(patch_central(data, "package.json", 42, "<L", first))
    assert caught.value.code == "malformed"


def test_missing_envelope() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("scores.json", SCORES)
    assert code(out.getvalue()) == "malformed"


# -- sizes and bombs ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gigabyte_bomb() -> bytes:
    """1 GiB of zeros deflated to about 1 MB, written in 1 MiB pieces (never 1 GiB in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("envelope.json", b"{}")
        info = zipfile.ZipInfo("scores.json")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as fh:
            chunk = bytes(1 << 20)
            for _ in range(1024):
                fh.write(chunk)
    return out.getvalue()


def test_gigabyte_zip_bomb_rejected_before_decompressing(gigabyte_bomb: bytes) -> None:
    assert len(gigabyte_bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        assert code(gigabyte_bomb) == "too_large"
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 0.5 and peak < 4 * 1024 * 1024


def test_declared_huge_size_rejected() -> None:
    data = patch_central(raw_container(members_of(FILES)), "scores.json", 24, "<L", 0xFFFF0000)
    assert code(data) == "too_large"


def test_compression_ratio_bomb_under_the_member_cap() -> None:
    zeros = bytes(40 * 1024 * 1024)  # 40 MiB < 50 MiB cap, but deflates about 1000:1
    started = time.perf_counter()
    assert code(raw_container([("scores.json", zeros)])) == "too_large"
    assert time.perf_counter() - started < 1


def test_member_cap_total_cap_entry_cap_and_directory_cap() -> None:
    data = raw_container([("scores.json", os.urandom(3000)), ("package.json", os.urandom(3000))])
    assert verify_bundle(data)
    assert code(data, limits=Limits(member_bytes=2999)) == "too_large"
    assert code(data, limits=Limits(total_bytes=5999)) == "too_large"
    assert code(data, limits=Limits(entries=2)) == "too_large"
    assert code(data, limits=Limits(central_directory_bytes=100)) == "too_large"
    assert code(data, limits=Limits(container_bytes=len(data) - 1)) == "too_large"


def test_too_many_entries_with_real_limits() -> None:
    photos = [(f"photos/{_sha(str(i).encode())}.jpg", str(i).encode()) for i in range(2000)]
    assert code(raw_container(photos)) == "too_large"  # 2,000 photos + the envelope


def test_member_that_unpacks_to_more_than_it_declares() -> None:
    """The declared size is lowered to match a forged manifest; the stream holds more."""
    real = b'{"scores": []}' + b" " * 100
    listed = real[:20]
    manifest = canonical_bytes({"format": 1, "files": {
        "scores.json": {"sha256": _sha(listed), "size": len(listed)}}})
    data = raw_container([("scores.json", real)], manifest_bytes=manifest)
    assert code(patch_central(data, "scores.json", 24, "<L", len(listed))) in {
        "malformed", "too_large"}


def test_oversized_envelope_rejected() -> None:
    manifest = canonical_bytes({"format": 1, "files": {}, "pad": "x" * (800 * 1024)})
    assert code(raw_container([], manifest_bytes=manifest)) == "too_large"


# -- hostile JSON, signed by the valid key so only the parser defences stand in the way ---------

@pytest.mark.parametrize("manifest", [
    b'{"format":1,"files":{},"x":' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    b'{"format":1,"files":{},"x":' + b"[" * 100 + b"]" * 100 + b"}",
    b'{"format":1,"files":{},"x":' + b'{"a":' * 50 + b"1" + b"}" * 50 + b"}",
    b'{"format":1,"format":1,"files":{}}',
    b'{"format":1,"files":{},"files":{}}',
    b'{"format":1,"files":{},"x":NaN}',
    b'{"format":1,"files":{},"x":-Infinity}',
    b'{"format":1,"files":{},"x":' + b"9" * 5000 + b"}",
    b'{"format":1,"files":{}',
    b'{"format":1,"files":{}}\xff',
    b'[1]', b"", b"null",
    b'{"files":{}}', b'{"format":"1","files":{}}', b'{"format":true,"files":{}}',
    b'{"format":1}', b'{"format":1,"files":[]}',
    b'{"format":1,"files":{"scores.json":{"sha256":"00","size":1}}}',
    b'{"format":1,"files":{"scores.json":{"sha256":"' + b"0" * 64 + b'","size":-1}}}',
    b'{"format":1,"files":{"scores.json":{"sha256":"' + b"0" * 64 + b'","size":1.0}}}',
    b'{"format":1,"files":{"scores.json":{"sha256":"' + b"0" * 64 + b'","size":1,"x":1}}}',
    b'{"format":1,"files":{"../x":{"sha256":"' + b"0" * 64 + b'","size":1}}}',
])
def test_hostile_manifest_json_rejected(manifest: bytes) -> None:
    assert code(raw_container([], manifest_bytes=manifest)) == "malformed"


def test_depth_cap_is_enforced_below_the_recursion_limit(english: None) -> None:
    manifest = b'{"format":1,"files":{},"x":' + b"[" * 40 + b"]" * 40 + b"}"
    with pytest.raises(Rejected, match="deeper"):
        verify_bundle(raw_container([], manifest_bytes=manifest))
    ok = b'{"format":1,"files":{},"x":' + b"[" * 30 + b"]" * 30 + b', "s":"[[[[[[[[[[\\"["}'
    assert verify_bundle(raw_container([], manifest_bytes=ok)).manifest["x"]


def test_newer_manifest_format_is_reported_as_such() -> None:
    data = raw_container([], manifest_bytes=b'{"format":2,"files":{}}')
    assert code(data) == "unsupported_version"


GOOD_ENVELOPE = envelope_doc(b'{"files":{},"format":1}')
GOOD_SIG = GOOD_ENVELOPE["signatures"][0]


def _env(**changes: object) -> bytes:
    doc = json.loads(json.dumps(GOOD_ENVELOPE))
    doc.update(changes)
    return canonical_bytes(doc)


def _sig(**changes: object) -> list[dict]:
    return [{**GOOD_SIG, **changes}]


OTHER_PUB_B64 = base64.b64encode(public_key_raw(OTHER)).decode()
HOSTILE_ENVELOPES = {
    "empty": b"", "list": b"[]", "object": b"{}", "not-json": b"PK\x03\x04",
    "type-number": _env(payloadType=1),
    "no-signatures": _env(signatures=[]),
    "two-signatures": _env(signatures=[GOOD_SIG, GOOD_SIG]),
    "signature-not-object": _env(signatures=["x"]),
    "keyid-upper-case": _env(signatures=_sig(keyid=KID.upper())),
    "keyid-short": _env(signatures=_sig(keyid=KID[:63])),
    "keyid-number": _env(signatures=_sig(keyid=7)),
    "public-key-missing": _env(signatures=[{"keyid": KID, "sig": GOOD_SIG["sig"]}]),
    "public-key-of-another": _env(signatures=_sig(publicKey=OTHER_PUB_B64)),
    "public-key-short": _env(signatures=_sig(publicKey=base64.b64encode(PUB[:31]).decode())),
    "public-key-not-b64": _env(signatures=_sig(publicKey="***")),
    "sig-not-b64": _env(signatures=_sig(sig="@@@@")),
    "sig-short": _env(signatures=_sig(sig="AA==")),
    "payload-not-b64": _env(payload="***"),
    "payload-number": _env(payload=5),
    "extra-field": _env(extra=1),
    "extra-signature-field": _env(signatures=_sig(cert="x")),
    "duplicate-type": _env().replace(b'{"payload"', b'{"payloadType":"x","payload"', 1),
    "nan": b'{"payloadType":NaN}',
    "deep": b'{"payloadType":' + b"[" * 10_000 + b"]" * 10_000 + b"}",
}


def test_hostile_envelope_fixture_is_otherwise_valid() -> None:
    assert verify_bundle(raw_container([], envelope=_env())).manifest == {"format": 1, "files": {}}


@pytest.mark.parametrize("name", sorted(HOSTILE_ENVELOPES))
def test_hostile_envelopes_rejected(name: str) -> None:
    expected = {"sig-short": "bad_signature"}.get(name, "malformed")
    assert code(raw_container([], envelope=HOSTILE_ENVELOPES[name])) == expected


# -- signers and types ----------------------------------------------------------------------

def test_unknown_signer() -> None:
    data = build_container(PAYLOAD_BUNDLE, MANIFEST, FILES, OTHER)
    assert code(data) == "unknown_signer"


def test_keyid_of_a_registered_key_but_signed_by_another() -> None:
    with zipfile.ZipFile(io.BytesIO(build_container(PAYLOAD_BUNDLE, MANIFEST, FILES, OTHER))) \
            as zf:
        envelope = json.loads(zf.read("envelope.json"))
    envelope["signatures"][0]["keyid"] = KID
    envelope["signatures"][0]["publicKey"] = base64.b64encode(PUB).decode()
    assert code(raw_container(members_of(FILES), envelope=canonical_bytes(envelope))) \
        == "bad_signature"


def test_registry_returning_a_bad_key_is_a_bad_signature() -> None:
    assert code(VALID, lookup_key=lambda _k, _e: b"\x00" * 31) == "bad_signature"


def test_verified_key_id_comes_from_the_key_not_the_hint() -> None:
    other_pub = public_key_raw(OTHER)
    data = build_container(PAYLOAD_BUNDLE, MANIFEST, FILES, OTHER)
    verified = open_container(data, {PAYLOAD_BUNDLE}, lambda _k, _e: other_pub)
    assert verified.key_id == key_id(other_pub)


def test_lookup_gets_the_embedded_key_for_first_contact_pinning() -> None:
    """First import of a package: trust the embedded key only if it hashes to the confirmed id."""
    seen: list[tuple[str, bytes]] = []
    confirmed = key_id(public_key_raw(OTHER))

    def first_contact(kid: str, embedded: bytes) -> bytes | None:
        seen.append((kid, embedded))
        return embedded if kid == confirmed else None
    data = build_container(PAYLOAD_PACKAGE, {"format": 1}, {}, OTHER)
    assert open_container(data, {PAYLOAD_PACKAGE}, first_contact).key_id == confirmed
    assert seen == [(confirmed, public_key_raw(OTHER))]
    assert code(VALID, lookup_key=first_contact) == "unknown_signer"


def test_lookup_errors_are_not_disguised_as_rejections() -> None:
    def broken(_kid: str, _embedded: bytes) -> bytes | None:
        raise KeyError("database went away")
    with pytest.raises(KeyError):
        open_container(VALID, {PAYLOAD_BUNDLE}, broken)


def test_package_verified_as_bundle_is_type_confusion() -> None:
    package = build_container(PAYLOAD_PACKAGE, {"format": 1}, {"package.json": b"{}"}, KEY)
    assert code(package, types={PAYLOAD_BUNDLE}) == "wrong_type"
    assert open_container(package, {PAYLOAD_PACKAGE}, lookup).payload_type == PAYLOAD_PACKAGE


def test_relabelled_payload_type_breaks_the_signature() -> None:
    package = build_container(PAYLOAD_PACKAGE, {"format": 1}, {"package.json": b"{}"}, KEY)
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        envelope = json.loads(zf.read("envelope.json"))
    envelope["payloadType"] = PAYLOAD_BUNDLE
    data = raw_container([("package.json", b"{}")], envelope=canonical_bytes(envelope))
    assert code(data) == "bad_signature"


def test_newer_payload_version_is_reported_as_such() -> None:
    data = build_container(PAYLOAD_BUNDLE.replace("v=1", "v=2"), {"format": 1}, {}, KEY)
    assert code(data) == "unsupported_version"
