"""File → Export: the dialog previews the first record, then the window writes the file."""

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from annotator.io.registry import FOLDER, WRITERS
from annotator.ui import main_window
from annotator.ui.dialogs.export_dialog import ExportDialog

REVIEW = "Marchetti is superb 😂. The ending: the keeper was her father."


def test_the_preview_follows_the_format_and_scope(qtbot, open_window):
    window = open_window(REVIEW)
    window.view.select_range(0, 9)
    window.apply_label(window.labels[1])  # praise on "Marchetti"
    dialog = ExportDialog(window.workspace)
    qtbot.addWidget(dialog)
    dialog.done_only.setChecked(False)
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    record = json.loads(dialog.preview.toPlainText())  # laid out to be read
    assert record["label"] == [[0, 9, "praise"]]
    assert dialog.destination.text().endswith(".jsonl")
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.destination.text().endswith(".csv")
    dialog.scope.setCurrentIndex(dialog.scope.findData("gold"))
    assert "no gold set yet" in dialog.preview.toPlainText()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_the_dialog_offers_every_writer_with_its_suffix_and_a_preview(qtbot, open_window):
    window = open_window(REVIEW)
    dialog = ExportDialog(window.workspace)
    qtbot.addWidget(dialog)
    dialog.done_only.setChecked(False)
    offered = [(dialog.format.itemData(i), dialog.format.itemText(i))
               for i in range(dialog.format.count())]
    assert offered == [(writer.key, writer.name) for writer in WRITERS]
    for writer in WRITERS:
        dialog.format.setCurrentIndex(dialog.format.findData(writer.key))
        destination = dialog.destination.text()
        assert destination.endswith("annotations" if writer.kind == FOLDER else writer.suffix)
        assert dialog.problem == "" and dialog.preview.toPlainText(), writer.key


def test_exporting_from_the_window_writes_the_file_and_says_what_it_wrote(
        qtbot, open_window, tmp_path, monkeypatch):
    window = open_window(REVIEW)
    window.view.select_range(0, 9)
    window.apply_label(window.labels[1])
    shown = []
    monkeypatch.setattr(main_window, "inform", lambda parent, title, text, warning=False:
                        shown.append(text))
    out = tmp_path / "reviews.jsonl"

    def fill_in():
        dialog = QApplication.activeModalWidget()
        dialog.done_only.setChecked(False)
        dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
        dialog.destination.setText(str(out))
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, fill_in)
    window.export_dataset()
    assert json.loads(out.read_text())["label"] == [[0, 9, "praise"]]
    assert shown == [f"Wrote 1 documents with 1 spans to {out}.\n"
                     "Offsets count UTF-16 code units."]  # doccano's own unit, said


def test_splitting_in_the_dialog_writes_a_folder_of_splits(qtbot, open_window, tmp_path,
                                                           monkeypatch):
    window = open_window(REVIEW, "A second review.", "A third review.", "A fourth one.")
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: None)
    out = tmp_path / "dataset"

    def fill_in():
        dialog = QApplication.activeModalWidget()
        dialog.done_only.setChecked(False)
        dialog.format.setCurrentIndex(dialog.format.findData("csv"))
        dialog.split.setChecked(True)
        dialog.shares.setText("50/50")
        assert not dialog.destination.text().endswith(".csv")  # a folder now
        dialog.destination.setText(str(out))
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, fill_in)
    window.export_dataset()
    assert sorted(p.name for p in out.iterdir()) == ["dev.csv", "train.csv"]
