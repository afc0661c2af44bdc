"""Table models of the agreement window: figures per label and per document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QIcon

from annotator.agreement.measures import MEASURES
from annotator.services.agreement import (
    MEASURE_NAMES,
    AgreementReport,
    DocumentFigures,
    Figures,
    verdict,
)

from ..icons import swatch
from ..plain import tooltip

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
DOCUMENT_CHOICES = (
    ("Marked done by all of them", "done",
     "Only documents every chosen annotator marked done: finished work, the usual basis "
     "for reporting agreement."),
    ("Touched by all of them", "all",
     "Documents where every chosen annotator made a span or set a status, finished or not."),
)
LABELLED_ONLY_TIP = (
    "Character measures (Krippendorff's alpha, Cohen's kappa) then count only characters "
    "that someone labelled.\nLong stretches that nobody labelled would otherwise count as "
    "agreement and push both towards 1,\nwhatever the annotators did with the rest. Span "
    "measures (unitizing alpha, F1) are not affected.")
VERDICT_MARKS = {"reliable": "●", "tentative": "◐", "unreliable": "○"}
VERDICT_TIP = ("Krippendorff's guideline for unitizing alpha: from 0.800 reliable, from 0.667 "
               "tentative conclusions only, below that unreliable.")
DISAGREEMENT_TIPS = {
    "boundary": "Spans the other annotator also marked with this label, but with a different "
                "extent (counted for each annotator of each pair).",
    "label": "Spans where the other annotator marked the same text with another label only.",
    "presence": "Spans the other annotator did not mark at all.",
}
MEASURE_TITLES = {m.key: m.title for m in MEASURES}


def sentence(message: str) -> str:
    """A service message as a sentence in a window."""
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."


def figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def measure_words(measure: str, label: str | None = None) -> str:
    """"Cohen's kappa, characters" (and the label): for tooltips in parentheses."""
    words = MEASURE_NAMES[measure].replace(" (", ", ").replace(")", "")
    return words if label is None else f"{words}; label {label}"


# --- the tables ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    title: str
    about: str  # the header's tooltip
    value: Callable[[Any], Any]  # what sorts; None sorts last either way
    text: Callable[[Any], str]
    tip: Callable[[Any], str | None] = lambda row: None
    numeric: bool = True


def measure_column(measure: str, of: Callable[[Any], Figures], title: str | None = None
                   ) -> Column:
    def tip(row) -> str | None:
        figures = of(row)
        value = figures.values.get(measure)
        if value is None:
            return figures.why.get(measure, "undefined")
        return f"{MEASURE_NAMES[measure]}: {value:.4f}"
    return Column(title or MEASURE_TITLES[measure], MEASURE_NAMES[measure],
                  lambda row: of(row).values.get(measure),
                  lambda row: figure(of(row).values.get(measure)), tip)


def span_columns(names: list[str], of: Callable[[Any], Figures]) -> list[Column]:
    def column(name: str) -> Column:
        return Column(f"Spans: {name}", f"Spans by {name}",
                      lambda row: of(row).spans.get(name, 0),
                      lambda row: f"{of(row).spans.get(name, 0):,}")
    return [column(name) for name in names]


def disagreement_column(kind: str, title: str) -> Column:
    return Column(title, DISAGREEMENT_TIPS[kind],
                  lambda f: f.disagreements.get(kind, 0),
                  lambda f: f"{f.disagreements.get(kind, 0):,}")


class FiguresTable(QAbstractTableModel):
    """Rows of figures under columns; sorted here, with the first `pinned` rows kept on top."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[Column] = []
        self.natural: list[Any] = []  # the service's order
        self.rows: list[Any] = []  # the order shown
        self.pinned = 0
        self.order: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self.bold = QFont()
        self.bold.setBold(True)

    def _set(self, columns: list[Column], rows: list[Any], pinned: int = 0) -> None:
        self.beginResetModel()
        self.columns, self.natural, self.pinned = columns, rows, pinned
        if self.order[0] >= len(columns):
            self.order = (-1, Qt.SortOrder.AscendingOrder)
        self.rows = self._sorted()
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Column -1: the service's order (for documents, worst first)."""
        self.layoutAboutToBeChanged.emit()
        before = list(self.rows)
        self.order = (column if column < len(self.columns) else -1, order)
        self.rows = self._sorted()
        where = {id(row): r for r, row in enumerate(self.rows)}
        columns = range(len(self.columns))
        self.changePersistentIndexList(
            [self.index(r, c) for r in range(len(before)) for c in columns],
            [self.index(where[id(row)], c) for row in before for c in columns])
        self.layoutChanged.emit()

    def _sorted(self) -> list[Any]:
        column, order = self.order
        top, rest = self.natural[:self.pinned], self.natural[self.pinned:]
        if column < 0:
            return top + rest
        key = self.columns[column].value
        known = [row for row in rest if key(row) is not None]
        unknown = [row for row in rest if key(row) is None]
        known.sort(key=lambda row: _sort_key(key(row)),
                   reverse=order == Qt.SortOrder.DescendingOrder)
        return top + known + unknown

    def as_text(self) -> str:
        """Tab-separated, header first: pastes into a spreadsheet."""
        lines = ["\t".join(c.title for c in self.columns)]
        lines += ["\t".join(c.text(row) for c in self.columns) for row in self.rows]
        return "\n".join(lines)

    # --- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.columns[section].about)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if (not index.isValid() or not 0 <= index.row() < len(self.rows)
                or not 0 <= index.column() < len(self.columns)):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(column.tip(row))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return _RIGHT
        if role == Qt.ItemDataRole.FontRole and index.row() < self.pinned:
            return self.bold
        if role == Qt.ItemDataRole.UserRole:
            return self.key_of(row)
        return None

    def key_of(self, row: Any) -> Any:
        return None


def _sort_key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


class LabelFigures(FiguresTable):
    """One row per label, the overall figures first (bold, and first however sorted)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.icons: dict[str, QIcon] = {}  # label name -> its colour

    def set_report(self, report: AgreementReport | None, colours: dict[str, str] | None = None
                   ) -> None:
        self.icons = {name: swatch(colour) for name, colour in (colours or {}).items()}
        if report is None:
            self._set([], [])
            return

        def same(f: Figures) -> Figures:
            return f
        columns = [
            Column("Label", "All labels together, then each label",
                   lambda f: "" if f.label is None else f.label,
                   lambda f: "All labels" if f.label is None else f.label, numeric=False),
            measure_column("unitizing_alpha", same),
            Column("Verdict", VERDICT_TIP, lambda f: f.values.get("unitizing_alpha"),
                   lambda f: _verdict_text(f.values.get("unitizing_alpha")),
                   lambda f: VERDICT_TIP, numeric=False),
            measure_column("alpha", same),
            measure_column("kappa", same),
            measure_column("f1_exact", same),
            measure_column("f1_overlap", same),
            *span_columns(report.annotators, same),
            *[disagreement_column(kind, title)
              for kind, title in (("boundary", "Boundary"), ("label", "Other label"),
                                  ("presence", "Presence"))],
        ]
        self._set(columns, [report.overall, *report.per_label], pinned=1)

    def key_of(self, row: Figures) -> str | None:
        return row.label

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DecorationRole and index.isValid() and index.column() == 0
                and 0 <= index.row() < len(self.rows)):
            return self.icons.get(self.rows[index.row()].label)
        return super().data(index, role)

    def row_of_label(self, label: str | None) -> int:
        return next((r for r, f in enumerate(self.rows) if f.label == label), -1)


def _verdict_text(alpha: float | None) -> str:
    word = verdict(alpha)
    return "—" if alpha is None else f"{VERDICT_MARKS[word]} {word}"


class DocumentFiguresTable(FiguresTable):
    """One row per document compared, worst unitizing alpha first."""

    def set_report(self, report: AgreementReport | None) -> None:
        if report is None:
            self._set([], [])
            return

        def overall(d: DocumentFigures) -> Figures:
            return d.overall
        columns = [
            Column("Title", "Double-click, or press Enter, to open it with everyone's spans",
                   lambda d: d.title, lambda d: d.title, lambda d: d.title, numeric=False),
            Column("Characters", "Length of the review", lambda d: d.characters,
                   lambda d: f"{d.characters:,}"),
            measure_column("unitizing_alpha", overall),
            measure_column("f1_overlap", overall),
            *span_columns(report.annotators, overall),
        ]
        self._set(columns, list(report.per_document))

    def key_of(self, row: DocumentFigures) -> int:
        return row.document_id


# --- the scope pickers -----------------------------------------------------------------------

