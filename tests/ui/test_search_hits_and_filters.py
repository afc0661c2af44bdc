"""Searching from the document list (issue 15): what was found is outlined in the open
document and F3 / Shift+F3 step through it, wrapping; the filters beside the search box
narrow the list; a word only in a span's note finds its document."""

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.domain.model import Status
from annotator.ui.models.document_list import TITLE

HARBOUR = ("Harbour Lights\n😂 The harbour at dawn; Harbourmaster Café owns the harbour.\n"
           "Later the café closes and the harbour empties.")
REVIEWS = (HARBOUR,
           "Paper Crowns\nThe ending is loud.",
           "Grandma vs the Algorithm\nGrandma wins; nobody is quiet.")


def titles(window):
    model = window.documents
    return [model.data(model.index(row, TITLE)) for row in range(model.rowCount())]


def search(qtbot, window, text):
    box = window.document_panel.filter_box
    box.clear()
    with qtbot.waitSignal(window.document_panel.filter_applied, timeout=3000):
        qtbot.keyClicks(box, text)


def hit_texts(window):
    return [window.text[a:b] for a, b in window.view.hits]


def current_hit_text(window):
    a, b = window.view.hits[window.view.current_hit]
    return window.text[a:b]


def test_typing_a_query_outlines_its_hits_and_f3_steps_through_them_wrapping(
        qtbot, open_window):
    window = open_window(*REVIEWS)
    search(qtbot, window, "harb")
    assert titles(window) == ["Harbour Lights"]
    window.open_row(0)
    # As the list matched them: each word by its start, any case; the whole word shown.
    assert hit_texts(window) == ["Harbour", "harbour", "Harbourmaster", "harbour", "harbour"]
    # Offsets are code points; the emoji before them is one (two in Qt's UTF-16).
    first = window.view.hits[1]
    assert window.text[first[0]:first[1]] == "harbour"

    window.view.setFocus()
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.view.current_hit == 0
    assert window.statusBar().currentMessage() == "Hit 1 of 5"
    assert window.view.cursor_position() == window.view.hits[0][0]
    for expected in (2, 3, 4, 5):
        qtbot.keyClick(window.view, Qt.Key.Key_F3)
        assert window.statusBar().currentMessage() == f"Hit {expected} of 5"
    assert window.view.cursor_position() == window.view.hits[4][0]
    qtbot.keyClick(window.view, Qt.Key.Key_F3)  # past the last: back to the first
    assert window.view.current_hit == 0
    assert window.statusBar().currentMessage() == "Hit 1 of 5 (wrapped to the top)"
    qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.current_hit == 4
    assert window.statusBar().currentMessage() == "Hit 5 of 5 (wrapped to the end)"
    qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "Hit 4 of 5"


def test_the_qt_cursor_lands_on_a_hit_after_an_emoji(qtbot, open_window):
    window = open_window(*REVIEWS)
    search(qtbot, window, "dawn")
    window.open_row(0)
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    cursor = window.view.textCursor()  # Qt's own cursor, in UTF-16: the emoji counts 2
    assert cursor.position() == window.text.index("dawn") + 1
    cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 4)
    assert cursor.selectedText() == "dawn"
    assert hit_texts(window) == ["dawn"]


def test_accents_phrases_and_a_search_cleared(qtbot, open_window):
    window = open_window(*REVIEWS)
    search(qtbot, window, "cafe")  # folded: café
    window.open_row(0)
    assert hit_texts(window) == ["Café", "café"]
    search(qtbot, window, '"the harbour empties"')
    assert hit_texts(window) == ["the harbour empties"]  # a phrase, whole
    search(qtbot, window, "harbour NOT dawn")  # the document has dawn: not listed
    assert titles(window) == []
    window.document_panel.filter_box.clear()
    window.document_panel.apply_filter()
    assert window.view.hits == []
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert "search box" in window.statusBar().currentMessage()


def test_a_word_only_in_a_note_finds_its_document(qtbot, open_window):
    window = open_window(*REVIEWS)
    ws = window.workspace
    crowns = next(i for i in ws.document_ids() if ws.document(i).title == "Paper Crowns")
    praise = next(label.uuid for label in ws.labels() if label.name == "praise")
    ws.add_span(crowns, praise, 0, 5, note="Zeppelin-sized twist")
    search(qtbot, window, "zeppel")
    assert titles(window) == ["Paper Crowns"]
    window.open_row(0)
    assert window.view.hits == []  # nothing in the text to outline
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert "span note" in window.statusBar().currentMessage()


def test_each_filter_narrows_the_list(qtbot, qtmodeltester, open_window):
    window = open_window(*REVIEWS)
    ws = window.workspace
    ids = {ws.document(i).title: i for i in ws.document_ids()}
    praise = next(label.uuid for label in ws.labels() if label.name == "praise")
    spoiler = next(label.uuid for label in ws.labels() if label.name == "spoiler")
    me = ws.me.name
    ws.add_span(ids["Paper Crowns"], spoiler, 0, 5, note="a twist")
    ws.set_status(ids["Paper Crowns"], Status.DONE)
    ws.switch_to("<b>tomasz</b>")  # a name typed by a user: plain text everywhere
    ws.add_span(ids["Paper Crowns"], praise, 0, 5)
    ws.add_span(ids["Harbour Lights"], praise, 0, 7)
    ws.switch_to(me)
    window.document_panel.refresh_choices()
    panel = window.document_panel
    assert "<b>tomasz</b>" in [panel.annotator_filter.itemText(i)
                               for i in range(panel.annotator_filter.count())]

    def choose(box, text):
        with qtbot.waitSignal(panel.filter_applied):
            box.setCurrentIndex(box.findText(text))

    choose(panel.label_filter, "spoiler")
    assert titles(window) == ["Paper Crowns"]
    assert panel.shown_label.text() == "1 of 3 shown"
    choose(panel.label_filter, "Any label")
    choose(panel.annotator_filter, "<b>tomasz</b>")
    assert titles(window) == ["Harbour Lights", "Paper Crowns"]
    choose(panel.annotator_filter, "Anyone")
    choose(panel.status_filter, "done")
    assert titles(window) == ["Paper Crowns"]
    choose(panel.status_filter, "new")
    assert titles(window) == ["Harbour Lights", "Grandma vs the Algorithm"]
    choose(panel.status_filter, "Any status")
    with qtbot.waitSignal(panel.filter_applied):
        qtbot.mouseClick(panel.note_filter, Qt.MouseButton.LeftButton)
    assert titles(window) == ["Paper Crowns"]
    with qtbot.waitSignal(panel.filter_applied):
        qtbot.mouseClick(panel.note_filter, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.filter_applied):
        qtbot.mouseClick(panel.disagreement_filter, Qt.MouseButton.LeftButton)
    assert titles(window) == ["Paper Crowns"]  # mira's spoiler, tomasz's praise
    search(qtbot, window, "grandma")  # with the words: both must hold
    assert titles(window) == []
    search(qtbot, window, "loud")
    assert titles(window) == ["Paper Crowns"]
    qtmodeltester.check(window.documents)


def test_the_model_passes_the_model_tester_while_filtered(qtbot, qtmodeltester, open_window):
    window = open_window(*REVIEWS)
    panel = window.document_panel
    panel.status_filter.setCurrentIndex(panel.status_filter.findText("new"))
    qtmodeltester.check(window.documents)


def test_hits_in_a_large_document_are_found_and_painted_quickly(qtbot, open_window):
    """1 MB of text with a hit every few words: the first MOST_HITS are found in Python
    and painted for the visible lines only."""
    from annotator.ui.main_window import MOST_HITS
    line = "😂 The harbour at dawn is quiet, then the harbourmaster sings.\n"
    window = open_window("Big Harbour\n" + line * (1_000_000 // len(line)))
    search(qtbot, window, "harbour")
    window.open_row(0)
    began = time.perf_counter()
    window._show_hits()
    window.view.repaint()
    elapsed = time.perf_counter() - began
    assert len(window.view.hits) == MOST_HITS
    assert elapsed < 2.0, elapsed
    window.view.place_cursor(0)
    qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    total = window.text.lower().count("harbour")  # both words start with it
    assert window.statusBar().currentMessage() == (
        f"Hit {total:,} of {total:,} (wrapped to the end)")


def test_f3_moves_the_window_of_hits_along_a_document_with_more(qtbot, open_window,
                                                                 monkeypatch):
    """Past the hits outlined, F3 finds the next and outlines those from there; the
    numbers count the whole document."""
    import annotator.ui.main_window as main_window
    monkeypatch.setattr(main_window, "MOST_HITS", 40)
    monkeypatch.setattr(main_window, "HIT_MARGIN", 100)
    lines = [f"{'😂' if n % 3 else ''}Line {n}: the harbour at dawn.\n" for n in range(300)]
    window = open_window("Harbour Log\n" + "".join(lines))
    search(qtbot, window, "harbour")
    window.open_row(0)
    starts = [i for i in range(len(window.text)) if window.text.startswith("harbour", i)
              or window.text.startswith("Harbour", i)]
    assert [a for a, _ in window.view.hits] == starts[:40]
    middle = starts[150]
    window.view.place_cursor(middle)
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.view.cursor_position() == middle
    assert window.statusBar().currentMessage() == "Hit 151 of 301"
    assert window.view.hits[window.view.current_hit][0] == middle
    for number in range(150, 140, -1):  # back, across the start of the window
        qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
        assert window.statusBar().currentMessage() == f"Hit {number} of 301"
        assert window.view.cursor_position() == starts[number - 1]
    window.view.place_cursor(starts[-1])
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == "Hit 301 of 301"
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == "Hit 1 of 301 (wrapped to the top)"
    assert window.view.cursor_position() == starts[0]
    qtbot.keyClick(window.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "Hit 301 of 301 (wrapped to the end)"
    cursor = window.view.textCursor()  # Qt's cursor on the hit, past many emoji
    cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 7)
    assert cursor.selectedText() == "harbour"
