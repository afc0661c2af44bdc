"""Adjudication: building the gold set from the annotators' spans.

Gold is a reserved annotator. An adjudicator accepts another annotator's span (or every
span in a stretch of text) into gold, edits or deletes gold spans like their own, and marks
the document done for gold. Gold spans are gold's; the change log says who adjudicated.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.domain.changes import Change
from annotator.domain.model import Annotator, Span, Status, new_uuid, now_iso
from annotator.store.repository import Store

from . import annotators as annotator_service

GOLD = "gold"


def gold(store: Store) -> Annotator:
    return annotator_service.find_or_create(store, GOLD)


def accept(store: Store, spans: list[Span], gold_annotator: Annotator,
           adjudicator: Annotator) -> Change:
    """Copy these spans into gold (new ids, the same label and stretch), leaving out any
    gold already has; the first gold span on a document moves gold's status to in
    progress. Logged as the adjudicator's doing."""
    if not spans:
        return Change(None)
    document_id = spans[0].document_id
    if any(s.document_id != document_id for s in spans):
        raise ValueError("spans are accepted one document at a time")
    have = {(s.label_uuid, s.start, s.end) for s in store.spans(document_id, gold_annotator.uuid)}
    stamp = now_iso()
    copies: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        key = (span.label_uuid, span.start, span.end)
        if key in have:
            continue
        have.add(key)
        copies.append(replace(span, uuid=new_uuid(), annotator_uuid=gold_annotator.uuid,
                              created=stamp, modified=stamp))
    status = None
    with store.transaction():
        store.add_spans(copies, adjudicator.uuid)
        if copies and store.status(document_id, gold_annotator.uuid) is Status.NEW:
            store.set_status(document_id, gold_annotator.uuid, Status.IN_PROGRESS,
                             adjudicator.uuid)
            status = Status.IN_PROGRESS
    return Change(document_id, added=tuple(copies), status=status,
                  annotator_uuid=gold_annotator.uuid)


def withdraw(store: Store, spans: list[Span], gold_annotator: Annotator,
             adjudicator: Annotator, status_before: Status | None) -> Change:
    """Undo an accept: remove those gold spans (and put gold's status back)."""
    if not spans:
        return Change(None)
    document_id = spans[0].document_id
    with store.transaction():
        for span in spans:
            store.delete_span(span.uuid, adjudicator.uuid)
        if status_before is not None:
            store.set_status(document_id, gold_annotator.uuid, status_before,
                             adjudicator.uuid)
    return Change(document_id, removed=tuple(spans), status=status_before,
                  annotator_uuid=gold_annotator.uuid)


def restore(store: Store, copies: list[Span], gold_annotator: Annotator,
            adjudicator: Annotator, status: Status | None) -> Change:
    """Redo an accept: the very same gold spans again (and gold's status)."""
    if not copies:
        return Change(None)
    document_id = copies[0].document_id
    with store.transaction():
        store.add_spans(copies, adjudicator.uuid)
        if status is not None:
            store.set_status(document_id, gold_annotator.uuid, status, adjudicator.uuid)
    return Change(document_id, added=tuple(copies), status=status,
                  annotator_uuid=gold_annotator.uuid)
