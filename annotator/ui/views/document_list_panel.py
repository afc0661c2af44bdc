"""The document list side panel: a filter box over a sortable table of documents."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.models.document_list import STATUS, TITLE, DocumentListModel

FILTER_DELAY_MS = 200  # typing pauses this long before the store is asked


class DocumentListPanel(QWidget):
    """Filter box, "n of m shown", and the table. Keeps the current document selected by id."""

    document_chosen = Signal(int)  # the current row moved to another document

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._current_id: int | None = None  # survives resets, sorts and filters

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("documentFilter")
        self.filter_box.setPlaceholderText("Filter by title or text")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.installEventFilter(self)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_box.textChanged.connect(lambda _text: self._filter_timer.start())

        self.shown_label = QLabel(self)
        self.shown_label.setObjectName("documentsShown")
        self.shown_label.setEnabled(False)  # dimmed: a remark, not a control
        self.shown_label.hide()

        self.table = QTableView(self)
        self.table.setObjectName("documentList")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSortIndicatorClearable(True)  # a third click goes back to import order
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setResizeContentsPrecision(0)  # size columns from the rows in view: stays lazy
        # Enabling sorting sorts at once by the indicator: make that the model's own order.
        self._show_sort_indicator()
        self.table.setSortingEnabled(True)
        self._size_columns()

        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        model.modelReset.connect(self._after_reset)
        model.layoutChanged.connect(self._keep_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.shown_label)
        layout.addWidget(self.table)

    # --- public -------------------------------------------------------------------------
    def select_document(self, doc_id: int) -> bool:
        """Make this document the current row; False when it is not in the list (filtered).

        Either way it becomes the panel's current document, so the list never highlights
        one document while another is open, and clicking the old one opens it again.
        """
        self._current_id = doc_id  # set first: the window chose it, nothing to report
        row = self.model.row_of(doc_id)
        if row < 0:
            self.table.selectionModel().clear()
            return False
        self._go_to(row)
        return True

    def _go_to(self, row: int) -> None:
        index = self.model.index(row, TITLE)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)

    def current_document(self) -> int | None:
        """The document last chosen, even while the filter hides it."""
        return self._current_id

    def apply_filter(self) -> None:
        """Filter now, without waiting for the pause in typing."""
        self._filter_timer.stop()
        self.model.set_filter(self.filter_box.text())
        self._update_shown()

    # --- reactions ----------------------------------------------------------------------
    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        doc_id = self.model.ids[current.row()]
        if doc_id != self._current_id:
            self._current_id = doc_id
            self.document_chosen.emit(doc_id)

    def _after_reset(self) -> None:
        """Columns may have changed (labels); reselect the current document if still listed."""
        self._size_columns()
        self._show_sort_indicator()
        self._keep_current()
        self._update_shown()

    def _keep_current(self) -> None:
        if self._current_id is None:
            return
        current = self.table.currentIndex()
        if current.isValid() and self.model.ids[current.row()] == self._current_id:
            self.table.scrollTo(current)
        else:
            self.select_document(self._current_id)

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        column, order = self.model.sort_state()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.blockSignals(True)  # showing the order, not asking for it again
            header.setSortIndicator(column, order)
            header.blockSignals(False)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        # Counts get a narrow fixed width (a swatch and three digits; the name is in the
        # tooltip), so the title keeps the room.
        narrow = self.fontMetrics().horizontalAdvance("888") + 34
        for column in range(self.model.columnCount()):
            if column == TITLE:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif column == STATUS:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, narrow)

    def _update_shown(self) -> None:
        if self.model.search:
            self.shown_label.setText(f"{len(self.model.ids)} of {self.model.total} shown")
            self.shown_label.show()
        else:
            self.shown_label.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (watched is self.filter_box and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            key = event.key()
            if key == Qt.Key.Key_Escape and self.filter_box.text():
                self.filter_box.clear()
                self.apply_filter()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.apply_filter()
                return True
            if key == Qt.Key.Key_Down and self.model.rowCount():  # from the box into the list
                if not self.table.currentIndex().isValid():
                    self._go_to(0)  # the user's choice: reported like a click
                self.table.setFocus()
                return True
        return super().eventFilter(watched, event)
