"""What an edit changed, so each view can update only that (no full reloads)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Span, Status


@dataclass(frozen=True, slots=True)
class Change:
    """One edit's effect: spans added and removed (a span rewritten in place is both, same
    uuid) in one document, one annotator's new status there, or whole kinds of thing that
    changed (documents, labels, annotators) for views that then read them again."""

    document_id: int | None = None
    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    status: Status | None = None
    annotator_uuid: str | None = None  # whose spans and status these are
    documents_changed: bool = False  # documents were added or deleted
    labels_changed: bool = False
    annotators_changed: bool = False
    title: str | None = None  # the document's new title (a rename)
    guidelines_changed: bool = False  # a new version of the project's guidelines
    assignments_changed: bool = False  # who has which document (an assignment plan)
    suggestions_changed: bool = False  # suggestions proposed, accepted or rejected there
    notes: tuple[str, ...] = ()  # what the edit left undone and why, for the status bar

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.status or self.documents_changed
                    or self.labels_changed or self.annotators_changed
                    or self.title is not None or self.guidelines_changed
                    or self.assignments_changed or self.suggestions_changed)
