"""Adjudication into the gold set, and finding where annotators disagree."""

from annotator.domain.disagreement import disagreements, next_from
from annotator.domain.model import Span, Status
from annotator.services import adjudication, annotations, annotators
from annotator.services.importing import import_paths

TEXT = "Loved the acting. The butler did it. Too long."


def setup(store, inbox):
    (inbox / "a.txt").write_text(TEXT)
    import_paths(store, [inbox])
    [doc] = store.document_ids()
    ada = annotators.switch_to(store, "ada")
    ben = annotators.switch_to(store, "ben")
    labels = {label.name: label.uuid for label in store.labels()}
    a1 = annotations.add_span(store, doc, ada, labels["praise"], 0, 17).added[0]
    b1 = annotations.add_span(store, doc, ben, labels["praise"], 0, 17).added[0]
    b2 = annotations.add_span(store, doc, ben, labels["spoiler"], 18, 36).added[0]
    return doc, ada, ben, (a1, b1, b2)


def test_accepting_spans_copies_them_into_gold_once_and_logs_the_adjudicator(fresh_db, inbox):
    doc, ada, ben, (a1, b1, b2) = setup(fresh_db, inbox)
    gold = adjudication.gold(fresh_db)
    change = adjudication.accept(fresh_db, [a1, b1, b2], gold, ada)
    stored = fresh_db.spans(doc, gold.uuid)
    assert [(s.start, s.end) for s in stored] == [(0, 17), (18, 36)]  # a1 and b1 are one
    assert {s.uuid for s in stored}.isdisjoint({a1.uuid, b1.uuid, b2.uuid})
    assert fresh_db.status(doc, gold.uuid) is Status.IN_PROGRESS
    assert fresh_db.change_log(stored[0].uuid)[0]["who"] == ada.uuid
    assert len(fresh_db.spans(doc, ben.uuid)) == 2  # ben's own spans are untouched
    adjudication.accept(fresh_db, [b2], gold, ada)  # again: nothing new
    assert len(fresh_db.spans(doc, gold.uuid)) == 2
    adjudication.withdraw(fresh_db, list(change.added), gold, ada, Status.NEW)
    assert fresh_db.spans(doc, gold.uuid) == [] and fresh_db.status(doc, gold.uuid) is Status.NEW


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
