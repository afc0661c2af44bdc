"""Exporting the store as datasets other tools load as they are: a scope (annotators, gold,
a consensus, finished work, labels), a format, optional splits, written atomically."""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import GOLD, Status
from annotator.domain.offsets import OffsetMap
from annotator.io.records import DocumentRecord, SpanRecord
from annotator.io.registry import BINARY, FOLDER, TEXT, WRITER_BY_KEY, WRITERS, writer_keys
from annotator.io.writers.stats import WriteStats
from annotator.store.database import Store

FORMATS = writer_keys()
CONSENSUS = "consensus"  # the annotator name consensus spans are exported under


class ExportError(AnnotatorError):
    pass


@dataclass
class ExportOptions:
    annotators: list[str] = field(default_factory=list)  # names; empty means everyone
    gold: bool = False  # the adjudicated set only
    consensus: int | None = None  # spans at least this many annotators made identically
    consensus_match: str = "exact"  # or "overlap": the stretch at least k of them covered
    done_only: bool = False  # only work the annotator marked done
    labels: list[str] = field(default_factory=list)  # names; empty means every label
    offsets: str = "codepoint"  # or "utf16", as JavaScript tools count
    conll_mode: str = "priority"  # or "columns": one BIO column per label
    split: tuple[int, ...] | None = None  # e.g. (80, 10, 10): train/dev/test by document
    seed: int = 0  # the same seed gives the same split
    stratify: bool = False  # keep the mix of labels present alike in every split
    language: str = "en"  # spaCy: the blank pipeline that tokenises


@dataclass
class ExportReport:
    destination: str
    documents: int = 0
    spans: int = 0
    not_written: dict[str, int] = field(default_factory=dict)  # reason -> spans
    splits: dict[str, int] = field(default_factory=dict)  # split -> documents
    adjusted: dict[str, int] = field(default_factory=dict)  # reason -> spans written changed

    def as_json(self) -> dict:
        return {"destination": self.destination, "documents": self.documents,
                "spans": self.spans, "not_written": self.not_written,
                "adjusted": self.adjusted, "splits": self.splits}


def document_records(store: Store, options: ExportOptions,
                     documents: list[int] | None = None) -> Iterator[DocumentRecord]:
    """Every document with the chosen spans (see _numbered_records)."""
    return (record for _, record in _numbered_records(store, options, documents))


def _numbered_records(store: Store, options: ExportOptions, documents: list[int] | None
                      ) -> Iterator[tuple[int, DocumentRecord]]:
    """Every document with the chosen spans, by names, in a stable order.

    Documents without spans stay in: a review with no spoiler is a valid negative example.
    With done_only, a document is kept when one of the chosen annotators marked it done,
    with the spans of those who did.
    """
    annotators = {a.uuid: a.name for a in store.annotators.all()}
    label_names = {label.uuid: label.name for label in store.labels.all()}
    wanted = _wanted_annotators(store, options, annotators)
    labels = _wanted_labels(options, list(label_names.values()))
    order = store.documents.ids() if documents is None else documents
    for doc_id, doc, stored_spans, statuses in _in_chunks(store, order):
        chosen = {a: st for a, st in statuses.items() if not wanted or a in wanted}
        done = {a for a, st in chosen.items() if st is Status.DONE}
        if options.done_only and not done:
            continue
        status = {annotators[a]: st.value for a, st in chosen.items()}
        spans = [
            SpanRecord(annotators[s.annotator_uuid], label_names[s.label_uuid], s.start,
                       s.end, s.text, s.note, s.uuid, s.created, s.modified)
            for s in stored_spans
            if (not wanted or s.annotator_uuid in wanted)
            and (labels is None or label_names[s.label_uuid] in labels)
            and (not options.done_only or s.annotator_uuid in done)
        ]
        if options.consensus:
            spans = (_consensus(spans, options.consensus) if options.consensus_match == "exact"
                     else _overlap_consensus(doc.text, spans, options.consensus))
            status = {}
        if options.offsets == "utf16":
            spans = _in_utf16(doc.text, spans)
        yield doc_id, DocumentRecord(doc.text, doc.title, doc.uuid, doc.meta, spans,
                                     dict(sorted(status.items())))


SPLIT_NAMES = ("train", "dev", "test")


def split_documents(store: Store, options: ExportOptions) -> dict[str, list[int]]:
    """Documents per split, by the options' ratios and seed: shuffled with the seed (the
    same seed, the same split), and with `stratify`, shuffled and cut within each group of
    documents that have the same labels present, so each split gets its share of each."""
    ratios = options.split or (100,)
    if len(ratios) > len(SPLIT_NAMES) or any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ExportError(f"a split is up to three shares, like 80/10/10, not "
                          f"{'/'.join(map(str, ratios))}")
    groups: dict[tuple, list[int]] = {}
    for record_id, labels in _label_presence(store, options):
        groups.setdefault(labels if options.stratify else (), []).append(record_id)
    rng = random.Random(options.seed)
    names = SPLIT_NAMES[:len(ratios)] if len(ratios) > 1 else ("all",)
    out: dict[str, list[int]] = {name: [] for name in names}
    total = sum(ratios)
    ordered = []
    for key in sorted(groups):  # stratified: each group shuffled, the groups one after another
        ids = sorted(groups[key])
        rng.shuffle(ids)
        ordered += ids
    # Dealt one by one to the split furthest below its share so far: every stretch of the
    # order (so every label group, stratified) is shared out in the ratios, even small ones.
    for done, doc_id in enumerate(ordered, start=1):
        name = max(names, key=lambda n: (ratios[names.index(n)] * done / total - len(out[n]),
                                         -names.index(n)))
        out[name].append(doc_id)
    return {name: sorted(ids) for name, ids in out.items()}


def _label_presence(store: Store, options: ExportOptions) -> Iterator[tuple[int, tuple]]:
    for doc_id, record in _numbered_records(store, options, None):
        yield doc_id, tuple(sorted({s.label for s in record.spans}))


def _in_chunks(store: Store, order: list[int], size: int = 500):
    """(id, document, spans, statuses) in order, read 500 documents at a time: few queries,
    and memory bounded by a chunk, not the whole database."""
    for i in range(0, len(order), size):
        for doc, spans, statuses in store.documents.with_spans(order[i:i + size]):
            yield doc.id, doc, spans, statuses


def _wanted_annotators(store: Store, options: ExportOptions, annotators: dict[str, str]
                       ) -> set[str]:
    """The uuids of the annotators whose spans are exported; empty: everyone."""
    if options.gold:
        if options.annotators or options.consensus:
            raise ExportError("choose one of: annotators, the gold set, or a consensus")
        if GOLD.uuid not in store.annotators.at_work():
            raise ExportError("there is no gold set yet: adjudicate first (Annotator → "
                              "Adjudicate into gold)")
        return {GOLD.uuid}
    by_name = {name: uuid for uuid, name in annotators.items()}
    unknown = set(options.annotators) - set(by_name)
    if unknown:
        raise ExportError(f"no annotator named {', '.join(sorted(unknown))}; known: "
                          f"{', '.join(sorted(by_name)) or 'none'}")
    if options.consensus is not None and options.consensus < 1:
        raise ExportError("a consensus needs at least 1 annotator per span")
    wanted = {by_name[name] for name in options.annotators}
    if options.consensus and not wanted:  # everyone, but gold is a result, not a vote
        wanted = set(annotators)
    return wanted - ({GOLD.uuid} if options.consensus else set())


def _wanted_labels(options: ExportOptions, known: list[str]) -> set[str] | None:
    if not options.labels:
        return None
    by_fold = {name.casefold(): name for name in known}
    missing = [n for n in options.labels if n.casefold() not in by_fold]
    if missing:
        raise ExportError(f"no label named {', '.join(missing)}; known: {', '.join(known)}")
    return {by_fold[n.casefold()] for n in options.labels}


def _consensus(spans: list[SpanRecord], k: int) -> list[SpanRecord]:
    """Spans that at least k annotators made identically (same label, start and end),
    once each, under the annotator name "consensus"; the note lists who agreed."""
    by_key: dict[tuple, list[SpanRecord]] = {}
    for span in spans:
        by_key.setdefault((span.label, span.start, span.end), []).append(span)
    agreed = []
    for (label, start, end), same in sorted(by_key.items(), key=lambda kv: kv[0][1:]):
        who = sorted({s.annotator for s in same})
        if len(who) >= k:
            agreed.append(SpanRecord(CONSENSUS, label, start, end, same[0].text,
                                     f"agreed by {', '.join(who)}"))
    return agreed


def _overlap_consensus(text: str, spans: list[SpanRecord], k: int) -> list[SpanRecord]:
    """Per label, the stretches at least k annotators covered with that label (each
    annotator counted once however many of their spans lie there); the note says who."""
    agreed = []
    for label in sorted({s.label for s in spans}):
        changes: dict[int, list[tuple[str, int]]] = {}
        for span in spans:
            if span.label == label:
                changes.setdefault(span.start, []).append((span.annotator, 1))
                changes.setdefault(span.end, []).append((span.annotator, -1))
        depth: dict[str, int] = {}
        start, who = None, set()
        for position in sorted(changes):
            for annotator, step in changes[position]:
                depth[annotator] = depth.get(annotator, 0) + step
            covering = {a for a, n in depth.items() if n > 0}
            if start is not None and len(covering) < k:  # the stretch ends here
                agreed.append(SpanRecord(CONSENSUS, label, start, position,
                                         text[start:position],
                                         f"agreed by {', '.join(sorted(who))}"))
                start = None
            if start is None and len(covering) >= k:
                start, who = position, set(covering)
            elif start is not None:
                who |= covering
    return sorted(agreed, key=lambda s: (s.start, s.end, s.label))


def _in_utf16(text: str, spans: list[SpanRecord]) -> list[SpanRecord]:
    offsets = OffsetMap(text)
    if offsets.same_in_utf16:
        return spans
    return [replace(s, start=offsets.to_utf16(s.start), end=offsets.to_utf16(s.end))
            for s in spans]


def export(store: Store, fmt: str, destination: Path | str,
           options: ExportOptions | None = None,
           progress: Callable[[int, int], None] | None = None) -> ExportReport:
    """Write atomically: a failed export never leaves a half-written file behind.
    `progress(done, total)` is told after each document (total counts every document in
    the database; done-only exports may finish below it)."""
    options = options or ExportOptions()
    _check_format(fmt, options)
    destination = Path(destination)
    report = ExportReport(str(destination))
    labels = [label.name for label in store.labels.all()]
    chosen = _wanted_labels(options, labels)
    labels = [name for name in labels if chosen is None or name in chosen]

    splits = split_documents(store, options) if options.split else {}
    report.splits = {name: len(ids) for name, ids in splits.items()}
    totals: Counter = Counter()
    adjusted: Counter = Counter()

    total = store.documents.count()
    seen = 0
    counts: dict[str, Counter] = {}  # label -> annotator -> spans, for the dataset card

    def counted(documents: list[int] | None) -> Iterator[DocumentRecord]:
        nonlocal seen
        for record in document_records(store, options, documents):
            report.documents += 1
            report.spans += len(record.spans)
            for span in record.spans:
                counts.setdefault(span.label, Counter())[span.annotator] += 1
            yield record
            seen += 1
            if progress:
                progress(seen, total)

    def tally(stats) -> None:
        if stats is not None:  # the native writer keeps no tally: it writes everything
            totals.update(stats.not_written)
            adjusted.update(stats.adjusted)

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
        _write_card(store, destination, options, report, splits, counts)
    report.not_written = dict(totals)
    report.adjusted = dict(adjusted)
    report.spans -= sum(totals.values())
    return report


def _write_label_sidecar(store: Store, destination: Path, options: ExportOptions) -> None:
    """The label set (names, colours, keys, descriptions) beside a native JSONL export:
    `x.jsonl` gets `x.labels.json`; a split folder gets `labels.json` inside it."""
    labels = [{"name": lb.name, "colour": lb.colour, "key": lb.shortcut,
               "description": lb.description} for lb in store.labels.all()]
    target = (destination / "labels.json" if options.split
              else destination.with_name(destination.stem + ".labels.json"))
    _check_destination(store, target)
    target.write_text(json.dumps({"labels": labels, "offsets": options.offsets}, indent=2,
                                 ensure_ascii=False) + "\n", encoding="utf-8")


def _check_format(fmt: str, options: ExportOptions) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; available: {', '.join(FORMATS)}")
    if options.offsets not in ("codepoint", "utf16"):
        raise ExportError(f"offsets are codepoint or utf16, not {options.offsets!r}")
    if options.offsets == "utf16" and WRITER_BY_KEY[fmt].codepoint_only:
        utf16 = [writer.key for writer in WRITERS if not writer.codepoint_only]
        raise ExportError(f"{fmt} counts offsets in code points (its tokens or its own "
                          f"tools do); UTF-16 offsets are for {', '.join(utf16[:-1])} and "
                          f"{utf16[-1]}")


def preview(store: Store, fmt: str, options: ExportOptions, limit: int = 4000) -> str:
    """The first document as `fmt` writes it, cut at `limit` characters; ExportError for a
    scope that cannot be exported."""
    _check_format(fmt, options)
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
                report: ExportReport, splits: dict, counts: dict[str, Counter]) -> None:
    """A dataset card beside a Parquet export: README.md in a split folder, else
    `<name>.README.md` (never over a README the folder already has)."""
    from annotator.io.writers.dataset_card import dataset_card

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
        "labels": [{"name": lb.name, "description": lb.description} for lb in store.labels.all()],
        "counts": {label: dict(by) for label, by in counts.items()},
        "documents": report.documents, "spans": report.spans,
        "offsets": options.offsets, "scope": scope + (", documents marked done only"
                                                      if options.done_only else ""),
        "files": files, "agreement": agreement, "language": options.language})
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
