"""The lead merges the packages sent back: a preview of exactly what would change (per
annotator, every conflict with both versions), then the merge; bad files are named."""

import pytest
from PySide6.QtCore import QPoint, Qt
from team_support import TEXTS, lead_window, package

from annotator.domain.model import Status
from annotator.ui.dialogs import merge_dialog
from annotator.ui.dialogs.merge_dialog import MergeDialog


@pytest.fixture
def shown(monkeypatch):
    messages: list[str] = []
    monkeypatch.setattr(merge_dialog, "inform",
                        lambda parent, title, text, warning=False: messages.append(text))
    return messages


def merge_dialog_for(window, qtbot, *paths):
    dialog = MergeDialog(window.workspace, window.runner, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_files([str(p) for p in paths])
    return dialog


def cells(dialog):
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_preview_then_merge_brings_an_annotators_work_home(open_window, open_workspace,
                                                            tmp_path, qtbot, shown):
    lead = lead_window(open_window)
    path = package(lead, tmp_path)
    mira = open_workspace(path)
    doc = mira.document_ids()[0]
    spoiler = next(lb for lb in mira.labels() if lb.name == "spoiler")
    text = mira.document(doc).text
    start = text.index("ending")
    mira.add_span(doc, spoiler.uuid, start, start + len("ending"))
    mira.set_status(doc, Status.DONE)
    mira.close()

    dialog = merge_dialog_for(lead, qtbot, path)
    assert not dialog.merge_button.isEnabled()  # preview first
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert cells(dialog) == [["mira.annot", "mira", "version 1", "1", "0", "0", "0", "1"]]
    assert dialog.summary.text().startswith("Preview: 0 documents and 1 span added")
    assert lead.workspace.spans(doc) == []  # a preview changes nothing
    assert dialog.merge_button.isEnabled()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.merged is not None and not dialog.merged.dry_run
    assert dialog.summary.text().startswith("Merged: 0 documents and 1 span added")
    assert [s.text for s in lead.workspace.spans(doc)] == ["ending"]
    assert "Backup made first" in dialog.details.toPlainText()
    assert not dialog.preview_button.isEnabled() and not dialog.merge_button.isEnabled()
    assert shown == []


def test_a_conflict_is_listed_with_both_versions(open_window, open_workspace, tmp_path,
                                                 qtbot, shown):
    lead = lead_window(open_window)
    elsewhere = open_workspace(tmp_path / "team.db", tmp_path / "mira-at-the-lead.json")
    elsewhere.switch_to("mira")
    doc = elsewhere.assignments()[elsewhere.me.uuid][0]
    labels = {lb.name: lb for lb in elsewhere.labels()}
    text = elsewhere.document(doc).text
    start = text.index("twist")
    span = elsewhere.add_span(doc, labels["spoiler"].uuid, start, start + 5).added[0]
    path = package(lead, tmp_path)
    mira = open_workspace(path)
    mira.relabel(span.uuid, labels["praise"].uuid)
    mira.close()
    elsewhere.relabel(span.uuid, labels["criticism"].uuid)  # after the package was made

    dialog = merge_dialog_for(lead, qtbot, path)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert cells(dialog)[0][6] == "1"
    conflict = next(line for line in dialog.details.toPlainText().splitlines()
                    if "Conflict" in line)
    assert "mira, edited" in conflict and "Review" in conflict
    assert "in the project: criticism" in conflict and "in the package: praise" in conflict
    assert conflict.count("“twist”") == 2  # both versions quote the text
    assert shown == []


def test_a_file_that_is_not_a_package_is_named_and_nothing_changes(open_window, tmp_path,
                                                                   qtbot, shown):
    lead = lead_window(open_window)
    bad = tmp_path / "notes.annot"
    bad.write_text("not a database, just notes")
    before = bad.read_bytes(), (tmp_path / "team.db").stat().st_size
    dialog = merge_dialog_for(lead, qtbot, bad)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "notes.annot" in shown[0]
    assert dialog.table.rowCount() == 0 and not dialog.merge_button.isEnabled()
    assert (bad.read_bytes(), (tmp_path / "team.db").stat().st_size) == before


def test_documents_from_another_project_need_the_checkbox(open_window, tmp_path, qtbot,
                                                          shown):
    other = open_window("A review of a film nobody here has seen.", db="other.db")
    other.workspace.assign(["ada"], seed=1, overlap=1.0)
    path = package(other, tmp_path, "ada")
    lead = lead_window(open_window)
    dialog = merge_dialog_for(lead, qtbot, path)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "ada.annot" in shown[0]
    assert not dialog.merge_button.isEnabled()
    assert "tick “Allow documents from another project”" in shown[0]  # not the CLI's flag
    qtbot.mouseClick(dialog.allow_new, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert dialog.allow_new.isChecked()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    assert "1 would be added" in dialog.details.toPlainText()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert lead.workspace.count_documents() == len(TEXTS) + 1
    assert lead.documents.rowCount() == len(TEXTS) + 1  # the list followed the Change
