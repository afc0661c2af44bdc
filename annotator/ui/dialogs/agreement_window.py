"""The agreement window: how far the annotators agree, per label, per pair and per document."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QAction, QFont, QGuiApplication, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.services.agreement import (
    MEASURE_NAMES,
    MEASURES,
    AgreementReport,
    DocumentFigures,
    Figures,
    Scope,
    ScopeError,
    compute,
    default_annotators,
    verdict,
)
from annotator.store.repository import Store

from ..icons import swatch
from ..views.heatmap import Heatmap

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
MEASURE_TITLES = {"unitizing_alpha": "Unitizing α", "alpha": "Char. α", "kappa": "Mean κ",
                  "f1_exact": "F1 exact", "f1_overlap": "F1 overlap"}


def sentence(message: str) -> str:
    """A service message, which reads as a command line error, as a sentence in a window."""
    # The service suggests touched documents; here that choice is a picker.
    message = message.replace("try the documents they all touched instead",
                              "choose Documents: “Touched by all of them”")
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
    return [Column(f"Spans: {name}", f"Spans by {name}",
                   lambda row, n=name: of(row).spans.get(n, 0),
                   lambda row, n=name: f"{of(row).spans.get(n, 0):,}") for name in names]


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
            return self.columns[section].about
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if (not index.isValid() or not 0 <= index.row() < len(self.rows)
                or not 0 <= index.column() < len(self.columns)):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row)
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
            *[Column(title, DISAGREEMENT_TIPS[kind],
                     lambda f, k=kind: f.disagreements.get(k, 0),
                     lambda f, k=kind: f"{f.disagreements.get(k, 0):,}")
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

class ChecklistMenu(QMenu):
    """A menu of checkboxes that stays open while they are ticked."""

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isEnabled() and not action.menu():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class Checklist(QPushButton):
    """A button naming what is ticked ("Annotators: mira, tomasz"); its menu ticks them."""

    changed = Signal()

    def __init__(self, noun: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.actions_by_name: dict[str, QAction] = {}
        self.setAutoDefault(False)
        self.setMenu(ChecklistMenu(self))

    def fill(self, names: list[str], checked: set[str], icons: dict[str, Any] | None = None,
             notes: dict[str, str] | None = None) -> None:
        menu = self.menu()
        menu.clear()
        self.actions_by_name = {}
        menu.addAction("Tick all", lambda: self.set_checked(set(self.actions_by_name)))
        menu.addAction("Tick none", lambda: self.set_checked(set()))
        menu.addSeparator()
        for name in names:
            note = (notes or {}).get(name)
            action = QAction(f"{name}  ({note})" if note else name, menu)
            if icons and name in icons:
                action.setIcon(icons[name])
            action.setCheckable(True)
            action.setChecked(name in checked)
            action.toggled.connect(self._toggled)
            menu.addAction(action)
            self.actions_by_name[name] = action
        self._name_it()

    def checked(self) -> list[str]:
        return [n for n, a in self.actions_by_name.items() if a.isChecked()]

    def set_checked(self, names: set[str]) -> None:
        for name, action in self.actions_by_name.items():
            action.blockSignals(True)
            action.setChecked(name in names)
            action.blockSignals(False)
        self._toggled()

    def _toggled(self, _checked: bool = False) -> None:
        self._name_it()
        self.changed.emit()

    def _name_it(self) -> None:
        ticked, total = self.checked(), len(self.actions_by_name)
        if total and len(ticked) == total:
            shown = f"all {total}" if total > 3 else ", ".join(ticked)
        elif not ticked:
            shown = "none"
        elif len(ticked) <= 3 and sum(map(len, ticked)) <= 32:
            shown = ", ".join(ticked)
        else:
            shown = f"{len(ticked)} of {total}"
        self.setText(f"{self.noun}: {shown}")
        self.setToolTip(f"{self.noun}: {', '.join(ticked) or 'none'}")


# --- the window ------------------------------------------------------------------------------

class AgreementWindow(QWidget):
    """Agreement for a scope of annotators, labels and documents; recomputed as it changes."""

    document_chosen = Signal(int)  # a document to open in compare mode

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)  # its own window, not a dialog on top
        self.store = store
        self.report: AgreementReport | None = None
        self.problem = ""  # why there are no figures, shown in their place
        self.stale = False  # the store changed while the window was in the background
        self.setWindowTitle("Agreement")
        self.resize(1240, 800)
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
        self.lower = QSplitter(Qt.Orientation.Horizontal, self)
        self.lower.addWidget(pairs)
        self.lower.addWidget(documents_box)
        self.lower.setStretchFactor(0, 2)
        self.lower.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.reading)
        self.splitter.addWidget(self.label_table)
        self.splitter.addWidget(self.lower)
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
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.problem_label)

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
    def show_for(cls, store: Store, parent: QWidget | None = None,
                 open_in_compare: Callable[[int], None] | None = None,
                 changed: SignalInstance | None = None) -> AgreementWindow:
        """Opens the window (one per parent; again: brought forward and read afresh), not
        modal, and returns it. `changed` fires when the store changes: the figures follow."""
        found = [w for w in (parent.findChildren(cls) if parent else []) if w.isVisible()]
        if found:
            window = found[0]
            window.reload()
        else:
            window = cls(store, parent)
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
        """The pickers from the store; what was ticked stays ticked, newcomers get the
        default (annotators at work except gold; every label)."""
        annotators = self.store.annotators()
        at_work = self.store.annotators_at_work()
        default = {a.name for a in default_annotators(self.store, "all")}  # the service's
        old = {n: a.isChecked() for n, a in self.annotator_picker.actions_by_name.items()}
        ticked = {a.name for a in annotators if old.get(a.name, a.name in default)}
        self.annotator_picker.blockSignals(True)
        self.annotator_picker.fill([a.name for a in annotators], ticked, notes={
            a.name: "nothing done yet" for a in annotators if a.uuid not in at_work})
        self.annotator_picker.blockSignals(False)
        labels = self.store.labels()
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
            raise ScopeError("agreement needs at least two annotators; none in scope")
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
        """An edit in the main window: recomputed now if this window is in front, else when
        it comes to the front (no pause on each keystroke while annotating)."""
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
        self._timer.stop()
        self.stale = False
        try:
            report = compute(self.store, self.scope())
        except ScopeError as e:
            self.show_problem(sentence(str(e)))
            return
        except sqlite3.Error as e:  # a locked or damaged database: say so, keep the window
            self.show_problem(f"The database could not be read: {e}")
            return
        self.show_report(report)

    def show_problem(self, message: str) -> None:
        self.report, self.problem = None, message
        self.problem_label.setText(message)
        self.label_model.set_report(None)
        self.document_model.set_report(None)
        self.heatmap.clear()
        self.pages.setCurrentWidget(self.problem_label)

    def show_report(self, report: AgreementReport) -> None:
        chosen = self.chosen_label()
        self.report, self.problem = report, ""
        self.reading.setPlainText("\n".join(report.reading))
        self.label_model.set_report(report, {lb.name: lb.colour for lb in self.store.labels()})
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
                             ("agreement/lower", self.lower.restoreState)):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.report is not None:
            self._fit_panes()  # now that the splitter has its real height

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        settings = QSettings()
        settings.setValue("agreement/geometry", self.saveGeometry())
        settings.setValue("agreement/splitter", self.splitter.saveState())
        settings.setValue("agreement/lower", self.lower.saveState())
        super().closeEvent(event)
