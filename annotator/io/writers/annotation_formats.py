"""Writes span annotations for other annotation tools: doccano JSONL, Prodigy JSONL, Label Studio.

Offsets are written as the records carry them (the export service has already chosen the
unit); Prodigy's tokens are cut from the text in code points, as Prodigy counts. Notes go
where each tool keeps free text: doccano a `notes` key, Prodigy a span's `note`, Label
Studio a per-region `textarea` result; this project's readers read them back.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import TextIO

from annotator.domain.text import title_from_text
from annotator.io.records import DocumentRecord, SpanRecord

from .stats import EXPANDED, WriteStats

# Words, and every other non-space character on its own: an emoji or a mark is a token.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_NO_TOKEN = "span covers no token (white space only)"


def _in_order(spans: Iterable[SpanRecord]) -> list[SpanRecord]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label, s.annotator))


def _span_text(record: DocumentRecord, span: SpanRecord) -> str:
    return span.text if span.text is not None else record.text[span.start:span.end]


def _annotators(record: DocumentRecord) -> list[str]:
    """Who worked on the document: everyone with a span, and everyone who marked it done
    without one (that is an answer too: nothing here to label)."""
    named = {span.annotator for span in record.spans}
    named.update(who for who, status in record.status.items() if status == "done")
    return sorted(named)


def write_doccano(records: Iterable[DocumentRecord], out: TextIO) -> WriteStats:
    """doccano's sequence-labelling JSONL, one document a line.

    doccano keeps no annotator per span: a document labelled by one annotator names them in
    "annotator"; one labelled by several also lists every span with its annotator under
    "annotators", a key doccano ignores, so the ids are not lost. Notes are in "notes":
    `[[start, end, "LABEL", "annotator", "note"]]`.
    """
    stats = WriteStats()
    for record in records:
        spans = _in_order(record.spans)
        line: dict = {"id": record.id, "text": record.text,
                      "label": [[s.start, s.end, s.label] for s in spans]}
        who = {s.annotator for s in spans}
        if len(who) == 1:
            line["annotator"] = next(iter(who))
        elif who:
            line["annotators"] = [[s.start, s.end, s.label, s.annotator] for s in spans]
        noted = [[s.start, s.end, s.label, s.annotator, s.note] for s in spans if s.note]
        if noted:  # doccano keeps keys it does not know as the record's metadata
            line["notes"] = noted
        line["meta"] = record.meta
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        stats.documents += 1
        stats.spans += len(spans)
    return stats


def prodigy_tokens(text: str) -> list[dict]:
    """Prodigy's tokens of a text: words and single other characters, `ws` when white
    space follows."""
    return [{"text": m.group(), "start": m.start(), "end": m.end(), "id": index,
             "ws": m.end() < len(text) and text[m.end()].isspace()}
            for index, m in enumerate(_TOKEN.finditer(text))]


def _token_range(starts: list[int], ends: list[int], start: int,
                 end: int) -> tuple[int, int] | None:
    """First and last (inclusive, as Prodigy counts) token the span touches; a span whose
    edge falls inside a token takes the whole token. None when it touches none."""
    first = bisect_right(ends, start)  # the first token ending after the span starts
    last = bisect_left(starts, end) - 1  # the last token starting before it ends
    return (first, last) if first <= last else None


def write_prodigy(records: Iterable[DocumentRecord], out: TextIO) -> WriteStats:
    """Prodigy's ner_manual tasks, one line per document and annotator ("_annotator_id" is
    a task's, not a span's); a document nobody annotated is one task with no spans. A span
    whose edge falls inside a token takes the whole token (counted in `adjusted`)."""
    stats = WriteStats()
    for record in records:
        tokens = prodigy_tokens(record.text)
        starts, ends = [t["start"] for t in tokens], [t["end"] for t in tokens]
        stats.documents += 1
        annotators: list[str | None] = list(_annotators(record)) or [None]
        for annotator in annotators:
            spans = []
            for span in _in_order(s for s in record.spans if s.annotator == annotator):
                covered = _token_range(starts, ends, span.start, span.end)
                if covered is None:
                    stats.not_written[_NO_TOKEN] += 1
                    continue
                # Prodigy's spans start and end where tokens do: a cut word is taken whole.
                start, end = starts[covered[0]], ends[covered[1]]
                if (start, end) != (span.start, span.end):
                    stats.adjusted[EXPANDED] += 1
                written: dict = {"start": start, "end": end, "label": span.label,
                                 "token_start": covered[0], "token_end": covered[1]}
                if span.note:
                    written["note"] = span.note
                spans.append(written)
            task: dict = {"text": record.text, "tokens": tokens, "spans": spans}
            if annotator is not None:
                task["_annotator_id"] = annotator
            task["meta"] = record.meta
            task["answer"] = "accept"
            out.write(json.dumps(task, ensure_ascii=False) + "\n")
            stats.spans += len(spans)
    return stats


def labelstudio_task(record: DocumentRecord, number: int) -> dict:
    """One Label Studio task: the text and title as data, one annotation per annotator."""
    annotations = []
    for annotator in _annotators(record):
        results = []
        for index, span in enumerate(_in_order(s for s in record.spans
                                               if s.annotator == annotator), start=1):
            region = span.id or f"r{index}"
            results.append({
                "id": region,
                "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": span.start, "end": span.end,
                          "text": _span_text(record, span), "labels": [span.label]},
            })
            if span.note:  # a per-region TextArea's result carries its region's id
                results.append({"id": region, "from_name": "note", "to_name": "text",
                                "type": "textarea",
                                "value": {"start": span.start, "end": span.end,
                                          "text": [span.note]}})
        annotations.append({"completed_by": {"email": annotator}, "result": results,
                            "was_cancelled": False})
    title = record.title or title_from_text(record.text, "Untitled")
    return {"id": number, "data": {"text": record.text, "title": title},
            "annotations": annotations}


def write_labelstudio(records: Iterable[DocumentRecord], out: TextIO) -> WriteStats:
    """A JSON array of Label Studio tasks, for a project whose labeling config has
    `<Labels name="label" toName="text">` over `<Text name="text" value="$text">`, and
    `<TextArea name="note" toName="text" perRegion="true">` for the notes.

    Written a task at a time, so a large export is never held whole in memory.
    """
    stats = WriteStats()
    out.write("[")
    for number, record in enumerate(records, start=1):
        task = labelstudio_task(record, number)
        out.write(("\n" if number == 1 else ",\n") + json.dumps(task, ensure_ascii=False))
        stats.documents += 1
        stats.spans += len(record.spans)
    out.write("\n]\n")
    return stats
