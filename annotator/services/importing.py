"""Importing files into the store: each file all or nothing, every problem reported.

Files are read one at a time (memory stays flat however many there are) and written in
bulk; a group of files shares a transaction, each file in its own savepoint, so a bad or
cancelled file leaves no trace while the files before it stay imported. A large record
file (JSONL) is read as it is written, BATCH records at a time, so memory stays flat
however large it is: a bad record near its end rolls back what was written before it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

from annotator.domain.model import (
    Annotator,
    Document,
    Label,
    Span,
    Status,
    new_uuid,
    now_iso,
    span_from_row,
)
from annotator.domain.names import label_name, look_alike
from annotator.domain.ratings import detect_rating, normalise_rating
from annotator.domain.text import clean_text, content_hash, title_from_text
from annotator.io import formats
from annotator.io.readers.doccano import label_list
from annotator.io.records import (
    DocumentRecord,
    ReadError,
    ReadErrors,
    ReadOptions,
    Records,
    RecordStream,
    SpanRecord,
)
from annotator.io.sources import Limits, Source, collect, too_big
from annotator.store.database import Store
from annotator.store.errors import StoreError

from .import_report import FileResult, ImportReport, offsets_line

__all__ = ["Cancelled", "FileResult", "ImportOptions", "ImportReport", "import_paths",
           "import_records", "offsets_line"]

log = logging.getLogger(__name__)

# Colours for labels that imports bring in: the Okabe-Ito ones the four defaults leave, then
# two of Paul Tol's; each new label takes the first no label has.
# (No black: it would vanish on a dark page.)
EXTRA_COLOURS = ("#E69F00", "#56B4E9", "#F0E442", "#999999", "#882255", "#44AA99")
BATCH = 500  # documents written per executemany
_RANK = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}
COMMIT_EVERY = 0.5  # seconds: files imported since are committed together
READ_IN_GROUP = 256 * 1024  # bytes: larger files are read before the write lock is taken


@dataclass(frozen=True)
class ImportOptions:
    read: ReadOptions = ReadOptions()
    clean: bool = False  # tidy raw text (never a document that comes with spans)
    max_bytes: int = 50 * 1024 * 1024  # per file read whole (record files streamed: any size)
    max_total_bytes: int = Limits.max_total_bytes  # all files and members of one import
    max_spans: int = 50_000  # per document: a file asking more is not imported
    sample: bool = False  # mark documents as sample reviews (the seeds)
    who: Annotator | None = None  # whose action this is, for the change log
    # An annotator's package (issue 16): only annotations of the documents it holds are
    # imported, all of them this annotator's; no document, label or annotator is added.
    package: Annotator | None = None


class Cancelled(Exception):
    """The user cancelled; the file being imported is rolled back."""


Progress = Callable[[int, int, str], None]  # (files done, files in all, file now)


def import_paths(store: Store, paths: list[Path | str], options: ImportOptions | None = None,
                 progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Import files, folders and .zip archives. Every file is imported whole or not at all;
    `cancelled()` is asked between files and between batches of documents."""
    options = options or ImportOptions()
    report = ImportReport()
    sources = collect([Path(p) for p in paths], Limits(
        max_bytes=options.max_bytes, max_total_bytes=options.max_total_bytes))
    options = _with_label_lists(sources, options)
    with store.bulk():
        _import_sources(store, sources, options, report, progress, cancelled)
    return report


LABEL_LIST_BYTES = 1024 * 1024  # a doccano label list is small; larger files are not read


def _with_label_lists(sources: list[Source], options: ImportOptions) -> ImportOptions:
    """doccano label lists among the sources name the label numbers of doccano 1.x exports:
    they are read first, and listed as what they are rather than imported as documents."""
    if options.read.format not in (None, "doccano"):
        return options
    numbers = dict(options.read.label_names)
    for index, source in enumerate(sources):
        if (source.suffix != ".json" or source.error or source.skipped or source.companion
                or source.size > LABEL_LIST_BYTES):
            continue
        try:
            names = label_list(source.read())
        except ReadError:
            continue  # the import proper says what is wrong with it
        if names is None:
            continue
        numbers.update(names)
        sources[index] = replace(source, skipped=(
            f"a doccano label list ({len(names)} numbered label{'s' * (len(names) != 1)}): "
            "it names the labels that doccano files give by number"))
    if numbers == dict(options.read.label_names):
        return options
    return replace(options, read=replace(options.read, label_names=tuple(numbers.items())))


def _import_sources(store: Store, sources: list[Source], options: ImportOptions,
                    report: ImportReport, progress: Progress | None,
                    cancelled: Callable[[], bool] | None) -> None:
    index = 0
    while index < len(sources) and not report.cancelled:
        if cancelled and cancelled():  # asked before waiting for the database, too
            report.cancelled = True
            break
        group: list[FileResult] = []
        before = (len(report.document_ids), len(report.new_labels), len(report.new_annotators))
        if progress:
            progress(index, len(sources), sources[index].name)
        # The first file of a group is read before the write lock is taken: other programs
        # wait only while it is written. Small ones after it are read inside.
        first = _read_source(sources[index], options)
        try:
            # One commit for the files of the next half second, their documents indexed
            # for search together before it.
            with store.transaction(), store.documents.indexing_together():
                began = time.monotonic()
                together = _Together(store, options, report, cancelled)
                while True:
                    if not together.took(first):
                        together.write()
                        result = _write_source(store, first, options, report, cancelled)
                        report.files.append(result)
                        group.append(result)
                    else:
                        group.append(first[0])
                    index += 1
                    if (index >= len(sources) or report.cancelled
                            or time.monotonic() - began >= COMMIT_EVERY
                            or sources[index].size > READ_IN_GROUP):
                        break
                    if cancelled and cancelled():
                        report.cancelled = True
                        break
                    if progress:
                        progress(index, len(sources), sources[index].name)
                    first = _read_source(sources[index], options)
                together.write()
        except StoreError as e:  # the commit failed (disk full): none of the group is in
            for result in group:
                if result.status not in ("skipped", "failed", "cancelled"):
                    result.errors = [ReadError(f"could not be saved: {e}", result.path)]
                    result.documents = result.spans = result.merged_spans = 0
                    result.duplicates.clear()
            del report.document_ids[before[0]:], report.new_labels[before[1]:]
            del report.new_annotators[before[2]:]
            if not group:  # could not even begin: the database is locked or unwritable
                _close(first)
                report.files += [FileResult(source.name, errors=[ReadError(
                    f"not imported: the database could not be written ({e}); "
                    "close other programs using it and import again", source.name)])
                    for source in sources[index:]]
                break
    if progress:
        progress(index, len(sources), "")


Read = tuple[FileResult, Records | RecordStream | None]


def _read_source(source: Source, options: ImportOptions) -> Read:
    """A file read and parsed, or opened to be read as it is written (a large record file),
    or why not (its result then says)."""
    result = FileResult(source.name, skipped_reason=source.skipped)
    if source.skipped:
        return result, None
    if source.error:
        result.errors = [ReadError(source.error, source.name)]
        return result, None
    try:
        stream = formats.stream(source, options.read)
    except ReadError as e:
        result.errors = [e.located(source.name)]
        return result, None
    if stream is not None:
        return result, stream
    if source.size > options.max_bytes and source.suffix != ".zip":
        result.errors = [ReadError(too_big(source.size, options.max_bytes), source.name)]
        return result, None
    try:
        records = formats.read(source, options.read)
    except ReadErrors as e:
        result.errors = [err.located(source.name) for err in e.errors]
    except ReadError as e:
        result.errors = [e.located(source.name)]
    except Exception as e:  # a reader's bug must not end the import of the other files
        log.exception("reading %s", source.name)
        result.errors = [ReadError(f"could not be read (an error in Annotator: {e!r})",
                                   source.name)]
    else:
        crowded = next((r for r in records if len(r.spans) > options.max_spans), None)
        if crowded is None:
            return result, records
        result.errors = [_crowded(crowded, options, source.name)]
    return result, None


def _crowded(record: DocumentRecord, options: ImportOptions, source: str) -> ReadError:
    return ReadError(
        f"{_at(record)}the document “{(record.title or record.text)[:40]}” has "
        f"{len(record.spans):,} spans, above the limit of {options.max_spans:,} for "
        "one document (raise it with --max-spans); nothing from this file was imported",
        source)


def _write_source(store: Store, read: Read, options: ImportOptions, report: ImportReport,
                  cancelled: Callable[[], bool] | None) -> FileResult:
    result, records = read
    if records is None:
        return result
    result.format, result.chosen_offsets = records.format, options.read.offsets
    if isinstance(records, Records):
        result.notes, result.offsets = list(records.notes), dict(records.offsets)
        _write_records(store, records, result.path, options, result, report, cancelled)
        return result
    try:  # read as it is written: its notes and offsets are known at its end
        _write_records(store, _streamed(records, options, result.path), result.path,
                       options, result, report, cancelled)
    finally:
        records.close()
    if not result.errors and not result.cancelled:
        result.notes[:0] = records.notes
        result.offsets = dict(records.offsets)
    return result


def _streamed(records: RecordStream, options: ImportOptions, source: str
              ) -> Iterator[DocumentRecord]:
    """A stream's records, each checked as a file read whole is checked before it is
    written; a problem raises ReadError(s), which roll the file back."""
    try:
        for record in records:
            if len(record.spans) > options.max_spans:
                for _ in records:  # read on: a bad record later is what the file fails for
                    pass
                raise _crowded(record, options, source)
            yield record
    except (ReadError, ReadErrors):
        raise
    except Exception as e:  # a reader's bug must not end the import of the other files
        log.exception("reading %s", source)
        raise ReadError(f"could not be read (an error in Annotator: {e!r})", source
                        ) from None


TOGETHER_CHARACTERS = 8 * 1024 * 1024  # the most text that small files wait with


class _Together:
    """Small files of documents alone (no spans, statuses or ids: plain texts, web pages),
    written several at a time: one savepoint, one look-up of content hashes and one insert
    for up to BATCH documents, instead of six statements per file (a folder of 10,000
    reviews spent a third of its time there). Should anything fail there, they are written
    again one by one, each in its own savepoint, so that each is still all or nothing."""

    def __init__(self, store: Store, options: ImportOptions, report: ImportReport,
                 cancelled: Callable[[], bool] | None) -> None:
        self.store, self.options, self.report = store, options, report
        self.cancelled = cancelled
        self.files: list[tuple[FileResult, Records]] = []
        self.documents = self.characters = 0

    def took(self, read: Read) -> bool:
        """Whether this file waits to be written with others (its result is reported)."""
        result, records = read
        if self.options.package is not None:
            return False  # documents alone: a package adds none (each file says so)
        if not isinstance(records, Records) or any(
                r.spans or r.status or r.id is not None for r in records):
            return False
        if self.cancelled and self.cancelled():
            return False  # cancelled as any file is, before its first document is written
        if self.documents + len(records) > BATCH:
            self.write()
            if len(records) > BATCH:
                return False
        self.files.append((result, records))
        self.report.files.append(result)
        self.documents += len(records)
        self.characters += sum(len(r.text) for r in records)
        if self.characters >= TOGETHER_CHARACTERS:
            self.write()
        return True

    def write(self) -> None:
        files, self.files = self.files, []
        self.documents = self.characters = 0
        if not files:
            return
        try:
            with self.store.transaction():  # a savepoint for them all
                written = _write_documents(self.store, files, self.options)
        except (StoreError, ValueError):
            if not self.store.in_transaction:
                raise  # SQLite ended the whole transaction (disk full, I/O): the group is lost
            for result, records in files:  # one by one: only a bad one fails
                _write_source(self.store, (result, records), self.options, self.report, None)
            return
        for (result, records), done in zip(files, written, strict=True):
            result.format, result.chosen_offsets = records.format, self.options.read.offsets
            result.notes, result.offsets = list(records.notes), dict(records.offsets)
            result.documents, result.duplicates = done.documents, done.duplicates
            self.report.document_ids.extend(done.ids)


def _write_documents(store: Store, files: list[tuple[FileResult, Records]],
                     options: ImportOptions) -> list[_Written]:
    """The documents of several files, none with spans, statuses or ids, in bulk: what
    _write_batch does for each file, for all of them at once."""
    written = [_Written() for _ in files]
    prepared = []
    for (result, records), done in zip(files, written, strict=True):
        for record in records:
            text, meta = record.text, dict(record.meta)
            if options.clean:
                text = clean_text(text)
            _rate(text, meta)
            prepared.append((record, text, meta, content_hash(text), result.path, done))
    stored = store.documents.by_hashes({p[3] for p in prepared})
    fresh: list[tuple[_Written, Document]] = []
    again: list[tuple[str, _Written]] = []
    pending: set[str] = set()
    for record, text, meta, digest, source, done in prepared:
        if digest in stored or digest in pending:
            again.append((digest, done))
            continue
        pending.add(digest)
        title = record.title or title_from_text(text, "Untitled")
        fresh.append((done, Document(None, new_uuid(), title, text, digest, source, meta,
                                     options.sample)))
    who = options.who.uuid if options.who else None
    ids = store.documents.add([doc for _, doc in fresh], who)
    for doc_id, (done, doc) in zip(ids, fresh, strict=True):
        stored[doc.content_hash] = (doc_id, doc.title)
        done.ids.append(doc_id)
        done.documents += 1
    for digest, done in again:
        done.duplicates.append(stored[digest][1])
    return written


def _close(read: Read) -> None:
    if isinstance(read[1], RecordStream):
        read[1].close()


def _batches(records: Iterable[DocumentRecord]) -> Iterator[list[DocumentRecord]]:
    """BATCH records at a time: a stream is never held whole."""
    it = iter(records)
    while batch := list(islice(it, BATCH)):
        yield batch


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

    def __init__(self, store: Store, who: str | None, report: ImportReport,
                 notes: list[str], package: Annotator | None = None) -> None:
        self.store, self.who, self.report, self.notes = store, who, report, notes
        self.package = package  # a package: everything is its annotator's, no new labels
        self.labels: dict[str, Label] | None = None  # read on first use: most files have none
        self.alike: dict[str, list[str]] = {}  # look_alike(name) -> names
        self.annotators: dict[str, Annotator] = {}

    def label(self, name: str) -> Label:
        """The label of this name, matched exactly after Unicode normalisation and tidying
        white space (tools tell PERSON from Person), created if new with a colour no label
        has yet; a new one that differs from another only in case or spacing is told of."""
        if self.labels is None:
            self.labels = {label_name(label.name): label for label in self.store.labels.all()}
            for known in self.labels.values():
                self.alike.setdefault(look_alike(known.name), []).append(known.name)
        name = label_name(name)
        found = self.labels.get(name)
        if found is None and self.package is not None:
            raise ReadError(f"the label “{name}” is not in this package's label set (labels "
                            "come from the project lead); nothing from this file was "
                            "imported")
        if found is None:
            used = {label.colour.upper() for label in self.labels.values()}
            free = [c for c in EXTRA_COLOURS if c not in used]
            position = len(self.labels)
            colour = free[0] if free else EXTRA_COLOURS[position % len(EXTRA_COLOURS)]
            found = Label(new_uuid(), name, colour, "", "", position)
            self.store.labels.add(found, self.who)
            self.labels[name] = found
            self.report.new_labels.append(name)
            similar = self.alike.setdefault(look_alike(name), [])
            if similar:
                self.notes.append(f"label {name} is new; {' and '.join(similar)} "
                                  f"exist{'s' * (len(similar) == 1)} (names differing in case "
                                  "or spacing are different labels)")
            similar.append(name)
        return found

    def annotator(self, name: str) -> Annotator:
        """The annotator of this name (runs of white space as one), created if new; in a
        package, always its annotator."""
        if self.package is not None:
            return self.package
        found = self.annotators.get(name)
        if found is None:
            tidy = " ".join(name.split())
            if not tidy:
                raise ValueError("an annotator needs a name")
            found = self.store.annotators.by_name(tidy)
            if found is None:
                found = Annotator(new_uuid(), tidy)
                self.store.annotators.add(found, self.who)
                self.report.new_annotators.append(found.name)
            self.annotators[name] = found
        return found


@dataclass
class _Written:
    """What one file added, kept apart until its savepoint is released."""

    documents: int = 0
    spans: int = 0
    merged_spans: int = 0
    duplicates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    not_cleaned: int = 0
    repeated: int = 0  # spans given twice in one record (same annotator, label and stretch)
    not_held: int = 0  # records of texts a package does not hold: skipped


def _write_records(store: Store, records: Iterable[DocumentRecord], source: str,
                   options: ImportOptions, result: FileResult, report: ImportReport,
                   cancelled: Callable[[], bool] | None = None) -> None:
    who = options.who.uuid if options.who else None
    written = _Written()
    names = _Names(store, who, report, written.notes, options.package)
    marks = (len(report.new_labels), len(report.new_annotators))
    try:
        with store.transaction():  # a savepoint inside import_paths' transaction
            for batch in _batches(records):
                if cancelled and cancelled():
                    raise Cancelled
                _write_batch(store, batch, source, options, names, who, written)
    except ReadErrors as e:  # a streamed file's bad record: rolled back
        result.errors = [err.located(source) for err in e.errors]
        del report.new_labels[marks[0]:], report.new_annotators[marks[1]:]
        return
    except ReadError as e:
        result.errors = [e.located(source)]
        del report.new_labels[marks[0]:], report.new_annotators[marks[1]:]
        return
    except Cancelled:
        result.cancelled = True
        report.cancelled = True
        del report.new_labels[marks[0]:], report.new_annotators[marks[1]:]
        return
    except (StoreError, ValueError) as e:  # rolled back
        if isinstance(e, StoreError) and not store.in_transaction:
            raise  # SQLite ended the whole transaction (disk full, I/O): the group is lost
        result.errors = [ReadError(f"could not be saved: {e}", source)]
        del report.new_labels[marks[0]:], report.new_annotators[marks[1]:]
        return
    result.documents, result.spans = written.documents, written.spans
    result.merged_spans, result.duplicates = written.merged_spans, written.duplicates
    result.not_held = written.not_held
    result.notes += written.notes
    if written.not_held and options.package is not None:
        result.notes.append(
            f"{written.not_held} record(s) skipped: their texts are not in this package "
            f"(this is {options.package.name}'s annotation package: its documents and "
            "labels come from the project lead)")
    if written.repeated:
        result.notes.append(f"{written.repeated} span(s) were given twice in the same record "
                            "(same annotator, label, start and end): each was imported once")
    if written.not_cleaned:
        result.notes.append(f"{written.not_cleaned} document(s) with spans were not cleaned: "
                            "their offsets must not move")
    report.document_ids.extend(written.ids)


def _write_batch(store: Store, records: list[DocumentRecord], source: str,
                 options: ImportOptions, names: _Names, who: str | None,
                 written: _Written) -> None:
    """Up to BATCH records: new documents and their spans in bulk, duplicates merged."""
    prepared = []
    for record in records:
        text, meta = record.text, dict(record.meta)
        if options.clean and record.spans:
            written.not_cleaned += 1
        elif options.clean:
            text = clean_text(text)
        _rate(text, meta)
        prepared.append((record, text, meta, content_hash(text)))
    # Documents this file wrote before are in the store too (inside its savepoint): found
    # there, nothing per document is kept across batches.
    stored = store.documents.by_hashes({h for *_, h in prepared})
    taken = store.documents.stored_uuids(r.id for r in records if r.id)
    fresh: list[tuple[DocumentRecord, Document]] = []
    merges: list[tuple[str, DocumentRecord]] = []
    pending: set[str] = set()
    for record, text, meta, digest in prepared:
        if digest in stored or digest in pending:
            merges.append((digest, record))
            continue
        if options.package is not None:  # a package adds no documents
            written.not_held += 1
            continue
        uuid = record.id or new_uuid()
        if record.id and record.id in taken:
            uuid = new_uuid()
            written.notes.append(f"{_at(record)}document id {record.id} is already used by "
                                 f"another text; given id {uuid}")
        taken.add(uuid)
        pending.add(digest)
        title = record.title or title_from_text(text, "Untitled")
        fresh.append((record, Document(None, uuid, title, text, digest, source, meta,
                                       options.sample)))
    ids = store.documents.add([doc for _, doc in fresh], who)
    for doc_id, (_, doc) in zip(ids, fresh, strict=True):
        stored[doc.content_hash] = (doc_id, doc.title)
    written.ids += ids
    written.documents += len(ids)
    written.spans += _add_new_spans(store, names, list(zip(ids, fresh, strict=True)), who,
                                    written)
    for doc_id, (record, _) in zip(ids, fresh, strict=True):
        for name, status in record.status.items():
            store.statuses.set(doc_id, names.annotator(name).uuid, Status(status), who)
    for digest, record in merges:
        doc_id, title = stored[digest]
        written.duplicates.append(title)
        written.merged_spans += _add_spans(store, names, doc_id, record, who, written)
        for name, status in record.status.items():  # never lowered: done stays done
            annotator = names.annotator(name).uuid
            if _RANK[Status(status)] > _RANK[store.statuses.of(doc_id, annotator)]:
                store.statuses.set(doc_id, annotator, Status(status), who)


def _at(record: DocumentRecord) -> str:
    return f"line {record.line}: " if record.line is not None else ""


def _rate(text: str, meta: dict) -> None:
    """A rating the file gave (a spreadsheet column) is normalised; else one the review
    states is looked for in its text."""
    if "rating" in meta:
        if "rating_normalised" not in meta:
            value = normalise_rating(str(meta["rating"]))
            if value is not None:
                meta["rating_normalised"] = value
        return
    found = detect_rating(text)
    if found is not None:
        meta["rating"], meta["rating_normalised"] = found


def _add_new_spans(store: Store, names: _Names,
                   fresh: list[tuple[int, tuple[DocumentRecord, Document]]], who: str | None,
                   written: _Written) -> int:
    """The spans of documents new to the store, in one executemany."""
    wanted = [s.id for _, (record, _) in fresh for s in record.spans if s.id]
    used = store.spans.stored_uuids(wanted) if wanted else set()
    spans: list[Span] = []
    stamp = now_iso()
    who_is: dict[str, str] = {}  # names -> uuids, looked up once per import batch
    label_of: dict[str, str] = {}
    for doc_id, (record, _) in fresh:
        keys: set[tuple] = set()
        for s in record.spans:
            annotator = who_is.get(s.annotator) or who_is.setdefault(
                s.annotator, names.annotator(s.annotator).uuid)
            label = label_of.get(s.label) or label_of.setdefault(
                s.label, names.label(s.label).uuid)
            key = (annotator, label, s.start, s.end)
            if key in keys:  # the same span twice in one record: once is enough
                written.repeated += 1
                continue
            keys.add(key)
            spans.append(_stored_span(s, record, doc_id, annotator, label, used, stamp, written))
    if spans:
        store.spans.add(spans, who)
    return len(spans)


def _add_spans(store: Store, names: _Names, doc_id: int, record: DocumentRecord,
               who: str | None, written: _Written) -> int:
    """Add the record's spans that the document does not have yet.

    A span is already there when its id is, or when the same annotator gave the same label
    to the same stretch. An id already used by another document's span is replaced by a new
    one (and reported): ids identify spans across databases, so they must stay unique.
    """
    existing = store.spans.of_document(doc_id)
    have_ids = {s.uuid for s in existing}
    have_keys = {(s.annotator_uuid, s.label_uuid, s.start, s.end) for s in existing}
    used_elsewhere = store.spans.stored_uuids(s.id for s in record.spans
                                              if s.id and s.id not in have_ids)
    spans = []
    stamp = now_iso()
    in_record: set[tuple] = set()
    for s in record.spans:
        annotator, label = names.annotator(s.annotator).uuid, names.label(s.label).uuid
        key = (annotator, label, s.start, s.end)
        if key in in_record:
            written.repeated += 1
        in_record.add(key)
        span_id = s.id
        if names.package is not None and " ".join((s.annotator or "").split()) not in (
                "", names.package.name):
            # Someone else's span, taken into a package as its annotator's: a span of
            # their own, so an id of its own (the id names the other person's span,
            # which the project may hold already).
            span_id = None
        if span_id in have_ids or key in have_keys:
            continue
        span = _stored_span(s, record, doc_id, annotator, label, used_elsewhere, stamp, written,
                            keep_id=span_id is not None)
        spans.append(span)
        have_ids.add(span.uuid)
        have_keys.add(key)
    if spans:
        store.spans.add(spans, who)
    return len(spans)


def _stored_span(s: SpanRecord, record: DocumentRecord, doc_id: int, annotator: str,
                 label: str, used: set[str], stamp: str, written: _Written,
                 keep_id: bool = True) -> Span:
    """The stored span of a record's span. Its id is kept (unless not `keep_id`) unless
    another span has it already (ids identify spans across databases): then it gets a new
    one, reported."""
    span_id = s.id if keep_id else None
    uuid = span_id or new_uuid()
    if span_id and span_id in used:
        uuid = new_uuid()
        written.notes.append(f"{_at(record)}span id {s.id} is already used by another "
                             f"document's span; this span was given id {uuid}")
    used.add(uuid)
    # No text: the store keeps a span's offsets only (its text is the document's), and a
    # copy here for each of 10,000 spans over a long review would be gigabytes.
    return span_from_row((uuid, doc_id, annotator, label, s.start, s.end, "",
                          s.note, s.created or stamp, s.modified or s.created or stamp))
