"""PySide6 6.12.0 on Python 3.11 corrupts None's refcount on every void Qt call and the
process dies after a few thousand. Make 50k such calls in a child process."""

import subprocess
import sys

SCRIPT = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range(50_000):
    label.setText("x")       # void
    label.setEnabled(i % 2)  # void
print("survived")
"""


def test_fifty_thousand_void_qt_calls_do_not_kill_the_process():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived" in proc.stdout
