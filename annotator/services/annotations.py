"""Use cases for editing annotations; each returns a Change for the views."""

from __future__ import annotations

from dataclasses import replace

from annotator.domain.changes import Change
from annotator.domain.model import Annotator, Span, Status, new_uuid, now_iso
from annotator.domain.spans import SpanError, check_span
from annotator.domain.words import trim_range
from annotator.store.repository import Store


def add_span(store: Store, document_id: int, annotator: Annotator, label_uuid: str,
             start: int, end: int, note: str | None = None, by: Annotator | None = None
             ) -> Change:
    """Label [start, end) of the document; surrounding white space is trimmed.

    The first span on a new document moves its status to "in progress". `by` is who does
    it, for the change log, when not the annotator (an adjudicator working on gold).
    """
    by = by or annotator
    text = store.document_text(document_id)
    if text is None:
        raise SpanError(f"document {document_id} does not exist")
    check_span(text, start, end)  # in range, before trimming indexes into the text
    start, end = trim_range(text, start, end)
    check_span(text, start, end)  # not empty once trimmed
    stamp = now_iso()
    span = Span(new_uuid(), document_id, annotator.uuid, label_uuid, start, end,
                text[start:end], note, stamp, stamp)
    with store.transaction():
        store.add_spans([span], by.uuid)
        status = _touch(store, document_id, annotator, by)
    return Change(document_id, added=(span,), status=status, annotator_uuid=annotator.uuid)


def restore_span(store: Store, span: Span, who: Annotator) -> Change:
    """Put back a span exactly as it was (undo of a delete, redo of an add)."""
    store.add_spans([span], who.uuid)
    return Change(span.document_id, added=(span,), annotator_uuid=span.annotator_uuid)


def delete_span(store: Store, uuid: str, who: Annotator) -> Change:
    span = store.delete_span(uuid, who.uuid)
    if span is None:
        return Change(None)
    return Change(span.document_id, removed=(span,), annotator_uuid=span.annotator_uuid)


def set_status(store: Store, document_id: int, annotator: Annotator, status: Status,
               by: Annotator | None = None) -> Change:
    store.set_status(document_id, annotator.uuid, status, (by or annotator).uuid)
    return Change(document_id, status=status, annotator_uuid=annotator.uuid)


def _touch(store: Store, document_id: int, annotator: Annotator, by: Annotator
           ) -> Status | None:
    if store.status(document_id, annotator.uuid) is Status.NEW:
        store.set_status(document_id, annotator.uuid, Status.IN_PROGRESS, by.uuid)
        return Status.IN_PROGRESS
    return None


def span_at(spans: list[Span], position: int) -> Span | None:
    """The innermost (shortest) span covering a position, if any."""
    covering = [s for s in spans if s.covers(position)]
    return min(covering, key=lambda s: (s.end - s.start, s.start), default=None)


def replace_span(store: Store, old: Span, new: Span, who: Annotator) -> Change:
    """Write `new` over `old` (same uuid): relabel, move edges, edit the note, or undo those."""
    if old.uuid != new.uuid:
        raise SpanError("a span keeps its id when it is edited")
    text = store.document_text(old.document_id)
    if text is None:
        raise SpanError(f"document {old.document_id} does not exist")
    check_span(text, new.start, new.end, new.text)
    store.replace_span(old, new, who.uuid)
    return Change(old.document_id, added=(new,), removed=(old,),
                  annotator_uuid=old.annotator_uuid)


def edited(span: Span, text: str, *, label_uuid: str | None = None,
           start: int | None = None, end: int | None = None, note: str | None = None
           ) -> Span:
    """A copy of span with the given fields changed and its text taken from the document.

    note=None keeps the note; an empty or blank note removes it.
    """
    start = span.start if start is None else start
    end = span.end if end is None else end
    note = span.note if note is None else (note.strip() and note)
    return replace(span, label_uuid=label_uuid or span.label_uuid, start=start, end=end,
                   text=text[start:end], note=note or None, modified=now_iso())
