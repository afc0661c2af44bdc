"""Importing files into the store: each file all or nothing, every problem reported."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.model import Annotator, Document, Label, Span, Status, new_uuid, now_iso
from annotator.domain.text import content_hash
from annotator.io.readers.native_jsonl import read_native_jsonl
from annotator.io.readers.plain_text import read_plain_text
from annotator.io.records import DocumentRecord, ReadError, ReadErrors
from annotator.store.repository import Store

from . import annotators as annotator_service

READERS: dict[str, Callable[[bytes, str], list[DocumentRecord]]] = {
    ".txt": read_plain_text,
    ".md": read_plain_text,
    ".jsonl": read_native_jsonl,
}

# Colours for labels that imports bring in (Okabe-Ito, after the four defaults).
EXTRA_COLOURS = ("#E69F00", "#56B4E9", "#F0E442", "#999999", "#000000")


@dataclass
class ImportOptions:
    max_bytes: int = 50 * 1024 * 1024
    sample: bool = False  # mark documents as sample reviews (the seeds)
    who: Annotator | None = None  # whose action this is, for the change log


@dataclass
class FileResult:
    path: str
    documents: int = 0
    spans: int = 0
    duplicates: list[str] = field(default_factory=list)  # titles of documents already present
    merged_spans: int = 0  # spans added to documents that were already present
    skipped_reason: str | None = None  # not an error: e.g. an unsupported file in a folder
    notes: list[str] = field(default_factory=list)  # imported, but worth knowing
    errors: list[ReadError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)
    new_annotators: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.failed]

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    def as_json(self) -> dict:
        return {
            "documents": self.total("documents"),
            "spans": self.total("spans"),
            "merged_spans": self.total("merged_spans"),
            "duplicates": sum(len(f.duplicates) for f in self.files),
            "failed_files": len(self.failed),
            "new_labels": self.new_labels,
            "new_annotators": self.new_annotators,
            "files": [
                {"path": f.path, "documents": f.documents, "spans": f.spans,
                 "duplicates": f.duplicates, "merged_spans": f.merged_spans,
                 "skipped": f.skipped_reason, "notes": f.notes,
                 "errors": [{"message": e.message, "line": e.line, "field": e.field}
                            for e in f.errors]}
                for f in self.files
            ],
        }


def display_path(path: Path) -> str:
    """The path as storable text, even when the file name is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "replace")


def collect_files(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """Expand folders (recursively, sorted); pair each file with a reason it is skipped."""
    found: list[tuple[Path, str | None]] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = Path(root) / name
                    ext = file.suffix.lower()
                    found.append((file, None if ext in READERS else "not a supported file type"))
        else:
            found.append((path, None))
    return found


def read_file(path: Path, options: ImportOptions) -> list[DocumentRecord]:
    if not path.exists():
        raise ReadError("no such file or folder")
    ext = path.suffix.lower()
    reader = READERS.get(ext)
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise ReadError(f"unsupported file type {ext or '(none)'!r}; supported: {supported}")
    size = path.stat().st_size
    if size > options.max_bytes:
        raise ReadError(f"the file is {size / 1e6:.1f} MB, above the import limit of "
                        f"{options.max_bytes / 1e6:.0f} MB")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(f"cannot be read: {e.strerror or e}") from None
    return reader(data, path.name)


def import_paths(store: Store, paths: list[Path | str], options: ImportOptions | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> ImportReport:
    options = options or ImportOptions()
    report = ImportReport()
    files = collect_files([Path(p) for p in paths])
    for index, (path, skipped) in enumerate(files):
        if progress:
            progress(index, len(files), str(path))
        result = FileResult(display_path(path), skipped_reason=skipped)
        report.files.append(result)
        if skipped:
            continue
        try:
            records = read_file(path, options)
        except ReadErrors as e:
            result.errors = [err.located(result.path) for err in e.errors]
            continue
        except ReadError as e:
            result.errors = [e.located(result.path)]
            continue
        _write_records(store, records, result.path, options, result, report)
    if progress:
        progress(len(files), len(files), "")
    return report


def import_records(store: Store, records: list[DocumentRecord], source: str,
                   options: ImportOptions | None = None) -> ImportReport:
    """Import records that were read elsewhere (e.g. the bundled samples)."""
    report = ImportReport()
    result = FileResult(source)
    report.files.append(result)
    _write_records(store, records, source, options or ImportOptions(), result, report)
    return report


class _Names:
    """Labels and annotators by name, created on first use within the import transaction."""

    def __init__(self, store: Store, who: str | None, report: ImportReport) -> None:
        self.store, self.who, self.report = store, who, report
        self.labels = {label.name.casefold(): label for label in store.labels()}
        self.annotators: dict[str, Annotator] = {}

    def label(self, name: str) -> Label:
        found = self.labels.get(name.casefold())
        if found is None:
            position = len(self.labels)
            found = Label(new_uuid(), name, EXTRA_COLOURS[position % len(EXTRA_COLOURS)],
                          "", "", position)
            self.store.add_label(found, self.who)
            self.labels[name.casefold()] = found
            self.report.new_labels.append(name)
        return found

    def annotator(self, name: str) -> Annotator:
        found = self.annotators.get(name)
        if found is None:
            existed = self.store.annotator_by_name(" ".join(name.split())) is not None
            found = annotator_service.find_or_create(self.store, name, self.who)
            if not existed:
                self.report.new_annotators.append(found.name)
            self.annotators[name] = found
        return found


def _write_records(store: Store, records: list[DocumentRecord], source: str,
                   options: ImportOptions, result: FileResult, report: ImportReport) -> None:
    who = options.who.uuid if options.who else None
    names = _Names(store, who, report)
    new_ids: list[int] = []
    labels_before, annotators_before = len(report.new_labels), len(report.new_annotators)
    try:
        with store.transaction():
            for record in records:
                digest = content_hash(record.text)
                existing = store.document_by_hash(digest)
                if existing is not None:
                    result.duplicates.append(existing.title)
                    result.merged_spans += _add_spans(store, names, existing.id, record, who,
                                                      result)
                    continue
                uuid = record.id or new_uuid()
                if record.id and store.document_by_uuid(record.id) is not None:
                    uuid = new_uuid()
                    result.notes.append(f"line {record.line}: document id {record.id} is "
                                        f"already used by another text; given id {uuid}")
                doc = Document(None, uuid, record.title or "Untitled", record.text, digest,
                               source, dict(record.meta), options.sample)
                doc_id = store.add_document(doc, who)
                new_ids.append(doc_id)
                result.documents += 1
                result.spans += _add_spans(store, names, doc_id, record, who, result)
                for name, status in record.status.items():
                    store.set_status(doc_id, names.annotator(name).uuid, Status(status), who)
    except Exception as e:  # a store failure: the file's transaction was rolled back
        result.errors = [ReadError(f"could not be saved: {e}", source)]
        result.documents = result.spans = result.merged_spans = 0
        result.duplicates.clear()
        result.notes.clear()
        del report.new_labels[labels_before:], report.new_annotators[annotators_before:]
        return
    report.document_ids.extend(new_ids)


def _add_spans(store: Store, names: _Names, doc_id: int, record: DocumentRecord,
               who: str | None, result: FileResult) -> int:
    """Add the record's spans that the document does not have yet.

    A span is already there when its id is, or when the same annotator gave the same label
    to the same stretch. An id already used by another document's span is replaced by a new
    one (and reported): ids identify spans across databases, so they must stay unique.
    """
    existing = store.spans(doc_id)
    have_ids = {s.uuid for s in existing}
    have_keys = {(s.annotator_uuid, s.label_uuid, s.start, s.end) for s in existing}
    used_elsewhere = store.span_uuids(s.id for s in record.spans if s.id and s.id not in have_ids)
    spans = []
    stamp = now_iso()
    for s in record.spans:
        annotator, label = names.annotator(s.annotator).uuid, names.label(s.label).uuid
        key = (annotator, label, s.start, s.end)
        if s.id in have_ids or key in have_keys:
            continue
        uuid = s.id or new_uuid()
        if s.id in used_elsewhere:
            uuid = new_uuid()
            result.notes.append(f"line {record.line}: span id {s.id} is already used by "
                                f"another document's span; this span was given id {uuid}")
        spans.append(Span(uuid, doc_id, annotator, label, s.start, s.end, s.text or "", s.note,
                          s.created or stamp, s.modified or s.created or stamp))
        have_ids.add(uuid)
        used_elsewhere.add(uuid)
        have_keys.add(key)
    if spans:
        store.add_spans(spans, who)
    return len(spans)
