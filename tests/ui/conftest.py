"""A real main window over a database in a temporary folder."""

import pytest

from annotator.services.importing import import_paths
from annotator.store.repository import Store
from annotator.ui.app import make_app
from annotator.ui.main_window import MainWindow


@pytest.fixture
def open_window(qtbot, tmp_path):
    """open_window(*texts) -> a shown MainWindow on a database holding those reviews."""
    windows = []

    def make(*texts, db="ui.db"):
        make_app([])
        store = Store.open(tmp_path / db)
        if texts and not store.count_documents():
            inbox = tmp_path / f"inbox-{db}"
            inbox.mkdir()
            for i, text in enumerate(texts):
                (inbox / f"{i:02}.txt").write_text(text, encoding="utf-8", newline="")
            import_paths(store, [inbox])
        window = MainWindow(store)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):  # shortcuts only fire in the active window
            window.show()
            window.activateWindow()
        window.view.setFocus()
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.store.close()
