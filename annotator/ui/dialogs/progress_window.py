"""Team → Progress: who has done how much, for the lead; follows the project's changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from annotator.domain.changes import Change
from annotator.domain.errors import AnnotatorError

from ..models.progress_table import ProgressModel
from ..plain import plain_label

if TYPE_CHECKING:
    from annotator.workspace import Workspace

REFRESH_AFTER_MS = 300


class ProgressWindow(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Team progress")
        self.setObjectName("progressWindow")
        self.resize(900, 420)
        self.model = ProgressModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setObjectName("progressTable")
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = plain_label(QLabel(self), "Time spent counts the time between an "
                                "annotator's edits, leaving out pauses over 5 minutes. "
                                "Merge the packages sent back to see their work here.")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_AFTER_MS)
        self.timer.timeout.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        try:
            entries = self.workspace.progress()
        except AnnotatorError as e:
            self.note.setText(f"Progress cannot be read: {e}")
            return
        self.model.set_progress(entries, self.workspace.labels())

    def on_change(self, change: Change) -> None:
        """Every edit may move a count or the time spent: read again (one query per
        figure, for a table of a handful of rows)."""
        if not change.empty:
            self.timer.start()  # a burst of edits: read once, after it

    @classmethod
    def show_for(cls, parent: QWidget, workspace: Workspace,
                 changed: SignalInstance | None = None) -> ProgressWindow:
        """One window, brought to the front if open; it follows `changed`."""
        for window in parent.findChildren(cls):
            window.refresh()
            window.raise_()
            window.activateWindow()
            return window
        window = cls(workspace, parent)
        if changed is not None:  # a slot of the window: Qt disconnects it as it goes
            changed.connect(window.on_change)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        return window

