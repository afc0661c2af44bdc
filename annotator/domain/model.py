"""The things a user works with: documents, labels, annotators, spans, statuses."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


def new_uuid() -> str:
    """A random (version 4) UUID as text; made directly from os.urandom, 4x faster than
    str(uuid.uuid4()), which counts when an import gives ids to 100,000 spans."""
    b = bytearray(os.urandom(16))
    b[6] = b[6] & 0x0F | 0x40  # version 4
    b[8] = b[8] & 0x3F | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def now_iso() -> str:
    """A UTC timestamp with milliseconds, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Status(StrEnum):
    """One annotator's progress on one document."""

    NEW = "new"
    IN_PROGRESS = "in progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Label:
    uuid: str
    name: str
    colour: str
    shortcut: str = ""
    description: str = ""
    position: int = 0
    cues: str = ""  # what the cue-list recommender looks for: a phrase or `re:PATTERN` a line

    @property
    def cue_lines(self) -> tuple[str, ...]:
        """The cues written, blank lines and `#` comments left out."""
        return tuple(line.strip() for line in self.cues.splitlines()
                     if line.strip() and not line.strip().startswith("#"))


@dataclass(frozen=True, slots=True)
class Annotator:
    uuid: str
    name: str

    @property
    def is_gold(self) -> bool:
        return self.uuid == GOLD_UUID


# Gold, the adjudicated set, is a reserved annotator with the same UUID in every database
# (created by a migration), so that merging databases never has to match it by name.
GOLD_UUID = "9e1d0c5a-601d-4a11-8b0e-000000000601"
GOLD = Annotator(GOLD_UUID, "gold")


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of a document: code point offsets, end exclusive."""

    uuid: str
    document_id: int
    annotator_uuid: str
    label_uuid: str
    start: int
    end: int
    text: str
    note: str | None = None
    created: str = ""
    modified: str = ""

    def covers(self, position: int) -> bool:
        return self.start <= position < self.end


@dataclass(frozen=True, slots=True)
class Document:
    id: int | None
    uuid: str
    title: str
    text: str
    content_hash: str
    source_path: str = ""
    meta: dict = field(default_factory=dict)
    sample: bool = False
    created: str = ""


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A row of the document list: enough to show it without loading the text."""

    id: int
    title: str
    status: Status
    span_count: int
    # label uuid -> this annotator's span count; labels without spans are left out.
    # Not hashed, so a summary stays hashable as before.
    label_counts: dict[str, int] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A document a search found: its id and title, and a few words of it around the
    match, the matching words between [ and ]."""

    id: int
    title: str
    snippet: str


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """What the document list and `annotator search` can narrow documents to, besides the
    words searched for; every condition given must hold.

    label_uuid, annotator_uuid, has_note: a span of this label, by this annotator, with a
    note (together: one span that is all of them). status: `status_of`'s status on the
    document; without `status_of`, anyone's (new: nobody has begun it). disagreement:
    annotators (gold left out) disagree, as the F8 steps show it: at least two of them
    made spans there, and some span was not made exactly (label, start, end) by them all.
    """

    label_uuid: str | None = None
    annotator_uuid: str | None = None
    status: Status | None = None
    status_of: str | None = None
    has_note: bool = False
    disagreement: bool = False

    def __bool__(self) -> bool:
        return bool(self.label_uuid or self.annotator_uuid or self.status is not None
                    or self.has_note or self.disagreement)


(_UUID, _DOC, _WHO, _LABEL, _START, _END, _TEXT, _NOTE, _CREATED, _MODIFIED) = (
    Span.__dict__[name].__set__ for name in (
        "uuid", "document_id", "annotator_uuid", "label_uuid", "start", "end", "text", "note",
        "created", "modified"))


def span_from_row(row: tuple) -> Span:
    """Span(*row), twice as fast: the frozen dataclass's __init__ costs 3 µs a span, which a
    review with 10,000 spans pays on every open and an import of 100,000 pays once. For rows
    already checked (the store's own, an import's placed spans); the fields are set one by
    one, unrolled, because a loop costs as much as it saves."""
    span = object.__new__(Span)
    _UUID(span, row[0])
    _DOC(span, row[1])
    _WHO(span, row[2])
    _LABEL(span, row[3])
    _START(span, row[4])
    _END(span, row[5])
    _TEXT(span, row[6])
    _NOTE(span, row[7])
    _CREATED(span, row[8])
    _MODIFIED(span, row[9])
    return span
