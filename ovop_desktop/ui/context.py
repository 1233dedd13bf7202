"""What every view receives: the open workspace and the task runner — passed, never global."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ovop_desktop.domain.profile import Role
from ovop_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:  # the window paints before SQLAlchemy is imported (start-up time)
    from ovop_desktop.services.workspace import Workspace


class ContextSignals(QObject):
    """round_changed(round_id or None) · data_changed() — lets views refresh each other."""

    round_changed = Signal(object)
    data_changed = Signal()


@dataclass
class AppContext:
    workspace: Workspace
    tasks: TaskRunner
    signals: ContextSignals

    @property
    def role(self) -> Role:
        profile = self.workspace.profile.get()
        return profile.role if profile else Role.COORDINATOR

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR
