"""Reads .txt and .md files: one review per file, the text whole, headline included."""

from __future__ import annotations

from pathlib import PurePosixPath

from annotator.domain.text import normalise_text, title_from_text
from annotator.io.records import DocumentRecord, ReadError, ReadOptions, Records

from .decoding import decode


def read_plain_text(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> Records:
    text, encoding = decode(data)
    text = normalise_text(text)
    if not text.strip():
        raise ReadError("the file holds only white space")
    # The title is the first non-empty line (or the file name); the text keeps that line,
    # since a headline can itself be a spoiler.
    title = "" if options.title_from == "filename" else title_from_text(text, "")
    title = title or PurePosixPath(name.replace("\\", "/")).stem or name
    # The encoding is worth keeping only when it had to be detected or came from a BOM.
    meta = {} if encoding == "utf-8" else {"encoding": encoding}
    return Records([DocumentRecord(text=text, title=title, meta=meta)])
