"""Asks who is annotating: pick a known name or type a new one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class AnnotatorDialog(QDialog):
    def __init__(self, current: str, known: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Your name is saved with every span you make. Pick a name or type a new one;\n"
            "spans made under other names stay theirs."))
        self.name = QComboBox(self)
        self.name.setEditable(True)
        self.name.addItems(known)
        self.name.setCurrentText(current)
        layout.addWidget(self.name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons

    def chosen(self) -> str:
        return " ".join(self.name.currentText().split())

    @classmethod
    def ask(cls, parent: QWidget | None, current: str, known: list[str]) -> str | None:
        dialog = cls(current, known, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
            return None
        return dialog.chosen()
