"""Reads .json and .jsonl annotation exports: Annotator's own, doccano, Prodigy, Label Studio.

A file is JSONL (one object per line) or one JSON document (an array of objects, or one
object), told apart by content. Each object's shape is recognised by its keys unless
`options.format` names one, so a file may mix shapes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from annotator.domain.text import title_from_text
from annotator.io.records import (
    MAX_ERRORS,
    ByteStream,
    DocumentRecord,
    ReadError,
    ReadErrors,
    ReadOptions,
    Records,
    RecordStream,
    SpanRecord,
)

from .decoding import decode
from .doccano import doccano_record, is_doccano_1x
from .labelstudio import labelstudio_record
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
from .skipped import Skipped
from .streamed import StreamedText, first_lines, streamed_encoding

SHAPES = ("native", "doccano", "prodigy", "labelstudio")

_NO_SHAPE = ('expected "text" with "annotations" (Annotator), "label"/"entities" '
             '(doccano), "spans" (Prodigy) or "data" (Label Studio)')
_WHITESPACE = " \t\n\r"  # what JSON allows between values
_DECODER = json.JSONDecoder(parse_constant=no_constants)


def read_json(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> Records:
    """The documents of one JSON or JSONL file; ReadError or ReadErrors for bad input."""
    _check_format(options)
    text, _ = decode(data)
    records = Records()
    records.extend(_records(_objects(text), name, options, records))
    return records


def stream_json(raw: ByteStream, head: bytes, name: str, options: ReadOptions = ReadOptions(),
                reopen: Callable[[], ByteStream] | None = None) -> RecordStream | None:
    """The documents of a JSONL file, read line by line as they are iterated; None when
    its first `head` bytes do not show JSONL (a first line that is a JSON object by itself)
    in an encoding told by its start: then it is read whole, by read_json."""
    _check_format(options)
    found = streamed_encoding(head)
    if found is None:
        return None
    encoding, skip = found
    first = next((line for line in first_lines(head, encoding, skip) if line.strip()), None)
    try:
        if first is None or not isinstance(json.loads(first), dict):
            return None
    except (ValueError, RecursionError):
        return None  # a JSON document over several lines, or broken: read whole
    text = StreamedText(raw, head, encoding, skip)
    stream = RecordStream(raw.close)
    stream.records = _records(_lines(text.lines()), name, options, stream, text)
    return stream


def _check_format(options: ReadOptions) -> None:
    if options.format is not None and options.format not in SHAPES:
        raise ValueError(f"JSON files are read as {', '.join(SHAPES)}, not {options.format!r}")


def _records(objects: Iterable[tuple[int | None, str, dict | ReadError]], name: str,
             options: ReadOptions, into: Records | RecordStream,
             text: StreamedText | None = None) -> Iterator[DocumentRecord]:
    """The documents of the objects, yielded until the first bad one; then every problem
    (up to MAX_ERRORS) is listed in the ReadErrors raised at the end. `into` gets the
    notes and offsets of the file."""
    skipped = Skipped()
    errors: list[ReadError] = []
    count = 0
    for line, prefix, obj in objects:
        try:
            if isinstance(obj, ReadError):
                raise obj
            shape = options.format or _shape(obj)
            record = _record(shape, obj, line, options, skipped)
        except ReadError as e:
            errors.append(_within(e, prefix))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        if record is not None:
            count += 1
            if record.spans and shape is not None:
                into.offsets.setdefault(shape, options.offsets_for(shape))
            if not errors:
                yield record
    if text is not None and text.binary:
        raise ReadError("looks like a binary file (many control characters), not text",
                        path=name)
    if errors:
        raise ReadErrors([e.located(name) for e in errors])
    into.notes = skipped.notes()
    if not count:
        reason = f" ({'; '.join(into.notes)})" if into.notes else ""
        raise ReadError(f"contains no documents{reason}", path=name)


def _objects(text: str) -> Iterator[tuple[int | None, str, dict | ReadError]]:
    """Each record's line, its place in an array ("[3]", or "" when it has none), and the
    object, or the ReadError saying why there is none."""
    try:
        values = _document(text)
    except (json.JSONDecodeError, ReadError) as e:
        if not _first_line_is_json(text):
            raise _located(e) from None
        yield from _lines(enumerate(text.split("\n"), start=1))
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


def _lines(numbered: Iterable[tuple[int, str]]
           ) -> Iterator[tuple[int | None, str, dict | ReadError]]:
    # Split on LF only: U+2028 and friends may stand raw inside JSON strings.
    for number, line in numbered:
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
    # and "answer" never occur in doccano, doccano 1.x's "annotations" hold start_offset,
    # and a bare {"text"} is Annotator's own.
    if "data" in obj and "text" not in obj:
        return "labelstudio"
    if any(key in obj for key in ("spans", "answer", "_input_hash", "_task_hash")):
        return "prodigy"
    if "label" in obj or "labels" in obj or "entities" in obj or is_doccano_1x(obj):
        return "doccano"
    if "text" in obj:
        return "native"
    return None


def _record(shape: str | None, obj: dict, line: int | None, options: ReadOptions,
            skipped: Skipped) -> DocumentRecord | None:
    if shape == "native":
        return native_document(obj, line, options.offsets_for("native"))
    if shape == "doccano":
        return doccano_record(obj, line, options, skipped)
    if shape == "prodigy":
        return _prodigy(obj, line, options, skipped)
    if shape == "labelstudio":
        return labelstudio_record(obj, line, options, skipped)
    keys = ", ".join(f'"{key}"' for key in list(obj)[:10]) or "none"
    raise ReadError(f"{_NO_SHAPE}; found keys: {keys}", line=line)


def _prodigy(obj: dict, line: int | None, options: ReadOptions,
             skipped: Skipped) -> DocumentRecord | None:
    answer = obj.get("answer")
    if answer in ("reject", "ignore"):
        skipped.prodigy[answer] += 1
        return None
    if answer not in (None, "accept"):
        raise ReadError('must be "accept", "reject" or "ignore"', line=line, field="answer")
    raw = obj.get("text")
    if isinstance(raw, str) and not raw.strip() and not obj.get("spans"):
        skipped.blank["Prodigy"] += 1  # nothing to read, nothing marked: not worth a refusal
        return None
    placer = text_placer(obj, "text", line, options.offsets_for("prodigy"))
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
        spans.append(SpanRecord(annotator, label, start, end,
                                note=optional_str(item, "note", line, where),
                                within=placer.text))
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
    status = {annotator: "done"} if answer == "accept" else {}
    return DocumentRecord(text=placer.text, title=title_from_text(placer.text, "Untitled"),
                          meta=meta, spans=spans, status=status, line=line)
