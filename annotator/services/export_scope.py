"""What an export takes: which documents, whose spans, which labels, in which unit of
offsets; the same scope gives the same records to every format, and to the splits."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import GOLD, Status
from annotator.domain.names import find_names
from annotator.domain.offsets import CODEPOINT, units
from annotator.io.records import DocumentRecord, SpanRecord
from annotator.store.database import Store

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
    offsets: str | None = None  # None: as the format's tools count (UTF-16 units for
    #                             doccano and Label Studio, code points for the rest); or
    #                             "codepoint", "utf16" or "graphemes"
    conll_mode: str = "priority"  # or "columns": one BIO column per label
    split: tuple[int, ...] | None = None  # e.g. (80, 10, 10): train/dev/test by document
    seed: int = 0  # the same seed gives the same split
    stratify: bool = False  # keep the mix of labels present alike in every split
    language: str = "en"  # spaCy: the blank pipeline that tokenises


WIDENED = "edges moved to grapheme cluster edges (an edge inside a character as readers see it)"


def document_records(store: Store, options: ExportOptions,
                     documents: list[int] | None = None,
                     adjusted: Counter | None = None) -> Iterator[DocumentRecord]:
    """Every document with the chosen spans (see _numbered_records)."""
    return (record for _, record in _numbered_records(store, options, documents, adjusted))


def _numbered_records(store: Store, options: ExportOptions, documents: list[int] | None,
                      adjusted: Counter | None = None) -> Iterator[tuple[int, DocumentRecord]]:
    """Every document with the chosen spans, by names, in a stable order, their offsets in
    the options' unit (spans widened to whole grapheme clusters counted in `adjusted`).

    Documents without spans stay in: a review with no spoiler is a valid negative example.
    With done_only, a document is kept when one of the chosen annotators marked it done,
    with the spans of those who did.
    """
    annotators = {a.uuid: a.name for a in store.annotators.all()}
    label_names = {label.uuid: label.name for label in store.labels.all()}
    wanted = _wanted_annotators(store, options, annotators)
    labels = wanted_labels(options, list(label_names.values()))
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
        if options.offsets not in (None, CODEPOINT):
            spans = _in_unit(doc.text, spans, options.offsets, adjusted)
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


def wanted_labels(options: ExportOptions, known: list[str]) -> set[str] | None:
    """The labels named: exactly (after Unicode normalisation and tidying white space),
    else by a name that differs only in case or spacing when one label has it."""
    if not options.labels:
        return None
    found, missing, ambiguous = find_names(list(options.labels), known)
    for wanted, same in ambiguous.items():
        raise ExportError(f"no label is named {wanted}, and several differ from it only "
                          f"in case or spacing: {', '.join(same)}")
    if missing:
        raise ExportError(f"no label named {', '.join(missing)}; known: {', '.join(known)}")
    return set(found)


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


def _in_unit(text: str, spans: list[SpanRecord], unit: str,
             adjusted: Counter | None) -> list[SpanRecord]:
    counted = units(text, unit)
    if counted.same:
        return spans
    moved = []
    for s in spans:
        start, end = counted.from_codepoint(s.start), counted.from_codepoint(s.end, up=True)
        first, last = counted.to_codepoint(start), counted.to_codepoint(end)
        if (first, last) != (s.start, s.end):  # graphemes only: UTF-16 edges never move
            if adjusted is not None:
                adjusted[WIDENED] += 1
            s = s.replaced(text=text[first:last])
        moved.append(s.replaced(start=start, end=end))
    return moved
