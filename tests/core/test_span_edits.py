"""Editing a span in place: relabel, move, note. Same id, logged, reversible."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.model import Span
from annotator.domain.spans import SpanError, edited, free_lane, lanes

TEXT = "Marchetti is superb. The ending: the keeper was her father 😂, sadly."


@pytest.fixture
def span(fresh_db, inbox):
    (inbox / "r.txt").write_text(TEXT, encoding="utf-8")
    doc_id = fresh_db.import_paths([inbox]).document_ids[0]
    spoiler = fresh_db.labels()[0]
    start = TEXT.index("the keeper")
    return fresh_db.add_span(doc_id, spoiler.uuid, start, start + len("the keeper")).added[0]


def test_relabel_move_and_note_keep_the_id_and_are_logged(fresh_db, span):
    praise = fresh_db.labels()[1]
    end = TEXT.index("😂") + 1
    changes = [fresh_db.relabel(span.uuid, praise.uuid)]
    for _ in range(4):  # was, her, father, 😂: a word at a time
        changes.append(fresh_db.move_edge(span.uuid, "end", 1))
    changes.append(fresh_db.set_note(span.uuid, "twist\nbig"))
    assert changes[0].removed == (span,)
    for before, after in itertools.pairwise(changes):
        assert after.removed == before.added  # each edit starts where the last one ended
    stored = fresh_db.span(span.uuid)
    assert changes[-1].added == (stored,)
    assert stored.label_uuid == praise.uuid
    assert stored.text == "the keeper was her father 😂" == TEXT[stored.start:stored.end]
    assert stored.note == "twist\nbig"
    log = [e for e in fresh_db.change_log(span.uuid) if e["action"] == "update"]
    assert len(log) == 6
    assert log[0]["data"]["before"]["label_uuid"] == span.label_uuid
    assert log[0]["data"]["after"]["label_uuid"] == praise.uuid
    assert log[-2]["data"]["after"]["end"] == end


def test_undoing_an_edit_restores_the_exact_row(fresh_db, span):
    before = fresh_db.store.conn.execute("SELECT * FROM annotations").fetchall()
    fresh_db.set_note(span.uuid, "hm")
    assert fresh_db.store.conn.execute("SELECT * FROM annotations").fetchall() != before
    fresh_db.undo()
    assert fresh_db.store.conn.execute("SELECT * FROM annotations").fetchall() == before


def test_a_blank_note_removes_the_note(fresh_db, span):
    noted = edited(span, TEXT, note="x")
    assert edited(noted, TEXT, note="  \n").note is None
    assert edited(noted, TEXT).note == "x"
    fresh_db.set_note(span.uuid, "x")
    assert fresh_db.span(span.uuid).note == "x"
    fresh_db.set_note(span.uuid, "  \n")
    assert fresh_db.span(span.uuid).note is None


def test_an_edit_outside_the_text_is_refused_and_nothing_changes(fresh_db, span):
    doc = span.document_id
    last = fresh_db.add_span(doc, span.label_uuid, TEXT.index("sadly"), len(TEXT)).added[0]
    before = fresh_db.spans(doc)
    assert fresh_db.move_edge(last.uuid, "end", 1) is None  # the end of the text
    assert fresh_db.move_edge(last.uuid, "end", 1, by_word=False) is None
    with pytest.raises(SpanError, match="outside the text"):
        fresh_db.add_span(doc, span.label_uuid, TEXT.index("sadly"), len(TEXT) + 2)
    assert fresh_db.spans(doc) == before


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=40))
def test_overlapping_spans_never_share_a_lane(ranges):
    spans = [Span(f"s{i}", 1, "a", "l", start, start + length, "")
             for i, (start, length) in enumerate(ranges)]
    lane_of = lanes(spans)
    for a in spans:
        for b in spans:
            if a.uuid < b.uuid and a.start < b.end and b.start < a.end:
                assert lane_of[a.uuid] != lane_of[b.uuid]
    # and no lane is wasted: a span's lane is taken by a span it overlaps, for every lower lane
    for a in spans:
        below = {lane_of[b.uuid] for b in spans
                 if b.uuid != a.uuid and a.start < b.end and b.start < a.end}
        assert set(range(lane_of[a.uuid])) <= below


def test_a_nested_span_goes_below_its_enclosing_span():
    outer = Span("o", 1, "a", "l", 0, 30, "")
    inner = Span("i", 1, "a", "l", 0, 10, "")
    later = Span("z", 1, "a", "l", 40, 50, "")
    assert lanes([inner, outer, later]) == {"o": 0, "i": 1, "z": 0}
    assert free_lane(Span("n", 1, "a", "l", 5, 8, ""), [outer, inner],
                     {"o": 0, "i": 1}) == 2
