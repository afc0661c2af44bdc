"""The Help menu: About Annotator (what a bug report needs), the data folder, and the keyboard
shortcuts, generated from the window so none is left out."""

import os
import platform
from collections import Counter

import pytest
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence

from annotator import __version__
from annotator.store.migrations import SCHEMA_VERSION
from annotator.ui import crash, help
from annotator.ui.dialogs.about_dialog import AboutDialog
from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog, keys_of, name_of

DB = "reviews <b>2026.db"  # a name that would read as markup if it were HTML


def help_action(window, name):
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    [action] = [a for a in menu.actions() if name_of(a) == name]
    return action


@pytest.fixture
def opened(monkeypatch):
    """The dialogs opened (not run: they would wait for a click)."""
    dialogs = []

    def record(self):
        dialogs.append(self)
        return 0

    monkeypatch.setattr(AboutDialog, "exec", record)
    monkeypatch.setattr(ShortcutsDialog, "exec", record)
    return dialogs


def test_about_names_the_version_database_folders_and_libraries(open_window, opened, tmp_path):
    window = open_window("Great film.\n", db=DB)
    help_action(window, "About Annotator").trigger()
    [about] = opened
    facts = {name: label.text() for name, label in about.values.items()}
    assert __version__ in facts["Version"]
    assert facts["Licence"] == "MIT"
    assert facts["Database"] == str(tmp_path / DB)
    assert facts["Schema version"] == str(SCHEMA_VERSION)
    assert facts["Logs"] == os.environ[crash.LOGS_ENV] == str(crash.log_folder())
    assert facts["Backups"].startswith(os.environ["ANNOTATOR_BACKUPS"])
    assert facts["Settings"].endswith("Annotator.conf")
    assert qVersion() in facts["Qt"] and "PySide6" in facts["Qt"]
    assert platform.python_version() in facts["Python"]
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in about.values.values())

    about.copy_button.click()  # for a bug report: all of it, as plain text
    copied = QGuiApplication.clipboard().text()
    assert f"Database: {tmp_path / DB}\n" in copied
    assert f"Schema version: {SCHEMA_VERSION}\n" in copied
    assert about.copy_button.text() == "Copied"


def test_open_data_folder_opens_the_databases_folder(open_window, tmp_path, monkeypatch):
    window = open_window("Great film.\n", db=DB)
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    help_action(window, "Open data folder").trigger()
    assert urls == [QUrl.fromLocalFile(str(tmp_path))]
    assert help.data_folder_url(tmp_path / DB).toLocalFile() == str(tmp_path)


def test_every_key_of_the_window_is_in_the_shortcuts(open_window, opened):
    window = open_window("Great film.\n")
    help_action(window, "Keyboard shortcuts").trigger()
    [dialog] = opened
    rows = dialog.rows()
    shown = Counter((what, keys) for _, what, keys in rows)
    actions = [a for a in window.findChildren(QAction) if any(not s.isEmpty()
                                                              for s in a.shortcuts())]
    assert len(actions) > 30  # the menus' keys, the labels' keys, the panes' own
    wanted = Counter((name_of(a), ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                                            for s in a.shortcuts())) for a in actions)
    # each action a row: the Spans panel's Delete as well as the Edit menu's
    assert not wanted - shown, wanted - shown
    assert ("Spans", "Delete span", keys_of(window.delete_action)) in rows
    # with their menu paths; and the keys that are not actions, from the README's tables
    assert ("View", "Next disagreement", "F8") in rows
    assert ("Help", "Keyboard shortcuts", "Ctrl+/") in rows
    assert ("Document, with suggestions", "Accept every suggestion in the document",
            "Shift+Enter") in rows
    assert ("Document, with suggestions", "Previous suggestion", "Shift+Tab") in rows


def test_a_labels_new_key_is_listed_the_next_time(open_window, opened):
    window = open_window("Great film.\n")
    label = window.labels[0]
    window.label_actions[label.name].setShortcut(QKeySequence("Ctrl+Alt+9"))
    ShortcutsDialog.show_for(window)
    assert any(keys == "Ctrl+Alt+9" and label.name in what for _, what, keys in opened[0].rows())


def test_the_filter_finds_by_key_name_or_menu(open_window, opened):
    window = open_window("Great film.\n")
    ShortcutsDialog.show_for(window)
    [dialog] = opened
    everything = len(dialog.rows())
    dialog.filter_box.setText("f3")
    assert {what for _, what, _ in dialog.rows()} == {"Next search hit", "Previous search hit"}
    dialog.filter_box.setText("suggestion")
    assert 5 <= len(dialog.rows()) < everything
    dialog.filter_box.clear()
    assert len(dialog.rows()) == everything
