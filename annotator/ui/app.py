"""Starting the window: the Qt application, the icon, the samples on a first launch."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from annotator.services.samples import seed_if_new
from annotator.store.repository import Store

from .icons import app_icon
from .main_window import MainWindow


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName("Annotator")
    app.setApplicationName("Annotator")
    app.setWindowIcon(app_icon())
    return app


def open_window(store: Store) -> MainWindow:
    seed_if_new(store)
    return MainWindow(store)


def run(store: Store) -> int:
    app = make_app()
    window = open_window(store)
    window.show()
    return app.exec()
