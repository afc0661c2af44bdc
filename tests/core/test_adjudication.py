"""Adjudication into the gold set, and finding where annotators disagree."""

import pytest
from people import span_by

from annotator.domain.disagreement import disagreements, next_from
from annotator.domain.errors import EditRefused
from annotator.domain.model import GOLD, Span, Status

TEXT = "Loved the acting. The butler did it. Too long."


def setup(ws, inbox):
    (inbox / "a.txt").write_text(TEXT)
    ws.import_paths([inbox])
    [doc] = ws.document_ids()
    a1 = span_by(ws, "ada", doc, "praise", 0, 17)
    b1 = span_by(ws, "ben", doc, "praise", 0, 17)
    b2 = span_by(ws, "ben", doc, "spoiler", 18, 36)
    return doc, ws.annotator_by_name("ada"), ws.annotator_by_name("ben"), (a1, b1, b2)


def test_accepting_spans_copies_them_into_gold_once_and_logs_the_adjudicator(fresh_db, inbox):
    doc, ada, ben, (a1, b1, b2) = setup(fresh_db, inbox)
    fresh_db.switch_to("ada")
    fresh_db.adjudicate()
    assert fresh_db.me == GOLD and fresh_db.person == ada
    change = fresh_db.accept_into_gold([a1.uuid, b1.uuid, b2.uuid])
    stored = fresh_db.spans(doc, GOLD.uuid)
    assert [(s.start, s.end) for s in stored] == [(0, 17), (18, 36)]  # a1 and b1 are one
    assert set(change.added) == set(stored)
    assert {s.uuid for s in stored}.isdisjoint({a1.uuid, b1.uuid, b2.uuid})
    assert fresh_db.status(doc, GOLD.uuid) is Status.IN_PROGRESS
    assert fresh_db.change_log(stored[0].uuid)[0]["who"] == ada.uuid
    assert len(fresh_db.spans(doc, ben.uuid)) == 2  # ben's own spans are untouched
    with pytest.raises(EditRefused, match="already in gold"):  # again: nothing new
        fresh_db.accept_into_gold([b2.uuid])
    assert len(fresh_db.spans(doc, GOLD.uuid)) == 2
    fresh_db.undo()  # withdrawn: gold as it was
    assert fresh_db.spans(doc, GOLD.uuid) == [] and fresh_db.status(doc, GOLD.uuid) is Status.NEW
    assert len(fresh_db.spans(doc, ben.uuid)) == 2


def span(uuid, who, label, start, end):
    return Span(uuid, 1, who, label, start, end, "x", None, "t", "t")


def test_disagreements_are_the_spans_someone_did_not_make_exactly():
    found = disagreements({
        "ada": [span("a1", "ada", "praise", 0, 17), span("a2", "ada", "spoiler", 18, 36)],
        "ben": [span("b1", "ben", "praise", 0, 17), span("b2", "ben", "spoiler", 18, 30),
                span("b3", "ben", "criticism", 37, 46)],
    })
    assert [s.uuid for s in found] == ["b2", "a2", "b3"]  # in text order
    assert next_from(found, 0, 1).uuid == "b2"
    assert next_from(found, 18, 1, current="b2").uuid == "a2"  # same start: one by one
    assert next_from(found, 40, 1, current="b3").uuid == "b2"  # wraps around
    assert next_from(found, 40, -1).uuid == "b3"
    assert disagreements({"ada": [span("a1", "ada", "praise", 0, 17)]}) == []
