"""Reads Annotator's own JSONL: one document per line, with its spans.

`{"id", "title", "text", "meta", "status", "annotations": [{"id", "annotator", "label",
"start", "end", "text", "note", "created", "modified"}]}`; only "text" is required.
"""

from __future__ import annotations

import json

from annotator.domain.spans import SpanError, check_span
from annotator.domain.text import normalise_newlines, normalise_with_offsets
from annotator.io.records import MAX_ERRORS, DocumentRecord, ReadError, ReadErrors, SpanRecord

from .decoding import decode

def _optional_str(obj: dict, key: str, line: int, where: str = "") -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ReadError(f"must be text or null, got {type(value).__name__}", line=line,
                        field=where + key)
    return value


def _span(obj, index: int, line: int, text: str, remap) -> SpanRecord:
    where = f"annotations[{index}]."
    if not isinstance(obj, dict):
        raise ReadError("each annotation must be a JSON object", line=line,
                        field=f"annotations[{index}]")
    for key in ("annotator", "label"):
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ReadError("is required and must be non-empty text", line=line,
                            field=where + key)
    for key in ("start", "end"):
        value = obj.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ReadError(f"must be a whole number, got {value!r}", line=line,
                            field=where + key)
    span_text = _optional_str(obj, "text", line, where)
    start, end = remap(obj["start"]), remap(obj["end"])
    if span_text is not None:  # a span's text may start with U+FEFF mid-document: keep it
        span_text = normalise_newlines(span_text)
    try:
        check_span(text, start, end, span_text)
    except SpanError as e:
        raise ReadError(str(e), line=line, field=f"annotations[{index}]") from None
    return SpanRecord(
        annotator=obj["annotator"].strip(), label=obj["label"].strip(), start=start, end=end,
        text=text[start:end], note=_optional_str(obj, "note", line, where),
        id=_optional_str(obj, "id", line, where),
        created=_optional_str(obj, "created", line, where),
        modified=_optional_str(obj, "modified", line, where),
    )


def _document(obj, line: int) -> DocumentRecord:
    if not isinstance(obj, dict):
        raise ReadError(f"each line must be a JSON object, got {type(obj).__name__}", line=line)
    raw = obj.get("text")
    if not isinstance(raw, str):
        raise ReadError("is required and must be text", line=line, field="text")
    text, remap = normalise_with_offsets(raw)
    if not text.strip():
        raise ReadError("is empty", line=line, field="text")
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
    spans = [_span(a, i, line, text, remap) for i, a in enumerate(annotations)]
    return DocumentRecord(
        text=text, title=_optional_str(obj, "title", line), id=None if doc_id is None
        else str(doc_id), meta=meta, spans=spans, status=dict(status), line=line,
    )


def _check_unicode(line: str, obj, number: int) -> None:
    """JSON may escape lone surrogates (\\ud800), which are not text and cannot be stored."""
    if "\\u" not in line.lower():
        return
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ReadError("contains an unpaired surrogate (a \\uD800-\\uDFFF escape), which is "
                        "not valid Unicode text", line=number) from None


def read_native_jsonl(data: bytes, name: str = "") -> list[DocumentRecord]:
    text, _ = decode(data)
    records: list[DocumentRecord] = []
    errors: list[ReadError] = []
    # Split on LF only: U+2028 and friends may stand raw inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(ReadError(f"not valid JSON: {e.msg} (column {e.colno})", line=number))
        except (ValueError, RecursionError) as e:  # huge numbers, absurd nesting
            errors.append(ReadError(f"not usable JSON: {e}", line=number))
        else:
            try:
                _check_unicode(line, obj, number)
                records.append(_document(obj, number))
            except ReadError as e:
                errors.append(e)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ReadErrors([e.located(name) for e in errors])
    if not records:
        raise ReadError("contains no documents", path=name)
    return records
