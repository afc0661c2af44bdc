"""Before importing chosen files: how to read them. The choices are remembered."""

from __future__ import annotations

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

from annotator.io.records import ReadOptions
from annotator.services.importing import ImportOptions

FORMAT_NAMES = (
    (None, "Tell by extension and content"),
    ("text", "Plain text (.txt, .md)"),
    ("html", "Web page (.html)"),
    ("native", "Annotator JSONL"),
    ("doccano", "doccano JSONL"),
    ("prodigy", "Prodigy JSONL"),
    ("labelstudio", "Label Studio JSON"),
    ("csv", "Spreadsheet, comma-separated (.csv)"),
    ("tsv", "Spreadsheet, tab-separated (.tsv)"),
    ("brat", "brat standoff (.txt + .ann)"),
)
_KEY = "import/"


def remembered() -> ImportOptions:
    """The options last chosen in the dialog (drag and drop uses them too)."""
    settings = QSettings()
    offsets = settings.value(_KEY + "offsets", "codepoint")
    title_from = settings.value(_KEY + "title_from", "line")
    return ImportOptions(
        read=ReadOptions(
            format=settings.value(_KEY + "format", "") or None,
            offsets=offsets if offsets in ("codepoint", "utf16") else "codepoint",
            text_column=settings.value(_KEY + "text_column", "") or None,
            title_from=title_from if title_from in ("line", "filename") else "line",
            annotator=settings.value(_KEY + "annotator", "") or None),
        clean=settings.value(_KEY + "clean", False, type=bool))


def _remember(options: ImportOptions) -> None:
    settings = QSettings()
    read = options.read
    for key, value in (("format", read.format or ""), ("offsets", read.offsets),
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
        for value, name in FORMAT_NAMES:
            self.format.addItem(name, value)
        self.format.setCurrentIndex(max(self.format.findData(start.read.format), 0))
        self.offsets = QComboBox(self)
        self.offsets.addItem("Code points (Python, spaCy, brat, Prodigy)", "codepoint")
        self.offsets.addItem("UTF-16 units (doccano, Label Studio, JavaScript)", "utf16")
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
