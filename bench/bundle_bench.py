"""Import of 1,000 score bundles carrying 500,000 scores, against the floor.

The floor does the unavoidable work with no application around it: verify the
same Ed25519 signatures over the same PAE bytes, hash the same member bytes, and
insert the same score rows with plain sqlite3.executemany in one transaction.

    .venv/bin/python bench/bundle_bench.py [--json] [--quick]
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ovop_desktop.domain.candidates import CandidateData
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.strict_json import canonical_bytes
from ovop_desktop.services import identity
from ovop_desktop.services.container import PAYLOAD_BUNDLE, build_container, open_container
from ovop_desktop.services.signing import key_id, pae
from ovop_desktop.services.workspace import Workspace

ASSESSORS, PER_ASSESSOR, CANDIDATES = 50, 20, 23  # 1,000 bundles × 23 sheets × 22 criteria


def _setup(folder: Path, assessors: int = ASSESSORS, per_assessor: int = PER_ASSESSOR,
           candidates: int = CANDIDATES) -> tuple[Workspace, list[Path]]:
    ws = Workspace.open(folder / "coordinator")
    ws.profile.init(Role.COORDINATOR, "Bench", "")
    ws.rubrics.install_defaults()
    round_ = ws.rounds.create(2024, "Bench")
    ws.candidates.create_many(round_.id, [CandidateData(
        name=f"IKM Bench {i}", region_code="32.05", commodity=Commodity.KAIN_BATIK,
        product="Batik") for i in range(candidates)], "bench")
    uids = _uids(ws, round_.id)
    batik = next(rc for rc in round_.commodities if rc.commodity is Commodity.KAIN_BATIK)
    criteria = [c.id for _a, c in ws.rubrics.get(batik.rubric_id).rubric.criteria()]
    files = []
    for a in range(assessors):
        key = Ed25519PrivateKey.generate()
        raw = key.public_key().public_bytes_raw()
        card = folder / f"card{a}.json"
        me = identity.PublicIdentity(f"Penilai {a}", "", raw, key_id(raw), "2024-08-01")
        identity.write_card(card, me, "assessor", {})
        ws.assessors.enrol(card, me.fingerprint, "Bench", "other")
        prev = None
        for seq in range(1, per_assessor + 1):
            body = {"format": 1, "sheets": [{
                "candidate": uid, "commodity": "kain_batik", "status": "finished", "note": "",
                "scores": [{"criterion": c, "level": 1 + (seq + i) % 3, "note": ""}
                           for i, c in enumerate(criteria)]} for uid in uids]}
            manifest = {"format": 1, "kind": "score-bundle", "bundle_id": str(uuid.uuid4()),
                        "assessor_key": me.key_id, "seq": seq, "prev": prev,
                        "round": round_.uid, "rubrics": {"kain_batik": batik.rubric_sha256},
                        "created_at": "2024-09-01T00:00:00+00:00"}
            data = build_container(PAYLOAD_BUNDLE, manifest, {"scores.json": canonical_bytes(body)},
                                   key)
            prev = open_container(data, {PAYLOAD_BUNDLE}, lambda _k, e: e).manifest_sha256
            path = folder / "usb" / f"a{a:02d}-{seq:02d}.zip"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            files.append(path)
    return ws, files


def _uids(ws: Workspace, round_id: int) -> list[str]:
    with ws.store.read() as s:
        from sqlalchemy import select

        from ovop_desktop.data.models import CandidateRow

        return list(s.execute(select(CandidateRow.uid).where(CandidateRow.round_id == round_id)
                              .order_by(CandidateRow.id)).scalars())


def floor(files: list[Path], db: Path) -> tuple[float, int]:
    """Verify, hash and insert with nothing else: the least any importer must do."""
    import base64
    import io
    import zipfile

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    # The same table shape as the store's received_score (clustered on its primary key,
    # schema v7), without foreign keys or the rest of the application.
    conn.execute("CREATE TABLE s (b INTEGER, c TEXT, k TEXT, l INTEGER, n TEXT, "
                 "PRIMARY KEY (b, c, k)) WITHOUT ROWID")
    start = time.perf_counter()
    rows = 0
    with conn:
        for i, path in enumerate(files):
            data = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                env = json.loads(z.read("envelope.json"))
                scores = z.read("scores.json")
            payload = base64.b64decode(env["payload"])
            sig = env["signatures"][0]
            Ed25519PublicKey.from_public_bytes(base64.b64decode(sig["publicKey"])).verify(
                base64.b64decode(sig["sig"]), pae(env["payloadType"], payload))
            hashlib.sha256(payload).hexdigest()
            hashlib.sha256(scores).hexdigest()
            batch = [(i, sh["candidate"], sc["criterion"], sc["level"], sc["note"])
                     for sh in json.loads(scores)["sheets"] for sc in sh["scores"]]
            conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?, ?)", batch)
            rows += len(batch)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, rows


def run(assessors: int = ASSESSORS, per_assessor: int = PER_ASSESSOR,
        candidates: int = CANDIDATES) -> dict[str, float]:
    sizes = (assessors, per_assessor, candidates)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws, files = _setup(folder, *sizes)
        base, rows = floor(files, folder / "floor.sqlite3")
        start = time.perf_counter()
        outcomes = ws.bundles.import_files(files)
        ours = time.perf_counter() - start
        accepted = sum(o.status.value == "accepted" for o in outcomes)
        ws.close()
        # Peak Python memory of the same import on a fresh profile copy, measured apart
        # (tracemalloc slows the run, so it is not in the timing).
        ws2, files2 = _setup(folder / "again", *sizes)
        tracemalloc.start()
        ws2.bundles.import_files(files2)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        ws2.close()
    return {"floor": base, "ours": ours, "rows": rows, "bundles": len(files),
            "accepted": accepted, "peak_mb": peak / 1e6}


def figures(quick: bool = False) -> list[dict]:
    from benchkit import figure, ms

    r = run(5, 2, 5) if quick else run()
    return [figure(f"import of {r['bundles']:,} signed score bundles carrying {r['rows']:,} "
                   "scores (verify, hash, classify, insert, audit)", key="bundles.import",
                   baseline_ms=ms(r["floor"]), ours_ms=ms(r["ours"]), goal_ratio=3.0,
                   baseline_what="floor: verify the same signatures, hash the same bytes, "
                                 "`executemany` the same rows into a table of the same shape "
                                 "in one transaction",
                   traced_mb=r["peak_mb"],
                   detail=f"{r['accepted']:,} accepted; one run each")]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchkit import json_main

    if not json_main(figures):
        print(run())
