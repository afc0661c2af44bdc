"""Team → Guidelines…: the lead writes the project's guidelines in Markdown, with a live
preview shown exactly as annotators will see it (no HTML, nothing loaded); saving stores
a new version."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..plain import plain_label
from ..views.guidelines_panel import GuidelinesView

PREVIEW_DELAY_MS = 250  # the preview follows typing, not every key


class GuidelinesDialog(QDialog):
    def __init__(self, found: tuple[int, str] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Guidelines")
        self.setObjectName("guidelinesDialog")
        self.resize(1000, 640)
        self.original = found[1] if found else ""
        version = (f"Editing version {found[0]}: saving makes version {found[0] + 1}."
                   if found else "No guidelines yet: saving makes version 1.")
        self.version = plain_label(QLabel(self), version + " Markdown; HTML is shown as "
                                   "typed and images or links are never loaded.")
        self.version.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("guidelinesEditor")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setPlainText(self.original)
        self.preview = GuidelinesView(self)
        self.preview.setObjectName("guidelinesPreview")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save as new version")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.version)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.update_preview)
        self.editor.textChanged.connect(self.timer.start)
        self.editor.textChanged.connect(self._check)
        self.update_preview()
        self._check()

    def update_preview(self) -> None:
        self.preview.show_markdown(self.editor.toPlainText())

    def _check(self) -> None:
        """Saving is offered once the text differs from the version stored."""
        text = self.editor.toPlainText()
        self.save_button.setEnabled(bool(text.strip()) and text != self.original)

    @classmethod
    def ask(cls, parent: QWidget | None, found: tuple[int, str] | None) -> str | None:
        dialog = cls(found, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.editor.toPlainText()
