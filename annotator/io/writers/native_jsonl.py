"""Writes Annotator's own JSONL, lossless and stable: the same data gives the same bytes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from annotator.io.records import DocumentRecord


def document_json(doc: DocumentRecord) -> dict:
    return {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "meta": doc.meta,
        "status": doc.status,
        "annotations": [
            {"id": s.id, "annotator": s.annotator, "label": s.label, "start": s.start,
             "end": s.end, "text": s.text, "note": s.note, "created": s.created,
             "modified": s.modified}
            for s in doc.spans
        ],
    }


def write_native_jsonl(docs: Iterable[DocumentRecord], out: TextIO) -> int:
    count = 0
    for doc in docs:
        out.write(json.dumps(document_json(doc), ensure_ascii=False) + "\n")
        count += 1
    return count
