"""Runs an import from the window: a progress dialog with Cancel while it works."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.domain.model import Annotator
from annotator.services.importing import ImportOptions, ImportReport, import_paths
from annotator.store.repository import Store


def run_import(parent: QWidget, store: Store, paths: list[str], who: Annotator,
               options: ImportOptions | None = None) -> ImportReport:
    """Import with a progress dialog; Cancel keeps the files finished and rolls back the
    one being read."""
    dialog = QProgressDialog("Looking for reviews…", "Cancel", 0, 0, parent)
    dialog.setObjectName("importProgress")
    dialog.setWindowTitle("Importing")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)

    def progress(done: int, total: int, path: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        if path:
            dialog.setLabelText(f"Importing {Path(path).name} ({done + 1:,} of {total:,})")
        QApplication.processEvents()

    def cancelled() -> bool:
        QApplication.processEvents()  # let a click on Cancel arrive
        return dialog.wasCanceled()

    try:
        return import_paths(store, [Path(p) for p in paths],
                            replace(options or ImportOptions(), who=who), progress, cancelled)
    finally:
        dialog.reset()
        dialog.deleteLater()
