"""Choosing who annotates, and deleting documents, through the real widgets."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from annotator.services.importing import ImportOptions, import_paths
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
    assert window.store.setting("current_annotator") == window.annotator.uuid


def test_remove_sample_reviews_keeps_own_imports(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("My own review.")
    sample = tmp_path / "sample.txt"
    sample.write_text("A sample review.")
    import_paths(window.store, [sample], ImportOptions(sample=True))
    window.documents.reload()
    assert window.documents.rowCount() == 2
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.remove_samples()
    texts = [window.store.document(i).text for i in window.store.document_ids()]
    assert texts == ["My own review."] and window.documents.rowCount() == 1
    assert ("delete", "document") in [(e["action"], e["entity"])
                                      for e in window.store.change_log()]


def test_delete_document_asks_first_and_no_keeps_it(qtbot, open_window, monkeypatch):
    window = open_window("Keep me.", "Delete me.")
    window.step(1)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.delete_document()
    assert window.store.count_documents() == 2
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.delete_document()
    assert [window.store.document(i).text for i in window.store.document_ids()] == ["Keep me."]
    assert window.view.toPlainText() == "Keep me."
