"""Which reader reads a source: by `--format`, else by extension, else by its first bytes."""

from __future__ import annotations

from .readers.streamed import PREFIX, read_head
from .records import FORMATS, ReadError, ReadOptions, Records, RecordStream
from .registry import detected_by_suffix, reader_for
from .sources import Source

_BY_SUFFIX = detected_by_suffix()


def detect(source: Source, head: bytes, options: ReadOptions) -> str:
    """The format to read `source` as; `head` is its first bytes, for files with no
    telling extension."""
    if options.format:
        if options.format not in FORMATS:
            raise ReadError(f"unknown format {options.format!r}; "
                            f"known: {', '.join(FORMATS)}")
        return options.format
    if source.companion is not None:
        return "brat"
    found = _BY_SUFFIX.get(source.suffix)
    if found:
        return found
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith((b"{", b"[")):
        return "json"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in start:
        return "html"
    return "text"


def read(source: Source, options: ReadOptions) -> Records:
    """The documents in one source; ReadError or ReadErrors for bad input."""
    data = source.read()
    kind = detect(source, data[:512], options)
    records = _read(source, data, kind, options)
    records.format = kind
    return records


def stream(source: Source, options: ReadOptions) -> RecordStream | None:
    """The documents of a large record file (JSONL, CSV, TSV) read as they are iterated, so
    memory does not grow with its size; None when it is to be read whole with read(): a small
    file, a format that does not stream, or a start that does not show how to (detection
    looks at the first PREFIX bytes only). Close what it returns."""
    if source.open is None or source.companion is not None or source.size < PREFIX:
        return None
    if options.format and (options.format not in FORMATS
                           or not reader_for(options.format).stream):
        return None  # read() says what is wrong with an unknown one
    raw = source.open()
    try:
        head = read_head(raw)
        kind = detect(source, head[:512], options)
        streamer = reader_for(kind).streamer() if len(head) >= PREFIX else None
        records = (streamer(raw, head, source.name, options, reopen=source.open)
                   if streamer else None)
    except BaseException:
        raw.close()
        raise
    if records is None:
        raw.close()
        return None
    records.format = kind
    return records


def _read(source: Source, data: bytes, kind: str, options: ReadOptions) -> Records:
    reader = reader_for(kind)
    read = reader.function()
    if not reader.with_companion:
        return read(data, source.name, options)
    if source.companion is None:  # forced: an .ann needs its text, a text may have none
        return read(data, None, source.name, options)
    try:
        companion = source.companion.read()
    except ReadError as e:
        raise ReadError(f"its {reader.key} annotations {source.companion.name}: {e.message}"
                        ) from None
    return read(data, companion, source.name, options)
