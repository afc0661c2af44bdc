"""Exporting the store to files. Formats are registered by name; more come with later work."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.io.records import DocumentRecord, SpanRecord
from annotator.io.writers.native_jsonl import write_native_jsonl
from annotator.store.repository import Store

FORMATS = ("jsonl",)


class ExportError(Exception):
    pass


@dataclass
class ExportOptions:
    annotators: list[str] = field(default_factory=list)  # names; empty means everyone


@dataclass
class ExportReport:
    destination: str
    documents: int = 0
    spans: int = 0

    def as_json(self) -> dict:
        return {"destination": self.destination, "documents": self.documents,
                "spans": self.spans}


def document_records(store: Store, options: ExportOptions) -> Iterator[DocumentRecord]:
    """Every document with the chosen annotators' spans, by names, in a stable order."""
    annotators = {a.uuid: a.name for a in store.annotators()}
    labels = {label.uuid: label.name for label in store.labels()}
    wanted = set(options.annotators)
    unknown = wanted - set(annotators.values())
    if unknown:
        raise ExportError(f"no annotator named {', '.join(sorted(unknown))}; known: "
                          f"{', '.join(sorted(annotators.values())) or 'none'}")
    for doc_id in store.document_ids():
        doc = store.document(doc_id)
        spans = [
            SpanRecord(annotators[s.annotator_uuid], labels[s.label_uuid], s.start, s.end,
                       s.text, s.note, s.uuid, s.created, s.modified)
            for s in store.spans(doc_id)
            if not wanted or annotators[s.annotator_uuid] in wanted
        ]
        status = {annotators[a]: st.value for a, st in sorted(store.statuses(doc_id).items())
                  if not wanted or annotators[a] in wanted}
        yield DocumentRecord(doc.text, doc.title, doc.uuid, doc.meta, spans,
                             dict(sorted(status.items())))


def export(store: Store, fmt: str, destination: Path | str,
           options: ExportOptions | None = None) -> ExportReport:
    """Write atomically: a failed export never leaves a half-written file behind."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; available: {', '.join(FORMATS)}")
    options = options or ExportOptions()
    destination = Path(destination)
    report = ExportReport(str(destination))

    def counted() -> Iterator[DocumentRecord]:
        for record in document_records(store, options):
            report.documents += 1
            report.spans += len(record.spans)
            yield record

    folder = destination.parent
    if not folder.is_dir():
        raise ExportError(f"folder {folder} does not exist")
    if destination.is_dir():
        raise ExportError(f"{destination} is a folder; give a file name to write")
    database = Path(store.path).resolve()
    if destination.resolve() in {database, *(database.with_name(database.name + suffix)
                                             for suffix in ("-wal", "-shm", "-journal"))}:
        raise ExportError(f"{destination} is the database itself; choose another file")
    fd, tmp = tempfile.mkstemp(prefix=".annotator-export-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            write_native_jsonl(counted(), out)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; exports are not
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return report


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
