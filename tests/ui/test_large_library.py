"""A library of 100,000 reviews: the window opens without asking the list for every row
(issue 15: column sizing once read all 100,000 summaries and took 41 s)."""

import pytest

from annotator.domain.model import Document, new_uuid, now_iso
from annotator.domain.text import content_hash
from annotator.ui.models.document_list import DocumentListModel
from annotator.workspace import Workspace

LIBRARY = 100_000


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """100,000 short reviews, written in one bulk call (seconds, not an import)."""
    path = tmp_path_factory.mktemp("library") / "library.db"
    ws = Workspace.open(path)
    stamp = now_iso()
    docs = []
    for i in range(LIBRARY):
        text = f"Review {i} of The Lantern Keeper: slow, then devastating."
        docs.append(Document(None, new_uuid(), f"Review {i}", text, content_hash(text),
                             "generated", {}, False, stamp))
    with ws.store.transaction():
        ws.store.documents.add(docs, None)
    ws.close()
    return path


def rows_asked(monkeypatch) -> set[int]:
    """The rows the list's model is asked to summarise, from now on."""
    rows: set[int] = set()
    real = DocumentListModel.summary

    def summary(self, row):
        rows.add(row)
        return real(self, row)
    monkeypatch.setattr(DocumentListModel, "summary", summary)
    return rows


def shown(library, tmp_path, open_workspace, qtbot):
    """The window on the library, shown and painted once."""
    from annotator.ui.main_window import MainWindow

    window = MainWindow(open_workspace(library, tmp_path / "me.json"))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.wait(50)  # first paint
    return window


def test_the_window_opens_on_100000_reviews_asking_for_a_few_hundred_rows(
        library, tmp_path, open_workspace, qtbot, monkeypatch):
    rows = rows_asked(monkeypatch)
    window = shown(library, tmp_path, open_workspace, qtbot)

    assert window.documents.rowCount() == LIBRARY
    assert window.document_id is not None  # the first document is open
    assert 0 < len(rows) <= 300, len(rows)  # the rows in view, not the library
    window.close()


def test_a_filter_on_100000_reviews_keeps_the_list_lazy(library, tmp_path, open_workspace,
                                                        qtbot, monkeypatch):
    """Choosing a filter (and typing words with it) asks the database for ids in SQL and
    the list for the rows in view only."""
    rows = rows_asked(monkeypatch)
    window = shown(library, tmp_path, open_workspace, qtbot)
    panel = window.document_panel
    rows.clear()
    with qtbot.waitSignal(panel.filter_applied):
        panel.status_filter.setCurrentIndex(panel.status_filter.findText("new"))
    with qtbot.waitSignal(panel.filter_applied):
        panel.filter_box.setText("devastating")
    qtbot.wait(50)
    assert window.documents.rowCount() == LIBRARY
    assert panel.shown_label.text() == "100,000 of 100,000 shown"
    assert 0 < len(rows) <= 300, len(rows)
    rows.clear()
    with qtbot.waitSignal(panel.filter_applied):
        panel.note_filter.setChecked(True)  # nothing has a note: an empty list, at once
    assert window.documents.rowCount() == 0 and len(rows) == 0
    window.close()


def test_the_end_of_100000_reviews_is_one_key_away_without_reading_every_id(
        library, tmp_path, open_workspace, qtbot, monkeypatch):
    """The list in the order of import reads its ids a page at a time (reading all 100,000
    was most of opening the window); End still reaches the last review, sorting reads
    them all, and the order of import comes back."""
    from PySide6.QtCore import Qt

    from annotator.ui.models.document_list import TITLE

    whole_reads = []
    real = Workspace.document_ids

    def document_ids(self, *args, **kwargs):
        whole_reads.append(args)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Workspace, "document_ids", document_ids)
    window = shown(library, tmp_path, open_workspace, qtbot)
    ws = window.workspace
    table = window.list_view
    table.setFocus()
    table.setCurrentIndex(window.documents.index(0, TITLE))
    with qtbot.waitSignal(window.document_panel.document_chosen):
        qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = window.documents.rowCount() - 1
    assert table.currentIndex().row() == last
    assert window.documents.index(last, TITLE).data() == f"Review {LIBRARY - 1}"
    assert ws.document(window.document_id).title == f"Review {LIBRARY - 1}"  # it is open
    assert window.documents.row_of(window.document_id) == last
    assert whole_reads == []

    window.documents.sort(TITLE, Qt.SortOrder.DescendingOrder)  # "Review 99999" first
    assert whole_reads and window.documents.index(0, TITLE).data() == "Review 99999"
    assert table.currentIndex().row() == window.documents.row_of(window.document_id) == 0
    window.documents.sort(-1)
    assert [window.documents.index(r, TITLE).data() for r in (0, 1, last)] == [
        "Review 0", "Review 1", f"Review {LIBRARY - 1}"]
    assert table.currentIndex().row() == last  # the open review stays the current row
    window.close()
