"""Team → Merge packages…: choose annotators' .annot files, see exactly what merging them
would change (a dry run: per annotator spans added, changed, deleted, conflicts with both
versions, statuses; documents added), then merge, in one transaction off the GUI thread.

Everything shown comes from files and people's typing: plain text only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError

from ..plain import plain_label, tooltip
from ..runner import Runner
from ..team import team
from .messages import inform

PACKAGES = "Annotation packages (*.annot);;All files (*)"
COLUMNS = ("Annotator", "Guidelines", "Spans added", "Changed", "Deleted", "Conflicts",
           "Statuses")


def _get(thing: Any, *names: str, default: Any = None) -> Any:
    """The first of `names` the report has (dicts and objects alike)."""
    for name in names:
        if isinstance(thing, dict) and name in thing:
            return thing[name]
        if hasattr(thing, name):
            return getattr(thing, name)
    return default


def _count(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    try:
        return len(value)
    except TypeError:
        return 0


def per_annotator(report: Any) -> list[Any]:
    found = _get(report, "annotators", "per_annotator", default=[])
    return list(found.values()) if isinstance(found, dict) else list(found or [])


def annotator_row(entry: Any) -> tuple[str, ...]:
    name = _get(entry, "name", "annotator_name", "annotator", default="?")
    name = _get(name, "name", default=name)
    version = _get(entry, "guidelines_version", default=None)
    return (str(name), f"version {version}" if version else "none",
            *(f"{_count(_get(entry, *keys)):,}" for keys in (
                ("spans_added", "added"), ("spans_changed", "changed"),
                ("spans_deleted", "deleted"), ("conflicts",),
                ("statuses", "statuses_changed"))))


def _version(span: Any) -> str:
    if span is None:
        return "deleted"
    if isinstance(span, str):
        return span
    label = _get(span, "label_name", "label", "label_uuid", default="?")
    start, end = _get(span, "start", default="?"), _get(span, "end", default="?")
    text = _get(span, "text", default="")
    text = text if len(text) <= 60 else text[:59] + "…"
    when = _get(span, "modified_at", "updated_at", default=None)
    note = _get(span, "note", default=None)
    return (f"{label} {start}–{end} “{text}”" + (f" note “{note}”" if note else "")
            + (f" (modified {when})" if when else ""))


def report_lines(report: Any, dry_run: bool) -> list[str]:
    """The report as sentences: documents, then every conflict with both versions, then
    the problems."""
    verb = "would be" if dry_run else "were"
    added = _count(_get(report, "documents_added", default=0))
    lines = [f"{added:,} document{'s' * (added != 1)} {verb} added."]
    for entry in per_annotator(report):
        name = annotator_row(entry)[0]
        for conflict in _get(entry, "conflicts", default=None) or []:
            if isinstance(conflict, int | str):
                continue
            where = _get(conflict, "document_title", "title", "document", default="")
            ours = _get(conflict, "target", "ours", "kept_version", "here", default=None)
            theirs = _get(conflict, "bundle", "theirs", "incoming", "there", default=None)
            kept = _get(conflict, "winner", "kept", "resolution", default=None)
            lines.append(f"Conflict ({name}){' in “' + str(where) + '”' if where else ''}: "
                         f"in the project: {_version(ours)}; in the package: "
                         f"{_version(theirs)}" + (f"; kept: {kept}" if kept else "") + ".")
    for problem in _get(report, "problems", "warnings", default=None) or []:
        lines.append(str(problem))
    for note in _get(report, "notes", default=None) or []:
        lines.append(str(note))
    return lines


class MergeDialog(QDialog):
    def __init__(self, workspace: Any, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle("Merge annotation packages")
        self.setObjectName("mergeDialog")
        self.resize(900, 620)
        self.merged: Any = None  # the report, once merged
        self.previewed: Any = None
        intro = plain_label(QLabel(self), "Choose the packages your annotators sent back. "
                            "Preview shows what merging would change; nothing is changed "
                            "until you press Merge (a backup is made first).")
        intro.setWordWrap(True)
        self.files = QListWidget(self)
        self.files.setObjectName("mergeFiles")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setMaximumHeight(110)
        self.add_button = QPushButton("&Add packages…", self)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.clicked.connect(self.remove_files)
        self.allow_new = QCheckBox("Allow documents from another &project", self)
        self.allow_new.setObjectName("allowNewDocuments")
        self.allow_new.setToolTip("Off: packages sharing no document with this database "
                                  "are refused (they were made from another project).")
        self.allow_new.toggled.connect(self._forget_preview)
        file_row = QHBoxLayout()
        file_row.addWidget(self.files, 1)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        file_row.addLayout(side)
        self.summary = plain_label(QLabel(self))
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("mergeTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("mergeDetails")
        self.details.setReadOnly(True)
        self.buttons = QDialogButtonBox(self)
        self.preview_button = self.buttons.addButton(
            "&Preview", QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button.setObjectName("previewMerge")
        self.merge_button = self.buttons.addButton(
            "&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("doMerge")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.preview_button.clicked.connect(self.preview)
        self.merge_button.clicked.connect(self.merge)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(self.allow_new)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self._enable()

    # --- files --------------------------------------------------------------------------
    @property
    def paths(self) -> list[str]:
        return [self.files.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.files.count())]

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Annotation packages to merge", "",
                                                PACKAGES)
        self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        have = set(self.paths)
        for path in paths:
            if path not in have:
                item = QListWidgetItem(Path(path).name, self.files)
                item.setData(Qt.ItemDataRole.UserRole, path)
                item.setToolTip(tooltip(path))
                have.add(path)
        self._forget_preview()

    def remove_files(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._forget_preview()

    def _forget_preview(self) -> None:
        self.previewed = None
        self._enable()

    def _enable(self) -> None:
        some = bool(self.paths) and self.merged is None
        self.preview_button.setEnabled(some)
        self.merge_button.setEnabled(some and self.previewed is not None)
        self.merge_button.setToolTip("" if self.previewed is not None
                                     else "Preview first: see what merging would change.")
        self.add_button.setEnabled(self.merged is None)
        self.remove_button.setEnabled(self.merged is None)

    # --- work ---------------------------------------------------------------------------
    def _run(self, dry_run: bool) -> Any:
        paths, allow = self.paths, self.allow_new.isChecked()
        title = "Checking packages" if dry_run else "Merging"
        try:
            return self.runner.run(
                self, title, "Reading the packages…",
                lambda workspace, job: team(workspace).merge(paths, dry_run=dry_run,
                                                       allow_new_documents=allow),
                cancellable=False, name="mergeProgress")
        except AnnotatorError as e:
            inform(self, "Not merged" if not dry_run else "Cannot merge",
                   self._naming_the_file(str(e)) + ("" if dry_run else
                                                     " The project is unchanged."),
                   warning=True)
            return None

    def _naming_the_file(self, message: str) -> str:
        """The core's message, with the file named when it does not name it itself."""
        names = [Path(p).name for p in self.paths]
        if any(name in message or path in message for name, path in zip(names, self.paths,
                                                                           strict=True)):
            return message
        which = names[0] if len(names) == 1 else "One of " + ", ".join(names)
        return f"{which}: {message}"

    def preview(self) -> None:
        report = self._run(dry_run=True)
        if report is None:
            return
        self.previewed = report
        self.show_report(report, dry_run=True)
        self._enable()

    def merge(self) -> None:
        report = self._run(dry_run=False)
        if report is None:
            return
        self.merged = report
        self.show_report(report, dry_run=False)
        self._enable()

    def show_report(self, report: Any, dry_run: bool) -> None:
        entries = per_annotator(report)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in enumerate(annotator_row(entry)):
                item = QTableWidgetItem(text)
                if column > 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.summary.setText(
            "Preview: nothing has been changed yet. Press Merge to do this."
             if dry_run else "Merged. A backup of the project was made first (File → "
             "Backups…).")
        self.details.setPlainText("\n".join(report_lines(report, dry_run)))

    @classmethod
    def run(cls, parent: QWidget | None, workspace: Any, runner: Runner) -> Any:
        """Show the dialog; the merge's report, or None if nothing was merged."""
        dialog = cls(workspace, runner, parent)
        dialog.exec()
        return dialog.merged
