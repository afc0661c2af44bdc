"""Edits the label set: add, rename, recolour, reorder, set keys, guidelines and cues,
delete."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Label, new_uuid
from annotator.services.cues import cue_problems
from annotator.services.labels import KEYS, is_colour, problems, tidy

from ..icons import swatch
from .messages import confirm

# Okabe-Ito, safe with the common forms of colour blindness. Lighter ones first: a span is
# painted as a tint of its colour behind the text, and black only gives a grey tint.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#CC79A7", "#D55E00", "#0072B2",
           "#999999", "#000000")
NO_KEY = "none"


def unused_colour(labels: list[Label]) -> str:
    used = {label.colour.upper() for label in labels}
    return next((c for c in PALETTE if c not in used), PALETTE[len(labels) % len(PALETTE)])


def free_key(labels: list[Label]) -> str:
    used = {label.shortcut for label in labels}
    return next((k for k in KEYS if k not in used), "")


def unused_name(labels: list[Label]) -> str:
    used = {label.name.casefold() for label in labels}
    name, n = "new label", 1
    while name in used:
        n += 1
        name = f"new label {n}"
    return name


def _same(a: list[Label], b: list[Label]) -> bool:
    """Equal apart from position numbers, which only the order decides."""
    return [replace(x, position=0) for x in a] == [replace(y, position=0) for y in b]


class LabelDialog(QDialog):
    def __init__(self, labels: list[Label], span_counts: dict[str, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self.original = list(labels)
        self.labels = list(labels)  # the set being edited, in its new order
        self.span_counts = span_counts
        self._loading = False  # filling the form from a label, not the user typing

        self.list = QListWidget(self)
        self.list.setObjectName("labelList")
        self.add_button = self._button("Add", "addLabel", self.add_label)
        self.delete_button = self._button("Delete", "deleteLabel", self.delete_label)
        self.up_button = self._button("Move up", "moveUp", lambda: self.move_selected(-1))
        self.down_button = self._button("Move down", "moveDown", lambda: self.move_selected(1))
        left = QVBoxLayout()
        left.addWidget(self.list)
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            left.addWidget(button)

        self.name = QLineEdit(self)
        self.name.setObjectName("labelName")
        self.colour = QLineEdit(self)
        self.colour.setObjectName("labelColour")
        self.colour.setPlaceholderText("#RRGGBB")
        self.swatch = QLabel(self)
        self.swatch.setObjectName("labelSwatch")
        self.choose_button = self._button("Choose…", "chooseColour", self.choose_colour)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.swatch)
        colour_row.addWidget(self.colour)
        colour_row.addWidget(self.choose_button)
        self.key = QComboBox(self)
        self.key.setObjectName("labelKey")
        self.key.addItems([NO_KEY, *KEYS])
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("labelDescription")
        self.description.setPlaceholderText(
            "When to use this label; annotators see it as the label's tooltip.")
        self.cues = QPlainTextEdit(self)
        self.cues.setObjectName("labelCues")
        self.cues.setPlaceholderText(
            "Words that suggest this label, one phrase per line, e.g. turns out\n"
            "or re: followed by a regular expression, e.g. re:dies? (in|at) the end\n"
            "# starts a comment")
        self.form = QWidget(self)
        form = QFormLayout(self.form)
        form.addRow("&Name:", self.name)
        colour_label = QLabel("&Colour:", self)
        colour_label.setBuddy(self.colour)  # a row of widgets has no buddy of its own
        form.addRow(colour_label, colour_row)
        form.addRow("&Key:", self.key)
        form.addRow("&Guideline:", self.description)
        form.addRow("Cu&es:", self.cues)

        self.problems = QLabel(self)
        self.problems.setObjectName("labelProblems")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #B00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.setObjectName("buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self.form, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.list.currentRowChanged.connect(self._show)
        self.name.textChanged.connect(lambda text: self._edit(name=text))
        self.colour.textChanged.connect(lambda text: self._edit(colour=text))
        self.key.currentTextChanged.connect(
            lambda text: self._edit(shortcut="" if text == NO_KEY else text))
        self.description.textChanged.connect(
            lambda: self._edit(description=self.description.toPlainText()))
        self.cues.textChanged.connect(lambda: self._edit(cues=self.cues.toPlainText()))

        for label in self.labels:
            self.list.addItem(self._item(label))
        self.list.setCurrentRow(0 if self.labels else -1)
        self._show(self.list.currentRow())
        self._check()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Return in a field should press OK, not Add or Delete
        button.clicked.connect(lambda _=False: slot())
        return button

    @staticmethod
    def _item(label: Label) -> QListWidgetItem:
        item = QListWidgetItem()
        LabelDialog._paint(item, label)
        return item

    @staticmethod
    def _paint(item: QListWidgetItem, label: Label) -> None:
        item.setText(f"{label.name} ({label.shortcut})" if label.shortcut else label.name)
        item.setIcon(swatch(label.colour.strip()) if is_colour(label.colour) else QIcon())

    def current(self) -> int:
        return self.list.currentRow()

    # --- the form -------------------------------------------------------------------------
    def _show(self, row: int) -> None:
        """Fill the form from the label at row, without counting that as an edit."""
        self._loading = True
        try:
            label = self.labels[row] if 0 <= row < len(self.labels) else None
            self.form.setEnabled(label is not None)
            self.name.setText(label.name if label else "")
            self.colour.setText(label.colour if label else "")
            # -1 (blank) for a key that is not offered, so that any choice counts as an edit
            self.key.setCurrentIndex(self.key.findText((label.shortcut or NO_KEY) if label
                                                       else NO_KEY))
            self.description.setPlainText(label.description if label else "")
            self.cues.setPlainText(label.cues if label else "")
            self._show_swatch(label.colour if label else "")
        finally:
            self._loading = False
        self._update_buttons()

    def _show_swatch(self, colour: str) -> None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(QColor(colour.strip()) if is_colour(colour)
                    else QColor(Qt.GlobalColor.transparent))
        self.swatch.setPixmap(pixmap)

    def _edit(self, **changes) -> None:
        row = self.current()
        if self._loading or not 0 <= row < len(self.labels):
            return
        self.labels[row] = replace(self.labels[row], **changes)
        self._paint(self.list.item(row), self.labels[row])
        if "colour" in changes:
            self._show_swatch(changes["colour"])
        self._check()

    def choose_colour(self) -> None:
        row = self.current()
        if not 0 <= row < len(self.labels):
            return
        chosen = QColorDialog.getColor(QColor(self.labels[row].colour), self, "Label colour")
        if chosen.isValid():
            self.colour.setText(chosen.name().upper())

    def _check(self) -> None:
        found = problems(self.labels) + cue_problems(self.labels)
        self.problems.setText("\n".join(found))
        self.problems.setVisible(bool(found))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not found)

    def _update_buttons(self) -> None:
        row = self.current()
        self.delete_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self.labels) - 1)

    # --- the list -------------------------------------------------------------------------
    def add_label(self) -> None:
        label = Label(new_uuid(), unused_name(self.labels), unused_colour(self.labels),
                      free_key(self.labels), "", len(self.labels))
        self.labels.append(label)
        self.list.addItem(self._item(label))
        self.list.setCurrentRow(len(self.labels) - 1)
        self._check()
        self.name.setFocus()
        self.name.selectAll()  # typing replaces "new label"

    def delete_label(self) -> None:
        row = self.current()
        if not 0 <= row < len(self.labels):
            return
        label = self.labels[row]
        count = self.span_counts.get(label.uuid, 0)
        if count and not confirm(
                self, "Delete label",
                f"Delete “{label.name}” and its {count} span{'s' if count != 1 else ''}?\n\n"
                "The spans of every annotator with this label are deleted when you press OK."):
            return
        del self.labels[row]
        self.list.takeItem(row)
        self._show(self.current())
        self._check()

    def move_selected(self, step: int) -> None:
        row = self.current()
        to = row + step
        if not (0 <= row < len(self.labels) and 0 <= to < len(self.labels)):
            return
        self.labels[row], self.labels[to] = self.labels[to], self.labels[row]
        self.list.insertItem(to, self.list.takeItem(row))
        self.list.setCurrentRow(to)

    # --- the result -----------------------------------------------------------------------
    def accept(self) -> None:
        # OK is disabled while there are problems; this also stops any other way of
        # accepting (a default button, a test) from saving a set that cannot be used.
        if problems(self.labels) or cue_problems(self.labels):
            self._check()
            return
        super().accept()

    def result_labels(self) -> list[Label]:
        """The edited set as it will be saved: tidied, positions in list order."""
        return [replace(tidy(label), position=i) for i, label in enumerate(self.labels)]

    def changed(self) -> bool:
        return not _same(self.result_labels(), [tidy(label) for label in self.original])

    @classmethod
    def ask(cls, parent: QWidget | None, labels: list[Label], span_counts: dict[str, int]
            ) -> list[Label] | None:
        """The new label set, or None when cancelled or nothing changed."""
        dialog = cls(labels, span_counts, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.changed():
                return None
            return dialog.result_labels()
        finally:
            # Not kept as a hidden child of the window: one per opening would pile up, and
            # a hidden dialog can stay the active window, keeping shortcuts from the window.
            dialog.deleteLater()
