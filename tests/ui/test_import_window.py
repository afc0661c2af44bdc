"""Importing from the window: options, progress with Cancel, and the summary of problems."""

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QProgressDialog, QPushButton

from annotator.services import importing
from annotator.ui.dialogs.import_options import ImportOptionsDialog, remembered
from annotator.ui.dialogs.import_summary import ImportSummary


def bad_and_good_files(inbox):
    (inbox / "good.txt").write_text("Saltwater Hymn\n\nA tender, patient film.")
    (inbox / "bad.jsonl").write_text('{"text": "Fine."}\n{"text": 42}\n')
    (inbox / "photo.png").write_bytes(b"\x89PNG")


def test_the_summary_lists_each_file_with_its_problems_located(qtbot, fresh_db, inbox):
    bad_and_good_files(inbox)
    report = fresh_db.import_paths([inbox])
    dialog = ImportSummary(report)
    qtbot.addWidget(dialog)
    tree = dialog.tree
    rows = {tree.topLevelItem(i).text(0).rsplit("/", 1)[-1]: tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())}
    assert [rows[n].text(1) for n in ("bad.jsonl", "good.txt", "photo.png")] == [
        "failed", "imported", "skipped"]
    bad = rows["bad.jsonl"]
    assert bad.text(0) == "inbox/bad.jsonl"  # named from the folder chosen, not from /
    assert bad.isExpanded() and bad.child(0).text(0) == (
        "line 2, field text: is required and must be text")
    dialog.only_problems.setChecked(True)
    assert tree.topLevelItemCount() == 1
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Copy report")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert "line 2, field text" in copied and "good.txt" in copied


def answer_options_dialog(qtbot, press: str, **choices):
    """When the options dialog opens, choose these and press Import or Cancel."""
    def interact():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImportOptionsDialog)
        if "offsets" in choices:
            dialog.offsets.setCurrentIndex(dialog.offsets.findData(choices["offsets"]))
        if "annotator" in choices:
            dialog.annotator.setText(choices["annotator"])
        buttons = dialog.findChild(QDialogButtonBox)
        button = QDialogButtonBox.StandardButton.Ok if press == "Import" else \
            QDialogButtonBox.StandardButton.Cancel
        qtbot.mouseClick(buttons.button(button), Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, interact)


def test_the_window_imports_with_the_options_chosen_and_remembers_them(
        qtbot, open_window, tmp_path):
    window = open_window("An old review.")
    src = tmp_path / "doccano.jsonl"
    src.write_text(json.dumps({"text": "Wow 🤩 the finale", "label": [[7, 17, "praise"]]}))
    answer_options_dialog(qtbot, "Cancel", offsets="utf16")
    assert window.import_paths([str(src)], ask=True) is None
    assert window.workspace.count_documents() == 1
    answer_options_dialog(qtbot, "Import", offsets="utf16", annotator="  ines ")
    window.import_paths([str(src)], ask=True)
    [report] = window.import_reports
    assert not report.failed and report.new_annotators == ["ines"]
    assert window.view.toPlainText() == "Wow 🤩 the finale"
    assert window.workspace.spans(report.document_ids[0])[0].text == "the finale"
    again = remembered()  # what drag and drop will use
    assert again.read.offsets == "utf16" and again.read.annotator == "ines"


def test_cancel_in_the_progress_dialog_keeps_the_files_already_imported(
        qtbot, open_window, tmp_path, monkeypatch):
    import threading

    window = open_window("An old review.")
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text(f"Review {i} of The Glass Orchard.")
    two_in, go_on = threading.Event(), threading.Event()
    real = importing.import_paths

    def pausing_after_two(store, paths, options, progress, cancelled):
        """The import (in its worker thread) waits after two files, while the user clicks."""
        def progress_then_wait(done, total, name):
            progress(done, total, name)
            if done == 2:
                two_in.set()
                go_on.wait(10)
        return real(store, paths, options, progress_then_wait, cancelled)
    monkeypatch.setattr(importing, "import_paths", pausing_after_two)

    def click_cancel():
        if not two_in.is_set():
            QTimer.singleShot(10, click_cancel)
            return
        dialog = window.findChild(QProgressDialog, "importProgress")
        assert dialog.isVisible()  # up at once: the window takes no edits meanwhile
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel").click()
        assert dialog.isVisible() and "Stopping" in dialog.labelText()  # until it has
        go_on.set()
    QTimer.singleShot(0, click_cancel)
    window.import_paths([str(folder)])  # the window stays live meanwhile: the click lands
    [report] = window.import_reports
    assert report.cancelled and report.total("documents") == 2
    assert window.workspace.count_documents() == 3
    assert window.documents.rowCount() == 3  # the list follows the import's Change
