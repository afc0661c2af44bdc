"""The app-level signal that carries each Change from the workspace to every view."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.workspace import Workspace


class ChangeBus(QObject):
    changed = Signal(object)  # annotator.domain.changes.Change
    failed = Signal(str)  # an undo or redo that could not be saved, and why

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        workspace.changed.connect(self._relay)

    def _relay(self, change: object) -> None:
        self.changed.emit(change)

    def detach(self) -> None:
        """The window is going: its views stop following the workspace."""
        self.workspace.changed.disconnect(self._relay)
