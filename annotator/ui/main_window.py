"""The main window: wires the document list, the document pane, label actions and menus."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolBar,
)

from annotator.domain.changes import Change
from annotator.domain.model import Label, Span, Status
from annotator.services import annotators as annotator_service
from annotator.services.documents import delete_documents
from annotator.services.exporting import ExportError, export
from annotator.services.importing import ImportOptions, ImportReport, import_paths
from annotator.store.repository import Store

from .commands import AddSpan, DeleteSpan, ServiceCommand, SetStatus
from .dialogs.annotator_dialog import AnnotatorDialog
from .dialogs.messages import confirm, inform
from .events import ChangeBus
from .icons import app_icon, swatch
from .models.document_list import DocumentListModel
from .views.document_view import DocumentView

LAST_DOCUMENT = "last_document"


class MainWindow(QMainWindow):
    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.bus = ChangeBus(self)
        self.undo_stack = QUndoStack(self)
        self.annotator = annotator_service.current(store)
        self.labels: list[Label] = store.labels()
        self.document_id: int | None = None

        self.documents = DocumentListModel(store, self.annotator.uuid, self)
        self.list_view = QTableView(self)
        self.list_view.setObjectName("documentList")
        self.list_view.setModel(self.documents)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.verticalHeader().hide()
        self.list_view.setShowGrid(False)
        self.list_view.setAlternatingRowColors(True)
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.list_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.open_row(current.row()))

        self.view = DocumentView(self)
        self.view.setObjectName("documentView")
        self.view.span_selected.connect(self._span_selected)

        splitter = QSplitter(self)
        splitter.addWidget(self.list_view)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 900])
        self.setCentralWidget(splitter)

        self._make_actions()
        self._make_status_bar()
        self.bus.changed.connect(self._on_change)
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self._restore_geometry()
        self._update_title()
        self._open_first()

    # --- construction -------------------------------------------------------------------
    def _make_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self._action(file_menu, "&Import files…", self.import_files, QKeySequence.StandardKey.Open)
        self._action(file_menu, "Import &folder…", self.import_folder)
        self._action(file_menu, "&Export as JSONL…", self.export_jsonl, "Ctrl+E")
        file_menu.addSeparator()
        self._action(file_menu, "&Delete document…", self.delete_document)
        self._action(file_menu, "Remove &sample reviews…", self.remove_samples)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit = menu.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addAction(undo)
        edit.addAction(redo)
        self.addAction(undo)
        self.addAction(redo)
        edit.addSeparator()
        self.delete_action = self._action(edit, "&Delete span", self.delete_selected_span,
                                          [QKeySequence.StandardKey.Delete,
                                           QKeySequence(Qt.Key.Key_Backspace)])
        self._on_view(self.delete_action)

        document = menu.addMenu("&Document")
        self.done_action = self._action(document, "Mark &done and open next",
                                        self.mark_done_and_next, "Ctrl+Return")
        self._action(document, "&Next document", lambda: self.step(1), "Alt+Down")
        self._action(document, "&Previous document", lambda: self.step(-1), "Alt+Up")

        self.labels_menu = menu.addMenu("&Labels")
        self.toolbar = QToolBar("Labels", self)
        self.toolbar.setObjectName("labelBar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.label_actions: dict[str, QAction] = {}
        self._make_label_actions()

        who = menu.addMenu("&Annotator")
        self._action(who, "&Change annotator…", self.change_annotator)

    def _make_label_actions(self) -> None:
        """One action per label: toolbar button, menu entry and key. Rebuilt when labels change."""
        for action in self.label_actions.values():
            self.view.removeAction(action)
            action.deleteLater()
        self.toolbar.clear()
        self.labels_menu.clear()
        self.label_actions.clear()
        self.labels = self.store.labels()
        self.view.set_labels(self.labels)
        for label in self.labels:
            text = f"{label.name}  ({label.shortcut})" if label.shortcut else label.name
            action = QAction(swatch(label.colour), text, self)
            action.setToolTip(f"{label.name}: {label.description}"
                              + (f"\nKey: {label.shortcut}" if label.shortcut else ""))
            if label.shortcut:
                action.setShortcut(QKeySequence(label.shortcut))
            action.triggered.connect(lambda _=False, lb=label: self.apply_label(lb))
            self._on_view(action)
            self.toolbar.addAction(action)
            self.labels_menu.addAction(action)
            self.label_actions[label.name] = action

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _on_view(self, action: QAction) -> None:
        """Keys like 1 or Delete act only while the document pane has focus."""
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.removeAction(action)
        self.view.addAction(action)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.who_label = QLabel(self)
        self.progress_label = QLabel(self)
        self.spans_label = QLabel(self)
        self.saved_label = QLabel("All changes saved", self)
        for w in (self.who_label, self.progress_label, self.spans_label, self.saved_label):
            w.setContentsMargins(10, 0, 10, 0)
            bar.addPermanentWidget(w)

    # --- navigation ---------------------------------------------------------------------
    def _open_first(self) -> None:
        last = self.store.setting(LAST_DOCUMENT)
        row = self.documents.row_of(int(last)) if last and last.isdigit() else -1
        if row < 0 and self.documents.rowCount():
            row = 0
        if row >= 0:
            self.list_view.selectRow(row)
        else:
            self.open_row(-1)
        self.view.setFocus()

    def open_row(self, row: int) -> None:
        if not 0 <= row < self.documents.rowCount():
            self.document_id = None
            self.view.show_document(None, "", [])
            self.view.setPlaceholderText("No documents yet: use File → Import to add reviews.")
            self._update_status()
            return
        doc_id = self.documents.ids[row]
        self.open_document(doc_id)

    def open_document(self, doc_id: int) -> None:
        doc = self.store.document(doc_id)
        if doc is None:
            return
        self.document_id = doc_id
        self.view.show_document(doc_id, doc.text, self.store.spans(doc_id, self.annotator.uuid))
        self.store.set_setting(LAST_DOCUMENT, str(doc_id))
        row = self.documents.row_of(doc_id)
        if self.list_view.currentIndex().row() != row:
            self.list_view.selectRow(row)
        self._update_status()

    def step(self, delta: int) -> None:
        row = self.list_view.currentIndex().row() + delta
        if 0 <= row < self.documents.rowCount():
            self.list_view.selectRow(row)
            self.view.setFocus()

    # --- editing ------------------------------------------------------------------------
    def apply_label(self, label: Label) -> None:
        if self.document_id is None:
            return
        selection = self.view.selection_range()
        if selection is None:
            self.statusBar().showMessage(
                f"Select some text first, then press {label.shortcut or label.name}.", 4000)
            return
        start, end = selection
        text = self.store.document(self.document_id).text
        if not text[start:end].strip():
            self.statusBar().showMessage("The selection is only white space.", 4000)
            return
        self._run(AddSpan(self.store, self.bus, self.annotator, self.document_id, label, start,
                          end))

    def delete_selected_span(self) -> None:
        span = self.view.selected_span()
        if span is None:
            self.statusBar().showMessage("Click a highlighted span first, then press Delete.",
                                         4000)
            return
        label = next((lb.name for lb in self.labels if lb.uuid == span.label_uuid), "")
        self._run(DeleteSpan(self.store, self.bus, self.annotator, span, label))

    def mark_done_and_next(self) -> None:
        if self.document_id is None:
            return
        if not self._run(SetStatus(self.store, self.bus, self.annotator, self.document_id,
                                   Status.DONE)):
            return
        row = self.list_view.currentIndex().row()
        for candidate in list(range(row + 1, self.documents.rowCount())) + list(range(row)):
            if self.documents.summary(candidate).status is not Status.DONE:
                self.list_view.selectRow(candidate)
                break
        self.view.setFocus()

    def _run(self, command: ServiceCommand) -> bool:
        """Save first; only what was saved goes onto the undo stack."""
        try:
            command.perform()
        except (sqlite3.Error, OSError, ValueError) as e:
            self.saved_label.setText("Not saved")
            inform(self, "Not saved", f"This change could not be saved: {e}", warning=True)
            return False
        self.undo_stack.push(command)
        return True

    def _on_change(self, change: Change) -> None:
        if change.annotator_uuid == self.annotator.uuid and change.document_id is not None:
            if change.document_id != self.document_id and (change.added or change.removed):
                self.open_document(change.document_id)  # undo/redo elsewhere: go and show it
            elif change.document_id == self.document_id:
                for span in change.removed:
                    self.view.remove_span(span)
                for span in change.added:
                    self.view.add_span(span)
        self.documents.apply(change)
        self._update_status()
        self.saved_label.setText("All changes saved")

    def _span_selected(self, span: Span | None) -> None:
        if span is None:
            self.statusBar().clearMessage()
            return
        label = next((lb.name for lb in self.labels if lb.uuid == span.label_uuid), "?")
        excerpt = span.text if len(span.text) < 60 else span.text[:57] + "…"
        self.statusBar().showMessage(f"{label}: “{excerpt}”  (Delete removes it)")

    # --- people -------------------------------------------------------------------------
    def change_annotator(self) -> None:
        name = AnnotatorDialog.ask(self, self.annotator.name,
                                   [a.name for a in self.store.annotators()])
        if name and name != self.annotator.name:
            self.switch_annotator(name)

    def switch_annotator(self, name: str) -> None:
        self.annotator = annotator_service.switch_to(self.store, name)
        self.undo_stack.clear()  # commands belong to the annotator who made them
        self.documents.reload(self.annotator.uuid)
        self._update_title()
        if self.document_id is not None:
            self.open_document(self.document_id)

    # --- files --------------------------------------------------------------------------
    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import reviews", "", "Reviews (*.txt *.md *.jsonl);;All files (*)")
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of reviews")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> ImportReport:
        report = import_paths(self.store, [Path(p) for p in paths],
                              ImportOptions(who=self.annotator))
        if report.new_labels:
            self._make_label_actions()
        self.documents.reload()
        if report.document_ids:
            self.open_document(report.document_ids[0])
        elif self.document_id is not None:
            self.open_document(self.document_id)
        else:
            self._open_first()
        lines = [f"Imported {report.total('documents')} documents with "
                 f"{report.total('spans')} spans."]
        duplicates = sum(len(f.duplicates) for f in report.files)
        if duplicates:
            lines.append(f"{duplicates} already in the database (skipped).")
        if report.new_labels:
            lines.append(f"New labels: {', '.join(report.new_labels)}.")
        for f in report.files:
            lines += [str(e) for e in f.errors] + [f"{f.path}, {n}" for n in f.notes]
        inform(self, "Import", "\n".join(lines), warning=bool(report.failed))
        return report

    def export_jsonl(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export annotations", "annotations.jsonl",
                                              "JSON Lines (*.jsonl)")
        if not path:
            return
        try:
            report = export(self.store, "jsonl", path)
        except (ExportError, OSError, sqlite3.Error) as e:
            inform(self, "Export failed", str(e), warning=True)
            return
        self.statusBar().showMessage(
            f"Exported {report.documents} documents with {report.spans} spans to {path}", 8000)

    def delete_document(self) -> None:
        if self.document_id is None:
            return
        doc = self.store.document(self.document_id)
        spans = len(self.store.spans(self.document_id))
        if confirm(self, "Delete document",
                   f"Delete “{doc.title}” and its {spans} spans (all annotators)? "
                   "This cannot be undone."):
            self._delete([self.document_id])

    def remove_samples(self) -> None:
        ids = self.store.sample_document_ids()
        if not ids:
            inform(self, "Sample reviews", "There are no sample reviews left.")
            return
        if confirm(self, "Remove sample reviews",
                   f"Remove the {len(ids)} sample reviews and their spans? "
                   "Your own imports stay."):
            self._delete(ids)

    def _delete(self, ids: list[int]) -> None:
        row = self.list_view.currentIndex().row()
        try:
            change = delete_documents(self.store, ids, self.annotator)
        except sqlite3.Error as e:
            inform(self, "Not deleted", f"Nothing was deleted: {e}", warning=True)
            return
        self.undo_stack.clear()  # commands may refer to the deleted spans
        self.bus.changed.emit(change)  # the list reloads, like after any other edit
        self.open_row(min(max(row, 0), self.documents.rowCount() - 1))

    # --- chrome -------------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"Annotator — {self.annotator.name}")
        self.who_label.setText(f"Annotator: {self.annotator.name}")

    def _update_status(self) -> None:
        total = self.documents.rowCount()
        self.progress_label.setText(f"{self.documents.done_count()} of {total} documents done")
        self.spans_label.setText(f"{len(self.view.spans)} spans in this document")

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
