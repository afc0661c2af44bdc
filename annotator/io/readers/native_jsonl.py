"""Reads Annotator's own JSONL: one document per line, with its spans.

`{"id", "title", "text", "meta", "status", "annotations": [{"id", "annotator", "label",
"start", "end", "text", "note", "created", "modified"}]}`; only "text" is required.
Also the checks every JSON reader shares: one line parsed, text placed, fields typed.
"""

from __future__ import annotations

import json
import re

from annotator.domain.spans import SpanError
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
from .placing import SpanPlacer

_SURROGATE = re.compile("[\ud800-\udfff]")
# A lone surrogate escape in raw JSON: a high one (uD800-uDBFF) not followed by a low one,
# or a low one (uDC00-uDFFF) not preceded by a high one. Both branches open with a literal
# backslash-u, so the engine skips ahead; emoji escaped as pairs (as json.dumps writes
# them) never match.
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD](?:[89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|[c-fC-F][0-9a-fA-F]{2}(?<!\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}))")


def may_hold_lone_surrogates(raw: str) -> bool:
    """Could raw JSON hold a lone surrogate escape? Then the parsed value is walked."""
    return "\\u" in raw and _LONE_SURROGATE_ESCAPE.search(raw) is not None


def no_constants(name: str):
    """NaN and Infinity: Python's json reads them, but they are not JSON, and a value stored
    with one would make every later export invalid."""
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=no_constants)  # one: json.loads with an option
#                                                           builds a decoder per call


def parse_line(line: str, number: int) -> object:
    """The JSON value on one line; ReadError when it is not JSON or not valid Unicode."""
    try:
        value = (json.loads(line, parse_constant=no_constants) if line.startswith("\ufeff")
                 else _DECODER.decode(line))  # (json.loads says what a BOM there is)
    except json.JSONDecodeError as e:
        raise ReadError(f"not valid JSON: {e.msg} (column {e.colno})", line=number) from None
    except (ValueError, RecursionError) as e:  # huge numbers, absurd nesting
        raise ReadError(f"not usable JSON: {e}", line=number) from None
    if may_hold_lone_surrogates(line):
        check_unicode(value, number)
    return value


def check_unicode(value, line: int | None) -> None:
    """JSON may escape lone surrogates (\\ud800), which are not text and cannot be stored."""
    pending = [value]  # a loop, not recursion: the value may be nested as deep as JSON allows
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ReadError("contains an unpaired surrogate (a \\uD800-\\uDFFF escape), "
                                "which is not valid Unicode text", line=line)
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item


def text_placer(obj: dict, key: str, line: int | None, offsets: str,
                where: str = "") -> SpanPlacer:
    """The placer over a record's text, which must be there and not blank."""
    raw = obj.get(key)
    if not isinstance(raw, str):
        raise ReadError("is required and must be text", line=line, field=where + key)
    placer = SpanPlacer(raw, offsets)
    if not placer.text.strip():
        raise ReadError("is empty", line=line, field=where + key)
    return placer


def place(placer: SpanPlacer, start, end, span_text: str | None, line: int | None,
          field: str) -> tuple[int, int]:
    try:
        return placer.place(start, end, span_text)
    except SpanError as e:
        raise ReadError(str(e), line=line, field=field) from None


def required_text(obj: dict, key: str, line: int | None, where: str = "") -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReadError("is required and must be non-empty text", line=line, field=where + key)
    return value.strip()


def optional_str(obj: dict, key: str, line: int | None, where: str = "") -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ReadError(f"must be text or null, got {type(value).__name__}", line=line,
                        field=where + key)
    return value


def whole_number(obj: dict, key: str, line: int | None, where: str = "") -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ReadError(f"must be a whole number, got {value!r}", line=line, field=where + key)
    return value


def _span(obj, index: int, line: int | None, placer: SpanPlacer) -> SpanRecord:
    field = f"annotations[{index}]"
    if not isinstance(obj, dict):
        raise ReadError("each annotation must be a JSON object", line=line, field=field)
    where = field + "."
    annotator, label = (required_text(obj, key, line, where) for key in ("annotator", "label"))
    start, end = (whole_number(obj, key, line, where) for key in ("start", "end"))
    span_text = optional_str(obj, "text", line, where)
    start, end = place(placer, start, end, span_text, line, field)
    return SpanRecord(
        annotator=annotator, label=label, start=start, end=end, within=placer.text,
        note=optional_str(obj, "note", line, where), id=optional_str(obj, "id", line, where),
        created=optional_str(obj, "created", line, where),
        modified=optional_str(obj, "modified", line, where),
    )


def native_document(obj: dict, line: int | None, offsets: str = "codepoint") -> DocumentRecord:
    """One record of Annotator's format, its spans checked against its text."""
    placer = text_placer(obj, "text", line, offsets)
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise ReadError("must be a JSON object", line=line, field="meta")
    doc_id = obj.get("id")
    if doc_id is not None and not isinstance(doc_id, str | int):
        raise ReadError("must be text or a number", line=line, field="id")
    status = obj.get("status") or {}
    if not isinstance(status, dict) or not all(
        isinstance(k, str) and k.strip() and v in ("new", "in progress", "done")
        for k, v in status.items()
    ):
        raise ReadError('must map annotator names to "new", "in progress" or "done"',
                        line=line, field="status")
    annotations = obj.get("annotations") or []
    if not isinstance(annotations, list):
        raise ReadError("must be a list", line=line, field="annotations")
    spans = [_span(a, i, line, placer) for i, a in enumerate(annotations)]
    return DocumentRecord(
        text=placer.text, title=optional_str(obj, "title", line),
        id=None if doc_id is None else str(doc_id), meta=meta, spans=spans,
        status=dict(status), line=line,
    )


def read_native_jsonl(data: bytes, name: str = "",
                      options: ReadOptions = ReadOptions()) -> Records:
    text, _ = decode(data)
    records = Records()
    errors: list[ReadError] = []
    # Split on LF only: U+2028 and friends may stand raw inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = parse_line(line, number)
            if not isinstance(obj, dict):
                raise ReadError(f"each line must be a JSON object, got {type(obj).__name__}",
                                line=number)
            records.append(native_document(obj, number, options.offsets_for("native")))
        except ReadError as e:
            errors.append(e)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ReadErrors([e.located(name) for e in errors])
    if not records:
        raise ReadError("contains no documents", path=name)
    return records
