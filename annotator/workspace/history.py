"""The undo history of one annotator's session: edits done (to undo) and undone (to redo)."""

from __future__ import annotations

from .edits import Edit
from .signals import Signal

LIMIT = 1000  # edits kept; the oldest go first


class History:
    def __init__(self) -> None:
        self.done: list[Edit] = []
        self.undone: list[Edit] = []
        self.changed: Signal[History] = Signal()  # what can be undone or redone moved

    def push(self, edit: Edit) -> None:
        self.done.append(edit)
        del self.done[:-LIMIT]
        self.undone.clear()
        self.changed.emit(self)

    def clear(self) -> None:
        if self.done or self.undone:
            self.done.clear()
            self.undone.clear()
            self.changed.emit(self)

    def to_undo(self) -> Edit | None:
        return self.done[-1] if self.done else None

    def to_redo(self) -> Edit | None:
        return self.undone[-1] if self.undone else None

    def undone_one(self) -> None:
        self.undone.append(self.done.pop())
        self.changed.emit(self)

    def redone_one(self) -> None:
        self.done.append(self.undone.pop())
        self.changed.emit(self)

    def drop(self, edit: Edit) -> None:
        """An edit that can never be undone or redone (what it touched was changed
        elsewhere) leaves the history; the others stay."""
        for side in (self.done, self.undone):
            if edit in side:
                side.remove(edit)
        self.changed.emit(self)

    def __len__(self) -> int:
        return len(self.done) + len(self.undone)

    @property
    def undo_text(self) -> str:
        edit = self.to_undo()
        return edit.text if edit else ""

    @property
    def redo_text(self) -> str:
        edit = self.to_redo()
        return edit.text if edit else ""
