"""The document list side panel: a search box and filters over a sortable table of
documents."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import GOLD, DocumentFilter, Status
from annotator.ui.models.document_list import FIRST_LABEL, STATUS, TITLE, DocumentListModel
from annotator.ui.plain import tooltip

FILTER_DELAY_MS = 200  # typing pauses this long before the database is asked
LABEL_COLUMNS = "documents/label_columns"  # remembered: a count column per label, or not
TITLE_CHARACTERS = 25  # the least of a title shown while the panel has room


class DocumentListPanel(QWidget):
    """Search box, filters (label, annotator, status, has a note, disagreement), "n of m
    shown", and the table. Keeps the current document selected by id."""

    document_chosen = Signal(int)  # the current row moved to another document
    filter_applied = Signal()  # the list shows another search or other filters

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._current_id: int | None = None  # survives resets, sorts and filters
        self._fitting = False  # the title column is being fitted, not dragged
        self.title_dragged = False  # the user set the title's width: it is kept
        self.label_columns = bool(QSettings().value(LABEL_COLUMNS, False, type=bool))

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("documentFilter")
        self.filter_box.setPlaceholderText('Search titles and texts: words, "a phrase", OR, NOT')
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.installEventFilter(self)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_box.textChanged.connect(lambda _text: self._filter_timer.start())

        self.shown_label = QLabel(self)
        self.shown_label.setObjectName("documentsShown")
        self.shown_label.setTextFormat(Qt.TextFormat.PlainText)
        self.shown_label.setEnabled(False)  # dimmed: a remark, not a control
        self.shown_label.hide()
        self._make_filters()

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
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._section_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.label_columns_action = QAction("Show a count column per label", self)
        self.label_columns_action.setCheckable(True)
        self.label_columns_action.setChecked(self.label_columns)
        self.label_columns_action.toggled.connect(self.show_label_columns)
        # Enabling sorting sorts at once by the indicator: make that the model's own order.
        self._show_sort_indicator()
        self.table.setSortingEnabled(True)
        self.table.viewport().installEventFilter(self)  # its width: the title's to fill
        self._size_columns()

        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        model.modelReset.connect(self._after_reset)
        model.layoutChanged.connect(self._keep_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_box)
        combos = QHBoxLayout()
        combos.setSpacing(4)
        for box in (self.label_filter, self.annotator_filter, self.status_filter):
            combos.addWidget(box, 1)
        layout.addLayout(combos)
        checks = QHBoxLayout()
        checks.setSpacing(10)
        checks.addWidget(self.note_filter)
        checks.addWidget(self.disagreement_filter)
        checks.addStretch(1)
        checks.addWidget(self.shown_label)
        layout.addLayout(checks)
        layout.addWidget(self.table)

    def _make_filters(self) -> None:
        """Combo boxes and check boxes under the search box. Label and annotator names are
        typed by users: a combo box shows its items as plain text, tooltips are escaped."""
        self.label_filter = QComboBox(self)
        self.label_filter.setObjectName("labelFilter")
        self.label_filter.setToolTip("Only documents with a span of this label")
        self.annotator_filter = QComboBox(self)
        self.annotator_filter.setObjectName("annotatorFilter")
        self.annotator_filter.setToolTip("Only documents this annotator made spans in")
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setToolTip("Only documents with this status of yours (the "
                                      "Status column)")
        self.status_filter.addItem("Any status", None)
        for status in Status:
            self.status_filter.addItem(status.value, status.value)
        for box in (self.label_filter, self.annotator_filter, self.status_filter):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            box.currentIndexChanged.connect(self._filters_changed)
        self.note_filter = QCheckBox("Has a note", self)
        self.note_filter.setObjectName("noteFilter")
        self.note_filter.setToolTip("Only documents with a span that has a note")
        self.disagreement_filter = QCheckBox("Disagreement", self)
        self.disagreement_filter.setObjectName("disagreementFilter")
        self.disagreement_filter.setToolTip(
            "Only documents where annotators disagree (gold left out): two or more made "
            "spans, and not all of them the same ones (F8 steps through them)")
        for check in (self.note_filter, self.disagreement_filter):
            check.toggled.connect(self._filters_changed)
        self.refresh_choices()

    def refresh_choices(self) -> None:
        """The labels and annotators to choose from, again (they were added, renamed or
        removed); what was chosen stays chosen while it still exists."""
        workspace = self.model.workspace
        labels = [(label.name, label.uuid) for label in workspace.labels()]
        people = [(person.name, person.uuid) for person in workspace.annotators()
                  if person.uuid != GOLD.uuid or workspace.adjudicating]
        people.sort(key=lambda item: item[0].casefold())
        for box, anything, items in ((self.label_filter, "Any label", labels),
                                     (self.annotator_filter, "Anyone", people)):
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(anything, None)
            for name, uuid in items:
                box.addItem(name, uuid)
                box.setItemData(box.count() - 1, tooltip(name), Qt.ItemDataRole.ToolTipRole)
            box.setCurrentIndex(max(0, box.findData(chosen)))
            box.blockSignals(False)
        self._filters_changed()

    def narrow(self) -> DocumentFilter:
        """The filters as chosen."""
        status = self.status_filter.currentData()
        return DocumentFilter(label_uuid=self.label_filter.currentData(),
                              annotator_uuid=self.annotator_filter.currentData(),
                              status=Status(status) if status else None,
                              has_note=self.note_filter.isChecked(),
                              disagreement=self.disagreement_filter.isChecked())

    def _filters_changed(self, *_args) -> None:
        if self.model.narrow != self.narrow():
            self.model.set_narrow(self.narrow())
            self._update_shown()
            self.filter_applied.emit()

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
        before = self.model.search
        self.model.set_filter(self.filter_box.text())
        self._update_shown()
        if self.model.search != before:
            self.filter_applied.emit()

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

    def show_label_columns(self, shown: bool) -> None:
        """A count column per label beside the title, or only the total (the default: with
        many labels the counts would squeeze the titles; the total's tooltip has them)."""
        self.label_columns = shown
        QSettings().setValue(LABEL_COLUMNS, shown)
        self._size_columns()

    def _header_menu(self, position) -> None:
        menu = QMenu(self)
        menu.addAction(self.label_columns_action)
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _size_columns(self) -> None:
        """Every column from its header and a few characters, never from the rows (the
        model is lazy: asking every row would read every document); the title takes the
        rest of the width and can be dragged wider or narrower like any column."""
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        arrow = 22  # the sort indicator beside a title
        narrow = metrics.horizontalAdvance("888") + 34  # a swatch and three digits
        status = max(metrics.horizontalAdvance(word) for word in ("in progress", "Status"))
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            if column == STATUS:
                header.resizeSection(column, status + arrow)
            elif column == self.model.spans_column:
                header.resizeSection(column, max(narrow, metrics.horizontalAdvance("Spans")
                                                 + arrow))
            elif column >= FIRST_LABEL:
                self.table.setColumnHidden(column, not self.label_columns)
                header.resizeSection(column, narrow)
        self._fit_title()

    def _fit_title(self) -> None:
        """The title column fills what the other columns leave, unless the user dragged it;
        at least TITLE_CHARACTERS wide (then the list scrolls sideways)."""
        header = self.table.horizontalHeader()
        if self.title_dragged or not header.count():
            return
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != TITLE and not header.isSectionHidden(c))
        least = self.fontMetrics().averageCharWidth() * TITLE_CHARACTERS
        self._fitting = True
        header.resizeSection(TITLE, max(self.table.viewport().width() - others, least))
        self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == TITLE and not self._fitting:
            self.title_dragged = True  # the user's width stands from now on


    def _update_shown(self) -> None:
        if self.model.filtered:
            self.shown_label.setText(f"{len(self.model.ids):,} of {self.model.total:,} shown")
            self.shown_label.show()
        else:
            self.shown_label.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_title()
            return False
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
