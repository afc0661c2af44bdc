"""Exporting the store as datasets other tools load as they are: a scope (annotators, gold,
a consensus, finished work, labels; see export_scope), a format, its unit of offsets,
optional splits, written atomically."""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.domain.offsets import CODEPOINT, UNIT_HINTS, UNIT_NAMES, UNITS
from annotator.io.records import DocumentRecord
from annotator.io.registry import BINARY, FOLDER, TEXT, WRITER_BY_KEY, WRITERS, writer_keys
from annotator.io.writers.language import LONGEST, SAMPLE
from annotator.io.writers.stats import WriteStats
from annotator.store.database import Store

from .export_scope import (
    CONSENSUS,
    SPLIT_NAMES,
    ExportError,
    ExportOptions,
    document_records,
    split_documents,
    wanted_labels,
)

__all__ = ["CONSENSUS", "FORMATS", "SPLIT_NAMES", "ExportError", "ExportOptions",
           "ExportReport", "document_records", "export", "offsets_of", "preview",
           "split_documents"]

FORMATS = writer_keys()


@dataclass
class ExportReport:
    destination: str
    documents: int = 0
    spans: int = 0
    not_written: dict[str, int] = field(default_factory=dict)  # reason -> spans
    splits: dict[str, int] = field(default_factory=dict)  # split -> documents
    adjusted: dict[str, int] = field(default_factory=dict)  # reason -> spans written changed
    offsets: str | None = None  # the unit the file's offsets count in; None: it has none

    @property
    def offsets_line(self) -> str:
        """The unit in words, for the summary: what a reader of the file must count in."""
        if self.offsets is None:
            return "the file holds tokens, no offsets"
        return f"offsets count {UNIT_NAMES[self.offsets]}"

    def as_json(self) -> dict:
        return {"destination": self.destination, "documents": self.documents,
                "spans": self.spans, "not_written": self.not_written,
                "adjusted": self.adjusted, "splits": self.splits, "offsets": self.offsets}


def offsets_of(fmt: str, options: ExportOptions) -> str | None:
    """The unit `fmt` is written in with these options: --offsets, else what its tools
    count; None for a format without offsets."""
    writer = WRITER_BY_KEY[fmt]
    return options.offsets or writer.counts if writer.counts is not None else None


def export(store: Store, fmt: str, destination: Path | str,
           options: ExportOptions | None = None,
           progress: Callable[[int, int], None] | None = None) -> ExportReport:
    """Write atomically: a failed export never leaves a half-written file behind.
    `progress(done, total)` is told after each document (total counts every document in
    the database; done-only exports may finish below it)."""
    options = options or ExportOptions()
    _check_format(fmt, options)
    unit = offsets_of(fmt, options)
    options = replace(options, offsets=unit or CODEPOINT)
    destination = Path(destination)
    report = ExportReport(str(destination), offsets=unit)
    labels = [label.name for label in store.labels.all()]
    chosen = wanted_labels(options, labels)
    labels = [name for name in labels if chosen is None or name in chosen]

    splits = split_documents(store, options) if options.split else {}
    report.splits = {name: len(ids) for name, ids in splits.items()}
    totals: Counter = Counter()
    adjusted: Counter = Counter()

    total = store.documents.count()
    seen = 0
    counts: dict[str, Counter] = {}  # label -> annotator -> spans, for the dataset card
    sample: list[str] = []  # the first texts, to tell the dataset's languages by

    def counted(documents: list[int] | None) -> Iterator[DocumentRecord]:
        nonlocal seen
        for record in document_records(store, options, documents, adjusted):
            report.documents += 1
            report.spans += len(record.spans)
            for span in record.spans:
                counts.setdefault(span.label, Counter())[span.annotator] += 1
            if len(sample) < SAMPLE and fmt == "parquet":
                sample.append(record.text[:LONGEST])
            yield record
            seen += 1
            if progress:
                progress(seen, total)

    notes_lost = 0

    def tally(stats) -> None:
        nonlocal notes_lost
        if stats is not None:  # the native writer keeps no tally: it writes everything
            totals.update(stats.not_written)
            adjusted.update(stats.adjusted)
            notes_lost += stats.notes_not_written

    def write_text(out, documents: list[int] | None = None) -> None:
        tally(_write(fmt, counted(documents), out, labels, options))

    def write_other(target: Path, documents: list[int] | None = None) -> None:
        """A binary file or a folder, written by path."""
        tally(_write_to(fmt, counted(documents), target, labels, options))

    writer = WRITER_BY_KEY[fmt]

    def write_split(target: Path, documents: list[int]) -> None:
        """One split's file (or brat folder), inside the export's folder."""
        if writer.kind == FOLDER:
            target.mkdir()
        if writer.kind == TEXT:
            with open(target, "w", encoding="utf-8", newline="\n") as out:
                write_text(out, documents)
        else:
            write_other(target, documents)

    def write_splits(folder: Path) -> None:
        for name, ids in splits.items():
            write_split(folder / f"{name}{writer.suffix}", ids)

    if options.split:  # a folder with one file (or folder) per split
        _to_folder(store, destination, write_splits)
    elif writer.kind == FOLDER:
        _to_folder(store, destination, write_other)
    elif writer.kind == BINARY:
        _to_path(store, destination, write_other)
    else:
        _to_file(store, destination, write_text)
    if fmt == "jsonl":
        _write_label_sidecar(store, destination, options)
    if fmt == "parquet":
        _write_card(store, destination, options, report, splits, counts, sample)
    report.spans -= sum(totals.values())
    report.not_written = dict(totals)
    if notes_lost:  # the spans are written, without their notes
        report.not_written[f"the note ({writer.name} has no place for notes)"] = notes_lost
    report.adjusted = dict(adjusted)
    return report


def _write_label_sidecar(store: Store, destination: Path, options: ExportOptions) -> None:
    """The label set (names, colours, keys, descriptions) beside a native JSONL export:
    `x.jsonl` gets `x.labels.json`; a split folder gets `labels.json` inside it."""
    labels = [{"name": lb.name, "colour": lb.colour, "key": lb.shortcut,
               "description": lb.description} for lb in store.labels.all()]
    target = (destination / "labels.json" if options.split
              else destination.with_name(destination.stem + ".labels.json"))
    _check_destination(store, target)
    target.write_text(json.dumps({"labels": labels, "offsets": options.offsets or CODEPOINT},
                                 indent=2,
                                 ensure_ascii=False) + "\n", encoding="utf-8")


def _check_format(fmt: str, options: ExportOptions) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; available: {', '.join(FORMATS)}")
    if options.offsets not in (None, *UNITS):
        raise ExportError(f"offsets are {', '.join(UNITS)}, not {options.offsets!r}")
    if options.offsets not in (None, CODEPOINT) and WRITER_BY_KEY[fmt].codepoint_only:
        others = [writer.key for writer in WRITERS if not writer.codepoint_only]
        raise ExportError(f"{fmt} counts offsets in code points (its tokens or its own "
                          f"tools do); {UNIT_HINTS[options.offsets]} offsets are for "
                          f"{', '.join(others[:-1])} and {others[-1]}")


def preview(store: Store, fmt: str, options: ExportOptions, limit: int = 4000) -> str:
    """The first document as `fmt` writes it, cut at `limit` characters; ExportError for a
    scope that cannot be exported."""
    _check_format(fmt, options)
    options = replace(options, offsets=offsets_of(fmt, options) or CODEPOINT)
    first = list(itertools.islice(document_records(store, options), 1))
    if not first:
        return "Nothing to export in this scope."
    if WRITER_BY_KEY[fmt].preview:  # a binary file or a folder: described, not shown
        return WRITER_BY_KEY[fmt].preview
    out = io.StringIO()
    labels = [label.name for label in store.labels.all()]
    _write(fmt, iter(first), out, labels, options)
    text = out.getvalue()
    return text if len(text) <= limit else text[:limit] + "\n…"


def _write(fmt: str, records: Iterator[DocumentRecord], out, labels: list[str],
           options: ExportOptions):
    try:
        return _write_to(fmt, records, out, labels, options)
    except ValueError as e:  # a writer's refusal (labels that would give the same tag)
        raise ExportError(f"{fmt}: {e}") from None


def _write_to(fmt: str, records: Iterator[DocumentRecord], target, labels: list[str],
              options: ExportOptions) -> WriteStats | None:
    """Write with `fmt`'s writer to `target`: an open text file, a path or a folder, as the
    writer's kind says."""
    writer = WRITER_BY_KEY[fmt]
    arguments = [labels if name == "labels" else getattr(options, name)
                 for name in writer.takes]
    try:
        stats = writer.function()(records, target, *arguments)
    except ImportError as e:  # the optional extra is not installed: say which
        if writer.extra is None:
            raise
        raise ExportError(str(e)) from None
    return stats if isinstance(stats, WriteStats) else None  # the native writer: a count


def _write_card(store: Store, destination: Path, options: ExportOptions,
                report: ExportReport, splits: dict, counts: dict[str, Counter],
                sample: list[str]) -> None:
    """A dataset card beside a Parquet export: README.md in a split folder, else
    `<name>.README.md` (never over a README the folder already has)."""
    from annotator.io.writers.dataset_card import dataset_card
    from annotator.io.writers.language import detect_languages

    from .agreement import Scope, ScopeError, compute

    try:
        agreement = compute(store, Scope(documents="all")).reading
    except ScopeError:
        agreement = None
    scope = ("the gold set" if options.gold else
             f"spans at least {options.consensus} annotators made identically"
             if options.consensus and options.consensus_match == "exact" else
             f"the stretches at least {options.consensus} annotators covered with a label"
             if options.consensus else
             ", ".join(options.annotators) if options.annotators else "every annotator")
    files = ({name: f"{name}.parquet" for name in splits} if options.split
             else {"train": destination.name})
    card = dataset_card({
        "name": Path(store.path).stem, "languages": detect_languages(sample),
        "labels": [{"name": lb.name, "description": lb.description} for lb in store.labels.all()],
        "counts": {label: dict(by) for label, by in counts.items()},
        "documents": report.documents, "spans": report.spans,
        "offsets": options.offsets, "scope": scope + (", documents marked done only"
                                                      if options.done_only else ""),
        "files": files, "agreement": agreement})
    target = (destination / "README.md" if options.split
              else destination.with_name(destination.stem + ".README.md"))
    _check_destination(store, target)
    target.write_text(card, encoding="utf-8")


def _to_path(store: Store, destination: Path, write) -> None:
    """A binary file written under a temporary name, then moved into place."""
    _check_destination(store, destination)
    if destination.is_dir():
        raise ExportError(f"{destination} is a folder; give a file name to write")
    fd, tmp = tempfile.mkstemp(prefix=".annotator-export-", dir=destination.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_destination(store: Store, destination: Path) -> None:
    folder = destination.parent
    if not folder.is_dir():
        raise ExportError(f"folder {folder} does not exist")
    database = Path(store.path).resolve()
    if destination.resolve() in {database, *(database.with_name(database.name + suffix)
                                             for suffix in ("-wal", "-shm", "-journal"))}:
        raise ExportError(f"{destination} is the database itself; choose another file")


def _to_file(store: Store, destination: Path, write):
    _check_destination(store, destination)
    if destination.is_dir():
        raise ExportError(f"{destination} is a folder; give a file name to write")
    fd, tmp = tempfile.mkstemp(prefix=".annotator-export-", dir=destination.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            stats = write(out)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; exports are not
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return stats


def _to_folder(store: Store, destination: Path, write):
    """Write into a new folder beside the destination, then move it into place: a failed
    export leaves nothing half-written. An existing folder must be empty."""
    _check_destination(store, destination)
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ExportError(f"{destination} already exists and is not an empty folder; "
                          "choose a new folder name")
    tmp = Path(tempfile.mkdtemp(prefix=".annotator-export-", dir=destination.parent))
    try:
        stats = write(tmp)
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes folders private; exports are not
        if destination.exists():
            destination.rmdir()
        os.replace(tmp, destination)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return stats


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once, when this module loads: exports run in a worker thread, and setting the
# process-wide umask there, even for a moment, would touch files other threads create.
_UMASK = _read_umask()


def _umask() -> int:
    return _UMASK
