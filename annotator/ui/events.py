"""The app-level signal that carries each edit's Change to every view."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    changed = Signal(object)  # annotator.domain.changes.Change
    failed = Signal(str)  # an undo or redo that could not be saved, and why
