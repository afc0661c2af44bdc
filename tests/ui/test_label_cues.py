"""Writing a label's cues in the label dialog: saved with the label set as one undoable
edit; a regular expression that does not compile is refused, naming the label and line."""

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
)

from annotator.domain.model import Label
from annotator.ui.dialogs.label_dialog import LabelDialog

REVIEW = "Marchetti is superb. It turns out the butler did it."
LABELS = [
    Label("u-spoiler", "spoiler", "#D55E00", "1", "Reveals the plot.", 0),
    Label("u-praise", "praise", "#009E73", "2", "Says something is good.", 1),
    Label("u-criticism", "criticism", "#0072B2", "3", "", 2),
]
COUNTS = {"u-spoiler": 0, "u-praise": 12, "u-criticism": 1}


def find(dialog, kind, name):
    widget = dialog.findChild(kind, name)
    assert widget is not None, name
    return widget


def ok_button(dialog):
    return find(dialog, QDialogButtonBox, "buttons").button(QDialogButtonBox.StandardButton.Ok)


def select(dialog, name):
    label_list = find(dialog, QListWidget, "labelList")
    [item] = label_list.findItems(name, Qt.MatchFlag.MatchStartsWith)
    label_list.setCurrentItem(item)


def type_cues(qtbot, dialog, *lines):
    cues = find(dialog, QPlainTextEdit, "labelCues")
    for i, line in enumerate(lines):
        if i:
            qtbot.keyClick(cues, Qt.Key.Key_Return)
        qtbot.keyClicks(cues, line)
    return cues


def test_cues_typed_in_the_dialog_are_saved_and_ctrl_z_restores_the_old(qtbot, open_window):
    window = open_window(REVIEW)
    workspace = window.workspace
    spoiler = next(lb for lb in workspace.labels() if lb.name == "spoiler")
    workspace.edit_labels([replace(lb, cues="twist") if lb.uuid == spoiler.uuid else lb
                           for lb in workspace.labels()])

    def edit():
        dialog = QApplication.activeModalWidget()
        select(dialog, "spoiler")
        cues = find(dialog, QPlainTextEdit, "labelCues")
        assert cues.toPlainText() == "twist"
        assert "one phrase per line" in cues.placeholderText()
        cues.selectAll()
        type_cues(qtbot, dialog, "turns out", "# endings", "re:dies? (in|at) the end")
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, edit)
    window.edit_labels_action.trigger()
    saved = next(lb for lb in workspace.labels() if lb.uuid == spoiler.uuid)
    assert saved.cues == "turns out\n# endings\nre:dies? (in|at) the end"
    assert saved.cue_lines == ("turns out", "re:dies? (in|at) the end")
    assert workspace.history.undo_text == "edit labels"

    qtbot.waitUntil(lambda: window.findChild(LabelDialog) is None)  # not kept hidden
    with qtbot.waitActive(window):  # as the desktop does when a dialog closes
        window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = next(lb for lb in workspace.labels() if lb.uuid == spoiler.uuid)
    assert restored.cues == "twist"


def test_a_bad_regular_expression_is_refused_naming_label_and_line(qtbot):
    dialog = LabelDialog(LABELS, COUNTS)
    qtbot.addWidget(dialog)
    dialog.show()
    select(dialog, "praise")
    cues = type_cues(qtbot, dialog, "superb", "", "re:(a masterpiece")
    problems = find(dialog, QLabel, "labelProblems")
    assert not ok_button(dialog).isEnabled()
    assert "“praise”, cue line 3: missing )" in problems.text()
    assert problems.textFormat() == Qt.TextFormat.PlainText
    dialog.accept()  # however it is asked to, it does not save
    assert dialog.isVisible() and dialog.result() != LabelDialog.DialogCode.Accepted

    qtbot.keyClick(cues, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(cues, ")")
    assert ok_button(dialog).isEnabled() and problems.text() == ""
    assert dialog.result_labels()[1].cues == "superb\n\nre:(a masterpiece)"
    assert dialog.result_labels()[0].cues == ""  # another label's cues are its own


def test_an_empty_pattern_is_refused_and_the_other_labels_keep_their_cues(qtbot):
    def edit():
        dialog = QApplication.activeModalWidget()
        select(dialog, "criticism")
        type_cues(qtbot, dialog, "re:")
        assert "“criticism”, cue line 1: “re:” needs a regular expression" in find(
            dialog, QLabel, "labelProblems").text()
        qtbot.keyClicks(find(dialog, QPlainTextEdit, "labelCues"), "drags?")
        select(dialog, "spoiler")
        assert find(dialog, QPlainTextEdit, "labelCues").toPlainText() == ""
        find(dialog, QDialogButtonBox, "buttons").accepted.emit()

    QTimer.singleShot(0, edit)
    result = LabelDialog.ask(None, LABELS, COUNTS)
    assert [label.cues for label in result] == ["", "", "re:drags?"]
