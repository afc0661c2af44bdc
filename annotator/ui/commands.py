"""One QUndoCommand per user action; each calls a service and broadcasts its Change."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from annotator.domain.model import Annotator, Label, Span, Status
from annotator.services import annotations
from annotator.store.repository import Store

from .events import ChangeBus


class AddSpan(QUndoCommand):
    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator, document_id: int,
                 label: Label, start: int, end: int) -> None:
        super().__init__(f"add {label.name} span")
        self.store, self.bus, self.annotator = store, bus, annotator
        self.args = (document_id, annotator, label.uuid, start, end)
        self.span: Span | None = None
        self.moved_status = False  # the first span moved the document to "in progress"

    def redo(self) -> None:
        if self.span is None:
            change = annotations.add_span(self.store, *self.args)
            self.span = change.added[0]
            self.moved_status = change.status is not None
        else:
            change = annotations.restore_span(self.store, self.span, self.annotator)
            if self.moved_status:
                self.bus.changed.emit(change)
                change = annotations.set_status(self.store, self.span.document_id,
                                                self.annotator, Status.IN_PROGRESS)
        self.bus.changed.emit(change)

    def undo(self) -> None:
        self.bus.changed.emit(annotations.delete_span(self.store, self.span.uuid, self.annotator))
        if self.moved_status:
            self.bus.changed.emit(annotations.set_status(
                self.store, self.span.document_id, self.annotator, Status.NEW))


class DeleteSpan(QUndoCommand):
    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator, span: Span,
                 label_name: str) -> None:
        super().__init__(f"delete {label_name} span")
        self.store, self.bus, self.annotator, self.span = store, bus, annotator, span

    def redo(self) -> None:
        self.bus.changed.emit(annotations.delete_span(self.store, self.span.uuid, self.annotator))

    def undo(self) -> None:
        self.bus.changed.emit(annotations.restore_span(self.store, self.span, self.annotator))


class SetStatus(QUndoCommand):
    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator, document_id: int,
                 status: Status) -> None:
        super().__init__(f"mark document {status.value}")
        self.store, self.bus, self.annotator = store, bus, annotator
        self.document_id, self.status = document_id, status
        self.before = store.status(document_id, annotator.uuid)

    def redo(self) -> None:
        self.bus.changed.emit(annotations.set_status(
            self.store, self.document_id, self.annotator, self.status))

    def undo(self) -> None:
        self.bus.changed.emit(annotations.set_status(
            self.store, self.document_id, self.annotator, self.before))
