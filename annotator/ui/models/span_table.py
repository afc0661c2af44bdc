"""The spans of the open document as a table model over span ids: label, text, who, note."""

from __future__ import annotations

from bisect import bisect_right
from operator import attrgetter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from annotator.domain.changes import Change
from annotator.domain.model import Label, Span

from ..icons import swatch
from ..plain import tooltip

COLUMNS = ("Label", "Text", "By", "Note", "At")
COLUMN_TIPS = ("The span's label", "The text it covers", "Who made it", "Its note, if any",
               "Where it starts in the text (characters)")
EXCERPT = 80
_POSITION = attrgetter("start", "end", "uuid")

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """One line of at most `limit` characters; line breaks shown as ⏎."""
    flat = text.replace("\n", " ⏎ ")
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


class SpanTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.uuids: list[str] = []  # the rows shown: sorted, and only the label filtered for
        self.spans: dict[str, Span] = {}  # every span of the document, shown or not
        self.label_filter: str | None = None
        self.labels: dict[str, Label] = {}
        self.names: dict[str, str] = {}
        self.mine: str | None = None  # the current annotator; others' rows are in italics
        self.order = (4, Qt.SortOrder.AscendingOrder)
        self.italic = QFont()
        self.italic.setItalic(True)

    def set_context(self, labels: list[Label], names: dict[str, str], mine: str) -> None:
        self.beginResetModel()
        self.labels = {label.uuid: label for label in labels}
        self.names, self.mine = names, mine
        self.endResetModel()

    def set_spans(self, spans: list[Span]) -> None:
        self.beginResetModel()
        self.spans = {s.uuid: s for s in spans}
        self.uuids = self._sorted([u for u, s in self.spans.items() if self._shows(s)])
        self.endResetModel()

    def set_label_filter(self, label_uuid: str | None) -> None:
        """Show only this label's spans (None: all). Filtered here, not by a proxy model,
        which would call back into Python for each of 10,000 rows on every reset."""
        self.beginResetModel()
        self.label_filter = label_uuid
        self.uuids = self._sorted([u for u, s in self.spans.items() if self._shows(s)])
        self.endResetModel()

    def _shows(self, span: Span) -> bool:
        return self.label_filter is None or span.label_uuid == self.label_filter

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here in Python, not by a proxy: 10,000 spans sort in milliseconds this way,
        while a sorting proxy makes half a million data() calls."""
        self.order = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = {uuid: row for row, uuid in enumerate(self.uuids)}
        self.uuids = self._sorted(self.uuids)
        moved_from = [self.index(old[u], c) for u in self.uuids for c in range(len(COLUMNS))]
        moved_to = [self.index(r, c) for r in range(len(self.uuids)) for c in range(len(COLUMNS))]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _sorted(self, uuids: list[str]) -> list[str]:
        column, order = self.order
        if column == len(COLUMNS) - 1:  # text order, the usual one: sorted at C speed
            spans = sorted((self.spans[u] for u in uuids), key=_POSITION)
            keyed = [s.uuid for s in spans]
        else:
            keyed = sorted(uuids, key=lambda u: self._key(u, column))
        return keyed[::-1] if order == Qt.SortOrder.DescendingOrder else keyed

    def _key(self, uuid: str, column: int) -> tuple:
        span = self.spans[uuid]
        return (self._sort_key(span, column), span.start, span.end, uuid)

    def _sort_key(self, span: Span, column: int):
        label = self.labels.get(span.label_uuid)
        if column == 0:
            return label.position if label else 1 << 30
        if column == 1:
            return span.text.casefold()
        if column == 2:
            return self.names.get(span.annotator_uuid, "").casefold()
        if column == 3:
            return (span.note or "").casefold()
        return span.start

    def span_at_row(self, row: int) -> Span:
        return self.spans[self.uuids[row]]

    def row_of(self, uuid: str) -> int:
        try:
            return self.uuids.index(uuid)
        except ValueError:
            return -1

    def apply(self, change: Change) -> None:
        """Edits in place refresh their row; removals and additions remove and add rows."""
        added = {s.uuid: s for s in change.added}
        for span in change.removed:
            if span.uuid not in self.spans:
                continue
            row = self.row_of(span.uuid)
            new = added.get(span.uuid)
            if row >= 0 and new is not None and self._shows(new) and self._stays(row, new):
                self.spans[span.uuid] = added.pop(span.uuid)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                continue
            # Removed, or edited so that it sorts elsewhere: out, and back in at its place.
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.uuids[row]
                self.endRemoveRows()
            del self.spans[span.uuid]
        for span in added.values():
            if span.uuid in self.spans:
                continue
            self.spans[span.uuid] = span
            if not self._shows(span):
                continue
            row = self._insertion_row(span)
            self.beginInsertRows(QModelIndex(), row, row)
            self.uuids.insert(row, span.uuid)
            self.endInsertRows()

    def _stays(self, row: int, new: Span) -> bool:
        """Does an edited span still sort between its neighbours?"""
        column, order = self.order
        old = self.spans[self.uuids[row]]
        self.spans[new.uuid] = new
        try:
            key = self._key(new.uuid, column)
            before = self._key(self.uuids[row - 1], column) if row > 0 else None
            after = self._key(self.uuids[row + 1], column) if row + 1 < len(self.uuids) else None
        finally:
            self.spans[old.uuid] = old
        if order == Qt.SortOrder.DescendingOrder:
            before, after = after, before
        return (before is None or before <= key) and (after is None or key <= after)

    def _insertion_row(self, span: Span) -> int:
        """Where a new span goes in the current order: a binary search, not a re-sort."""
        column, order = self.order
        rows = self.uuids if order == Qt.SortOrder.AscendingOrder else self.uuids[::-1]
        row = bisect_right(rows, self._key(span.uuid, column),
                           key=lambda u: self._key(u, column))
        return row if order == Qt.SortOrder.AscendingOrder else len(rows) - row

    # --- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.uuids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.uuids):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            span = self.span_at_row(index.row())
            if column == 0:
                return self._label_name(span)
            if column == 1:
                return excerpt(span.text)
            if column == 2:
                return self.names.get(span.annotator_uuid, "")
            if column == 3:
                return excerpt((span.note or "").strip(), 40)
            return span.start
        if role == Qt.ItemDataRole.UserRole:
            return self.uuids[index.row()]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            label = self.labels.get(self.span_at_row(index.row()).label_uuid)
            return swatch(label.colour) if label else None
        if role == Qt.ItemDataRole.ToolTipRole:
            span = self.span_at_row(index.row())
            label = self.labels.get(span.label_uuid)
            if column == 1:
                return tooltip(span.text)
            if column == 3 and span.note:
                return tooltip(span.note)
            if column == 0 and label and label.description:
                return tooltip(f"{label.name}: {label.description}")
            return None
        if role == Qt.ItemDataRole.FontRole:
            if self.span_at_row(index.row()).annotator_uuid != self.mine:
                return self.italic
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return _RIGHT
        return None

    def _label_name(self, span: Span) -> str:
        label = self.labels.get(span.label_uuid)
        return label.name if label else "?"
