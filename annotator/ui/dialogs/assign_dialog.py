"""Team → Assign…: which annotators get which documents. Either a share of the documents
everyone gets (so agreement can be measured on it) or each document to K annotators;
reproducible with the seed. The preview is the plan itself, computed as you change the
choices; Assign stores it, and the table then shows who has what."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.assignment import plan
from annotator.domain.errors import AnnotatorError

from ..plain import plain_label
from .messages import inform

if TYPE_CHECKING:
    from annotator.services.team import AssignmentResult
    from annotator.workspace import Workspace

NEW = "new:"  # the key of a name not yet in the database, for the preview only
MAX_SEED = 2**31 - 1


def shares(plan: dict[int, list[str]]) -> dict[str, set[int]]:
    """Annotator -> documents, from a plan's document -> annotators."""
    out: dict[str, set[int]] = {}
    for doc_id, people in plan.items():
        for who in people:
            out.setdefault(who, set()).add(doc_id)
    return out


def shared_counts(by_annotator: dict[str, set[int]]) -> dict[str, int]:
    """For each annotator: how many of their documents someone else has too."""
    seen: dict[int, int] = {}
    for docs in by_annotator.values():
        for doc in docs:
            seen[doc] = seen.get(doc, 0) + 1
    return {who: sum(seen[d] > 1 for d in docs) for who, docs in by_annotator.items()}


class AssignDialog(QDialog):
    def __init__(self, workspace: Workspace, query: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.assigned: AssignmentResult | None = None
        self.setWindowTitle("Assign documents")
        self.setObjectName("assignDialog")
        self.resize(820, 620)
        self.people = QListWidget(self)
        self.people.setObjectName("assignPeople")
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.people.setMaximumHeight(160)
        for annotator in workspace.annotators():
            if not annotator.is_gold:  # gold is built by adjudication, never assigned
                self._add_person(annotator.name, annotator.uuid, checked=False)
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newAnnotator")
        self.new_name.setPlaceholderText("A new annotator's name")
        self.add_button = QPushButton("&Add", self)
        self.add_button.setObjectName("addAnnotator")
        self.add_button.clicked.connect(self.add_new)
        self.new_name.returnPressed.connect(self.add_new)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_name, 1)
        new_row.addWidget(self.add_button)

        self.by_share = QRadioButton("A &share everyone gets:", self)
        self.share = QSpinBox(self)
        self.share.setObjectName("overlapPercent")
        self.share.setRange(0, 100)
        self.share.setSuffix(" % of the documents")
        self.share.setValue(20)
        self.by_k = QRadioButton("Each &document to", self)
        self.k = QSpinBox(self)
        self.k.setObjectName("perDocument")
        self.k.setRange(1, 99)  # more than there are annotators: the preview says so
        self.k.setValue(2)
        self.k.setSuffix(" annotators")
        group = QButtonGroup(self)
        group.addButton(self.by_share)
        group.addButton(self.by_k)
        self.by_share.setChecked(True)
        share_row, k_row = QHBoxLayout(), QHBoxLayout()
        share_row.addWidget(self.by_share)
        share_row.addWidget(self.share)
        share_row.addStretch(1)
        k_row.addWidget(self.by_k)
        k_row.addWidget(self.k)
        k_row.addStretch(1)
        self.seed = QSpinBox(self)
        self.seed.setObjectName("seed")
        self.seed.setRange(0, MAX_SEED)
        self.seed.setValue(random.randrange(MAX_SEED))
        self.new_seed = QPushButton("New &seed", self)
        self.new_seed.setObjectName("newSeed")
        self.new_seed.clicked.connect(lambda: self.seed.setValue(random.randrange(MAX_SEED)))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.new_seed)
        self.query = QLineEdit(query, self)
        self.query.setObjectName("assignQuery")
        self.query.setPlaceholderText("All documents (or words, as the list's search)")
        self.query.setClearButtonEnabled(True)

        form = QFormLayout()
        form.addRow("Annotators:", self.people)
        form.addRow("", new_row)
        form.addRow("Split:", share_row)
        form.addRow("", k_row)
        form.addRow("Seed:", seed_row)
        form.addRow("Documents:", self.query)
        self.summary = plain_label(QLabel(self))
        self.summary.setObjectName("assignSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("assignPreview")
        self.table.setHorizontalHeaderLabels(("Annotator", "Documents", "Shared"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(self)
        self.assign_button = self.buttons.addButton("&Assign",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.assign_button.setObjectName("assignButton")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.assign_button.clicked.connect(self.assign)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

        self.people.itemChanged.connect(self.update_preview)
        for spin in (self.share, self.k, self.seed):
            spin.valueChanged.connect(self.update_preview)
        self.by_share.toggled.connect(self.update_preview)
        self.query.textChanged.connect(self.update_preview)
        self.documents: list[int] = []
        self.update_preview()

    # --- choices ------------------------------------------------------------------------
    def _add_person(self, name: str, key: str, checked: bool) -> None:
        item = QListWidgetItem(name, self.people)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, key)

    def add_new(self) -> None:
        name = " ".join(self.new_name.text().split())
        if not name:
            return
        for i in range(self.people.count()):
            item = self.people.item(i)
            if item.text().casefold() == name.casefold():
                item.setCheckState(Qt.CheckState.Checked)
                self.new_name.clear()
                return
        if name.casefold() == "gold":
            self.summary.setText("Gold is made by adjudication; it is never assigned.")
            return
        self._add_person(name, NEW + name, checked=True)
        self.new_name.clear()
        self.update_preview()

    def chosen(self) -> list[tuple[str, str]]:
        """(name, key) of the annotators ticked, in the list's order."""
        out = []
        for i in range(self.people.count()):
            item = self.people.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append((item.text(), item.data(Qt.ItemDataRole.UserRole)))
        return out

    def split(self) -> tuple[float | None, int | None]:
        """(overlap, per_document): one of them."""
        if self.by_share.isChecked():
            return self.share.value() / 100, None
        return None, self.k.value()

    # --- preview ------------------------------------------------------------------------
    def update_preview(self) -> None:
        chosen = self.chosen()
        self.share.setEnabled(self.by_share.isChecked())
        self.k.setEnabled(self.by_k.isChecked())
        query = self.query.text().strip()
        try:
            self.documents = self.workspace.document_ids(query)
        except AnnotatorError as e:
            self._show([], f"The search cannot be read: {e}")
            return
        if not chosen:
            self._show([], "Tick the annotators who will take part.")
            return
        if not self.documents:
            self._show([], "No documents match the search.")
            return
        try:
            overlap, k = self.split()
            result = plan(self.documents, [key for _, key in chosen], self.seed.value(),
                          overlap=overlap, per_document=k)
        except AnnotatorError as e:
            self._show([], _sentence(str(e)))
            return
        by_key = shares(result)
        shared = shared_counts(by_key)
        rows = [(name, len(by_key.get(key, ())), shared.get(key, 0)) for name, key in chosen]
        given = len(result)
        self._show(rows, f"{given:,} of {len(self.documents):,} documents assigned among "
                         f"{len(chosen)} annotator{'s' * (len(chosen) != 1)}; seed "
                         f"{self.seed.value()} gives the same plan again.")

    def _show(self, rows: Iterable[tuple[str, int, int]], summary: str) -> None:
        rows = list(rows)
        self.table.setRowCount(len(rows))
        for row, (name, docs, shared) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            for column, value in ((1, docs), (2, shared)):
                item = QTableWidgetItem(f"{value:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.summary.setText(summary)
        self.assign_button.setEnabled(bool(rows) and self.assigned is None)

    # --- assigning ----------------------------------------------------------------------
    def assign(self) -> None:
        names = [name for name, _ in self.chosen()]
        query = self.query.text().strip() or None
        try:
            overlap, k = self.split()
            self.assigned = self.workspace.assign(names, self.seed.value(), overlap=overlap,
                                                  per_document=k, query=query)
        except AnnotatorError as e:
            inform(self, "Not assigned", _sentence(str(e)), warning=True)
            return
        self.show_who_has_what()

    def show_who_has_what(self) -> None:
        """After assigning: the stored assignment, as the lead will see it from now on."""
        names = self.workspace.names()
        by_key = {uuid: set(docs) for uuid, docs in self.workspace.assignments().items()}
        shared = shared_counts(by_key)
        rows = sorted(((names.get(key, key), len(docs), shared[key])
                       for key, docs in by_key.items()), key=lambda r: r[0].casefold())
        self._show(rows, "Assigned. Who has what (stored in the project): next, Team → "
                         "Create annotator packages….")
        self.assign_button.setEnabled(False)
        self.close_button.setFocus()

    @classmethod
    def run(cls, parent: QWidget | None, workspace: Workspace, query: str = ""
            ) -> AssignmentResult | None:
        dialog = cls(workspace, query, parent)
        dialog.exec()
        return dialog.assigned


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."
