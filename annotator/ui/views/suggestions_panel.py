"""The suggestions panel: what the recommenders learned from, how well each does per label
(and so which may suggest), the precision threshold and the recommenders switched on."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.suggestions import RECOMMENDERS

from ..models.progress_table import when
from ..models.suggestion_figures import SuggestionFiguresModel
from ..plain import plain_label

if TYPE_CHECKING:
    from annotator.services.suggesting import Training
    from annotator.workspace import Workspace

NOT_TRAINED = ("Not trained yet: annotate a few reviews and mark them done (Ctrl+Enter), "
               "or press Train now")


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def _clock(iso: str) -> str:
    """An ISO UTC time as the local hour and minute (as given, if it is not one)."""
    return when(iso, form="%H:%M")


def heading(training: Training | None) -> str:
    if training is None:
        return NOT_TRAINED
    whose = "blind: your spans only" if training.blind else "everyone's spans"
    return (f"Learned from {_count(training.spans, 'span')} in "
            f"{_count(training.documents, 'document')} marked done ({whose}) · trained "
            f"{_clock(training.trained)} in {training.seconds:.1f} s")


class SuggestionsPanel(QWidget):
    train_requested = Signal()
    threshold_changed = Signal(float)  # after saving via workspace.suggestions
    recommenders_changed = Signal(list)  # names, after saving via workspace.suggestions

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.training: Training | None = None

        self.heading = plain_label(QLabel(self), NOT_TRAINED)
        self.heading.setObjectName("suggestionsHeading")
        self.heading.setWordWrap(True)
        self.state = plain_label(QLabel(self))
        self.state.setObjectName("suggestionsState")
        self.state.setWordWrap(True)
        self.state.hide()
        self.summary = plain_label(QLabel(self))  # what suggests, in one line
        self.summary.setObjectName("suggestionsSummary")
        self.summary.setWordWrap(True)
        self.train_button = QPushButton("Train now", self)
        self.train_button.setObjectName("trainNow")
        self.train_button.clicked.connect(lambda _=False: self.train_requested.emit())

        self.threshold = QDoubleSpinBox(self)
        self.threshold.setObjectName("minPrecision")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        # Saved when typing is finished, not at each key ("0.8" would save 0 first).
        self.threshold.setKeyboardTracking(False)
        self.threshold.setValue(workspace.suggestions.min_precision)
        self.threshold.setToolTip("A recommender suggests a label only if its cross-validated "
                                  "precision on that label reaches this.")
        self.threshold.valueChanged.connect(self._threshold_moved)

        chosen = workspace.suggestions.recommenders
        self.checkboxes: dict[str, QCheckBox] = {}
        boxes = QHBoxLayout()
        for name, shown in RECOMMENDERS.items():
            box = QCheckBox(shown, self)
            box.setObjectName(f"recommender_{name}")
            box.setChecked(name in chosen)
            box.toggled.connect(lambda _on: self._recommenders_chosen())
            self.checkboxes[name] = box
            boxes.addWidget(box)
        boxes.addStretch(1)

        self.model = SuggestionFiguresModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("suggestionFigures")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # At most a few rows per label: sizing from every cell costs nothing here.
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.train_button, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        form.addRow("Minimum &precision:", self.threshold)
        form.addRow("Recommenders:", boxes)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_training(self, training: Training | None) -> None:
        self.training = training
        if training is not None:
            # The table must agree with the spin box, whatever threshold it was trained at.
            training.suggester.min_precision = self.threshold.value()
        self.heading.setText(heading(training))
        self.model.set_training(training, self.workspace.suggestions.outcomes())
        self._summarise()

    def _summarise(self) -> None:
        """How many pairs may suggest; when none, the commonest reason (the table's own
        column is the last, often scrolled out of a narrow dock)."""
        rows = self.model.rows
        speaking = sum(1 for row in rows if row["suggests"])
        if not rows:
            self.summary.setText("")
        elif speaking:
            self.summary.setText(f"{speaking} of {len(rows)} recommender and label pairs "
                                 "suggest; the others are silent (hover a row for why).")
        else:
            reasons = Counter(row["why_silent"] for row in rows)
            self.summary.setText("Nothing is suggested yet: every recommender is silent. "
                                 f"Most often: {reasons.most_common(1)[0][0]}.")

    def show_outcomes(self) -> None:
        self.model.set_outcomes(self.workspace.suggestions.outcomes())

    def set_state(self, text: str) -> None:
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def _threshold_moved(self, value: float) -> None:
        value = round(value, 2)  # 0.1 + 0.05 steps drift: save what the box shows
        self.workspace.suggestions.set_min_precision(value)
        if self.training is not None:
            # The shown training may not be the workspace's yet (handed over after this):
            # reasons are recomputed from the suggester's threshold, no retraining.
            self.training.suggester.min_precision = value
        self.model.reevaluate()
        self._summarise()
        self.threshold_changed.emit(value)

    def _recommenders_chosen(self) -> None:
        names = [name for name, box in self.checkboxes.items() if box.isChecked()]
        self.workspace.suggestions.set_recommenders(names)
        self.recommenders_changed.emit(names)
