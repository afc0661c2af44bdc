"""Importing: every file whole or not at all, each problem named with its file and line."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.io.readers.native_jsonl import read_native_jsonl
from annotator.io.readers.plain_text import read_plain_text
from annotator.io.records import ReadError, ReadErrors


def only_errors(report):
    return [str(e) for f in report.failed for e in f.errors]


def test_text_and_markdown_files_become_documents_titled_by_their_first_line(fresh_db, inbox):
    (inbox / "a.txt").write_text("\n  Orbit of Small Things\n\nThree stars.\n")
    (inbox / "b.md").write_text("# Paper Crowns\n\nJoyful.\n")
    report = fresh_db.import_paths([inbox / "a.txt", inbox / "b.md"])
    assert report.total("documents") == 2 and not report.failed
    docs = [fresh_db.document(i) for i in fresh_db.document_ids()]
    assert [d.title for d in docs] == ["Orbit of Small Things", "Paper Crowns"]
    assert docs[0].text == "\n  Orbit of Small Things\n\nThree stars.\n"  # text stays whole


def test_folders_are_imported_recursively_and_other_files_skipped(fresh_db, inbox):
    (inbox / "sub" / "deeper").mkdir(parents=True)
    (inbox / "one.txt").write_text("One review.")
    (inbox / "sub" / "deeper" / "two.md").write_text("Two review.")
    (inbox / "sub" / "photo.png").write_bytes(b"\x89PNG\r\n")
    report = fresh_db.import_paths([inbox])
    assert report.total("documents") == 2
    assert [f.skipped_reason for f in report.files if f.skipped_reason] == [
        "not a supported file type"]


def test_encodings_bom_cp1252_and_crlf(fresh_db, inbox):
    (inbox / "bom.txt").write_bytes("\ufeffCafé review\r\nfine".encode())
    (inbox / "cp1252.txt").write_bytes(
        "Zoë’s “naïve” début – a crème brûlée of a film.".encode("cp1252"))
    (inbox / "utf16.txt").write_bytes("Ólafsdóttir rules".encode("utf-16"))
    report = fresh_db.import_paths([inbox])
    assert not report.failed, only_errors(report)
    texts = {fresh_db.document(i).text for i in fresh_db.document_ids()}
    assert texts == {"Café review\nfine", "Zoë’s “naïve” début – a crème brûlée of a film.",
                     "Ólafsdóttir rules"}


def test_duplicate_texts_are_skipped_and_reported(fresh_db, inbox):
    (inbox / "a.txt").write_text("Same review.\r\n")
    (inbox / "b.txt").write_text("Same review.\n")
    report = fresh_db.import_paths([inbox])
    assert fresh_db.count_documents() == 1
    assert report.files[1].duplicates == ["Same review."]


def test_bad_files_get_a_message_and_the_good_ones_still_import(fresh_db, inbox):
    (inbox / "good.txt").write_text("A good review.")
    (inbox / "empty.txt").write_text("")
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (inbox / "image.md").write_bytes(bytes(range(256)) * 4)
    report = fresh_db.import_paths([inbox / "missing.txt", inbox])
    assert fresh_db.count_documents() == 1
    errors = {f.path.rsplit("/", 1)[-1]: str(f.errors[0]) for f in report.failed}
    assert "no such file" in errors["missing.txt"]
    assert "empty" in errors["empty.txt"]
    assert "binary" in errors["binary.txt"]
    assert "image.md" in errors


def test_malformed_jsonl_names_the_line_and_imports_nothing_from_that_file(fresh_db, inbox):
    good = json.dumps({"text": "Fine review."})
    (inbox / "bad.jsonl").write_text(good + "\n{not json\n" + good.replace("Fine", "Ok") + "\n")
    (inbox / "ok.txt").write_text("Other file.")
    report = fresh_db.import_paths([inbox])
    [failed] = report.failed
    assert failed.errors[0].line == 2
    assert "bad.jsonl, line 2: not valid JSON" in str(failed.errors[0])
    assert [fresh_db.document(i).text for i in fresh_db.document_ids()] == ["Other file."]


def test_spans_out_of_range_or_not_matching_are_reported_with_line_and_field(fresh_db, inbox):
    lines = [
        {"text": "Short text.", "annotations": [
            {"annotator": "ada", "label": "praise", "start": 0, "end": 5, "text": "Short"}]},
        {"text": "Short text.", "annotations": [
            {"annotator": "ada", "label": "praise", "start": 6, "end": 60}]},
        {"text": "Other text.", "annotations": [
            {"annotator": "ada", "label": "praise", "start": 0, "end": 5, "text": "Wrong"}]},
        {"text": "Third.", "annotations": [{"annotator": "ada", "label": "praise",
                                            "start": "0", "end": 3}]},
    ]
    (inbox / "spans.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    report = fresh_db.import_paths([inbox / "spans.jsonl"])
    messages = [str(e) for e in report.failed[0].errors]
    assert "line 2, field 'annotations[0]': span 6-60 lies outside the text" in messages[0]
    assert "line 3" in messages[1] and "does not match" in messages[1]
    assert "line 4, field 'annotations[0].start': must be a whole number" in messages[2]
    assert fresh_db.count_documents() == 0 and fresh_db.count_spans() == 0


def test_jsonl_with_crlf_text_keeps_spans_on_the_same_words(fresh_db, inbox):
    text = "Title 😂\r\nThe ending: he was dead.\r\n"
    start = text.index("he was dead")
    record = {"text": text, "annotations": [{"annotator": "ada", "label": "spoiler",
                                             "start": start, "end": start + 11}]}
    (inbox / "crlf.jsonl").write_text(json.dumps(record))
    report = fresh_db.import_paths([inbox / "crlf.jsonl"])
    assert not report.failed, only_errors(report)
    [span] = fresh_db.spans(fresh_db.document_ids()[0])
    assert span.text == "he was dead"


def test_unknown_labels_and_annotators_are_created_and_reported(fresh_db, inbox):
    record = {"text": "Nice score.", "annotations": [
        {"annotator": "kofi", "label": "music", "start": 5, "end": 10}]}
    (inbox / "x.jsonl").write_text(json.dumps(record))
    report = fresh_db.import_paths([inbox / "x.jsonl"])
    assert report.new_labels == ["music"] and report.new_annotators == ["kofi"]
    assert "music" in [label.name for label in fresh_db.labels()]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_readers_turn_any_bytes_into_documents_or_a_read_error(data):
    for reader in (read_plain_text, read_native_jsonl):
        try:
            records = reader(data, "fuzz")
        except (ReadError, ReadErrors):
            continue
        assert all(isinstance(r.text, str) and r.text for r in records)


@settings(max_examples=100)
@given(st.lists(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                          st.dictionaries(st.sampled_from(["text", "annotations", "meta", "id",
                                                           "status", "title"]),
                                          st.one_of(st.text(max_size=8), st.integers(),
                                                    st.lists(st.integers(), max_size=2)))),
                max_size=4))
def test_jsonl_reader_survives_any_json_shape(values):
    data = "\n".join(json.dumps(v) for v in values).encode()
    try:
        read_native_jsonl(data, "fuzz.jsonl")
    except (ReadError, ReadErrors):
        pass


def test_utf16_without_a_byte_order_mark_is_read_and_binary_is_not(fresh_db, inbox):
    (inbox / "le.txt").write_bytes("Ólafsdóttir’s film 😂\r\nworks".encode("utf-16-le"))
    (inbox / "be.txt").write_bytes("Zoë’s début, big-endian".encode("utf-16-be"))
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 8)
    report = fresh_db.import_paths([inbox])
    texts = sorted(fresh_db.document(i).text for i in fresh_db.document_ids())
    assert texts == ["Zoë’s début, big-endian", "Ólafsdóttir’s film 😂\nworks"]
    assert "binary" in only_errors(report)[0]


def test_short_cp1252_text_is_read_as_cp1252(fresh_db, inbox):
    # Short Western text that charset detectors like to call cp775 or cp1250.
    for i, text in enumerate(["Très bon film – 8/10", "naïve “début”", "Ölfilm Œuvre ©"]):
        (inbox / f"s{i}.txt").write_bytes(text.encode("cp1252"))
    report = fresh_db.import_paths([inbox])
    assert not report.failed, only_errors(report)
    texts = sorted(fresh_db.document(i).text for i in fresh_db.document_ids())
    assert texts == sorted(["Très bon film – 8/10", "naïve “début”", "Ölfilm Œuvre ©"])
    assert fresh_db.document(fresh_db.document_ids()[0]).meta == {
        "encoding": "cp1252", "rating": "8/10", "rating_normalised": 0.8}


@pytest.mark.parametrize("text", ["Très bien", "Perfekt für Kinder", "Müll", "Schön",
                                  "It’s OK", "Good film…", "Déçu par la fin, très déçu."])
def test_a_line_of_cp1252_is_never_read_as_another_script(fresh_db, inbox, text):
    (inbox / "short.txt").write_bytes(text.encode("cp1252"))
    fresh_db.import_paths([inbox])
    assert fresh_db.document(fresh_db.document_ids()[0]).text == text


def test_a_byte_order_mark_does_not_let_binary_in(fresh_db, inbox):
    (inbox / "bom.txt").write_bytes(b"\xef\xbb\xbfA review\x00\x01\x02\x03\x04\x05")
    report = fresh_db.import_paths([inbox])
    assert "binary" in only_errors(report)[0] and fresh_db.count_documents() == 0


def test_undecodable_bytes_are_reported_not_guessed(fresh_db, inbox):
    (inbox / "broken.txt").write_bytes(b"\xef\xbb\xbfGood start \xff\xfe\xfa then garbage")
    report = fresh_db.import_paths([inbox])
    assert "utf-8 byte order mark but is not valid utf-8" in only_errors(report)[0]
    assert fresh_db.count_documents() == 0


def test_cyrillic_cp1251_is_not_turned_into_cp1252_mojibake(fresh_db, inbox):
    text = "Этот фильм слишком длинный, но актёры играют прекрасно. Финал предсказуем."
    (inbox / "ru.txt").write_bytes(text.encode("cp1251"))
    report = fresh_db.import_paths([inbox])
    assert not report.failed, only_errors(report)
    assert fresh_db.document(fresh_db.document_ids()[0]).text == text


def test_reimporting_spans_without_ids_adds_them_once(fresh_db, inbox):
    record = {"text": "Nice score.", "annotations": [
        {"annotator": "kofi", "label": "praise", "start": 5, "end": 10}]}
    (inbox / "x.jsonl").write_text(json.dumps(record))
    for _ in range(3):
        fresh_db.import_paths([inbox / "x.jsonl"])
    assert fresh_db.count_spans() == 1


def test_a_span_id_used_by_another_document_gets_a_new_id_and_a_note(fresh_db, inbox):
    span = {"id": "same", "annotator": "kofi", "label": "praise", "start": 0, "end": 4}
    lines = [{"text": "Nice one.", "annotations": [span]},
             {"text": "Good two.", "annotations": [span]}]
    (inbox / "x.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    report = fresh_db.import_paths([inbox / "x.jsonl"])
    assert fresh_db.count_spans() == 2
    assert "span id same is already used" in report.files[0].notes[0]
    assert "line 2" in report.files[0].notes[0]


def test_absurd_json_is_a_read_error_not_a_crash(fresh_db, inbox):
    (inbox / "deep.jsonl").write_bytes(b"[" * 100_000 + b"\n")
    (inbox / "huge.jsonl").write_bytes(b'{"text": "x", "meta": {"n": ' + b"9" * 5000 + b"}}\n")
    (inbox / "surrogate.jsonl").write_bytes(b'{"text": "bad \\ud800 text"}\n')
    (inbox / "status.jsonl").write_bytes(b'{"text": "ok", "status": {" ": "done"}}\n')
    report = fresh_db.import_paths([inbox])
    errors = {f.path.rsplit("/", 1)[-1]: str(f.errors[0]) for f in report.failed}
    assert set(errors) == {"deep.jsonl", "huge.jsonl", "surrogate.jsonl", "status.jsonl"}
    assert "line 1" in errors["deep.jsonl"] and "unpaired surrogate" in errors["surrogate.jsonl"]
    assert "field 'status'" in errors["status.jsonl"]


def test_a_span_starting_with_a_mid_text_bom_round_trips(fresh_db, inbox):
    record = {"text": "ab\ufeffcd", "annotations": [
        {"annotator": "kofi", "label": "praise", "start": 2, "end": 4, "text": "\ufeffc"}]}
    (inbox / "x.jsonl").write_text(json.dumps(record))
    report = fresh_db.import_paths([inbox / "x.jsonl"])
    assert not report.failed, only_errors(report)
    assert fresh_db.spans(fresh_db.document_ids()[0])[0].text == "\ufeffc"


def test_a_document_id_used_by_another_text_gets_a_new_id_and_a_note(fresh_db, inbox):
    lines = [{"id": "doc-1", "text": "First text."}, {"id": "doc-1", "text": "Second text."}]
    (inbox / "x.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    report = fresh_db.import_paths([inbox / "x.jsonl"])
    assert fresh_db.count_documents() == 2
    assert fresh_db.store.documents.by_uuid("doc-1").text == "First text."
    assert "line 2: document id doc-1 is already used" in report.files[0].notes[0]


def test_a_folder_of_small_files_imports_each_in_order_with_its_own_report(fresh_db, inbox):
    """Small files are written several at a time; each still gets its own line in the
    report, in folder order, and its documents their ids in that order."""
    (inbox / "00-old.txt").write_text("Imported before\nAlready here.", encoding="utf-8")
    fresh_db.import_paths([inbox / "00-old.txt"])
    for i in range(1, 30):
        (inbox / f"{i:02}.txt").write_text(f"Review {i}\nA quiet film.", encoding="utf-8")
    (inbox / "07.txt").write_text("Review 3\nA quiet film.", encoding="utf-8")  # as 03
    (inbox / "11.txt").write_text("   \n", encoding="utf-8")  # nothing to read
    (inbox / "12.csv").write_text("title,text\nRow A,First row.\nRow B,First row.\n",
                                  encoding="utf-8")
    report = fresh_db.import_paths([inbox])
    statuses = {f.path.rsplit("/", 1)[-1]: f.status for f in report.files}
    assert statuses["00-old.txt"] == "already there"
    assert statuses["07.txt"] == "already there" and statuses["11.txt"] == "failed"
    assert statuses["12.csv"] == "imported"
    assert [f.path.rsplit("/", 1)[-1] for f in report.files] == sorted(statuses)
    by_name = {f.path.rsplit("/", 1)[-1]: f for f in report.files}
    assert by_name["07.txt"].duplicates == ["Review 3"]
    assert by_name["12.csv"].documents == 1 and by_name["12.csv"].duplicates == ["Row A"]
    titles = [fresh_db.document(i).title for i in report.document_ids]
    assert titles == [f"Review {i}" for i in range(1, 11) if i != 7] + [
        "Row A"] + [f"Review {i}" for i in range(12, 30)]  # 12.csv before 12.txt
    assert report.total("documents") == 28 and fresh_db.document_ids()[1:] == sorted(
        report.document_ids)


def test_a_file_that_cannot_be_saved_among_small_ones_fails_alone(fresh_db, inbox,
                                                                   monkeypatch):
    """Written together with others, a file whose documents cannot be saved is rolled
    back by itself: the others before and after it are imported, and found."""
    from annotator.store.documents import Documents
    from annotator.store.errors import StoreError

    add = Documents.add

    def failing(self, docs, who):
        if any(d.title == "Poisoned" for d in docs):
            raise StoreError("the disk said no")
        return add(self, docs, who)
    monkeypatch.setattr(Documents, "add", failing)
    for i in range(20):
        (inbox / f"{i:02}.txt").write_text(f"Lighthouse {i}\nA calm sea.", encoding="utf-8")
    (inbox / "10.txt").write_text("Poisoned\nA calm sea, again.", encoding="utf-8")
    report = fresh_db.import_paths([inbox])
    [failed] = report.failed
    assert failed.path.endswith("10.txt") and "the disk said no" in str(failed.errors[0])
    assert report.total("documents") == 19
    found = sorted(fresh_db.document(i).title for i in fresh_db.search("calm"))
    assert found == sorted(f"Lighthouse {i}" for i in range(20) if i != 10)
    fresh_db.store.conn.execute("INSERT INTO documents_search (documents_search, rank) "
                                "VALUES ('integrity-check', 1)")
