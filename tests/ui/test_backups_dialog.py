"""File → Backups… and the damage banner, driven through their widgets (issue 14)."""

import shutil

import pytest
from damage import damage_an_index
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from annotator.ui.dialogs import backups_dialog
from annotator.ui.dialogs.backups_dialog import BackupsDialog
from annotator.ui.views.banner import Banner

TEXT = "Marchetti is superb. The ending: the keeper was her father. Too long, sadly."


@pytest.fixture
def answers(monkeypatch):
    """The message boxes the dialog would wait on: questions answered yes, messages kept."""
    said: list[str] = []
    monkeypatch.setattr(backups_dialog, "confirm", lambda parent, title, text: True)
    monkeypatch.setattr(backups_dialog, "inform",
                        lambda parent, title, text, warning=False: said.append(text))
    return said


@pytest.fixture
def ws(tmp_path, open_workspace):
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    workspace = open_workspace(tmp_path / "w.db")
    workspace.import_paths([tmp_path / "r.txt"])
    return workspace


def click(qtbot, dialog, name):
    button = dialog.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shown(dialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def test_back_up_now_then_restore_it_after_more_work(qtbot, ws, tmp_path, answers):
    dialog = BackupsDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    # The day's backup, made when its first review came in (it was new today).
    assert [why for _, why, _ in shown(dialog)] == ["daily"] and not dialog.empty.isVisible()
    assert not dialog.restore_button.isEnabled()  # nothing chosen yet

    click(qtbot, dialog, "backupNow")

    [(made, why, size), _] = shown(dialog)
    assert why == "made by hand" and size.endswith("KB") and "Backed up" in answers[-1]
    assert dialog.restore_button.isEnabled()  # the new backup is chosen
    (tmp_path / "s.txt").write_text("A second review.", encoding="utf-8")
    ws.import_paths([tmp_path / "s.txt"])
    changes = []
    ws.changed.connect(changes.append)

    click(qtbot, dialog, "restore")

    assert ws.count_documents() == 1 and dialog.restored
    assert changes and changes[-1].documents_changed  # the window's views reload
    # The state it replaced, kept first (the day's backup was made already).
    assert [row[1] for row in shown(dialog)] == ["before a restore", "made by hand", "daily"]
    assert "Restored" in answers[-1]


def test_the_model_is_a_sound_item_model(qtmodeltester, ws):
    ws.backup()
    ws.backup()
    dialog = BackupsDialog(ws)
    qtmodeltester.check(dialog.model)


def test_check_says_whole_or_what_is_damaged(qtbot, ws, answers):
    dialog = BackupsDialog(ws)
    qtbot.addWidget(dialog)
    click(qtbot, dialog, "checkDatabase")
    assert answers[-1].startswith("No damage found")


def test_a_damaged_database_shows_its_damage_and_restores_the_newest_backup(
        qtbot, ws, tmp_path, open_workspace, answers):
    good = ws.backup()
    ws.close()
    damaged = tmp_path / "w.db"
    damage_an_index(damaged)
    broken = open_workspace(damaged)
    assert broken.damaged

    banner = Banner()
    qtbot.addWidget(banner)
    offered = []
    banner.show_message(broken.damaged, "damaged",
                        [("Restore a backup…", lambda: offered.append(True))])
    assert banner.isVisible() and not banner.close_button.isVisible()
    assert banner.text.textFormat() == Qt.TextFormat.PlainText
    assert "open for reading only" in banner.text.text()
    qtbot.mouseClick(banner.buttons[0], Qt.MouseButton.LeftButton)
    assert offered == [True]

    dialog = BackupsDialog(broken)
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.findChild(QLabel, "backupsDamage")
    assert label.isVisible() and "damaged" in label.text()
    dialog.select_newest()
    assert dialog.selected().path == good.path
    click(qtbot, dialog, "restore")
    assert not broken.damaged and not broken.read_only
    assert not label.isVisible()
    assert broken.check().ok and broken.count_documents() == 1


def test_a_warning_banner_can_be_dismissed_and_shows_markup_as_text(qtbot):
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_message("The text of “<img src=/etc/x.png>” changed.")
    assert banner.isVisible() and banner.close_button.isVisible()
    assert banner.text.text().startswith("The text of “<img")
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    banner.show_message("again", actions=[("One", lambda: None), ("Two", lambda: None)])
    banner.show_message("and again", actions=[("Three", lambda: None)])
    assert [b.text() for b in banner.buttons] == ["Three"]  # the old buttons went


def test_restore_from_a_file_that_is_not_a_backup_says_so(qtbot, ws, tmp_path, answers,
                                                          monkeypatch):
    (tmp_path / "notes.txt").write_text("not a database")
    monkeypatch.setattr(backups_dialog.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "notes.txt"), ""))
    dialog = BackupsDialog(ws)
    qtbot.addWidget(dialog)
    click(qtbot, dialog, "restoreFromFile")
    assert answers[-1].startswith("Nothing was restored") and "not an SQLite" in answers[-1]
    assert ws.count_documents() == 1
    shutil.rmtree(tmp_path / "backups", ignore_errors=True)


def test_restore_latest_backup_passes_over_a_damaged_backup_and_says_which_it_used(
        qtbot, ws, tmp_path, open_workspace, answers, monkeypatch):
    """Bug 11b: "Back up now" on the damaged database made the newest backup, itself
    damaged; the banner's "Restore latest backup" then offered only that one."""
    good = ws.backup()
    ws.close()
    damage_an_index(tmp_path / "w.db")
    broken = open_workspace(tmp_path / "w.db")
    assert broken.damaged
    damaged_copy = broken.backup()  # Back up now, on the damaged database
    assert broken.backups()[0].path == damaged_copy.path
    asked = []
    monkeypatch.setattr(backups_dialog, "confirm",
                        lambda parent, title, text: asked.append(text) or True)

    what = backups_dialog.restore_newest(None, broken)

    assert what is not None and not broken.damaged and broken.check().ok
    assert f"{good.made:%Y-%m-%d %H:%M}" in what and "made by hand" in what
    assert "itself damaged" in asked[-1] and "passed over" in what


def test_a_new_empty_database_lists_and_restores_the_lost_ones_backups(
        qtbot, ws, tmp_path, open_workspace, answers):
    """Bug 3, in the window: the lost database's folder was gone, the window made a new,
    empty database there; Backups… now lists the lost one's backups, saying whose they
    are, and restores one (it used to refuse "a backup of another database")."""
    made = ws.backup()
    lost = ws.database_uuid
    ws.close()
    (tmp_path / "w.db").unlink()
    empty = open_workspace(tmp_path / "w.db", tmp_path / "again.json")
    dialog = BackupsDialog(empty)
    qtbot.addWidget(dialog)
    rows = shown(dialog)
    assert rows and all("of another database (1 document" in why for _, why, _ in rows)
    dialog.table.selectRow([b.path for b in dialog.model._backups].index(made.path))

    click(qtbot, dialog, "restore")

    assert "Restored" in answers[-1], answers
    assert empty.database_uuid == lost and empty.count_documents() == 1
