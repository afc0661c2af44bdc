"""Help → Keyboard shortcuts: every key the window answers to. The actions' keys are read from
the window's menus and actions when the dialog opens (so a label's new key, or an action
added later, is there without anyone listing it); the keys that are not actions (the
document pane's suggestion keys, selecting, the search box) come from KEYS_BESIDE_ACTIONS."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..plain import tooltip


@dataclass(frozen=True)
class Shortcut:
    where: str  # the menu path ("View"), or the pane the key works in
    what: str  # the action's name, without its "&"
    keys: str  # in the platform's own spelling ("Ctrl+Shift+C", "⇧⌘C")


# Keys handled by the widgets themselves, not by QActions. Keep to the README's "Annotating"
# and "Suggestions" tables. (where, what, keys as portable text)
KEYS_BESIDE_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Document", "Label the selection, or relabel the selected span", "1, 2, 3, 4, 5, 6, 7, 8, 9"),
    ("Document", "Select text", "Shift+Left, Shift+Right, Shift+Up, Shift+Down"),
    ("Document", "Select word by word", "Ctrl+Shift+Left, Ctrl+Shift+Right"),
    ("Document", "Select exactly, not snapped to words", "Alt+drag"),
    ("Document", "Zoom in / out", "Ctrl+wheel"),
    ("Document", "The spans' menu (label, note, delete)", "Menu, Shift+F10"),
    ("Document, with suggestions", "Next suggestion", "Tab"),
    ("Document, with suggestions", "Previous suggestion", "Shift+Tab"),
    ("Document, with suggestions", "Accept the current suggestion", "Enter"),
    ("Document, with suggestions", "Reject the current suggestion", "Backspace"),
    ("Document, with suggestions", "Accept every suggestion in the document", "Shift+Enter"),
    ("Documents search box", "Search now", "Enter"),
    ("Documents search box", "Clear the search", "Esc"),
    ("Documents search box", "Into the list", "Down"),
)


def native(keys: str) -> str:
    """Portable key text in the platform's spelling; what is not a key ("wheel") stays."""
    if "drag" in keys or "wheel" in keys:
        return keys
    return ", ".join(QKeySequence(k.strip()).toString(QKeySequence.SequenceFormat.NativeText)
                     for k in keys.split(","))


def name_of(action: QAction) -> str:
    """The action's text as shown: "&&" is a literal "&", a single "&" marks the mnemonic."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys_of(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                     for s in action.shortcuts() if not s.isEmpty())


def _pane_of(action: QAction, window: QWidget) -> str:
    """Where an action outside the menus works: its dock's title, else the window."""
    widget = action.parent()
    while isinstance(widget, QWidget) and widget is not window:
        if isinstance(widget, QDockWidget):
            return widget.windowTitle()
        widget = widget.parentWidget()
    return "Window"


def window_shortcuts(window: QMainWindow) -> list[Shortcut]:
    """Every action of the window that has a key: those in the menus with their menu path,
    then any other (a pane's own, a context menu's) with the pane it is in."""
    found: list[Shortcut] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} → {name_of(action)}")
            elif id(action) not in seen and keys_of(action):
                seen.add(id(action))
                found.append(Shortcut(path, name_of(action), keys_of(action)))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, name_of(top))
    for action in window.findChildren(QAction):
        if id(action) not in seen and keys_of(action):
            seen.add(id(action))
            found.append(Shortcut(_pane_of(action, window), name_of(action), keys_of(action)))
    return found


def all_shortcuts(window: QMainWindow) -> list[Shortcut]:
    return [*window_shortcuts(window),
            *(Shortcut(where, what, native(keys)) for where, what, keys in KEYS_BESIDE_ACTIONS)]


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.shortcuts = all_shortcuts(window)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Where", "Action", "Keys"])
        for shortcut in self.shortcuts:
            # QStandardItem text is plain: a label's name from a file shows as typed.
            row = [QStandardItem(text) for text in (shortcut.where, shortcut.what, shortcut.keys)]
            for item in row:
                item.setEditable(False)
                item.setToolTip(tooltip(item.text()))  # the whole of an elided text
            self.model.appendRow(row)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)  # any column: "F3", "search" and "View" all find
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter: an action, a key or a menu")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        # one line a row: the default height (room for an editor) halves what is in view
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(900, 640)

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows shown now (after the filter)."""
        data = self.proxy.index
        return [(data(r, 0).data(), data(r, 1).data(), data(r, 2).data())
                for r in range(self.proxy.rowCount())]

    @classmethod
    def show_for(cls, window: QMainWindow) -> None:
        cls(window).exec()
