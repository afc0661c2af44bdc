"""The guidelines beside the document, and the lead writing a new version of them."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget
from team_support import modal

from annotator.ui.dialogs.guidelines_dialog import GuidelinesDialog
from annotator.ui.views.guidelines_panel import NONE_YET, GuidelinesView

HOSTILE = ('# Rules\n\n<img src="file:///etc/passwd"> is <b>not</b> bold.\n\n'
           '![x](http://example.com/x.png)\n')


def images_in(view: GuidelinesView) -> int:
    count, block = 0, view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            count += it.fragment().charFormat().isImageFormat()
            it += 1
        block = block.next()
    return count


def test_the_guidelines_dock_sits_beside_the_document_and_toggles_from_view(open_window):
    window = open_window("A review.")
    dock = window.findChild(QDockWidget, "guidelinesDock")
    assert dock is not None and dock.windowTitle() == "Guidelines"
    assert dock in window.tabifiedDockWidgets(window.spans_dock)  # with Suggestions too
    assert window.team.panel.view.toPlainText() == NONE_YET  # none written yet
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert dock.toggleViewAction() in view_menu.actions()
    dock.toggleViewAction().trigger()
    assert dock.isHidden()


def test_hostile_guidelines_load_nothing_and_show_html_as_typed(open_window):
    window = open_window("A review.")
    window.workspace.set_guidelines(HOSTILE)  # its Change refreshes the panel
    view = window.team.panel.view
    view.grab()  # painted: nothing asked for while drawing either
    text = view.toPlainText()
    assert '<img src="file:///etc/passwd">' in text and "<b>not</b>" in text
    assert "[image not shown: http://example.com/x.png]" in text
    assert images_in(view) == 0
    # Qt may ask while laying out the Markdown's image, before it becomes words: refused.
    assert set(view.asked_for) <= {"http://example.com/x.png"}
    assert window.team.panel.version_label.text() == "Version 1"


def test_the_lead_writes_a_new_version_with_a_live_preview(open_window, qtbot):
    window = open_window("A review.")
    window.workspace.set_guidelines("Old rules.")
    seen = {}

    def write() -> None:
        dialog = modal()
        assert isinstance(dialog, GuidelinesDialog)
        assert "saving makes version 2" in dialog.version.text()
        dialog.editor.selectAll()
        qtbot.keyClicks(dialog.editor, "Mark **spoilers** <i>only</i>")
        qtbot.waitUntil(lambda: "spoilers" in dialog.preview.toPlainText())
        seen["preview"] = dialog.preview.toPlainText()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, write)
    window.team.guidelines_action.trigger()
    assert seen["preview"] == "Mark spoilers <i>only</i>"
    assert window.workspace.guidelines() == (2, "Mark **spoilers** <i>only</i>")
    assert window.team.panel.version_label.text() == "Version 2"
    assert "<i>only</i>" in window.team.panel.view.toPlainText()


def test_unchanged_or_empty_guidelines_cannot_be_saved(qtbot):
    dialog = GuidelinesDialog((4, "Same."))
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    dialog.editor.selectAll()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Delete)
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.editor, "New.")
    assert dialog.save_button.isEnabled()
