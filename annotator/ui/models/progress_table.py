"""The lead's progress table: one row per annotator (assigned, done, spans per label, time
spent, last activity), from `Workspace.progress()`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.domain.model import Label

if TYPE_CHECKING:
    from annotator.services.team import AnnotatorProgress

Index = QModelIndex | QPersistentModelIndex
FIXED = ("Annotator", "Assigned", "Done")
TAIL = ("Time spent", "Last activity")


def hours_minutes(seconds: float) -> str:
    """h:mm (minutes rounded down)."""
    minutes = int(seconds // 60)
    return f"{minutes // 60}:{minutes % 60:02}"


def when(iso: str | None, seconds: bool = False, form: str | None = None) -> str:
    """An ISO UTC time as the local date and time, to the minute (or second; or in
    `form`, a strftime format)."""
    if not iso:
        return "never"
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime(form or ("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"))


class ProgressModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[Any, ...]] = []
        self.labels: list[str] = []

    def set_progress(self, entries: list[AnnotatorProgress], labels: list[Label]) -> None:
        """Rows by name; a column per label of the label set (then any other label a
        merged package brought spans of)."""
        self.beginResetModel()
        names = [label.name for label in labels]
        for entry in entries:
            names += [name for name in entry.spans if name not in names]
        self.labels = names
        self.rows = [(entry.annotator.name, entry.assigned, entry.done,
                      *(entry.spans.get(name, 0) for name in names),
                      entry.seconds, entry.last_activity or "")
                     for entry in sorted(entries, key=lambda e: e.annotator.name.casefold())]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(FIXED) + len(self.labels) + len(TAIL)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (*FIXED, *self.labels, *TAIL)[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.columnCount() - 2:
                return hours_minutes(value)
            if column == self.columnCount() - 1:
                return when(value or None)
            return f"{value:,}" if isinstance(value, int) else value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:  # for sorting: seconds, ISO times, numbers
            return value.casefold() if column == 0 else value
        return None
