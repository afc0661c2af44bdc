"""Help → About Annotator: the version, and everything a bug report needs to say: the database
and its schema, where data, settings, backups and logs live, the Qt and Python underneath."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import QSettings, Qt, qVersion
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator import APP_ID, __version__
from annotator.workspace import Workspace

from .. import crash
from ..plain import plain_label

LICENCE = "MIT"


def about_facts(workspace: Workspace) -> list[tuple[str, str]]:
    """(name, value) rows, in the order shown and copied."""
    database = workspace.about()
    return [
        ("Version", f"Annotator {__version__} ({APP_ID})"),
        ("Licence", LICENCE),
        ("Database", str(database.path)),
        ("Schema version", str(database.schema_version)),
        ("Data folder", str(database.data_folder)),
        ("Backups", str(database.backups)),
        ("Settings", QSettings().fileName()),
        ("Who you are here", str(database.user_state)),
        ("Logs", str(crash.log_folder())),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("Python", f"{platform.python_version()} on {platform.platform()}"),
    ]


def about_text(workspace: Workspace) -> str:
    """The facts as plain text, for a bug report."""
    return "\n".join(f"{name}: {value}" for name, value in about_facts(workspace)) + "\n"


class AboutDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Annotator")
        self.text = about_text(workspace)
        layout = QVBoxLayout(self)
        title = QLabel(f"Annotator {__version__}", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(plain_label(QLabel(self), "Annotate film and product reviews, "
                                     "export datasets, measure agreement."))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for name, value in about_facts(workspace):
            # Paths may hold any character, "<" included: plain text, and selectable.
            label = plain_label(QLabel(self), value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(f"{name}:", label)
            self.values[name] = label
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton("&Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip("Copy all of this, for a bug report")
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)
        self.copy_button.setText("Copied")

    @classmethod
    def show_for(cls, workspace: Workspace, parent: QWidget | None = None) -> None:
        cls(workspace, parent).exec()
