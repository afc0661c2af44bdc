"""What files hold, before it meets the store: documents and spans named by annotator and label."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.domain.errors import AnnotatorError

from .registry import READER_BY_KEY, reader_keys


class ReadError(AnnotatorError):
    """Bad input, located as precisely as the format allows (file, line, field)."""

    def __init__(self, message: str, path: str = "", line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def located(self, path: str) -> ReadError:
        return ReadError(self.message, path, self.line, self.field)

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}" if where else f"line {self.line}"
        if self.field:
            where += f", field {self.field!r}" if where else f"field {self.field!r}"
        return f"{where}: {self.message}" if where else self.message


class ReadErrors(AnnotatorError):
    """Every problem found in one file (a file with any is imported not at all)."""

    def __init__(self, errors: list[ReadError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:3]))
        self.errors = errors


MAX_ERRORS = 50  # a reader stops listing problems after this many

FORMATS = reader_keys()


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read files; every reader takes these and uses what applies to it."""

    format: str | None = None  # one of FORMATS; None: tell by extension and content
    offsets: str | None = None  # None: as each format's tools count (UTF-16 units for
    #                             doccano and Label Studio, code points for the rest); or
    #                             "codepoint", "utf16" or "graphemes" for every file
    text_column: str | None = None  # CSV/TSV: the review column; None: text, review, or
    #                                 the first column of long text
    title_from: str = "line"  # .txt/.md: "line" (first non-empty line) or "filename"
    annotator: str | None = None  # who made annotations that name no one (doccano, brat)
    label_names: tuple[tuple[int, str], ...] = ()  # doccano label number -> name, from a
    #                                                label list imported with the files

    def offsets_for(self, kind: str) -> str:
        """The unit a file of this format is read in: --offsets, else its tools' own."""
        return self.offsets or READER_BY_KEY[kind].counts


class SpanRecord:
    """A span as a file gives it, by annotator and label name.

    `text` is what the file gave as the span's text or, for a span a reader placed on its
    document's text (`within`), that text[start:end]: sliced when asked for, never kept,
    since 10,000 spans over a long review would otherwise be gigabytes of copies from a
    file of a megabyte (issue 14). None: the document's text there (writers slice it).
    """

    __slots__ = ("annotator", "label", "start", "end", "note", "id", "created", "modified",
                 "_text", "_within")
    _FIELDS = ("annotator", "label", "start", "end", "text", "note", "id", "created",
               "modified")

    def __init__(self, annotator: str, label: str, start: int, end: int,
                 text: str | None = None, note: str | None = None, id: str | None = None,
                 created: str | None = None, modified: str | None = None, *,
                 within: str | None = None) -> None:
        self.annotator, self.label, self.start, self.end = annotator, label, start, end
        self.note, self.id, self.created, self.modified = note, id, created, modified
        self._text, self._within = text, within

    @property
    def text(self) -> str | None:
        if self._text is None and self._within is not None:
            return self._within[self.start:self.end]
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text = value

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def replaced(self, **changes: Any) -> SpanRecord:
        """A copy with these fields changed; its text is this one's, sliced now (moved
        offsets, in UTF-16 units say, must not slice the document again)."""
        values = dict(zip(self._FIELDS, self._values(), strict=True))
        values.update(changes)
        return SpanRecord(**values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpanRecord):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in
                          zip(self._FIELDS, self._values(), strict=True))
        return f"SpanRecord({shown})"


@dataclass(slots=True)
class DocumentRecord:
    text: str
    title: str | None = None
    id: str | None = None
    meta: dict = field(default_factory=dict)
    spans: list[SpanRecord] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # annotator name -> status
    line: int | None = None  # where it came from, for messages
    notes: list[str] = field(default_factory=list)  # imported, but worth telling the user


class Records(list):
    """What a reader returns: the documents of one file, plus notes about the file as a
    whole (for example, how many records it skipped and why)."""

    def __init__(self, records=(), notes: list[str] | None = None) -> None:
        super().__init__(records)
        self.notes: list[str] = notes or []
        self.format = ""  # the format it was read as, set by io.formats
        self.offsets: dict[str, str] = {}  # format -> the unit its spans' offsets were
        #                                    read in (formats whose records had spans)


class ByteStream(Protocol):
    """A file opened to be read in chunks (on disk, or an archive member)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class RecordStream:
    """What a streaming reader returns: the documents of one file, read as they are
    iterated, so a file of any size is never held whole. A bad record raises ReadErrors
    when the iteration ends (after every problem is listed; records after the first bad
    one are not yielded); `notes` and `offsets` are complete then too. Iterate it once."""

    def __init__(self, close: Callable[[], None], format: str = "") -> None:
        self.records: Iterator[DocumentRecord] = iter(())  # set by the reader
        self._close = close
        self.notes: list[str] = []
        self.format = format
        self.offsets: dict[str, str] = {}

    def __iter__(self) -> Iterator[DocumentRecord]:
        return self.records

    def close(self) -> None:
        self._close()
