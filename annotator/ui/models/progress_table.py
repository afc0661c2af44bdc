"""The lead's progress table: one row per annotator (assigned, done, spans per label, time
spent, last activity), from `Workspace.progress()`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.domain.model import Label

Index = QModelIndex | QPersistentModelIndex
FIXED = ("Annotator", "Assigned", "Done")
TAIL = ("Time spent", "Last activity")


def _get(thing: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(thing, dict) and name in thing:
            return thing[name]
        if hasattr(thing, name):
            return getattr(thing, name)
    return default


def hours_minutes(spent: Any) -> str:
    """h:mm from seconds or a timedelta."""
    seconds = spent.total_seconds() if isinstance(spent, timedelta) else float(spent or 0)
    minutes = int(seconds // 60)
    return f"{minutes // 60}:{minutes % 60:02}"


def when(value: Any) -> str:
    if not value:
        return "never"
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value.strftime("%Y-%m-%d %H:%M")


class ProgressModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[Any, ...]] = []
        self.labels: list[str] = []

    def set_progress(self, entries: Any, labels: list[Label]) -> None:
        self.beginResetModel()
        self.labels = [label.name for label in labels]
        by_uuid = {label.uuid: label.name for label in labels}
        rows = []
        found = list(entries.values()) if isinstance(entries, dict) else list(entries or [])
        for entry in found:
            name = _get(entry, "name", "annotator_name", "annotator", default="?")
            name = str(_get(name, "name", default=name))
            counts = _get(entry, "spans_per_label", "spans_by_label", "spans", default={})
            counts = {by_uuid.get(k, k): v for k, v in dict(counts or {}).items()}
            rows.append((name, int(_get(entry, "assigned", default=0) or 0),
                         int(_get(entry, "done", default=0) or 0),
                         *(int(counts.get(label, 0)) for label in self.labels),
                         hours_minutes(_get(entry, "time_spent", "seconds_spent",
                                            "time", default=0)),
                         when(_get(entry, "last_activity", "last_active", default=None))))
        self.rows = rows
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
        if role == Qt.ItemDataRole.ToolTipRole and len(FIXED) <= section < len(
                FIXED) + len(self.labels):
            return None  # a label's name is typed text: no rich tooltip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:,}" if isinstance(value, int) else value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:  # for sorting: numbers as numbers
            return value
        return None
