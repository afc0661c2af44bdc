"""Reading JSON and JSONL exports: Annotator's own, doccano, Prodigy and Label Studio.

Every span lands on the words the file meant, or the whole file is refused with the line
and field of each problem.
"""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.io.readers.json_formats import read_json
from annotator.io.readers.native_jsonl import read_native_jsonl
from annotator.io.records import MAX_ERRORS, ReadError, ReadErrors, ReadOptions


def jsonl(*objects) -> bytes:
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objects).encode()


def pretty(value) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode()


def span_texts(record):
    return [(s.annotator, s.label, s.text) for s in record.spans]


def errors_of(data: bytes, **options) -> list[ReadError]:
    with pytest.raises(ReadErrors) as caught:
        read_json(data, "reviews.json", ReadOptions(**options))
    return caught.value.errors


def offsets(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def utf16(text: str, words: str) -> tuple[int, int]:
    """Offsets as JavaScript tools count them: astral characters count twice."""
    start = len(text[:text.index(words)].encode("utf-16-le")) // 2
    return start, start + len(words.encode("utf-16-le")) // 2


REVIEW = "The harbour scenes glow, but the last act drags on forever."


# --- Each shape ---------------------------------------------------------------------------

def test_annotators_own_records_keep_ids_status_and_spans():
    start, end = offsets(REVIEW, "the last act")
    record = {"id": "doc-7", "title": "Harbour", "text": REVIEW, "meta": {"year": 2019},
              "status": {"ada": "done"},
              "annotations": [{"id": "s1", "annotator": "ada", "label": "spoiler",
                               "start": start, "end": end, "text": "the last act"}]}
    [doc] = read_json(jsonl(record), "mine.jsonl")
    assert (doc.id, doc.title, doc.meta, doc.status) == ("doc-7", "Harbour", {"year": 2019},
                                                         {"ada": "done"})
    assert span_texts(doc) == [("ada", "spoiler", "the last act")]
    assert (doc.spans[0].start, doc.spans[0].end, doc.spans[0].id) == (start, end, "s1")


def test_a_record_with_only_text_is_a_document_without_spans():
    [doc] = read_json(jsonl({"text": REVIEW}), "plain.jsonl")
    assert doc.text == REVIEW and doc.spans == []


def test_doccano_label_triples_become_spans_by_the_doccano_annotator():
    text = "Mira Sol steals every scene; the score is forgettable."
    record = {"id": 12, "text": text, "source": "festival",
              "label": [[*offsets(text, "Mira Sol"), "ACTOR"],
                        [*offsets(text, "the score"), "MUSIC"]]}
    [doc] = read_json(jsonl(record), "doccano.jsonl")
    assert span_texts(doc) == [("doccano", "ACTOR", "Mira Sol"), ("doccano", "MUSIC", "the score")]
    # doccano's ids count records in one doccano project: kept, but not as the document id.
    assert doc.id is None and doc.meta == {"source": "festival", "doccano_id": 12}
    assert doc.title == text


def test_doccano_entities_as_objects_and_whose_they_are():
    text = "A slow burn that pays off in the final reel."
    entity = {"id": 3, "start_offset": 0, "end_offset": 11, "label": "PACE"}
    record = {"text": text, "entities": [entity], "user": "bea"}
    [doc] = read_json(jsonl(record), "doccano.jsonl")
    assert span_texts(doc) == [("bea", "PACE", "A slow burn")]
    # The entity's doccano id is kept, naming the span it became (relations point at it).
    assert doc.meta == {"user": "bea", "doccano_entity_ids": {doc.spans[0].id: 3}}
    # --annotator is for records that name no one: bea keeps hers.
    [doc] = read_json(jsonl(record), "doccano.jsonl", ReadOptions(annotator="cai"))
    assert span_texts(doc) == [("bea", "PACE", "A slow burn")]
    [doc] = read_json(jsonl({"text": text, "entities": [entity]}), "doccano.jsonl",
                      ReadOptions(annotator="cai"))
    assert span_texts(doc) == [("cai", "PACE", "A slow burn")]
    record["entities"] = [[0, 11, "PACE"]]
    [doc] = read_json(jsonl(record), "doccano.jsonl")
    assert span_texts(doc) == [("bea", "PACE", "A slow burn")]


def test_nan_and_infinity_are_refused_as_not_json():
    [error] = errors_of(b'{"text": "Fine.", "meta": {"score": NaN}}\n')
    assert error.line == 1 and "NaN is not a JSON number" in error.message


def test_doccano_text_categories_are_refused_with_the_reason():
    [error] = errors_of(jsonl({"text": "Two hours I will never get back.", "label": ["negative"]}))
    assert (error.line, error.field) == (1, "label") and "categories" in error.message


def test_prodigy_spans_their_annotator_and_accepted_answers_only():
    text = "The twist in the lighthouse scene floored me."
    spans = [{"start": offsets(text, "The twist")[0], "end": offsets(text, "The twist")[1],
              "label": "SPOILER", "token_start": 0, "token_end": 1}]
    accepted = {"text": text, "spans": spans, "answer": "accept", "_input_hash": 11,
                "_task_hash": 22, "_view_id": "ner_manual", "_timestamp": 1700000000,
                "_annotator_id": "reviews-dee", "_session_id": "reviews-dee",
                "tokens": [{"text": "The", "start": 0, "end": 3, "id": 0}],
                "meta": {"source": "blog"}, "rating": 4}
    by_session = {"text": "Not much happens, and slowly.", "spans": [], "answer": "accept",
                  "_session_id": "reviews-eli"}
    rejected = {"text": "A rejected one.", "spans": [{"start": 0, "end": 1, "label": "X"}],
                "answer": "reject"}
    ignored = {"text": "An ignored one.", "answer": "ignore"}
    records = read_json(jsonl(accepted, by_session, rejected, ignored, rejected), "p.jsonl")
    first, second = records
    assert span_texts(first) == [("reviews-dee", "SPOILER", "The twist")]
    assert first.meta == {"source": "blog", "rating": 4}  # no hashes, tokens or timestamp
    assert first.status == {"reviews-dee": "done"} and second.status == {"reviews-eli": "done"}
    assert records.notes == ["skipped 3 Prodigy record(s) answered reject or ignore "
                             "(1 ignore, 2 reject): only accepted answers are annotations"]
    [doc] = read_json(jsonl({"text": text, "spans": spans}), "p.jsonl")
    assert span_texts(doc) == [("prodigy", "SPOILER", "The twist")] and doc.status == {}


def test_prodigy_answers_other_than_accept_reject_ignore_are_errors():
    [error] = errors_of(jsonl({"text": "Fine.", "spans": [], "answer": "maybe"}))
    assert (error.line, error.field) == (1, "answer")


def test_a_file_of_only_rejected_answers_says_so():
    with pytest.raises(ReadError, match="contains no documents.*reject"):
        read_json(jsonl({"text": "Meh.", "spans": [], "answer": "reject"}), "p.jsonl")


def labelstudio_task(text, results, completed_by=7, **extra):
    return {"id": 40, "data": {"text": text, "genre": "noir"},
            "annotations": [{"completed_by": completed_by, "was_cancelled": False,
                             "result": results}], **extra}


def region(start, end, *labels, text=None, kind="labels"):
    value = {"start": start, "end": end, "labels": list(labels)}
    if text is not None:
        value["text"] = text
    return {"type": kind, "from_name": "label", "to_name": "text", "value": value}


def test_label_studio_export_with_annotators_cancelled_work_and_predictions():
    text = "The rain-soaked finale is gorgeous, though the villain is thin."
    finale, villain = offsets(text, "finale"), offsets(text, "the villain")
    task = labelstudio_task(text, [region(*finale, "PRAISE", "VISUALS", text="finale"),
                                   {"type": "choices", "value": {"choices": ["mixed"]}}],
                            completed_by={"id": 3, "email": "fay@example.org"},
                            predictions=[{"result": []}, {"result": []}])
    task["annotations"] += [
        {"completed_by": 9, "was_cancelled": False, "result": [region(*villain, "CRITIQUE")]},
        {"completed_by": 5, "was_cancelled": True, "result": [region(*villain, "PRAISE")]},
        {"completed_by": 8, "result": []},
    ]
    records = read_json(pretty([task]), "export.json")
    [doc] = records
    assert span_texts(doc) == [("fay@example.org", "PRAISE", "finale"),
                               ("fay@example.org", "VISUALS", "finale"),
                               ("labelstudio-user-9", "CRITIQUE", "the villain")]
    assert doc.meta == {"genre": "noir", "labelstudio_id": 40}
    # Someone who submitted nothing marked still finished the task.
    assert doc.status == {"fay@example.org": "done", "labelstudio-user-9": "done",
                          "labelstudio-user-8": "done"}
    assert records.notes == [
        "skipped 1 cancelled Label Studio annotation(s)",
        "skipped 1 Label Studio result(s) that are not span labels (choices: 1)",
        "did not import 2 Label Studio prediction(s): they are a model's suggestions, "
        "not annotations"]


def test_label_studio_annotator_from_options_only_when_the_export_names_none():
    task = labelstudio_task("Short and sweet.", [region(0, 5, "PACE")], completed_by=None)
    [doc] = read_json(pretty(task), "t.json", ReadOptions(annotator="gus"))
    assert span_texts(doc) == [("gus", "PACE", "Short")]
    task = labelstudio_task("Short and sweet.", [region(0, 5, "PACE")], completed_by=4)
    [doc] = read_json(pretty(task), "t.json", ReadOptions(annotator="gus"))
    assert span_texts(doc) == [("labelstudio-user-4", "PACE", "Short")]


def test_label_studio_text_comes_from_the_chosen_column_or_the_only_text():
    task = {"data": {"review": "Overlong but heartfelt.", "stars": 3},
            "annotations": [{"completed_by": 1, "result": [region(0, 8, "PACE")]}]}
    [doc] = read_json(pretty(task), "t.json")
    assert doc.text == "Overlong but heartfelt." and doc.meta == {"stars": 3}
    task["data"]["headline"] = "A mixed bag"
    [error] = errors_of(pretty(task))
    assert error.field == "data" and '"review", "stars", "headline"' in error.message
    [doc] = read_json(pretty(task), "t.json", ReadOptions(text_column="review"))
    assert span_texts(doc) == [("labelstudio-user-1", "PACE", "Overlong")]
    assert doc.meta == {"stars": 3, "headline": "A mixed bag"}


def test_label_studio_region_text_must_match_and_errors_name_the_item_and_line():
    good = labelstudio_task("Crisp editing.", [region(0, 5, "CRAFT", text="Crisp")])
    bad = labelstudio_task("Wooden dialogue.", [region(0, 6, "CRAFT"),
                                                region(0, 6, "CRAFT", text="Velvet")])
    data = pretty([good, bad])
    [error] = errors_of(data)
    assert error.field == "[1].annotations[0].result[1].value"
    assert "does not match" in error.message
    assert data.decode().split("\n")[error.line - 1].strip() == "{"  # where [1] starts
    assert error.path == "reviews.json"


def test_label_studio_bad_offset_names_its_field():
    task = labelstudio_task("Crisp editing.", [region(0.0, 5, "CRAFT")])
    [error] = errors_of(pretty([task]))
    assert error.field == "[0].annotations[0].result[0].value.start"
    assert "whole number" in error.message


# --- Offsets: UTF-16, emoji, CRLF -------------------------------------------------------------

EMOJI_REVIEW = "Loved it 😍 but the ending… 🙄 fell flat"


def test_utf16_offsets_after_an_emoji_land_on_the_right_code_points():
    start, end = utf16(EMOJI_REVIEW, "the ending")
    task = labelstudio_task(EMOJI_REVIEW, [region(start, end, "SPOILER", text="the ending")])
    [doc] = read_json(pretty(task), "ls.json", ReadOptions(offsets="utf16"))
    [span] = doc.spans
    assert (span.start, span.end) == offsets(EMOJI_REVIEW, "the ending")
    assert doc.text[span.start:span.end] == span.text == "the ending"
    doccano = {"text": EMOJI_REVIEW, "label": [[*utf16(EMOJI_REVIEW, "fell flat"), "PACE"]]}
    [doc] = read_json(jsonl(doccano), "d.jsonl", ReadOptions(offsets="utf16"))
    assert span_texts(doc) == [("doccano", "PACE", "fell flat")]


def test_the_same_utf16_file_read_as_code_points_is_misaligned_and_names_the_unit():
    start, end = utf16(EMOJI_REVIEW, "the ending")
    task = labelstudio_task(EMOJI_REVIEW, [region(start, end, "SPOILER", text="the ending")])
    [error] = errors_of(pretty(task), offsets="codepoint")
    assert error.field == "annotations[0].result[0].value" and error.line == 1
    assert "does not match" in error.message and "he ending…" in error.message
    # The error names the fix: Label Studio counts UTF-16 units, its default.
    assert error.message.endswith("these offsets line up if counted in UTF-16: "
                                  "use --offsets utf16")
    [doc] = read_json(pretty(task), "ls.json")
    assert span_texts(doc) == [("labelstudio-user-7", "SPOILER", "the ending")]


def test_a_utf16_offset_inside_an_emoji_is_an_error():
    inside = utf16(EMOJI_REVIEW, "😍")[0] + 1
    [error] = errors_of(jsonl({"text": EMOJI_REVIEW, "label": [[inside, 14, "X"]]}),
                        offsets="utf16")
    assert (error.line, error.field) == (1, "label[0]") and "inside an emoji" in error.message


def test_spans_after_crlf_line_ends_keep_their_words():
    text = "Gorgeous to look at.\r\nThe plot, sadly, is borrowed.\r\n"
    borrowed = offsets(text, "borrowed")  # offsets into the text as the file has it
    lines = [{"text": text, "label": [[*borrowed, "CRITIQUE"]]},
             {"text": text.replace("look", "view"), "spans": [
                 {"start": borrowed[0], "end": borrowed[1], "label": "CRITIQUE"}]}]
    for doc in read_json(jsonl(*lines), "crlf.jsonl"):
        assert "\r" not in doc.text
        [span] = doc.spans
        assert span.text == doc.text[span.start:span.end] == "borrowed"


@given(st.lists(st.sampled_from(["ok", "😍", "\r\n", "é", "映画", " ", "👵🏽", "\u2028"]),
                min_size=2, max_size=12), st.data())
def test_any_utf16_span_reads_back_as_the_same_characters(pieces, data):
    text = "".join(pieces)
    first = data.draw(st.integers(0, len(pieces) - 1))
    last = data.draw(st.integers(first + 1, len(pieces)))
    before, words = "".join(pieces[:first]), "".join(pieces[first:last])
    start = len(before.encode("utf-16-le")) // 2
    end = start + len(words.encode("utf-16-le")) // 2
    task = labelstudio_task(text, [region(start, end, "X", text=words)])
    if not text.strip():
        return
    [doc] = read_json(pretty(task), "ls.json", ReadOptions(offsets="utf16"))
    [span] = doc.spans
    expected = words.replace("\r\n", "\n").replace("\u2028", "\n")
    assert span.text == doc.text[span.start:span.end] == expected


# --- Layout: JSON or JSONL, mixed shapes, forced shapes -----------------------------------

def test_jsonl_in_a_json_file_and_a_one_line_array_are_told_apart_by_content():
    one, two = {"text": "First review."}, {"text": "Second review."}
    assert [d.text for d in read_json(jsonl(one, two), "looks-like.json")] == [
        "First review.", "Second review."]
    assert [d.line for d in read_json(jsonl(one, two), "x.json")] == [1, 2]
    assert len(read_json(json.dumps([one, two]).encode(), "x.jsonl")) == 2
    assert [d.line for d in read_json(pretty([one, two]), "x.json")] == [2, 5]
    assert read_json(pretty(one), "x.json")[0].text == "First review."


def test_one_file_may_mix_shapes():
    text = "Sharp script, flat lighting."
    sharp, flat = offsets(text, "Sharp script"), offsets(text, "flat lighting")
    lines = [
        {"text": text, "annotations": [{"annotator": "ada", "label": "PRAISE",
                                        "start": sharp[0], "end": sharp[1]}]},
        {"text": text + " 1", "label": [[*flat, "CRITIQUE"]]},
        {"text": text + " 2", "spans": [{"start": flat[0], "end": flat[1], "label": "CRITIQUE"}],
         "_annotator_id": "p-hal"},
        labelstudio_task(text + " 3", [region(*sharp, "PRAISE")]),
    ]
    docs = read_json(jsonl(*lines), "mixed.jsonl")
    assert [span_texts(d) for d in docs] == [
        [("ada", "PRAISE", "Sharp script")], [("doccano", "CRITIQUE", "flat lighting")],
        [("p-hal", "CRITIQUE", "flat lighting")],
        [("labelstudio-user-7", "PRAISE", "Sharp script")]]


def test_a_forced_format_reads_every_record_as_that_shape():
    record = {"text": "Big laughs, small heart.", "annotations": ["not", "spans"],
              "label": [[0, 10, "HUMOUR"]]}
    [doc] = read_json(jsonl(record), "f.jsonl", ReadOptions(format="doccano"))
    assert span_texts(doc) == [("doccano", "HUMOUR", "Big laughs")]
    assert doc.meta == {"annotations": ["not", "spans"]}
    [doc] = read_json(jsonl({"text": "Big laughs."}), "f.jsonl",
                      ReadOptions(format="prodigy", annotator="ivy"))
    assert doc.spans == [] and doc.meta == {}
    [error] = errors_of(jsonl(record), format="labelstudio")
    assert error.field == "data"
    with pytest.raises(ValueError, match="csv"):
        read_json(jsonl(record), "f.jsonl", ReadOptions(format="csv"))


# --- Bad input ------------------------------------------------------------------------------

def test_bad_lines_are_reported_with_line_and_field_and_nothing_is_read():
    text = "A fine cast wasted on a thin plot."
    lines = [
        json.dumps({"text": text, "label": [[2, 6, "CAST"]]}),
        "",
        json.dumps({"text": text, "label": [[2, 6, "CAST"], [0, 1, "X"], [20, 90, "PLOT"]]}),
        "{broken",
        json.dumps({"text": text, "label": [[2.0, 6, "CAST"], [True, 4, "CAST"]]}),
        json.dumps({"text": text, "spans": [{"start": 2, "end": "6", "label": "CAST"}]}),
        json.dumps({"review": text}),
        json.dumps(["not", "an", "object"]),
    ]
    errors = errors_of("\n".join(lines).encode())
    where = [(e.line, e.field) for e in errors]
    assert where == [(3, "label[2]"), (4, None), (5, "label[0]"), (6, "spans[0].end"),
                     (7, None), (8, None)]
    assert "lies outside the text" in errors[0].message
    assert "not valid JSON" in errors[1].message
    assert "whole numbers" in errors[2].message
    assert errors[4].message.startswith('expected "text" with "annotations" (Annotator), '
                                        '"label"/"entities" (doccano), "spans" (Prodigy) or '
                                        '"data" (Label Studio)')
    assert '"review"' in errors[4].message
    assert "must be a JSON object, got array" in errors[5].message
    assert str(errors[0]).startswith("reviews.json, line 3, field 'label[2]'")


def test_errors_stop_being_listed_after_the_limit():
    lines = [{"text": "Too short.", "label": [[0, 99, "X"]]}] * (MAX_ERRORS + 20)
    assert len(errors_of(jsonl(*lines))) == MAX_ERRORS


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"Great film, would watch again.", "not valid JSON"),
    (b"[\n  {\"text\": \"ok\"},\n  {\"text\": \"oops\"\n]", "not valid JSON"),
    (b"[]", "contains no documents"),
    (b"\n\n42\n", "holds one JSON number"),
    (b'"just a string"', "holds one JSON string"),
])
def test_whole_file_problems_are_one_read_error(data, message):
    with pytest.raises(ReadError, match=message):
        read_json(data, "bad.json")


def test_a_broken_pretty_json_file_names_the_line():
    data = b'[\n  {"text": "ok"},\n  {"text": "oops"\n]'
    with pytest.raises(ReadError) as caught:
        read_json(data, "bad.json")
    assert caught.value.line == 4


def test_absurd_json_is_a_read_error_not_a_crash():
    deep = b"[" * 100_000
    huge = b'{"text": "x", "meta": {"n": ' + b"9" * 5000 + b"}}"
    surrogate = b'{"text": "bad \\ud800 text"}'
    for data in (deep, deep + b"\n" + deep, huge, b"[" + huge + b"]", huge + b"\n" + huge):
        with pytest.raises((ReadError, ReadErrors), match="not usable JSON"):
            read_json(data, "absurd.json")
    for data in (surrogate, b"[" + surrogate + b"]", surrogate + b"\n" + surrogate):
        with pytest.raises(ReadErrors, match="unpaired surrogate"):
            read_json(data, "absurd.json")
    errors = errors_of(b'[{"text": "fine"},\n' + surrogate + b"]")
    assert [(e.line, e.field) for e in errors] == [(2, "[1]")]


def test_the_native_reader_keeps_reading_only_its_own_jsonl():
    start, end = offsets(REVIEW, "harbour")
    record = {"text": REVIEW, "annotations": [{"annotator": "ada", "label": "PLACE",
                                               "start": start, "end": end}]}
    [doc] = read_native_jsonl(jsonl(record), "mine.jsonl")
    assert span_texts(doc) == [("ada", "PLACE", "harbour")]
    with pytest.raises(ReadErrors, match="each line must be a JSON object, got list"):
        read_native_jsonl(json.dumps([record]).encode(), "mine.jsonl")


# --- Fuzz -----------------------------------------------------------------------------------

def check_records(records):
    assert records, "a read file has documents"
    for doc in records:
        assert isinstance(doc.text, str) and doc.text.strip()
        for span in doc.spans:
            assert 0 <= span.start < span.end <= len(doc.text)
            assert span.text == doc.text[span.start:span.end]
            assert span.annotator.strip() and span.label.strip()


def read_or_refuse(data: bytes, options: ReadOptions = ReadOptions()):
    try:
        records = read_json(data, "fuzz.json", options)
    except (ReadError, ReadErrors):
        return
    check_records(records)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300),
                 st.lists(st.sampled_from([b"[", b"]", b"{", b"}", b",", b":", b'"text"',
                                           b'"label"', b'"spans"', b'"data"', b"\n", b" ",
                                           b"0", b"3", b"1.5", b"true", b'"x"', b"\\ud800"]),
                          max_size=40).map(b"".join)))
@example(b"\x1c")  # white space to Python, not to JSON
def test_any_bytes_give_documents_or_a_read_error(data):
    read_or_refuse(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 40) | st.floats(allow_nan=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=10,
)
def mostly(plausible, arbitrary=json_values):
    """Usually a plausible value, now and then anything JSON can hold."""
    return st.integers(0, 4).flatmap(lambda n: arbitrary if n == 0 else plausible)


def shaped(required: dict, optional: dict):
    """Objects with the required fields, or (now and then) with only some of them."""
    return mostly(st.fixed_dictionaries(required, optional=optional),
                  st.fixed_dictionaries({}, optional={**required, **optional}))


offset = mostly(st.integers(0, 17), st.integers(-2, 40) | json_values)
texts = mostly(st.sampled_from(["Loved it 😍 but the ending… fell flat", "Dull.\r\nVery dull.",
                                "ok"]), st.sampled_from(["", "   "]) | json_values)
labels = mostly(st.sampled_from(["PRAISE", "SPOILER"]), st.sampled_from([" ", ""]) | json_values)
span_text = mostly(st.none(), st.sampled_from(["the ending", "Dull"]) | json_values)


def spans(span):
    return st.lists(mostly(span), max_size=3)


native = shaped(
    {"text": texts, "annotations": spans(shaped(
        {"annotator": labels, "label": labels, "start": offset, "end": offset},
        {"text": span_text}))},
    {"id": json_values, "title": json_values, "meta": json_values, "status": json_values})
numbers = mostly(st.integers(0, 3))
doccano = shaped(
    {"text": texts},
    {"id": json_values, "user": json_values, "username": json_values,
     "label": spans(st.tuples(offset, offset, labels).map(list)),
     "labels": spans(st.tuples(offset, offset, labels).map(list)),
     "entities": spans(shaped({"start_offset": offset, "end_offset": offset, "label": labels},
                              {"id": numbers})),
     # doccano 1.x: users and labels by number; relations between entities; our notes
     "annotations": spans(shaped({"start_offset": offset, "end_offset": offset,
                                  "label": mostly(st.integers(1, 3)) | labels},
                                 {"user": numbers, "user_name": json_values,
                                  "label_name": json_values})),
     "relations": spans(shaped({"from_id": numbers, "to_id": numbers}, {"type": labels})),
     "notes": spans(st.tuples(offset, offset, labels, labels, json_values).map(list))})
prodigy = shaped(
    {"text": texts, "spans": spans(shaped({"start": offset, "end": offset, "label": labels},
                                          {"text": span_text}))},
    {"answer": mostly(st.sampled_from(["accept", "reject", "ignore"])),
     "_annotator_id": json_values, "meta": json_values})
work = st.lists(mostly(shaped(
    {"completed_by": mostly(st.integers(0, 3)),
     "result": spans(shaped(
         {"type": mostly(st.sampled_from(["labels", "textarea"])),
          "value": shaped({"start": offset, "end": offset,
                           "labels": st.lists(labels, min_size=1, max_size=2)},
                          {"text": span_text | st.lists(span_text, max_size=2)})},
         {"id": mostly(st.sampled_from(["r1", "r2"]))}))},
    {"was_cancelled": mostly(st.booleans())})), max_size=2)
labelstudio = shaped(
    {"data": shaped({"text": texts}, {"other": json_values})},
    {"id": json_values, "predictions": json_values,
     "annotations": work, "completions": work})  # Label Studio 1.x and 0.x


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(native | doccano | prodigy | labelstudio | json_values, min_size=1,
                max_size=4),
       st.sampled_from(["jsonl", "array", "pretty"]),
       st.sampled_from([None, *("native", "doccano", "prodigy", "labelstudio")]),
       st.sampled_from([None, "codepoint", "utf16", "graphemes"]))
def test_any_json_in_any_shape_gives_documents_or_a_read_error(values, layout, shape, counted):
    if layout == "jsonl":
        data = jsonl(*values)
    else:
        data = json.dumps(values, indent=2 if layout == "pretty" else None).encode()
    read_or_refuse(data, ReadOptions(format=shape, offsets=counted))
