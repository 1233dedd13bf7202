"""The installation's owner: role, name and institution, set at first run."""

from __future__ import annotations

from ovop_desktop.data import audit
from ovop_desktop.data import repositories as repo
from ovop_desktop.data.db import Store
from ovop_desktop.domain.profile import Profile, Role
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _


def assessor_not_on_postgres() -> str:
    return _("Only a coordinator's store can be a PostgreSQL database: an assessor's scores "
             "stay in the laptop's own SQLite file. Open this profile without --db-url "
             "(and without OVOP_DB_URL or the db_url setting).")


class ProfileService:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._cached: Profile | None = None

    def get(self) -> Profile | None:
        if self._cached is None:
            with self._store.read() as s:
                self._cached = repo.get_profile(s)
        return self._cached

    def actor(self) -> str:
        """The name written into the audit log for this installation's actions."""
        profile = self.get()
        return profile.name if profile else "system"

    def init(self, role: Role, name: str, institution: str = "") -> Profile:
        """First-run setup. The role is fixed afterwards: a profile is one person's store."""
        profile = Profile(role=role, name=" ".join(name.split()),
                          institution=" ".join(institution.split()))
        problems = profile.problems()
        if problems:
            raise ValidationError(_("The profile cannot be saved:"), problems)
        if role is not Role.COORDINATOR and not self._store.is_sqlite:
            raise UserFacingError(assessor_not_on_postgres())
        with self._store.write() as s:
            existing = repo.get_profile(s)
            if existing is not None and existing.role is not role:
                raise UserFacingError(_(
                    "This profile is already set up as {role} for {name}. Use another data "
                    "folder (--data-dir) for a second role.").format(
                    role=existing.role.label, name=existing.name))
            repo.save_profile(s, profile)
            audit.append(s, profile.name, "profile.init" if existing is None else "profile.edit",
                         "profile", 1, {"role": role.value, "institution": profile.institution})
        self._cached = profile
        return profile
