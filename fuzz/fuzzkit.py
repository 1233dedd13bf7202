"""What every fuzz target shares: a deterministic world, one runner per reader, the
invariants each outcome must keep, and a pure-Python mutation driver.

The promise under test: hostile input ends as the project's own rejection
(UserFacingError and its kin, ReceiptError), never as another exception, and a
rejection leaves the store exactly as it was. A runner's `one_input(data)` returns
a short label ("ok…", "rejected…") and raises only on a crash: an exception of
another kind, or a broken invariant (InvariantBroken).

Product modules are imported inside functions only, so a target script can import
this module first and the product afterwards under atheris' instrumentation.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import random
import re
import shutil
import sqlite3
import stat
import sys
import tempfile
import time
import traceback
import uuid
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

FUZZ_DIR = Path(__file__).resolve().parent
REPO = FUZZ_DIR.parent
CORPUS = FUZZ_DIR / "corpus"
REGRESSIONS = FUZZ_DIR / "regressions"
TARGETS = ("container", "bundle", "package", "proposals", "sheet", "receipt", "card", "rubric")
# Modules atheris instruments for coverage, per target (openpyxl only where XLSX is read).
INSTRUMENT = {name: ["ovop_desktop", "zipfile"] for name in TARGETS}
INSTRUMENT["proposals"] = INSTRUMENT["sheet"] = ["ovop_desktop", "zipfile", "openpyxl", "csv"]
MAX_INPUT = 1_000_000  # mutations never grow an input past this
COORD_PASS, ASSESSOR_PASS = "rahasia-koordinator", "rahasia-penilai"


class InvariantBroken(AssertionError):
    """An outcome that is not a crash in Python's sense but breaks the promise."""


# -- a deterministic world ------------------------------------------------------------------

def _fixed_key(label: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


@contextlib.contextmanager
def _deterministic() -> Iterator[None]:
    """Fixed keys and uuids while the world is built: stored seeds then match a new world."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ovop_desktop.services import identity

    keys = iter([_fixed_key("ovop-fuzz coordinator"), _fixed_key("ovop-fuzz assessor")])
    shim = mock.Mock(generate=lambda: next(keys),
                     from_private_bytes=Ed25519PrivateKey.from_private_bytes)
    rng = random.Random("ovop-fuzz")
    with mock.patch.object(identity, "Ed25519PrivateKey", shim), \
            mock.patch.object(identity, "KDF_PARAMS", identity.ScryptParams(2**10, 8, 1)), \
            mock.patch("uuid.uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4)):
        yield


@dataclass
class World:
    """A coordinator (demo round, one enrolled assessor) and that assessor's laptop."""

    root: Path
    coordinator: Any
    assessor: Any
    coord_key: Any
    assessor_key: Any
    card_key: Any
    round_id: int
    package: bytes  # package number 3, signed, not yet imported by the assessor
    package_2: bytes  # number 2, likewise (its manifest and body seed modes 1 and 2)
    bundle: bytes  # score bundle number 1, signed, not yet imported by the coordinator

    def close(self) -> None:
        for ws in (self.coordinator, self.assessor):
            with contextlib.suppress(Exception):
                ws.close()


def scratch_base() -> Path | None:
    """tmpfs where there is one (fsync there costs nothing), else the system's temp folder."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and shm.stat().st_mode & stat.S_IWOTH else None


def scratch_dir(name: str) -> Path:
    """A private folder for one world, inside OVOP_FUZZ_TMP when scripts/fuzz.py sets it
    (libFuzzer exits without running atexit handlers: the script removes the folder)."""
    base = os.environ.get("OVOP_FUZZ_TMP") or scratch_base()
    return Path(tempfile.mkdtemp(prefix=f"ovop-fuzz-{name}-", dir=base))


def build_world(root: Path) -> World:
    from ovop_desktop.domain.profile import Role
    from ovop_desktop.services import identity
    from ovop_desktop.services.bundle_export import export_bundle
    from ovop_desktop.services.demo import build_demo
    from ovop_desktop.services.workspace import Workspace

    root = Path(root)
    usb = root / "usb"
    usb.mkdir(parents=True, exist_ok=True)
    with _deterministic():
        coord = Workspace.open(root / "coordinator")
        build_demo(coord)
        coord_me = identity.create_identity(coord.paths.keys, COORD_PASS, "Sekretariat",
                                            "Ditjen IKMA")
        assessor = Workspace.open(root / "assessor")
        assessor.profile.init(Role.ASSESSOR, "Dr. Sri Wahyuni", "Yayasan Batik Indonesia")
        me = identity.create_identity(assessor.paths.keys, ASSESSOR_PASS, "Dr. Sri Wahyuni",
                                      "Yayasan Batik Indonesia")
        identity.write_card(usb / "card.json", me, "assessor", {})
        assessor_id = coord.assessors.enrol(usb / "card.json", me.fingerprint, "Budi",
                                            "phone").id
        round_ = coord.current_round()
        assert round_ is not None
        ids = [c.id for c in coord.candidates.summaries(round_.id)[:3]]
        coord.assessors.assign(round_.id, assessor_id, ids)
        coord_key, assessor_key = _fixed_key("ovop-fuzz coordinator"), _fixed_key(
            "ovop-fuzz assessor")
        coord.packages.export(round_.id, assessor_id, usb / "paket-1.zip", coord_key, coord_me)
        info = assessor.packages.import_package(usb / "paket-1.zip", coord_me.fingerprint)
        assessor.update_settings(current_round_id=info.round_id)
        local = [c.id for c in assessor.candidates.summaries(info.round_id)]
        for crit, level in (("A1", 3), ("B2", 2)):
            assessor.scoring.set_score(local[0], crit, level, "catatan lapangan")
        assessor.scoring.set_score(local[1], "A1", 1)
        export_bundle(assessor.store, assessor.scoring, assessor.profile.actor(),
                      usb / "nilai-1.zip", assessor_key, me)
        for n in (2, 3):
            coord.packages.export(round_.id, assessor_id, usb / f"paket-{n}.zip", coord_key,
                                  coord_me)
    return World(root, coord, assessor, coord_key, assessor_key, _fixed_key("ovop-fuzz card"),
                 round_.id, (usb / "paket-3.zip").read_bytes(),
                 (usb / "paket-2.zip").read_bytes(), (usb / "nilai-1.zip").read_bytes())


# -- the store before and after ----------------------------------------------------------

class StoreWatch:
    """Whether anything was committed to a store, seen from a connection of our own.

    PRAGMA data_version changes when another connection commits; row counts and the
    audit head say what changed.
    """

    def __init__(self, database: Path) -> None:
        self._conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True,
                                     isolation_level=None, check_same_thread=False)
        tables = [r[0] for r in self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        self._tables = tables
        self._sql = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)

    def snapshot(self) -> tuple[int, dict[str, int], tuple[Any, ...] | None]:
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        counts = dict(zip(self._tables, self._conn.execute(self._sql).fetchone(), strict=True))
        head = self._conn.execute(
            "SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return version, counts, head

    def close(self) -> None:
        self._conn.close()


def _delta(before: tuple, after: tuple) -> dict[str, int]:  # type: ignore[type-arg]
    return {t: after[1][t] - n for t, n in before[1].items() if after[1][t] != n}


def _unchanged(before: tuple, after: tuple, what: str) -> None:  # type: ignore[type-arg]
    if after != before:
        raise InvariantBroken(f"{what}, yet the store changed: {_delta(before, after)}, "
                              f"audit head {before[2]} -> {after[2]}")


# -- runners: one per reader ------------------------------------------------------------------

def _allowed() -> tuple[type[BaseException], ...]:
    from ovop_desktop.errors import UserFacingError
    from ovop_desktop.services.receipts import ReceiptError

    return (UserFacingError, ReceiptError)


def _label(exc: BaseException) -> str:
    return f"rejected:{getattr(exc, 'code', type(exc).__name__)}"


def _zip_signed(payload_type: str, manifest: bytes, files: dict[str, bytes], key: Any) -> bytes:
    """A container around manifest bytes exactly as given (build_container re-serialises)."""
    from ovop_desktop.domain.strict_json import canonical_bytes
    from ovop_desktop.services.container import ENVELOPE
    from ovop_desktop.services.signing import key_id, public_key_raw, sign

    public = public_key_raw(key)
    envelope = canonical_bytes({
        "payloadType": payload_type, "payload": base64.b64encode(manifest).decode(),
        "signatures": [{"keyid": key_id(public), "publicKey": base64.b64encode(public).decode(),
                        "sig": base64.b64encode(sign(key, payload_type, manifest)).decode()}]})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in [(ENVELOPE, envelope), *sorted(files.items())]:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.create_system, info.external_attr = 3, (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()


def _opened(world: World, data: bytes, payload_type: str) -> Any:
    from ovop_desktop.services.container import open_container
    from ovop_desktop.services.signing import key_id, public_key_raw

    keys = {key_id(public_key_raw(k)): public_key_raw(k)
            for k in (world.coord_key, world.assessor_key)}
    return open_container(data, {payload_type}, lambda kid, _e: keys.get(kid))


def _suffix(data: bytes) -> str:
    return ".xlsx" if data[:2] == b"PK" else ".csv"


class Runner:
    """Feeds one input to one reader; subclasses say how and what must hold afterwards."""

    modes = 0  # >0: the first byte picks one of `modes` ways to read the rest

    def __init__(self, world: World) -> None:
        self.name = next((n for n, cls in RUNNERS.items() if cls is type(self)), "")
        self.world = world
        self.inbox = world.root / "inbox"
        self.inbox.mkdir(exist_ok=True)
        self.allowed = _allowed()

    def one_input(self, data: bytes) -> str:
        raise NotImplementedError

    def seeds(self) -> list[tuple[str, bytes]]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _file(self, name: str, data: bytes) -> Path:
        path = self.inbox / name
        path.write_bytes(data)
        return path

    def _guarded(self, watch: StoreWatch, call: Callable[[], str]) -> str:
        """Run `call`; a rejection must leave the store exactly as it was."""
        before = watch.snapshot()
        try:
            return call()
        except self.allowed as exc:
            _unchanged(before, watch.snapshot(), f"rejected ({type(exc).__name__}: {exc})")
            return _label(exc)


class ContainerRunner(Runner):
    """The signed-zip reader alone (open_container), for packages and bundles."""

    def one_input(self, data: bytes) -> str:
        from ovop_desktop.services.container import (
            PAYLOAD_BUNDLE,
            PAYLOAD_PACKAGE,
            Rejected,
            open_container,
        )
        from ovop_desktop.services.signing import key_id, public_key_raw

        keys = {key_id(public_key_raw(k)): public_key_raw(k)
                for k in (self.world.coord_key, self.world.assessor_key)}
        try:
            verified = open_container(data, {PAYLOAD_BUNDLE, PAYLOAD_PACKAGE},
                                      lambda kid, _e: keys.get(kid))
        except Rejected as exc:
            return _label(exc)
        if set(verified.files) | {"envelope.json"} != {i.filename for i in zipfile.ZipFile(
                io.BytesIO(data)).infolist()}:
            raise InvariantBroken("accepted a container whose members differ from its list")
        return "ok"

    def seeds(self) -> list[tuple[str, bytes]]:
        return [("package", self.world.package), ("bundle", self.world.bundle)]


class BundleRunner(Runner):
    """Score bundle import at the coordinator (BundleService.import_file).

    Mode 0: the input is the file. Mode 1: the input is scores.json, signed by the
    enrolled assessor as the next bundle of the chain. Mode 2: the input is the
    manifest, signed as it stands. Signed-but-hostile content reaches the checks
    after the signature that a raw file never gets past.
    """

    modes = 3

    def __init__(self, world: World) -> None:
        super().__init__(world)
        from ovop_desktop.services.bundles import BundleService
        from ovop_desktop.services.container import PAYLOAD_BUNDLE

        coord = world.coordinator
        # No backup before each import here: that is the store's business, not the reader's.
        self.service = BundleService(coord.store, coord.profile.actor, coord.assessors,
                                     world.root / "evidence-fuzz")
        self.watch = StoreWatch(coord.paths.database)
        verified = _opened(world, world.bundle, PAYLOAD_BUNDLE)
        self.manifest = {k: v for k, v in verified.manifest.items() if k != "files"}
        self.manifest_bytes = verified.manifest_bytes
        self.scores = verified.files["scores.json"]
        self.key_id = verified.key_id

    def _chain_end(self) -> tuple[int, str | None]:
        with contextlib.closing(sqlite3.connect(self.world.coordinator.paths.database)) as c:
            row = c.execute("SELECT seq, manifest_sha256 FROM bundle WHERE key_id = ? AND "
                            "status != 'rejected' AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
                            (self.key_id,)).fetchone()
        return (row[0], row[1]) if row else (0, None)

    def container(self, data: bytes) -> bytes:
        from ovop_desktop.services.container import PAYLOAD_BUNDLE, build_container

        mode, body = (data[0] % self.modes, data[1:]) if data else (0, b"")
        if mode == 1:
            seq, prev = self._chain_end()
            manifest = {**self.manifest, "seq": seq + 1, "prev": prev}
            return build_container(PAYLOAD_BUNDLE, manifest, {"scores.json": body},
                                   self.world.assessor_key)
        if mode == 2:
            return _zip_signed(PAYLOAD_BUNDLE, body, {"scores.json": self.scores},
                               self.world.assessor_key)
        return body

    def one_input(self, data: bytes) -> str:
        from ovop_desktop.domain.bundle_rules import Outcome

        path = self._file("nilai.zip", self.container(data))
        before = self.watch.snapshot()
        try:
            outcome = self.service.import_file(path)
        except self.allowed as exc:  # e.g. the evidence folder is not writable
            _unchanged(before, self.watch.snapshot(), f"import stopped ({exc})")
            return _label(exc)
        after = self.watch.snapshot()
        delta = _delta(before, after)
        if outcome.status is Outcome.DUPLICATE:
            _unchanged(before, after, "a duplicate")
        else:  # exactly one bundle filed, with what the outcome reports and nothing else
            expected = {"bundle": 1, "received_sheet": outcome.sheets,
                        "received_score": outcome.scores}
            if {k: v for k, v in delta.items() if k != "audit_log"} != \
                    {k: v for k, v in expected.items() if v} or delta.get("audit_log", 0) < 1:
                raise InvariantBroken(f"{outcome.status.value} ({outcome.reason}) reported "
                                      f"{outcome.sheets} sheets/{outcome.scores} scores; the "
                                      f"store changed by {delta}")
        return f"{'ok' if outcome.status is not Outcome.REJECTED else 'rejected'}:" \
               f"{outcome.status.value}"

    def seeds(self) -> list[tuple[str, bytes]]:
        return [("file", b"\x00" + self.world.bundle), ("scores", b"\x01" + self.scores),
                ("manifest", b"\x02" + self.manifest_bytes)]

    def close(self) -> None:
        self.watch.close()


class PackageRunner(Runner):
    """Assignment package import on the assessor's laptop (PackageService.import_package).

    Mode 0: the file. Mode 1: package.json, signed by the pinned coordinator key as
    the next package. Mode 2: the manifest, signed as it stands.
    """

    modes = 3

    def __init__(self, world: World) -> None:
        super().__init__(world)
        from ovop_desktop.services.container import PAYLOAD_PACKAGE
        from ovop_desktop.services.signing import key_id, public_key_raw

        self.watch = StoreWatch(world.assessor.paths.database)
        verified = _opened(world, world.package_2, PAYLOAD_PACKAGE)
        self.manifest = {k: v for k, v in verified.manifest.items() if k != "files"}
        self.manifest_bytes = verified.manifest_bytes
        self.body = verified.files["package.json"]
        self.fingerprint = key_id(public_key_raw(world.coord_key))

    def container(self, data: bytes) -> bytes:
        from ovop_desktop.services.container import PAYLOAD_PACKAGE, build_container

        mode, body = (data[0] % self.modes, data[1:]) if data else (0, b"")
        if mode == 1:
            with contextlib.closing(sqlite3.connect(self.world.assessor.paths.database)) as c:
                last = c.execute("SELECT max(seq) FROM package_received").fetchone()[0] or 0
            return build_container(PAYLOAD_PACKAGE, {**self.manifest, "seq": last + 1},
                                   {"package.json": body}, self.world.coord_key)
        if mode == 2:
            return _zip_signed(PAYLOAD_PACKAGE, body, {"package.json": self.body},
                               self.world.coord_key)
        return body

    def one_input(self, data: bytes) -> str:
        path = self._file("paket.zip", self.container(data))

        def call() -> str:
            self.world.assessor.packages.import_package(path, self.fingerprint)
            return "ok"
        return self._guarded(self.watch, call)

    def seeds(self) -> list[tuple[str, bytes]]:
        # In this order each is newer than the one before: all three are imported.
        return [("manifest", b"\x02" + self.manifest_bytes), ("file", b"\x00" + self.world.package),
                ("body", b"\x01" + self.body)]

    def close(self) -> None:
        self.watch.close()


PROPOSAL_HEADER = ["No", "Nama IKM", "Pemilik", "Alamat", "Kab/Kota", "Provinsi", "Komoditi",
                   "Produk", "NIB", "Dokumen", "Tenaga Kerja", "Tanggal SK", "No SK",
                   "Jenis Usulan", "Bintang", "Tahun Penghargaan", "Asosiasi"]
PROPOSAL_ROWS = [
    [1, "Dodol Kencana Rasa", "H. Asep Saepudin", "Jl. Pasundan No. 45", "Kab. Garut",
     "Jawa Barat", "Mamin", "Dodol", "9120001234567", "NIB, PIRT, Halal", 15, "12/03/2019",
     "530/Kep.12/2019", "Baru", None, None, "Koperasi Dodol Garut"],
    [2, "Songket Saiyo Pandai Sikek", "Nurhayati", "Jorong Pandai Sikek", "Kabupaten Tanah Datar",
     "Sumatera Barat", "Kain Tenun", "Songket", "9120003456781", "NIB, HKI", 40, "05-09-2017",
     "SK Bupati 45/2017", "Re-evaluasi", 3, 2022, None],
    [3, "Anyaman Ketak D'Lombok", "Baiq Rahmawati", "Desa Nyiur Baya", "Lombok Barat", "NTB",
     "Anyaman", "Anyaman ketak", "9120005678903", "NIB", 22, "2019-03-12", "188/45/2019",
     "Baru", None, None, "HIMKI; Koperasi Ketak"],
    [4, "Batik Tulis Sekar Jagad", "R. Ayu Pratiwi", "Jl. Tirtodipuran 20", "Kota Yogyakarta",
     "DI Yogyakarta", "Batik", "Batik tulis", "1.234.567.890.123", "SNI, NIB", "12 orang",
     "12 Maret 2016", "12/KEP/2016", "Baru", None, None, "-"],
]


def _xlsx(rows: list[list[object]], title: str = "Usulan") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[object]], delimiter: str = ";") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8-sig")


class ProposalsRunner(Runner):
    """Proposals import at the coordinator: read_grid → preview → run (XLSX or CSV)."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.watch = StoreWatch(world.coordinator.paths.database)

    def one_input(self, data: bytes) -> str:
        path = self._file("usulan" + _suffix(data), data)
        service = self.world.coordinator.proposals

        def call() -> str:
            before = self.watch.snapshot()
            report = service.run(service.preview(path), self.world.round_id)
            added = _delta(before, self.watch.snapshot()).get("candidate", 0)
            if added != len(report.accepted):
                raise InvariantBroken(f"reported {len(report.accepted)} accepted rows, "
                                      f"stored {added}")
            return f"ok:{min(len(report.accepted), 3)}:{min(len(report.rejected), 3)}"
        return self._guarded(self.watch, call)

    def seeds(self) -> list[tuple[str, bytes]]:
        rows = [PROPOSAL_HEADER, *PROPOSAL_ROWS]
        return [("usulan.xlsx", _xlsx([["Daftar usulan OVOP 2024"], [], *rows])),
                ("usulan.csv", _csv(rows)), ("usulan-comma.csv", _csv(rows, ","))]

    def close(self) -> None:
        self.watch.close()


class SheetRunner(Runner):
    """Paper-form sheet import on the assessor's laptop (ScoringService.import_sheet)."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.watch = StoreWatch(world.assessor.paths.database)

    def one_input(self, data: bytes) -> str:
        path = self._file("lembar" + _suffix(data), data)

        def call() -> str:
            done = self.world.assessor.scoring.import_sheet(path)
            return f"ok:{min(len(done.accepted), 3)}:{min(len(done.rejected), 3)}"
        return self._guarded(self.watch, call)

    def seeds(self) -> list[tuple[str, bytes]]:
        ws = self.world.assessor
        rows: list[list[object]] = [["candidate_id", "criterion_id", "level", "note"]]
        # Few rows: the importer reads the rubric again for every row (~5 ms each).
        for cid, crit, level in zip([c.id for c in ws.candidates.summaries(
                ws.current_round().id)], ("A1", "A2", "B1"), (2, 3, 1), strict=False):
            rows.append([cid, crit, level, f"formulir {cid}"])
        return [("lembar.csv", _csv(rows, ",")), ("lembar.xlsx", _xlsx(rows, "Nilai"))]

    def close(self) -> None:
        self.watch.close()


class ReceiptRunner(Runner):
    """Results receipts: open_receipt, then what `ovop results verify FILE` does with it.

    Mode 0: the receipt file. Mode 1: the receipt's payload, signed (any key will do:
    the envelope carries it).
    """

    modes = 2

    def __init__(self, world: World) -> None:
        super().__init__(world)
        from ovop_desktop.services.receipts import payload

        self.body = payload(world.coordinator.results.report(world.round_id))

    def envelope(self, raw: bytes) -> bytes:
        from ovop_desktop.services.receipts import PAYLOAD_TYPE
        from ovop_desktop.services.signing import key_id, public_key_raw, sign

        public = public_key_raw(self.world.coord_key)
        return json.dumps({
            "payloadType": PAYLOAD_TYPE, "payload": base64.b64encode(raw).decode(),
            "signatures": [{"keyid": key_id(public), "sig": base64.b64encode(
                sign(self.world.coord_key, PAYLOAD_TYPE, raw)).decode()}],
            "public_key": base64.b64encode(public).decode(), "signer": "Sekretariat",
            "receipt_sha256": hashlib.sha256(raw).hexdigest()}).encode()

    def one_input(self, data: bytes) -> str:
        from ovop_desktop.cli.commands_results import _verify_receipt
        from ovop_desktop.cli.main import Context
        from ovop_desktop.services.receipts import compare, open_receipt

        mode, body = (data[0] % self.modes, data[1:]) if data else (0, b"")
        try:
            opened = open_receipt(self.envelope(body) if mode == 1 else body)
            ctx = Context(data_dir=self.world.root, json=True, language="id")
            ctx._workspace = _Results(self.world.coordinator)  # type: ignore[assignment]
            with contextlib.redirect_stdout(io.StringIO()):
                _verify_receipt(ctx, opened, lambda _report: self.body, compare)
        except self.allowed as exc:
            return _label(exc)
        return "ok"

    def seeds(self) -> list[tuple[str, bytes]]:
        from ovop_desktop.domain.strict_json import canonical_bytes
        from ovop_desktop.services.receipts import dumps, sign_receipt

        signed = sign_receipt(self.body, self.world.coord_key, "Sekretariat")
        return [("receipt", b"\x00" + dumps(signed)),
                ("export", b"\x00" + dumps({"format": "ovop-results", "receipt": signed})),
                ("payload", b"\x01" + canonical_bytes(self.body))]


class _Results:
    """The coordinator's workspace, with the results report (slow, unused here) skipped."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self.results = mock.Mock(report=lambda _round_id: None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)


class CardRunner(Runner):
    """Public-key cards: read_card, then enrolment at the coordinator with its fingerprint.

    Mode 0: the card file. Mode 1: the card with a key of its own (derived from the
    input), so that hostile names reach the enrolment instead of "already enrolled".
    """

    modes = 2

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.watch = StoreWatch(world.coordinator.paths.database)

    @staticmethod
    def rekeyed(body: bytes) -> bytes:
        from ovop_desktop.services.signing import key_id, public_key_raw

        doc = _loose_json(body)
        if not isinstance(doc, dict):
            return body
        raw = public_key_raw(_fixed_key(hashlib.sha256(body).hexdigest()))
        doc.update(public_key=base64.b64encode(raw).decode(), fingerprint=key_id(raw))
        try:
            return json.dumps(doc, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(doc).encode("ascii")

    def one_input(self, data: bytes) -> str:
        from ovop_desktop.services.identity import read_card

        mode, body = (data[0] % self.modes, data[1:]) if data else (0, b"")
        path = self._file("kartu.json", self.rekeyed(body) if mode == 1 else body)

        def call() -> str:
            card = read_card(path)
            self.world.coordinator.assessors.enrol(path, card.fingerprint, "Budi", "phone")
            return "ok"
        return self._guarded(self.watch, call)

    def seeds(self) -> list[tuple[str, bytes]]:
        from ovop_desktop.services import identity
        from ovop_desktop.services.signing import key_id, public_key_raw

        raw = public_key_raw(self.world.card_key)
        me = identity.PublicIdentity("Ir. Made Sudarsana", "Universitas Udayana", raw,
                                     key_id(raw), "2024-03-01T08:00:00+00:00")
        identity.write_card(self.inbox / "seed-card.json", me, "assessor", {"phone": "0812"})
        card = (self.inbox / "seed-card.json").read_bytes()
        return [("card", b"\x00" + card), ("rekeyed", b"\x01" + card)]

    def close(self) -> None:
        self.watch.close()


class RubricRunner(Runner):
    """Rubric files: parse_rubric, then RubricService.import_file at the coordinator."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.watch = StoreWatch(world.coordinator.paths.database)

    def one_input(self, data: bytes) -> str:
        path = self._file("rubrik.json", data)

        def call() -> str:
            _record, added = self.world.coordinator.rubrics.import_file(path)
            return f"ok:{'added' if added else 'known'}"
        return self._guarded(self.watch, call)

    def seeds(self) -> list[tuple[str, bytes]]:
        from ovop_desktop.domain.rubric import Text, dumps_pretty

        rubric = self.world.coordinator.rubrics.list()[0].rubric
        changed = rubric.__class__(rubric.commodity, rubric.version, Text(
            rubric.title.id + " (revisi)", rubric.title.en + " (revised)"), rubric.aspects)
        return [("rubric.json", dumps_pretty(rubric)), ("revised.json", dumps_pretty(changed))]

    def close(self) -> None:
        self.watch.close()


RUNNERS: dict[str, type[Runner]] = {
    "container": ContainerRunner, "bundle": BundleRunner, "package": PackageRunner,
    "proposals": ProposalsRunner, "sheet": SheetRunner, "receipt": ReceiptRunner,
    "card": CardRunner, "rubric": RubricRunner}


def make_runner(name: str, root: Path | None = None) -> Runner:
    """A fresh world in `root` (a new scratch folder by default) and the target's runner."""
    return RUNNERS[name](build_world(root or scratch_dir(name)))


def stored_seeds(name: str) -> list[tuple[str, bytes]]:
    folder = CORPUS / name
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()] \
        if folder.is_dir() else []


def regressions(name: str | None = None) -> list[tuple[str, Path]]:
    """(target, file) for every kept crashing input: fuzz/regressions/<target>-<what>.bin."""
    found = []
    for path in sorted(REGRESSIONS.glob("*.bin")):
        target = path.name.split("-", 1)[0]
        if target in RUNNERS and (name is None or target == name):
            found.append((target, path))
    return found


# -- the pure-Python mutation driver ------------------------------------------------------------

INTERESTING_JSON: list[Any] = [
    0, -1, 1, 2, 3, 4, 255, 2**31, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**30, 1.5, -0.0,
    1e308, True, False, None, "", " ", "x", "A1", "B2", "\ud800", "\udfff", "\u202e", "\x00",
    "a" * 3000, "../../x", "9" * 40, "2024-02-30", "2024-13-01", "2024-06-01", "inf", "NaN",
    "finished", "in_progress", "kain_batik", "jpg", [], {}, [[]], {"a": {}}, [1, 2, 3],
    "0" * 64, "f" * 64, "application/vnd.ovop.score-bundle+json;v=2"]
JSON_TOKENS = [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-0", b'"\\ud800"', b"null",
               b"99999999999999999999999999", b'"\\u0000"', b"[" * 40, b"{}", b'"a":1,"a":2',
               b"true", b"\xef\xbb\xbf", b"\xff\xfe", b"\\", b'"']
CELL_TOKENS = ["inf", "-inf", "nan", "1e999", "1e300", "-1", "0", "4", "2.5", "3.0", "", " ",
               '"', '""', "=1+1", "@SUM(A1)", "\x00", "A1", "Z9", "\u0663", "1_0", "0x10",
               "9" * 30, "٣", "#REF!", "2024-02-30", "31/12/2024", "Bintang 5", "\u202e",
               "Kab. Garut", "Batik", "HIMKI;" * 30, "x" * 70_000, "\ud800"]
ZIP_NAMES = ["envelope.json", "scores.json", "package.json", "../evil.json", "/abs.json",
             "C:/x.json", "a\\b.json", "photos/" + "0" * 64 + ".jpg", "photos/", "xl/workbook.bin",
             "mimetype", "xl/worksheets/sheet1.xml", "[Content_Types].xml", "x" * 300]


def _loose_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None


class Mutator:
    """Bit flips, byte inserts and deletes, splices, zip-entry edits, JSON value swaps and
    spreadsheet-cell edits; every choice comes from one seeded Random (reproducible)."""

    def __init__(self, rng: random.Random, prefix: int = 0) -> None:
        self.rng = rng
        self.prefix = prefix

    def mutate(self, data: bytes, corpus: list[bytes]) -> bytes:
        rng = self.rng
        head, body = data[:self.prefix], data[self.prefix:]
        if head and rng.random() < 0.05:
            head = bytes([rng.randrange(256)])
        for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 4)):
            body = self._once(body, corpus)
        return (head + body)[:MAX_INPUT]

    def _once(self, body: bytes, corpus: list[bytes]) -> bytes:
        rng = self.rng
        kinds = ["bytes"]
        if body[:2] == b"PK":
            kinds += ["zip"] * 4
        elif body.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"["):
            kinds += ["json"] * 4
        elif body and b"\x00" not in body[:200]:
            kinds += ["text"] * 3
        kind = rng.choice(kinds)
        out = None
        if kind == "zip":
            out = self._zip(body, corpus)
        elif kind == "json":
            out = self._json(body)
        elif kind == "text":
            out = self._cells(body)
        return out if out is not None else self._bytes(body, corpus)

    def _bytes(self, data: bytes, corpus: list[bytes]) -> bytes:
        rng = self.rng
        buf = bytearray(data)
        op = rng.randrange(11)
        pos = rng.randrange(len(buf) + 1)
        if not buf or op == 0:  # insert random bytes
            buf[pos:pos] = rng.randbytes(rng.randint(1, 8))
        elif op == 1:  # flip a bit
            buf[pos % len(buf)] ^= 1 << rng.randrange(8)
        elif op == 2:  # an interesting byte
            buf[pos % len(buf)] = rng.choice([0, 1, 0x7F, 0x80, 0xFF, 0x22, 0x5C, 0x0A])
        elif op == 3:  # delete a range
            del buf[pos:pos + rng.randint(1, max(1, min(64, len(buf) // 4)))]
        elif op == 4:  # duplicate a range
            end = pos + rng.randint(1, 32)
            buf[pos:pos] = buf[pos:end]
        elif op == 5:  # a dictionary token
            buf[pos:pos] = rng.choice(JSON_TOKENS + [t.encode("utf-8", "surrogatepass")
                                                     for t in CELL_TOKENS[:20]])
        elif op == 6 and corpus:  # splice with another input
            other = rng.choice(corpus)
            cut = rng.randrange(len(other) + 1)
            buf = buf[:pos] + bytearray(other[cut:])
        elif op == 7:  # truncate
            del buf[pos:]
        elif op == 8:  # overwrite with random bytes
            n = rng.randint(1, 8)
            buf[pos:pos + n] = rng.randbytes(n)
        elif op == 9:  # small arithmetic on a byte
            i = pos % len(buf)
            buf[i] = (buf[i] + rng.choice([-2, -1, 1, 2])) % 256
        else:  # swap two chunks
            a, b = sorted(rng.randrange(len(buf)) for _ in range(2))
            n = min(rng.randint(1, 16), b - a)
            buf[a:a + n], buf[b:b + n] = buf[b:b + n], buf[a:a + n]
        return bytes(buf)

    def _zip(self, data: bytes, corpus: list[bytes]) -> bytes | None:
        rng = self.rng
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                entries = [(info, zf.read(info)) for info in zf.infolist()]
        except Exception:  # noqa: BLE001 - a mutated zip may fail in any way; mutate bytes then
            return None
        if not entries:
            return None
        op = rng.choice(["content"] * 6 + ["rename", "drop", "dup", "add", "method", "attr",
                                           "order"])
        i = rng.randrange(len(entries))
        info, content = entries[i]
        if op == "content":
            inner = None
            if info.filename.endswith(".json"):
                inner = self._json(content)
            elif info.filename.endswith(".xml") or info.filename.endswith(".rels"):
                inner = self._xml(content)
            entries[i] = (info, inner if inner is not None else self._bytes(content, corpus))
        elif op == "rename":
            info = _copy_info(info, rng.choice(ZIP_NAMES + [e[0].filename for e in entries]))
            entries[i] = (info, content)
        elif op == "drop" and len(entries) > 1:
            del entries[i]
        elif op == "dup":
            entries.insert(rng.randrange(len(entries) + 1), (info, content))
        elif op == "add":
            name = rng.choice(ZIP_NAMES)
            entries.append((zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), rng.randbytes(40)))
        elif op == "method":
            info = _copy_info(info)
            info.compress_type = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED,
                                             zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
            entries[i] = (info, content)
        elif op == "attr":
            info = _copy_info(info)
            info.external_attr = rng.choice([(stat.S_IFLNK | 0o777) << 16,
                                             (stat.S_IFDIR | 0o755) << 16, 0x10, 0,
                                             (stat.S_IFREG | 0o644) << 16])
            entries[i] = (info, content)
        else:
            rng.shuffle(entries)
        out = io.BytesIO()
        try:
            with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
                warnings.simplefilter("ignore")  # duplicate names are one of the mutations
                for entry, payload in entries:
                    zf.writestr(entry, payload)
        except (ValueError, OSError, RuntimeError, OverflowError):
            return None
        return out.getvalue()

    def _json(self, data: bytes) -> bytes | None:
        rng = self.rng
        doc = _loose_json(data)
        if doc is None:
            return None
        slots: list[tuple[Any, Any]] = []  # (container, key or index)

        def walk(node: Any, depth: int) -> None:
            if len(slots) >= 2000 or depth > 30:
                return
            items = node.items() if isinstance(node, dict) else enumerate(node) \
                if isinstance(node, list) else ()
            for key, value in items:
                slots.append((node, key))
                walk(value, depth + 1)
        if rng.random() < 0.5:  # any node alike
            walk(doc, 0)
        else:  # a random descent: small branches (a candidate among rubrics) get their turn
            node = doc
            while isinstance(node, dict | list) and node:
                key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(
                    len(node))
                slots = [(node, key)]
                if rng.random() < 0.25:
                    break
                node = node[key]
        if not slots:
            doc = rng.choice(INTERESTING_JSON)
        else:
            node, key = rng.choice(slots)
            op = rng.randrange(6)
            if op <= 1:  # an interesting value
                node[key] = rng.choice(INTERESTING_JSON)
            elif op == 2:  # another node's value
                other, okey = rng.choice(slots)
                node[key] = other[okey]
            elif op == 3 and isinstance(node, dict):  # drop a key
                del node[key]
            elif op == 3:
                node.pop(key)
            elif op == 4 and isinstance(node, dict):  # rename a key
                node[rng.choice(["x", key + "_", key.upper(), "files", "seq", "format"])] = \
                    node.pop(key)
            elif op == 4:
                node.insert(key, node[key])
            else:  # wrap in a list or an object
                node[key] = rng.choice([[node[key]], {"value": node[key]}])
        try:
            text = json.dumps(doc, ensure_ascii=rng.random() < 0.5,
                              indent=rng.choice([None, 1]), default=str)
            return text.encode("utf-8")
        except (ValueError, UnicodeEncodeError, RecursionError):
            try:
                return json.dumps(doc, default=str).encode("ascii")
            except (ValueError, RecursionError):
                return None

    def _xml(self, data: bytes) -> bytes | None:
        spots = [m.span(1) for m in re.finditer(rb'>([^<]{0,80})<|="([^"]{0,80})"', data)
                 if m.group(1) is not None][:5000]
        if not spots:
            return None
        start, end = self.rng.choice(spots)
        token = self.rng.choice(CELL_TOKENS[:30] + ["1e999", "-0", "99999999", "s", "n", "b",
                                                    "e", "str", "inlineStr", "XFD1048576"])
        return data[:start] + token.encode("utf-8", "surrogatepass")[:200] + data[end:]

    def _cells(self, data: bytes) -> bytes | None:
        rng = self.rng
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", "replace"), "cp1252"
        lines = text.split("\n")
        delimiter = max((";", ",", "\t"), key=text.count)
        i = rng.randrange(len(lines))
        cells = lines[i].split(delimiter)
        op = rng.randrange(6)
        if op <= 2:
            cells[rng.randrange(len(cells))] = rng.choice(CELL_TOKENS)
            lines[i] = delimiter.join(cells)
        elif op == 3:
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
        elif op == 4 and len(lines) > 1:
            del lines[i]
        else:
            j = rng.randrange(len(cells))
            cells.insert(j, cells.pop(rng.randrange(len(cells))))
            lines[i] = delimiter.join(cells)
        out = "\n".join(lines)
        choice = rng.random()
        if choice < 0.05:
            return out.encode("utf-16", "surrogatepass")
        if choice < 0.1:
            return ("sep=" + rng.choice(";,\t|") + "\n" + out).encode("utf-8", "surrogatepass")
        return out.encode(encoding if encoding == "utf-8" else "utf-8", "surrogatepass")


def _copy_info(info: zipfile.ZipInfo, name: str | None = None) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(name or info.filename, info.date_time)
    new.compress_type, new.external_attr = info.compress_type, info.external_attr
    new.create_system, new.flag_bits = info.create_system, info.flag_bits & ~0x08
    return new


class LineCoverage:
    """Lines of ovop_desktop run so far (sys.settrace): the fallback's coverage signal."""

    def __init__(self) -> None:
        import ovop_desktop

        self.root = str(Path(ovop_desktop.__file__).resolve().parent)
        self.lines: set[tuple[str, int]] = set()
        self._new = 0
        self._wanted: dict[Any, bool] = {}

    def _global(self, frame: Any, event: str, _arg: Any) -> Any:
        code = frame.f_code
        wanted = self._wanted.get(code)
        if wanted is None:
            wanted = self._wanted[code] = code.co_filename.startswith(self.root)
        return self._local if wanted else None

    def _local(self, frame: Any, event: str, _arg: Any) -> Any:
        if event == "line":
            key = (frame.f_code.co_filename, frame.f_lineno)
            if key not in self.lines:
                self.lines.add(key)
                self._new += 1
        return self._local

    @contextlib.contextmanager
    def tracing(self) -> Iterator[None]:
        self._new = 0
        sys.settrace(self._global)
        try:
            yield
        finally:
            sys.settrace(None)

    @property
    def new(self) -> int:
        return self._new


@dataclass
class Crash:
    key: str  # exception type and where in ovop_desktop it was raised
    data: bytes
    trace: str


@dataclass
class Stats:
    target: str
    executions: int = 0
    seconds: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: list[Crash] = field(default_factory=list)
    lines: int = 0  # ovop_desktop lines covered (only when traced)
    corpus: int = 0
    slowest: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {"target": self.target, "executions": self.executions,
                "seconds": round(self.seconds, 1), "lines": self.lines, "corpus": self.corpus,
                "crashes": len(self.crashes), "crash_keys": [c.key for c in self.crashes],
                "slowest": round(self.slowest, 3), "outcomes": dict(self.outcomes.most_common())}


def crash_key(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "ovop_desktop" in f.filename] or frames[-1:]
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__}@{where}"


def fuzz(runner: Runner, seeds: list[bytes], *, runs: int | None = None,
         seconds: float | None = None, seed: int = 0, trace: bool = False,
         on_crash: Callable[[Crash], None] | None = None, name: str = "") -> Stats:
    """Run the seeds, then mutants of the corpus until `runs` inputs or `seconds` are spent.

    With `trace`, an input that reaches a new line of ovop_desktop joins the corpus
    (coverage guidance without atheris); without it the corpus stays the seeds.
    """
    rng = random.Random(seed)
    mutator = Mutator(rng, 1 if runner.modes else 0)
    coverage = LineCoverage() if trace else None
    corpus = [s for s in seeds if s]
    stats = Stats(name or type(runner).__name__)
    seen: set[str] = set()
    started = time.monotonic()
    queue = list(corpus)

    def done() -> bool:
        return (runs is not None and stats.executions >= runs) or (
            seconds is not None and time.monotonic() - started >= seconds)

    while not done():
        data = queue.pop(0) if queue else mutator.mutate(rng.choice(corpus or [b""]), corpus)
        t0 = time.monotonic()
        try:
            with coverage.tracing() if coverage else contextlib.nullcontext():
                label = runner.one_input(data)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - that is what we are looking for
            label = "CRASH"
            crash = Crash(crash_key(exc), data, "".join(traceback.format_exception(exc)))
            if crash.key not in seen:
                seen.add(crash.key)
                stats.crashes.append(crash)
                if on_crash:
                    on_crash(crash)
        stats.slowest = max(stats.slowest, time.monotonic() - t0)
        stats.executions += 1
        stats.outcomes[label] += 1
        if coverage and coverage.new and label != "CRASH" and len(corpus) < 5000:
            corpus.append(data)
    stats.seconds = time.monotonic() - started
    stats.lines = len(coverage.lines) if coverage else 0
    stats.corpus = len(corpus)
    return stats


def save_crash(folder: Path, target: str, crash: Crash) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{target}-{hashlib.sha1(crash.data).hexdigest()[:12]}"
    (folder / f"{stem}.txt").write_text(crash.trace, encoding="utf-8")
    path = folder / f"{stem}.bin"
    path.write_bytes(crash.data)
    return path


# -- entry points of the target scripts --------------------------------------------------------

def atheris_wanted(argv: list[str]) -> bool:
    if "--driver=python" in argv:
        return False
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def custom_mutator(runner: Runner) -> Callable[[bytes, int, int], bytes]:
    """For atheris: libFuzzer's own byte mutations half of the time, fuzzkit's structure-aware
    ones (zip entries, JSON values, spreadsheet cells) the other half."""
    import atheris

    seeds = [data for _n, data in runner.seeds()]
    prefix = 1 if runner.modes else 0

    def mutate(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5:
            return atheris.Mutate(data, max_size)
        return Mutator(rng, prefix).mutate(data, seeds)[:max_size]
    return mutate


def prepare(name: str, argv: list[str]) -> Runner:
    """Import the product (instrumented under atheris), build the world, make the runner."""
    if atheris_wanted(argv):
        import atheris

        with atheris.instrument_imports(include=INSTRUMENT[name]):
            _import_product(name)
    runner = make_runner(name)
    import atexit

    atexit.register(shutil.rmtree, runner.world.root, True)
    atexit.register(runner.world.close)
    return runner


def _import_product(name: str) -> None:
    import ovop_desktop.cli.commands_results  # noqa: F401
    import ovop_desktop.services.bundles  # noqa: F401
    import ovop_desktop.services.packages  # noqa: F401
    import ovop_desktop.services.proposal_import  # noqa: F401
    import ovop_desktop.services.receipts  # noqa: F401
    import ovop_desktop.services.tabular  # noqa: F401
    import ovop_desktop.services.workspace  # noqa: F401

    if name in ("proposals", "sheet"):
        import openpyxl  # noqa: F401
        import openpyxl.worksheet._reader  # noqa: F401


def main(argv: list[str]) -> int:
    """fuzz/fuzz_target.py TARGET [libFuzzer or fallback arguments]: one process fuzzes one
    target, with atheris when installed (unless --driver=python), else the pure-Python one."""
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.stderr.write(f"usage: {argv[0]} {{{','.join(TARGETS)}}} [arguments]\n")
        return 2
    name, argv = argv[1], [argv[0], *argv[2:]]  # the drivers see only their own arguments
    runner = prepare(name, argv)
    if atheris_wanted(argv):
        import atheris

        atheris.Setup(argv, runner.one_input, custom_mutator=custom_mutator(runner))
        atheris.Fuzz()  # does not return
    return fallback_main(name, runner, argv)


def fallback_main(name: str, runner: Runner, argv: list[str]) -> int:
    """The target script without atheris: [CORPUS_DIR ...] --seconds N | --runs N, --seed S,
    --no-trace, --crash-dir D. Prints one line `FUZZ-STATS {json}` at the end."""
    import argparse

    parser = argparse.ArgumentParser(prog=f"fuzz_target.py {name}")
    parser.add_argument("corpus", nargs="*", type=Path)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-trace", action="store_true")
    parser.add_argument("--crash-dir", type=Path, default=REPO / "build" / "fuzz" / "crashes")
    parser.add_argument("--driver", default="python")
    args = parser.parse_args([a for a in argv[1:] if not a.startswith("-max_total_time")])
    seeds = [data for _n, data in runner.seeds()]
    for folder in args.corpus or [CORPUS / name]:
        seeds += [p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()] \
            if Path(folder).is_dir() else []
    if args.seconds is None and args.runs is None:
        args.seconds = 60.0

    def report(crash: Crash) -> None:
        path = save_crash(args.crash_dir, name, crash)
        sys.stdout.write(f"CRASH {crash.key} -> {path}\n")
        sys.stdout.flush()
    stats = fuzz(runner, seeds, runs=args.runs, seconds=args.seconds, seed=args.seed,
                 trace=not args.no_trace, on_crash=report, name=name)
    sys.stdout.write("FUZZ-STATS " + json.dumps(stats.summary()) + "\n")
    sys.stdout.flush()
    return 1 if stats.crashes else 0
