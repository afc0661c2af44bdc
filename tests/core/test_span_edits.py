"""Editing a span in place: relabel, move, note. Same id, logged, reversible."""

import pytest

from annotator.domain.spans import SpanError
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
