"""One QUndoCommand per user action; each calls a service and broadcasts its Change.

A command does its work in `perform()` before it is pushed, so a failed write (a locked or
full disk) raises there and never reaches the undo stack. `redo()` after that replays.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtGui import QUndoCommand

from annotator.domain.changes import Change
from annotator.domain.model import Annotator, Label, Span, Status
from annotator.services import adjudication, annotations
from annotator.services.labels import LabelSetResult, apply_label_set, restore_label_set
from annotator.store.repository import Store

from .events import ChangeBus


class ServiceCommand(QUndoCommand):
    def __init__(self, text: str, store: Store, bus: ChangeBus, annotator: Annotator) -> None:
        super().__init__(text)
        self.store, self.bus, self.annotator = store, bus, annotator
        self.by = annotator  # who does it, for the change log (an adjudicator on gold)
        self._first: list[Change] | None = None

    def perform(self) -> None:
        """Do the action for the first time; raises if it could not be saved."""
        with self.store.transaction():  # all of it or none: a span and its status together
            self._first = self.do()

    def redo(self) -> None:
        if self._first is not None:
            changes, self._first = self._first, None
        else:
            changes = self._saved(self.do)
        for change in changes:
            self.bus.changed.emit(change)

    def undo(self) -> None:
        for change in self._saved(self.undo_changes):
            self.bus.changed.emit(change)

    def _saved(self, step) -> list[Change]:
        """Run an undo or redo; if it cannot be saved (a locked database, a full disk), the
        database is as before, so the command leaves the stack rather than lie about it."""
        try:
            with self.store.transaction():
                return step()
        except (sqlite3.Error, OSError, ValueError, LookupError) as e:
            self.setObsolete(True)
            self.bus.failed.emit(f"“{self.text()}” could not be saved: {e}")
            return []

    def do(self) -> list[Change]:
        raise NotImplementedError

    def undo_changes(self) -> list[Change]:
        raise NotImplementedError


class AddSpan(ServiceCommand):
    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator, document_id: int,
                 label: Label, start: int, end: int) -> None:
        super().__init__(f"add {label.name} span", store, bus, annotator)
        self.args = (document_id, annotator, label.uuid, start, end)
        self.span: Span | None = None
        self.moved_status = False  # the first span moved the document to "in progress"

    def do(self) -> list[Change]:
        if self.span is None:
            change = annotations.add_span(self.store, *self.args, by=self.by)
            self.span = change.added[0]
            self.moved_status = change.status is not None
            return [change]
        changes = [annotations.restore_span(self.store, self.span, self.by)]
        if self.moved_status:
            changes.append(annotations.set_status(self.store, self.span.document_id,
                                                  self.annotator, Status.IN_PROGRESS,
                                                  by=self.by))
        return changes

    def undo_changes(self) -> list[Change]:
        changes = [annotations.delete_span(self.store, self.span.uuid, self.by)]
        if self.moved_status:
            changes.append(annotations.set_status(self.store, self.span.document_id,
                                                  self.annotator, Status.NEW, by=self.by))
        return changes


class DeleteSpans(ServiceCommand):
    """One or several spans deleted as one step: all saved, or none."""

    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator, spans: list[Span],
                 text: str) -> None:
        super().__init__(text, store, bus, annotator)
        self.spans = spans

    def do(self) -> list[Change]:
        return [annotations.delete_span(self.store, s.uuid, self.by) for s in self.spans]

    def undo_changes(self) -> list[Change]:
        return [annotations.restore_span(self.store, s, self.by) for s in self.spans]


class SetStatus(ServiceCommand):
    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator, document_id: int,
                 status: Status) -> None:
        super().__init__(f"mark document {status.value}", store, bus, annotator)
        self.document_id, self.status = document_id, status
        self.before = store.status(document_id, annotator.uuid)

    def do(self) -> list[Change]:
        return [annotations.set_status(self.store, self.document_id, self.annotator,
                                       self.status, by=self.by)]

    def undo_changes(self) -> list[Change]:
        return [annotations.set_status(self.store, self.document_id, self.annotator,
                                       self.before, by=self.by)]


class EditSpan(ServiceCommand):
    """Relabel, move an edge or edit the note: one span rewritten in place, undoable."""

    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator, old: Span, new: Span,
                 text: str) -> None:
        super().__init__(text, store, bus, annotator)
        self.old, self.new = old, new

    def do(self) -> list[Change]:
        return [annotations.replace_span(self.store, self.old, self.new, self.by)]

    def undo_changes(self) -> list[Change]:
        return [annotations.replace_span(self.store, self.new, self.old, self.by)]


class EditLabels(ServiceCommand):
    """The whole label set replaced at once; undo brings back the old set and deleted spans."""

    def __init__(self, store: Store, bus: ChangeBus, annotator: Annotator,
                 labels: list[Label]) -> None:
        super().__init__("edit labels", store, bus, annotator)
        self.labels = labels
        self.result: LabelSetResult | None = None
        self.scope: set[str] | None = None  # the labels this edit is about
        self.returning: tuple[Span, ...] = ()

    def do(self) -> list[Change]:
        self.result = apply_label_set(self.store, self.labels, self.annotator, self.scope,
                                      self.returning)
        self.returning = ()
        if self.scope is None:
            self.scope = {lb.uuid for lb in self.result.before} | {lb.uuid for lb in self.labels}
        return [self.result.change]

    def undo_changes(self) -> list[Change]:
        change = restore_label_set(self.store, self.result.before, self.result.deleted_spans,
                                   self.annotator, self.scope)
        self.returning = change.removed  # spans given its new labels since: redo returns them
        return [change]


class AcceptSpans(ServiceCommand):
    """Other annotators' spans copied into gold; undo takes the copies out again."""

    def __init__(self, store: Store, bus: ChangeBus, gold: Annotator, adjudicator: Annotator,
                 spans: list[Span], text: str) -> None:
        super().__init__(text, store, bus, gold)
        self.adjudicator, self.spans = adjudicator, spans
        self.copies: list[Span] = []
        self.status_before: Status | None = None
        self.status_after: Status | None = None

    def do(self) -> list[Change]:
        if not self.copies:
            change = adjudication.accept(self.store, self.spans, self.annotator,
                                         self.adjudicator)
            self.copies = list(change.added)
            if change.status is not None:
                self.status_before, self.status_after = Status.NEW, change.status
            return [change]
        return [adjudication.restore(self.store, self.copies, self.annotator,
                                     self.adjudicator, self.status_after)]

    def undo_changes(self) -> list[Change]:
        return [adjudication.withdraw(self.store, self.copies, self.annotator,
                                      self.adjudicator, self.status_before)]
