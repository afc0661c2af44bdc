"""What a new user met in the first hour in the window (issue 13, items 14–19 and 21), each
as a story on the real widgets."""

from people import person
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from support import select_with_keyboard, utf16

from annotator.domain.model import Label, new_uuid
from annotator.ui.dialogs.rename_dialog import RenameDialog
from annotator.ui.models.document_list import TITLE
from annotator.ui.plain import tooltip

REVIEW = ("Run Sweetheart Run title image\n"
          "Marchetti is superb. The ending: the keeper was her father.\n"
          "Too long, and the storm scenes repeat.")
LONG_TITLE = "The Extraordinarily Long Title of a Very Patient Film\n\nIt is patient."


def test_titles_stay_readable_at_the_default_size_with_eight_labels(qtbot, open_window):
    window = open_window(LONG_TITLE, REVIEW)
    window.workspace.edit_labels([*window.workspace.labels(),
                                  *(Label(new_uuid(), f"extra {i}", "#888888")
                                    for i in range(4))])
    assert len(window.labels) == 8
    window.resize(1280, 800)
    qtbot.wait(50)
    table = window.document_panel.table
    title = table.visualRect(window.documents.index(0, TITLE))
    assert title.width() >= table.fontMetrics().averageCharWidth() * 25
    assert not table.horizontalScrollBar().isVisible()
    spans = window.documents.spans_column  # the counts per label: in its tooltip
    assert not table.isColumnHidden(spans)
    window.workspace.add_span(window.documents.ids[0], window.labels[1].uuid, 0, 3)
    assert window.documents.index(0, spans).data(Qt.ItemDataRole.ToolTipRole) == tooltip(
        "praise 1")
    window.document_panel.label_columns_action.trigger()  # or a column per label, if wanted
    assert not table.isColumnHidden(window.documents.label_column(window.labels[0].uuid))


def test_the_title_column_can_be_dragged_narrower_and_stays_so(qtbot, open_window):
    window = open_window(LONG_TITLE)
    table = window.document_panel.table
    header = table.horizontalHeader()
    wide = header.sectionSize(TITLE)
    border = header.sectionViewportPosition(TITLE) + wide - 1
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(border, 5))
    qtbot.mouseMove(header.viewport(), QPoint(border - 60, 5))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton,
                       pos=QPoint(border - 60, 5))
    assert header.sectionSize(TITLE) < wide - 40
    window.resize(window.width() + 100, window.height())
    qtbot.wait(20)
    assert header.sectionSize(TITLE) < wide - 40  # the user's width stands


def test_scraped_alt_text_is_not_taken_for_the_title(qtbot, open_window):
    window = open_window(REVIEW)
    assert window.documents.index(0, TITLE).data() == (
        "Marchetti is superb. The ending: the keeper was her father.")


def test_f2_renames_a_document_undoably_and_in_the_change_log(qtbot, open_window):
    window = open_window(REVIEW)
    doc = window.document_id

    def type_title():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RenameDialog)
        dialog.title.setText("  Run Sweetheart   Run ")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, type_title)
    qtbot.keyClick(window.document_panel.table, Qt.Key.Key_F2)
    assert window.workspace.document(doc).title == "Run Sweetheart Run"
    assert window.documents.index(0, TITLE).data() == "Run Sweetheart Run"
    [entry] = [e for e in window.workspace.change_log() if e["entity"] == "document"
               and e["action"] == "update"]
    assert entry["data"]["after"] == {"title": "Run Sweetheart Run"}
    assert window.undo.undo_text() == "rename document"
    window.undo.undo()
    assert window.documents.index(0, TITLE).data().startswith("Marchetti is superb")


def with_disagreement(window, text=REVIEW):
    """ben and mira disagree on the open review: a spoiler only ben marked."""
    doc = window.document_id
    for name, phrases in (("ben", ("Marchetti is superb", "the keeper was her father")),
                          ("mira", ("Marchetti is superb",))):
        with person(window.workspace, name) as someone:
            praise, spoiler = someone.labels()[1], someone.labels()[0]
            for phrase in phrases:
                label = praise if phrase.startswith("Marchetti") else spoiler
                start = text.index(phrase)
                someone.add_span(doc, label.uuid, start, start + len(phrase))


def test_f8_shows_the_disagreement_in_the_text_and_the_span_table(qtbot, open_window):
    window = open_window(REVIEW)
    with_disagreement(window)
    window.adjudicate()
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, Qt.Key.Key_F8)
    span = window.view.others[window.view.current_other]
    assert span.text == "the keeper was her father"
    assert window.span_panel.selected_uuids() == [span.uuid]
    assert window.view.cursor_position() == span.start


def test_ctrl_enter_as_gold_goes_to_the_next_document_with_disagreements(qtbot, open_window):
    window = open_window("A first review, nobody annotated.", REVIEW, "Nobody read this one.")
    first, second, third = window.documents.ids
    window.open_document(second)
    with_disagreement(window)
    window.open_document(third)
    window.adjudicate()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.document_id == second  # wrapping round, past the one nobody annotated
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "No other document has disagreements" in window.statusBar().currentMessage()


def test_the_spoiler_shield_hides_the_spoilers_on_screen_and_says_whose(qtbot, open_window):
    window = open_window(REVIEW)
    with_disagreement(window)
    window.show_in_compare(window.document_id)
    window.spoiler_shield()
    shield = window.shield
    assert "keeper" not in shield.browser.toPlainText()
    assert shield.summary.text() == "1 spoiler hidden (marked by ben)"
    shield.close()


def test_identical_spans_of_two_annotators_show_as_two_outlines(qtbot, open_window):
    text = "Marchetti is superb."
    window = open_window(text)
    for name in ("ben", "mira"):
        with person(window.workspace, name) as someone:
            someone.add_span(window.document_id, someone.labels()[1].uuid, 0, 9)
    window.show_in_compare(window.document_id)
    view = window.view

    def picture():
        view.viewport().repaint()
        return view.viewport().grab().toImage()
    both = picture()
    ben = next(s for s in view.others.values() if window._names()[s.annotator_uuid] == "ben")
    view.set_others([ben], window._names())
    assert picture() != both  # mira's outline is a second one, not drawn over ben's


def test_status_bar_hints_fit_and_counts_read_as_words(qtbot, open_window):
    window = open_window(REVIEW)
    window.resize(1280, 800)
    text = window.text
    select_with_keyboard(qtbot, window.view, text, "the keeper was her father")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.spans_label.text() == "1 span"
    message = window.statusBar().currentMessage()
    assert "Shift+Alt+arrows edges" in message
    bar = window.statusBar()
    room = bar.width() - sum(w.width() for w in (window.who_label, window.progress_label,
                                                 window.spans_label, window.saved_label))
    assert bar.fontMetrics().horizontalAdvance(message) < room


def test_span_table_headers_are_not_cut(qtbot, open_window):
    window = open_window(REVIEW)
    header = window.span_panel.table.horizontalHeader()
    model = window.span_panel.model
    for column in (0, 2, 3, 4):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title) + 12


def test_a_moved_cursor_leaves_the_disagreement_stepped_to(qtbot, open_window):
    window = open_window(REVIEW)
    with_disagreement(window)
    window.show_in_compare(window.document_id)
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, Qt.Key.Key_F8)
    assert window.view.current_other is not None
    cursor = window.view.textCursor()
    cursor.setPosition(utf16(REVIEW, len(REVIEW) - 2))
    window.view.setTextCursor(cursor)
    assert window.view.current_other is None

