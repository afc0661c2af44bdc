"""Editing a span in place: relabel, move, note. Same id, logged, reversible."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.model import Span
from annotator.domain.spans import SpanError, free_lane, lanes
from annotator.services import annotations, annotators

TEXT = "Marchetti is superb. The ending: the keeper was her father 😂, sadly."


@pytest.fixture
def span(fresh_db, inbox):
    from annotator.services.importing import import_paths
    (inbox / "r.txt").write_text(TEXT, encoding="utf-8")
    doc_id = import_paths(fresh_db, [inbox]).document_ids[0]
    me = annotators.current(fresh_db)
    spoiler = fresh_db.labels()[0]
    start = TEXT.index("the keeper")
    return annotations.add_span(fresh_db, doc_id, me, spoiler.uuid, start,
                                start + len("the keeper")).added[0]


def test_relabel_move_and_note_keep_the_id_and_are_logged(fresh_db, span):
    me = annotators.current(fresh_db)
    praise = fresh_db.labels()[1]
    end = TEXT.index("😂") + 1
    new = annotations.edited(span, TEXT, label_uuid=praise.uuid, end=end, note="twist\nbig")
    change = annotations.replace_span(fresh_db, span, new, me)
    assert change.removed == (span,) and change.added == (new,)
    stored = fresh_db.span(span.uuid)
    assert stored.label_uuid == praise.uuid
    assert stored.text == "the keeper was her father 😂" == TEXT[stored.start:stored.end]
    assert stored.note == "twist\nbig"
    log = [e for e in fresh_db.change_log(span.uuid) if e["action"] == "update"]
    assert log[0]["data"]["before"]["label_uuid"] == span.label_uuid
    assert log[0]["data"]["after"]["end"] == end


def test_undoing_an_edit_restores_the_exact_row(fresh_db, span):
    me = annotators.current(fresh_db)
    before = fresh_db.conn.execute("SELECT * FROM annotations").fetchall()
    new = annotations.edited(span, TEXT, note="hm")
    annotations.replace_span(fresh_db, span, new, me)
    annotations.replace_span(fresh_db, new, span, me)
    assert fresh_db.conn.execute("SELECT * FROM annotations").fetchall() == before


def test_a_blank_note_removes_the_note(fresh_db, span):
    noted = annotations.edited(span, TEXT, note="x")
    assert annotations.edited(noted, TEXT, note="  \n").note is None
    assert annotations.edited(noted, TEXT).note == "x"


def test_an_edit_outside_the_text_is_refused_and_nothing_changes(fresh_db, span):
    me = annotators.current(fresh_db)
    bad = annotations.edited(span, TEXT + "!!!", end=len(TEXT) + 2)
    with pytest.raises(SpanError, match="outside the text"):
        annotations.replace_span(fresh_db, span, bad, me)
    assert fresh_db.span(span.uuid) == span


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
