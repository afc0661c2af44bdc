"""Writes Parquet, one row per document with its spans as a list of structs, for pandas,
Polars, DuckDB and Hugging Face datasets."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from annotator.io.records import DocumentRecord, SpanRecord

from .stats import WriteStats

ROW_GROUP = 1_000  # documents per row group: what is held in memory at once
MISSING = 'the Parquet export needs pyarrow: pip install "annotator[parquet]"'


def _in_order(spans: Iterable[SpanRecord]) -> list[SpanRecord]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label, s.annotator))


def _schema(pa):
    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()),
                      ("annotator", pa.string()), ("text", pa.string()),
                      ("note", pa.string())])
    return pa.schema([("id", pa.string()), ("title", pa.string()), ("text", pa.string()),
                      ("meta", pa.string()), ("status", pa.string()),
                      ("spans", pa.list_(span))])


def _row(record: DocumentRecord) -> dict:
    spans = [{"start": s.start, "end": s.end, "label": s.label, "annotator": s.annotator,
              # Offsets may be UTF-16 here, so a missing text is not cut from the document.
              "text": s.text, "note": s.note}
             for s in _in_order(record.spans)]
    return {"id": record.id, "title": record.title, "text": record.text,
            "meta": json.dumps(record.meta, ensure_ascii=False),
            "status": json.dumps(record.status, ensure_ascii=False), "spans": spans}


def _batches(records: Iterable[DocumentRecord]) -> Iterator[list[DocumentRecord]]:
    it = iter(records)
    while batch := list(islice(it, ROW_GROUP)):
        yield batch


def write_parquet(records: Iterable[DocumentRecord], path: Path) -> WriteStats:
    """Write `records` to `path`: columns id, title, text, meta and status (JSON text, as
    their keys differ from document to document), and spans, a list of
    struct<start, end, label, annotator, text, note> with offsets as the records carry them.

    Written ROW_GROUP documents at a time, so a large export is never held whole in memory.
    Parquet carries every span: nothing is left out.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as missing:
        raise ImportError(MISSING) from missing

    schema = _schema(pa)
    stats = WriteStats()
    with pq.ParquetWriter(path, schema) as writer:
        for batch in _batches(records):
            writer.write_table(pa.Table.from_pylist([_row(r) for r in batch], schema=schema))
            stats.documents += len(batch)
            stats.spans += sum(len(r.spans) for r in batch)
    return stats
