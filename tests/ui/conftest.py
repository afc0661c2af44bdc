"""A real main window over a database in a temporary folder."""

import pytest
from PySide6.QtCore import QSettings

from annotator.ui.app import make_app
from annotator.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts with no remembered choices (zoom, import options, snapping)."""
    make_app([])
    QSettings().clear()


@pytest.fixture
def open_window(qtbot, tmp_path, open_workspace):
    """open_window(*texts) -> a shown MainWindow on a database holding those reviews."""
    windows = []

    def make(*texts, db="ui.db"):
        make_app([])
        workspace = open_workspace(tmp_path / db)
        if texts and not workspace.count_documents():
            inbox = tmp_path / f"inbox-{db}"
            inbox.mkdir()
            for i, text in enumerate(texts):
                (inbox / f"{i:02}.txt").write_text(text, encoding="utf-8", newline="")
            workspace.import_paths([inbox])
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        # The summary dialog would wait for a click: keep the reports for the test instead.
        window.import_reports = []
        window.show_import_summary = window.import_reports.append
        with qtbot.waitActive(window):  # shortcuts only fire in the active window
            window.show()
            window.activateWindow()
        window.view.setFocus()
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.runner.wait()
