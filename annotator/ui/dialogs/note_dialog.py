"""Edits the note on one span: a multi-line, plain-text comment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..models.span_table import excerpt


class NoteDialog(QDialog):
    def __init__(self, label: str, span_text: str, note: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note on span")
        layout = QVBoxLayout(self)
        heading = QLabel(f"{label}: “{excerpt(span_text, 120)}”", self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("noteEditor")
        self.editor.setPlainText(note)
        self.editor.setPlaceholderText("Why this label? Anything a second annotator should know.")
        self.editor.setTabChangesFocus(True)
        layout.addWidget(self.editor)
        hint = QLabel("Ctrl+Enter saves. An empty note removes the note.", self)
        hint.setEnabled(False)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.resize(480, 260)

    def note(self) -> str:
        return self.editor.toPlainText()

    @classmethod
    def ask(cls, parent: QWidget | None, label: str, span_text: str, note: str) -> str | None:
        """The new note ("" to remove it), or None when cancelled."""
        dialog = cls(label, span_text, note, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.note()
