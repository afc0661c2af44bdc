"""The window's side of suggestions: training in the background, the open document's
suggestions kept fresh and on screen, the keys that step through and decide them, and
the Suggestions dock.

Training happens off the GUI thread (scikit-learn takes seconds): once the window has
first painted, on "Train now", after every TRAIN_EVERY new spans of the person working,
and when the recommenders switched on change; one at a time, a request during one runs
once after it. Suggestions are whoever is working's: after a switch of annotator none
show until a training for them has ended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from annotator.domain.changes import Change
from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions import RECOMMENDERS, SpanSuggestion

from .runner import Closed, Task
from .views.suggestions_panel import SuggestionsPanel

if TYPE_CHECKING:
    from annotator.services.suggesting import Training

    from .main_window import MainWindow

TRAIN_EVERY = 10  # new spans of mine between automatic trainings
LARGE_TEXT = 200_000  # code points: a document this long is refreshed in the runner
START_AFTER_MS = 1500  # from the first paint to the first training
RETRY_MS = 300  # a refresh put off while other work runs is tried again this often


class Suggesting(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = window.workspace
        self.view = window.view
        self.training_task: Task | None = None
        self.train_again = False  # asked for during a training: once more after it
        self.new_spans = 0  # mine since the last training began
        self.view.suggestion_key.connect(self.on_key)

        self.show_action = QAction("Show &suggestions", window)
        self.show_action.setCheckable(True)
        self.show_action.setChecked(bool(QSettings().value("view/suggestions", True,
                                                           type=bool)))
        self.show_action.toggled.connect(self.set_shown)
        self.view.suggestions.shown = self.show_action.isChecked()
        self.train_action = QAction("&Train suggestions now", window)
        self.train_action.triggered.connect(lambda _=False: self.train())
        self.panel = SuggestionsPanel(self.workspace, window)
        self.dock: QDockWidget = window._dock("Suggestions", "suggestionsDock", self.panel,
                                              Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.spans_dock, self.dock)  # the span table keeps its room
        window.spans_dock.raise_()
        self.panel.train_requested.connect(self.train)
        self.panel.threshold_changed.connect(lambda _value: self.refresh())
        # A recommender switched on must learn first; one switched off, too: the
        # suggester proposes with the recommenders it was trained with.
        self.panel.recommenders_changed.connect(lambda _names: self.train())
        self._painted = False
        self.started = False  # the start-up training has been asked for
        self.view.viewport().installEventFilter(self)

    def add_to_menu(self, menu) -> None:
        menu.addAction(self.show_action)
        menu.addAction(self.train_action)
        menu.addAction(self.dock.toggleViewAction())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The first training waits for the first paint: the window must not wait for it.
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            watched.removeEventFilter(self)
            # A moment later still: the worker's start (scikit-learn loading on the other
            # core) competed with the window's first frames on a 2-core machine.
            QTimer.singleShot(START_AFTER_MS, self._start)
        return False

    def _start(self) -> None:
        self.started = True
        self.train()

    # --- training ----------------------------------------------------------------------
    def train(self) -> None:
        if self.training_task is not None and self.training_task.running:
            self.train_again = True
            return
        self.new_spans = 0
        self._state("Training…")
        try:
            self.training_task = self.window.runner.submit(
                lambda workspace, job: workspace.suggestions.train(job, elsewhere=True),
                done=self._trained, failed=self._failed, bugs_too=True,
                writes=False)
        except Closed:
            pass

    def _trained(self, training: Training) -> None:
        self.training_task = None
        if self._gone():
            return
        suggestions = self.workspace.suggestions
        suggestions.use(training)
        if suggestions.trained_for_me:  # not if another person took over meanwhile
            self.panel.show_training(suggestions.training)
            self.panel.show_outcomes()
            self._count_down()
            self.refresh()
        self._again()

    def _gone(self) -> bool:
        """The window closed, or its workspace (a training or a retry may end after)."""
        return self.window.runner.closed or self.workspace.closed

    def _failed(self, error: BaseException) -> None:
        self.training_task = None
        self._state(f"Training failed: {error}")
        self._again()

    def _again(self) -> None:
        if self.train_again and not self.window.runner.closed:
            self.train_again = False
            self.train()

    def _count_down(self) -> None:
        left = max(TRAIN_EVERY - self.new_spans, 1)
        self._state(f"Trains again after {left} more span{'s' * (left != 1)}")

    def _state(self, text: str) -> None:
        self.panel.set_state(text)

    # --- the open document ------------------------------------------------------------
    def refresh(self) -> None:
        """Propose afresh in the open document with the last training for whoever is
        working; its Change brings the suggestions on screen."""
        if self._gone():
            return
        doc_id, suggestions = self.window.document_id, self.workspace.suggestions
        if doc_id is None or not suggestions.trained_for_me or self.workspace.read_only:
            self.show_open()  # nothing new can be kept: those kept before, if any
            return
        if any(task is not self.training_task for task in self.window.runner.tasks):
            # Work under way (an import behind its progress dialog) may hold the write
            # lock: a write here would wait for it with the window frozen, its Cancel too.
            QTimer.singleShot(RETRY_MS, self.refresh)
            return
        if len(self.window.text) <= LARGE_TEXT:
            try:
                suggestions.refresh([doc_id])
            except AnnotatorError as e:
                self.window.statusBar().showMessage(f"Suggestions not refreshed: {e}", 5000)
            return
        training = suggestions.training
        assert training is not None  # trained_for_me

        def work(workspace, job) -> int:
            workspace.suggestions.use(training)
            return workspace.suggestions.refresh([doc_id], job)
        try:
            self.window.runner.submit(work, done=lambda _count: None, failed=self._not_refreshed)
        except Closed:
            pass

    def _not_refreshed(self, error: BaseException) -> None:
        self.window.statusBar().showMessage(f"Suggestions not refreshed: {error}", 5000)

    def show_open(self) -> None:
        """The open document's open suggestions on screen (none unless trained for
        whoever is working now)."""
        doc_id = self.window.document_id
        shown: list[SpanSuggestion] = []
        if doc_id is not None and self.workspace.suggestions.trained_for_me:
            try:
                shown = self.workspace.suggestions.of_document(doc_id)
            except AnnotatorError:
                shown = []
        self.view.suggestions.set(shown)

    def document_opened(self) -> None:
        self.refresh()

    def session_changed(self) -> None:
        """Another person at work: their suggestions, once trained for them."""
        self.show_open()
        self.panel.show_training(self.workspace.suggestions.training
                                 if self.workspace.suggestions.trained_for_me else None)
        self.train()

    def on_change(self, change: Change) -> None:
        me = self.workspace.me.uuid
        if change.annotator_uuid == me:
            removed = {s.uuid for s in change.removed}
            self.new_spans += sum(1 for s in change.added if s.uuid not in removed)
            if self.new_spans >= TRAIN_EVERY:
                self.train()
            elif self.training_task is None and self.workspace.suggestions.trained_for_me:
                self._count_down()
        if change.suggestions_changed and change.document_id == self.window.document_id:
            self.show_open()
        if change.suggestions_changed:
            self.panel.show_outcomes()

    def set_shown(self, shown: bool) -> None:
        QSettings().setValue("view/suggestions", shown)
        marks = self.view.suggestions
        marks.shown = shown
        if not shown:
            marks.make_current(None)
        self.view.viewport().update()

    # --- keys ---------------------------------------------------------------------------
    def on_key(self, action: str) -> None:
        if action == "next":
            self.step(1)
        elif action == "previous":
            self.step(-1)
        elif action == "accept":
            self.decide(accept=True)
        elif action == "reject":
            self.decide(accept=False)
        elif action == "accept_all":
            self.accept_all()

    def step(self, delta: int) -> None:
        """The next (or previous) suggestion from the current one or the cursor,
        wrapping at the ends."""
        items = self.view.suggestions.items
        if not items:
            return
        current = self.view.suggestions.current_suggestion()
        if current is not None:
            at = (items.index(current) + delta) % len(items)
        else:
            position = self.view.cursor_position()
            after = [i for i, s in enumerate(items) if s.start >= position]
            before = [i for i, s in enumerate(items) if s.start < position]
            if delta > 0:
                at = after[0] if after else 0
            else:
                at = before[-1] if before else len(items) - 1
        self.show(at)

    def show(self, at: int) -> None:
        items = self.view.suggestions.items
        suggestion = items[at]
        self.view.show_suggestion(suggestion)
        label = next((lb.name for lb in self.window.labels
                      if lb.uuid == suggestion.label_uuid), "?")
        self.window.statusBar().showMessage(
            f"Suggestion {at + 1} of {len(items)}: {label} from "
            f"{RECOMMENDERS.get(suggestion.recommender, suggestion.recommender)} "
            f"({suggestion.score:.2f}) — Enter accepts · Backspace rejects")

    def decide(self, accept: bool) -> None:
        """Accept or reject the current suggestion, then on to the next one."""
        current = self.view.suggestions.current_suggestion()
        if current is None:
            return
        suggestions = self.workspace.suggestions
        operation = suggestions.accept if accept else suggestions.reject
        if self.window._edit(lambda: operation([current.id])) is None:
            return
        items = self.view.suggestions.items  # re-read by the edit's Change
        if not items:
            self.window.statusBar().showMessage("No suggestions left in this document.",
                                                5000)
            return
        at = next((i for i, s in enumerate(items) if (s.start, s.id) > (current.start,
                                                                          current.id)), 0)
        self.show(at)

    def accept_all(self) -> None:
        doc_id = self.window.document_id
        if doc_id is None:
            return
        change = self.window._edit(lambda: self.workspace.suggestions.accept_all(doc_id))
        if change is not None:
            count = len(change.added)
            self.window.statusBar().showMessage(
                f"Accepted {count} suggestion{'s' * (count != 1)} (Ctrl+Z undoes them).",
                5000)
