"""Reads Label Studio tasks: `data` holding the text, and the annotators' work under
`annotations` (Label Studio 1.x) or `completions` (0.x), each a list of results.

A `labels` result is a span (one per label it carries); a per-region `textarea` result with
the same `id` is that span's note. Cancelled annotations, other results and predictions are
counted in the notes, not imported. Offsets count UTF-16 units (Label Studio runs in the
browser) unless --offsets says otherwise.
"""

from __future__ import annotations

from annotator.domain.text import title_from_text
from annotator.io.records import DocumentRecord, ReadError, ReadOptions, SpanRecord

from .native_jsonl import optional_str, place, text_placer, whole_number
from .placing import SpanPlacer
from .skipped import Skipped

WORK_KEYS = ("annotations", "completions")  # 1.x, and 0.x exports


def labelstudio_record(obj: dict, line: int | None, options: ReadOptions,
                       skipped: Skipped) -> DocumentRecord | None:
    data = obj.get("data")
    if not isinstance(data, dict):
        raise ReadError("must be a JSON object holding the task's text", line=line,
                        field="data")
    key = _text_key(data, options.text_column, line)
    raw = data.get(key)
    if isinstance(raw, str) and not raw.strip() and not any(obj.get(k) for k in WORK_KEYS):
        skipped.blank["Label Studio"] += 1
        return None
    placer = text_placer(data, key, line, options.offsets_for("labelstudio"), "data.")
    meta = {k: value for k, value in data.items() if k != key}
    if "id" in obj:
        meta["labelstudio_id"] = obj["id"]
    spans: list[SpanRecord] = []
    status: dict[str, str] = {}
    for work in WORK_KEYS:
        annotations = obj.get(work) or []
        if not isinstance(annotations, list):
            raise ReadError("must be a list", line=line, field=work)
        for index, annotation in enumerate(annotations):
            field = f"{work}[{index}]"
            if not isinstance(annotation, dict):
                raise ReadError("each annotation must be a JSON object", line=line,
                                field=field)
            cancelled = annotation.get("was_cancelled")
            if cancelled is not None and not isinstance(cancelled, bool):
                raise ReadError("must be true or false", line=line,
                                field=field + ".was_cancelled")
            if cancelled:
                skipped.cancelled += 1
                continue
            annotator = _annotator(annotation.get("completed_by"), options, line, field)
            spans += _annotation_spans(annotation, annotator, placer, line, field, skipped)
            # A submitted annotation is finished work, even one that marks nothing.
            status[annotator] = "done"
    predictions = obj.get("predictions")
    if isinstance(predictions, list):
        skipped.predictions += len(predictions)
    return DocumentRecord(text=placer.text, title=title_from_text(placer.text, "Untitled"),
                          meta=meta, spans=spans, status=status, line=line)


def _annotation_spans(annotation: dict, annotator: str, placer: SpanPlacer,
                      line: int | None, field: str, skipped: Skipped) -> list[SpanRecord]:
    results = annotation.get("result") or []
    if not isinstance(results, list):
        raise ReadError("must be a list", line=line, field=field + ".result")
    spans: list[SpanRecord] = []
    regions: dict[str, list[SpanRecord]] = {}  # result id -> its spans, for their notes
    notes: list[tuple[str, str]] = []  # (result id, note)
    for number, result in enumerate(results):
        where = f"{field}.result[{number}]"
        if not isinstance(result, dict):
            raise ReadError("each result must be a JSON object", line=line, field=where)
        kind = result.get("type")
        noted = _region_note(result) if kind == "textarea" else None
        if noted is not None:
            notes.append(noted)
        elif kind != "labels":
            skipped.results[kind if isinstance(kind, str) else "no type"] += 1
        else:
            made = _spans(result, annotator, placer, line, where)
            if isinstance(result.get("id"), str):
                regions.setdefault(result["id"], []).extend(made)
            spans += made
    for region, text in notes:
        if region not in regions:
            skipped.results["textarea"] += 1
            continue
        for span in regions[region]:
            span.note = text if span.note is None else f"{span.note}\n{text}"
    return spans


def _region_note(result: dict) -> tuple[str, str] | None:
    """(region id, text) of a per-region textarea: its `id` is the region's."""
    value = result.get("value")
    region = result.get("id")
    if not isinstance(value, dict) or not isinstance(region, str):
        return None
    text = value.get("text")
    lines = [text] if isinstance(text, str) else text
    if not isinstance(lines, list) or not all(isinstance(t, str) for t in lines):
        return None
    note = "\n".join(t for t in lines if t.strip())
    return (region, note) if note else None


def _text_key(data: dict, text_column: str | None, line: int | None) -> str:
    wanted = text_column or "text"
    if wanted in data:
        return wanted
    texts = [key for key, value in data.items() if isinstance(value, str)]
    if text_column is None and len(texts) == 1:
        return texts[0]
    keys = ", ".join(f'"{key}"' for key in data) or "none"
    instead = "" if text_column else ", nor exactly one text value to take instead"
    raise ReadError(f'has no "{wanted}"{instead} (keys: {keys}); choose the text column',
                    line=line, field="data")


def _annotator(who, options: ReadOptions, line: int | None, field: str) -> str:
    if isinstance(who, dict):
        email = who.get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        who = who.get("id")
    if isinstance(who, int) and not isinstance(who, bool):
        return f"labelstudio-user-{who}"
    if who is None:
        return options.annotator or "labelstudio"
    raise ReadError("must be a user id or an object with the user's email", line=line,
                    field=field + ".completed_by")


def _spans(result: dict, annotator: str, placer: SpanPlacer, line: int | None,
           field: str) -> list[SpanRecord]:
    value = result.get("value")
    where = field + ".value"
    if not isinstance(value, dict):
        raise ReadError("must be a JSON object", line=line, field=where)
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels or not all(
            isinstance(label, str) and label.strip() for label in labels):
        raise ReadError("must be a list of label names", line=line, field=where + ".labels")
    start, end = (whole_number(value, key, line, where + ".") for key in ("start", "end"))
    span_text = optional_str(value, "text", line, where + ".")
    start, end = place(placer, start, end, span_text, line, where)
    # One span per label: Label Studio lets a region carry several.
    return [SpanRecord(annotator, label.strip(), start, end, within=placer.text)
            for label in labels]
