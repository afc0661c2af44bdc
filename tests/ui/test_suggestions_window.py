"""Stories of suggestions in the real window: Tab to one, Enter accepts it, Backspace
turns it down, Ctrl+Z takes either back; outlines are dotted, tooltips escaped, and the
training runs while the window goes on working."""

import re
import threading
import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QTextCursor
from support import click_at, label_colour, select_with_keyboard, utf16

from annotator.domain.changes import Change
from annotator.domain.model import Status
from annotator.domain.suggestions import Proposal

REVIEW = ("Marchetti is superb. The ending: the keeper was her father.\n"
          "Too long by an hour, and the score is relentless.")
PLACES = [("praise", "Marchetti is superb"), ("spoiler", "the keeper was her father"),
          ("criticism", "Too long by an hour")]


def label_uuid(window, name):
    return next(lb.uuid for lb in window.labels if lb.name == name)


def proposals(window, places=PLACES, why="a cue fired", score=0.8, recommender="cues"):
    return [Proposal(window.document_id, label_uuid(window, name), REVIEW.index(phrase),
                     REVIEW.index(phrase) + len(phrase), score, recommender, why=why)
            for name, phrase in places]


def settle(qtbot, window):
    """Wait for the start-up training (it fails until the recommenders are there)."""
    qtbot.waitUntil(lambda: window.suggesting.started
                    and window.suggesting.training_task is None, timeout=60_000)


def pretend_trained(window, found):
    """As if a training had ended for whoever is working: refreshing proposes `found`
    (the store's own rules decide what stays open)."""
    window.runner.wait()  # the start-up training (if the recommenders are there) ends first
    suggestions = window.workspace.suggestions
    window.suggesting.train = lambda: None  # no real training to replace this one
    suggestions.training = SimpleNamespace(annotator_uuid=window.workspace.me.uuid,
                                           blind=window.workspace.blind_policy,
                                           suggester=SimpleNamespace(min_precision=0.5))

    def refresh(doc_ids, job=None):
        ids = list(doc_ids)
        me = window.workspace.me.uuid
        count = window.workspace.store.suggestions.propose(me, ids, found(ids))
        window.workspace.announce(Change(ids[0], suggestions_changed=True, annotator_uuid=me))
        return count
    suggestions.refresh = refresh
    window.suggesting.refresh()


@pytest.fixture
def suggested(qtbot, open_window):
    window = open_window(REVIEW)
    settle(qtbot, window)
    pretend_trained(window, lambda ids: proposals(window))
    assert len(window.view.suggestions.items) == 3
    return window


def my_spans(window):
    return [(s.label_uuid, s.start, s.end)
            for s in window.workspace.spans(window.document_id, window.workspace.me.uuid)]


def place(window, name, phrase):
    return (label_uuid(window, name), REVIEW.index(phrase), REVIEW.index(phrase) + len(phrase))


def test_tab_goes_to_the_first_suggestion_and_the_status_bar_says_so(qtbot, suggested):
    window, view = suggested, suggested.view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    current = view.suggestions.current_suggestion()
    assert current is not None and current.start == 0
    assert window.statusBar().currentMessage().startswith(
        "Suggestion 1 of 3: praise from cue list (0.80)")
    assert view.hasFocus()  # Tab stepped, it did not move the focus away
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # wraps round to the first
    assert view.suggestions.current_suggestion().start == 0
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage().startswith("Suggestion 3 of 3: criticism")


def test_enter_accepts_then_ctrl_z_brings_the_suggestion_back(qtbot, suggested):
    window, view = suggested, suggested.view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert my_spans(window) == [place(window, "praise", "Marchetti is superb")]
    assert [s.start for s in view.suggestions.items] == [REVIEW.index("the keeper"),
                                                         REVIEW.index("Too long")]
    # On to the next one, for a fast run through the document.
    assert view.suggestions.current_suggestion().start == REVIEW.index("the keeper")

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert my_spans(window) == []
    assert len(view.suggestions.items) == 3


def test_keypad_enter_accepts_too(qtbot, suggested):
    window, view = suggested, suggested.view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert my_spans(window) == [place(window, "praise", "Marchetti is superb")]


def test_backspace_rejects_and_the_place_is_not_proposed_again(qtbot, suggested):
    window, view = suggested, suggested.view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # the spoiler
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert my_spans(window) == []
    starts = [s.start for s in view.suggestions.items]
    assert REVIEW.index("the keeper") not in starts
    me = window.workspace.me.uuid
    window.workspace.store.suggestions.propose(me, [window.document_id], proposals(window))
    window.suggesting.show_open()
    assert REVIEW.index("the keeper") not in [s.start for s in view.suggestions.items]

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert REVIEW.index("the keeper") in [s.start for s in view.suggestions.items]


def test_shift_enter_accepts_all_in_one_undoable_step(qtbot, suggested):
    window, view = suggested, suggested.view
    history = window.undo.count()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert sorted(my_spans(window)) == sorted(place(window, n, p) for n, p in PLACES)
    assert view.suggestions.items == []
    assert window.undo.count() == history + 1
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert my_spans(window) == []
    assert len(view.suggestions.items) == 3


def test_without_a_current_suggestion_backspace_still_deletes_the_selected_span(
        qtbot, suggested):
    window, view = suggested, suggested.view
    select_with_keyboard(qtbot, view, REVIEW, "the score is relentless")
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert len(my_spans(window)) == 1
    click_at(qtbot, view, REVIEW, REVIEW.index("relentless") + 2)
    assert view.selected_span() is not None
    assert view.suggestions.current_suggestion() is None
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert my_spans(window) == []
    assert len(view.suggestions.items) == 3  # no suggestion was touched


def test_a_click_elsewhere_ends_the_current_suggestion(qtbot, suggested):
    view = suggested.view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    click_at(qtbot, view, REVIEW, REVIEW.index("relentless"))
    assert view.suggestions.current_suggestion() is None


def test_hidden_suggestions_leave_the_keys_alone(qtbot, suggested):
    window, view = suggested, suggested.view
    window.suggesting.show_action.setChecked(False)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.suggestions.current_suggestion() is None
    assert view.tooltip_at(2) == ""


def test_hostile_label_name_and_why_show_as_text_in_the_tooltip(qtbot, open_window):
    window = open_window(REVIEW)
    settle(qtbot, window)
    labels = window.workspace.labels()
    from dataclasses import replace
    hostile = [replace(labels[0], name="<img src=x>"), *labels[1:]]
    window.workspace.edit_labels(hostile)
    pretend_trained(window, lambda ids: [Proposal(
        ids[0], hostile[0].uuid, 0, 9, 0.82, "learned", why="<b>cue</b> & <img src=x>")])
    tip = window.view.tooltip_at(3)
    assert "<img" not in tip and "<b>cue" not in tip
    assert "Suggested <b>&lt;img src=x&gt;</b> — learned model, score 0.82" in tip
    assert "&lt;b&gt;cue&lt;/b&gt; &amp; &lt;img src=x&gt;" in tip
    assert "Enter accepts · Backspace rejects" in tip


def test_outlines_are_dotted_in_the_label_colour_and_never_filled(qtbot, suggested):
    window, view = suggested, suggested.view
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    colour = label_colour(window, "praise")
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16(REVIEW, 0))
    left = view.cursorRect(cursor)
    cursor.setPosition(utf16(REVIEW, len("Marchetti is superb")))
    right = view.cursorRect(cursor)

    def near(c: QColor) -> bool:
        return max(abs(c.red() - colour.red()), abs(c.green() - colour.green()),
                   abs(c.blue() - colour.blue())) < 40

    top_row = [image.pixelColor(int(x * ratio), int((left.top() + 1) * ratio))
               for x in range(left.left() + 4, right.left() - 4)]
    assert any(near(c) for c in top_row)  # the outline, in the label's colour
    assert not all(near(c) for c in top_row)  # ... dotted: gaps between the dots
    base = view.palette().base().color()
    inside = image.pixelColor(int((left.left() + 3) * ratio),
                              int((left.top() + left.height() // 2) * ratio))
    inside_counts = {}
    for x in range(left.left() + 4, right.left() - 4):
        c = image.pixelColor(int(x * ratio), int((left.top() + left.height() // 2) * ratio))
        inside_counts[c.name()] = inside_counts.get(c.name(), 0) + 1
    assert max(inside_counts, key=inside_counts.get) == base.name(), inside  # not filled


def test_training_runs_in_the_background_while_the_window_goes_on(
        qtbot, open_window, monkeypatch):
    window = open_window(REVIEW)
    settle(qtbot, window)
    release = threading.Event()
    trained = SimpleNamespace(annotator_uuid=window.workspace.me.uuid,
                              blind=window.workspace.blind_policy,
                              suggester=SimpleNamespace(min_precision=0.5))

    def slow_train(self, job=None, *args, **kwargs):
        assert threading.current_thread() is not threading.main_thread()
        release.wait(10)
        self.training = trained
        return trained
    from annotator.workspace.suggestions import Suggestions
    monkeypatch.setattr(Suggestions, "train", slow_train)
    monkeypatch.setattr(Suggestions, "refresh", lambda self, ids, job=None: 0)
    shown = []
    monkeypatch.setattr(window.suggesting.panel, "show_training", shown.append)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    window.suggesting.train_action.trigger()
    window.suggesting.train()  # asked again during it: once more after it
    assert window.suggesting.train_again
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)  # the event loop goes on
    assert window.suggesting.training_task is not None
    release.set()
    qtbot.waitUntil(lambda: window.suggesting.training_task is None
                    and not window.suggesting.train_again, timeout=10_000)
    window.runner.wait()
    qtbot.waitUntil(lambda: not window.runner.tasks, timeout=10_000)
    timer.stop()
    assert window.workspace.suggestions.training is trained
    assert shown == [trained, trained]  # trained twice: the request during it ran after
    assert window.suggesting.panel.state.text() == "Trains again after 10 more spans"


def test_every_ten_new_spans_of_mine_train_again(qtbot, open_window, monkeypatch):
    window = open_window(REVIEW)
    settle(qtbot, window)
    trainings = []

    def quick_train(self, job=None, *args, **kwargs):
        trainings.append(self.ws.me.uuid)
        raise RuntimeError("not this time")  # a failure is said in the panel, not a crash
    from annotator.workspace.suggestions import Suggestions
    monkeypatch.setattr(Suggestions, "train", quick_train)
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", REVIEW)]
    praise = label_uuid(window, "praise")
    for start, end in words[:9]:
        window.workspace.add_span(window.document_id, praise, start, end)
    window.runner.wait()
    assert trainings == []
    window.workspace.add_span(window.document_id, praise, *words[9])
    qtbot.waitUntil(lambda: window.suggesting.training_task is None and bool(trainings),
                    timeout=10_000)
    assert trainings == [window.workspace.me.uuid]
    assert window.suggesting.panel.state.text() == "Training failed: not this time"


def test_switching_annotator_drops_the_suggestions_from_view(qtbot, suggested):
    window = suggested
    window.switch_annotator("Someone else")
    assert window.view.suggestions.items == []
    assert window.view.suggestions.tooltip_at(3) == []


def test_the_view_menu_shows_and_hides_the_suggestions_dock(qtbot, suggested):
    window = suggested
    texts = [a.text() for a in window.menuBar().actions()[2].menu().actions()]
    assert "Show &suggestions" in texts and "Suggestions" in texts
    assert window.suggesting.dock.widget() is window.suggesting.panel
    assert window.suggesting.dock in window.tabifiedDockWidgets(window.spans_dock)


def test_a_long_document_is_refreshed_off_the_gui_thread(qtbot, open_window, monkeypatch):
    window = open_window(REVIEW)
    settle(qtbot, window)
    from annotator.ui import suggesting
    from annotator.workspace.suggestions import Suggestions
    monkeypatch.setattr(suggesting, "LARGE_TEXT", 10)  # as if REVIEW were 10 MB
    threads = []

    def refresh(self, doc_ids, job=None):
        threads.append(threading.current_thread() is threading.main_thread())
        ids = list(doc_ids)
        me = self.ws.me.uuid
        count = self.ws.store.suggestions.propose(me, ids, proposals(window))
        self.ws.announce(Change(ids[0], suggestions_changed=True, annotator_uuid=me))
        return count
    monkeypatch.setattr(Suggestions, "refresh", refresh)
    window.suggesting.train = lambda: None
    window.workspace.suggestions.training = SimpleNamespace(
        annotator_uuid=window.workspace.me.uuid, blind=window.workspace.blind_policy,
        suggester=SimpleNamespace(min_precision=0.5))
    window.suggesting.refresh()
    assert window.view.suggestions.items == []  # not yet: it is being worked out
    qtbot.waitUntil(lambda: len(window.view.suggestions.items) == 3, timeout=10_000)
    assert threads == [False]


def test_a_real_training_on_the_sample_reviews_leaves_the_window_running(
        qtbot, tmp_path, open_workspace):
    from annotator.ui.app import make_app, open_window
    make_app([])
    window = open_window(open_workspace(tmp_path / "first.db"))  # the sample reviews
    qtbot.addWidget(window)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    window.show()
    settle(qtbot, window)  # from the first paint until the training has ended
    timer.stop()
    window.runner.wait()
    assert window.workspace.suggestions.trained_for_me
    assert window.suggesting.panel.heading.text().startswith("Learned from")
    # The event loop went on: the timer kept firing through the training.
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert ticks and max(gaps, default=0) < 0.5, gaps

    # "minutes" marked as criticism in two reviews, both done: Train now, and the third
    # suggests it.
    workspace = window.workspace
    criticism = label_uuid(window, "criticism")
    texts = {d: workspace.document(d).text for d in workspace.sample_document_ids()}
    having = [d for d, text in texts.items() if "minutes" in text]
    for doc in having[:2]:
        at = texts[doc].index("minutes")
        workspace.add_span(doc, criticism, at, at + len("minutes"))
        workspace.set_status(doc, Status.DONE)
    window.open_document(having[2])
    window.suggesting.train_action.trigger()
    qtbot.waitUntil(lambda: bool(window.view.suggestions.items), timeout=60_000)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert "criticism from seen before" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    at = texts[having[2]].index("minutes")
    assert (criticism, at, at + len("minutes")) in my_spans(window)
