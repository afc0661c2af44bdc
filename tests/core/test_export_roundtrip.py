"""Native JSONL: export, import into a new database, export again -> the same bytes."""

import json

import pytest
from people import person

from annotator.domain.model import Status
from annotator.services.exporting import ExportError, ExportOptions


@pytest.fixture
def annotated(fresh_db, inbox):
    text = "Grandma 😂 vs. the Algorithm\r\n映画. Cafe\u0301 ending: the fridge did it.\r\n"
    (inbox / "r.txt").write_text(text, newline="")
    (inbox / "s.txt").write_text("A review with no spans at all.")
    fresh_db.import_paths([inbox])
    doc_id = fresh_db.document_ids()[0]
    stored = fresh_db.document(doc_id).text
    fresh_db.switch_to("ada")
    labels = {label.name: label.uuid for label in fresh_db.labels()}
    start = stored.index("the fridge")
    fresh_db.add_span(doc_id, labels["spoiler"], start, start + 19)
    with person(fresh_db, "ben") as ben:
        ben.add_span(doc_id, labels["spoiler"], start + 4, start + 10)
    fresh_db.add_span(doc_id, labels["praise"], 0, 9)
    fresh_db.set_status(doc_id, Status.DONE)
    return fresh_db


def test_round_trip_is_exact(annotated, tmp_path, open_workspace):
    first = tmp_path / "first.jsonl"
    report = annotated.export("jsonl", first)
    assert (report.documents, report.spans) == (2, 3)

    other = open_workspace(tmp_path / "other.db")
    result = other.import_paths([first])
    assert not result.failed
    second = tmp_path / "second.jsonl"
    other.export("jsonl", second)
    assert second.read_bytes() == first.read_bytes()


def test_exported_offsets_are_code_points_into_the_stored_text(annotated, tmp_path):
    out = tmp_path / "out.jsonl"
    annotated.export("jsonl", out)
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    first = docs[0]
    assert "\r" not in first["text"]
    for a in first["annotations"]:
        assert first["text"][a["start"]:a["end"]] == a["text"]
    assert {a["text"] for a in first["annotations"]} == {
        "the fridge did it.", "fridge", "Grandma 😂"}
    assert first["status"] == {"ada": "done", "ben": "in progress"}
    assert docs[1]["annotations"] == []  # a review without spans stays in


def test_export_one_annotator(annotated, tmp_path):
    out = tmp_path / "ben.jsonl"
    report = annotated.export("jsonl", out, ExportOptions(["ben"]))
    assert report.spans == 1
    with pytest.raises(ExportError, match="no annotator named zed"):
        annotated.export("jsonl", out, ExportOptions(["zed"]))


def test_reimporting_into_the_same_database_adds_nothing(annotated, tmp_path):
    out = tmp_path / "out.jsonl"
    annotated.export("jsonl", out)
    report = annotated.import_paths([out])
    assert report.total("documents") == 0 and report.total("merged_spans") == 0
    assert len(report.files[0].duplicates) == 2
    assert annotated.count_spans() == 3


def test_export_onto_the_database_itself_is_refused(annotated):
    with pytest.raises(ExportError, match="the database itself"):
        annotated.export("jsonl", annotated.path)
    assert annotated.count_spans() == 3
