"""The agreement window on the samples mira and tomasz annotated: figures, scope, pairs."""

import pytest
from people import person, span_by
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from annotator.domain.model import Label, Status, new_uuid
from annotator.services.agreement import Scope
from annotator.ui.dialogs.agreement_window import AgreementWindow
from annotator.ui.plain import tooltip as plain_tooltip
from annotator.ui.views.heatmap import cell_colour, ink_on, luminance

BOTH = Scope(annotators=("mira", "tomasz"))


@pytest.fixture
def window(open_window, open_workspace, tmp_path):
    """The main window on a database with the samples: mira and tomasz marked five done."""
    open_workspace(tmp_path / "samples.db").seed_samples()
    return open_window(db="samples.db")


def compute(workspace, scope):
    return workspace.agreement(scope)


@pytest.fixture
def agreement(qtbot, window):
    """Opened as a user does: Ctrl+Shift+A in the main window."""
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    shown = window.findChild(AgreementWindow)
    assert shown is not None and shown.isVisible()
    qtbot.waitExposed(shown)
    return shown


def bring_to_front(qtbot, widget) -> None:
    widget.windowHandle().requestActivate()  # as a click on the window would
    qtbot.waitUntil(widget.isActiveWindow)


def cell(model, row: int, column_title: str) -> str:
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == column_title)
    return model.index(row, column).data()


def tooltip(model, row: int, column_title: str) -> str:
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == column_title)
    return model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)


def test_the_label_table_shows_what_the_service_computes(agreement, window):
    report = compute(window.workspace, BOTH)
    model = agreement.label_model
    assert agreement.annotator_picker.checked() == ["mira", "tomasz"]
    assert agreement.reading.toPlainText().splitlines() == report.reading
    assert cell(model, 0, "Label") == "All labels"
    assert cell(model, 0, "Unitizing α") == f"{report.overall.values['unitizing_alpha']:.3f}"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    spoiler = report.per_label[0]
    assert cell(model, 1, "Label") == spoiler.label == "spoiler"
    assert cell(model, 1, "Mean κ") == f"{spoiler.values['kappa']:.3f}"
    assert cell(model, 1, "F1 overlap") == f"{spoiler.values['f1_overlap']:.3f}"
    assert cell(model, 1, "Spans: tomasz") == str(spoiler.spans["tomasz"])
    assert cell(model, 1, "Boundary") == str(spoiler.disagreements["boundary"])
    assert cell(model, 0, "Verdict").endswith("unreliable")


def test_sorting_by_a_column_keeps_all_labels_on_top(qtbot, agreement):
    model, table = agreement.label_model, agreement.label_table
    header = table.horizontalHeader()
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == "Unitizing α")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(column) + 10, 5))
    shown = [cell(model, r, "Unitizing α") for r in range(model.rowCount())]
    assert cell(model, 0, "Label") == "All labels"
    rest = [float(v) for v in shown[1:]]
    assert rest in (sorted(rest), sorted(rest, reverse=True)) and rest != rest[::-1]


def test_an_undefined_figure_is_a_dash_that_says_why(qtbot, agreement, window):
    window.workspace.store.labels.add(Label(new_uuid(), "irony", "#999999", "", "", 9), None)
    qtbot.mouseClick(agreement.refresh_button, Qt.MouseButton.LeftButton)
    model = agreement.label_model
    row = next(r for r in range(model.rowCount()) if cell(model, r, "Label") == "irony")
    assert cell(model, row, "F1 exact") == "—"
    why = compute(window.workspace, BOTH).per_label[-1].why["f1_exact"]
    assert tooltip(model, row, "F1 exact") == plain_tooltip(why)  # escaped, as typed


def test_fewer_than_two_annotators_shows_why_instead_of_tables(qtbot, agreement):
    agreement.annotator_picker.actions_by_name["tomasz"].trigger()  # untick in the menu
    qtbot.waitUntil(lambda: agreement.problem_label.isVisible())
    assert "at least two annotators" in agreement.problem_label.text()
    assert "only mira" in agreement.problem_label.text()
    assert not agreement.label_table.isVisible()
    assert agreement.label_model.rowCount() == 0
    assert agreement.annotator_picker.text() == "Annotators: mira"
    agreement.annotator_picker.actions_by_name["tomasz"].trigger()
    qtbot.waitUntil(lambda: agreement.label_table.isVisible())
    assert agreement.label_model.rowCount() == 5


def test_someone_who_shares_no_work_is_left_out_and_a_scope_says_which_click_helps(
        qtbot, window):
    """The current user at work on a document nobody else did: not ticked by default (the
    figures are mira's and tomasz's); ticked, the message names the click that gives figures,
    and the button beside it makes it."""
    window.workspace.set_status(1, Status.IN_PROGRESS)
    shown = AgreementWindow.show_for(window.workspace, window.runner, window)
    qtbot.waitExposed(shown)
    assert shown.annotator_picker.checked() == ["mira", "tomasz"]
    assert shown.label_table.isVisible()
    shown.annotator_picker.actions_by_name[window.annotator.name].trigger()
    qtbot.waitUntil(lambda: shown.problem_label.isVisible())
    text = shown.problem_label.text()
    assert "No document is marked done by all of" in text
    assert "tick only mira and tomasz in Annotators" in text
    assert "--" not in text  # the command line's words, not here
    assert shown.suggest_button.isVisible()
    qtbot.mouseClick(shown.suggest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown.label_table.isVisible())
    assert shown.annotator_picker.checked() == ["mira", "tomasz"]
    assert shown.document_model.rowCount() == 5


def test_documents_touched_by_all_counts_more_than_those_done(qtbot, agreement, window):
    assert agreement.document_model.rowCount() == 5
    store = window.workspace
    unfinished = next(d for d in store.document_ids() if d not in compute(store, BOTH).documents)
    for name in ("mira", "tomasz"):
        span_by(store, name, unfinished, "spoiler", 0, 5)
    qtbot.mouseClick(agreement.refresh_button, Qt.MouseButton.LeftButton)
    assert agreement.document_model.rowCount() == 5  # not done: not in the default scope
    agreement.documents.setCurrentIndex(agreement.documents.findText("Touched by all of them"))
    qtbot.waitUntil(lambda: agreement.document_model.rowCount() == 6)
    assert agreement.reading.toPlainText().startswith("6 documents")


def test_leaving_in_unlabelled_text_changes_the_character_measures(qtbot, agreement, window):
    agreement.labelled_only.click()
    everything = compute(window.workspace, Scope(("mira", "tomasz"), labelled_only=False))
    expected = f"{everything.overall.values['alpha']:.3f}"
    qtbot.waitUntil(lambda: cell(agreement.label_model, 0, "Char. α") == expected)


def test_double_clicking_a_document_opens_it_to_compare(qtbot, agreement, window):
    assert window.blind_action.isChecked() and not window.compare_action.isChecked()
    table, model = agreement.document_table, agreement.document_model
    worst = compute(window.workspace, BOTH).per_document[0]
    assert cell(model, 0, "Title") == worst.title
    at = table.visualRect(model.index(0, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a double-click's
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)  # two presses
    assert window.document_id == worst.document_id
    assert window.compare_action.isChecked()
    assert not window.blind_action.isChecked()
    # the current annotator made none; what is listed is mira's and tomasz's
    assert window.span_panel.model.rowCount() == sum(worst.overall.spans.values())


def test_enter_on_a_document_opens_it_too(qtbot, agreement, window):
    table, model = agreement.document_table, agreement.document_model
    table.setFocus()
    table.setCurrentIndex(model.index(2, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.document_id == model.row_at(2).document_id
    assert window.compare_action.isChecked()


def test_the_heatmap_holds_the_pairwise_values(qtbot, agreement, window):
    report = compute(window.workspace, BOTH)
    heatmap = agreement.heatmap
    assert agreement.measure.currentData() == "kappa"
    kappa = report.matrix("kappa")[0][1]
    assert heatmap.value_at(0, 1) == heatmap.value_at(1, 0) == pytest.approx(kappa)
    assert heatmap.tooltip_at(0, 1) == f"mira vs tomasz: {kappa:.3f} (Cohen's kappa, characters)"
    assert heatmap.text_at(0, 1) == f"{kappa:.2f}"
    assert heatmap.cell_at(heatmap.cell_rect(0, 1).center()) == (0, 1)
    # what is painted there is the scale's colour for the value
    image = heatmap.grab().toImage()
    ratio = image.devicePixelRatio()
    corner = heatmap.cell_rect(0, 1).topLeft() + QPoint(2, 2)
    painted = image.pixelColor(int(corner.x() * ratio), int(corner.y() * ratio))
    expected = cell_colour(kappa)
    assert max(abs(painted.red() - expected.red()), abs(painted.green() - expected.green()),
               abs(painted.blue() - expected.blue())) <= 1

    agreement.measure.setCurrentIndex(agreement.measure.findData("f1_overlap"))
    assert heatmap.value_at(0, 1) == pytest.approx(report.matrix("f1_overlap")[0][1])

    table = agreement.label_table
    spoiler_row = agreement.label_model.row_of_label("spoiler")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(agreement.label_model.index(spoiler_row, 0)).center())
    value = report.matrix("f1_overlap", "spoiler")[0][1]
    assert heatmap.value_at(0, 1) == pytest.approx(value)
    assert heatmap.tooltip_at(0, 1) == (
        f"mira vs tomasz: {value:.3f} (span F1, overlap; label spoiler)")
    assert "spoiler" in agreement.heatmap_caption.text()


def test_numbers_stay_readable_on_every_cell_colour():
    for step in range(-4, 21):
        background = cell_colour(step / 20)
        ink = ink_on(background)
        lighter, darker = sorted((luminance(background), luminance(ink)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, step / 20


def test_both_tables_are_sound_item_models(qtmodeltester, agreement):
    qtmodeltester.check(agreement.label_model)
    qtmodeltester.check(agreement.document_model)
    agreement.label_model.sort(1, Qt.SortOrder.DescendingOrder)
    agreement.document_model.sort(0, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(agreement.label_model)
    qtmodeltester.check(agreement.document_model)


def test_one_window_however_often_it_is_asked_for(qtbot, agreement, window):
    again = AgreementWindow.show_for(window.workspace, window.runner, window)
    assert again is agreement
    assert len([w for w in window.findChildren(AgreementWindow) if w.isVisible()]) == 1


def test_copy_report_gives_tab_separated_tables(qtbot, agreement):
    copy = next(b for b in agreement.findChildren(type(agreement.refresh_button))
                if b.text() == "Copy report")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert "Label\tUnitizing α\tVerdict" in text
    assert "\nAll labels\t" in text


def test_an_edit_in_the_main_window_updates_the_figures_when_looked_at(qtbot, agreement,
                                                                       window):
    store = window.workspace
    document = compute(store, BOTH).documents[0]
    praise = next(lb for lb in store.labels() if lb.name == "praise")
    bring_to_front(qtbot, window)
    with person(store, "tomasz") as tomasz:
        change = tomasz.add_span(document, praise.uuid, 0, 3)
    window.workspace.announce(change)  # as an edit in the main window announces itself
    assert agreement.stale  # in the background: not recomputed on each edit
    assert cell(agreement.label_model, 0, "Spans: tomasz") == "21"
    bring_to_front(qtbot, agreement)
    qtbot.waitUntil(lambda: cell(agreement.label_model, 0, "Spans: tomasz") == "22")


def test_escape_closes_the_window(qtbot, agreement):
    qtbot.keyClick(agreement.label_table, Qt.Key.Key_Escape)
    assert not agreement.isVisible()


def test_a_large_scope_is_computed_in_the_background_without_freezing(qtbot, window,
                                                                      monkeypatch):
    from annotator.ui.dialogs import agreement_window

    monkeypatch.setattr(agreement_window, "IN_THE_BACKGROUND_FROM", 0)  # every scope is large
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    shown = window.findChild(AgreementWindow)
    assert shown.busy and shown.problem == "Computing agreement over 5 documents…"
    qtbot.waitUntil(lambda: not shown.busy, timeout=10_000)
    report = compute(window.workspace, BOTH)
    assert shown.reading.toPlainText().splitlines() == report.reading
    shown.refresh()  # asked again, then the scope changes before the answer comes back
    shown.documents.setCurrentIndex(shown.documents.findData("all"))
    shown.refresh()
    qtbot.waitUntil(lambda: not shown.busy, timeout=10_000)
    assert shown.report.documents == compute(window.workspace, Scope(
        annotators=("mira", "tomasz"), documents="all")).documents


def test_an_import_reaches_an_open_agreement_window(qtbot, agreement, window, tmp_path):
    """An import is announced like any edit: the figures follow it."""
    import json

    text = "A sixth review: the twist lands, the score soars."
    record = {"text": text, "status": {"mira": "done", "tomasz": "done"}, "annotations": [
        {"annotator": "mira", "label": "spoiler", "start": 16, "end": 31},
        {"annotator": "tomasz", "label": "spoiler", "start": 16, "end": 26}]}
    (tmp_path / "sixth.jsonl").write_text(json.dumps(record), encoding="utf-8")
    assert agreement.document_model.rowCount() == 5
    bring_to_front(qtbot, window)
    window.import_paths([str(tmp_path / "sixth.jsonl")])
    assert agreement.stale  # told, and recomputed once looked at
    bring_to_front(qtbot, agreement)
    qtbot.waitUntil(lambda: agreement.document_model.rowCount() == 6)


def test_closing_the_main_window_stops_a_computation_under_way(qtbot, window, monkeypatch):
    """Quitting while agreement is computed in the background: the work is told to stop
    and waited for, and no stale window starts another as the main window goes."""
    from annotator.ui.dialogs import agreement_window

    monkeypatch.setattr(agreement_window, "IN_THE_BACKGROUND_FROM", 0)
    shown = AgreementWindow.show_for(window.workspace, window.runner, window)
    assert shown.busy and window.runner.tasks
    shown.stale = True  # as after an edit: it would recompute when brought to the front
    window.close()
    assert window.runner.tasks == [] or all(not t.thread.isRunning()
                                            for t in window.runner.tasks)
    assert not shown.isVisible() and window.runner.closed
    with pytest.raises(Exception, match="closing"):
        window.runner.submit(lambda ws, job: None, done=print)
