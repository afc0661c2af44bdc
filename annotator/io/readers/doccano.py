"""Reads doccano's records: every shape its versions export for sequence labelling.

- `label`/`labels`/`entities`: `[start, end, "LABEL"]` triples or `{"id", "label",
  "start_offset", "end_offset"}` objects, and `relations: [{"id", "from_id", "to_id",
  "type"}]` between the entities (kept in the document's details, naming the stored spans);
- doccano 1.x `annotations: [{"label": 7 or "LABEL", "start_offset", "end_offset", "user": 1}]`,
  some with `user_name`/`username` (or `label_name`): labels given by number are named from
  a doccano label list imported with the file, else kept as `label-7`;
- the annotator: the record's `annotator`/`username`/`user_name`/`user`, a span's own user,
  else --annotator, else "doccano"; and Annotator's own `annotators` and `notes` keys.

Offsets count UTF-16 units (doccano runs in the browser) unless --offsets says otherwise.
"""

from __future__ import annotations

import json

from annotator.domain.model import new_uuid
from annotator.domain.text import title_from_text
from annotator.io.records import DocumentRecord, ReadError, ReadOptions, SpanRecord

from .decoding import decode
from .native_jsonl import place, required_text, text_placer, whole_number
from .placing import SpanPlacer
from .skipped import Skipped

SPAN_KEYS = ("label", "labels", "entities", "annotations")
_CONSUMED = ("text", *SPAN_KEYS, "id", "notes")  # the rest of a record is its details
_WHO = ("annotator", "username", "user_name", "user")
_LABEL_LIST_KEYS = ("background_color", "text_color", "suffix_key", "prefix_key")


def is_doccano_1x(obj: dict) -> bool:
    """doccano 1.x's `annotations` (objects with start_offset), not Annotator's own."""
    items = obj.get("annotations")
    return (isinstance(items, list) and bool(items) and isinstance(items[0], dict)
            and ("start_offset" in items[0] or "end_offset" in items[0]))


def label_list(data: bytes) -> dict[int, str] | None:
    """label number -> name from the label list doccano exports (`[{"id", "text",
    "background_color", ...}]`); None when the data is not one."""
    if not any(key.encode() in data[:4096] for key in _LABEL_LIST_KEYS):
        return None
    try:
        value = json.loads(decode(data)[0])
    except (ReadError, ValueError, RecursionError):
        return None
    if not isinstance(value, list) or not value:
        return None
    names: dict[int, str] = {}
    for item in value:
        if not (isinstance(item, dict) and isinstance(item.get("text"), str)
                and item["text"].strip() and any(key in item for key in _LABEL_LIST_KEYS)
                and not any(key in item for key in (*SPAN_KEYS, "spans", "data"))):
            return None
        number = item.get("id")
        if isinstance(number, int) and not isinstance(number, bool):
            names[number] = item["text"].strip()
    return names


def _user(value) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return f"doccano-user-{value}"
    return None


def _named(obj: dict) -> str | None:
    """Who a record or span names, by name before number."""
    for key in _WHO:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return _user(obj.get("user"))


def doccano_record(obj: dict, line: int | None, options: ReadOptions,
                   skipped: Skipped) -> DocumentRecord | None:
    raw = obj.get("text")
    if isinstance(raw, str) and not raw.strip() and not any(obj.get(k) for k in SPAN_KEYS):
        skipped.blank["doccano"] += 1
        return None
    placer = text_placer(obj, "text", line, options.offsets_for("doccano"))
    annotator = _named(obj) or options.annotator or "doccano"  # --annotator: the unnamed
    numbers = dict(options.label_names)
    spans: list[SpanRecord] = []
    entity_ids: dict[object, str] = {}  # doccano entity id -> span id
    first_of: dict[tuple, str] = {}  # a span's key -> the id of the first alike
    keys = SPAN_KEYS if is_doccano_1x(obj) else SPAN_KEYS[:-1]  # else not doccano's
    for key in keys:
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
            start, end, label, who, entity = _span(item, line, where, numbers, skipped)
            start, end = place(placer, start, end, None, line, where)
            span = SpanRecord(who or annotator, label, start, end, within=placer.text)
            if entity is not None:
                # Identical entities become one span: their relations go to it.
                span.id = first_of.setdefault((span.annotator, label, start, end), new_uuid())
                entity_ids[entity] = span.id
            spans.append(span)
    spans = _with_their_annotators(obj.get("annotators"), spans, placer, line)
    _notes(obj.get("notes"), spans, placer, line)
    # doccano's ids number records within one doccano project: kept, but not as our id.
    meta = {key: value for key, value in obj.items()
            if key not in _CONSUMED or key == "annotations" and len(keys) < len(SPAN_KEYS)}
    if "id" in obj:
        meta["doccano_id"] = obj["id"]
    if entity_ids:
        meta["doccano_entity_ids"] = {span: entity for entity, span in entity_ids.items()}
    if isinstance(meta.get("relations"), list):
        meta["relations"] = _relations(meta["relations"], entity_ids, skipped)
    return DocumentRecord(text=placer.text, title=title_from_text(placer.text, "Untitled"),
                          meta=meta, spans=spans, line=line)


def _span(item, line: int | None, where: str, numbers: dict[int, str], skipped: Skipped
          ) -> tuple[object, object, str, str | None, object]:
    """(start, end, label, annotator or None, doccano entity id or None) of one item; the
    placer checks the offsets."""
    if isinstance(item, dict):
        start = whole_number(item, "start_offset", line, where + ".")
        end = whole_number(item, "end_offset", line, where + ".")
        entity = item.get("id")
        entity = entity if isinstance(entity, int | str) and not isinstance(entity, bool) \
            else None
        return start, end, _label(item, line, where, numbers, skipped), _named(item), entity
    if isinstance(item, list) and len(item) == 3 and isinstance(item[2], str) \
            and item[2].strip():
        return item[0], item[1], item[2].strip(), None, None
    raise ReadError('expected [start, end, "LABEL"] or {"start_offset", "end_offset", '
                    '"label"}', line=line, field=where)


def _label(item: dict, line: int | None, where: str, numbers: dict[int, str],
           skipped: Skipped) -> str:
    label = item.get("label")
    if isinstance(label, int) and not isinstance(label, bool):
        for key in ("label_name", "label_text"):
            if isinstance(item.get(key), str) and item[key].strip():
                return item[key].strip()
        if label in numbers:
            return numbers[label]
        skipped.label_numbers.add(label)
        return f"label-{label}"
    if isinstance(label, str) and label.strip():
        return label.strip()
    return required_text(item, "label", line, where + ".")  # raises: says what is wrong


def _relations(relations: list, entity_ids: dict[object, str], skipped: Skipped) -> list:
    """doccano's relations, each also naming the stored spans it links (`from_span`,
    `to_span`), so that they resolve after the import."""
    kept = []
    for relation in relations:
        if not isinstance(relation, dict):
            kept.append(relation)
            continue
        relation = dict(relation)
        ends = [entity_ids.get(relation.get(key)) for key in ("from_id", "to_id")
                if isinstance(relation.get(key), int | str)]
        if len(ends) == 2 and all(ends):
            relation["from_span"], relation["to_span"] = ends
        else:
            skipped.unresolved_relations += 1
        kept.append(relation)
    return kept


def _notes(notes, spans: list[SpanRecord], placer: SpanPlacer, line: int | None) -> None:
    """Annotator's own doccano export keeps notes in `notes: [[start, end, "LABEL",
    "annotator", "note"]]`, a key doccano keeps as metadata."""
    if not isinstance(notes, list):
        return
    by_key = {(s.start, s.end, s.label, s.annotator): s for s in spans}
    for index, item in enumerate(notes):
        if not (isinstance(item, list) and len(item) == 5
                and all(isinstance(v, str) for v in item[2:])):
            raise ReadError('expected [start, end, "LABEL", "annotator", "note"]',
                            line=line, field=f"notes[{index}]")
        start, end = place(placer, item[0], item[1], None, line, f"notes[{index}]")
        span = by_key.get((start, end, item[2].strip(), item[3].strip()))
        if span is None:
            raise ReadError("names a span the record does not have", line=line,
                            field=f"notes[{index}]")
        span.note = item[4]


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
        start, end, label, _, _ = _span(item[:3], line, f"annotators[{index}]", {}, Skipped())
        start, end = place(placer, start, end, None, line, f"annotators[{index}]")
        named.append(SpanRecord(item[3].strip(), label, start, end,
                                within=placer.text))
    return named
