"""Reads .json and .jsonl annotation exports: Annotator's own, doccano, Prodigy, Label Studio.

A file is JSONL (one object per line) or one JSON document (an array of objects, or one
object), told apart by content. Each object's shape is recognised by its keys unless
`options.format` names one, so a file may mix shapes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from annotator.domain.text import title_from_text
from annotator.io.records import (
    MAX_ERRORS,
    DocumentRecord,
    ReadError,
    ReadErrors,
    ReadOptions,
    Records,
    SpanRecord,
)

from .decoding import decode
from .native_jsonl import (
    check_unicode,
    may_hold_lone_surrogates,
    native_document,
    no_constants,
    optional_str,
    parse_line,
    place,
    required_text,
    text_placer,
    whole_number,
)
from .placing import SpanPlacer

SHAPES = ("native", "doccano", "prodigy", "labelstudio")

_NO_SHAPE = ('expected "text" with "annotations" (Annotator), "label"/"entities" (doccano), '
             '"spans" (Prodigy) or "data" (Label Studio)')
_WHITESPACE = " \t\n\r"  # what JSON allows between values
_DECODER = json.JSONDecoder(parse_constant=no_constants)


@dataclass
class _Skipped:
    """What a file held that is deliberately not imported, for the notes."""

    prodigy: Counter = field(default_factory=Counter)  # answer -> records
    cancelled: int = 0  # Label Studio annotations
    results: Counter = field(default_factory=Counter)  # Label Studio result type -> count
    predictions: int = 0

    def notes(self) -> list[str]:
        notes = []
        if self.prodigy:
            counts = ", ".join(f"{n} {answer}" for answer, n in sorted(self.prodigy.items()))
            notes.append(f"skipped {self.prodigy.total()} Prodigy record(s) answered reject "
                         f"or ignore ({counts}): only accepted answers are annotations")
        if self.cancelled:
            notes.append(f"skipped {self.cancelled} cancelled Label Studio annotation(s)")
        if self.results:
            counts = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.results.items()))
            notes.append(f"skipped {self.results.total()} Label Studio result(s) that are "
                         f"not span labels ({counts})")
        if self.predictions:
            notes.append(f"did not import {self.predictions} Label Studio prediction(s): "
                         "they are a model's suggestions, not annotations")
        return notes


def read_json(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> Records:
    """The documents of one JSON or JSONL file; ReadError or ReadErrors for bad input."""
    if options.format is not None and options.format not in SHAPES:
        raise ValueError(f"JSON files are read as {', '.join(SHAPES)}, not {options.format!r}")
    text, _ = decode(data)
    skipped = _Skipped()
    records = Records()
    errors: list[ReadError] = []
    for line, prefix, obj in _objects(text):
        try:
            if isinstance(obj, ReadError):
                raise obj
            record = _record(obj, line, options, skipped)
        except ReadError as e:
            errors.append(_within(e, prefix))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        if record is not None:
            records.append(record)
    if errors:
        raise ReadErrors([e.located(name) for e in errors])
    records.notes = skipped.notes()
    if not records:
        reason = f" ({'; '.join(records.notes)})" if records.notes else ""
        raise ReadError(f"contains no documents{reason}", path=name)
    return records


def _objects(text: str) -> Iterator[tuple[int | None, str, dict | ReadError]]:
    """Each record's line, its place in an array ("[3]", or "" when it has none), and the
    object, or the ReadError saying why there is none."""
    try:
        values = _document(text)
    except (json.JSONDecodeError, ReadError) as e:
        if not _first_line_is_json(text):
            raise _located(e) from None
        yield from _lines(text)
        return
    if len(values) == 1 and values[0][1] == "" and not isinstance(values[0][2], dict):
        found = _json_type(values[0][2])
        raise ReadError(f"holds one JSON {found}, not documents: expected an array of "
                        "objects, one object, or one object per line (JSONL)")
    escapes = may_hold_lone_surrogates(text)
    for line, prefix, value in values:
        if not isinstance(value, dict):
            value = ReadError(f"each item must be a JSON object, got {_json_type(value)}",
                              line=line)
        elif escapes:
            try:
                check_unicode(value, line)
            except ReadError as e:
                value = e
        yield line, prefix, value


def _document(text: str) -> list[tuple[int, str, object]]:
    """The text as one JSON value: an array's items each with the line it starts on, or
    the value itself. Parsed item by item so that errors can name a line."""
    pos = _skip(text, 0)
    if not text.startswith("[", pos):
        value, end = _value_at(text, pos)
        _expect_end(text, end)
        return [(text.count("\n", 0, pos) + 1, "", value)]
    items: list[tuple[int, str, object]] = []
    line, counted = 1, 0
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        _expect_end(text, pos + 1)
        return items
    while True:
        value, end = _value_at(text, pos, f"[{len(items)}]")
        line, counted = line + text.count("\n", counted, pos), pos
        items.append((line, f"[{len(items)}]", value))
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            _expect_end(text, pos + 1)
            return items
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _value_at(text: str, pos: int, field: str | None = None) -> tuple[object, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as e:  # huge numbers, absurd nesting
        raise ReadError(f"not usable JSON: {e}", line=text.count("\n", 0, pos) + 1,
                        field=field) from None


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _expect_end(text: str, pos: int) -> None:
    pos = _skip(text, pos)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)


def _first_line_is_json(text: str) -> bool:
    """JSONL, rather than one broken document: its first line is a JSON value by itself."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return False
    return True


def _lines(text: str) -> Iterator[tuple[int, str, dict | ReadError]]:
    # Split on LF only: U+2028 and friends may stand raw inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = parse_line(line, number)
        except ReadError as e:
            yield number, "", e
            continue
        if not isinstance(value, dict):
            value = ReadError(f"each line must be a JSON object, got {_json_type(value)}",
                              line=number)
        yield number, "", value


def _located(e: json.JSONDecodeError | ReadError) -> ReadError:
    if isinstance(e, json.JSONDecodeError):
        return ReadError(f"not valid JSON: {e.msg} (column {e.colno})", line=e.lineno)
    return e


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {dict: "object", list: "array", str: "string", int: "number", float: "number",
            type(None): "null"}[type(value)]


def _within(error: ReadError, prefix: str) -> ReadError:
    """An error inside an array item, its field named from the top: [3].text."""
    if not prefix:
        return error
    where = f"{prefix}.{error.field}" if error.field else prefix
    return ReadError(error.message, line=error.line, field=where)


def _shape(obj: dict) -> str | None:
    # Most telling keys first: Label Studio keeps its text in "data", Prodigy's "spans"
    # and "answer" never occur in doccano, and a bare {"text"} is Annotator's own.
    if "data" in obj and "text" not in obj:
        return "labelstudio"
    if any(key in obj for key in ("spans", "answer", "_input_hash", "_task_hash")):
        return "prodigy"
    if "label" in obj or "entities" in obj:
        return "doccano"
    if "text" in obj:
        return "native"
    return None


def _record(obj: dict, line: int | None, options: ReadOptions,
            skipped: _Skipped) -> DocumentRecord | None:
    shape = options.format or _shape(obj)
    if shape == "native":
        return native_document(obj, line, options.offsets)
    if shape == "doccano":
        return _doccano(obj, line, options)
    if shape == "prodigy":
        return _prodigy(obj, line, options, skipped)
    if shape == "labelstudio":
        return _labelstudio(obj, line, options, skipped)
    keys = ", ".join(f'"{key}"' for key in list(obj)[:10]) or "none"
    raise ReadError(f"{_NO_SHAPE}; found keys: {keys}", line=line)


def _document_record(placer: SpanPlacer, spans: list[SpanRecord], meta: dict,
                     line: int | None, status: dict[str, str] | None = None) -> DocumentRecord:
    return DocumentRecord(text=placer.text, title=title_from_text(placer.text, "Untitled"),
                          meta=meta, spans=spans, status=status or {}, line=line)


def _doccano(obj: dict, line: int | None, options: ReadOptions) -> DocumentRecord:
    placer = text_placer(obj, "text", line, options.offsets)
    named = next((obj[key].strip() for key in ("annotator", "user")
                  if isinstance(obj.get(key), str) and obj[key].strip()), None)
    annotator = named or options.annotator or "doccano"  # --annotator: for those unnamed
    spans = []
    for key in ("label", "entities"):
        items = obj.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise ReadError('must be a list of [start, end, "LABEL"]', line=line, field=key)
        if items and all(isinstance(item, str) for item in items):
            raise ReadError("holds categories of the whole text (doccano text "
                            "classification), not spans: Annotator imports span labels",
                            line=line, field=key)
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            start, end, label = _doccano_span(item, line, where)
            start, end = place(placer, start, end, None, line, where)
            spans.append(SpanRecord(annotator, label, start, end, placer.text[start:end]))
    spans = _with_their_annotators(obj.get("annotators"), spans, placer, line)
    # doccano's ids number records within one doccano project: kept, but not as our id.
    meta = {key: value for key, value in obj.items()
            if key not in ("text", "label", "entities", "id")}
    if "id" in obj:
        meta["doccano_id"] = obj["id"]
    return _document_record(placer, spans, meta, line)


def _with_their_annotators(who, spans: list[SpanRecord], placer: SpanPlacer,
                           line: int | None) -> list[SpanRecord]:
    """Annotator's own doccano export names each span's annotator in `annotators`
    ([start, end, "LABEL", "name"], a key doccano ignores): when it is there and well
    formed, it is the spans, so nobody's work is merged into one name."""
    if not isinstance(who, list) or not who:
        return spans
    named = []
    for index, item in enumerate(who):
        if not (isinstance(item, list) and len(item) == 4 and isinstance(item[3], str)
                and item[3].strip()):
            return spans  # not ours: keep the plain doccano reading
        start, end, label = _doccano_span(item[:3], line, f"annotators[{index}]")
        start, end = place(placer, start, end, None, line, f"annotators[{index}]")
        named.append(SpanRecord(item[3].strip(), label, start, end, placer.text[start:end]))
    return named


def _doccano_span(item, line: int | None, where: str) -> tuple[object, object, str]:
    """(start, end, label) of [start, end, "LABEL"] or {start_offset, end_offset, label};
    the placer checks the offsets."""
    if isinstance(item, dict):
        return (whole_number(item, "start_offset", line, where + "."),
                whole_number(item, "end_offset", line, where + "."),
                required_text(item, "label", line, where + "."))
    if isinstance(item, list) and len(item) == 3 and isinstance(item[2], str) \
            and item[2].strip():
        return item[0], item[1], item[2].strip()
    raise ReadError('expected [start, end, "LABEL"] or {"start_offset", "end_offset", '
                    '"label"}', line=line, field=where)


def _prodigy(obj: dict, line: int | None, options: ReadOptions,
             skipped: _Skipped) -> DocumentRecord | None:
    answer = obj.get("answer")
    if answer in ("reject", "ignore"):
        skipped.prodigy[answer] += 1
        return None
    if answer not in (None, "accept"):
        raise ReadError('must be "accept", "reject" or "ignore"', line=line, field="answer")
    placer = text_placer(obj, "text", line, options.offsets)
    named = (obj.get(key) for key in ("_annotator_id", "_session_id"))
    annotator = next((n.strip() for n in named if isinstance(n, str) and n.strip()), None) \
        or options.annotator or "prodigy"
    items = obj.get("spans") or []
    if not isinstance(items, list):
        raise ReadError("must be a list", line=line, field="spans")
    spans = []
    for index, item in enumerate(items):
        field = f"spans[{index}]"
        if not isinstance(item, dict):
            raise ReadError("each span must be a JSON object", line=line, field=field)
        where = field + "."
        label = required_text(item, "label", line, where)
        start, end = (whole_number(item, key, line, where) for key in ("start", "end"))
        start, end = place(placer, start, end, optional_str(item, "text", line, where),
                           line, field)
        spans.append(SpanRecord(annotator, label, start, end, placer.text[start:end]))
    # Underscored keys (hashes, view id, timestamp, session) and tokens are Prodigy's own
    # bookkeeping; the rest is the user's, and the task's "meta" wins a clash.
    meta = {key: value for key, value in obj.items()
            if not key.startswith("_") and key not in ("text", "spans", "tokens", "answer",
                                                       "meta")}
    extra = obj.get("meta")
    if isinstance(extra, dict):
        meta.update(extra)
    elif extra is not None:
        meta["meta"] = extra
    status = {annotator: "done"} if answer == "accept" else None
    return _document_record(placer, spans, meta, line, status)


def _labelstudio(obj: dict, line: int | None, options: ReadOptions,
                 skipped: _Skipped) -> DocumentRecord:
    data = obj.get("data")
    if not isinstance(data, dict):
        raise ReadError("must be a JSON object holding the task's text", line=line,
                        field="data")
    key = _text_key(data, options.text_column, line)
    placer = text_placer(data, key, line, options.offsets, "data.")
    meta = {k: value for k, value in data.items() if k != key}
    if "id" in obj:
        meta["labelstudio_id"] = obj["id"]
    annotations = obj.get("annotations") or []
    if not isinstance(annotations, list):
        raise ReadError("must be a list", line=line, field="annotations")
    spans: list[SpanRecord] = []
    status: dict[str, str] = {}
    for index, annotation in enumerate(annotations):
        field = f"annotations[{index}]"
        if not isinstance(annotation, dict):
            raise ReadError("each annotation must be a JSON object", line=line, field=field)
        cancelled = annotation.get("was_cancelled")
        if cancelled is not None and not isinstance(cancelled, bool):
            raise ReadError("must be true or false", line=line, field=field + ".was_cancelled")
        if cancelled:
            skipped.cancelled += 1
            continue
        annotator = _labelstudio_annotator(annotation.get("completed_by"), options, line,
                                           field)
        results = annotation.get("result") or []
        if not isinstance(results, list):
            raise ReadError("must be a list", line=line, field=field + ".result")
        for number, result in enumerate(results):
            spans += _labelstudio_spans(result, annotator, placer, line,
                                        f"{field}.result[{number}]", skipped)
        # A submitted annotation is finished work, even one that marks nothing.
        status[annotator] = "done"
    predictions = obj.get("predictions")
    if isinstance(predictions, list):
        skipped.predictions += len(predictions)
    return _document_record(placer, spans, meta, line, status)


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


def _labelstudio_annotator(who, options: ReadOptions, line: int | None, field: str) -> str:
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


def _labelstudio_spans(result, annotator: str, placer: SpanPlacer, line: int | None,
                       field: str, skipped: _Skipped) -> list[SpanRecord]:
    if not isinstance(result, dict):
        raise ReadError("each result must be a JSON object", line=line, field=field)
    kind = result.get("type")
    if kind != "labels":
        skipped.results[kind if isinstance(kind, str) else "no type"] += 1
        return []
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
    return [SpanRecord(annotator, label.strip(), start, end, placer.text[start:end])
            for label in labels]
