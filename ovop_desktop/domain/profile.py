"""Who uses an installation: a coordinator (secretariat) or an assessor (field)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ovop_desktop.i18n import N_, _


class Role(StrEnum):
    COORDINATOR = "coordinator"
    ASSESSOR = "assessor"

    @property
    def label(self) -> str:
        return _(_ROLE_LABELS[self])


_ROLE_LABELS = {Role.COORDINATOR: N_("Coordinator"), Role.ASSESSOR: N_("Assessor")}


@dataclass(frozen=True)
class Profile:
    role: Role
    name: str
    institution: str

    def problems(self) -> list[str]:
        problems = []
        if not self.name.strip():
            problems.append(_("Enter your name."))
        if len(self.name) > 200 or len(self.institution) > 200:
            problems.append(_("Name and institution are limited to 200 characters."))
        return problems
