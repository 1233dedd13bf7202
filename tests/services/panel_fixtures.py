"""A coordinator and several assessors exchanging real packages and signed bundles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exchange_fixtures import ASSESSOR_PASS, COORD_PASS

from ovop_desktop.domain.profile import Role
from ovop_desktop.services import identity
from ovop_desktop.services.bundle_export import export_bundle
from ovop_desktop.services.demo import build_demo
from ovop_desktop.services.workspace import Workspace

NAMES = [("Dr. Sri Wahyuni", "Yayasan Batik Indonesia"),
         ("Ir. Made Sudarsana", "Universitas Udayana"),
         ("Rina Marlina, S.E.", "Direktorat Jenderal IKMA, Kementerian Perindustrian"),
         ("Hendra Gunawan", "Dewan Kerajinan Nasional Daerah")]


@dataclass
class Panel:
    coordinator: Workspace
    assessors: list[Workspace]
    ids: list[int]               # coordinator-side assessor id of each assessor
    folder: Path
    round_id: int
    _sent: int = 0
    _local: list[dict[int, int]] = field(default_factory=list)  # coord id → local id

    def close(self) -> None:
        for ws in [self.coordinator, *self.assessors]:
            ws.close()

    def criteria(self, candidate_id: int) -> list[str]:
        row = self.coordinator.candidates.get(candidate_id)
        rubric = self.coordinator.results.report(self.round_id).rubrics[row.data.commodity.value]
        return [c.id for _a, c in rubric.criteria()]

    def give(self, who: int, candidates: list[int]) -> None:
        """Assign, export the package, import it on the assessor's laptop."""
        coord, ws = self.coordinator, self.assessors[who]
        coord.assessors.assign(self.round_id, self.ids[who], candidates)
        out = self.folder / f"paket-{who}-{len(candidates)}.zip"
        key = identity.unlock(coord.paths.keys, COORD_PASS)
        me = identity.load_public(coord.paths.keys)
        coord.packages.export(self.round_id, self.ids[who], out, key, me)
        info = ws.packages.import_package(out, me.fingerprint)
        ws.update_settings(current_round_id=info.round_id)
        local = {(c.name, c.nib): c.id for c in ws.candidates.summaries(info.round_id)}
        mapping = {}
        for cid in coord.assessors.assigned(self.round_id, self.ids[who]):
            data = coord.candidates.get(cid).data
            mapping[cid] = local[(data.name, data.nib)]
        self._local[who] = mapping

    def score(self, who: int, candidate_id: int, levels: Callable[[str], int] | dict[str, int],
              finish: bool = True) -> None:
        ws = self.assessors[who]
        local = self._local[who][candidate_id]
        for crit in self.criteria(candidate_id):
            level = levels(crit) if callable(levels) else levels[crit]
            ws.scoring.set_score(local, crit, level)
        if finish:
            ws.scoring.finish(local)

    def send(self, who: int) -> list:
        """Export a signed bundle and import it at the coordinator."""
        self._sent += 1
        ws = self.assessors[who]
        out = self.folder / f"nilai-{who}-{self._sent}.zip"
        key = identity.unlock(ws.paths.keys, ASSESSOR_PASS)
        export_bundle(ws.store, ws.scoring, ws.profile.actor(), out, key,
                      identity.load_public(ws.paths.keys))
        return self.coordinator.bundles.import_files([out])


def make_panel(tmp: Path, n: int = 3, db_url: str | None = None) -> Panel:
    """db_url: the coordinator's store on PostgreSQL (the assessors' laptops stay on SQLite)."""
    coordinator = Workspace.open(tmp / "coordinator", db_url=db_url)
    build_demo(coordinator)
    identity.create_identity(coordinator.paths.keys, COORD_PASS, "Sekretariat", "Ditjen IKMA")
    folder = tmp / "usb"
    folder.mkdir()
    assessors, ids = [], []
    for i in range(n):
        name, institution = NAMES[i]
        ws = Workspace.open(tmp / f"assessor-{i}")
        ws.profile.init(Role.ASSESSOR, name, institution)
        me = identity.create_identity(ws.paths.keys, ASSESSOR_PASS, name, institution)
        card = folder / f"card-{i}.json"
        identity.write_card(card, me, "assessor", {})
        ids.append(coordinator.assessors.enrol(card, me.fingerprint, "Budi", "phone").id)
        assessors.append(ws)
    round_ = coordinator.current_round()
    assert round_ is not None
    return Panel(coordinator, assessors, ids, folder, round_.id,
                 _local=[{} for _ in range(n)])
