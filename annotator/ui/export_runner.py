"""Runs an export from the window, with a progress dialog while it works."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.services.exporting import ExportOptions, ExportReport, export
from annotator.store.repository import Store


def run_export(parent: QWidget, store: Store, fmt: str, destination: str,
               options: ExportOptions) -> ExportReport:
    waiting = QProgressDialog("Exporting…", "", 0, 0, parent)
    waiting.setObjectName("exportProgress")
    waiting.setWindowTitle("Exporting")
    waiting.setCancelButton(None)  # atomic: the file appears whole at the end, or not at all
    waiting.setWindowModality(Qt.WindowModality.WindowModal)
    waiting.setMinimumDuration(400)

    def progress(done: int, total: int) -> None:
        waiting.setMaximum(total)
        waiting.setValue(min(done, total))
        QApplication.processEvents()

    try:
        return export(store, fmt, destination, options, progress)
    finally:
        waiting.reset()
        waiting.deleteLater()
