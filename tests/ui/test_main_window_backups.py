"""The window and the database's health (issue 14): File → Backups…, a restore shown at
once, a damaged database's banner and its way back, texts changed behind our back, and
edits refused with one plain line while the database is open for reading only."""

import sqlite3

import pytest
from damage import damage_an_index
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from support import select_with_keyboard

from annotator.ui import main_window
from annotator.ui.dialogs import backups_dialog
from annotator.ui.dialogs.backups_dialog import BackupsDialog

REVIEW = "Marchetti is superb. The ending: the keeper was her father. Too long, sadly."
OTHER = "Night Orchard\n\nA patient western that earns its ending."



@pytest.fixture
def answers(monkeypatch):
    """The message boxes that would wait for a click: questions answered yes, what the
    boxes said kept (the dialog's, and the window's own)."""
    said: list[str] = []
    monkeypatch.setattr(backups_dialog, "confirm", lambda parent, title, text: True)
    for module in (backups_dialog, main_window):
        monkeypatch.setattr(module, "inform",
                            lambda parent, title, text, warning=False: said.append(text))
    return said


def file_action(window, text: str):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a for a in file_menu.actions() if a.text() == text)


def in_backups_dialog(qtbot, window, *steps) -> list:
    """Open File → Backups…, run each step on the dialog, then click Close; returns what
    each step returned (asserted afterwards, outside Qt's event loop)."""
    seen: list = []

    def drive():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, BackupsDialog):
            QTimer.singleShot(20, drive)
            return
        for step in steps:
            seen.append(step(dialog))
        close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    file_action(window, "&Backups…").trigger()
    window.activateWindow()  # as the desktop does when a dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return seen


def click(qtbot, dialog, name):
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def make_span(qtbot, window, phrase: str, key=Qt.Key.Key_1, text: str = REVIEW) -> None:
    select_with_keyboard(qtbot, window.view, text, phrase)
    qtbot.keyClick(window.view, key)


def test_file_backups_lists_the_backups_and_closes(qtbot, open_window, answers):
    window = open_window(REVIEW)
    window.workspace.backup()
    window.workspace.backup()

    [rows] = in_backups_dialog(qtbot, window, lambda d: [d.model.index(r, 1).data()
                                                         for r in range(d.model.rowCount())])

    assert rows == ["made by hand", "made by hand", "daily"]  # daily: when REVIEW came in
    assert QApplication.activeModalWidget() is None  # closed again
    assert not answers  # nothing to say: nothing was done


def test_a_restore_from_the_dialog_shows_the_backed_up_state_at_once(qtbot, open_window,
                                                                    tmp_path, answers):
    window = open_window(REVIEW)
    make_span(qtbot, window, "the keeper was her father")
    assert window.spans_label.text() == "1 span"
    in_backups_dialog(qtbot, window, lambda d: click(qtbot, d, "backupNow"))
    assert "Backed up" in answers[-1]
    # More work after the backup: two spans, and a second document, open.
    make_span(qtbot, window, "Marchetti is superb", Qt.Key.Key_2)
    make_span(qtbot, window, "Too long", Qt.Key.Key_3)
    assert window.spans_label.text() == "3 spans"
    first = window.document_id
    (tmp_path / "other.txt").write_text(OTHER, encoding="utf-8")
    window.workspace.import_paths([tmp_path / "other.txt"])
    assert window.documents.rowCount() == 2 and window.undo.undo_action.isEnabled()
    window.open_row(1)
    assert window.document_id != first and "A patient western" in window.text

    def restore_the_backup(dialog):
        dialog.table.selectRow(next(r for r in range(dialog.model.rowCount())
                                    if dialog.model.index(r, 1).data() == "made by hand"))
        click(qtbot, dialog, "restore")
        # Behind the still open dialog, the window shows the restored database already.
        return window.documents.rowCount(), window.text, window.spans_label.text()

    [behind] = in_backups_dialog(qtbot, window, restore_the_backup)

    assert behind == (1, REVIEW, "1 span")
    assert "Restored the backup made" in answers[-1]
    assert window.document_id == first and window.view.toPlainText() == REVIEW
    assert window.span_panel.model.rowCount() == 1 and len(window.view.spans) == 1
    assert [s.text for s in window.view.spans.values()] == ["the keeper was her father"]
    assert window.documents.rowCount() == 1 and window.documents.total == 1
    # Undo would replay edits on a database that no longer holds them: it starts afresh.
    assert not window.undo.undo_action.isEnabled() and window.undo.count() == 0
    assert window.undo.undo_action.text() == "&Undo"
    make_span(qtbot, window, "Too long", Qt.Key.Key_3)  # and work goes on as before
    assert window.spans_label.text() == "2 spans" and window.undo.undo_action.isEnabled()


@pytest.fixture
def damaged_db(tmp_path, open_workspace):
    """A database with one review and one span, backed up by hand, then damaged."""
    path = tmp_path / "w.db"
    (tmp_path / "r.txt").write_text(REVIEW, encoding="utf-8")
    ws = open_workspace(path)
    ws.import_paths([tmp_path / "r.txt"])
    doc = ws.document_ids()[0]
    ws.add_span(doc, ws.labels()[0].uuid, REVIEW.index("the keeper"), REVIEW.index(". Too"))
    ws.backup()
    ws.close()
    damage_an_index(path)
    return path


def test_a_damaged_database_opens_with_its_banner_refuses_edits_plainly_and_is_restored(
        qtbot, open_window, damaged_db, answers):
    window = open_window(db=damaged_db.name)
    banner = window.state_banner
    assert banner.isVisible() and banner.kind == "damaged"
    assert banner.text.text().startswith(f"{damaged_db} is damaged, so it is open for "
                                         "reading only: nothing can be changed or saved.")
    # What SQLite found is there for whoever wants it, as typed.
    assert "It is open for reading only: restore a backup." in banner.text.toolTip()
    assert banner.text.textFormat() == Qt.TextFormat.PlainText
    assert not banner.close_button.isVisible()  # it stays while the damage does
    assert [b.text() for b in banner.buttons] == ["Restore latest backup", "Backups…"]
    assert window.saved_label.text() == "Read only"
    assert window.text == REVIEW and window.spans_label.text() == "1 span"  # still readable

    # Edits, key after key: refused in one line each, no message box to click away.
    before = damaged_db.read_bytes()
    for key in (Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_2):
        make_span(qtbot, window, "Marchetti is superb", key)
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    message = window.statusBar().currentMessage()
    assert message.startswith("Not saved: this database is damaged")
    assert "Traceback" not in message and "tree page" not in message
    assert answers == []  # no "Not saved" box, not one
    assert damaged_db.read_bytes() == before
    assert window.spans_label.text() == "1 span" and window.undo.count() == 0

    qtbot.mouseClick(banner.buttons[0], Qt.MouseButton.LeftButton)  # Restore latest backup

    assert banner.isHidden() and window.saved_label.text() == "All changes saved"
    assert not window.workspace.damaged and window.workspace.check().ok
    assert "Restored the backup made" in window.statusBar().currentMessage()
    assert window.text == REVIEW and window.spans_label.text() == "1 span"
    make_span(qtbot, window, "Marchetti is superb", Qt.Key.Key_2)  # edits are saved again
    assert window.spans_label.text() == "2 spans" and window.workspace.count_spans() == 2
    assert answers == []


def test_the_damage_banner_opens_the_backups_with_the_newest_chosen(qtbot, open_window,
                                                                   damaged_db, answers):
    window = open_window(db=damaged_db.name)
    seen = []

    def drive():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, BackupsDialog):
            QTimer.singleShot(20, drive)
            return
        seen.append((dialog.selected().description, dialog.damage.text()))
        dialog.reject()

    QTimer.singleShot(0, drive)
    qtbot.mouseClick(window.state_banner.buttons[1], Qt.MouseButton.LeftButton)  # Backups…
    [(chosen, damage_said)] = seen
    assert chosen == "made by hand" and "is damaged" in damage_said
    assert window.state_banner.isVisible()  # nothing restored: the damage is still there


def test_a_damaged_database_without_backups_offers_only_the_list(qtbot, open_window,
                                                                damaged_db, backups_folder):
    import shutil

    shutil.rmtree(backups_folder)
    window = open_window(db=damaged_db.name)
    assert [b.text() for b in window.state_banner.buttons] == ["Backups…"]


def test_a_text_changed_behind_our_back_is_warned_of_while_it_is_open(
        qtbot, open_window, tmp_path, open_workspace, monkeypatch):
    """Guarantee 6, in the window: the content hash, once per opening of the document;
    the title quoted as typed, markup and all."""
    title = "<img src=/etc/hostname> <b>Night</b> Orchard"
    path = tmp_path / "t.db"
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text(REVIEW, encoding="utf-8")
    (inbox / "b.txt").write_text(OTHER, encoding="utf-8")
    ws = open_workspace(path)
    ws.import_paths([inbox])
    changed = next(d for d in ws.document_ids() if ws.document(d).text == REVIEW)
    ws.rename_document(changed, title)
    ws.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET text = 'Inserted. ' || text WHERE id = ?", (changed,))
    conn.commit()
    conn.close()

    window = open_window(db=path.name)
    checks = []
    real = window.workspace.text_check
    monkeypatch.setattr(window.workspace, "text_check",
                        lambda doc: checks.append(doc.id) or real(doc))
    fine = next(d for d in window.documents.ids if d != changed)
    window.open_document(fine)
    assert window.text_banner.isHidden()
    window.open_document(changed)

    banner = window.text_banner
    assert banner.isVisible() and banner.kind == "warning" and checks == [fine, changed]
    assert banner.text.textFormat() == Qt.TextFormat.PlainText
    assert f"The text of “{title}” is not the text that was imported" in banner.text.text()
    assert [b.text() for b in banner.buttons] == ["Backups…"]
    assert window.state_banner.isHidden()  # the database itself is whole
    # Work on the document does not hash its text again.
    make_span(qtbot, window, "Inserted", text=window.text)
    window.zoom(1)
    assert window.spans_label.text() == "1 span" and checks == [fine, changed]
    # Another document whose text is fine: the warning goes; back again: it returns.
    window.open_document(fine)
    assert banner.isHidden()
    window.open_document(changed)
    assert banner.isVisible() and checks[-1] == changed
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)  # dismissed: gone
    assert banner.isHidden()


def test_a_database_that_cannot_be_written_here_says_so_once_and_refuses_edits(
        qtbot, open_window, tmp_path, open_workspace, monkeypatch, answers):
    from annotator.store import database

    path = tmp_path / "ro.db"
    (tmp_path / "r.txt").write_text(REVIEW, encoding="utf-8")
    ws = open_workspace(path)
    ws.import_paths([tmp_path / "r.txt"])
    ws.close()
    monkeypatch.setattr(database, "writable", lambda path: False)  # as a read-only share
    window = open_window(db=path.name)

    banner = window.state_banner
    assert banner.isVisible() and banner.kind == "info" and banner.buttons == []
    assert "open for reading only" in banner.text.text() and str(path) in banner.text.text()
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden() and window.saved_label.text() == "Read only"
    make_span(qtbot, window, "Too long", Qt.Key.Key_3)
    assert window.statusBar().currentMessage() == (
        "Not saved: this database is open for reading only (it cannot be written here).")
    assert banner.isVisible()  # back, to say why
    assert answers == [] and window.workspace.count_spans() == 0


def test_what_opening_noted_is_shown_and_can_be_dismissed(qtbot, open_window, tmp_path,
                                                         open_workspace, monkeypatch):
    from annotator.store import db as db_module

    path = tmp_path / "big.db"
    (tmp_path / "r.txt").write_text(REVIEW, encoding="utf-8")
    ws = open_workspace(path)
    ws.import_paths([tmp_path / "r.txt"])
    ws.close()
    monkeypatch.setattr(db_module, "QUICK_CHECK_SECONDS", 0.0)  # as for a huge database
    monkeypatch.setattr(db_module, "quick_check", out_of_time)
    window = open_window(db=path.name)

    [note] = window.note_banners
    assert note.isVisible() and note.kind == "info"
    assert "was not checked for damage when opened" in note.text.text()
    assert note.text.textFormat() == Qt.TextFormat.PlainText
    assert window.state_banner.isHidden()  # it is not read only: work goes on
    qtbot.mouseClick(note.close_button, Qt.MouseButton.LeftButton)
    assert note.isHidden()


def test_a_document_on_a_damaged_page_is_an_empty_pane_and_a_warning_not_a_crash(
        qtbot, open_window, monkeypatch):
    from annotator.domain.errors import DatabaseCorrupt

    window = open_window(REVIEW, OTHER)
    bad, good = window.documents.ids
    real = window.workspace.document

    def document(doc_id):
        if doc_id == bad:
            raise DatabaseCorrupt("the database file is damaged (database disk image is "
                                  "malformed)")
        return real(doc_id)
    monkeypatch.setattr(window.workspace, "document", document)

    window.open_document(good)
    window.open_document(bad)

    assert window.document_id == bad and window.view.toPlainText() == ""
    assert window.span_panel.model.rowCount() == 0
    assert window.text_banner.isVisible() and window.text_banner.text.text().startswith(
        "This document cannot be read: The database file is damaged")
    window.open_document(good)
    assert window.text_banner.isHidden() and window.text


def out_of_time(path, seconds):
    """The check at open ran out of time (a large database, a cold disk)."""
    from annotator.store.db import Integrity

    return Integrity(None, (), seconds)
