"""The suggestions panel's table: one row per recommender and label, with its cross-validated
figures, whether it may suggest (and if not, why), and how its suggestions fared."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from annotator.domain.suggestions import RECOMMENDERS
from annotator.services.labels import is_colour
from annotator.services.suggesting import figures

from ..icons import swatch
from ..plain import tooltip

if TYPE_CHECKING:
    from annotator.services.suggesting import Training

Index = QModelIndex | QPersistentModelIndex
# Suggests last: its reasons are long, and the counts must not scroll out of a narrow dock.
COLUMNS = ("Recommender", "Label", "Examples", "Precision", "Recall", "F1", "Accepted",
           "Rejected", "Suggests")
RECOMMENDER, LABEL, EXAMPLES, PRECISION, RECALL, F1, ACCEPTED, REJECTED, SUGGESTS = range(
    len(COLUMNS))
NUMBERS = (EXAMPLES, PRECISION, RECALL, F1, ACCEPTED, REJECTED)
Outcomes = dict[tuple[str, str], dict[str, int]]


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class SuggestionFiguresModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.training: Training | None = None
        self.rows: list[dict] = []  # as suggesting.figures gives them
        self.outcomes: Outcomes = {}
        self._swatches: dict[str, QIcon] = {}

    # --- what it shows ----------------------------------------------------------------
    def set_training(self, training: Training | None, outcomes: Outcomes) -> None:
        self.beginResetModel()
        self.training = training
        self.rows = figures(training) if training is not None else []
        self.outcomes = outcomes
        self._swatches = {
            label.uuid: swatch(label.colour.strip())
            for label in (training.labels if training is not None else [])
            if is_colour(label.colour)}
        self.endResetModel()

    def reevaluate(self) -> None:
        """Whether each row may suggest, asked again (the threshold moved): the figures
        stay, so the rows stay; only the Suggests column and the greying change."""
        if self.training is None or not self.rows:
            return
        for row in self.rows:
            why = self.training.reason(row["recommender"], row["label_uuid"])
            row["suggests"], row["why_silent"] = not why, why or None
        self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1,
                                                           len(COLUMNS) - 1))

    def set_outcomes(self, outcomes: Outcomes) -> None:
        self.outcomes = outcomes
        if self.rows:
            self.dataChanged.emit(self.index(0, ACCEPTED), self.index(len(self.rows) - 1,
                                                                      REJECTED))

    def row_of(self, recommender: str, label_uuid: str) -> int:
        """The row of this recommender and label, or -1."""
        return next((i for i, row in enumerate(self.rows)
                     if (row["recommender"], row["label_uuid"]) == (recommender, label_uuid)),
                    -1)

    # --- the model --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            # Label names and reasons are typed by people: escaped, never rich text.
            if column == LABEL:
                return tooltip(row["label"])
            if column == SUGGESTS:
                return tooltip(row["why_silent"] or "suggests this label")
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            return self._swatches.get(row["label_uuid"])
        if role == Qt.ItemDataRole.ForegroundRole and not row["suggests"]:
            return QGuiApplication.palette().brush(QPalette.ColorGroup.Disabled,
                                                   QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return (row["recommender"], row["label_uuid"])
        return None

    def _text(self, row: dict, column: int) -> str:
        if column == RECOMMENDER:
            return RECOMMENDERS.get(row["recommender"], row["recommender"])
        if column == LABEL:
            return row["label"]
        if column == EXAMPLES:
            return f"{row['examples']:,}"
        if column in (PRECISION, RECALL, F1):
            return ratio(row[("precision", "recall", "f1")[column - PRECISION]])
        if column == SUGGESTS:
            return "suggests" if row["suggests"] else f"silent: {row['why_silent']}"
        fared = self.outcomes.get((row["recommender"], row["label_uuid"]), {})
        return f"{fared.get('accepted' if column == ACCEPTED else 'rejected', 0):,}"
