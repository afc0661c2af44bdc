"""Which reader reads a source: by `--format`, else by extension, else by its first bytes."""

from __future__ import annotations

from dataclasses import replace

from .records import FORMATS, ReadError, ReadOptions, Records
from .sources import Source

_BY_SUFFIX = {
    ".txt": "text", ".md": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".ann": "brat",
}
_JSON_SHAPES = ("native", "doccano", "prodigy", "labelstudio")


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


def _read(source: Source, data: bytes, kind: str, options: ReadOptions) -> Records:
    if kind == "brat":
        from .readers.brat import read_brat

        if source.companion is None:  # forced: an .ann needs its text, a text may have none
            return read_brat(data, None, source.name, options)
        try:
            ann = source.companion.read()
        except ReadError as e:
            raise ReadError(f"its brat annotations {source.companion.name}: {e.message}"
                            ) from None
        return read_brat(data, ann, source.name, options)
    if kind in ("json", *_JSON_SHAPES):
        from .readers.json_formats import read_json

        return read_json(data, source.name, replace(options, format=None if kind == "json"
                                                    else kind))
    if kind in ("csv", "tsv"):
        from .readers.tabular import read_csv, read_tsv

        return (read_csv if kind == "csv" else read_tsv)(data, source.name, options)
    if kind == "html":
        from .readers.html import read_html

        return read_html(data, source.name, options)
    from .readers.plain_text import read_plain_text

    return read_plain_text(data, source.name, options)
