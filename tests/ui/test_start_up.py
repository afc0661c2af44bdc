"""Start-up loads what the window needs, not the heavy modules of features not yet used
(issue 15: numpy, pandas and pyarrow came in through sqlite-utils and the agreement window,
0.35 s of a 0.6 s start)."""

import json
import os
import subprocess
import sys

HEAVY = ("numpy", "pandas", "pyarrow", "trafilatura", "spacy", "datasets", "lxml")

SHOW = """
import json, sys
from annotator.ui.app import make_app
from annotator.ui.main_window import MainWindow
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState
app = make_app([])
ws = Workspace.open(sys.argv[1], UserState(sys.argv[2]))
window = MainWindow(ws)
window.show()
app.processEvents()
print(json.dumps(sorted(m for m in sys.argv[3].split(",") if m in sys.modules)))
window.close()
ws.close()
"""


def test_the_window_opens_without_loading_heavy_modules(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "ANNOTATOR_BACKUPS": str(tmp_path / "backups")}
    shown = subprocess.run(
        [sys.executable, "-c", SHOW, str(tmp_path / "a.db"), str(tmp_path / "me.json"),
         ",".join(HEAVY)], capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == []


def test_the_agreement_window_loads_when_asked_for_and_closes_with_the_window(
        qtbot, open_window):
    from PySide6.QtCore import Qt

    window = open_window("Marchetti is superb.", "The ending drags.")
    qtbot.keyClick(window, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    agreement = sys.modules["annotator.ui.dialogs.agreement_window"]
    [opened] = window.findChildren(agreement.AgreementWindow)
    qtbot.waitUntil(opened.isVisible)
    window.close()
    assert not opened.isVisible()


GC_AFTER = """
import gc, json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

def report():
    app = QApplication.instance()
    window = next(w for w in app.topLevelWidgets() if w.isVisible())
    print(json.dumps({"enabled": gc.isenabled(), "title": window.windowTitle()}))
    app.quit()

real = QApplication.exec
def exec_(*_):
    QTimer.singleShot(200, report)
    return real()
QApplication.exec = exec_
sys.argv = ["annotator", "--db", sys.argv[1], *sys.argv[2:]]
from annotator.__main__ import start
start()
"""


def test_the_command_collects_garbage_again_once_its_window_or_command_is_under_way(
        tmp_path):
    """`annotator` starts with the garbage collector off (40 ms of a cold start); the window
    turns it on again once painted, a command at once: left off, memory would only grow."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "ANNOTATOR_BACKUPS": str(tmp_path / "backups"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    shown = subprocess.run([sys.executable, "-c", GC_AFTER, str(tmp_path / "a.db")],
                           capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout.strip().splitlines()[-1])
    assert seen["enabled"] and "Annotator" in seen["title"]

    command = ("import gc, sys\nsys.argv = ['annotator', '--db', sys.argv[1], 'stats']\n"
               "import annotator.cli as cli\nreal = cli.stats.callback\n"
               "def stats(*a, **k):\n    print('gc', gc.isenabled())\n    return real(*a, **k)\n"
               "cli.stats.callback = stats\nfrom annotator.__main__ import start\nstart()\n")
    done = subprocess.run([sys.executable, "-c", command, str(tmp_path / "a.db")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "gc True" in done.stdout
