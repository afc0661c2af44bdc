"""Undo and Redo as Qt actions over the workspace's own history: the texts and the enabled
state follow it; what undoing means lives in the workspace's edits, not here."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from annotator.domain.errors import AnnotatorError
from annotator.workspace import Workspace
from annotator.workspace.history import History

from .events import ChangeBus


class UndoActions(QObject):
    def __init__(self, workspace: Workspace, bus: ChangeBus, parent: QObject) -> None:
        super().__init__(parent)
        self.workspace, self.bus = workspace, bus
        self.undo_action = QAction("&Undo", parent)
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda _=False: self.undo())
        self.redo_action = QAction("&Redo", parent)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(lambda _=False: self.redo())
        workspace.history.changed.connect(self._follow)
        self._follow(workspace.history)

    def _follow(self, history: History) -> None:
        for action, verb, text in ((self.undo_action, "&Undo", history.undo_text),
                                   (self.redo_action, "&Redo", history.redo_text)):
            action.setEnabled(bool(text))
            action.setText(f"{verb} {text}" if text else verb)

    def undo(self) -> None:
        self._step(self.workspace.undo, "undone", self.workspace.history.undo_text)

    def redo(self) -> None:
        self._step(self.workspace.redo, "redone", self.workspace.history.redo_text)

    def _step(self, step, done: str, text: str) -> None:
        if not text:
            return
        try:
            step()
        except AnnotatorError as e:
            self.bus.failed.emit(f"“{text}” could not be {done}: {e}. Nothing was changed.")

    # The history, as a test or the window asks about it.
    def count(self) -> int:
        return len(self.workspace.history)

    def undo_text(self) -> str:
        return self.workspace.history.undo_text

    def can_redo(self) -> bool:
        return self.workspace.history.to_redo() is not None

    def detach(self) -> None:
        self.workspace.history.changed.disconnect(self._follow)
