"""The label set editor through its real widgets, and its undoable command."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
)

from annotator.domain.model import Label
from annotator.ui.dialogs import label_dialog
from annotator.ui.dialogs.label_dialog import LabelDialog
from annotator.ui.events import ChangeBus

LABELS = [
    Label("u-spoiler", "spoiler", "#D55E00", "1", "Reveals the plot.", 0),
    Label("u-praise", "praise", "#009E73", "2", "Says something is good.", 1),
    Label("u-criticism", "criticism", "#0072B2", "3", "", 2),
]
COUNTS = {"u-spoiler": 0, "u-praise": 12, "u-criticism": 1}


@pytest.fixture
def dialog(qtbot):
    made = LabelDialog(LABELS, COUNTS)
    qtbot.addWidget(made)
    made.show()
    return made


def find(dialog, kind, name):
    widget = dialog.findChild(kind, name)
    assert widget is not None, name
    return widget


def click(qtbot, dialog, name):
    qtbot.mouseClick(find(dialog, QPushButton, name), Qt.MouseButton.LeftButton)


def ok_button(dialog):
    return find(dialog, QDialogButtonBox, "buttons").button(QDialogButtonBox.StandardButton.Ok)


def select(dialog, name):
    label_list = find(dialog, QListWidget, "labelList")
    [item] = label_list.findItems(name, Qt.MatchFlag.MatchStartsWith)
    label_list.setCurrentItem(item)


def shown_names(dialog):
    label_list = find(dialog, QListWidget, "labelList")
    return [label_list.item(i).text() for i in range(label_list.count())]


def test_rename_in_the_name_field_and_ok_returns_the_renamed_set(qtbot):
    def edit():
        dialog = QApplication.activeModalWidget()
        select(dialog, "praise")
        name = find(dialog, QLineEdit, "labelName")
        name.selectAll()
        qtbot.keyClicks(name, "acclaim")
        assert shown_names(dialog)[1] == "acclaim (2)"
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, edit)
    result = LabelDialog.ask(None, LABELS, COUNTS)
    assert [label.name for label in result] == ["spoiler", "acclaim", "criticism"]
    assert result[1].uuid == "u-praise" and result[1].colour == "#009E73"


def test_cancel_or_no_change_gives_none(qtbot):
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert LabelDialog.ask(None, LABELS, COUNTS) is None
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().accept())
    assert LabelDialog.ask(None, LABELS, COUNTS) is None


def test_deleting_a_label_with_spans_asks_with_the_count_and_no_keeps_it(qtbot, dialog,
                                                                           monkeypatch):
    asked = []
    monkeypatch.setattr(label_dialog, "confirm",
                        lambda parent, title, text: asked.append(text) or False)
    select(dialog, "praise")
    click(qtbot, dialog, "deleteLabel")
    assert len(asked) == 1 and "“praise” and its 12 spans" in asked[0]
    assert [label.name for label in dialog.result_labels()] == ["spoiler", "praise", "criticism"]

    monkeypatch.setattr(label_dialog, "confirm", lambda *a: True)
    click(qtbot, dialog, "deleteLabel")
    assert [label.name for label in dialog.result_labels()] == ["spoiler", "criticism"]
    assert shown_names(dialog) == ["spoiler (1)", "criticism (3)"]


def test_one_span_is_counted_in_the_singular(qtbot, dialog, monkeypatch):
    asked = []
    monkeypatch.setattr(label_dialog, "confirm", lambda p, t, text: asked.append(text))
    select(dialog, "criticism")
    click(qtbot, dialog, "deleteLabel")
    assert "“criticism” and its 1 span?" in asked[0]


def test_a_label_without_spans_is_deleted_without_asking(qtbot, dialog, monkeypatch):
    monkeypatch.setattr(label_dialog, "confirm", lambda *a: pytest.fail("asked"))
    select(dialog, "spoiler")
    click(qtbot, dialog, "deleteLabel")
    assert shown_names(dialog) == ["praise (2)", "criticism (3)"]
    assert find(dialog, QLineEdit, "labelName").text() == "praise"  # the next one is shown


def test_a_duplicate_name_disables_ok_and_says_why(qtbot, dialog):
    assert ok_button(dialog).isEnabled()
    select(dialog, "criticism")
    name = find(dialog, QLineEdit, "labelName")
    name.selectAll()
    qtbot.keyClicks(name, " praise")  # the same once spaces are tidied (case would differ)
    problems = find(dialog, QLabel, "labelProblems")
    assert not ok_button(dialog).isEnabled()
    assert "“praise” and “praise” have the same name" in problems.text()
    assert problems.textFormat() == Qt.TextFormat.PlainText
    qtbot.keyClick(name, Qt.Key.Key_Backspace)
    assert ok_button(dialog).isEnabled() and problems.text() == ""


def test_a_taken_key_or_a_bad_colour_disables_ok(qtbot, dialog):
    select(dialog, "criticism")
    key = find(dialog, QComboBox, "labelKey")
    key.setCurrentText("1")
    assert not ok_button(dialog).isEnabled()
    assert "both use the key 1" in find(dialog, QLabel, "labelProblems").text()
    key.setCurrentText("none")
    colour = find(dialog, QLineEdit, "labelColour")
    colour.selectAll()
    qtbot.keyClicks(colour, "#12")
    assert not ok_button(dialog).isEnabled()
    qtbot.keyClicks(colour, "abcd")
    assert ok_button(dialog).isEnabled()
    assert dialog.result_labels()[2].colour == "#12ABCD"
    assert dialog.result_labels()[2].shortcut == ""


def test_move_up_changes_the_order(qtbot, dialog):
    select(dialog, "criticism")
    click(qtbot, dialog, "moveUp")
    assert shown_names(dialog) == ["spoiler (1)", "criticism (3)", "praise (2)"]
    result = dialog.result_labels()
    assert [(label.name, label.position) for label in result] == [
        ("spoiler", 0), ("criticism", 1), ("praise", 2)]
    assert find(dialog, QLineEdit, "labelName").text() == "criticism"  # still selected
    click(qtbot, dialog, "moveUp")
    assert not find(dialog, QPushButton, "moveUp").isEnabled()


def test_a_new_label_gets_its_own_colour_key_and_id(qtbot, dialog):
    click(qtbot, dialog, "addLabel")
    click(qtbot, dialog, "addLabel")
    first, second = dialog.result_labels()[3:]
    assert (first.name, first.shortcut, second.name, second.shortcut) == (
        "new label", "4", "new label 2", "5")
    colours = [label.colour for label in dialog.result_labels()]
    assert len(set(colours)) == 5 and first.uuid != second.uuid
    assert ok_button(dialog).isEnabled()
    name = find(dialog, QLineEdit, "labelName")
    assert name.hasSelectedText()  # typing replaces the placeholder name
    qtbot.keyClicks(name, "pacing")
    assert dialog.result_labels()[4].name == "pacing"


def test_choose_colour_and_guideline_and_plain_text_names(qtbot, dialog, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(lambda *a: QColor("#56b4e9")))
    select(dialog, "spoiler")
    click(qtbot, dialog, "chooseColour")
    assert find(dialog, QLineEdit, "labelColour").text() == "#56B4E9"
    find(dialog, QPlainTextEdit, "labelDescription").setPlainText("Twists <b>and</b> endings.")
    find(dialog, QLineEdit, "labelName").setText("<i>Spoiler</i> ünd ネタバレ")
    assert shown_names(dialog)[0] == "<i>Spoiler</i> ünd ネタバレ (1)"
    first = dialog.result_labels()[0]
    assert (first.name, first.colour, first.description) == (
        "<i>Spoiler</i> ünd ネタバレ", "#56B4E9", "Twists <b>and</b> endings.")


def test_edit_labels_undo_and_redo_through_the_workspace(qtbot, fresh_db, inbox,
                                                         monkeypatch):
    store = fresh_db
    (inbox / "r.txt").write_text("Marchetti is superb. The ending drags.", encoding="utf-8")
    store.import_paths([inbox])
    doc = store.document_ids()[0]
    labels = {label.name: label for label in store.labels()}
    store.add_span(doc, labels["praise"].uuid, 0, 20)
    store.add_span(doc, labels["criticism"].uuid, 21, 38)

    def rows():
        conn = store.store.conn
        return (conn.execute("SELECT * FROM annotations ORDER BY uuid").fetchall(),
                conn.execute("SELECT * FROM labels ORDER BY uuid").fetchall())

    before = rows()
    dialog = LabelDialog(store.labels(), store.span_counts_by_label())
    qtbot.addWidget(dialog)
    monkeypatch.setattr(label_dialog, "confirm", lambda *a: True)
    select(dialog, "criticism")
    find(dialog, QLineEdit, "labelName").setText("praise")  # takes the deleted label's name
    select(dialog, "praise (2)")
    click(qtbot, dialog, "deleteLabel")
    new_set = dialog.result_labels()
    assert [label.name for label in new_set] == ["spoiler", "praise", "plot-hole"]

    bus = ChangeBus(store)
    seen = []
    bus.changed.connect(seen.append)
    store.edit_labels(new_set)
    after = rows()
    assert [s.text for s in store.spans(doc)] == ["The ending drags."]
    assert store.spans(doc)[0].label_uuid == labels["criticism"].uuid
    assert [label.name for label in store.labels()] == ["spoiler", "praise", "plot-hole"]
    assert store.history.undo_text == "edit labels"
    assert seen[-1].labels_changed and [s.text for s in seen[-1].removed] == [
        "Marchetti is superb."]

    store.undo()
    assert rows() == before
    assert [s.text for s in seen[-1].added] == ["Marchetti is superb."]
    store.redo()
    assert rows() == after
    store.undo()
    assert rows() == before
