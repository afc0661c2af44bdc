"""The Help menu: About Annotator, the keyboard shortcuts, and the folder the database is in
(where a bug report's database, or a backup to hand on, is found)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices

from .dialogs.messages import inform

if TYPE_CHECKING:
    from .main_window import MainWindow


def data_folder_url(database: str | Path) -> QUrl:
    """The folder holding the open database, as a URL for the file manager."""
    return QUrl.fromLocalFile(str(Path(database).resolve().parent))


class Help:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def make_menu(self) -> None:
        window = self.window
        menu = window.menuBar().addMenu("&Help")
        window._action(menu, "&Keyboard shortcuts", self.show_shortcuts, "Ctrl+/")
        window._action(menu, "Open &data folder", self.open_data_folder)
        menu.addSeparator()
        self.about_action = window._action(menu, "&About Annotator", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)  # the app menu, on macOS

    def show_about(self) -> None:
        from .dialogs.about_dialog import AboutDialog
        AboutDialog.show_for(self.window.workspace, self.window)

    def show_shortcuts(self) -> None:
        from .dialogs.shortcuts_dialog import ShortcutsDialog
        ShortcutsDialog.show_for(self.window)

    def open_data_folder(self) -> None:
        url = data_folder_url(self.window.workspace.path)
        if not QDesktopServices.openUrl(url):
            inform(self.window, "Folder not opened",
                   f"No file manager could open {url.toLocalFile()}.", warning=True)
