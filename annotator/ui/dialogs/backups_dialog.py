"""File → Backups…: the database's backups with when, why and size; back up now, restore
one (the database as it is backed up first), and check the whole database for damage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.text import size_text
from annotator.workspace import Workspace

from ..plain import plain_label, tooltip
from .messages import confirm, inform

COLUMNS = ("Made", "Why", "Size")
_Index = QModelIndex | QPersistentModelIndex


class BackupsModel(QAbstractTableModel):
    """The backups, newest first; a row's backup is `backup(row)`."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._backups: list = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._backups = self.workspace.backups()
        self.endResetModel()

    def backup(self, row: int):
        return self._backups[row]

    def of_another_database(self, backup) -> bool:
        """Listed while this database holds nothing: a backup of one kept here before."""
        return bool(backup.holds) and backup.database != self.workspace.database_uuid

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._backups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._backups):
            return None
        backup = self._backups[index.row()]
        theirs = self.of_another_database(backup)
        if role == Qt.ItemDataRole.DisplayRole:
            why = (f"{backup.description}, of another database ({backup.holds})" if theirs
                   else backup.description)
            return (f"{backup.made:%Y-%m-%d %H:%M}", why, size_text(backup.size))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            whose = (f"\nA backup of the database {backup.database}, once kept at this "
                     "path." if theirs else "")
            return tooltip(f"{backup.path}{whose}")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None


class BackupsDialog(QDialog):
    # A backup was put in place of the database: emitted at once, before the dialog closes,
    # so the window behind shows the restored state (its damage banner goes) meanwhile.
    database_restored = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.restored = False
        self.setWindowTitle("Backups")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        self.damage = plain_label(QLabel(self))
        self.damage.setObjectName("backupsDamage")
        self.damage.setWordWrap(True)
        self.damage.setStyleSheet("color: #a94442;")
        layout.addWidget(self.damage)
        about = plain_label(QLabel(self), (
            f"Backups of {workspace.path}. Made by themselves once a day when the database "
            "is opened (the last 7 days are kept) and before every upgrade, merge and "
            "restore; kept in a folder of your own, apart from the database."))
        about.setWordWrap(True)
        layout.addWidget(about)

        self.model = BackupsModel(workspace, self)
        self.table = QTableView(self)
        self.table.setObjectName("backupsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, mode in ((0, QHeaderView.ResizeMode.ResizeToContents),
                             (1, QHeaderView.ResizeMode.Stretch),
                             (2, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)  # a date on one line, never wrapped
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.empty = plain_label(QLabel(self), "No backups yet: the first is made when the "
                                               "database holds documents, or with Back up now.")
        layout.addWidget(self.empty)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.backup_button = self._button("&Back up now", self.back_up_now, "backupNow")
        self.restore_button = self._button("&Restore…", self.restore_selected, "restore")
        self.restore_file_button = self._button("Restore from &file…", self.restore_from_file,
                                                "restoreFromFile")
        self.check_button = self._button("&Check database", self.check, "checkDatabase")
        self.copy_button = self._button("Copy &path", self.copy_path, "copyPath")
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    def _button(self, text: str, slot, name: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _=False: slot())
        return button

    def _update(self) -> None:
        damaged = self.workspace.damaged
        self.damage.setText(damaged or "")
        self.damage.setVisible(bool(damaged))
        self.empty.setVisible(self.model.rowCount() == 0)
        chosen = self.selected() is not None
        self.restore_button.setEnabled(chosen)
        self.copy_button.setEnabled(chosen)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup(rows[0].row()) if rows else None

    def select_newest(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)

    # --- actions --------------------------------------------------------------------------
    def back_up_now(self) -> None:
        try:
            with _busy():
                made = self.workspace.backup()
        except AnnotatorError as e:
            inform(self, "Backup", f"No backup was made: {e}", warning=True)
            return
        self.model.reload()
        self.select_newest()
        self._update()
        inform(self, "Backup", f"Backed up ({size_text(made.size)}) to {made.path}.")

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is not None:
            self._restore(backup.path, describe(backup))

    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore a backup", str(self.workspace.path),
            "Annotator databases (*.db *.sqlite *.annotator);;All files (*)")
        if name:
            self._restore(Path(name), str(name))

    def _restore(self, path: Path, what: str) -> None:
        done = ask_and_restore(self, self.workspace, path, what)
        self.model.reload()
        self._update()
        if done:
            self.restored = True
            self.database_restored.emit()
            inform(self, "Restore", f"Restored {what}: "
                                    f"{self.workspace.count_documents():,} documents.")

    def check(self) -> None:
        try:
            with _busy():
                result = self.workspace.check()
        except AnnotatorError as e:
            inform(self, "Check", f"The check could not be made: {e}", warning=True)
            return
        if result.ok:
            inform(self, "Check", f"No damage found ({result.seconds:.1f} s).")
        else:
            problems = "\n".join(f"• {p}" for p in result.problems[:10])
            inform(self, "Check", f"The database is damaged:\n{problems}\n\nRestore a "
                                  "backup made before the damage.", warning=True)

    def copy_path(self) -> None:
        backup = self.selected()
        if backup is not None:
            QGuiApplication.clipboard().setText(str(backup.path))

    @classmethod
    def show_for(cls, parent: QWidget | None, workspace: Workspace, newest: bool = False,
                 on_restore: Callable[[], object] | None = None) -> bool:
        """Run the dialog; True if a backup was restored (the views then reload from the
        workspace's announced change). `newest`: the latest backup chosen already (the
        damage banner's offer). `on_restore`: called as soon as a backup is restored."""
        dialog = cls(workspace, parent)
        if on_restore is not None:
            dialog.database_restored.connect(on_restore)
        if newest:
            dialog.select_newest()
        dialog.exec()
        dialog.deleteLater()  # a child of the window: not kept for each opening
        return dialog.restored


def describe(backup) -> str:
    """A backup as a person names it: when it was made, and why."""
    return f"the backup made {backup.made:%Y-%m-%d %H:%M} ({backup.description})"


def ask_and_restore(parent: QWidget | None, workspace: Workspace, path: Path,
                    what: str, note: str = "") -> bool:
    """Restore `path` (named `what`) over the database after a yes (`note` said with the
    question); True if it was. Says why not when it fails (a damaged backup, another
    database's): nothing changed then."""
    if not confirm(parent, "Restore a backup",
                   f"Replace everything in {workspace.path} with {what}? "
                   + (f"{note} " if note else "")
                   + "Work saved since then is not lost: the database as it is now is backed "
                     "up first, and can be restored in turn."):
        return False
    try:
        with _busy():
            workspace.restore(path)
    except AnnotatorError as e:
        inform(parent, "Restore", f"Nothing was restored: {e}", warning=True)
        return False
    return True


def restore_newest(parent: QWidget | None, workspace: Workspace) -> str | None:
    """The damage banner's offer: the newest backup that is whole, after a yes (a newer
    one that is itself damaged, made by Back up now on the damaged database, is passed
    over, and the question says so). What was restored (for the window to say), or None
    if nothing was."""
    with _busy():
        backup, passed = workspace.newest_whole_backup()
    if backup is None:
        if passed:
            inform(parent, "Restore", f"No backup of {workspace.path} can be restored: "
                                      + "; ".join(f"{describe(b)}: {why}" for b, why in passed)
                                      + ". If you have a copy of it, choose it with File → "
                                        "Backups… → Restore from file.", warning=True)
        else:
            inform(parent, "Restore", f"There is no backup of {workspace.path} yet. If you "
                                      "have a copy of it, choose it with File → Backups… → "
                                      "Restore from file.", warning=True)
        return None
    what = describe(backup)
    newer = [f"The newer {describe(b).removeprefix('the ')} {{}} passed over: {why}."
             for b, why in passed]
    if not ask_and_restore(parent, workspace, backup.path, what,
                           " ".join(n.format("is") for n in newer)):
        return None
    return " ".join([f"{what}.", *(n.format("was") for n in newer)]).rstrip(".")


class _busy:
    """A wait cursor while a backup, restore or check runs (seconds a gigabyte)."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc) -> None:
        QGuiApplication.restoreOverrideCursor()
