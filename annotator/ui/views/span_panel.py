"""The span table beside the document: sortable, filterable by label; picks spans."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.changes import Change
from annotator.domain.model import Label

from ..icons import swatch
from ..models.span_table import SpanTableModel


class SpanPanel(QWidget):
    span_chosen = Signal(str)  # uuid; the user picked a row
    delete_requested = Signal(list)  # uuids of the selected rows

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = SpanTableModel(self)
        self.label_filter = QComboBox(self)
        self.label_filter.setObjectName("spanLabelFilter")
        self.label_filter.currentIndexChanged.connect(
            lambda _: self.model.set_label_filter(self.label_filter.currentData()))
        self.table = QTableView(self)
        self.table.setObjectName("spanTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Wide enough for each title and the sort arrow beside it (not from the rows);
        # the text column takes the rest.
        metrics = header.fontMetrics()
        arrow = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) + 6
        for column, least in ((0, 86), (2, 62), (3, 40), (4, 36)):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            sorted_by = arrow if column == 4 else 0  # the table starts sorted by position
            header.resizeSection(column, max(least, metrics.horizontalAdvance(title) + 16
                                             + sorted_by))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        delete = QAction("Delete span", self.table)
        delete.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete),
                             QKeySequence(Qt.Key.Key_Backspace)])
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(lambda: self.delete_requested.emit(self.selected_uuids()))
        self.table.addAction(delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label_filter)
        layout.addWidget(self.table)
        self._quiet = False

    def set_labels(self, labels: list[Label]) -> None:
        chosen = self.label_filter.currentData()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem("All labels", None)
        for label in labels:
            self.label_filter.addItem(swatch(label.colour), label.name, label.uuid)
        found = self.label_filter.findData(chosen)
        self.label_filter.setCurrentIndex(max(found, 0))
        self.label_filter.blockSignals(False)
        self.model.set_label_filter(self.label_filter.currentData())

    def selected_uuids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.data(index, Qt.ItemDataRole.UserRole) for index in rows]

    def apply(self, change: Change, selected: str | None) -> None:
        """Take a saved change, then select `selected` again. Rows removed or moved by the
        change make Qt move the current row; that move is not the user's pick."""
        self._quiet = True
        try:
            self.model.apply(change)
        finally:
            self._quiet = False
        self.show_span(selected)

    def show_span(self, uuid: str | None) -> None:
        """Follow the document pane's selection without reporting it back."""
        if self._quiet:  # the pane is answering a pick made here (maybe a Ctrl+click)
            return
        self._quiet = True
        try:
            row = self.model.row_of(uuid) if uuid else -1
            if row < 0:
                self.table.selectionModel().clear()
                return
            index = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag
            # Explicit flags: the view's own setCurrentIndex would read the keyboard modifiers.
            self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
            self.table.scrollTo(index)
        finally:
            self._quiet = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self._quiet = True
            try:
                self.span_chosen.emit(self.model.data(current, Qt.ItemDataRole.UserRole))
            finally:
                self._quiet = False
