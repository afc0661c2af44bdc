"""Undoable edits: each knows how to do itself (again) and how to undo itself.

An edit is made by a workspace operation once its rules are checked. `apply` and `revert`
run inside a transaction the workspace opens, write through the store (which logs every
write under `who`, the person at the keyboard) and return the Change the views need. The
first `apply` may decide things (a new span's id, the status it moved); later ones replay
exactly that, so redo restores the very same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain.changes import Change
from annotator.domain.model import Label, Span, Status
from annotator.domain.suggestions import SpanSuggestion, SuggestionStatus
from annotator.services.labels import apply_label_set, restore_label_set
from annotator.store.database import Store


class Edit:
    """One step of the undo history; `text` names it ("add spoiler span")."""

    text: str

    def apply(self, store: Store, who: str) -> Change:
        raise NotImplementedError

    def revert(self, store: Store, who: str) -> Change:
        raise NotImplementedError


@dataclass(eq=False)
class AddSpans(Edit):
    """Spans added to one document for one annotator (a new span; spans accepted into
    gold). A new document moves to "in progress" with its first span; undone, back to new."""

    spans: tuple[Span, ...]
    text: str
    began: bool = False  # the status moved from new

    def apply(self, store: Store, who: str) -> Change:
        first = self.spans[0]
        store.spans.add(list(self.spans), who)
        self.began = store.statuses.begin(first.document_id, first.annotator_uuid, who)
        return Change(first.document_id, added=self.spans,
                      status=Status.IN_PROGRESS if self.began else None,
                      annotator_uuid=first.annotator_uuid)

    def revert(self, store: Store, who: str) -> Change:
        first = self.spans[0]
        for span in self.spans:
            store.spans.delete(span, who)
        if self.began:
            store.statuses.set(first.document_id, first.annotator_uuid, Status.NEW, who)
        return Change(first.document_id, removed=self.spans,
                      status=Status.NEW if self.began else None,
                      annotator_uuid=first.annotator_uuid)


@dataclass(eq=False)
class DeleteSpans(Edit):
    """Spans of one annotator in one document deleted as one step: all of them or none."""

    spans: tuple[Span, ...]
    text: str

    def apply(self, store: Store, who: str) -> Change:
        for span in self.spans:
            store.spans.delete(span, who)
        return Change(self.spans[0].document_id, removed=self.spans,
                      annotator_uuid=self.spans[0].annotator_uuid)

    def revert(self, store: Store, who: str) -> Change:
        store.spans.add(list(self.spans), who)
        return Change(self.spans[0].document_id, added=self.spans,
                      annotator_uuid=self.spans[0].annotator_uuid)


@dataclass(eq=False)
class ReplaceSpan(Edit):
    """A span rewritten in place (same uuid): relabelled, an edge moved, its note edited."""

    old: Span
    new: Span
    text: str

    def apply(self, store: Store, who: str) -> Change:
        store.spans.replace(self.old, self.new, who)
        return Change(self.old.document_id, added=(self.new,), removed=(self.old,),
                      annotator_uuid=self.old.annotator_uuid)

    def revert(self, store: Store, who: str) -> Change:
        store.spans.replace(self.new, self.old, who)
        return Change(self.old.document_id, added=(self.old,), removed=(self.new,),
                      annotator_uuid=self.old.annotator_uuid)


@dataclass(eq=False)
class SetStatus(Edit):
    document_id: int
    annotator_uuid: str
    status: Status
    text: str
    before: Status = Status.NEW  # found by the first apply

    def apply(self, store: Store, who: str) -> Change:
        self.before = store.statuses.set(self.document_id, self.annotator_uuid, self.status,
                                         who)
        return Change(self.document_id, status=self.status, annotator_uuid=self.annotator_uuid)

    def revert(self, store: Store, who: str) -> Change:
        store.statuses.set(self.document_id, self.annotator_uuid, self.before, who)
        return Change(self.document_id, status=self.before, annotator_uuid=self.annotator_uuid)


@dataclass(eq=False)
class EditLabelSet(Edit):
    """The whole label set replaced at once; undone, the old set comes back with the spans
    the edit deleted.

    Undo and redo touch only this edit's own labels (`scope`): labels an import added in
    between stay as they are, and spans given this edit's new labels since come back on
    redo (`returning`).
    """

    labels: list[Label]
    text: str = "edit labels"
    before: list[Label] = field(default_factory=list)
    deleted: list[Span] = field(default_factory=list)
    scope: set[str] | None = None  # label uuids this edit is about; set by the first apply
    returning: tuple[Span, ...] = ()

    def apply(self, store: Store, who: str) -> Change:
        result = apply_label_set(store, self.labels, who, self.scope, self.returning)
        self.before, self.deleted = result.before, result.deleted_spans
        self.returning = ()
        if self.scope is None:
            self.scope = {lb.uuid for lb in result.before} | {lb.uuid for lb in self.labels}
        return result.change

    def revert(self, store: Store, who: str) -> Change:
        change = restore_label_set(store, self.before, self.deleted, who, self.scope)
        self.returning = change.removed  # spans given its new labels since: redo returns them
        return change


@dataclass(eq=False)
class RenameDocument(Edit):
    """A document's title changed (its text never does)."""

    document_id: int
    old: str
    new: str
    text: str = "rename document"

    def apply(self, store: Store, who: str) -> Change:
        store.documents.rename(self.document_id, self.new, who)
        return Change(self.document_id, title=self.new)

    def revert(self, store: Store, who: str) -> Change:
        store.documents.rename(self.document_id, self.old, who)
        return Change(self.document_id, title=self.old)


@dataclass(eq=False)
class AcceptSuggestions(Edit):
    """Suggestions of one document become the annotator's own spans, as one step; the
    change log says which recommender each came from. Undone, the spans go and the
    suggestions are open again."""

    suggestions: tuple[SpanSuggestion, ...]
    spans: tuple[Span, ...]  # one per suggestion, in the same order
    text: str
    began: bool = False

    def apply(self, store: Store, who: str) -> Change:
        first = self.spans[0]
        store.spans.add(list(self.spans), who)
        store.suggestions.decide(self.suggestions, SuggestionStatus.ACCEPTED, who,
                                 [s.uuid for s in self.spans])
        self.began = store.statuses.begin(first.document_id, first.annotator_uuid, who)
        return Change(first.document_id, added=self.spans,
                      status=Status.IN_PROGRESS if self.began else None,
                      annotator_uuid=first.annotator_uuid, suggestions_changed=True)

    def revert(self, store: Store, who: str) -> Change:
        first = self.spans[0]
        for span in self.spans:
            store.spans.delete(span, who)
        store.suggestions.decide(self.suggestions, SuggestionStatus.OPEN, who)
        if self.began:
            store.statuses.set(first.document_id, first.annotator_uuid, Status.NEW, who)
        return Change(first.document_id, removed=self.spans,
                      status=Status.NEW if self.began else None,
                      annotator_uuid=first.annotator_uuid, suggestions_changed=True)


@dataclass(eq=False)
class RejectSuggestions(Edit):
    """Suggestions turned down: never proposed again at those places (until undone)."""

    suggestions: tuple[SpanSuggestion, ...]
    text: str

    def apply(self, store: Store, who: str) -> Change:
        store.suggestions.decide(self.suggestions, SuggestionStatus.REJECTED, who)
        return Change(self.suggestions[0].document_id, suggestions_changed=True,
                      annotator_uuid=self.suggestions[0].annotator_uuid)

    def revert(self, store: Store, who: str) -> Change:
        store.suggestions.decide(self.suggestions, SuggestionStatus.OPEN, who)
        return Change(self.suggestions[0].document_id, suggestions_changed=True,
                      annotator_uuid=self.suggestions[0].annotator_uuid)
