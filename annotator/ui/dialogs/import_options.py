"""Before importing chosen files: how to read them. The choices are remembered."""

from __future__ import annotations

from typing import TypeVar, cast

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from annotator.domain.offsets import UNITS
from annotator.io.records import ReadOptions
from annotator.io.registry import READERS
from annotator.services.importing import ImportOptions

_KEY = "import/"
OFFSETS_KEY = "offsets_unit"  # "" for each format's own unit
_T = TypeVar("_T", str, bool)


def remembered() -> ImportOptions:
    """The options last chosen in the dialog (drag and drop uses them too)."""
    settings = QSettings()
    # Not "offsets": that older choice was "codepoint" for everyone who never changed it,
    # and would now read doccano and Label Studio files in the wrong unit.
    offsets = _value(settings, OFFSETS_KEY, "")
    title_from = _value(settings, "title_from", "line")
    return ImportOptions(
        read=ReadOptions(
            format=_value(settings, "format", "") or None,
            offsets=offsets if offsets in UNITS else None,
            text_column=_value(settings, "text_column", "") or None,
            title_from=title_from if title_from in ("line", "filename") else "line",
            annotator=_value(settings, "annotator", "") or None),
        clean=_value(settings, "clean", False))


def _value(settings: QSettings, name: str, default: _T) -> _T:
    """A remembered choice as the default's type: QSettings converts it to that type (its
    stub says object)."""
    return cast(_T, settings.value(_KEY + name, default, type=type(default)))


def _remember(options: ImportOptions) -> None:
    settings = QSettings()
    read = options.read
    for key, value in (("format", read.format or ""), (OFFSETS_KEY, read.offsets or ""),
                       ("text_column", read.text_column or ""),
                       ("title_from", read.title_from), ("annotator", read.annotator or ""),
                       ("clean", options.clean)):
        settings.setValue(_KEY + key, value)


class ImportOptionsDialog(QDialog):
    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import reviews")
        start = remembered()
        self.format = QComboBox(self)
        self.format.addItem("Tell by extension and content", None)
        for reader in READERS:
            self.format.addItem(reader.name, reader.key)
        self.format.setCurrentIndex(max(self.format.findData(start.read.format), 0))
        self.offsets = QComboBox(self)
        self.offsets.setObjectName("importOffsets")
        self.offsets.addItem("As each format's tools count (doccano, Label Studio: UTF-16 "
                             "units; the others: code points)", None)
        self.offsets.addItem("Code points (Python, spaCy, brat, Prodigy)", "codepoint")
        self.offsets.addItem("UTF-16 units (doccano, Label Studio, JavaScript)", "utf16")
        self.offsets.addItem("Grapheme clusters (doccano's \u201ccount grapheme clusters\u201d)",
                             "graphemes")
        self.offsets.setCurrentIndex(max(self.offsets.findData(start.read.offsets), 0))
        self.text_column = QLineEdit(start.read.text_column or "", self)
        self.text_column.setPlaceholderText("text, review, or the first column of long text")
        self.title_from = QComboBox(self)
        self.title_from.addItem("Its first line", "line")
        self.title_from.addItem("The file name", "filename")
        self.title_from.setCurrentIndex(max(self.title_from.findData(start.read.title_from), 0))
        self.annotator = QLineEdit(start.read.annotator or "", self)
        self.annotator.setPlaceholderText("the tool's name, e.g. doccano")
        self.clean = QCheckBox("Tidy raw text: trailing spaces, extra blank lines, repeated "
                               "paragraphs", self)
        self.clean.setToolTip("Documents that come with spans are never changed: their "
                              "offsets must not move.")
        self.clean.setChecked(start.clean)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"{count:,} item{'s' * (count != 1)} chosen. Each file is "
                           "imported whole or not at all.", self))
        form.addRow("Read as", self.format)
        form.addRow("Offsets in the files", self.offsets)
        form.addRow("Spreadsheet text column", self.text_column)
        form.addRow("Title of a text file", self.title_from)
        form.addRow("Annotations by no one named go to", self.annotator)
        form.addRow(self.clean)
        form.addRow(buttons)

    def options(self) -> ImportOptions:
        return ImportOptions(
            read=ReadOptions(
                format=self.format.currentData(), offsets=self.offsets.currentData(),
                text_column=self.text_column.text().strip() or None,
                title_from=self.title_from.currentData(),
                annotator=" ".join(self.annotator.text().split()) or None),
            clean=self.clean.isChecked())

    @classmethod
    def ask(cls, count: int, parent: QWidget | None = None) -> ImportOptions | None:
        dialog = cls(count, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dialog.options()
        _remember(options)
        return options
