"""Stories of the workbench: snapping, relabelling, edges, notes, overlaps, the span table,
blind and compare modes, zoom, and coming back to where you were."""

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPlainTextEdit
from pytestqt.modeltest import ModelTester
from support import (
    background_at,
    click_at,
    fail_to_save,
    label_colour,
    select_with_keyboard,
    utf16,
)

REVIEW = ("Marchetti is superb. The ending: the keeper was her father.\n"
          "Too long, and the storm scenes repeat.")


def label(window, name):
    return next(lb for lb in window.labels if lb.name == name)


def make_span(qtbot, window, phrase, key=Qt.Key.Key_1, text=REVIEW):
    select_with_keyboard(qtbot, window.view, text, phrase)
    qtbot.keyClick(window.view, key)
    return next(s for s in window.workspace.spans(window.document_id)
                if text[s.start:s.end].startswith(phrase.strip()[:3]))


def test_a_partial_selection_snaps_to_whole_words(qtbot, open_window):
    window = open_window(REVIEW)
    select_with_keyboard(qtbot, window.view, REVIEW, "eeper wa")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    [span] = window.workspace.spans(window.document_id)
    assert span.text == "keeper was"


def test_with_snapping_off_the_exact_characters_are_labelled(qtbot, open_window):
    window = open_window(REVIEW)
    window.snap_action.trigger()
    assert not window.snap
    select_with_keyboard(qtbot, window.view, REVIEW, "eeper wa")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert [s.text for s in window.workspace.spans(window.document_id)] == ["eeper wa"]
    window.snap_action.trigger()  # settings are per user: leave it as found


def test_dragging_with_alt_held_keeps_exact_characters(qtbot, open_window):
    window = open_window(REVIEW)
    view = window.view
    start, end = REVIEW.index("eeper"), REVIEW.index("eeper") + 5
    rects = []
    for pos in (start, end):
        cursor = view.textCursor()
        cursor.setPosition(utf16(REVIEW, pos))
        rects.append(view.cursorRect(cursor).center())
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, alt, rects[0])
    qtbot.mouseMove(view.viewport(), rects[1])
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, alt, rects[1])
    assert view.selection_range() == (start, end)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert [s.text for s in window.workspace.spans(window.document_id)] == ["eeper"]


def test_a_label_key_on_a_selected_span_relabels_it_and_undo_restores(qtbot, open_window):
    window = open_window(REVIEW)
    span = make_span(qtbot, window, "the keeper was her father")
    before = window.workspace.store.conn.execute("SELECT * FROM annotations").fetchall()
    click_at(qtbot, window.view, REVIEW, REVIEW.index("keeper"))
    assert window.view.selected_span().uuid == span.uuid
    qtbot.keyClick(window.view, Qt.Key.Key_4)
    [relabelled] = window.workspace.spans(window.document_id)
    assert relabelled.uuid == span.uuid and relabelled.label_uuid == label(window, "plot-hole").uuid
    assert background_at(window.view, REVIEW, REVIEW.index("keeper")) == background_at(
        window.view, REVIEW, REVIEW.index("keeper")) != QColor()
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert edit_menu.actions()[0].text() == "&Undo relabel span as plot-hole"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.store.conn.execute("SELECT * FROM annotations").fetchall() == before


def test_shift_alt_arrows_move_the_edges_of_the_selected_span(qtbot, open_window):
    window = open_window(REVIEW)
    span = make_span(qtbot, window, "keeper was")
    assert window.view.selected_span().uuid == span.uuid  # a new span is selected at once
    shift_alt = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(window.view, Qt.Key.Key_Right, shift_alt)
    assert window.workspace.span(span.uuid).text == "keeper was her"
    qtbot.keyClick(window.view, Qt.Key.Key_Up, shift_alt)
    assert window.workspace.span(span.uuid).text == "the keeper was her"
    qtbot.keyClick(window.view, Qt.Key.Key_Down, shift_alt)
    qtbot.keyClick(window.view, Qt.Key.Key_Left, shift_alt)
    assert window.workspace.span(span.uuid).text == "keeper was"
    assert window.view.spans[span.uuid].text == "keeper was"
    assert window.undo.count() == 5
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.span(span.uuid).text == "keeper was her"


def answer_note_dialog(qtbot, typed: str) -> None:
    """When the note editor opens, type into it and click Save, like a user."""
    def fill():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        editor = dialog.findChild(QPlainTextEdit, "noteEditor")
        editor.selectAll()
        qtbot.keyClicks(editor, typed)
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, fill)


def test_n_opens_the_note_editor_and_the_note_is_saved_and_shown(qtbot, open_window):
    window = open_window(REVIEW)
    span = make_span(qtbot, window, "Too long")
    answer_note_dialog(qtbot, "Pacing, not plot")
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    assert window.workspace.span(span.uuid).note == "Pacing, not plot"
    tip = window.view.tooltip_at(REVIEW.index("Too long"))
    assert "Pacing, not plot" in tip and "spoiler" in tip
    assert window.undo.undo_text() == "edit note"
    notes = window.span_panel.model.index(0, 3).data()
    assert notes == "Pacing, not plot"


def test_overlapping_spans_get_separate_lanes_painted_in_their_colours(qtbot, open_window):
    window = open_window(REVIEW)
    view = window.view
    outer = make_span(qtbot, window, "The ending: the keeper was her father", Qt.Key.Key_1)
    inner = make_span(qtbot, window, "her father", Qt.Key.Key_4)
    assert {view.lane_of[outer.uuid], view.lane_of[inner.uuid]} == {0, 1}
    cursor = view.textCursor()
    cursor.setPosition(utf16(REVIEW, REVIEW.index("father") + 2))
    rect = view.cursorRect(cursor)
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    line = window.view.fontMetrics().height()
    column = [image.pixelColor(int(rect.center().x() * ratio), int(y * ratio)).name()
              for y in range(rect.top() - line // 2, rect.bottom() + line // 2)]
    assert label_colour(window, "spoiler").name() in column
    assert label_colour(window, "plot-hole").name() in column


def test_repeated_clicks_cycle_through_overlapping_spans(qtbot, open_window):
    window = open_window(REVIEW)
    outer = make_span(qtbot, window, "The ending: the keeper was her father", Qt.Key.Key_1)
    inner = make_span(qtbot, window, "her father", Qt.Key.Key_4)
    where = REVIEW.index("father") + 1
    click_at(qtbot, window.view, REVIEW, where)
    first = window.view.selected_span().uuid
    click_at(qtbot, window.view, REVIEW, where)
    second = window.view.selected_span().uuid
    click_at(qtbot, window.view, REVIEW, where)
    assert (first, second) == (inner.uuid, outer.uuid)
    assert window.view.selected_span().uuid == inner.uuid


def test_span_table_lists_filters_selects_and_deletes(qtbot, open_window):
    window = open_window(REVIEW)
    critic = make_span(qtbot, window, "Too long", Qt.Key.Key_3)
    praise = make_span(qtbot, window, "Marchetti is superb", Qt.Key.Key_2)
    panel = window.span_panel
    ModelTester(qtbot).check(panel.model, force_py=True)
    # a new span takes its place in text order, not the end of the table
    assert [panel.model.index(r, 1).data() for r in range(2)] == ["Marchetti is superb",
                                                                  "Too long"]
    panel.label_filter.setCurrentIndex(panel.label_filter.findText("criticism"))
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 1).data() == "Too long"
    ModelTester(qtbot).check(panel.model, force_py=True)
    spoiler = make_span(qtbot, window, "the keeper", Qt.Key.Key_1)  # not a criticism
    assert panel.model.rowCount() == 1
    window.undo.undo()
    assert spoiler.uuid not in panel.model.spans
    panel.label_filter.setCurrentIndex(0)

    row = next(r for r in range(2) if panel.model.index(r, 1).data() == "Marchetti is superb")
    rect = panel.table.visualRect(panel.model.index(row, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.selected_span().uuid == praise.uuid
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert [s.uuid for s in window.workspace.spans(window.document_id)] == [critic.uuid]
    assert panel.model.rowCount() == 1
    ModelTester(qtbot).check(panel.model, force_py=True)


def test_blind_by_default_compare_shows_others_outlined_with_their_names(qtbot, open_window):
    window = open_window(REVIEW)
    first = window.annotator.name
    theirs = make_span(qtbot, window, "Marchetti is superb", Qt.Key.Key_2)
    window.switch_annotator("kofi")
    assert window.view.spans == {} and window.view.others == {}
    assert not window.compare_action.isEnabled()  # blind annotation is on by default

    window.blind_action.trigger()
    assert not window.workspace.blind_policy
    window.compare_action.trigger()
    assert list(window.view.others) == [theirs.uuid]
    assert first in window.view.tooltip_at(REVIEW.index("superb"))
    assert background_at(window.view, REVIEW, 0) is None  # outlined, not filled
    assert window.span_panel.model.rowCount() == 1

    click_at(qtbot, window.view, REVIEW, 2)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert window.workspace.span(theirs.uuid) is not None  # not mine to delete

    window.blind_action.trigger()  # blind again hides them
    assert not window.compare_action.isChecked() and window.view.others == {}


def test_zoom_keys_change_the_text_size_and_it_is_remembered(qtbot, open_window):
    window = open_window(REVIEW)
    size = window.view.font().pointSizeF()
    qtbot.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    bigger = window.view.font().pointSizeF()
    assert bigger > size
    window.close()
    again = open_window(db="ui.db")
    assert again.view.font().pointSizeF() == bigger
    qtbot.keyClick(again.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.view.font().pointSizeF() == size


def test_switching_documents_and_back_keeps_scroll_and_selection(qtbot, open_window):
    long_review = "\n\n".join(f"Paragraph {i} about the film." for i in range(200))
    window = open_window(long_review, "A short second review.")
    window.open_document(window.documents.ids[0])
    bar = window.view.verticalScrollBar()
    window.view.select_range(10, 20)  # selecting scrolls to the selection: scroll after
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.document_id == window.documents.ids[1]
    qtbot.keyClick(window.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.view.selection_range() == (10, 20)
    assert bar.value() == scrolled > 0


def test_renaming_a_label_keeps_its_spans_and_undo_renames_back(qtbot, open_window,
                                                               monkeypatch):
    from dataclasses import replace

    from annotator.ui.dialogs import label_dialog

    window = open_window(REVIEW)
    span = make_span(qtbot, window, "Too long", Qt.Key.Key_3)
    renamed = [replace(lb, name="pacing") if lb.name == "criticism" else lb
               for lb in window.labels]
    monkeypatch.setattr(label_dialog.LabelDialog, "ask", classmethod(
        lambda cls, parent, labels, counts: renamed))
    window.edit_labels_action.trigger()
    assert "pacing" in window.label_actions and "criticism" not in window.label_actions
    assert window.workspace.span(span.uuid).label_uuid == span.label_uuid
    assert window.span_panel.model.index(0, 0).data() == "pacing"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "criticism" in window.label_actions


def test_dropping_files_on_the_window_imports_them(qtbot, open_window, tmp_path):

    window = open_window(REVIEW)
    dropped = tmp_path / "dropped.txt"
    dropped.write_text("A dropped review of Paper Crowns.", encoding="utf-8")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(dropped))])
    # Qt only routes drop events that come from a real drag, so hand them to the window.
    enter = QDragEnterEvent(QPoint(400, 300), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, data,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert window.workspace.count_documents() == 2
    assert window.workspace.document(window.document_id).text.startswith("A dropped review")
    [report] = window.import_reports  # the summary is shown
    assert report.total("documents") == 1


def test_an_undo_that_cannot_be_saved_says_so_and_leaves_the_span(qtbot, open_window,
                                                                  monkeypatch):
    window = open_window(REVIEW)
    span = make_span(qtbot, window, "Too long", Qt.Key.Key_3)
    shown = fail_to_save(monkeypatch, window, "spans", "delete")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown and "database is locked" in shown[0] and "add criticism span" in shown[0]
    assert window.saved_label.text() == "Not saved"
    assert window.workspace.span(span.uuid) == span and span.uuid in window.view.spans
    monkeypatch.undo()  # the other program lets go: the same step can be undone now
    assert window.undo.undo_text() == "add criticism span"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.span(span.uuid) is None and span.uuid not in window.view.spans


def test_the_spoiler_shield_hides_my_spoilers_from_the_window(qtbot, open_window):
    window = open_window(REVIEW)
    make_span(qtbot, window, "the keeper was her father", Qt.Key.Key_1)
    qtbot.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    shield = window.shield  # a child of the window, deleted when closed
    assert "keeper" not in shield.browser.toPlainText()
    assert "Marchetti is superb" in shield.browser.toPlainText()
    shield.close()


def test_label_names_from_files_show_as_text_in_tooltips(qtbot, open_window, monkeypatch):
    from dataclasses import replace

    from annotator.ui.dialogs import label_dialog

    window = open_window(REVIEW)
    odd = [replace(lb, name="<b>loud</b>") if lb.name == "praise" else lb
           for lb in window.labels]
    monkeypatch.setattr(label_dialog.LabelDialog, "ask", classmethod(
        lambda cls, parent, labels, counts: odd))
    window.edit_labels_action.trigger()
    tip = window.label_actions["<b>loud</b>"].toolTip()
    assert "&lt;b&gt;loud&lt;/b&gt;" in tip


def test_a_closed_window_no_longer_follows_the_workspace(qtbot, open_window):
    """The workspace outlives its window (scripts, another window): edits after the window
    is gone still work, and reach nobody."""
    window = open_window(REVIEW)
    workspace, doc = window.workspace, window.document_id
    window.close()
    change = workspace.add_span(doc, window.labels[0].uuid, 0, 9)
    assert window.view.spans == {}  # the closed window's views were not told
    workspace.undo()
    assert change.added[0].text == "Marchetti" and workspace.count_spans() == 0


def test_an_import_that_cannot_open_the_database_says_so(qtbot, open_window, monkeypatch,
                                                         tmp_path):
    from annotator.domain.errors import DatabaseLocked
    from annotator.ui import main_window

    window = open_window(REVIEW)
    shown = []
    monkeypatch.setattr(main_window, "inform", lambda parent, title, text, warning=False:
                        shown.append((title, text)))

    def locked(session):
        raise DatabaseLocked("the database is in use by another program")
    monkeypatch.setattr(window.workspace, "for_thread", locked)
    (tmp_path / "new.txt").write_text("A review.", encoding="utf-8")
    assert window.import_paths([str(tmp_path / "new.txt")]) is None
    assert shown and shown[0][0] == "Not imported" and "in use" in shown[0][1]
