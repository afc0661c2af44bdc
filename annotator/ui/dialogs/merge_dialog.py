"""Team → Merge packages…: choose annotators' .annot files, see exactly what merging them
would change (a dry run: per annotator spans added, changed, deleted, conflicts with both
versions, statuses; documents added), then merge, in one transaction off the GUI thread.

Everything shown comes from files and people's typing: plain text only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

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

from ..models.progress_table import when
from ..plain import plain_label, tooltip
from ..runner import Runner
from .messages import inform

if TYPE_CHECKING:
    from annotator.services.merge import MergeReport, SpanVersion
    from annotator.workspace import Workspace

PACKAGES = "Annotation packages (*.annot);;Annotator databases (*.db);;All files (*)"
COLUMNS = ("Package", "Annotator", "Guidelines", "Spans added", "Changed", "Deleted",
           "Conflicts", "Statuses")


def rows_of(report: MergeReport) -> list[tuple[str, ...]]:
    """One row per annotator of each package (a package with nothing to say: one row)."""
    rows: list[tuple[str, ...]] = []
    for source in report.sources:
        file = Path(source.path).name
        version = (f"version {source.guidelines_version}"
                   if source.guidelines_version is not None else "none")
        if not source.annotators:
            rows.append((file, source.annotator or "—", version, *("0",) * 5))
        for person in source.annotators:
            counts = (person.spans_added, person.spans_changed, person.spans_deleted,
                      len(person.conflicts), person.statuses_changed)
            rows.append((file, person.name, version, *(f"{n:,}" for n in counts)))
    return rows


def _version(span: SpanVersion | None, deleted_at: str | None = None,
             text: str | None = None) -> str:
    if span is None:
        return f"deleted{' at ' + when(deleted_at) if deleted_at else ''}"
    note = f", note “{span.note}”" if span.note else ""
    if text is not None and span.end <= len(text):
        words = text[span.start:span.end]
        note = f" “{words if len(words) <= 50 else words[:49] + '…'}”" + note
    modified = when(span.modified, seconds=True)
    return f"{span.label} {span.start:,}–{span.end:,}{note} (modified {modified})"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def report_lines(report: MergeReport,
                 text_of: Callable[[int], str | None] = lambda doc_id: None) -> list[str]:
    """The report in sentences: per package its documents, labels and people added, names
    kept apart, notes, and every conflict with both versions (quoting the document's text
    from `text_of(document id)` when it is given)."""
    would = "would be" if report.dry_run else "were"
    lines = []
    if report.backup:
        lines.append(f"Backup made first: {report.backup}")
    for source in report.sources:
        who = f" ({source.annotator}'s package)" if source.annotator else ""
        made = f", made {when(source.made_at)}" if source.made_at else ""
        lines.append(f"{Path(source.path).name}{who}{made}: "
                     f"{_plural(source.documents_matched, 'document')} matched, "
                     f"{source.documents_added:,} {would} added"
                     + (f", {source.documents_skipped:,} skipped (from another project: "
                        "tick “Allow documents from another project” to add them)"
                        if source.documents_skipped else "") + ".")
        if source.labels_added:
            lines.append(f"  Labels {would} added: {', '.join(source.labels_added)}.")
        if source.annotators_added:
            lines.append(f"  Annotators {would} added: {', '.join(source.annotators_added)}.")
        for clash in source.name_clashes:
            lines.append(f"  The {clash.kind} name “{clash.name}” belongs to another "
                         f"{clash.kind} here: kept apart as “{clash.kept_as}”.")
        lines += [f"  {note}" for note in source.notes]
        for person in source.annotators:
            for conflict in person.conflicts:
                won = ("the package's version" if conflict.winner == "source"
                       else "the project's version")
                text = text_of(conflict.document_id)
                lines.append(
                    f"  Conflict ({person.name}, {conflict.kind}) in “{conflict.document}”: "
                    f"in the project: {_version(conflict.target, text=text)}; in the "
                    f"package: {_version(conflict.source, conflict.deleted_at, text)}; "
                    f"{won} kept.")
    if not report.changed_anything:
        lines.append("Nothing to change: everything in these packages is here already.")
    return lines


class MergeDialog(QDialog):
    def __init__(self, workspace: Workspace, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle("Merge annotation packages")
        self.setObjectName("mergeDialog")
        self.resize(900, 620)
        self.merged: MergeReport | None = None  # the report, once merged
        self.previewed: MergeReport | None = None
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
    def _run(self, dry_run: bool) -> MergeReport | None:
        paths, allow = self.paths, self.allow_new.isChecked()
        title = "Checking packages" if dry_run else "Merging"
        try:
            return self.runner.run(
                self, title, "Reading the packages…",
                lambda workspace, job: workspace.merge(paths, dry_run=dry_run,
                                                       allow_new_documents=allow,
                                                       job=job),
                cancellable=False, name="mergeProgress")
        except AnnotatorError as e:
            inform(self, "Not merged" if not dry_run else "Cannot merge",
                   self._naming_the_file(str(e)) + ("" if dry_run else
                                                     " The project is unchanged."),
                   warning=True)
            return None

    def _naming_the_file(self, message: str) -> str:
        """The core's message, with the file named when it does not name it itself."""
        # The core words it for the command line; here the choice is a checkbox.
        message = message.replace("use --allow-new-documents",
                                  "tick “Allow documents from another project”")
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
        self.show_report(report)
        self._enable()

    def merge(self) -> None:
        report = self._run(dry_run=False)
        if report is None:
            return
        self.merged = report
        self.show_report(report)
        self._enable()

    def show_report(self, report: MergeReport) -> None:
        rows = rows_of(report)
        self.table.setRowCount(len(rows))
        for row, texts in enumerate(rows):
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column > 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        statuses = report.total("statuses_changed")
        totals = (f"{_plural(report.documents_added, 'document')} and "
                  f"{_plural(report.total('spans_added'), 'span')} added, "
                  f"{report.total('spans_changed'):,} changed, "
                  f"{report.total('spans_deleted'):,} deleted; "
                  f"{_plural(len(report.conflicts), 'conflict')}; "
                  f"{statuses:,} status{'es' * (statuses != 1)} changed")
        self.summary.setText(
            f"Preview: {totals}. Nothing has been changed yet: press Merge to do it."
            if report.dry_run else
            f"Merged: {totals}. A backup of the project was made first (File → Backups…).")
        self.details.setPlainText("\n".join(report_lines(report, self._text)))

    def _text(self, doc_id: int) -> str | None:
        try:
            found = self.workspace.document(doc_id)
        except AnnotatorError:
            return None
        return found.text if found is not None else None

    @classmethod
    def run(cls, parent: QWidget | None, workspace: Workspace, runner: Runner
            ) -> MergeReport | None:
        """Show the dialog; the merge's report, or None if nothing was merged."""
        dialog = cls(workspace, runner, parent)
        dialog.exec()
        return dialog.merged
