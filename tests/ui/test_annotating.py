"""Stories of annotating in the real window: select, press a key, check the database."""

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from support import (
    background_at,
    click_at,
    db_rows,
    fail_to_save,
    label_colour,
    select_with_keyboard,
)

from annotator.domain.model import Status
from annotator.ui.views.document_view import blend

REVIEW = "Marchetti is superb. The ending: the keeper was her father.\nToo long."


def test_select_words_press_2_and_the_praise_span_is_saved_and_painted(qtbot, open_window):
    window = open_window(REVIEW)
    view = window.view
    select_with_keyboard(qtbot, view, REVIEW, "Marchetti is superb")
    qtbot.keyClick(view, Qt.Key.Key_2)

    [span] = window.workspace.spans(window.document_id)
    assert span.text == "Marchetti is superb"
    assert span.annotator_uuid == window.annotator.uuid
    assert span.label_uuid == next(lb.uuid for lb in window.labels if lb.name == "praise")
    base = view.palette().base().color()
    seen = background_at(view, REVIEW, 3).name()
    assert seen == blend(base, [label_colour(window, "praise")]).name()
    assert background_at(view, REVIEW, 25) is None
    assert window.workspace.status(window.document_id, window.annotator.uuid) is Status.IN_PROGRESS
    assert window.spans_label.text() == "1 span"


def test_click_a_span_press_delete_then_undo_and_redo(qtbot, open_window):
    window = open_window(REVIEW)
    view, store = window.view, window.workspace
    select_with_keyboard(qtbot, view, REVIEW, "the keeper was her father")
    qtbot.keyClick(view, Qt.Key.Key_1)
    [span] = store.spans(window.document_id)

    click_at(qtbot, view, REVIEW, REVIEW.index("keeper") + 2)
    assert view.selected_span().uuid == span.uuid
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert store.spans(window.document_id) == []
    assert background_at(view, REVIEW, REVIEW.index("keeper")) is None

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.spans(window.document_id) == [span]  # the same row, same id and times
    assert background_at(view, REVIEW, REVIEW.index("keeper")) is not None

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert store.spans(window.document_id) == []


def test_undo_of_the_first_span_restores_the_exact_rows(qtbot, open_window):
    window = open_window(REVIEW)
    before = db_rows(window.workspace)
    select_with_keyboard(qtbot, window.view, REVIEW, "Too long")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    after = db_rows(window.workspace)
    assert after != before
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert db_rows(window.workspace) == before
    qtbot.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert db_rows(window.workspace)["annotations"] == after["annotations"]
    assert window.undo.undo_text() == "add criticism span"


def test_overlapping_spans_stay_visible_and_distinct(qtbot, open_window):
    window = open_window(REVIEW)
    view = window.view
    select_with_keyboard(qtbot, view, REVIEW, "The ending: the keeper")
    qtbot.keyClick(view, Qt.Key.Key_1)
    select_with_keyboard(qtbot, view, REVIEW, "the keeper was her father")
    qtbot.keyClick(view, Qt.Key.Key_4)
    assert len(window.workspace.spans(window.document_id)) == 2
    only_spoiler = background_at(view, REVIEW, REVIEW.index("ending"))
    both = background_at(view, REVIEW, REVIEW.index("keeper"))
    only_plot_hole = background_at(view, REVIEW, REVIEW.index("father"))
    assert len({only_spoiler.name(), both.name(), only_plot_hole.name()}) == 3


def test_spans_after_emoji_and_crlf_land_on_the_selected_words(qtbot, open_window):
    raw = "Grandma 😂👵🏽 vs. the Algorithm\r\nThe fridge 🧊 did it.\r\n"
    window = open_window(raw)
    text = window.workspace.document(window.document_id).text
    assert "\r" not in text
    select_with_keyboard(qtbot, window.view, text, "did it")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    [span] = window.workspace.spans(window.document_id)
    assert span.text == "did it" and text[span.start:span.end] == "did it"
    assert span.start == text.index("did it")
    assert background_at(window.view, text, text.index("did it")) is not None
    assert background_at(window.view, text, text.index("🧊")) is None


def test_closing_and_reopening_keeps_everything(qtbot, open_window):
    window = open_window(REVIEW, "Second review, quite dull.")
    select_with_keyboard(qtbot, window.view, REVIEW, "Marchetti is superb")
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    window.close()
    window.workspace.close()

    again = open_window(db="ui.db")
    assert again.document_id == window.document_id  # the last open document
    [span] = again.view.spans.values()
    assert span.text == "Marchetti is superb"
    assert background_at(again.view, REVIEW, 0) is not None


def test_annotator_is_shown_and_each_span_records_its_annotator(qtbot, open_window):
    window = open_window(REVIEW)
    first = window.annotator
    assert first.name in window.windowTitle()
    select_with_keyboard(qtbot, window.view, REVIEW, "Too long")
    qtbot.keyClick(window.view, Qt.Key.Key_3)

    window.switch_annotator("kofi")
    assert "kofi" in window.windowTitle() and "kofi" in window.who_label.text()
    assert window.view.spans == {}  # blind: only my own spans
    select_with_keyboard(qtbot, window.view, REVIEW, "Marchetti is superb")
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    owners = {s.text: s.annotator_uuid for s in window.workspace.spans(window.document_id)}
    assert owners == {"Too long": first.uuid, "Marchetti is superb": window.annotator.uuid}


def test_ctrl_enter_marks_done_and_opens_the_next_document(qtbot, open_window):
    window = open_window(REVIEW, "Second review.", "Third review.")
    first = window.document_id
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.status(first, window.annotator.uuid) is Status.DONE
    assert window.document_id != first
    assert window.documents.index(0, 1).data() == "done"
    assert window.progress_label.text() == "1 of 3 done"


def test_pressing_a_label_key_without_a_selection_explains(qtbot, open_window):
    window = open_window(REVIEW)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.workspace.count_spans() == 0
    assert "Select some text first" in window.statusBar().currentMessage()


def test_document_list_model_passes_the_model_tester(qtbot, open_window):
    window = open_window(REVIEW, "Two.", "Three.")
    ModelTester(qtbot).check(window.documents, force_py=True)
    assert window.documents.rowCount() == 3


def test_a_span_made_in_the_window_is_in_the_cli_export(qtbot, open_window, tmp_path):
    import json

    from click.testing import CliRunner

    from annotator.cli import main

    window = open_window(REVIEW)
    select_with_keyboard(qtbot, window.view, REVIEW, "the keeper was her father")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["--db", window.workspace.path, "export", "--format",
                                       "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    [doc] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    [span] = doc["annotations"]
    assert (span["label"], span["text"], span["annotator"]) == (
        "spoiler", "the keeper was her father", window.annotator.name)


def test_a_span_at_the_end_of_a_line_with_emoji_is_painted_to_its_last_letter(qtbot,
                                                                              open_window):
    text = "😀😀 hello\nnext line"
    window = open_window(text)
    select_with_keyboard(qtbot, window.view, text, "hello")
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    for i in range(text.index("hello"), text.index("hello") + 5):
        assert background_at(window.view, text, i) is not None, text[i]


def test_a_change_that_cannot_be_saved_says_so_and_is_not_undoable(qtbot, open_window,
                                                                    monkeypatch):
    window = open_window(REVIEW)
    shown = fail_to_save(monkeypatch, window, "spans", "add")
    select_with_keyboard(qtbot, window.view, REVIEW, "Too long")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    assert shown and "database is locked" in shown[0]
    assert window.saved_label.text() == "Not saved"
    assert window.undo.count() == 0 and window.workspace.count_spans() == 0


def test_a_bug_is_not_passed_off_as_a_change_that_could_not_be_saved(qtbot, open_window,
                                                                    monkeypatch):
    """Only the project's errors are messages; anything else is a bug for the crash report,
    not a "Not saved" that hides it."""
    from annotator.ui import main_window

    window = open_window(REVIEW)
    shown = []
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: shown.append(a))

    def buggy(*args, **kwargs):
        raise KeyError("a bug")
    monkeypatch.setattr(window.workspace.store.spans, "add", buggy)
    select_with_keyboard(qtbot, window.view, REVIEW, "Too long")
    with qtbot.capture_exceptions() as exceptions:
        qtbot.keyClick(window.view, Qt.Key.Key_3)
    assert [type(e[1]) for e in exceptions] == [KeyError]
    assert not shown and window.saved_label.text() != "Not saved"
    assert window.undo.count() == 0 and window.workspace.count_spans() == 0


def test_the_crash_report_keeps_the_traceback_and_says_where(tmp_path, monkeypatch):
    from annotator.ui import crash

    monkeypatch.setattr(crash, "crash_log_path", lambda: tmp_path / "logs" / "crash.log")
    boxes = []
    monkeypatch.setattr(crash.QMessageBox, "exec", lambda box: boxes.append(box.text()))
    try:
        raise KeyError("<b>not markup</b>")
    except KeyError as e:
        crash.report(type(e), e, e.__traceback__)
    assert "KeyError" in (tmp_path / "logs" / "crash.log").read_text(encoding="utf-8")
    assert boxes and str(tmp_path / "logs" / "crash.log") in boxes[0]
