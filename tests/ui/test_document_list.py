"""The document list panel: filtering as you type, sorting by clicking headers, label counts."""

import pytest
from people import person
from PySide6.QtCore import QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QIcon

from annotator.domain.changes import Change
from annotator.domain.model import Status
from annotator.ui.models.document_list import COUNT_ROLE, STATUS, TITLE, DocumentListModel
from annotator.ui.views.document_list_panel import DocumentListPanel

REVIEWS = (
    "Casablanca\nThe ending at the airport is perfect.",
    "alien\nThe crew never stood a chance; the butler did not do it.",
    "Brazil\nA bureaucracy nightmare.",
    "Dune\nSand, worms and the butler's spice.",
)


@pytest.fixture
def panel(qtbot, fresh_db, inbox):
    """A shown panel over the four reviews, for the current annotator."""
    for i, text in enumerate(REVIEWS):
        (inbox / f"{i:02}.txt").write_text(text, encoding="utf-8")
    fresh_db.import_paths([inbox])
    model = DocumentListModel(fresh_db, fresh_db.me.uuid)
    widget = DocumentListPanel(model)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_titles(panel):
    model = panel.model
    return [model.data(model.index(row, TITLE)) for row in range(model.rowCount())]


def doc_id(panel, title):
    return next(i for i in panel.model.workspace.document_ids()
                if panel.model.workspace.document(i).title == title)


def label(store, name):
    return next(lb for lb in store.labels() if lb.name == name)


def click_header(qtbot, panel, column):
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def test_typing_in_the_filter_box_narrows_the_list_after_a_pause(qtbot, panel):
    qtbot.keyClicks(panel.filter_box, "BUTLER")
    assert panel.model.rowCount() == 4  # not at every key press
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert shown_titles(panel) == ["alien", "Dune"]
    assert panel.shown_label.isVisible() and panel.shown_label.text() == "2 of 4 shown"

    qtbot.keyClick(panel.filter_box, Qt.Key.Key_Escape)
    assert panel.filter_box.text() == "" and panel.model.rowCount() == 4
    assert not panel.shown_label.isVisible()


def test_the_filter_searches_words_by_their_start_as_they_are_typed(qtbot, panel):
    """Search as you type: each word typed so far matches by its start ("bure" finds
    bureaucracy), and phrases, OR and NOT work as in `annotator search`."""
    qtbot.keyClicks(panel.filter_box, "bure")
    qtbot.waitUntil(lambda: shown_titles(panel) == ["Brazil"])
    panel.filter_box.clear()
    qtbot.keyClicks(panel.filter_box, "butler NOT crew")
    qtbot.waitUntil(lambda: shown_titles(panel) == ["Dune"])
    panel.filter_box.clear()
    qtbot.keyClicks(panel.filter_box, '"the airp')  # a phrase still being typed
    qtbot.waitUntil(lambda: shown_titles(panel) == ["Casablanca"])
    panel.filter_box.clear()
    panel.filter_box.insert("wörms (")  # accents and stray syntax (keyClicks: ASCII only)
    qtbot.waitUntil(lambda: shown_titles(panel) == ["Dune"])
    assert panel.shown_label.text() == "1 of 4 shown"


def test_return_filters_at_once_and_down_goes_into_the_list(qtbot, panel):
    panel.filter_box.setFocus()
    qtbot.keyClicks(panel.filter_box, "airport")
    qtbot.keyClick(panel.filter_box, Qt.Key.Key_Return)
    assert shown_titles(panel) == ["Casablanca"]  # no waiting for the pause
    with qtbot.waitSignal(panel.document_chosen) as signal:
        qtbot.keyClick(panel.filter_box, Qt.Key.Key_Down)
    assert signal.args == [doc_id(panel, "Casablanca")] and panel.table.hasFocus()


def test_a_filter_matching_nothing_says_so(qtbot, panel):
    qtbot.keyClicks(panel.filter_box, "werewolf")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert panel.shown_label.text() == "0 of 4 shown"


def test_clicking_headers_sorts_by_title_then_back_and_by_most_spans(qtbot, panel):
    store = panel.model.workspace
    store.add_span(doc_id(panel, "Brazil"), label(store, "praise").uuid, 0, 6)
    panel.model.reload()

    click_header(qtbot, panel, TITLE)
    assert shown_titles(panel) == ["alien", "Brazil", "Casablanca", "Dune"]  # case ignored
    click_header(qtbot, panel, TITLE)
    assert shown_titles(panel) == ["Dune", "Casablanca", "Brazil", "alien"]
    click_header(qtbot, panel, TITLE)  # a third click: back to the order of import
    assert shown_titles(panel) == ["Casablanca", "alien", "Brazil", "Dune"]
    click_header(qtbot, panel, panel.model.spans_column)  # counts start with the most
    assert shown_titles(panel)[0] == "Brazil"
    header = panel.table.horizontalHeader()
    assert header.sortIndicatorSection() == panel.model.spans_column


def test_each_label_has_a_column_with_my_counts(qtbot, panel):
    store = panel.model.workspace
    praise, spoiler = label(store, "praise"), label(store, "spoiler")
    casablanca = doc_id(panel, "Casablanca")
    for label_uuid, start, end in [(praise.uuid, 0, 10), (praise.uuid, 15, 21),
                                   (spoiler.uuid, 25, 36)]:
        panel.model.apply(store.add_span(casablanca, label_uuid, start, end))
    with person(store, "zoe") as zoe:  # zoe's: not in my list
        panel.model.apply(zoe.add_span(casablanca, spoiler.uuid, 0, 10))

    model = panel.model
    row = model.row_of(casablanca)
    praise_column = model.label_column(praise.uuid)
    assert model.headerData(praise_column, Qt.Orientation.Horizontal) == praise.shortcut == "2"
    assert isinstance(model.headerData(praise_column, Qt.Orientation.Horizontal,
                                       Qt.ItemDataRole.DecorationRole), QIcon)
    assert praise.description in model.headerData(praise_column, Qt.Orientation.Horizontal,
                                                  Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(row, praise_column)) == "2"
    assert model.data(model.index(row, model.label_column(spoiler.uuid))) == "1"
    assert model.data(model.index(row, model.spans_column)) == "3"
    plot_hole = model.index(row, model.label_column(label(store, "plot-hole").uuid))
    assert model.data(plot_hole) is None and model.data(plot_hole, COUNT_ROLE) == 0
    assert model.data(model.index(row, STATUS)) == "in progress"
    alignment = model.data(model.index(row, praise_column), Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_done_and_in_progress_look_different_from_new(qtbot, panel):
    store, model = panel.model.workspace, panel.model
    for title, status in (("Brazil", Status.DONE), ("Dune", Status.IN_PROGRESS)):
        model.apply(store.set_status(doc_id(panel, title), status))

    def colour(title):
        brush = model.data(model.index(model.row_of(doc_id(panel, title)), STATUS),
                           Qt.ItemDataRole.ForegroundRole)
        return brush.color().name() if brush is not None else None

    assert len({colour("Brazil"), colour("Dune"), colour("alien")}) == 3


def test_the_chosen_document_stays_selected_through_sorting_and_filtering(qtbot, panel):
    dune = doc_id(panel, "Dune")
    chosen = []
    panel.document_chosen.connect(chosen.append)
    assert panel.select_document(dune) and chosen == []  # chosen by the window: not reported

    click_header(qtbot, panel, TITLE)
    assert panel.model.ids[panel.table.currentIndex().row()] == dune
    assert panel.table.selectionModel().isRowSelected(panel.table.currentIndex().row())

    panel.filter_box.setText("butler")
    panel.apply_filter()
    assert shown_titles(panel) == ["alien", "Dune"]  # still by title
    assert panel.model.ids[panel.table.currentIndex().row()] == dune

    panel.filter_box.setText("airport")
    panel.apply_filter()
    assert not panel.table.currentIndex().isValid() and not panel.select_document(dune)

    qtbot.keyClick(panel.filter_box, Qt.Key.Key_Escape)
    assert panel.model.ids[panel.table.currentIndex().row()] == dune
    assert chosen == []  # the same document all along: nothing to open again


def test_clicking_a_row_chooses_its_document(qtbot, panel):
    with qtbot.waitSignal(panel.document_chosen) as signal:
        rect = panel.table.visualRect(panel.model.index(2, TITLE))
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [panel.model.ids[2]]


def test_new_labels_and_documents_reload_keeping_order_and_filter(qtbot, panel, inbox):
    model = panel.model
    click_header(qtbot, panel, TITLE)
    panel.filter_box.setText("the")
    panel.apply_filter()
    (inbox / "new.txt").write_text("Arrival\nThe heptapods write in circles.")
    model.workspace.import_paths([inbox / "new.txt"])
    model.apply(Change(None, documents_changed=True))
    assert shown_titles(panel) == ["alien", "Arrival", "Casablanca", "Dune"]
    assert panel.shown_label.text() == "4 of 5 shown"

    columns = model.columnCount()
    model.set_labels(model.labels[:2])
    assert model.columnCount() == columns - 2
    assert model.headerData(model.spans_column, Qt.Orientation.Horizontal) == "Spans"
    model.apply(Change(None, labels_changed=True))
    assert model.columnCount() == columns


def test_the_model_passes_the_model_tester_in_every_state(qtbot, qtmodeltester, panel):
    model = panel.model
    store = model.workspace
    praise = label(store, "praise")
    qtmodeltester.check(model, force_py=True)  # stays connected: rechecks after each change
    store.add_span(doc_id(panel, "Dune"), praise.uuid, 0, 4)
    model.apply(store.add_span(doc_id(panel, "Brazil"), praise.uuid, 0, 6))
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
    model.sort(-1)
    model.set_filter("butler")
    model.sort(model.label_column(praise.uuid), Qt.SortOrder.DescendingOrder)
    assert [model.data(model.index(r, TITLE)) for r in range(2)] == ["Dune", "alien"]
    model.set_labels([])
    model.set_filter("nothing like this")
    model.set_filter("")
    with person(store, "zoe") as zoe:
        model.reload(zoe.me.uuid)
    assert model.rowCount() == 4


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # the offscreen platform
def test_qts_own_model_tester_reports_nothing_either(qtbot, qtmodeltester, panel):
    model = panel.model
    qtmodeltester.check(model)  # Qt's C++ tester: complaints are warnings, and fail the test
    dune = QPersistentModelIndex(model.index(model.row_of(doc_id(panel, "Dune")), STATUS))
    model.sort(TITLE, Qt.SortOrder.DescendingOrder)
    assert dune.row() == 0 and dune.column() == STATUS  # persistent indexes follow their rows
    model.sort(model.spans_column, Qt.SortOrder.AscendingOrder)
    model.set_filter("the")
    model.set_labels(model.labels[1:])
    model.reload()
