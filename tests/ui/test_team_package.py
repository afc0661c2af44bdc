"""An annotator opens their package: whose it is, the guidelines they work under, "0 of 8
done" going up as they mark documents done, and the lead's work out of reach."""

from team_support import lead_window, package

from annotator.domain.model import Status
from annotator.ui import main_window


def test_a_package_says_whose_it_is_and_counts_what_is_done(open_window, tmp_path):
    lead = lead_window(open_window)
    assigned = len(lead.workspace.assignments()[lead.workspace.annotator_by_name("mira").uuid])
    package(lead, tmp_path)
    window = open_window(db="mira.annot")
    assert window.team.banner.isVisible()
    assert window.team.banner.text.text() == "mira's annotation package · guidelines version 1"
    assert window.annotator.name == "mira"
    assert window.documents.rowCount() == assigned
    assert window.progress_label.text() == f"0 of {assigned} done"
    assert "Mark what gives the plot away." in window.team.panel.view.toPlainText()
    window.mark_done_and_next()
    assert window.progress_label.text() == f"1 of {assigned} done"
    window.undo.undo_action.trigger()
    assert window.progress_label.text() == f"0 of {assigned} done"
    assert window.workspace.status(window.documents.ids[0]) is not Status.DONE


def test_the_leads_actions_are_disabled_in_a_package_and_refusals_are_messages(
        open_window, tmp_path, monkeypatch):
    lead = lead_window(open_window)
    assert all(a.isEnabled() for a in lead.team.lead_actions)
    assert lead.team.banner.isHidden()
    package(lead, tmp_path)
    window = open_window(db="mira.annot")
    for action in window.team.lead_actions:
        assert not action.isEnabled()
        assert "annotation package" in action.toolTip()
    assert not window.who_box.isEnabled()
    shown = []
    monkeypatch.setattr(main_window, "inform",
                        lambda parent, title, text, warning=False: shown.append(text))
    labels = window.workspace.labels()
    window.edit_labels()  # no dialog: the package says the labels are the lead's
    assert shown == ["This is mira's annotation package: its documents and labels come "
                     "from the project lead. Ask the project lead for a change to the "
                     "labels."]
    window.adjudicate()
    assert "annotation package" in shown[-1]
    assert not window.workspace.adjudicating
    window._delete([window.documents.ids[0]])
    assert "annotation package" in shown[-1]
    assert window.workspace.labels() == labels


def test_file_open_database_starts_a_window_of_its_own_for_a_package(open_window, qtbot,
                                                                    tmp_path, monkeypatch):
    """File → Open database… (Ctrl+Shift+O) opens the chosen file, a package say, with
    `annotator --db FILE` in a new program; the database open here is not opened twice."""
    import sys

    from PySide6.QtCore import QProcess, Qt
    from PySide6.QtWidgets import QFileDialog

    window = open_window("Review 1\nFine.")
    started = []
    monkeypatch.setattr(QProcess, "startDetached",
                        lambda program, args: started.append((program, args)) or True)
    package = tmp_path / "mira.annot"
    package.write_bytes(b"")
    chosen = [str(package), window.workspace.path]
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (chosen.pop(0), "Annotator databases"))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert started == [(sys.executable, ["-m", "annotator", "--db", str(package)])]
    qtbot.keyClick(window, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(started) == 1  # its own database: nothing started
    assert "open here" in window.statusBar().currentMessage()
