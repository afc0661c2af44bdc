"""The document list: a table model over document ids, rows fetched lazily."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon

from annotator.domain.changes import Change
from annotator.domain.errors import StoreError
from annotator.domain.model import DocumentFilter, DocumentSummary, Label, Status
from annotator.ui.icons import swatch
from annotator.ui.plain import tooltip
from annotator.workspace import Workspace

TITLE, STATUS, FIRST_LABEL = 0, 1, 2  # then one column per label, then the total of spans
PAGE = 200
COUNT_ROLE = Qt.ItemDataRole.UserRole + 1  # a count column's number as an int (0 included)

Index = QModelIndex | QPersistentModelIndex

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Done and in progress stand out from new; the words differ too, so colour is not the only cue.
_STATUS_BRUSHES = {Status.DONE: QBrush(QColor("#2e7d32")),
                   Status.IN_PROGRESS: QBrush(QColor("#b35c00"))}


class InImportOrder(Sequence[int]):
    """Every document's id in the order of import, read a page at a time as rows are asked
    for: at 100,000 documents, reading every id (~50 ms) was most of opening the window.
    The whole list is read once something needs it all (sorting, stepping through
    disagreements)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._length = workspace.count_documents()
        self._pages: dict[int, list[int]] = {}
        self._all: list[int] | None = None
        self._ranks: dict[int, int] = {}

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            start, stop, step = i.indices(self._length)
            if step == 1 and stop - start <= PAGE:
                return [self[k] for k in range(start, stop)]
            return self.materialized()[i]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        if self._all is not None:
            return self._all[i]
        page = self._pages.get(i // PAGE)
        if page is None:
            page = self._pages[i // PAGE] = self.workspace.document_ids_page(
                i - i % PAGE, PAGE)
        # Shorter than counted: removed by another program since; 0 is no document's id,
        # and the change is seen (and the list read again) within seconds.
        return page[i % PAGE] if i % PAGE < len(page) else 0

    def __iter__(self):
        return iter(self.materialized())

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, int) and self.row_of(doc_id) >= 0

    def index(self, doc_id: object, start: int = 0, stop: int | None = None) -> int:
        row = self.row_of(doc_id) if isinstance(doc_id, int) else -1
        if row < start or (stop is not None and row >= stop):
            raise ValueError(f"{doc_id!r} is not in the list")
        return row

    def row_of(self, doc_id: int) -> int:
        """The document's row, -1 if it is not listed: one indexed count, remembered."""
        if doc_id not in self._ranks:
            rank = self.workspace.document_rank(doc_id)
            self._ranks[doc_id] = rank if rank is not None and rank < self._length else -1
        return self._ranks[doc_id]

    def materialized(self) -> list[int]:
        if self._all is None:
            self._all = self.workspace.document_ids()
        return self._all


class DocumentListModel(QAbstractTableModel):
    """Columns: Title, Status, one count per label, Spans; all for one annotator.

    Holds only the ids in the current filter and order (both done by the workspace);
    summaries are fetched a page at a time as rows are shown. Labels are re-read on every
    reload.
    """

    def __init__(self, workspace: Workspace, annotator_uuid: str, parent=None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.annotator_uuid = annotator_uuid
        self.labels: list[Label] = []
        self.ids: Sequence[int] = []
        self.rows: dict[int, DocumentSummary] = {}  # cache, filled a page at a time
        self.search = ""
        self.narrow = DocumentFilter()  # the filters beside the search box
        self.total = 0  # documents in the database, filtered out or not
        self._order = "id"  # a Workspace.document_ids order
        self._label_uuid: str | None = None  # for the "label" order
        self._descending = False
        self._row_by_id: dict[int, int] | None = None  # built when first asked for
        self._as_queried: tuple | None = None  # see _asked
        self._swatches: dict[str, QIcon] = {}
        self._done: int | None = None  # documents this annotator marked done, once counted
        self.reload()

    # --- reading ------------------------------------------------------------------------
    def reload(self, annotator_uuid: str | None = None) -> None:
        """Everything again (labels too), keeping the filter and the order."""
        if annotator_uuid:
            self.annotator_uuid = annotator_uuid
        self._reset(self.workspace.labels())

    def set_labels(self, labels: list[Label]) -> None:
        """One count column per label, in this order (until the next reload)."""
        self._reset(list(labels))

    def set_filter(self, text: str) -> None:
        """Show only documents whose title or text match `text`: words, each matched by
        its start as it is typed ("harb" finds harbour), "a phrase", OR, NOT; any case,
        accents ignored (the workspace's search index)."""
        text = text.strip()
        if text != self.search:
            self.search = text
            self._reset(self.labels)

    def set_narrow(self, narrow: DocumentFilter) -> None:
        """Show only documents passing these filters too (a status is the list's own
        annotator's, as the Status column shows it)."""
        if narrow != self.narrow:
            self.narrow = narrow
            self._reset(self.labels)

    @property
    def filtered(self) -> bool:
        return bool(self.search or self.narrow)

    def _reset(self, labels: list[Label]) -> None:
        self.beginResetModel()
        self.labels = labels
        self._swatches.clear()
        if self._order == "label" and self.label_column(self._label_uuid or "") < 0:
            self._order, self._label_uuid = "id", None  # that label's column has gone
        self._set_ids(self._query())
        self.rows.clear()
        self._done = None
        self.total = self.workspace.count_documents() if self.filtered else len(self.ids)
        self.endResetModel()

    def _query(self) -> Sequence[int]:
        ids: Sequence[int]
        if self._order == "id" and not self._descending and not self.filtered:
            ids = InImportOrder(self.workspace)  # the usual list, read as it is shown
        else:
            narrow = (replace(self.narrow, status_of=self.annotator_uuid)
                      if self.narrow.status is not None else self.narrow)
            ids = self.workspace.document_ids(self.search, self._order, self._descending,
                                              self.annotator_uuid, self._label_uuid, narrow)
        self._as_queried = self._asked()  # once the ids are read: a failed read is asked again
        return ids

    def _asked(self) -> tuple:
        """What the ids answer: while it holds and nothing changed, asking again is waste
        (enabling sorting asks at once; at 100,000 documents a query is ~50 ms)."""
        return (self.search, self.narrow, self._order, self._descending, self._label_uuid,
                self.annotator_uuid)

    def _set_ids(self, ids: Sequence[int]) -> None:
        self.ids = ids
        self._row_by_id = None

    def summary(self, row: int) -> DocumentSummary:
        doc_id = self.ids[row]
        if doc_id not in self.rows:
            page = self.ids[row - row % PAGE: row - row % PAGE + PAGE]
            try:
                summaries = self.workspace.document_summaries(self.annotator_uuid, page)
            except StoreError:  # a damaged database: said once by the window's banner, and
                # these rows stand in for the page rather than ask again on every repaint
                summaries = [DocumentSummary(d, "(cannot be read: the database is damaged)",
                                             Status.NEW, 0) for d in page]
            for s in summaries:
                self.rows[s.id] = s
        found = self.rows.get(doc_id)
        if found is None:  # removed by another program since the list was read
            return DocumentSummary(doc_id, "(removed elsewhere)", Status.NEW, 0)
        return found

    def row_of(self, document_id: int) -> int:
        if isinstance(self.ids, InImportOrder):
            return self.ids.row_of(document_id)
        if self._row_by_id is None:
            self._row_by_id = {doc_id: row for row, doc_id in enumerate(self.ids)}
        return self._row_by_id.get(document_id, -1)

    def done_count(self) -> int:
        """Documents this annotator marked done: counted once, then kept up to date from
        each change (no query per key press)."""
        if self._done is None:
            self._done = self.workspace.count_done(self.annotator_uuid)
        return self._done

    # --- columns ------------------------------------------------------------------------
    @property
    def spans_column(self) -> int:
        return FIRST_LABEL + len(self.labels)

    def label_column(self, label_uuid: str) -> int:
        for i, label in enumerate(self.labels):
            if label.uuid == label_uuid:
                return FIRST_LABEL + i
        return -1

    def label_at(self, column: int) -> Label | None:
        i = column - FIRST_LABEL
        return self.labels[i] if 0 <= i < len(self.labels) else None

    def counts_text(self, s: DocumentSummary) -> str:
        """Your spans per label, in the label set's order: "spoiler 2 · praise 1"."""
        parts = [f"{label.name} {s.label_counts[label.uuid]}" for label in self.labels
                 if s.label_counts.get(label.uuid)]
        return " · ".join(parts) if parts else "No spans of yours"

    def _count(self, s: DocumentSummary, column: int) -> int:
        label = self.label_at(column)
        return s.label_counts.get(label.uuid, 0) if label else s.span_count

    # --- sorting ------------------------------------------------------------------------
    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        """The sorted column (-1: none, the order of import) and its direction."""
        column = {"id": -1, "title": TITLE, "status": STATUS, "spans": self.spans_column,
                  "label": self.label_column(self._label_uuid or "")}[self._order]
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        return column, order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the ids in this order; -1 means the order of import."""
        label = self.label_at(column)
        self._label_uuid = label.uuid if label else None
        if column == TITLE:
            self._order = "title"
        elif column == STATUS:
            self._order = "status"
        elif label is not None:
            self._order = "label"
        elif column == self.spans_column:
            self._order = "spans"
        else:
            self._order = "id"
        self._descending = order == Qt.SortOrder.DescendingOrder and self._order != "id"
        if self._as_queried == self._asked():
            return  # in this order already, and nothing has changed since
        ids = self._query()
        if len(ids) != len(self.ids) or set(ids) != set(self.ids):  # the database moved on
            self._reset(self.labels)
            return
        # Same rows, new places: move persistent indexes (selection, current) with their rows.
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        moved_ids = [self.ids[p.row()] if 0 <= p.row() < len(self.ids) else None
                     for p in persistent]
        self._set_ids(ids)
        self.changePersistentIndexList(
            persistent,
            [self.index(self.row_of(d), p.column()) if d is not None else QModelIndex()
             for p, d in zip(persistent, moved_ids, strict=True)])
        self.layoutChanged.emit()

    # --- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.spans_column + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        label = self.label_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if label is not None:  # narrow: swatch and key (as on the toolbar); name in tooltip
                return label.shortcut or (label.name if len(label.name) <= 3
                                          else label.name[:2] + "…")
            return {TITLE: "Title", STATUS: "Status"}.get(section, "Spans")
        if role == Qt.ItemDataRole.DecorationRole and label is not None:
            if label.uuid not in self._swatches:
                self._swatches[label.uuid] = swatch(label.colour)
            return self._swatches[label.uuid]
        if role == Qt.ItemDataRole.ToolTipRole:
            if label is not None:
                return tooltip(f"{label.name}: {label.description}" if label.description
                               else label.name)
            return {TITLE: "The document's title",
                    STATUS: "Your progress: new, in progress or done"}.get(
                section, "Your spans in the document, all labels")
        if role == Qt.ItemDataRole.InitialSortOrderRole and section >= FIRST_LABEL:
            return Qt.SortOrder.DescendingOrder  # most spans first
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        s = self.summary(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE:
                return s.title
            if column == STATUS:
                return s.status.value
            count = self._count(s, column)
            return str(count) if count else None  # blank, not a wall of zeros
        if role == COUNT_ROLE and column >= FIRST_LABEL:
            return self._count(s, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            return tooltip(s.title)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.spans_column:
            return tooltip(self.counts_text(s))
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return _STATUS_BRUSHES.get(s.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= FIRST_LABEL:
            return _RIGHT
        if role == Qt.ItemDataRole.UserRole:
            return s.id
        return None

    # --- updates ------------------------------------------------------------------------
    def apply(self, change: Change) -> None:
        """Refresh only the row the change touched; rows are not re-sorted under the user."""
        self._as_queried = None  # sorting again asks again
        if change.documents_changed or change.labels_changed:
            self.reload()
            return
        if change.title is not None and change.document_id is not None:  # a rename
            cached = self.rows.get(change.document_id)
            if cached is not None:
                self.rows[cached.id] = replace(cached, title=change.title)
            row = self.row_of(change.document_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row, TITLE), self.index(row, TITLE))
            return
        if change.document_id is None or change.annotator_uuid != self.annotator_uuid:
            return
        row = self.row_of(change.document_id)
        cached = self.rows.get(change.document_id)
        if change.status is not None:  # the done count follows the status, cached or not
            if cached is None:
                self._done = None
            elif self._done is not None:
                self._done += ((change.status is Status.DONE)
                               - (cached.status is Status.DONE))
        if row < 0:
            return
        if cached is not None:
            # The change says exactly what moved: count it here instead of asking the database,
            # which for a document with 10,000 spans costs more than the edit itself.
            self.rows[cached.id] = _counted(cached, change)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


def _counted(summary: DocumentSummary, change: Change) -> DocumentSummary:
    counts = dict(summary.label_counts)
    for span in change.removed:
        counts[span.label_uuid] = counts.get(span.label_uuid, 0) - 1
    for span in change.added:
        counts[span.label_uuid] = counts.get(span.label_uuid, 0) + 1
    counts = {label: n for label, n in counts.items() if n > 0}
    return replace(summary, status=change.status or summary.status,
                   span_count=sum(counts.values()), label_counts=counts)
