"""The suggestions panel: what was learned, each recommender's figures per label, the
precision threshold and the recommenders switched on, and how suggestions fared."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLabel, QPushButton, QTableView

from annotator.domain.model import Status
from annotator.domain.suggestions import LabelFigures, Proposal
from annotator.services.suggesting import Training
from annotator.ui.models.suggestion_figures import (
    ACCEPTED,
    COLUMNS,
    F1,
    LABEL,
    PRECISION,
    REJECTED,
    SUGGESTS,
    SuggestionFiguresModel,
)
from annotator.ui.views.suggestions_panel import SuggestionsPanel

HOSTILE = "<img src=file:///etc/passwd>"


class FakeSuggester:
    """What the panel reads of a Suggester: figures, reason and a settable threshold."""

    def __init__(self, figures, min_precision=0.5):
        self.figures = figures
        self.min_precision = min_precision

    def reason(self, recommender, label_uuid):
        f = self.figures[recommender][label_uuid]
        if f.reason:
            return f.reason
        if f.precision is None:
            return "no proposals to judge it by"
        if f.precision < self.min_precision:
            return f"precision {f.precision:.2f} is below the threshold {self.min_precision:.2f}"
        return ""


@pytest.fixture
def labels(fresh_db):
    return {label.name: label for label in fresh_db.labels()}


@pytest.fixture
def training(fresh_db, labels):
    spoiler, praise = labels["spoiler"].uuid, labels["praise"].uuid
    figures = {
        "seen": {lb.uuid: LabelFigures(lb.uuid, reason="no examples") for lb in labels.values()},
        "cues": {lb.uuid: LabelFigures(lb.uuid, reason="no cues") for lb in labels.values()},
    }
    # spoiler: precision 0.8, recall 4/6; praise: precision 0.6, recall 0.5
    figures["seen"][spoiler] = LabelFigures(spoiler, 8, 2, 4, exact=7, examples=12)
    figures["seen"][praise] = LabelFigures(praise, 3, 2, 3, examples=6)
    return Training(FakeSuggester(figures), fresh_db.me.uuid, True, 88, 412, 1.3,
                    list(labels.values()), "2024-05-01T12:02:00+00:00")


@pytest.fixture
def panel(qtbot, fresh_db):
    made = SuggestionsPanel(fresh_db)
    qtbot.addWidget(made)
    made.show()
    return made


def cell(panel, recommender, label_uuid, column, role=Qt.ItemDataRole.DisplayRole):
    row = panel.model.row_of(recommender, label_uuid)
    assert row >= 0, (recommender, label_uuid)
    return panel.model.data(panel.model.index(row, column), role)


def test_the_model_passes_the_model_tester(qtmodeltester, training):
    model = SuggestionFiguresModel()
    qtmodeltester.check(model)
    model.set_training(training, {("seen", training.labels[0].uuid): {"accepted": 2}})
    qtmodeltester.check(model)
    model.reevaluate()
    model.set_outcomes({})
    qtmodeltester.check(model)
    model.set_training(None, {})
    qtmodeltester.check(model)


def test_before_training_it_says_how_to_start_and_train_now_asks(qtbot, panel):
    heading = panel.findChild(QLabel, "suggestionsHeading")
    assert heading.text().startswith("Not trained yet: annotate a few reviews and mark them done")
    assert panel.findChild(QTableView, "suggestionFigures").model().rowCount() == 0
    with qtbot.waitSignal(panel.train_requested):
        qtbot.mouseClick(panel.findChild(QPushButton, "trainNow"), Qt.MouseButton.LeftButton)
    state = panel.findChild(QLabel, "suggestionsState")
    panel.set_state("Training…")
    assert state.isVisible() and state.text() == "Training…"
    assert state.textFormat() == Qt.TextFormat.PlainText
    panel.set_state("")
    assert not state.isVisible()


def test_a_training_shows_what_it_learned_and_each_label_s_figures(panel, training, labels):
    panel.show_training(training)
    heading = panel.findChild(QLabel, "suggestionsHeading").text()
    assert heading.startswith("Learned from 412 spans in 88 documents marked done "
                              "(blind: your spans only) · trained ")
    assert heading.endswith(" in 1.3 s")
    assert panel.model.rowCount() == 2 * len(labels)  # seen and cues, each label
    spoiler = labels["spoiler"].uuid
    assert [cell(panel, "seen", spoiler, c) for c in range(len(COLUMNS))] == [
        "seen before", "spoiler", "12", "0.80", "0.67", "0.73", "0", "0", "suggests"]
    # No proposals judged: no precision, shown as a dash; silent, and why.
    hole = labels["plot-hole"].uuid
    assert cell(panel, "seen", hole, PRECISION) == "—" and cell(panel, "seen", hole, F1) == "—"
    assert cell(panel, "cues", hole, SUGGESTS) == "silent: no cues"
    assert "no cues" in cell(panel, "cues", hole, SUGGESTS, Qt.ItemDataRole.ToolTipRole)
    grey = QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert cell(panel, "cues", hole, LABEL, Qt.ItemDataRole.ForegroundRole).color() == grey
    assert cell(panel, "seen", spoiler, LABEL, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(panel, "seen", spoiler, LABEL, Qt.ItemDataRole.DecorationRole) is not None


def test_raising_the_threshold_silences_a_label_without_retraining(qtbot, fresh_db, panel,
                                                                   training, labels):
    panel.show_training(training)
    praise = labels["praise"].uuid
    assert cell(panel, "seen", praise, SUGGESTS) == "suggests"
    spin = panel.findChild(QDoubleSpinBox, "minPrecision")
    assert spin.value() == 0.5 and spin.singleStep() == 0.05
    spin.setFocus()
    emitted = []
    panel.threshold_changed.connect(emitted.append)
    for _ in range(3):
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert emitted == [0.55, 0.6, 0.65]  # each step saved, as the box shows it
    assert fresh_db.suggestions.min_precision == 0.65
    assert cell(panel, "seen", praise, SUGGESTS) == (
        "silent: precision 0.60 is below the threshold 0.65")
    assert cell(panel, "seen", labels["spoiler"].uuid, SUGGESTS) == "suggests"
    qtbot.keyClick(spin, Qt.Key.Key_Down)
    assert cell(panel, "seen", praise, SUGGESTS) == "suggests"


def test_a_training_made_at_another_threshold_is_shown_at_the_saved_one(fresh_db, qtbot,
                                                                        training, labels):
    fresh_db.suggestions.set_min_precision(0.7)
    panel = SuggestionsPanel(fresh_db)
    qtbot.addWidget(panel)
    panel.show_training(training)  # trained at 0.5
    assert panel.findChild(QDoubleSpinBox, "minPrecision").value() == 0.7
    assert cell(panel, "seen", labels["praise"].uuid, SUGGESTS).startswith("silent: ")


def test_the_recommender_checkboxes_are_saved(qtbot, fresh_db, panel):
    boxes = {name: panel.findChild(QCheckBox, f"recommender_{name}")
             for name in ("seen", "cues", "learned")}
    assert all(box.isChecked() for box in boxes.values())
    assert boxes["learned"].text() == "learned model"
    with qtbot.waitSignal(panel.recommenders_changed) as emitted:
        qtbot.mouseClick(boxes["learned"], Qt.MouseButton.LeftButton)
    assert emitted.args == [["seen", "cues"]]
    assert fresh_db.suggestions.recommenders == ("seen", "cues")

    again = SuggestionsPanel(fresh_db)
    qtbot.addWidget(again)
    assert not again.findChild(QCheckBox, "recommender_learned").isChecked()


def test_accepted_and_rejected_suggestions_are_counted(panel, fresh_db, reviews, training,
                                                       labels):
    ids = reviews("Great film.\nMarchetti is superb, and the ending is a twist.")
    doc = next(iter(ids.values()))
    praise, spoiler = labels["praise"].uuid, labels["spoiler"].uuid
    fresh_db.store.suggestions.propose(fresh_db.me.uuid, [doc], [
        Proposal(doc, praise, 12, 30, 0.9, "seen"),
        Proposal(doc, praise, 0, 11, 0.8, "seen"),
        Proposal(doc, spoiler, 36, 46, 0.7, "seen"),
    ])
    panel.show_training(training)
    assert cell(panel, "seen", praise, ACCEPTED) == "0"
    found = {(s.label_uuid, s.start): s.id for s in fresh_db.suggestions.of_document(doc)}
    fresh_db.suggestions.accept([found[(praise, 12)]])
    fresh_db.suggestions.reject([found[(praise, 0)]])
    fresh_db.suggestions.reject([found[(spoiler, 36)]])
    panel.show_outcomes()
    assert (cell(panel, "seen", praise, ACCEPTED), cell(panel, "seen", praise, REJECTED)) == (
        "1", "1")
    assert (cell(panel, "seen", spoiler, ACCEPTED), cell(panel, "seen", spoiler, REJECTED)) == (
        "0", "1")


def test_a_hostile_label_name_and_reason_show_as_typed(panel, fresh_db, training, labels):
    spoiler = labels["spoiler"].uuid
    training.labels = [replace(lb, name=HOSTILE) if lb.uuid == spoiler else lb
                       for lb in training.labels]
    training.suggester.figures["cues"][spoiler] = LabelFigures(spoiler, reason=HOSTILE)
    panel.show_training(training)
    assert cell(panel, "seen", spoiler, LABEL) == HOSTILE
    assert cell(panel, "cues", spoiler, SUGGESTS) == f"silent: {HOSTILE}"
    for column in (LABEL, SUGGESTS):
        tip = cell(panel, "cues", spoiler, column, Qt.ItemDataRole.ToolTipRole)
        assert "&lt;img src=file:///etc/passwd&gt;" in tip and "<img" not in tip


def test_a_real_training_on_a_few_labelled_reviews(qtbot, panel, fresh_db, reviews, labels):
    texts = [f"Review {i}\nThe score is superb. It turns out the twin did it. Act two drags."
             for i in range(6)]
    ids = reviews(*texts)
    praise, spoiler = labels["praise"].uuid, labels["spoiler"].uuid
    for n, doc in enumerate(ids.values()):
        text = fresh_db.document(doc).text
        start = text.index("superb")
        fresh_db.add_span(doc, praise, start, start + len("superb"))
        if n < 4:  # the cue fires in all six: right four times in six
            start = text.index("It turns out")
            fresh_db.add_span(doc, spoiler, start, text.index(" Act"))
        fresh_db.set_status(doc, Status.DONE)  # only finished documents are learned from
    fresh_db.edit_labels([replace(lb, cues="turns out") if lb.uuid == spoiler else lb
                          for lb in fresh_db.labels()])
    training = fresh_db.suggestions.train()
    panel.show_training(training)

    heading = panel.findChild(QLabel, "suggestionsHeading").text()
    assert heading.startswith("Learned from 10 spans in 6 documents marked done (blind: your "
                              "spans only)")
    assert panel.model.rowCount() == 3 * len(labels)
    assert cell(panel, "seen", praise, 2) == "6"  # examples
    assert cell(panel, "seen", praise, SUGGESTS) == "suggests"
    hole = labels["plot-hole"].uuid
    assert all(cell(panel, r, hole, SUGGESTS).startswith("silent: ")
               for r in ("seen", "cues", "learned"))
    # The threshold moved just above the cue's measured precision silences it, and just
    # below lets it speak again, with the same training.
    precision = training.figures("cues", spoiler).precision
    assert precision is not None and 0 < precision < 1
    assert cell(panel, "cues", spoiler, PRECISION) == f"{precision:.2f}"
    spin = panel.findChild(QDoubleSpinBox, "minPrecision")
    spin.setValue(precision + 0.05)
    assert "below the threshold" in cell(panel, "cues", spoiler, SUGGESTS)
    spin.setValue(precision - 0.05)
    assert cell(panel, "cues", spoiler, SUGGESTS) == "suggests"
    assert fresh_db.suggestions.training is training


def test_the_summary_line_says_how_many_suggest_or_why_none_does(panel, training, labels):
    panel.show_training(training)
    summary = panel.findChild(QLabel, "suggestionsSummary")
    speaking = sum(1 for row in panel.model.rows if row["suggests"])
    assert summary.text().startswith(f"{speaking} of {panel.model.rowCount()} recommender")
    spin = panel.findChild(QDoubleSpinBox, "minPrecision")
    spin.setValue(1.0)
    spin.editingFinished.emit()
    assert summary.text().startswith("Nothing is suggested yet: every recommender is silent. "
                                     "Most often: ")
