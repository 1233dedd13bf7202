"""One open profile: its paths, store, settings and services, built in one place.

Both the CLI and the GUI's composition root (app.py) open a Workspace; nothing
reaches for it through a global.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ovop_desktop.data.db import Store
from ovop_desktop.data.opening import open_postgres_store, open_store
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.domain.rounds import Round, RoundStatus
from ovop_desktop.errors import UserFacingError
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services.assessors import AssessorService
from ovop_desktop.services.candidates import CandidateService
from ovop_desktop.services.evidence import EvidenceService
from ovop_desktop.services.planning import PlanningService
from ovop_desktop.services.profile import ProfileService, assessor_not_on_postgres
from ovop_desktop.services.regions import load_regions
from ovop_desktop.services.rounds import RoundService
from ovop_desktop.services.rubrics import RubricService
from ovop_desktop.services.scoring import ScoringService
from ovop_desktop.services.screening import ScreeningService
from ovop_desktop.services.settings import Settings, load_settings, save_settings

if TYPE_CHECKING:
    from ovop_desktop.services.backups import BackupService
    from ovop_desktop.services.bundles import BundleService
    from ovop_desktop.services.packages import PackageService
    from ovop_desktop.services.proposal_import import ProposalImportService
    from ovop_desktop.services.results import ResultsService


class Workspace:
    def __init__(self, paths: ProfilePaths, store: Store) -> None:
        self.paths = paths
        self.store = store
        self.profile = ProfileService(store)
        self.rubrics = RubricService(store, self.profile.actor)
        self.rounds = RoundService(store, self.profile.actor)
        self.candidates = CandidateService(store, self.profile.actor, load_regions)
        self.screening = ScreeningService(store, self.profile.actor, load_regions)
        self.assessors = AssessorService(store, self.profile.actor, load_regions)
        self.scoring = ScoringService(store, self.profile.actor)
        self.planning = PlanningService(store, self.profile.actor, self.candidates)
        self.evidence = EvidenceService(store, self.profile.actor, paths.evidence)
        self._settings = load_settings(paths.settings)

    @classmethod
    def open(cls, data_dir: Path, progress: Callable[[int, int], None] | None = None, *,
             db_url: str | None = None) -> Workspace:
        """`db_url` (else the profile's `db_url` setting) puts the store on a PostgreSQL
        server, for coordinators only; the folder keeps keys, settings, backups, evidence."""
        paths = ProfilePaths(Path(data_dir))
        db_url = db_url or load_settings(paths.settings).db_url
        if not db_url:
            return cls(paths, open_store(paths.database, paths.backups, paths.migration_lock,
                                         progress))
        workspace = cls(paths, open_postgres_store(db_url, progress))
        profile = workspace.profile.get()
        if profile is not None and profile.role is not Role.COORDINATOR:
            workspace.close()
            raise UserFacingError(assessor_not_on_postgres())
        return workspace

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @cached_property
    def regions(self) -> RegionRegistry:
        return load_regions()

    @cached_property
    def proposals(self) -> ProposalImportService:
        # Imported on first use: openpyxl is not needed to start the app.
        from ovop_desktop.services.proposal_import import ProposalImportService

        return ProposalImportService(self.store, self.profile.actor, load_regions)

    @cached_property
    def packages(self) -> PackageService:
        from ovop_desktop.services.packages import PackageService

        return PackageService(self.store, self.profile.actor)

    @cached_property
    def bundles(self) -> BundleService:
        from ovop_desktop.services.bundles import BundleService

        # A verified copy of the store before the first write of every import run.
        return BundleService(self.store, self.profile.actor, self.assessors, self.paths.bundles,
                             before_import=self.backups.before_import)

    @cached_property
    def backups(self) -> BackupService:
        from ovop_desktop.services.backups import BackupService

        return BackupService(self.store, self.paths.backups)

    @cached_property
    def results(self) -> ResultsService:
        from ovop_desktop.services.results import ResultsService

        return ResultsService(self.store, self.profile.actor, load_regions, self.paths.bundles)

    # -- settings --------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._settings

    def update_settings(self, **changes: object) -> Settings:
        self._settings = replace(self._settings, **changes)  # type: ignore[arg-type]
        save_settings(self.paths.settings, self._settings)
        return self._settings

    # -- the round everyone is working on --------------------------------------

    def current_round(self) -> Round | None:
        """The chosen round, else the newest one that is not closed, else the newest."""
        rounds = self.rounds.list()
        chosen = self._settings.current_round_id
        for r in rounds:
            if r.id == chosen:
                return r
        active = [r for r in rounds if r.status is not RoundStatus.CLOSED]
        return (active or rounds or [None])[0]

    def is_empty(self) -> bool:
        return self.profile.get() is None and not self.rounds.list()
