"""Adjudicating into gold from the window, and stepping through disagreements."""

from people import person, span_by
from PySide6.QtCore import Qt
from support import db_rows, select_with_keyboard

from annotator.domain.model import GOLD

REVIEW = ("Marchetti is superb. The ending: the keeper was her father.\n"
          "Too long, and the storm scenes repeat.")


def with_ben(window):
    """ben's spans on the open review (made on his own machine, so to speak): praise on the
    first sentence, a spoiler."""
    with person(window.workspace, "ben") as ben:
        for label, phrase in (("praise", "Marchetti is superb"),
                              ("spoiler", "the keeper was her father")):
            start = REVIEW.index(phrase)
            ben.add_span(window.document_id, next(
                lb.uuid for lb in ben.labels() if lb.name == label), start, start + len(phrase))
        return ben.me


def gold_texts(window):
    return sorted(s.text for s in window.workspace.spans(window.document_id, GOLD.uuid))


def test_accepting_spans_into_gold_is_undoable_and_names_the_adjudicator(qtbot, open_window):
    window = open_window(REVIEW)
    me = window.annotator
    with_ben(window)
    window.adjudicate()
    assert window.annotator.name == "gold" and window.compare_action.isChecked()
    window.view.place_cursor(REVIEW.index("superb"))
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert gold_texts(window) == ["Marchetti is superb"]
    gold_span = next(iter(window.view.spans.values()))
    assert window.workspace.change_log(gold_span.uuid)[0]["who"] == me.uuid
    assert window.undo.undo_text() == "accept praise span into gold"
    saved = db_rows(window.workspace)
    window.undo.undo()
    assert gold_texts(window) == [] and not window.view.spans
    window.undo.redo()
    assert db_rows(window.workspace) == saved  # the very same rows come back
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # again: already in gold, nothing added
    assert gold_texts(window) == ["Marchetti is superb"]
    select_with_keyboard(qtbot, window.view, REVIEW, "Marchetti is superb. The ending: the "
                                                      "keeper was her father.")
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert gold_texts(window) == ["Marchetti is superb", "the keeper was her father"]
    assert span_by(window.workspace, me.name, window.document_id, "praise", 0, 9
                   ).text == "Marchetti"
    window.open_document(window.document_id)
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, Qt.Key.Key_F8)  # gold is being built: it is no opinion
    # The first F8 stops at the cursor; gold, being built, is not counted as an opinion.
    assert window.statusBar().currentMessage().startswith("Disagreement 1 of 3: ")


def test_accepting_needs_adjudication_mode(qtbot, open_window):
    window = open_window(REVIEW)
    with_ben(window)
    window.view.place_cursor(REVIEW.index("superb"))
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert "Adjudicate into gold" in window.statusBar().currentMessage()
    assert window.workspace.spans(window.document_id, GOLD.uuid) == []


def test_f8_steps_through_the_spans_annotators_disagree_on(qtbot, open_window):
    window = open_window(REVIEW)
    with_ben(window)
    start = REVIEW.index("Marchetti is superb")
    window.view.select_range(start, start + len("Marchetti is superb"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # praise, as ben: agreed
    qtbot.keyClick(window.view, Qt.Key.Key_F8)
    assert "Compare" in window.statusBar().currentMessage()  # nothing to compare yet
    window.show_in_compare(window.document_id)
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, Qt.Key.Key_F8)
    message = window.statusBar().currentMessage()
    assert message.startswith("Disagreement 1 of 1: ben's spoiler")
    assert window.view.cursor_position() == REVIEW.index("the keeper")


def test_edits_to_gold_are_logged_under_the_adjudicator(qtbot, open_window):
    window = open_window(REVIEW)
    me = window.annotator
    with_ben(window)
    window.adjudicate()
    window.view.place_cursor(REVIEW.index("superb"))
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    gold_span = next(iter(window.view.spans.values()))
    window.view.select_span(gold_span)
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # relabel the gold span: criticism
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    entries = window.workspace.change_log(gold_span.uuid)
    assert [e["action"] for e in entries] == ["add", "update", "delete"]
    assert {e["who"] for e in entries} == {me.uuid}
    assert window.workspace.spans(window.document_id, window.annotator.uuid) == []


def test_compare_mode_flags_the_spans_annotators_disagree_on(qtbot, open_window):
    window = open_window(REVIEW)
    with_ben(window)
    start = REVIEW.index("Marchetti is superb")
    window.view.select_range(start, start + len("Marchetti is superb"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # praise: the same as ben's
    assert window.view.disputed == set()  # not comparing: nothing to flag
    window.show_in_compare(window.document_id)
    spoiler = next(s for s in window.view.others.values() if s.text.startswith("the keeper"))
    assert window.view.disputed == {spoiler.uuid}
    from PySide6.QtGui import QTextCursor
    from support import utf16
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(utf16(REVIEW, spoiler.start))
    rect = window.view.cursorRect(cursor)
    x, y = rect.left() - 3, rect.top() + 2  # in the gap before the span's first letter

    def ink(box=None):
        window.view.viewport().repaint()
        image = window.view.viewport().grab().toImage()
        if box is None:
            return image.pixelColor(x, y).name()
        return [image.pixelColor(i, j).name() for i in range(box.left(), box.right())
                for j in range(box.top(), box.bottom())]
    cursor.setPosition(utf16(REVIEW, spoiler.start + 1))
    first_letter = rect.united(window.view.cursorRect(cursor)).adjusted(2, 2, -1, -2)
    flagged, letter_flagged = ink(), ink(first_letter)
    window.view.set_disputed(set())
    assert ink() != flagged  # the flag is what a reader sees there
    assert ink(first_letter) == letter_flagged  # and it leaves the letter alone


def test_adjudicating_lifts_blind_mode_for_the_session_only(qtbot, open_window):
    window = open_window(REVIEW)
    me = window.annotator
    assert window.blind
    window.adjudicate()
    assert window.compare_action.isChecked() and not window.blind
    assert window.workspace.blind_policy  # the team's setting is unchanged
    again = open_window(db="ui.db")  # a restart while working as gold
    assert again.annotator.name == "gold" and again.adjudicator.uuid == me.uuid
