"""What an edit changed, so each view can update only that (no full reloads)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Span, Status


@dataclass(frozen=True, slots=True)
class Change:
    document_id: int | None
    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    status: Status | None = None
    annotator_uuid: str | None = None
    documents_changed: bool = False  # documents were added or deleted
    labels_changed: bool = False
