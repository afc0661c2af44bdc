"""The main window: wires the document list, the document pane, the span table and menus."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from html import escape

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QToolBar,
)

from annotator.domain.changes import Change
from annotator.domain.disagreement import disagreements, next_from
from annotator.domain.model import Label, Span, Status
from annotator.domain.words import move_edge, snap_to_words
from annotator.services import adjudication, annotations
from annotator.services import annotators as annotator_service
from annotator.services.documents import delete_documents
from annotator.services.exporting import ExportError
from annotator.services.importing import ImportReport
from annotator.store.repository import Store

from .commands import (
    AcceptSpans,
    AddSpan,
    DeleteSpans,
    EditLabels,
    EditSpan,
    ServiceCommand,
    SetStatus,
)
from .dialogs.agreement_window import AgreementWindow
from .dialogs.annotator_dialog import AnnotatorDialog
from .dialogs.export_dialog import ExportDialog
from .dialogs.import_options import ImportOptionsDialog, remembered
from .dialogs.import_summary import ImportSummary
from .dialogs.label_dialog import LabelDialog
from .dialogs.messages import confirm, inform
from .dialogs.note_dialog import NoteDialog
from .events import ChangeBus
from .export_runner import run_export
from .icons import app_icon, swatch
from .import_runner import run_import
from .models.document_list import DocumentListModel
from .views.document_list_panel import DocumentListPanel
from .views.document_view import DocumentView, ViewState
from .views.span_panel import SpanPanel

LAST_DOCUMENT = "last_document"
BLIND = "blind"  # a database setting: the team's policy, not one person's preference
ADJUDICATOR = "adjudicator"  # who last worked as gold: named in the log after a restart
NEW_ANNOTATOR = "New annotator…"
EDGE_KEYS = (  # (menu text, edge, step, key)
    ("Move span end &right", "end", 1, "Shift+Alt+Right"),
    ("Move span end &left", "end", -1, "Shift+Alt+Left"),
    ("Move span start &earlier", "start", -1, "Shift+Alt+Up"),
    ("Move span start &later", "start", 1, "Shift+Alt+Down"),
)


class MainWindow(QMainWindow):
    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.bus = ChangeBus(self)
        self.undo_stack = QUndoStack(self)
        self.annotator = annotator_service.current(store)
        self.adjudicator = self.annotator  # who is working when the annotator is gold
        if self.annotator.name == adjudication.GOLD:  # a restart in the middle of adjudicating
            self.adjudicator = store.annotator(store.setting(ADJUDICATOR, "") or "") or \
                annotator_service.find_or_create(store, annotator_service.os_user_name())
        self._last_disagreement: str | None = None
        self.labels: list[Label] = store.labels()
        self.document_id: int | None = None
        self.text = ""
        self.view_states: dict[int, ViewState] = {}
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks)

        self.view = DocumentView(self)
        self.view.setObjectName("documentView")
        self.view.span_selected.connect(self._span_selected)
        self.setCentralWidget(self.view)

        self.documents = DocumentListModel(store, self.annotator.uuid, self)
        self.document_panel = DocumentListPanel(self.documents, self)
        self.document_panel.document_chosen.connect(self._document_chosen)
        self.list_view = self.document_panel.table
        self.documents_dock = self._dock("Documents", "documentsDock", self.document_panel,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)

        self.span_panel = SpanPanel(self)
        self.span_panel.span_chosen.connect(self._span_chosen)
        self.span_panel.delete_requested.connect(self.delete_spans)
        self.spans_dock = self._dock("Spans", "spansDock", self.span_panel,
                                     Qt.DockWidgetArea.RightDockWidgetArea)

        self.snap = QSettings().value("edit/snap_to_words", True, type=bool)
        self.blind = store.setting(BLIND, "1") == "1"
        self._make_actions()
        self._make_status_bar()
        self.bus.changed.connect(self._on_change)
        self.bus.failed.connect(self._not_saved)
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self.resizeDocks([self.documents_dock, self.spans_dock], [420, 320],
                         Qt.Orientation.Horizontal)
        self._restore_geometry()
        self.view.set_zoom(QSettings().value("view/zoom", 0, type=int))
        self.setAcceptDrops(True)
        self._update_title()
        self._open_first()

    def _dock(self, title: str, name: str, widget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    # --- construction -------------------------------------------------------------------
    def _make_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self._action(file_menu, "&Import files…", self.import_files, QKeySequence.StandardKey.Open)
        self._action(file_menu, "Import &folder…", self.import_folder)
        self._action(file_menu, "&Export…", self.export_dataset, "Ctrl+E")
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
        self.note_action = self._action(edit, "Edit &note…", self.edit_note, "N")
        self._on_view(self.note_action)
        self.edge_actions = []
        for text, edge, step, key in EDGE_KEYS:
            action = self._action(edit, text, lambda e=edge, s=step: self.move_edge(e, s), key)
            self._on_view(action)
            self.edge_actions.append(action)
        edit.addSeparator()
        self.accept_action = self._action(edit, "&Accept span into gold", self.accept_span, "A")
        self._on_view(self.accept_action)
        self.accept_all_action = self._action(edit, "Accept all spans in the se&lection",
                                              self.accept_selection, "Shift+A")
        self._on_view(self.accept_all_action)
        edit.addSeparator()
        self.snap_action = self._action(edit, "&Snap selections to whole words",
                                        self.toggle_snap)
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(self.snap)
        self.snap_action.setToolTip("Off, or hold Alt while selecting: exact characters.")

        view_menu = menu.addMenu("&View")
        self._action(view_menu, "Zoom &in", lambda: self.zoom(1),
                     [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self._action(view_menu, "Zoom &out", lambda: self.zoom(-1),
                     QKeySequence.StandardKey.ZoomOut)
        self._action(view_menu, "&Actual size", lambda: self.zoom(None), "Ctrl+0")
        view_menu.addSeparator()
        self.blind_action = self._action(view_menu, "&Blind annotation (only my spans)",
                                         self.toggle_blind)
        self.blind_action.setCheckable(True)
        self.blind_action.setChecked(self.blind)
        self.compare_action = self._action(view_menu, "&Compare with other annotators",
                                           self.toggle_compare, "Ctrl+Shift+C")
        self.compare_action.setCheckable(True)
        self.compare_action.setEnabled(not self.blind)
        self._action(view_menu, "&Next disagreement", lambda: self.step_disagreement(1), "F8")
        self._action(view_menu, "P&revious disagreement", lambda: self.step_disagreement(-1),
                     "Shift+F8")
        view_menu.addSeparator()
        self._action(view_menu, "Spoiler &shield preview…", self.spoiler_shield,
                     "Ctrl+Shift+P")
        view_menu.addSeparator()
        view_menu.addAction(self.documents_dock.toggleViewAction())
        view_menu.addAction(self.spans_dock.toggleViewAction())

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
        self.edit_labels_action = QAction("&Edit labels…", self)
        self.edit_labels_action.triggered.connect(lambda _=False: self.edit_labels())
        self._make_label_actions()

        who = menu.addMenu("&Annotator")
        self._action(who, "&Change annotator…", self.change_annotator)
        self._action(who, "A&djudicate into gold", self.adjudicate)
        self._action(who, "&Agreement…", lambda: AgreementWindow.show_for(
            self.store, self, self.show_in_compare, self.bus.changed), "Ctrl+Shift+A")
        self.who_bar = QToolBar("Annotator", self)
        self.who_bar.setObjectName("annotatorBar")
        self.who_bar.addWidget(QLabel(" Annotator: ", self))
        self.who_box = QComboBox(self)
        self.who_box.setObjectName("annotatorBox")
        self.who_box.setMinimumContentsLength(12)
        self.who_box.activated.connect(self._who_chosen)
        self.who_bar.addWidget(self.who_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.who_bar)
        self._fill_who_box()

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
        self.span_panel.set_labels(self.labels)
        self._span_context()
        for label in self.labels:
            text = f"{label.name}  ({label.shortcut})" if label.shortcut else label.name
            action = QAction(swatch(label.colour), text, self)
            # Names and guidelines may come from imported files: escaped, never markup.
            key = f"<br>Key: {label.shortcut}" if label.shortcut else ""
            action.setToolTip(f"<p><b>{escape(label.name)}</b>: "
                              f"{escape(label.description)}{key}</p>")
            action.setStatusTip(label.description)
            if label.shortcut:
                action.setShortcut(QKeySequence(label.shortcut))
            action.triggered.connect(lambda _=False, lb=label: self.apply_label(lb))
            self._on_view(action)
            self.toolbar.addAction(action)
            self.labels_menu.addAction(action)
            self.label_actions[label.name] = action
        self.labels_menu.addSeparator()
        self.labels_menu.addAction(self.edit_labels_action)
        self.view.menu_actions = [*self.label_actions.values(), None, self.note_action,
                                  self.delete_action]

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
        metrics = self.fontMetrics()
        for w, widest in ((self.who_label, ""),
                          (self.progress_label, "88888 of 88888 documents done"),
                          (self.spans_label, "88888 spans in this document"),
                          (self.saved_label, "All changes saved")):
            w.setContentsMargins(10, 0, 10, 0)
            if widest:  # a steady width: a count going up must not re-lay out the window
                w.setMinimumWidth(metrics.horizontalAdvance(widest) + 20)
            bar.addPermanentWidget(w)

    # --- navigation ---------------------------------------------------------------------
    def _open_first(self) -> None:
        last = self.store.setting(LAST_DOCUMENT)
        row = self.documents.row_of(int(last)) if last and last.isdigit() else -1
        if row < 0 and self.documents.rowCount():
            row = 0
        self.open_row(row)
        self.view.setFocus()

    def open_row(self, row: int) -> None:
        if not 0 <= row < self.documents.rowCount():
            self._remember_place()
            self.document_id = None
            self.text = ""
            self.view.show_document(None, "", [])
            self.span_panel.model.set_spans([])
            self.view.setPlaceholderText("No documents yet: use File → Import to add reviews, "
                                         "or drop files here.")
            self._update_status()
            return
        self.open_document(self.documents.ids[row])

    def open_document(self, doc_id: int) -> None:
        doc = self.store.document(doc_id)
        if doc is None:
            return
        self._remember_place()  # also when reopening the same document after an edit
        self.document_id = doc_id
        self.text = doc.text
        mine = self.store.spans(doc_id, self.annotator.uuid)
        others = self._others(doc_id)
        self.view.show_document(doc_id, doc.text, mine, others)
        self.view.set_others(others, self._names())
        self._flag_disagreements()
        self.span_panel.model.set_spans(mine + others)
        state = self.view_states.get(doc_id)
        if state is not None:
            self.view.restore(state)
        self.store.set_setting(LAST_DOCUMENT, str(doc_id))
        if self.document_panel.current_document() != doc_id:
            self.document_panel.select_document(doc_id)
        self._update_status()

    def _document_chosen(self, doc_id: int) -> None:
        if doc_id != self.document_id:
            self.open_document(doc_id)

    def _remember_place(self) -> None:
        if self.document_id is not None:
            self.view_states[self.document_id] = self.view.state()

    def _others(self, doc_id: int) -> list[Span]:
        if not self.compare_action.isChecked():
            return []
        return [s for s in self.store.spans(doc_id) if s.annotator_uuid != self.annotator.uuid]

    def _names(self) -> dict[str, str]:
        return {a.uuid: a.name for a in self.store.annotators()}

    def _span_context(self) -> None:
        self.span_panel.model.set_context(self.labels, self._names(), self.annotator.uuid)

    def _current_row(self) -> int:
        return self.documents.row_of(self.document_id) if self.document_id is not None else -1

    def step(self, delta: int) -> None:
        row = self._current_row() + delta
        if 0 <= row < self.documents.rowCount():
            self.open_document(self.documents.ids[row])
            self.view.setFocus()

    # --- editing ------------------------------------------------------------------------
    def apply_label(self, label: Label) -> None:
        """Label the selected text; with no text selected, relabel the selected span."""
        if self.document_id is None:
            return
        selection = self.view.selection_range()
        if selection is None:
            span = self.view.selected_span()
            if span is None:
                self.statusBar().showMessage(
                    f"Select some text first, then press {label.shortcut or label.name}.", 4000)
            elif span.label_uuid != label.uuid:
                new = annotations.edited(span, self.text, label_uuid=label.uuid)
                self._run(EditSpan(self.store, self.bus, self.annotator, span, new,
                                   f"relabel span as {label.name}"))
            return
        start, end = selection
        if self.snap and not self.view.exact_selection:
            start, end = snap_to_words(self.text, start, end)
        if not self.text[start:end].strip():
            self.statusBar().showMessage("The selection is only white space.", 4000)
            return
        command = AddSpan(self.store, self.bus, self.annotator, self.document_id, label, start,
                          end)
        if self._run(command):
            self.view.select_span(command.span)  # ready for N, a relabel or an edge move

    def _selected_span(self, then: str) -> Span | None:
        """The selected span, or None after saying how to select one."""
        span = self.view.selected_span()
        if span is None:
            self.statusBar().showMessage(f"Click a highlighted span first, then {then}.", 4000)
        return span

    def delete_selected_span(self) -> None:
        span = self._selected_span("press Delete")
        if span is not None:
            self.delete_spans([span.uuid])

    def delete_spans(self, uuids: list[str]) -> None:
        mine = [self.view.spans[u] for u in uuids if u in self.view.spans]
        if len(mine) < len(uuids):
            self.statusBar().showMessage("Other annotators' spans are theirs to delete.", 4000)
        if mine:
            text = (f"delete {self._label_name(mine[0])} span" if len(mine) == 1
                    else f"delete {len(mine)} spans")
            self._run(DeleteSpans(self.store, self.bus, self.annotator, mine, text))

    def edit_note(self) -> None:
        span = self._selected_span("press N to write a note")
        if span is None:
            return
        note = NoteDialog.ask(self, self._label_name(span), span.text, span.note or "")
        if note is None or (note.strip() or None) == span.note:
            return
        new = annotations.edited(span, self.text, note=note)
        self._run(EditSpan(self.store, self.bus, self.annotator, span, new,
                           "edit note" if note.strip() else "remove note"))

    def move_edge(self, edge: str, step: int) -> None:
        span = self._selected_span("Shift+Alt+arrows move its edges")
        if span is None:
            return
        moved = move_edge(self.text, span.start, span.end, edge, step, by_word=self.snap)
        if moved is None:
            return
        new = annotations.edited(span, self.text, start=moved[0], end=moved[1])
        self._run(EditSpan(self.store, self.bus, self.annotator, span, new,
                           f"move {self._label_name(span)} span {edge}"))

    def mark_done_and_next(self) -> None:
        if self.document_id is None:
            return
        if not self._run(SetStatus(self.store, self.bus, self.annotator, self.document_id,
                                   Status.DONE)):
            return
        row = self._current_row()
        for candidate in list(range(row + 1, self.documents.rowCount())) + list(range(row)):
            if self.documents.summary(candidate).status is not Status.DONE:
                self.open_document(self.documents.ids[candidate])
                break
        self.view.setFocus()

    def _run(self, command: ServiceCommand) -> bool:
        """Save first; only what was saved goes onto the undo stack."""
        command.by = self.adjudicator  # the person at the keyboard, also when working as gold
        try:
            command.perform()
        except (sqlite3.Error, OSError, ValueError, LookupError) as e:
            self.saved_label.setText("Not saved")
            inform(self, "Not saved", f"This change could not be saved: {e}", warning=True)
            return False
        self.undo_stack.push(command)
        return True

    def _not_saved(self, message: str) -> None:
        self.saved_label.setText("Not saved")
        inform(self, "Not saved", message, warning=True)

    def _on_change(self, change: Change) -> None:
        if change.labels_changed:
            self._make_label_actions()
            self.documents.reload()
            if self.document_id is not None:
                self.open_document(self.document_id)
        elif change.annotator_uuid == self.annotator.uuid and change.document_id is not None:
            if change.document_id != self.document_id and (change.added or change.removed):
                self.open_document(change.document_id)  # undo/redo elsewhere: go and show it
            elif change.document_id == self.document_id:
                self._show_change(change)
        self.documents.apply(change)
        self._update_status()
        self.saved_label.setText("All changes saved")

    def _show_change(self, change: Change) -> None:
        added = {s.uuid: s for s in change.added}
        for span in change.removed:
            if span.uuid in added:
                self.view.replace_span(span, added.pop(span.uuid))
            else:
                self.view.remove_span(span)
        for span in added.values():
            self.view.add_span(span)
        self.span_panel.apply(change, self.view.selected)
        self._flag_disagreements()

    def _span_selected(self, span: Span | None) -> None:
        self.span_panel.show_span(span.uuid if span else None)
        if span is None:
            self.statusBar().clearMessage()
            return
        excerpt = span.text if len(span.text) < 40 else span.text[:37] + "…"
        note = "  ·  has a note" if span.note else ""
        self.statusBar().showMessage(
            f"{self._label_name(span)}: “{excerpt}”{note}  —  1–9 relabel · Del · N note · "
            "Shift+Alt+arrows edges")

    def _span_chosen(self, uuid: str) -> None:
        span = self.view.spans.get(uuid) or self.view.others.get(uuid)
        if span is None:
            return
        if uuid in self.view.spans:
            self.view.reveal_span(span)
        else:
            self.view.place_cursor(span.start)
            self.view.centerCursor()

    def _label_name(self, span: Span) -> str:
        return next((lb.name for lb in self.labels if lb.uuid == span.label_uuid), "?")

    def toggle_snap(self) -> None:
        self.snap = self.snap_action.isChecked()
        QSettings().setValue("edit/snap_to_words", self.snap)

    # --- labels -------------------------------------------------------------------------
    def edit_labels(self) -> None:
        new = LabelDialog.ask(self, self.labels, self.store.span_counts_by_label())
        if new is not None:
            self._run(EditLabels(self.store, self.bus, self.annotator, new))

    # --- view ---------------------------------------------------------------------------
    def zoom(self, step: int | None) -> None:
        level = self.view.set_zoom(0 if step is None else self.view.zoom + step)
        QSettings().setValue("view/zoom", level)

    def toggle_blind(self, persist: bool = True) -> None:
        """From the menu, blind mode is the team's setting, saved in the database; lifted
        for comparing or adjudicating, it is lifted for this session only."""
        self.blind = self.blind_action.isChecked()
        if persist:
            self.store.set_setting(BLIND, "1" if self.blind else "0")
        self.compare_action.setEnabled(not self.blind)
        if self.blind and self.compare_action.isChecked():
            self.compare_action.setChecked(False)
            self.toggle_compare()

    def toggle_compare(self) -> None:
        if self.document_id is not None:
            self._remember_place()
            self.open_document(self.document_id)
        shown = "shown, outlined" if self.compare_action.isChecked() else "hidden"
        self.statusBar().showMessage(f"Other annotators' spans {shown}.", 4000)

    def show_in_compare(self, document_id: int) -> None:
        """Open a document with everyone's spans outlined (from the agreement window)."""
        self._compare_now()
        self.open_document(document_id)
        self.statusBar().showMessage("Comparing: other annotators' spans shown, outlined.",
                                     4000)
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def _compare_now(self) -> None:
        """Compare mode on, blind mode lifted for this session (not the saved setting)."""
        if self.blind_action.isChecked():  # blind hides the others; comparing needs them
            self.blind_action.setChecked(False)
            self.toggle_blind(persist=False)
        if not self.compare_action.isChecked():
            self.compare_action.setChecked(True)
            self.toggle_compare()

    # --- disagreements and adjudication ------------------------------------------------
    def _disagreements(self) -> list[Span]:
        """Spans in this document not every annotator made. Gold, the result of
        adjudication, is no opinion of its own: it is left out, whoever is looking.
        Empty unless comparing."""
        if not self.compare_action.isChecked():
            return []
        gold = self.store.annotator_by_name(adjudication.GOLD)
        gold_uuid = gold.uuid if gold else None
        by_annotator: dict[str, list[Span]] = {}
        if self.annotator.uuid != gold_uuid:
            by_annotator[self.annotator.uuid] = []
        for span in [*self.view.spans.values(), *self.view.others.values()]:
            if span.annotator_uuid != gold_uuid:
                by_annotator.setdefault(span.annotator_uuid, []).append(span)
        return disagreements(by_annotator)

    def _flag_disagreements(self) -> None:
        self.view.set_disputed({s.uuid for s in self._disagreements()})

    def step_disagreement(self, step: int) -> None:
        """Go to the next (or previous) span that not every annotator made exactly."""
        if not self.compare_action.isChecked():
            self.statusBar().showMessage(
                "Turn on View → Compare with other annotators to step through "
                "disagreements.", 5000)
            return
        found = self._disagreements()
        if not found:
            self.statusBar().showMessage("No disagreements in this document.", 5000)
            return
        position = self.view.selection_range() or (self.view.cursor_position(),)
        span = next_from(found, position[0], step, self._last_disagreement)
        self._last_disagreement = span.uuid
        if span.uuid in self.view.spans:
            self.view.reveal_span(span)
        else:
            self.view.place_cursor(span.start)
            self.view.centerCursor()
        names = self._names()
        excerpt = span.text if len(span.text) < 40 else span.text[:37] + "…"
        self.statusBar().showMessage(
            f"Disagreement {found.index(span) + 1} of {len(found)}: "
            f"{names.get(span.annotator_uuid, '?')}'s {self._label_name(span)} “{excerpt}”")

    def adjudicate(self) -> None:
        """Work as gold: everyone's spans shown, A accepts one into gold, Shift+A all in a
        selection; gold spans are edited like one's own. The change log names who."""
        if self.annotator.name != adjudication.GOLD:
            self.adjudicator = self.annotator
            self.store.set_setting(ADJUDICATOR, self.adjudicator.uuid)  # for a restart
            self.switch_annotator(adjudication.GOLD)
        self._compare_now()
        self.statusBar().showMessage(
            f"Adjudicating into gold as {self.adjudicator.name}: A accepts the span at the "
            "cursor, Shift+A every span in the selection; F8 goes to the next disagreement.")

    def _adjudicating(self) -> bool:
        if self.annotator.name == adjudication.GOLD:
            return True
        self.statusBar().showMessage(
            "Accepting spans builds the gold set: choose Annotator → Adjudicate into gold "
            "first.", 5000)
        return False

    def accept_span(self) -> None:
        if not self._adjudicating():
            return
        position = self.view.cursor_position()
        covering = sorted((s for s in self.view.others.values() if s.covers(position)),
                          key=lambda s: (s.end - s.start, s.start))
        self._accept(covering[:1], "Put the cursor in another annotator's span to accept it.")

    def accept_selection(self) -> None:
        if not self._adjudicating():
            return
        chosen = self.view.selection_range()
        if chosen is None:
            self.statusBar().showMessage("Select a stretch of text first.", 4000)
            return
        start, end = chosen
        self._accept([s for s in self.view.others.values() if s.start < end and s.end > start],
                     "No other annotator's span in the selection.")

    def _accept(self, spans: list[Span], none_there: str) -> None:
        have = {(s.label_uuid, s.start, s.end) for s in self.view.spans.values()}
        fresh = list({(s.label_uuid, s.start, s.end): s for s in spans
                      if (s.label_uuid, s.start, s.end) not in have}.values())
        if not spans or not fresh:
            self.statusBar().showMessage(none_there if not spans else
                                         "Already in gold.", 4000)
            return
        text = (f"accept {self._label_name(fresh[0])} span into gold" if len(fresh) == 1
                else f"accept {len(fresh)} spans into gold")
        self._run(AcceptSpans(self.store, self.bus, self.annotator, self.adjudicator, fresh,
                              text))

    def spoiler_shield(self) -> None:
        from .dialogs.spoiler_shield import SpoilerShield

        if self.document_id is None:
            return
        doc = self.store.document(self.document_id)
        self.shield = SpoilerShield.show_for(self, doc.title, doc.text, self.labels,
                                             list(self.view.spans.values()))

    # --- people -------------------------------------------------------------------------
    def _fill_who_box(self) -> None:
        self.who_box.blockSignals(True)
        self.who_box.clear()
        self.who_box.addItems([a.name for a in self.store.annotators()])
        self.who_box.insertSeparator(self.who_box.count())
        self.who_box.addItem(NEW_ANNOTATOR)
        self.who_box.setCurrentText(self.annotator.name)
        self.who_box.blockSignals(False)

    def _who_chosen(self, index: int) -> None:
        name = self.who_box.itemText(index)
        if name == NEW_ANNOTATOR:
            self.change_annotator()
        elif name and name != self.annotator.name:
            self.switch_annotator(name)
        self._fill_who_box()

    def change_annotator(self) -> None:
        name = AnnotatorDialog.ask(self, self.annotator.name,
                                   [a.name for a in self.store.annotators()])
        if name and name != self.annotator.name:
            self.switch_annotator(name)

    def switch_annotator(self, name: str) -> None:
        self.annotator = annotator_service.switch_to(self.store, name)
        if name != adjudication.GOLD:
            self.adjudicator = self.annotator
        self.undo_stack.clear()  # commands belong to the annotator who made them
        self.view_states.clear()
        self.documents.reload(self.annotator.uuid)
        self._span_context()
        self._fill_who_box()
        self._update_title()
        if self.document_id is not None:
            self.open_document(self.document_id)

    # --- files --------------------------------------------------------------------------
    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import reviews", "",
            "Reviews and annotations (*.txt *.md *.html *.htm *.json *.jsonl *.csv *.tsv "
            "*.ann *.zip);;All files (*)")
        if paths:
            self.import_paths(paths, ask=True)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of reviews")
        if folder:
            self.import_paths([folder], ask=True)

    def import_paths(self, paths: list[str], ask: bool = False) -> ImportReport | None:
        """Import with the options last chosen; `ask` shows them first. Without asking, the
        format is always told by extension and content: a format forced for one import
        must not silently apply to files dropped later."""
        if ask:
            options = ImportOptionsDialog.ask(len(paths), self)
        else:
            options = remembered()
            options = replace(options, read=replace(options.read, format=None))
        if options is None:
            return None
        report = run_import(self, self.store, paths, self.annotator, options)
        if report.new_labels:
            self._make_label_actions()
        self.documents.reload()
        self._fill_who_box()
        self._span_context()
        if report.document_ids:
            self.open_document(report.document_ids[0])
        elif self.document_id is not None:
            self.open_document(self.document_id)
        else:
            self._open_first()
        self.show_import_summary(report)
        return report

    def show_import_summary(self, report: ImportReport) -> None:
        """A seam for tests: the dialog waits for the user."""
        ImportSummary.show_for(report, self)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def export_dataset(self) -> None:
        chosen = ExportDialog.ask(self.store, self)
        if chosen is None:
            return
        fmt, options, destination = chosen
        try:
            report = run_export(self, self.store, fmt, destination, options)
        except (ExportError, OSError, sqlite3.Error) as e:
            inform(self, "Export failed", str(e), warning=True)
            return
        lines = [f"Wrote {report.documents:,} documents with {report.spans:,} spans to "
                 f"{destination}."]
        if report.splits:
            lines.append("Splits: " + ", ".join(f"{name} {n:,} documents"
                                                for name, n in report.splits.items()) + ".")
        lines += [f"Not written: {n:,} span{'s' * (n != 1)}: {why}."
                  for why, n in report.not_written.items()]
        lines += [f"Written changed: {n:,} span{'s' * (n != 1)}: {why}."
                  for why, n in report.adjusted.items()]
        inform(self, "Export finished", "\n".join(lines), warning=bool(report.not_written))

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
        row = self._current_row()
        try:
            change = delete_documents(self.store, ids, self.annotator)
        except sqlite3.Error as e:
            inform(self, "Not deleted", f"Nothing was deleted: {e}", warning=True)
            return
        self.undo_stack.clear()  # commands may refer to the deleted spans
        for doc_id in ids:
            self.view_states.pop(doc_id, None)
        still_open = self.document_id not in ids
        if not still_open:
            self.document_id = None
        self.bus.changed.emit(change)  # the list reloads, like after any other edit
        if still_open and self.document_id is not None:
            self.open_document(self.document_id)
        else:
            self.open_row(min(max(row, 0), self.documents.rowCount() - 1))

    # --- chrome -------------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"Annotator — {self.annotator.name}")
        self.who_label.setText(f"Annotator: {self.annotator.name}")

    def _update_status(self) -> None:
        total = self.documents.total
        self.progress_label.setText(f"{self.documents.done_count()} of {total} documents done")
        self.spans_label.setText(f"{len(self.view.spans)} spans in this document")

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        super().closeEvent(event)
