"""Imported or typed text is never interpreted as markup: a title, label, description,
annotator, note, span text or file name carrying `<img src=…>` or `<a href>` shows as typed
in every widget, tooltip and item model of the app (Qt would otherwise load the image)."""

import json
import zipfile

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtGui import Qt as QtGui_Qt  # mightBeRichText lives in QtGui's Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QToolTip

from annotator.ui.dialogs.agreement_window import AgreementWindow
from annotator.ui.dialogs.import_summary import ImportSummary

IMG = '<img src="/tmp/annotator-hostile.png">'
LINK = '<a href="https://example.invalid/">click</a>'
TEXT = f"{IMG} The ending: {LINK} the keeper was her father."


def hostile_records():
    start = TEXT.index("the keeper")
    spans = [{"annotator": f"{who}{IMG}", "label": f"spoiler{LINK}", "start": start,
              "end": start + len("the keeper"), "note": f"note {IMG}"}
             for who in ("mira", "tomasz")]
    return [{"title": f"Title {IMG}", "text": TEXT, "annotations": spans,
             "status": {f"mira{IMG}": "done", f"tomasz{IMG}": "done"}}]


def strings_shown(widgets):
    """Every tooltip, action tooltip, rich-text label and item-model tooltip or header."""
    for widget in widgets:
        yield widget.toolTip()
        for action in widget.actions():
            yield action.toolTip()
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText:
            yield widget.text()
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from model_strings(widget.model())


def model_strings(model, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for column in range(model.columnCount(parent)):
        for orientation in (Qt.Orientation.Horizontal,):
            yield model.headerData(column, orientation, Qt.ItemDataRole.ToolTipRole)
    for row in range(min(model.rowCount(parent), 40)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            yield index.data(Qt.ItemDataRole.ToolTipRole)
        first = model.index(row, 0, parent)
        if model.rowCount(first):
            yield from model_strings(model, first)


def assert_never_markup(strings):
    looked = 0
    for text in strings:
        if not isinstance(text, str) or not text:
            continue
        looked += 1
        if QtGui_Qt.mightBeRichText(text):  # Qt would render it: then only escaped, never live
            lowered = text.lower()
            assert "<img" not in lowered and "<a " not in lowered, text
    return looked


def test_no_widget_renders_imported_markup(qtbot, open_window, tmp_path, monkeypatch):
    source = tmp_path / "hostile.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in hostile_records()), encoding="utf-8")
    archive = tmp_path / "hostile.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"{IMG}.txt", f"A review named {LINK}.")
        zipped.writestr("broken.jsonl", '{"text": 42, "title": "' + IMG.replace('"', "'")
                        + '"}\n')
    window = open_window("An ordinary review.")
    window.import_paths([str(source), str(archive)])
    [report] = window.import_reports
    summary = ImportSummary(report)
    qtbot.addWidget(summary)
    summary.show()
    window.open_document(next(d for d in window.documents.ids
                              if window.workspace.document(d).text == TEXT))
    window.show_in_compare(window.document_id)
    window.view.select_span(next(iter(window.view.spans.values()), None) or
                            next(iter(window.view.others.values())))
    agreement = AgreementWindow.show_for(window.workspace, window.runner, window)
    qtbot.waitUntil(lambda: agreement.report is not None or agreement.problem != "")
    window.spoiler_shield()
    shown = []
    monkeypatch.setattr(QToolTip, "showText", lambda point, text, *args: shown.append(text))
    for widget, point in ((agreement.heatmap, agreement.heatmap.cell_rect(0, 1).center()),):
        QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, point,
                                                  widget.mapToGlobal(point)))
    start = TEXT.index("the keeper")
    shown.append(window.view.tooltip_at(start + 2))
    looked = assert_never_markup([*strings_shown(QApplication.allWidgets()), *shown])
    assert looked > 50  # tooltips of the lists, tables, pickers and toolbars were seen
    assert "&lt;img" in shown[0]  # the heatmap's names, as typed
    assert window.who_label.textFormat() == Qt.TextFormat.PlainText


def test_the_import_progress_dialog_shows_file_names_as_typed(open_window, tmp_path,
                                                              monkeypatch):
    """The progress line names the file being read: a file named `<img src=…>.txt` must
    not load the image (the dialog's own label was AutoText)."""
    from PySide6.QtWidgets import QProgressDialog

    window = open_window("An ordinary review.")
    seen = []
    real = QProgressDialog.setLabelText

    def spy(dialog, text):
        real(dialog, text)
        [label] = [w for w in dialog.findChildren(QLabel) if w.text() == text]
        seen.append((text, label.textFormat()))
    monkeypatch.setattr(QProgressDialog, "setLabelText", spy)
    inbox = tmp_path / "hostile"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"{LINK}{i}{IMG}.txt".replace("/", "_")).write_text(
            f"Review {i}, long enough to import.", encoding="utf-8")

    window.import_paths([str(inbox)])
    window.runner.wait()

    named = [(text, fmt) for text, fmt in seen if "<img" in text]
    assert named, seen  # the file names were shown
    assert all(fmt == Qt.TextFormat.PlainText for _, fmt in named), named
