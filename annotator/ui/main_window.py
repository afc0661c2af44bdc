"""The main window: wires the document list, the document pane, the span table and menus."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.changes import Change
from annotator.domain.disagreement import next_from
from annotator.domain.errors import AnnotatorError, StoreError
from annotator.domain.model import Annotator, Document, Label, Span, Status
from annotator.domain.search import count_hits, hit_ranges, last_hit_before
from annotator.io.registry import file_dialog_filter
from annotator.workspace import Workspace

if TYPE_CHECKING:
    from annotator.services.importing import ImportReport

from .dialogs.messages import confirm, inform

# The other dialogs are imported where they are first opened: loading them all at start-up
# cost ~30 ms of the ~300 ms a cold start takes (make bench, "cold start").
from .events import ChangeBus
from .help import Help
from .icons import app_icon, swatch
from .models.document_list import DocumentListModel
from .plain import tooltip
from .runner import Runner
from .suggesting import Suggesting
from .team import Team
from .undo import UndoActions
from .views.banner import Banner
from .views.document_list_panel import DocumentListPanel
from .views.document_view import DocumentView, ViewState
from .views.span_panel import SpanPanel

NEW_ANNOTATOR = "New annotator…"
# Search hits outlined in one document at a time, at most: 10,000 from where the reader
# is (a 10 MB review with 260,000 matches of a common word takes 0.2 s to search whole;
# these take 20 ms). F3 past them finds the next and outlines the 10,000 from there.
MOST_HITS = 10_000
HIT_MARGIN = 20_000  # code points before the hit stepped to: hits above it outlined too
WATCH_EVERY_MS = 2000  # how often the window looks for other programs' changes
EDGE_KEYS = (  # (menu text, edge, step, key)
    ("Move span end &right", "end", 1, "Shift+Alt+Right"),
    ("Move span end &left", "end", -1, "Shift+Alt+Left"),
    ("Move span start &earlier", "start", -1, "Shift+Alt+Up"),
    ("Move span start &later", "start", 1, "Shift+Alt+Down"),
)


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.bus = ChangeBus(workspace, self)
        self.runner = Runner(workspace, self)
        self.undo = UndoActions(workspace, self.bus, self)
        self._last_disagreement: str | None = None
        self.labels: list[Label] = workspace.labels()
        self.document_id: int | None = None
        self.text = ""
        self.view_states: dict[int, ViewState] = {}
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks)

        self.view = DocumentView(self)
        self.view.setObjectName("documentView")
        self.view.span_selected.connect(self._span_selected)
        self._make_banners()

        self.documents = DocumentListModel(workspace, self.annotator.uuid, self)
        self.document_panel = DocumentListPanel(self.documents, self)
        self.document_panel.document_chosen.connect(self._document_chosen)
        self.document_panel.filter_applied.connect(self._show_hits)
        self._hit_window = (0, 0)  # code points where every hit is in view.hits
        self._hit_total: int | None = None  # hits in the document, once counted
        self.list_view = self.document_panel.table
        self.documents_dock = self._dock("Documents", "documentsDock", self.document_panel,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)

        self.span_panel = SpanPanel(self)
        self.span_panel.span_chosen.connect(self._span_chosen)
        self.span_panel.delete_requested.connect(self.delete_spans)
        self.spans_dock = self._dock("Spans", "spansDock", self.span_panel,
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        self.team = Team(self)  # the guidelines beside the document, the Team menu
        self.suggesting = Suggesting(self)  # trains in the background, Tab/Enter/Backspace

        self.snap = bool(QSettings().value("edit/snap_to_words", True, type=bool))
        self.blind = workspace.blind_policy
        self._make_actions()
        self._make_status_bar()
        self.bus.changed.connect(self._on_change)
        self.bus.failed.connect(self._not_saved)
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self.resizeDocks([self.documents_dock, self.spans_dock], [420, 320],
                         Qt.Orientation.Horizontal)
        self._restore_geometry()
        zoom = QSettings().value("view/zoom", 0, type=int)
        self.view.set_zoom(zoom if isinstance(zoom, int) else 0)
        self.setAcceptDrops(True)
        self._update_title()
        self._show_database_state()
        self._open_first()
        # Another window or an import on the command line may write to the same database:
        # looked for every two seconds (one cheap query), and shown like any other change.
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_EVERY_MS)
        self.watch_timer.timeout.connect(self.look_for_changes_elsewhere)
        self.watch_timer.start()
        if workspace.user_state.problem:  # who you are cannot be remembered: say it once
            self.statusBar().showMessage(_sentence(workspace.user_state.problem), 15000)

    def _make_banners(self) -> None:
        """Strips above the document, hidden until there is something to say: the
        database's state (damaged, or open for reading only), the open document's text
        when it is not the text imported, and what opening the database noted."""
        self.state_banner = Banner(self)
        self.text_banner = Banner(self)
        self.note_banners: list[Banner] = []
        self._text_checked: int | None = None  # the document whose text was last checked
        central = QWidget(self)
        self.central_layout = layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.state_banner)
        layout.addWidget(self.text_banner)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self._show_notes()

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
        self._action(file_menu, "Open &database…", self.open_database, "Ctrl+Shift+O")
        file_menu.addSeparator()
        self._action(file_menu, "&Import files…", self.import_files, QKeySequence.StandardKey.Open)
        self._action(file_menu, "Import &folder…", self.import_folder)
        self._action(file_menu, "&Export…", self.export_dataset, "Ctrl+E")
        file_menu.addSeparator()
        self.backups_action = self._action(file_menu, "&Backups…", self.show_backups)
        file_menu.addSeparator()
        self._action(file_menu, "&Delete document…", self.delete_document)
        self._action(file_menu, "Remove &sample reviews…", self.remove_samples)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit = menu.addMenu("&Edit")
        for action in (self.undo.undo_action, self.undo.redo_action):
            edit.addAction(action)
            self.addAction(action)
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
        self._action(view_menu, "Next search &hit", lambda: self.step_hit(1), "F3")
        self._action(view_menu, "Previous search hi&t", lambda: self.step_hit(-1), "Shift+F3")
        view_menu.addSeparator()
        self._action(view_menu, "Spoiler &shield preview…", self.spoiler_shield,
                     "Ctrl+Shift+P")
        view_menu.addSeparator()
        self.suggesting.add_to_menu(view_menu)
        view_menu.addSeparator()
        view_menu.addAction(self.documents_dock.toggleViewAction())
        view_menu.addAction(self.spans_dock.toggleViewAction())
        view_menu.addAction(self.team.dock.toggleViewAction())

        document = menu.addMenu("&Document")
        self.done_action = self._action(document, "Mark &done and open next",
                                        self.mark_done_and_next, "Ctrl+Return")
        self._action(document, "&Rename…", self.rename_document, "F2")
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
        self._action(who, "&Agreement…", self.show_agreement, "Ctrl+Shift+A")
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
        self.team.make_menu()
        self.help = Help(self)
        self.help.make_menu()

    def _make_label_actions(self) -> None:
        """One action per label: toolbar button, menu entry and key. Rebuilt when labels change."""
        for action in self.label_actions.values():
            self.view.removeAction(action)
            action.deleteLater()
        self.toolbar.clear()
        self.labels_menu.clear()
        self.label_actions.clear()
        self.labels = self.workspace.labels()
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
                          (self.progress_label, "88888 of 88888 done"),
                          (self.spans_label, "88888 spans"),
                          (self.saved_label, "All changes saved")):
            w.setTextFormat(Qt.TextFormat.PlainText)  # an annotator's name is typed text
            w.setContentsMargins(10, 0, 10, 0)
            if widest:  # a steady width: a count going up must not re-lay out the window
                w.setMinimumWidth(metrics.horizontalAdvance(widest) + 20)
            bar.addPermanentWidget(w)

    # --- navigation ---------------------------------------------------------------------
    def _open_first(self) -> None:
        last = self.workspace.last_document()
        row = self.documents.row_of(last) if last is not None else -1
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
            self._text_checked = None
            self.text_banner.hide()
            self.view.setPlaceholderText("No documents yet: use File → Import to add reviews, "
                                         "or drop files here.")
            self._update_status()
            return
        self.open_document(self.documents.ids[row])

    def open_document(self, doc_id: int) -> None:
        try:
            doc = self.workspace.document(doc_id)
            if doc is None:
                return
            mine = self.workspace.spans(doc_id, self.annotator.uuid)
            others = self._others(doc_id)
            names = self._names()
        except StoreError as e:  # a damaged page of the database holds part of it
            self._unreadable(doc_id, e)
            return
        self._remember_place()  # also when reopening the same document after an edit
        self.document_id = doc_id
        if doc_id != self._text_checked:  # one hash of the text per opening, not per edit
            self._text_checked = doc_id
            self._show_text_check(doc)
        self.text = doc.text
        self.view.show_document(doc_id, doc.text, mine, others)
        self.view.set_others(others, names)
        self._show_hits()
        self._flag_disagreements()
        self.span_panel.model.set_spans(mine + others)
        state = self.view_states.get(doc_id)
        if state is not None:
            self.view.restore(state)
        try:
            self.workspace.remember_document(doc_id)  # the person's own settings
        except StoreError:
            pass  # its id unreadable in a damaged database: not worth a message
        if self.document_panel.current_document() != doc_id:
            self.document_panel.select_document(doc_id)
        self._update_status()
        self.suggesting.document_opened()

    def _unreadable(self, doc_id: int, error: StoreError) -> None:
        """A document the database cannot give back (damaged where it is kept): an empty
        pane and why, instead of a crash; the others can still be read."""
        self._remember_place()
        self.document_id = doc_id
        self._text_checked = None  # tried again when it is opened again
        self.text = ""
        self.view.show_document(doc_id, "", [])
        self.view.setPlaceholderText("This document cannot be read.")
        self.span_panel.model.set_spans([])
        self.text_banner.show_message(
            f"This document cannot be read: {_sentence(str(error))} Restore a backup made "
            "before the damage.", "warning", [("Backups…", lambda: self.show_backups())])
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
        return [s for s in self.workspace.spans(doc_id)
                if s.annotator_uuid != self.annotator.uuid]

    def _names(self) -> dict[str, str]:
        return self.workspace.names()

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
    @property
    def annotator(self) -> Annotator:
        """Whose spans the window edits: gold while adjudicating."""
        return self.workspace.me

    @property
    def adjudicator(self) -> Annotator:
        """The person at the keyboard, named in the change log."""
        return self.workspace.person

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
            else:
                self._edit(lambda: self.workspace.relabel(span.uuid, label.uuid))
            return
        doc_id = self.document_id
        snap = self.snap and not self.view.exact_selection
        change = self._edit(lambda: self.workspace.add_span(doc_id, label.uuid, *selection,
                                                            snap=snap))
        if change is not None:
            self.view.select_span(change.added[0])  # ready for N, a relabel or an edge move

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
        if uuids:
            self._edit(lambda: self.workspace.delete_spans(uuids))

    def edit_note(self) -> None:
        span = self._selected_span("press N to write a note")
        if span is None or not self._writable():
            return
        from .dialogs.note_dialog import NoteDialog
        note = NoteDialog.ask(self, self._label_name(span), span.text, span.note or "")
        if note is not None:
            self._edit(lambda: self.workspace.set_note(span.uuid, note))

    def move_edge(self, edge: str, step: int) -> None:
        span = self._selected_span("Shift+Alt+arrows move its edges")
        if span is not None:
            self._edit(lambda: self.workspace.move_edge(span.uuid, edge, step,
                                                        by_word=self.snap))

    def mark_done_and_next(self) -> None:
        if self.document_id is None:
            return
        doc_id = self.document_id
        if self._edit(lambda: self.workspace.set_status(doc_id, Status.DONE)) is None:
            return
        if self.workspace.adjudicating:  # next: where the annotators disagree
            found = self.workspace.next_to_adjudicate(self.documents.ids, doc_id)
            if found is None:
                self.statusBar().showMessage("No other document has disagreements left to "
                                             "adjudicate.", 6000)
            else:
                self.open_document(found)
            self.view.setFocus()
            return
        row = self._current_row()
        for candidate in list(range(row + 1, self.documents.rowCount())) + list(range(row)):
            if self.documents.summary(candidate).status is not Status.DONE:
                self.open_document(self.documents.ids[candidate])
                break
        self.view.setFocus()

    def _edit(self, operation: Callable[[], Change | None]) -> Change | None:
        """Run one workspace operation. A rule it refuses (another's span, only white
        space) is said in the status bar; a write the database refused, in a message:
        nothing was saved. Anything else is a bug, for the crash report."""
        try:
            change = operation()
        except StoreError as e:
            self._not_saved(f"This change could not be saved: {e}. Nothing was changed.")
            return None
        except AnnotatorError as e:
            self.statusBar().showMessage(_sentence(str(e)), 5000)
            return None
        if change is not None and change.notes:
            self.statusBar().showMessage(" ".join(change.notes), 5000)
        return change

    def look_for_changes_elsewhere(self) -> None:
        """Show what other programs wrote (their Change reaches every view)."""
        if any(task is not self.suggesting.training_task for task in self.runner.tasks):
            return  # our own import or export: its Change comes when it ends
        try:
            change = self.workspace.changes_elsewhere()
        except StoreError:
            return  # busy or unreadable for a moment: the next look will tell
        if change is not None:
            self.statusBar().showMessage("Updated with changes made elsewhere (another "
                                         "window or program).", 4000)

    def _not_saved(self, message: str) -> None:
        if self.workspace.read_only:  # every edit is refused alike, and the banner says why
            self._refuse_read_only()
            return
        self.saved_label.setText("Not saved")
        inform(self, "Not saved", message, warning=True)

    def _on_change(self, change: Change) -> None:
        if change.labels_changed:
            self._make_label_actions()
        self.team.on_change(change)
        if change.annotators_changed:
            self._fill_who_box()
            self._span_context()
        if change.annotators_changed or change.labels_changed:
            self.document_panel.refresh_choices()
        if change.labels_changed or change.documents_changed:
            self.documents.reload()
            if self.document_id is not None and self.workspace.document(
                    self.document_id) is not None:
                self.open_document(self.document_id)
        elif change.title is not None:  # a rename: the list shows the new title
            self.documents.apply(change)
        elif change.annotator_uuid == self.annotator.uuid and change.document_id is not None:
            if change.document_id != self.document_id and (change.added or change.removed):
                self.open_document(change.document_id)  # undo/redo elsewhere: go and show it
            elif change.document_id == self.document_id:
                self._show_change(change)
            self.documents.apply(change)
        self.suggesting.on_change(change)
        self._update_status()
        self.saved_label.setText(self._saved_text())

    def _show_change(self, change: Change) -> None:
        added = {s.uuid: s for s in change.added}
        for span in change.removed:
            if span.uuid in added:
                self.view.replace_span(span, added.pop(span.uuid))
            else:
                self.view.remove_span(span)
        self.view.add_spans(list(added.values()))
        self.span_panel.apply(change, self.view.selected)
        self._flag_disagreements()

    def _span_selected(self, span: Span | None) -> None:
        self.span_panel.show_span(span.uuid if span else None)
        if span is None:
            self.statusBar().clearMessage()
            return
        excerpt = span.text if len(span.text) <= 30 else span.text[:29] + "…"
        note = " · has a note" if span.note else ""
        self.statusBar().showMessage(
            f"{self._label_name(span)}: “{excerpt}”{note} — 1–9 relabel · Del · N note · "
            "Shift+Alt+arrows edges")

    def _span_chosen(self, uuid: str) -> None:
        span = self.view.spans.get(uuid) or self.view.others.get(uuid)
        if span is None:
            return
        if uuid in self.view.spans:
            self.view.reveal_span(span)
        else:
            self.view.show_other(span)
            self.span_panel.show_span(uuid)

    def _label_name(self, span: Span) -> str:
        return next((lb.name for lb in self.labels if lb.uuid == span.label_uuid), "?")

    def toggle_snap(self) -> None:
        self.snap = self.snap_action.isChecked()
        QSettings().setValue("edit/snap_to_words", self.snap)

    # --- labels -------------------------------------------------------------------------
    def edit_labels(self) -> None:
        if not self._writable():
            return
        if self.workspace.bundle is not None:  # the label set is the lead's: say so first
            inform(self, "Labels", self.workspace.bundle.refusal + " Ask the project lead "
                   "for a change to the labels.")
            return
        from .dialogs.label_dialog import LabelDialog
        new = LabelDialog.ask(self, self.labels, self.workspace.span_counts_by_label())
        if new is not None:
            self._edit(lambda: self.workspace.edit_labels(new))

    # --- view ---------------------------------------------------------------------------
    def zoom(self, step: int | None) -> None:
        level = self.view.set_zoom(0 if step is None else self.view.zoom + step)
        QSettings().setValue("view/zoom", level)

    def toggle_blind(self, persist: bool = True) -> None:
        """From the menu, blind mode is the team's policy, saved in the database; lifted
        for comparing or adjudicating, it is lifted for this session only."""
        self.blind = self.blind_action.isChecked()
        if persist:
            try:
                self.workspace.set_blind_policy(self.blind)
            except StoreError as e:
                self._not_saved(f"The team's blind-annotation setting could not be saved: {e}")
            else:  # what the recommenders may learn from has changed: learn again
                self.suggesting.show_open()
                self.suggesting.train()
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

    # --- search hits --------------------------------------------------------------------
    def _show_hits(self, start: int = 0, moving: bool = False) -> None:
        """Highlight in the open document what the list's search found (each word a
        prefix, as the list matched them): the first MOST_HITS hits from `start` (a
        window: F3 moves it along a document with more)."""
        search = self.documents.search
        self._hit_window = (0, 0)
        if not moving:  # another document or search: its hits not counted yet
            self._hit_total = None
        if not search or self.document_id is None:
            self.view.set_hits([])
            return
        hits = hit_ranges(self.text, search, every_word_a_prefix=True, most=MOST_HITS + 1,
                          start=start)
        end = hits[MOST_HITS - 1][1] if len(hits) > MOST_HITS else len(self.text)
        self._hit_window = (start, end)  # every hit starting in here is known
        self.view.set_hits(hits[:MOST_HITS])

    def _hits_around(self, position: int) -> None:
        """A new window of hits, from a little before `position` (those on screen above
        it outlined too)."""
        self._show_hits(max(0, position - HIT_MARGIN), moving=True)
        if not any(a >= position for a, _ in self.view.hits[-1:]):
            self._show_hits(position, moving=True)  # so dense the margin filled the window

    def step_hit(self, step: int) -> None:
        """Go to the next (or previous) search hit in the document, wrapping at the ends."""
        if not self.documents.search:
            self.statusBar().showMessage("Type words in the document list's search box: F3 "
                                         "and Shift+F3 then step through them here.", 5000)
            return
        if not self.view.hits:
            self.statusBar().showMessage("No hits in this document's text (it matches by "
                                         "its title or a span note).", 5000)
            return
        position = self.view.cursor_position()
        number, wrapped = self.view.hit_after(position, step)
        low, high = self._hit_window
        if (low > 0 or high < len(self.text)) and (wrapped or not low <= position <= high):
            number, wrapped = self._step_beyond(position, step)  # outside the hits found
        self.view.show_hit(number)
        self.statusBar().showMessage(self._hit_message(number, wrapped, step), 5000)

    def _step_beyond(self, position: int, step: int) -> tuple[int, bool]:
        """The next hit outside the window of hits found: the window moves to it."""
        search, text = self.documents.search, self.text
        found: int | None
        current = self.view.current_hit
        if step > 0:
            at = self.view.hits[current][0] if current is not None else -1
            after = hit_ranges(text, search, True, most=1,
                               start=position + 1 if at == position else position)
            wrapped = not after
            found = after[0][0] if after else None
            if found is None:  # from the top
                self._show_hits(0, moving=True)
                found = self.view.hits[0][0]
        else:
            found = last_hit_before(text, search, True, position)
            wrapped = found is None
            if found is None:  # from the end
                found = last_hit_before(text, search, True)
            if found is None:
                return 0, wrapped
        self._hits_around(found)
        target = found
        number = next(i for i, (a, _) in enumerate(self.view.hits) if a >= target)
        return number, wrapped

    def _hit_message(self, number: int, wrapped: bool, step: int) -> str:
        low, high = self._hit_window
        if low > 0 or high < len(self.text):  # counted once for the document: 0.2 s at 10 MB
            if self._hit_total is None:
                self._hit_total = count_hits(self.text, self.documents.search, True)
            before = count_hits(self.text, self.documents.search, True, low) if low else 0
            total = self._hit_total
        else:
            before, total = 0, len(self.view.hits)
        where = (" (wrapped to the top)" if step > 0 else " (wrapped to the end)"
                 ) if wrapped else ""
        return f"Hit {before + number + 1:,} of {total:,}{where}"

    # --- disagreements and adjudication ------------------------------------------------
    def _disagreements(self) -> list[Span]:
        """Spans in this document not every annotator made (the workspace's rule leaves
        gold out). Empty unless comparing."""
        if not self.compare_action.isChecked():
            return []
        return self.workspace.disagreements([*self.view.spans.values(),
                                             *self.view.others.values()])

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
        if span is None:
            return
        self._last_disagreement = span.uuid
        if span.uuid in self.view.spans:
            self.view.reveal_span(span)  # selected: the span table follows
        else:
            self.view.show_other(span)  # outlined in the text, and its row in the table
            self.span_panel.show_span(span.uuid)
        names = self._names()
        excerpt = span.text if len(span.text) < 40 else span.text[:37] + "…"
        self.statusBar().showMessage(
            f"Disagreement {found.index(span) + 1} of {len(found)}: "
            f"{names.get(span.annotator_uuid, '?')}'s {self._label_name(span)} “{excerpt}”")

    def adjudicate(self) -> None:
        """Work as gold: everyone's spans shown, A accepts one into gold, Shift+A all in a
        selection; gold spans are edited like one's own. The change log names who."""
        if not self.workspace.adjudicating:
            try:
                self.workspace.adjudicate()
            except AnnotatorError as e:  # an annotator's package: the lead adjudicates
                inform(self, "Not adjudicating", _sentence(str(e)))
                return
            self._session_changed()
        self._compare_now()
        self.statusBar().showMessage(
            f"Adjudicating into gold as {self.adjudicator.name}: A accepts the span at the "
            "cursor, Shift+A every span in the selection; F8 goes to the next disagreement.")

    def accept_span(self) -> None:
        position = self.view.cursor_position()
        covering = sorted((s for s in self.view.others.values() if s.covers(position)),
                          key=lambda s: (s.end - s.start, s.start))
        self._accept(covering[:1], "Put the cursor in another annotator's span to accept it.")

    def accept_selection(self) -> None:
        chosen = self.view.selection_range()
        if chosen is None and self.workspace.adjudicating:
            self.statusBar().showMessage("Select a stretch of text first.", 4000)
            return
        start, end = chosen or (0, 0)
        self._accept([s for s in self.view.others.values() if s.start < end and s.end > start],
                     "No other annotator's span in the selection.")

    def _accept(self, spans: list[Span], none_there: str) -> None:
        if not spans and self.workspace.adjudicating:
            self.statusBar().showMessage(none_there, 4000)
            return
        self._edit(lambda: self.workspace.accept_into_gold([s.uuid for s in spans]))

    def spoiler_shield(self) -> None:
        from .dialogs.spoiler_shield import SpoilerShield

        if self.document_id is None:
            return
        doc = self.workspace.document(self.document_id)
        if doc is None:
            return
        # Every spoiler on screen is shielded: in compare mode the others' too.
        self.shield = SpoilerShield.show_for(
            self, doc.title, doc.text, self.labels,
            [*self.view.spans.values(), *self.view.others.values()], self._names(),
            self.annotator.uuid)

    # --- people -------------------------------------------------------------------------
    def _people(self) -> list[str]:
        """Names to work as: everyone but gold (reached through Adjudicate)."""
        return [a.name for a in self.workspace.annotators() if not a.is_gold]

    def _fill_who_box(self) -> None:
        self.who_box.blockSignals(True)
        self.who_box.clear()
        names = self._people()
        if self.annotator.name not in names:
            names.append(self.annotator.name)  # gold, while adjudicating
        self.who_box.addItems(names)
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
        from .dialogs.annotator_dialog import AnnotatorDialog
        name = AnnotatorDialog.ask(self, self.annotator.name, self._people())
        if name and name != self.annotator.name:
            self.switch_annotator(name)

    def switch_annotator(self, name: str) -> None:
        """Work as someone else (created if new); the undo history starts afresh."""
        try:
            self.workspace.switch_to(name)
        except AnnotatorError as e:
            inform(self, "Not switched", _sentence(str(e)), warning=True)
            return
        self._session_changed()

    def _session_changed(self) -> None:
        self.view_states.clear()
        self.documents.reload(self.annotator.uuid)
        self.document_panel.refresh_choices()  # gold is listed while adjudicating
        self._span_context()
        self._fill_who_box()
        self._update_title()
        if self.document_id is not None:
            self.open_document(self.document_id)
        self.suggesting.session_changed()

    # --- files --------------------------------------------------------------------------
    def open_database(self, path: str | None = None) -> bool:
        """Another database (a project, or an annotator's package .annot) in a window of its
        own: a new program, so each window keeps its own database, undo and identity."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, "Open a database", str(Path(self.workspace.path).parent),
                "Annotator databases (*.db *.annot *.sqlite);;All files (*)")
        if not path:
            return False
        if Path(path).resolve() == Path(self.workspace.path).resolve():
            self.statusBar().showMessage("That database is the one open here.", 5000)
            return False
        started = QProcess.startDetached(sys.executable, ["-m", "annotator", "--db", path])
        ok = started[0] if isinstance(started, tuple) else bool(started)
        if not ok:
            inform(self, "Cannot open the database",
                   f"A new window for {path} could not be started.", warning=True)
        else:
            self.statusBar().showMessage(f"Opening {path} in a new window…", 5000)
        return ok

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import reviews", "",
                                                file_dialog_filter())
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
            from .dialogs.import_options import ImportOptionsDialog
            options = ImportOptionsDialog.ask(len(paths), self)
        else:
            from .dialogs.import_options import remembered
            options = remembered()
            options = replace(options, read=replace(options.read, format=None))
        if options is None or not self._writable():
            return None

        def describe(done: int, total: int, path: str) -> str:
            return f"Importing {Path(path).name} ({done + 1:,} of {total:,})" if path else ""

        try:
            report = self.runner.run(
                self, "Importing", "Looking for reviews…",
                lambda workspace, job: workspace.import_paths(paths, options, job),
                name="importProgress", describe=describe)
        except AnnotatorError as e:  # the database could not even be opened for it
            inform(self, "Not imported", f"Nothing was imported: {e}", warning=True)
            return None
        # Its Change has reached every view (the list, labels, annotators) by now.
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
        from .dialogs.import_summary import ImportSummary
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
        from .dialogs.export_dialog import ExportDialog
        chosen = ExportDialog.ask(self.workspace, self)
        if chosen is None:
            return
        fmt, options, destination = chosen
        try:  # atomic: the file appears whole at the end, or not at all; no Cancel
            report = self.runner.run(
                self, "Exporting", "Exporting…",
                lambda workspace, job: workspace.export(fmt, destination, options, job),
                cancellable=False, name="exportProgress")
        except AnnotatorError as e:
            inform(self, "Export failed", str(e), warning=True)
            return
        lines = [f"Wrote {report.documents:,} documents with {report.spans:,} spans to "
                 f"{destination}.", _sentence(report.offsets_line)]
        if report.splits:
            lines.append("Splits: " + ", ".join(f"{name} {n:,} documents"
                                                for name, n in report.splits.items()) + ".")
        lines += [f"Not written: {n:,} span{'s' * (n != 1)}: {why}."
                  for why, n in report.not_written.items()]
        lines += [f"Written changed: {n:,} span{'s' * (n != 1)}: {why}."
                  for why, n in report.adjusted.items()]
        inform(self, "Export finished", "\n".join(lines), warning=bool(report.not_written))

    def _document_to_change(self) -> tuple[int, Document] | None:
        """The open document (its id and itself), when changes to it can be saved."""
        doc_id = self.document_id
        if doc_id is None:
            return None
        doc = self.workspace.document(doc_id)
        return (doc_id, doc) if doc is not None and self._writable() else None

    def rename_document(self) -> None:
        """A title of the user's choosing (undoable, in the change log)."""
        found = self._document_to_change()
        if found is None:
            return
        doc_id, doc = found
        from .dialogs.rename_dialog import RenameDialog
        title = RenameDialog.ask(self, doc.title)
        if title is not None:
            self._edit(lambda: self.workspace.rename_document(doc_id, title))

    def delete_document(self) -> None:
        found = self._document_to_change()
        if found is None:
            return
        doc_id, doc = found
        spans = len(self.workspace.spans(doc_id))
        if confirm(self, "Delete document",
                   f"Delete “{doc.title}” and its {spans} spans (all annotators)? "
                   "This cannot be undone."):
            self._delete([doc_id])

    def remove_samples(self) -> None:
        ids = self.workspace.sample_document_ids()
        if not ids:
            inform(self, "Sample reviews", "There are no sample reviews left.")
            return
        if self._writable() and confirm(self, "Remove sample reviews",
                   f"Remove the {len(ids)} sample reviews and their spans? "
                   "Your own imports stay."):
            self._delete(ids)

    def _delete(self, ids: list[int]) -> None:
        """Delete documents (not undoable: the workspace's history starts afresh); the
        list reloads from the Change like after any other edit."""
        row = self._current_row()
        try:
            self.workspace.delete_documents(ids)
        except StoreError as e:
            inform(self, "Not deleted", f"Nothing was deleted: {e}", warning=True)
            return
        except AnnotatorError as e:  # refused: an annotator's package
            inform(self, "Not deleted", _sentence(str(e)))
            return
        for doc_id in ids:
            self.view_states.pop(doc_id, None)
        if self.document_id in ids:
            self.document_id = None
            self.open_row(min(max(row, 0), self.documents.rowCount() - 1))

    # --- damage, reading only, backups (issue 14) -------------------------------------
    def _show_database_state(self) -> None:
        """The state banner: red while the database is damaged (restore the newest backup,
        or choose one), blue while it cannot be written where it is; hidden otherwise."""
        damaged = self.workspace.damaged
        if damaged:
            try:
                have_backups = bool(self.workspace.backups())
            except AnnotatorError:
                have_backups = False  # the folder unreadable: Backups… says why
            offers: list[tuple[str, Callable[[], object]]] = [
                ("Restore latest backup", self.restore_latest_backup)] if have_backups else []
            # What SQLite found ("tree page 18 cell 0 …") means nothing to most people: it
            # is in the tooltip, and at the top of Backups…; the banner says what to do.
            self.state_banner.show_message(
                f"{self.workspace.path} is damaged, so it is open for reading only: nothing "
                "can be changed or saved. Restore the latest backup to go on working.",
                "damaged", [*offers, ("Backups…", lambda: self.show_backups(True))])
            self.state_banner.text.setToolTip(tooltip(damaged))
        elif self.workspace.read_only:
            self.state_banner.show_message(
                f"{self.workspace.path} is open for reading only: the file, its folder or "
                "the disk cannot be written here. You can read and export it; edits cannot "
                "be saved.", "info")
        else:
            self.state_banner.hide()
        if not damaged:
            self.state_banner.text.setToolTip("")
        self.saved_label.setText(self._saved_text())

    def _show_notes(self) -> None:
        """A dismissible note for each thing opening the database noted (a check left for
        later, a backup that could not be made)."""
        layout = self.central_layout
        for banner in self.note_banners:
            layout.removeWidget(banner)
            banner.deleteLater()
        self.note_banners = []
        for note in self.workspace.notes:
            banner = Banner(self)
            banner.show_message(_sentence(note), "info")
            layout.insertWidget(layout.indexOf(self.view), banner)
            self.note_banners.append(banner)

    def _show_text_check(self, doc: Document) -> None:
        """Warn while a document whose text changed outside Annotator is open."""
        problem = self.workspace.text_check(doc)
        if problem:
            self.text_banner.show_message(problem, "warning",
                                          [("Backups…", lambda: self.show_backups())])
        else:
            self.text_banner.hide()

    def _saved_text(self) -> str:
        return "Read only" if self.workspace.read_only else "All changes saved"

    def _writable(self) -> bool:
        """False, after saying so, while the database is open for reading only: asked
        before a dialog whose answer would only be refused."""
        if self.workspace.read_only:
            self._refuse_read_only()
            return False
        return True

    def _refuse_read_only(self) -> None:
        """One line in the status bar for each refused edit (no message box to click away
        at every key press), and the state banner back if it was dismissed."""
        if self.workspace.damaged:
            why = ("this database is damaged, so it is open for reading only. Restore a "
                   "backup to go on working (File → Backups…)")
        else:
            why = "this database is open for reading only (it cannot be written here)"
        self.statusBar().showMessage(f"Not saved: {why}.", 8000)
        if self.state_banner.isHidden():
            self._show_database_state()

    def show_backups(self, newest: bool = False) -> None:
        """File → Backups…: back up now, restore one, check for damage."""
        from .dialogs.backups_dialog import BackupsDialog
        BackupsDialog.show_for(self, self.workspace, newest=newest,
                               on_restore=self._after_restore)

    def restore_latest_backup(self) -> None:
        """The damage banner's offer: the newest backup in place of the database."""
        from .dialogs.backups_dialog import restore_newest
        what = restore_newest(self, self.workspace)
        if what is not None:
            self._after_restore()
            self.statusBar().showMessage(_sentence(f"Restored {what}"), 10000)

    def _after_restore(self) -> None:
        """The database now holds what a backup holds. Its Change has reloaded the lists
        and the undo history has started afresh (the workspace cleared it); here the rest:
        who is working (perhaps not in the backup), the team's blind policy, places kept
        in texts, the open document (perhaps not in the backup), and the banners."""
        self.view_states.clear()
        self._text_checked = None
        self.blind = self.workspace.blind_policy
        self.blind_action.setChecked(self.blind)
        self.compare_action.setEnabled(not self.blind)
        if self.blind:
            self.compare_action.setChecked(False)
        self._show_database_state()
        self._show_notes()
        if self.document_id is not None and self.workspace.document(self.document_id) is None:
            self.document_id = None
        self._session_changed()
        if self.document_id is None:
            self._open_first()

    # --- chrome -------------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"Annotator — {self.annotator.name}")
        self.who_label.setText(f"Annotator: {self.annotator.name}")

    def _update_status(self) -> None:
        total = self.documents.total
        in_bundle = self.team.progress_text()
        try:
            self.progress_label.setText(
                in_bundle or f"{self.documents.done_count():,} of {total:,} done")
        except StoreError:  # statuses on a damaged page
            self.progress_label.setText(f"{total:,} documents")
        self.progress_label.setToolTip(
            "Documents you have marked done, of those assigned to you" if in_bundle
            else "Documents you have marked done, of all in the list")
        count = len(self.view.spans)
        self.spans_label.setText(f"{count:,} span{'s' * (count != 1)}")
        self.spans_label.setToolTip("Your spans in this document")

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)

    def show_agreement(self) -> None:
        """The agreement window: loaded when first asked for (its statistics bring numpy,
        a tenth of a second the window's start need not wait for)."""
        from .dialogs.agreement_window import AgreementWindow

        AgreementWindow.show_for(self.workspace, self.runner, self, self.show_in_compare,
                                 self.bus.changed)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Other windows close first (a stale agreement window must not start work as this
        one goes), running work is stopped and waited for, and the views stop following
        the workspace, which outlives the window (the caller closes it)."""
        self.watch_timer.stop()
        agreement = sys.modules.get("annotator.ui.dialogs.agreement_window")
        if agreement is not None:  # loaded: one may be open
            for window in self.findChildren(agreement.AgreementWindow):
                window.close()
        self.runner.shutdown()
        self.bus.detach()
        self.undo.detach()
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        super().closeEvent(event)


def _sentence(text: str) -> str:
    """A message as a sentence: capital first, full stop last."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."
