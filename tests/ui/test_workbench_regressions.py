"""Edge cases a review of the workbench found: each was a real bug, each test failed first."""

import json
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication
from support import select_with_keyboard, utf16

from annotator.domain.changes import Change
from annotator.domain.errors import DatabaseLocked, DiskFull
from annotator.domain.model import Label, Span
from annotator.ui import main_window
from annotator.ui.models.span_table import SpanTableModel

REVIEW = ("Marchetti is superb. The ending: the keeper was her father.\n"
          "Too long, and the storm scenes repeat.")


def label_phrases(qtbot, window, text, *phrases):
    for phrase in phrases:
        select_with_keyboard(qtbot, window.view, text, phrase)
        qtbot.keyClick(window.view, Qt.Key.Key_1)


def edit_labels(window, labels):
    """As the label dialog's OK does."""
    window._edit(lambda: window.workspace.edit_labels(labels))


def recolour_first_label(window):
    labels = window.workspace.labels()
    edit_labels(window, [replace(labels[0], colour="#123456"), *labels[1:]])


def test_undoing_a_label_edit_keeps_labels_and_spans_imported_since(qtbot, open_window,
                                                                    monkeypatch, tmp_path):
    window = open_window(REVIEW)
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: None)
    recolour_first_label(window)
    record = {"text": "A new review where the twist lands.",
              "annotations": [{"annotator": "kim", "label": "twist", "start": 23, "end": 28}]}
    (tmp_path / "in.jsonl").write_text(json.dumps(record), encoding="utf-8")
    window.import_paths([str(tmp_path / "in.jsonl")])
    window.undo.undo()
    assert window.workspace.labels()[0].colour != "#123456"  # the recolour is undone
    assert "twist" in [lb.name for lb in window.workspace.labels()]
    assert window.workspace.count_spans() == 1
    window.undo.redo()
    assert "twist" in [lb.name for lb in window.workspace.labels()]
    assert window.workspace.count_spans() == 1


def test_the_context_menu_acts_on_the_span_right_clicked(qtbot, open_window, monkeypatch):
    window = open_window(REVIEW)
    label_phrases(qtbot, window, REVIEW, "Marchetti", "storm")
    view = window.view
    view.select_span(next(s for s in view.spans.values() if s.text == "Marchetti"))
    shown = []
    monkeypatch.setattr(view, "popup", lambda menu, position: shown.append(
        [action.text() for action in menu.actions()]))
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16(REVIEW, REVIEW.index("storm") + 2))
    point = view.cursorRect(cursor).center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point)))
    assert shown and "&Delete span" in shown[0]
    assert view.selected_span().text == "storm"


def test_switching_to_a_shorter_document_or_deleting_the_last_one_is_calm(qtbot, open_window,
                                                                          monkeypatch):
    long = "Marchetti is superb and the whole first act is a marvel of pacing.\nMore."
    window = open_window(long, "Dull.")
    label_phrases(qtbot, window, long, "Marchetti is superb and the whole first act")
    window.view.place_cursor(3)  # the span at the very start is selected
    window.step(1)
    assert window.text == "Dull." and window.view.selected is None
    monkeypatch.setattr(main_window, "confirm", lambda *a: True)
    window.delete_document()
    window.step(-1)
    window.delete_document()
    assert window.document_id is None and window.view.selected is None


def test_an_undo_half_of_which_fails_leaves_the_database_as_it_was(qtbot, open_window,
                                                                   monkeypatch):
    window = open_window(REVIEW)
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: None)
    label_phrases(qtbot, window, REVIEW, "keeper")  # first span: also the status moves

    def locked(*args, **kwargs):
        raise DatabaseLocked("the database is in use by another program")
    monkeypatch.setattr(window.workspace.store.statuses, "set", locked)
    window.undo.undo()
    assert len(window.workspace.spans(window.document_id)) == len(window.view.spans) == 1


def test_an_edited_span_moves_to_its_place_in_a_sorted_table(qtbot):
    labels = [Label("a", "alpha", "#111111", position=0),
              Label("b", "beta", "#222222", position=1),
              Label("c", "gamma", "#333333", position=2)]
    model = SpanTableModel()
    model.set_context(labels, {}, "me")
    spans = [Span(u, 1, "me", lab, s, s + 5, "x" * 5)
             for u, s, lab in (("s1", 0, "a"), ("s2", 10, "b"), ("s3", 20, "c"))]
    model.set_spans(spans)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.apply(Change(1, added=(replace(spans[0], label_uuid="c"),), removed=(spans[0],)))
    model.apply(Change(1, added=(Span("s4", 1, "me", "a", 30, 35, "x" * 5),)))
    assert model.uuids == ["s4", "s2", "s1", "s3"]


def test_the_list_follows_a_document_the_filter_hides(qtbot, open_window):
    a_text, b_text = "Storm scenes repeat and repeat.", "Marchetti is superb."
    window = open_window(a_text, b_text)
    a_id, b_id = window.documents.ids
    window.open_document(b_id)
    label_phrases(qtbot, window, b_text, "Marchetti")
    window.open_document(a_id)
    panel = window.document_panel
    panel.filter_box.setText("storm")
    panel.apply_filter()
    window.undo.undo()  # an undo elsewhere takes the window to b, hidden by the filter
    assert window.document_id == b_id and not panel.table.selectionModel().hasSelection()
    rect = panel.table.visualRect(window.documents.index(0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.document_id == a_id


def test_ctrl_click_selects_several_rows_of_the_span_table(qtbot, open_window):
    window = open_window(REVIEW)
    label_phrases(qtbot, window, REVIEW, "the keeper was her father", "keeper", "storm")
    table = window.span_panel.table

    def click(row, modifier=Qt.KeyboardModifier.NoModifier):
        rect = table.visualRect(window.span_panel.model.index(row, 1))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    click(2)
    click(0, Qt.KeyboardModifier.ControlModifier)
    assert len(table.selectionModel().selectedRows()) == 2
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [s.text for s in window.workspace.spans(window.document_id)] == ["keeper"]


def test_a_label_edit_keeps_the_reader_where_they_were(qtbot, open_window):
    long = "\n".join(f"Line {i} of a long review." for i in range(400))
    window = open_window(long, "Other.")
    window.view.place_cursor(long.index("Line 350 "))
    window.view.centerCursor()
    here = window.view.state()
    recolour_first_label(window)
    assert window.view.state() == here


def test_clicking_the_right_half_of_a_one_emoji_span_selects_it(qtbot, open_window):
    text = "Loved it \U0001F44D and more words here."
    window = open_window(text)
    view = window.view
    start = text.index("\U0001F44D")
    view.select_range(start, start + 1)
    qtbot.keyClick(view, Qt.Key.Key_1)
    [span] = window.workspace.spans(window.document_id)
    view.place_cursor(0)
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16(text, span.start))
    left = view.cursorRect(cursor)
    cursor.setPosition(utf16(text, span.end))
    right = view.cursorRect(cursor)
    x = int(left.center().x() + (right.center().x() - left.center().x()) * 0.75)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, left.center().y()))
    assert view.selected == span.uuid


def test_removing_the_samples_keeps_my_own_document_open(qtbot, open_window, monkeypatch,
                                                         tmp_path):
    from annotator.services.importing import ImportOptions

    window = open_window("Own one.", "Own two.")
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "s.txt").write_text("A sample review.", encoding="utf-8")
    window.workspace.import_paths([samples], ImportOptions(sample=True))
    mine = window.documents.ids[1]
    window.open_document(mine)
    monkeypatch.setattr(main_window, "confirm", lambda *a: True)
    window.remove_samples()
    assert window.document_id == mine


def test_a_relabel_that_hides_the_row_keeps_the_same_span_selected(qtbot, open_window):
    window = open_window(REVIEW)
    label_phrases(qtbot, window, REVIEW, "Marchetti", "superb", "storm")
    panel = window.span_panel
    panel.label_filter.setCurrentIndex(panel.label_filter.findText(window.labels[0].name))
    window.view.select_span(next(s for s in window.view.spans.values() if s.text == "superb"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # relabel: the row leaves the filtered table
    assert window.view.selected_span().text == "superb"
    assert window.view.selected_span().label_uuid == window.labels[1].uuid
    assert panel.model.rowCount() == 2 and panel.selected_uuids() == []


def test_moving_an_edge_past_another_span_keeps_the_moved_span_selected(qtbot, open_window):
    window = open_window(REVIEW)
    label_phrases(qtbot, window, REVIEW, "Marchetti is superb", "is")
    window.view.select_span(next(s for s in window.view.spans.values()
                                 if s.text.startswith("Marchetti")))
    window.move_edge("start", 1)  # now starts after "is": its row moves below it
    assert window.view.selected_span().text == "is superb"
    assert window.span_panel.selected_uuids() == [window.view.selected]


def import_record(window, tmp_path, label, start, end, text="A new review where the twist lands."):
    record = {"text": text,
              "annotations": [{"annotator": "kim", "label": label, "start": start, "end": end}]}
    path = tmp_path / f"in-{label}.jsonl"
    path.write_text(json.dumps(record), encoding="utf-8")
    window.import_paths([str(path)])


def test_a_label_edit_undone_again_after_an_import_is_still_undone(
        qtbot, open_window, monkeypatch, tmp_path):
    window = open_window(REVIEW)
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: None)
    recolour_first_label(window)
    import_record(window, tmp_path, "twist", 23, 28)
    window.undo.undo()
    window.undo.redo()
    window.undo.undo()
    assert window.workspace.labels()[0].colour != "#123456"
    assert "twist" in [lb.name for lb in window.workspace.labels()]
    assert window.undo.can_redo()  # the command is still there, not dropped as failed


def test_spans_given_a_new_label_come_back_when_its_adding_is_redone(
        qtbot, open_window, monkeypatch, tmp_path):
    window = open_window(REVIEW)
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: None)
    labels = window.workspace.labels()
    edit_labels(window, [*labels, Label("twist-uuid", "twist", "#123456")])
    import_record(window, tmp_path, "twist", 23, 28)  # kim's span goes to the new label
    window.undo.undo()  # undoes the label's adding (the import is not undoable)
    assert "twist" not in [lb.name for lb in window.workspace.labels()]
    window.undo.redo()
    assert window.workspace.count_spans() == 1


def test_a_deleted_label_comes_back_renamed_when_an_import_took_its_name(
        qtbot, open_window, monkeypatch, tmp_path):
    window = open_window(REVIEW)
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: None)
    label_phrases(qtbot, window, REVIEW, "Marchetti")  # key 1: the first label
    first, *rest = window.workspace.labels()
    edit_labels(window, rest)
    assert window.workspace.count_spans() == 0
    import_record(window, tmp_path, first.name, 23, 28)
    window.undo.undo()
    names = [lb.name for lb in window.workspace.labels()]
    assert first.name in names and f"{first.name} (restored)" in names
    assert window.workspace.count_spans() == 2  # mine under the old label, kim's under the new
    window.undo.redo()
    assert f"{first.name} (restored)" not in [lb.name for lb in window.workspace.labels()]
    assert window.workspace.count_spans() == 1


def test_the_menu_key_offers_labels_for_the_selected_text(qtbot, open_window, monkeypatch):
    window = open_window(REVIEW)
    view = window.view
    shown = []
    monkeypatch.setattr(view, "popup", lambda menu, position: shown.append(
        [action.text() for action in menu.actions() if action.text()]))
    select_with_keyboard(qtbot, view, REVIEW, "Marchetti")
    point = view.cursorRect().center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, point, view.viewport().mapToGlobal(point)))
    assert view.selection_range() == (0, len("Marchetti"))
    assert any(window.labels[0].name in text for text in shown[0])


def test_deleting_several_spans_is_all_or_nothing(qtbot, open_window, monkeypatch):
    window = open_window(REVIEW)
    label_phrases(qtbot, window, REVIEW, "Marchetti", "superb", "storm")
    shown = []
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: shown.append(a))
    spans = window.workspace.store.spans
    real, calls = spans.delete, []

    def second_fails(*args):
        calls.append(args)
        if len(calls) == 2:
            raise DiskFull("the disk is full")
        return real(*args)
    monkeypatch.setattr(spans, "delete", second_fails)
    steps = window.undo.count()
    window.delete_spans(list(window.view.spans))
    assert shown and window.workspace.count_spans() == 3 and len(window.view.spans) == 3
    assert window.undo.count() == steps
    monkeypatch.setattr(spans, "delete", real)
    window.delete_spans(list(window.view.spans))
    assert window.workspace.count_spans() == 0
    assert window.undo.undo_text() == "delete 3 spans"
    window.undo.undo()
    assert window.workspace.count_spans() == 3 and len(window.view.spans) == 3


def test_a_click_at_a_line_wrap_hits_the_character_under_the_pointer(qtbot, open_window):
    text = "Marchetti plays the keeper with a stillness that makes the storm feel loud. " * 6
    window = open_window(text)
    view = window.view
    block = view.document().firstBlock()
    layout = block.layout()
    assert layout.lineCount() > 2
    top = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
    for number in range(3):
        line = layout.lineAt(number)
        y = int(top + line.y() + line.height() / 2)
        for i in range(line.textStart(), line.textStart() + line.textLength()):
            left, right = line.cursorToX(i)[0], line.cursorToX(i + 1)[0]
            for x in (int(left) + 1, int(right) - 1):  # both halves of each character
                assert view.char_at(QPoint(x, y)) == i
        # Right of a wrapped line's end: its last space, not the next line's first letter.
        last = line.textStart() + line.textLength() - 1
        assert view.char_at(QPoint(view.viewport().width() - 2, y)) == last
