"""A coordinator and an assessor profile side by side, exchanging real signed files."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ovop_desktop.domain.profile import Role
from ovop_desktop.services import identity
from ovop_desktop.services.bundle_export import ExportInfo, export_bundle
from ovop_desktop.services.demo import build_demo
from ovop_desktop.services.workspace import Workspace

FAST_KDF = identity.ScryptParams(n=2**10, r=8, p=1)
COORD_PASS, ASSESSOR_PASS = "rahasia-koordinator", "rahasia-penilai"


@dataclass
class Exchange:
    coordinator: Workspace
    assessor: Workspace
    folder: Path
    assessor_id: int = 0
    _bundles: int = 0

    @property
    def coord_me(self) -> identity.PublicIdentity:
        found = identity.load_public(self.coordinator.paths.keys)
        assert found is not None
        return found

    @property
    def assessor_me(self) -> identity.PublicIdentity:
        found = identity.load_public(self.assessor.paths.keys)
        assert found is not None
        return found

    def enrol(self) -> int:
        card = self.folder / "card.json"
        identity.write_card(card, self.assessor_me, "assessor", {})
        self.assessor_id = self.coordinator.assessors.enrol(
            card, self.assessor_me.fingerprint, "Budi", "phone").id
        return self.assessor_id

    def package(self, candidates: list[int], name: str = "paket.zip") -> Path:
        round_ = self.coordinator.current_round()
        assert round_ is not None
        self.coordinator.assessors.assign(round_.id, self.assessor_id, candidates)
        out = self.folder / name
        key = identity.unlock(self.coordinator.paths.keys, COORD_PASS)
        self.coordinator.packages.export(round_.id, self.assessor_id, out, key, self.coord_me)
        return out

    def receive(self, path: Path) -> int:
        info = self.assessor.packages.import_package(path, self.coord_me.fingerprint)
        self.assessor.update_settings(current_round_id=info.round_id)
        return info.round_id

    def bundle(self, name: str | None = None) -> tuple[Path, ExportInfo]:
        self._bundles += 1
        out = self.folder / (name or f"nilai-{self._bundles}.zip")
        key = identity.unlock(self.assessor.paths.keys, ASSESSOR_PASS)
        info = export_bundle(self.assessor.store, self.assessor.scoring,
                             self.assessor.profile.actor(), out, key, self.assessor_me)
        return out, info

    def local_candidates(self) -> list[int]:
        round_ = self.assessor.current_round()
        assert round_ is not None
        return [c.id for c in self.assessor.candidates.summaries(round_.id)]


def make_exchange(tmp: Path, db_url: str | None = None) -> Exchange:
    """Demo coordinator with a key; an assessor with a key, enrolled and given a package.
    db_url: the coordinator's store on PostgreSQL (the assessor's laptop stays on SQLite)."""
    coordinator = Workspace.open(tmp / "coordinator", db_url=db_url)
    build_demo(coordinator)
    identity.create_identity(coordinator.paths.keys, COORD_PASS, "Sekretariat", "Ditjen IKMA")
    assessor = Workspace.open(tmp / "assessor")
    assessor.profile.init(Role.ASSESSOR, "Dr. Sri Wahyuni", "Yayasan Batik Indonesia")
    identity.create_identity(assessor.paths.keys, ASSESSOR_PASS, "Dr. Sri Wahyuni",
                             "Yayasan Batik Indonesia")
    folder = tmp / "usb"
    folder.mkdir()
    ex = Exchange(coordinator, assessor, folder)
    ex.enrol()
    return ex


@contextlib.contextmanager
def packaged(tmp: Path, candidates: int = 3, db_url: str | None = None) -> Iterator[Exchange]:
    """make_exchange with the round's first `candidates` assigned and their package received
    by the assessor; both profiles are closed afterwards."""
    exchange = make_exchange(tmp, db_url=db_url)
    try:
        round_ = exchange.coordinator.current_round()
        assert round_ is not None
        ids = [c.id for c in exchange.coordinator.candidates.summaries(round_.id)[:candidates]]
        exchange.receive(exchange.package(ids))
        yield exchange
    finally:
        exchange.coordinator.close()
        exchange.assessor.close()
