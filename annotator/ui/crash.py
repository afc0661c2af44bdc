"""The crash report: an exception nobody expected is a bug. It is written to a log file with
its traceback and told to the user in plain words; the database is never the worse for it
(every edit is committed, or rolled back, before the window hears of it). Qt's own warnings
go to a log file beside it, never to a dialog: they are for the developers, not the user."""

from __future__ import annotations

import logging
import os
import platform
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from platformdirs import user_log_path
from PySide6.QtCore import QMessageLogContext, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from annotator import __version__

log = logging.getLogger("annotator")
LOGS_ENV = "ANNOTATOR_LOGS"  # the tests keep their logs out of the user's folder
QT_LOG_BYTES = 512 * 1024  # Qt may warn on every paint: the file rotates, never grows on


def log_folder() -> Path:
    """$ANNOTATOR_LOGS, else the platform's user log folder (~/.local/state/Annotator/log)."""
    env = os.environ.get(LOGS_ENV)
    if env:
        return Path(env).expanduser()
    return user_log_path("Annotator", appauthor=False)


def crash_log_path() -> Path:
    return log_folder() / "crash.log"


def qt_log_path() -> Path:
    return log_folder() / "qt.log"


class CrashDialog(QMessageBox):
    """Says a bug happened, that the work is saved and where the details are."""

    open_now = False  # a bug that repeats (in a paint, say) must not stack dialogs

    def __init__(self, details: str, where: str, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Critical, "Annotator hit a bug",
                         "Something went wrong inside Annotator. Your work is saved: every "
                         "edit is written to the database as it is made; only the last "
                         f"action may not have happened.\n\n{where}", parent=parent)
        # The path and the traceback may hold any character, "<" included: plain text.
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setDetailedText(details)

    @classmethod
    def tell(cls, details: str, where: str) -> None:
        if cls.open_now:
            return
        cls.open_now = True
        try:
            cls(details, where, QApplication.activeWindow()).exec()
        finally:
            cls.open_now = False


def write_crash(text: str) -> Path:
    """Append one crash, under a header saying when and which version; OSError if not."""
    path = crash_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"--- {datetime.now().isoformat(timespec='seconds')} Annotator "
                  f"{__version__}, Python {platform.python_version()}, {platform.platform()}\n"
                  f"{text}\n")
    return path


def report(kind: type[BaseException], error: BaseException,
           trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    text = "".join(traceback.format_exception(kind, error, trace))
    sys.stderr.write(text)
    try:
        path = write_crash(text)
        where = f"The details were saved to {path}; please send that file with a report."
    except OSError:
        where = "The details are printed on the terminal."
    if QApplication.instance() is None:
        return
    CrashDialog.tell(text, where)


_LEVELS = {QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}


class QtLog:
    """Qt's warnings, criticals and fatals into a rotating qt.log; each message also goes on
    to the handler that was there before (Qt's own prints it on the terminal)."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("annotator.qt")
        self.logger.propagate = False  # into qt.log only, not into whatever logs the app
        self.logger.setLevel(logging.WARNING)
        self.previous: Callable[[QtMsgType, QMessageLogContext, str], Any] | None = None
        self.file: logging.Handler | None = None

    def install(self) -> None:
        if self.file is not None:
            return  # installed already: a second handler would write every line twice
        from logging.handlers import RotatingFileHandler  # 6 ms: after the first paint

        try:
            qt_log_path().parent.mkdir(parents=True, exist_ok=True)
            self.file = RotatingFileHandler(qt_log_path(), maxBytes=QT_LOG_BYTES,
                                            backupCount=2, encoding="utf-8")
        except OSError:
            return  # a log folder that cannot be written: Qt prints on the terminal as ever
        self.file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        self.logger.addHandler(self.file)
        self.previous = qInstallMessageHandler(self.handle)

    def uninstall(self) -> None:
        if self.file is None:
            return
        qInstallMessageHandler(self.previous)
        self.logger.removeHandler(self.file)
        self.file.close()
        self.file = None

    def handle(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        level = _LEVELS.get(kind)
        if level is not None:
            where = f" ({context.file}:{context.line})" if context.file else ""
            self.logger.log(level, "%s%s", message, where)
            if kind == QtMsgType.QtFatalMsg:  # Qt aborts when this returns: a crash too
                try:
                    write_crash(f"Qt fatal error: {message}{where}")
                except OSError:
                    pass
        if self.previous is not None:
            self.previous(kind, context, message)
        elif level is not None or kind == QtMsgType.QtInfoMsg:
            sys.stderr.write(message + "\n")


qt_log = QtLog()


def install() -> None:
    """The crash report now; Qt's log once the window has painted (its file and module cost
    a cold start ~10 ms, and Qt has nothing to say before)."""
    sys.excepthook = report
    QTimer.singleShot(0, qt_log.install)
