"""Runs an import from the window: a progress dialog while it works, then a summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.domain.model import Annotator
from annotator.services.importing import ImportOptions, ImportReport, import_paths
from annotator.store.repository import Store


def run_import(parent: QWidget, store: Store, paths: list[str], who: Annotator) -> ImportReport:
    dialog = QProgressDialog("Looking for reviews…", "", 0, 0, parent)
    dialog.setWindowTitle("Importing")
    dialog.setCancelButton(None)  # each file is all or nothing; cancelling is the import issue's
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)

    def progress(done: int, total: int, path: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"Importing {Path(path).name} ({done + 1} of {total})")
        QApplication.processEvents()

    try:
        return import_paths(store, [Path(p) for p in paths], ImportOptions(who=who), progress)
    finally:
        dialog.reset()
        dialog.deleteLater()


def summary(report: ImportReport) -> str:
    lines = [f"Imported {report.total('documents')} documents with "
             f"{report.total('spans')} spans."]
    duplicates = sum(len(f.duplicates) for f in report.files)
    if duplicates:
        lines.append(f"{duplicates} already in the database (skipped).")
    if report.new_labels:
        lines.append(f"New labels: {', '.join(report.new_labels)}.")
    for f in report.files:
        lines += [str(e) for e in f.errors] + [f"{f.path}, {n}" for n in f.notes]
    return "\n".join(lines)
