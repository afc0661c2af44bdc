"""What a new user sees on the first launch."""

from annotator.ui.app import make_app, open_window


def test_first_launch_shows_samples_and_the_four_labels(qtbot, tmp_path, open_workspace):
    make_app([])
    window = open_window(open_workspace(tmp_path / "first.db"))
    qtbot.addWidget(window)
    window.show()
    assert window.documents.rowCount() == 10
    assert window.view.toPlainText().startswith("The Lighthouse Accountant")
    buttons = {name: action.shortcut().toString() for name, action in
               window.label_actions.items()}
    assert buttons == {"spoiler": "1", "praise": "2", "criticism": "3", "plot-hole": "4"}
    assert not window.windowIcon().isNull()
