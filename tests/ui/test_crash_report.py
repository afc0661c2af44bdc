"""A bug in a slot: the traceback goes to the crash log, and the user is told where it is and
that the work is saved. Qt's warnings go to a log of their own, never to a dialog."""

import sys

import pytest
from PySide6.QtCore import Qt, qWarning
from PySide6.QtWidgets import QLabel, QPushButton

from annotator.ui import crash


@pytest.fixture
def logs(tmp_path, monkeypatch):
    folder = tmp_path / "logs <here>"  # a path that would read as markup if it were HTML
    monkeypatch.setenv(crash.LOGS_ENV, str(folder))
    return folder


@pytest.fixture
def dialogs(monkeypatch):
    """The crash dialogs that would have been shown (not run: they would wait for a click)."""
    shown = []

    def record(self):
        label = self.findChild(QLabel, "qt_msgbox_label")
        shown.append((label.text(), label.textFormat(), self.detailedText()))
        return 0

    monkeypatch.setattr(crash.CrashDialog, "exec", record)
    return shown


def broken_slot():
    raise ValueError("a bug <b>nobody</b> expected")


@pytest.mark.qt_no_exception_capture  # the app's own excepthook must run, not pytest-qt's
def test_an_exception_in_a_slot_is_logged_and_told(qtbot, logs, dialogs, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", crash.report)
    button = QPushButton("Break")
    qtbot.addWidget(button)
    button.clicked.connect(broken_slot)

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    log = (logs / "crash.log").read_text(encoding="utf-8")
    assert log.startswith("--- ")
    assert "Traceback (most recent call last)" in log
    assert "in broken_slot" in log
    assert "ValueError: a bug <b>nobody</b> expected" in log
    [(text, text_format, details)] = dialogs
    assert str(logs / "crash.log") in text
    assert "Your work is saved" in text
    assert text_format == Qt.TextFormat.PlainText  # the path's "<" reads as typed
    assert "ValueError" in details


@pytest.mark.qt_no_exception_capture
def test_two_crashes_append_to_one_log(qtbot, logs, dialogs, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", crash.report)
    button = QPushButton("Break")
    qtbot.addWidget(button)
    button.clicked.connect(broken_slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    log = (logs / "crash.log").read_text(encoding="utf-8")
    assert log.count("\n--- ") + log.startswith("--- ") == 2
    assert len(dialogs) == 2


def test_a_log_folder_that_cannot_be_made_still_tells(qtbot, tmp_path, dialogs, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(crash.LOGS_ENV, str(blocker / "logs"))
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        crash.report(*sys.exc_info())
    [(text, _, _)] = dialogs
    assert "printed on the terminal" in text


def test_qt_warnings_go_to_the_qt_log_not_a_dialog(qtbot, logs, dialogs):
    qt_log = crash.QtLog()
    qt_log.install()
    try:
        qWarning("a Qt warning <i>here</i>")
    finally:
        qt_log.uninstall()
    text = (logs / "qt.log").read_text(encoding="utf-8")
    assert "WARNING a Qt warning <i>here</i>" in text
    assert not dialogs
    assert not (logs / "crash.log").exists()
