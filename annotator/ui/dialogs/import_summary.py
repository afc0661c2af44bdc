"""After an import: what came in, file by file, and every problem with where it is."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.services.importing import FileResult, ImportReport

from ..plain import tooltip

COLUMNS = ("File", "Status", "Documents", "Spans", "Already there")


def headline(report: ImportReport) -> str:
    files = len(report.files)
    parts = [f"Imported {report.total('documents'):,} documents with "
             f"{report.total('spans'):,} spans from {files:,} file{'s' * (files != 1)}."]
    duplicates = sum(len(f.duplicates) for f in report.files)
    if duplicates:
        merged = report.total("merged_spans")
        parts.append(f"{duplicates:,} already in the database"
                     + (f" ({merged:,} new spans added to them)." if merged else "."))
    if report.failed:
        parts.append(f"{len(report.failed):,} could not be imported; nothing of them was "
                     "saved.")
    if report.cancelled:
        parts.append("Cancelled: the files finished before it are kept.")
    if report.new_labels:
        parts.append(f"New labels: {', '.join(report.new_labels)}.")
    if report.new_annotators:
        parts.append(f"New annotators: {', '.join(report.new_annotators)}.")
    return " ".join(parts)


def details(result: FileResult) -> list[str]:
    """The lines shown under a file: errors first, with line and field."""
    lines = [_located(e) for e in result.errors]
    if result.skipped_reason:
        lines.append(f"Skipped: {result.skipped_reason}")
    lines += [f"Already there: {title}" for title in result.duplicates[:20]]
    if len(result.duplicates) > 20:
        lines.append(f"… and {len(result.duplicates) - 20:,} more already there")
    offsets = result.offsets_line  # which unit the spans were placed in: worth a look
    return lines + result.notes + ([offsets[0].upper() + offsets[1:] + "."] if offsets else [])


def _located(error) -> str:
    where = []
    if error.line is not None:
        where.append(f"line {error.line}")
    if error.field:
        where.append(f"field {error.field}")
    return f"{', '.join(where)}: {error.message}" if where else error.message


def as_text(report: ImportReport) -> str:
    """The whole report as plain text, for the clipboard."""
    lines = [headline(report), ""]
    for result in report.files:
        lines.append(f"{result.status}\t{result.documents}\t{result.spans}\t"
                     f"{len(result.duplicates)}\t{result.path}")
        lines += [f"\t{line}" for line in details(result)]
    return "\n".join(lines)


def short_names(paths: list[str]) -> dict[str, str]:
    """Each path from the folder that holds them all: "new reviews/a.txt", not the whole
    path (the tooltip has that)."""
    if not paths:
        return {}
    try:
        base = os.path.dirname(os.path.commonpath(paths))
    except ValueError:  # different drives, or relative and absolute mixed
        return {p: p for p in paths}
    # Cut as text: relpath would tidy "june.zip/../../x.txt", the very name a refusal is about.
    cut = len(base) + 1 if base and base != os.sep else len(base)
    return {p: p[cut:] if p.startswith(base) else p for p in paths}


class ImportSummary(QDialog):
    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("Import finished" if not report.cancelled else "Import cancelled")
        self.resize(820, 460)
        summary = QLabel(headline(report), self)
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        self.only_problems = QCheckBox("Show only files with problems", self)
        self.only_problems.setChecked(len(report.files) > 20 and bool(report.failed))
        self.only_problems.toggled.connect(self._fill)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("importFiles")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy report", self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(as_text(report)))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.only_problems)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        style = self.style()
        icons = {
            "failed": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "cancelled": style.standardIcon(QStyle.StandardPixmap.SP_BrowserStop),
            "skipped": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
            "already there": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
            "imported": style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
        }
        shown = 0
        names = short_names([f.path for f in self.report.files])
        for result in self.report.files:
            lines = details(result)
            problem = bool(result.errors or result.notes or result.cancelled)
            if self.only_problems.isChecked() and not problem:
                continue
            if shown == 5000:  # a tree of 100,000 files helps nobody; the copy has them all
                self.tree.addTopLevelItem(QTreeWidgetItem(
                    [f"… {len(self.report.files) - shown:,} more files (Copy report lists all)"]))
                break
            shown += 1
            item = QTreeWidgetItem([names[result.path], result.status, f"{result.documents:,}",
                                    f"{result.spans + result.merged_spans:,}",
                                    f"{len(result.duplicates):,}"])
            item.setIcon(1, icons[result.status])
            item.setToolTip(0, tooltip(result.path))
            for column in (2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            children = []
            for line in lines:
                child = QTreeWidgetItem([line])
                child.setToolTip(0, tooltip(line))
                item.addChild(child)
                children.append(child)
            self.tree.addTopLevelItem(item)
            for child in children:  # spanning works once the item is in the tree
                child.setFirstColumnSpanned(True)
            item.setExpanded(bool(result.errors) and item.childCount() <= 60)

    @classmethod
    def show_for(cls, report: ImportReport, parent: QWidget | None = None) -> None:
        cls(report, parent).exec()
