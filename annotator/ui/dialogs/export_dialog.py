"""File → Export: format, what to take, where to write, with a preview of the first record."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.offsets import UNIT_NAMES
from annotator.io.registry import FOLDER, WRITER_BY_KEY, WRITERS
from annotator.services.exporting import ExportOptions
from annotator.workspace import Workspace

SCOPES = (("all", "Every annotator (each span keeps its annotator)"),
          ("one", "One annotator"),
          ("gold", "The adjudicated gold set"),
          ("consensus", "Consensus: spans enough annotators made identically"))


def _readable(text: str) -> str:
    """A JSON record laid out over lines to be read; anything else as it is."""
    try:
        value = json.loads(text.split("\n", 1)[0])
    except ValueError:
        return text
    if not isinstance(value, dict):
        return text
    # One key a line, each value compact: a span list stays one line per key, not one
    # number per line.
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                              for k, v in value.items()) + "\n}"


class ExportDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        people = [a.name for a in workspace.annotators() if not a.is_gold]  # gold: a scope
        self.setWindowTitle("Export a dataset")
        self.resize(720, 560)
        settings = QSettings()
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        for writer in WRITERS:
            self.format.addItem(writer.name, writer.key)
        self.format.setCurrentIndex(max(self.format.findData(
            settings.value("export/format", "jsonl")), 0))
        self.scope = QComboBox(self)
        for key, name in SCOPES:
            self.scope.addItem(name, key)
        self.annotator = QComboBox(self)
        self.annotator.addItems(people)
        self.consensus = QSpinBox(self)
        self.consensus.setRange(1, max(2, len(people)))
        self.consensus.setValue(2)
        self.consensus.setSuffix(" annotators")
        self.labels = QLineEdit(self)
        self.labels.setPlaceholderText("every label; or names, comma-separated")
        self.done_only = QCheckBox("Only documents marked done (unfinished ones make noisy "
                                   "training data)", self)
        self.done_only.setChecked(False)  # every document, as `annotator export` does
        self.split = QCheckBox("Split by document into", self)
        self.shares = QLineEdit("80/10/10", self)
        self.shares.setToolTip("train/dev/test shares, e.g. 80/10/10 or 90/10")
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 1_000_000)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("The same seed gives the same split.")
        self.stratify = QCheckBox("keep the label mix alike", self)
        splitting = QHBoxLayout()
        for widget in (self.split, self.shares, self.seed, self.stratify):
            splitting.addWidget(widget)
        self.offsets = QComboBox(self)
        self.offsets.setObjectName("exportOffsets")
        self.offsets.addItem("As the format's tools count", None)
        self.offsets.addItem("Code points (Python, spaCy)", "codepoint")
        self.offsets.addItem("UTF-16 units (JavaScript tools: doccano, Label Studio)", "utf16")
        self.offsets.addItem("Grapheme clusters (doccano's \u201ccount grapheme clusters\u201d)",
                             "graphemes")
        self.destination = QLineEdit(self)
        self.destination.setObjectName("exportDestination")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination)
        where.addWidget(browse)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("exportPreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.problem = ""
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Spans of", self.scope)
        form.addRow("Annotator", self.annotator)
        form.addRow("At least", self.consensus)
        form.addRow("Labels", self.labels)
        form.addRow(self.done_only)
        form.addRow("Splits", splitting)
        form.addRow("Offsets", self.offsets)
        form.addRow("Write to", where)
        form.addRow("First record", self.preview)
        form.addRow(self.buttons)
        for combo in (self.format, self.scope, self.annotator, self.offsets):
            combo.currentIndexChanged.connect(self._changed)
        self.consensus.valueChanged.connect(self._changed)
        self.split.toggled.connect(self._changed)
        self.shares.textChanged.connect(self._check)
        self.done_only.toggled.connect(self._changed)
        self.destination.textChanged.connect(self._check)
        self.labels.editingFinished.connect(self._changed)
        self._changed()

    def chosen_format(self) -> str:
        return self.format.currentData()

    def options(self) -> ExportOptions:
        scope = self.scope.currentData()
        return ExportOptions(
            annotators=[self.annotator.currentText()] if scope == "one" else [],
            gold=scope == "gold",
            consensus=self.consensus.value() if scope == "consensus" else None,
            done_only=self.done_only.isChecked(),
            labels=[n.strip() for n in self.labels.text().split(",") if n.strip()],
            offsets=self.offsets.currentData(),
            split=self._shares() if self.split.isChecked() else None,
            seed=self.seed.value(), stratify=self.stratify.isChecked())

    def _shares(self) -> tuple[int, ...] | None:
        try:
            return tuple(int(part) for part in self.shares.text().split("/"))
        except ValueError:
            return None

    def _changed(self) -> None:
        self._name_offsets()
        scope = self.scope.currentData()
        self.annotator.setEnabled(scope == "one")
        self.consensus.setEnabled(scope == "consensus")
        for widget in (self.shares, self.seed, self.stratify):  # only with a split
            widget.setEnabled(self.split.isChecked())
        self._suggest_destination()
        self._show_preview()
        self._check()

    def _name_offsets(self) -> None:
        """The first choice says which unit the chosen format is written in by default."""
        writer = WRITER_BY_KEY[self.chosen_format()]
        unit = writer.counts
        self.offsets.setItemText(0, "As the format's tools count: " + (
            UNIT_NAMES[unit] if unit else "no offsets (tokens)"))
        self.offsets.setEnabled(unit is not None)

    def _suggest_destination(self) -> None:
        current = self.destination.text().strip()
        suffix = WRITER_BY_KEY[self.chosen_format()].suffix
        if self.split.isChecked():
            suffix = ""  # a new folder with one file per split
        base = Path(current) if current else Path.home() / "annotations"
        stem = base.with_suffix("") if base.suffix else base
        self.destination.setText(str(stem.with_suffix(suffix) if suffix else stem))

    def _show_preview(self) -> None:
        """The first record as the chosen format writes it."""
        try:
            self.problem = ""
            text = self.workspace.export_preview(self.chosen_format(), self.options())
            self.preview.setPlainText(_readable(text))
        except AnnotatorError as e:
            self.problem = str(e)
            self.preview.setPlainText(self.problem)

    def _check(self) -> None:
        ok = (bool(self.destination.text().strip()) and not self.problem
              and (not self.split.isChecked() or self._shares() is not None))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _browse(self) -> None:
        if WRITER_BY_KEY[self.chosen_format()].kind == FOLDER or self.split.isChecked():
            path = QFileDialog.getExistingDirectory(self, "Export into a new folder in")
            if path:
                self.destination.setText(str(Path(path) / "annotations"))
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.destination.text())
        if path:
            self.destination.setText(path)

    @classmethod
    def ask(cls, workspace: Workspace, parent: QWidget | None = None
            ) -> tuple[str, ExportOptions, str] | None:
        dialog = cls(workspace, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        QSettings().setValue("export/format", dialog.chosen_format())
        return dialog.chosen_format(), dialog.options(), dialog.destination.text().strip()
