"""The document list: a table model over document ids, rows fetched from the store lazily."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.domain.changes import Change
from annotator.domain.model import DocumentSummary, Status
from annotator.store.repository import Store

COLUMNS = ("Title", "Status", "Spans")
PAGE = 200

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, store: Store, annotator_uuid: str, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator_uuid = annotator_uuid
        self.ids: list[int] = []
        self.rows: dict[int, DocumentSummary] = {}  # cache, filled a page at a time
        self.reload()

    def reload(self, annotator_uuid: str | None = None) -> None:
        self.beginResetModel()
        if annotator_uuid:
            self.annotator_uuid = annotator_uuid
        self.ids = self.store.document_ids()
        self.rows.clear()
        self.endResetModel()

    def summary(self, row: int) -> DocumentSummary:
        doc_id = self.ids[row]
        if doc_id not in self.rows:
            page = self.ids[row - row % PAGE: row - row % PAGE + PAGE]
            for s in self.store.document_summaries(self.annotator_uuid, page):
                self.rows[s.id] = s
        return self.rows[doc_id]

    def row_of(self, document_id: int) -> int:
        try:
            return self.ids.index(document_id)
        except ValueError:
            return -1

    def done_count(self) -> int:
        return self.store.count_status_of(self.annotator_uuid, Status.DONE)

    # --- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        s = self.summary(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.title, s.status.value, s.span_count)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return s.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return s.id
        return None

    # --- updates ------------------------------------------------------------------------
    def apply(self, change: Change) -> None:
        """Refresh only the row the change touched."""
        if change.documents_changed:
            self.reload()
            return
        if change.document_id is None or change.annotator_uuid != self.annotator_uuid:
            return
        row = self.row_of(change.document_id)
        if row < 0:
            return
        self.rows.pop(change.document_id, None)
        for s in self.store.document_summaries(self.annotator_uuid, [change.document_id]):
            self.rows[s.id] = s
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
