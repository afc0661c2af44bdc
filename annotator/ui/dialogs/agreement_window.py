"""The agreement window: how far the annotators agree, per label, per pair and per document."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import StoreError
from annotator.services.agreement import (
    MEASURE_NAMES,
    MEASURES,
    AgreementReport,
    Scope,
    ScopeError,
    Stopped,
    Suggestion,
)
from annotator.workspace import Workspace

from ..icons import swatch
from ..models.agreement_tables import (
    DOCUMENT_CHOICES,
    LABELLED_ONLY_TIP,
    DocumentFiguresTable,
    FiguresTable,
    LabelFigures,
    measure_words,
    sentence,
)
from ..runner import Runner, Task
from ..views.checklist import Checklist
from ..views.heatmap import Heatmap

# Above this many documents the figures are computed off the GUI thread (about 7 ms each).
IN_THE_BACKGROUND_FROM = 150


class AgreementWindow(QWidget):
    """Agreement for a scope of annotators, labels and documents; recomputed as it changes."""

    document_chosen = Signal(int)  # a document to open in compare mode

    def __init__(self, workspace: Workspace, runner: Runner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)  # its own window, not a dialog on top
        self.workspace = workspace
        self.runner = runner or Runner(workspace, self)
        self.report: AgreementReport | None = None
        self.problem = ""  # why there are no figures, shown in their place
        self.stale = False  # the database changed while the window was in the background
        self.setWindowTitle("Agreement")
        self.resize(1240, 800)
        self._generation = 0  # which computation's result is wanted
        self.busy = False  # a computation is running in the background
        self.task: Task | None = None  # that computation
        self._panes_fitted = False  # the panes sized to their contents (or remembered)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # a few quick ticks, one computation
        self._timer.timeout.connect(self.refresh)

        scope_row = self._make_scope_row()

        self.reading = QPlainTextEdit(self)
        self.reading.setObjectName("agreementReading")
        self.reading.setReadOnly(True)
        self.reading.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.label_model = LabelFigures(self)
        self.label_table = self._table(self.label_model, "agreementLabelTable")
        self.document_model = DocumentFiguresTable(self)
        self.document_table = self._table(self.document_model, "agreementDocumentTable")
        self.document_table.activated.connect(self._document_activated)

        pairs, documents_box = self._make_pairs(), self._make_documents()
        self.pairs_and_documents = QSplitter(Qt.Orientation.Horizontal, self)
        self.pairs_and_documents.addWidget(pairs)
        self.pairs_and_documents.addWidget(documents_box)
        self.pairs_and_documents.setStretchFactor(0, 2)
        self.pairs_and_documents.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.reading)
        self.splitter.addWidget(self.label_table)
        self.splitter.addWidget(self.pairs_and_documents)
        self.splitter.setStretchFactor(2, 1)  # a taller window: more room for pairs, documents
        self.splitter.setSizes([110, 190, 440])

        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("agreementProblem")
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setWordWrap(True)
        self.problem_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.problem_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.problem_label.setFont(font)
        self.suggestion: Suggestion | None = None  # a scope that gives a result
        self.suggest_button = QPushButton(self)
        self.suggest_button.setObjectName("agreementSuggestion")
        self.suggest_button.clicked.connect(self.use_suggestion)
        self.problem_page = QWidget(self)
        problem_layout = QVBoxLayout(self.problem_page)
        problem_layout.addStretch(1)
        problem_layout.addWidget(self.problem_label)
        problem_layout.addWidget(self.suggest_button, 0, Qt.AlignmentFlag.AlignHCenter)
        problem_layout.addStretch(1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.problem_page)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        copy = QPushButton("Copy report", self)
        copy.setToolTip("The reading and both tables as tab-separated text, for a spreadsheet")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.as_text()))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(scope_row)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)

        self._fill_scope()
        self.annotator_picker.changed.connect(self.schedule)
        self.label_picker.changed.connect(self.schedule)
        self.documents.currentIndexChanged.connect(self.schedule)
        self.labelled_only.toggled.connect(self.schedule)
        self.measure.currentIndexChanged.connect(self._measure_changed)
        self.label_table.selectionModel().currentRowChanged.connect(self.show_pairs)
        self._restore_layout()
        self.refresh()

    def _make_scope_row(self) -> QHBoxLayout:
        self.annotator_picker = Checklist("Annotators", self)
        self.annotator_picker.setObjectName("agreementAnnotators")
        self.label_picker = Checklist("Labels", self)
        self.label_picker.setObjectName("agreementLabels")
        self.documents = QComboBox(self)
        self.documents.setObjectName("agreementDocuments")
        for i, (text, key, tip) in enumerate(DOCUMENT_CHOICES):
            self.documents.addItem(text, key)
            self.documents.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.labelled_only = QCheckBox("Leave out text nobody labelled", self)
        self.labelled_only.setObjectName("agreementLabelledOnly")
        self.labelled_only.setChecked(True)
        self.labelled_only.setToolTip(LABELLED_ONLY_TIP)
        documents_caption = QLabel("&Documents:", self)
        documents_caption.setBuddy(self.documents)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Read the database again (F5): new spans, annotators, "
                                       "labels and finished documents")
        self.refresh_button.clicked.connect(self.reload)
        scope_row = QHBoxLayout()
        for widget in (self.annotator_picker, self.label_picker, documents_caption,
                       self.documents, self.labelled_only):
            scope_row.addWidget(widget)
        scope_row.addStretch(1)
        scope_row.addWidget(self.refresh_button)
        return scope_row

    def _make_pairs(self) -> QWidget:
        """The heatmap under its measure picker."""
        self.measure = QComboBox(self)
        self.measure.setObjectName("agreementMeasure")
        for m in MEASURES:
            self.measure.addItem(MEASURE_NAMES[m], m)
        remembered = QSettings().value("agreement/measure", "kappa")
        self.measure.setCurrentIndex(max(self.measure.findData(remembered), 0))
        self.heatmap = Heatmap(self)
        self.heatmap.setObjectName("agreementHeatmap")
        self.heatmap_caption = QLabel(self)
        self.heatmap_caption.setTextFormat(Qt.TextFormat.PlainText)
        self.heatmap_caption.setWordWrap(True)
        measure_caption = QLabel("&Pairs by:", self)
        measure_caption.setBuddy(self.measure)
        pairs = QWidget(self)
        pairs_layout = QVBoxLayout(pairs)
        pairs_layout.setContentsMargins(0, 0, 0, 0)
        measure_row = QHBoxLayout()
        measure_row.addWidget(measure_caption)
        measure_row.addWidget(self.measure, 1)
        pairs_layout.addLayout(measure_row)
        pairs_layout.addWidget(self.heatmap_caption)
        pairs_layout.addWidget(self.heatmap, 1)
        return pairs

    def _make_documents(self) -> QWidget:
        documents_box = QWidget(self)
        documents_layout = QVBoxLayout(documents_box)
        documents_layout.setContentsMargins(0, 0, 0, 0)
        documents_note = QLabel("Documents, worst first. Double-click one to open it with "
                                "everyone's spans.", self)
        documents_layout.addWidget(documents_note)
        documents_layout.addWidget(self.document_table, 1)
        return documents_box

    def _table(self, model: FiguresTable, name: str) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)  # indicator -1: the service's order until a click
        return table

    @staticmethod
    def _fit_columns(table: QTableView) -> None:
        """Numbers as wide as they need; the first column (names) takes the rest. Set again
        on each report: the columns come and go with the annotators."""
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if header.count():
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _fit_panes(self) -> None:
        """The reading and the label table as tall as their lines (within reason); the
        pairs and documents get the rest. Once: after that the user's sizes stand."""
        if self._panes_fitted:
            return
        self._panes_fitted = True
        line = self.reading.fontMetrics().lineSpacing()
        lines = min(self.reading.document().blockCount(), 8)
        reading = lines * line + 2 * self.reading.frameWidth() + 12
        table = self.label_table
        rows = sum(table.rowHeight(r) for r in range(min(self.label_model.rowCount(), 12)))
        labels = table.horizontalHeader().height() + rows + 2 * table.frameWidth() + 4
        total = sum(self.splitter.sizes())
        self.splitter.setSizes([reading, labels, max(total - reading - labels, 200)])

    @classmethod
    def show_for(cls, workspace: Workspace, runner: Runner | None = None,
                 parent: QWidget | None = None,
                 open_in_compare: Callable[[int], None] | None = None,
                 changed: SignalInstance | None = None) -> AgreementWindow:
        """Opens the window (one per parent; again: brought forward and read afresh), not
        modal, and returns it. `changed` carries every Change (edits, imports): the
        figures follow."""
        found = [w for w in (parent.findChildren(cls) if parent else []) if w.isVisible()]
        if found:
            window = found[0]
            window.reload()
        else:
            window = cls(workspace, runner, parent)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if open_in_compare is not None:
                window.document_chosen.connect(open_in_compare)
            if changed is not None:
                changed.connect(window.store_changed)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    # --- the scope ----------------------------------------------------------------------
    def _fill_scope(self) -> None:
        """The pickers from the database; what was ticked stays ticked, newcomers get the
        default (annotators at work except gold; every label)."""
        annotators = self.workspace.annotators()
        at_work = self.workspace.annotators_at_work()
        default = {a.name for a in  # the service's, for the documents chosen
                   self.workspace.default_annotators(self.documents.currentData())}
        old = {n: a.isChecked() for n, a in self.annotator_picker.actions_by_name.items()}
        ticked = {a.name for a in annotators if old.get(a.name, a.name in default)}
        self.annotator_picker.blockSignals(True)
        self.annotator_picker.fill([a.name for a in annotators], ticked, notes={
            a.name: "nothing done yet" for a in annotators if a.uuid not in at_work})
        self.annotator_picker.blockSignals(False)
        labels = self.workspace.labels()
        old = {n: a.isChecked() for n, a in self.label_picker.actions_by_name.items()}
        self.label_picker.blockSignals(True)
        self.label_picker.fill([lb.name for lb in labels],
                               {lb.name for lb in labels if old.get(lb.name, True)},
                               icons={lb.name: swatch(lb.colour) for lb in labels})
        self.label_picker.blockSignals(False)

    def scope(self) -> Scope:
        """The scope the pickers describe; ScopeError for one nobody could compute."""
        annotators = self.annotator_picker.checked()
        if not annotators:  # an empty tuple would mean everyone to the service
            raise ScopeError("agreement needs at least two annotators; none in scope",
                             self.workspace.suggest_scope([], self.documents.currentData()))
        labels = self.label_picker.checked()
        if not labels:
            raise ScopeError("tick at least one label")
        return Scope(annotators=tuple(annotators), documents=self.documents.currentData(),
                     labels=tuple(labels), labelled_only=self.labelled_only.isChecked())

    def schedule(self) -> None:
        self._timer.start()

    def reload(self) -> None:
        """Read the annotators and labels again, then the figures."""
        self._fill_scope()
        self.refresh()

    def store_changed(self, _change: object = None) -> None:
        """An edit or an import: recomputed now if this window is in front, else when it
        comes to the front (no pause on each keystroke while annotating)."""
        if self.isActiveWindow():
            self._fill_scope()  # a renamed label or a new annotator: the pickers follow
            self.schedule()
        else:
            self.stale = True

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if self.stale and self.isActiveWindow():
            self.reload()

    # --- the figures --------------------------------------------------------------------
    def refresh(self) -> None:
        """Compute now for a small scope; for a large one through the runner, off the GUI
        thread, so the window (and the main window) never freeze while it works."""
        self._timer.stop()
        self.stale = False
        self._generation += 1
        self._stop_task()  # an older scope's computation: its result would be dropped
        self.busy = False
        try:
            scope = self.scope()
            documents = self.workspace.agreement_documents(scope)
            if len(documents) > IN_THE_BACKGROUND_FROM:
                self._compute_in_background(scope, len(documents))
                return
            report = self.workspace.agreement(scope)
        except ScopeError as e:
            self.show_scope_problem(e)
            return
        except StoreError as e:  # a locked or damaged database: say so, keep the window
            self.show_problem(f"The database could not be read: {e}")
            return
        self.show_report(report)

    def _compute_in_background(self, scope: Scope, documents: int) -> None:
        generation = self._generation
        self.show_problem(f"Computing agreement over {documents:,} documents…")
        self.busy = True
        if self.runner.closed:  # the main window is going: no new work
            self.busy = False
            return
        self.task = self.runner.submit(
            lambda workspace, job: workspace.agreement(scope, job),
            done=lambda report: self._finished(generation, report),
            failed=lambda error: self._finished(generation, error))

    def _stop_task(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
        self.task = None

    def _finished(self, generation: int, outcome: AgreementReport | BaseException) -> None:
        if generation != self._generation:
            return  # the scope changed meanwhile: a newer computation is on its way
        self.busy = False
        if isinstance(outcome, AgreementReport):
            self.show_report(outcome)
        elif isinstance(outcome, Stopped):
            return
        elif isinstance(outcome, ScopeError):
            self.show_scope_problem(outcome)
        else:
            self.show_problem(f"The database could not be read: {outcome}")

    def show_scope_problem(self, error: ScopeError) -> None:
        """Why there are no figures, and the click that gives some (when one does)."""
        suggestion = error.suggestion
        message = sentence(error.reason)
        if suggestion is not None:
            message += " " + self._suggestion_words(suggestion)
        self.show_problem(message, suggestion)

    def _suggestion_words(self, suggestion: Suggestion) -> str:
        ticked = set(self.annotator_picker.checked())
        names = " and ".join([", ".join(suggestion.annotators[:-1]),
                              suggestion.annotators[-1]])
        documents = next(text for text, key, _ in DOCUMENT_CHOICES
                         if key == suggestion.documents)
        steps = []
        if set(suggestion.annotators) != ticked:
            steps.append(f"tick only {names} in Annotators")
        if suggestion.documents != self.documents.currentData():
            steps.append(f"choose Documents: “{documents}”")
        shared = f"{suggestion.shared:,} document{'s' * (suggestion.shared != 1)}"
        return f"For figures, {' and '.join(steps)} ({shared}), or click below."

    def use_suggestion(self) -> None:
        """Tick the suggested annotators and documents; the figures follow."""
        suggestion = self.suggestion
        if suggestion is None:
            return
        self.annotator_picker.blockSignals(True)
        self.annotator_picker.set_checked(set(suggestion.annotators))
        self.annotator_picker.blockSignals(False)
        self.documents.blockSignals(True)
        self.documents.setCurrentIndex(self.documents.findData(suggestion.documents))
        self.documents.blockSignals(False)
        self.refresh()

    def show_problem(self, message: str, suggestion: Suggestion | None = None) -> None:
        self.report, self.problem = None, message
        self.problem_label.setText(message)
        self.suggestion = suggestion
        if suggestion is not None:
            self.suggest_button.setText(f"Compare {', '.join(suggestion.annotators)}")
        self.suggest_button.setVisible(suggestion is not None)
        self.label_model.set_report(None)
        self.document_model.set_report(None)
        self.heatmap.clear()
        self.pages.setCurrentWidget(self.problem_page)

    def show_report(self, report: AgreementReport) -> None:
        chosen = self.chosen_label()
        self.report, self.problem = report, ""
        self.reading.setPlainText("\n".join(report.reading))
        self.label_model.set_report(report, {lb.name: lb.colour
                                             for lb in self.workspace.labels()})
        self.document_model.set_report(report)
        row = max(self.label_model.row_of_label(chosen), 0)
        self.label_table.selectRow(row)
        self._fit_columns(self.label_table)
        self._fit_columns(self.document_table)
        self.pages.setCurrentWidget(self.splitter)
        self.show_pairs()
        if self.isVisible():
            self._fit_panes()

    def chosen_label(self) -> str | None:
        """The label whose pairs the heatmap shows (None: all labels together)."""
        index = self.label_table.currentIndex()
        if not index.isValid() or index.row() >= self.label_model.rowCount():
            return None
        return self.label_model.row_at(index.row()).label

    def chosen_measure(self) -> str:
        return self.measure.currentData()

    def show_pairs(self, *_) -> None:
        report = self.report
        if report is None:
            self.heatmap.clear()
            return
        label, measure = self.chosen_label(), self.chosen_measure()
        figures = report.overall if label is None else next(
            f for f in report.per_label if f.label == label)
        self.heatmap.set_matrix(report.annotators, report.matrix(measure, label),
                                measure_words(measure, label), figures.why.get(measure, ""))
        self.heatmap_caption.setText(
            "All labels together; choose a label in the table above for its pairs."
            if label is None else f"Label “{label}” only.")

    def _measure_changed(self) -> None:
        QSettings().setValue("agreement/measure", self.chosen_measure())
        self.show_pairs()

    def _document_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.document_chosen.emit(self.document_model.row_at(index.row()).document_id)

    def as_text(self) -> str:
        if self.report is None:
            return self.problem
        return "\n\n".join(["\n".join(self.report.reading), self.label_model.as_text(),
                            self.document_model.as_text()])

    # --- remembered layout --------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        self._panes_fitted = isinstance(settings.value("agreement/splitter"), QByteArray)
        for key, restore in (("agreement/geometry", self.restoreGeometry),
                             ("agreement/splitter", self.splitter.restoreState),
                             ("agreement/lower", self.pairs_and_documents.restoreState)):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.report is not None:
            self._fit_panes()  # now that the splitter has its real height

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._generation += 1  # a computation still running: its result has nowhere to go
        self._stop_task()
        settings = QSettings()
        settings.setValue("agreement/geometry", self.saveGeometry())
        settings.setValue("agreement/splitter", self.splitter.saveState())
        settings.setValue("agreement/lower", self.pairs_and_documents.saveState())
        super().closeEvent(event)
