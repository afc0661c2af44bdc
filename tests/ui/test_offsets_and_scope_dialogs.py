"""Issue 13 in the dialogs: every document by default, offsets in each format's own unit
unless chosen, and the import summary saying which unit a file was read in."""

import json

from annotator.services.exporting import ExportOptions
from annotator.ui.dialogs.export_dialog import ExportDialog
from annotator.ui.dialogs.import_options import ImportOptionsDialog
from annotator.ui.dialogs.import_summary import ImportSummary

REVIEW = "Marchetti is superb 😂. The ending: the keeper was her father."


def test_the_export_dialog_takes_every_document_as_the_command_line_does(qtbot, open_window):
    window = open_window(REVIEW)
    dialog = ExportDialog(window.workspace)
    qtbot.addWidget(dialog)
    assert not dialog.done_only.isChecked()
    assert dialog.options().done_only == ExportOptions().done_only is False


def test_the_export_dialog_writes_each_format_in_its_own_unit_unless_told(qtbot, open_window):
    window = open_window(REVIEW)
    window.view.select_range(REVIEW.index("The ending"), REVIEW.index(":"))
    window.apply_label(window.labels[0])
    dialog = ExportDialog(window.workspace)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    assert dialog.offsets.currentData() is None and dialog.options().offsets is None
    assert dialog.offsets.itemText(0) == "As the format's tools count: UTF-16 code units"
    [[start, end, _]] = json.loads(dialog.preview.toPlainText())["label"]
    assert (start, end) == (REVIEW.index("The ending") + 1, REVIEW.index(":") + 1)  # 😂 is 2
    dialog.offsets.setCurrentIndex(dialog.offsets.findData("graphemes"))
    assert dialog.options().offsets == "graphemes"
    [[start, end, _]] = json.loads(dialog.preview.toPlainText())["label"]
    assert (start, end) == (REVIEW.index("The ending"), REVIEW.index(":"))
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    assert dialog.offsets.itemText(0) == "As the format's tools count: no offsets (tokens)"


def test_the_import_dialog_reads_each_format_in_its_own_unit_by_default(qtbot):
    dialog = ImportOptionsDialog(2)
    qtbot.addWidget(dialog)
    assert [dialog.offsets.itemData(i) for i in range(dialog.offsets.count())] == [
        None, "codepoint", "utf16", "graphemes"]
    dialog.offsets.setCurrentIndex(0)
    assert dialog.options().read.offsets is None


def test_the_import_summary_says_which_unit_the_offsets_were_read_in(qtbot, fresh_db, inbox):
    (inbox / "d.jsonl").write_text(json.dumps({"text": "Wow 🤩 the finale",
                                               "label": [[7, 17, "praise"]]}))
    report = fresh_db.import_paths([inbox / "d.jsonl"])
    dialog = ImportSummary(report)
    qtbot.addWidget(dialog)
    item = dialog.tree.topLevelItem(0)
    lines = [item.child(i).text(0) for i in range(item.childCount())]
    assert lines == ["Offsets read as UTF-16 code units, as doccano JSONL counts them "
                     "(another unit: --offsets)."]
    dialog.only_problems.setChecked(True)  # a unit is no problem
    assert dialog.tree.topLevelItemCount() == 0


def test_an_old_remembered_code_point_choice_does_not_force_code_points(qtbot):
    from PySide6.QtCore import QSettings

    from annotator.ui.dialogs.import_options import remembered

    QSettings().setValue("import/offsets", "codepoint")  # what every earlier version saved
    QSettings().remove("import/offsets_unit")
    assert remembered().read.offsets is None
