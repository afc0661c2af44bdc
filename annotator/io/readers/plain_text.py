"""Reads .txt and .md files: one review per file, title from its first non-empty line."""

from __future__ import annotations

from annotator.domain.text import normalise_text, title_from_text
from annotator.io.records import DocumentRecord

from .decoding import decode


def read_plain_text(data: bytes, name: str) -> list[DocumentRecord]:
    text, encoding = decode(data)
    text = normalise_text(text)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    # The encoding is worth keeping only when it had to be detected or came from a BOM.
    meta = {} if encoding == "utf-8" else {"encoding": encoding}
    return [DocumentRecord(text=text, title=title_from_text(text, stem), meta=meta)]
