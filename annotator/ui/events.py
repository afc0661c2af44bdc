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
        workspace.changed.connect(self.changed.emit)

    def detach(self) -> None:
        self.workspace.changed.disconnect(self.changed.emit)
