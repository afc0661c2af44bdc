"""Starting the window: the Qt application, the icon, the samples on a first launch."""

from __future__ import annotations

import gc
import os
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import APP_ID, __version__
from annotator.domain.errors import AnnotatorError
from annotator.workspace import Workspace

from . import crash
from .fonts import set_up_fonts
from .icons import app_icon
from .main_window import MainWindow


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    new = app is None
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv)
    if not isinstance(app, QApplication):  # only one may exist, and windows need this kind
        raise RuntimeError(f"A {type(app).__name__} is running; the window needs a QApplication")
    # These two name the QSettings file (~/.config/Annotator/Annotator.conf): changing them
    # would lose everyone's settings. No organisation domain either: on macOS it would move
    # the settings to another plist.
    app.setOrganizationName("Annotator")
    app.setApplicationName("Annotator")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland and the taskbar match the window to the .desktop
    if new:  # once per process: the fonts stay registered while the application lives
        set_up_fonts(app)
    app.setWindowIcon(app_icon())
    return app


def open_window(workspace: Workspace) -> MainWindow:
    workspace.seed_samples()
    window = MainWindow(workspace)
    QTimer.singleShot(0, _settle)  # once the window has painted
    return window


def _settle() -> None:
    """What exists now lives as long as the app: keep it out of the garbage collector's
    full passes, which otherwise walk it each time a document's 10,000 spans are loaded;
    and turn the collector on again (the `annotator` command starts with it off)."""
    gc.collect()  # what start-up left for collection goes now, not into the frozen set
    gc.freeze()
    gc.enable()


def run(workspace: Workspace) -> int:
    """The window until it is closed; then the database is checkpointed and closed, so the
    .db file alone holds everything (the caller closes the workspace)."""
    app = make_app()
    crash.install()
    try:
        window = open_window(workspace)
    except AnnotatorError as e:  # a database busy or damaged at start: say so, then end
        box = QMessageBox(QMessageBox.Icon.Critical, "Annotator cannot start",
                          f"The database {workspace.path} cannot be used now: {e}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return 1
    window.show()
    # For smoke tests of a build (packaging/dist_check.py): close the window after this long.
    quit_after = os.environ.get("ANNOTATOR_QUIT_AFTER_MS")
    if quit_after and quit_after.isdigit():
        QTimer.singleShot(int(quit_after), window.close)
    return app.exec()
