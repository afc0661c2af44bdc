"""Starting the window: the Qt application, the icon, the samples on a first launch."""

from __future__ import annotations

import gc
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
    window = MainWindow(store)
    # What exists now lives as long as the app: keep it out of the garbage collector's full
    # passes, which otherwise walk it each time a document's 10,000 spans are loaded.
    gc.collect()  # what start-up left for collection goes now, not into the frozen set
    gc.freeze()
    return window


def run(store: Store) -> int:
    app = make_app()
    window = open_window(store)
    window.show()
    return app.exec()
