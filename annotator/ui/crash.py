"""The crash report: an exception nobody expected is a bug. It is written to a log file with
its traceback and told to the user in plain words; the database is never the worse for it
(every edit is committed, or rolled back, before the window hears of it)."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("annotator")


def crash_log_path() -> Path:
    return user_log_path("Annotator", appauthor=False) / "crash.log"


def report(kind: type[BaseException], error: BaseException,
           trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    text = "".join(traceback.format_exception(kind, error, trace))
    sys.stderr.write(text)
    path = crash_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{text}\n")
        where = f"The details were saved to {path}; please send that file with a report."
    except OSError:
        where = "The details are printed on the terminal."
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "Annotator hit a bug",
                      "Something went wrong inside Annotator. Everything saved before is "
                      f"safe; the last action may not have happened.\n\n{where}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDetailedText(text)
    box.exec()


def install() -> None:
    sys.excepthook = report
