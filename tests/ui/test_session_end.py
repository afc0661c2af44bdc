"""When the window closes, the database file alone holds the session's work: someone may
copy only `x.db`, without its `-wal` and `-shm` companions."""

import shutil
import sys

from click.testing import CliRunner
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from support import select_with_keyboard

from annotator.cli import main
from annotator.ui.main_window import MainWindow
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState

REVIEW = "Marchetti is superb. The ending: the keeper was her father."


def test_after_a_window_session_the_db_file_alone_has_every_edit(qtbot, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the app installs its own
    (tmp_path / "r.txt").write_text(REVIEW, encoding="utf-8")
    db = tmp_path / "team.db"
    assert CliRunner().invoke(main, ["--db", str(db), "import", str(tmp_path / "r.txt")]
                              ).exit_code == 0
    done = []

    def annotate_then_quit():
        [window] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, MainWindow) and w.isVisible()]
        window.open_document(window.documents.ids[0])
        select_with_keyboard(qtbot, window.view, REVIEW, "the keeper was her father")
        window.apply_label(window.labels[0])  # as key 1 does in the active window
        done.append(window.workspace.count_spans())
        window.close()  # the last window: the app's event loop ends, as on File → Quit

    QTimer.singleShot(0, annotate_then_quit)
    result = CliRunner().invoke(main, ["--db", str(db), "gui"])
    assert result.exit_code == 0, result.output
    assert done == [1]

    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)  # the .db alone
    copied = Workspace.open(copy, UserState(tmp_path / "someone.json"))
    try:
        [span] = copied.spans(copied.document_ids()[0])
        assert span.text == "the keeper was her father"
    finally:
        copied.close()


def test_an_import_from_the_command_line_shows_in_an_open_window(qtbot, open_window,
                                                                 tmp_path):
    """Two programs on one database: the window notices what the other committed."""
    import subprocess

    window = open_window("An old review.")
    new = tmp_path / "new.txt"
    new.write_text("The Copper Sky\n\nA new review, imported elsewhere.", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "annotator", "--db", window.workspace.path,
                           "import", str(new)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert window.documents.rowCount() == 1  # not yet looked
    qtbot.waitUntil(lambda: window.documents.rowCount() == 2, timeout=5000)
    assert "changes made elsewhere" in window.statusBar().currentMessage()
    window.look_for_changes_elsewhere()  # nothing more: nothing said
    assert window.documents.rowCount() == 2
