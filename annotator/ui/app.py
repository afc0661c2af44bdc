"""Starting the window: the Qt application, the icon, the samples on a first launch."""

from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from annotator import bundled
from annotator.services.samples import seed_if_new
from annotator.store.repository import Store

from .main_window import MainWindow


def app_icon() -> QIcon:
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(bundled.icon_bytes()), "SVG")
    return QIcon(pixmap)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName("Annotator")
    app.setApplicationName("Annotator")
    app.setWindowIcon(app_icon())
    return app


def open_window(store: Store) -> MainWindow:
    seed_if_new(store)
    window = MainWindow(store)
    window.setWindowIcon(app_icon())
    return window


def run(store: Store) -> int:
    app = make_app()
    window = open_window(store)
    window.show()
    return app.exec()
