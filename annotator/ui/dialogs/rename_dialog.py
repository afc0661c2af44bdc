"""Document → Rename: a new title for a document (scraped titles are often junk)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class RenameDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rename document")
        self.resize(520, 0)
        layout = QVBoxLayout(self)
        caption = QLabel("&Title:", self)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        self.title = QLineEdit(title, self)
        self.title.setObjectName("documentTitle")
        self.title.selectAll()
        caption.setBuddy(self.title)
        layout.addWidget(caption)
        layout.addWidget(self.title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Rename")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(self._check)
        layout.addWidget(self.buttons)

    def _check(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    @classmethod
    def ask(cls, parent: QWidget | None, title: str) -> str | None:
        dialog = cls(title, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.title.text()
