"""Choosing who annotates, and deleting documents, through the real widgets."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.services.importing import ImportOptions
from annotator.ui import main_window
from annotator.ui.dialogs.annotator_dialog import AnnotatorDialog


def test_annotator_dialog_takes_a_typed_name(qtbot):
    dialog = AnnotatorDialog("root", ["mira", "tomasz"])
    qtbot.addWidget(dialog)
    dialog.name.lineEdit().selectAll()
    qtbot.keyClicks(dialog.name.lineEdit(), "  Zoe   Okafor ")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
    assert dialog.chosen() == "Zoe Okafor"


def test_change_annotator_menu_switches_and_records(qtbot, open_window, monkeypatch):
    window = open_window("A review.")
    monkeypatch.setattr(AnnotatorDialog, "ask", classmethod(lambda cls, *a: "zoe"))
    window.change_annotator()
    assert window.annotator.name == "zoe" and "zoe" in window.windowTitle()
    assert window.workspace.user_state.of(window.workspace.database_uuid)["annotator"] == \
        window.annotator.uuid  # remembered for this person, not in the shared database
    assert window.workspace.store.settings.get("current_annotator") is None


def test_remove_sample_reviews_keeps_own_imports(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("My own review.")
    sample = tmp_path / "sample.txt"
    sample.write_text("A sample review.")
    window.workspace.import_paths([sample], ImportOptions(sample=True))
    assert window.documents.rowCount() == 2  # the import's Change reached the list
    monkeypatch.setattr(main_window, "confirm", lambda *a: True)
    window.remove_samples()
    texts = [window.workspace.document(i).text for i in window.workspace.document_ids()]
    assert texts == ["My own review."] and window.documents.rowCount() == 1
    assert ("delete", "document") in [(e["action"], e["entity"])
                                      for e in window.workspace.change_log()]


def test_delete_document_asks_first_and_no_keeps_it(qtbot, open_window, monkeypatch):
    window = open_window("Keep me.", "Delete me.")
    window.step(1)
    monkeypatch.setattr(main_window, "confirm", lambda *a: False)
    window.delete_document()
    assert window.workspace.count_documents() == 2
    monkeypatch.setattr(main_window, "confirm", lambda *a: True)
    window.delete_document()
    assert [window.workspace.document(i).text
            for i in window.workspace.document_ids()] == ["Keep me."]
    assert window.view.toPlainText() == "Keep me."


def test_importing_new_labels_in_the_window_adds_their_buttons(qtbot, open_window, monkeypatch,
                                                                tmp_path):
    import json

    window = open_window("Existing review.")
    src = tmp_path / "new.jsonl"
    src.write_text(json.dumps({"text": "Great score.", "annotations": [
        {"annotator": "kofi", "label": "music", "start": 6, "end": 11}]}))
    window.import_paths([str(src)])
    assert "music" in window.label_actions
    assert window.view.toPlainText() == "Great score."
    [report] = window.import_reports
    assert report.total("documents") == 1 and report.new_labels == ["music"]
    window.step(-1)
    assert window.view.toPlainText() == "Existing review."


def test_import_of_only_duplicates_keeps_the_current_document(qtbot, open_window, monkeypatch,
                                                              tmp_path):
    window = open_window("First.", "Second.", "Third.")
    monkeypatch.setattr(main_window, "inform", lambda *a, **k: None)
    window.step(1)
    dup = tmp_path / "dup.txt"
    dup.write_text("Second.")
    window.import_paths([str(dup)])
    assert window.view.toPlainText() == "Second."
    window.step(1)
    assert window.view.toPlainText() == "Third."
