"""The lead shares the documents out, watches progress, and writes everyone's package."""

from PySide6.QtCore import QPoint, Qt, QTimer
from team_support import TEXTS, lead_window, modal

from annotator.domain.assignment import plan
from annotator.ui.dialogs import bundles
from annotator.ui.dialogs.assign_dialog import AssignDialog
from annotator.ui.dialogs.progress_window import ProgressWindow


def preview(dialog):
    table = dialog.table
    return [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]


def tick(qtbot, dialog, name):
    row = next(i for i in range(dialog.people.count()) if dialog.people.item(i).text() == name)
    rect = dialog.people.visualItemRect(dialog.people.item(row))
    qtbot.mouseClick(dialog.people.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 10, rect.center().y()))  # the check box


def test_assign_previews_the_plan_then_stores_it(open_window, qtbot):
    window = open_window(*TEXTS)
    window.workspace.switch_to("mira")
    window.workspace.switch_to("lead")
    done = {}

    def assign() -> None:
        dialog = modal()
        assert isinstance(dialog, AssignDialog)
        names = [dialog.people.item(i).text() for i in range(dialog.people.count())]
        assert "gold" not in names and "mira" in names
        assert dialog.table.rowCount() == 0 and not dialog.assign_button.isEnabled()
        tick(qtbot, dialog, "mira")
        qtbot.keyClicks(dialog.new_name, "tomasz")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        dialog.seed.setValue(7)
        dialog.share.selectAll()
        qtbot.keyClicks(dialog.share, "50")
        expected = plan(range(1, 13), ["m", "t"], 7, overlap=0.5)
        assert sum(len(p) > 1 for p in expected.values()) == 6
        assert preview(dialog) == [["mira", "9", "6"], ["tomasz", "9", "6"]]
        assert "12 of 12 documents" in dialog.summary.text()
        qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
        done["after"] = preview(dialog)
        done["summary"] = dialog.summary.text()
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, assign)
    window.team.assign_action.trigger()
    assert done["after"] == [["mira", "9", "6"], ["tomasz", "9", "6"]]  # who has what
    assert done["summary"].startswith("Assigned.")
    stored = window.workspace.assignments()
    by_name = {window.workspace.names()[uuid]: ids for uuid, ids in stored.items()}
    assert {k: len(v) for k, v in by_name.items()} == {"mira": 9, "tomasz": 9}
    assert "tomasz" in [window.who_box.itemText(i) for i in range(window.who_box.count())]


def test_assigning_by_k_per_document_and_a_search_that_finds_nothing(open_window, qtbot):
    window = open_window(*TEXTS)
    dialog = AssignDialog(window.workspace, "")
    qtbot.addWidget(dialog)
    for name in ("ada", "bo", "cy"):
        qtbot.keyClicks(dialog.new_name, name)
        qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.new_name, "gold")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    assert "never assigned" in dialog.summary.text()
    dialog.by_k.setChecked(True)
    dialog.k.setValue(2)
    assert [row[1] for row in preview(dialog)] == ["8", "8", "8"]  # 24 places, 3 people
    qtbot.keyClicks(dialog.query, "zebra")
    assert dialog.summary.text() == "No documents match the search."
    assert not dialog.assign_button.isEnabled()


def test_progress_shows_each_annotator_and_passes_the_model_tester(open_window, qtbot,
                                                                   qtmodeltester):
    window = lead_window(open_window)
    shown = ProgressWindow.show_for(window, window.workspace, window.bus.changed)
    qtbot.addWidget(shown)
    qtmodeltester.check(shown.model)
    model = shown.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(
        model.columnCount())]
    assert headers[:3] == ["Annotator", "Assigned", "Done"]
    assert headers[-2:] == ["Time spent", "Last activity"]
    assert "spoiler" in headers
    rows = {model.data(model.index(r, 0)): [model.data(model.index(r, c))
                                            for c in range(model.columnCount())]
            for r in range(model.rowCount())}
    assert rows["mira"][1:3] == ["9", "0"] and rows["mira"][-2] == "0:00"
    window.switch_annotator("mira")
    doc = window.workspace.assignments()[window.workspace.me.uuid][0]
    window.open_document(doc)
    window.mark_done_and_next()
    qtbot.waitUntil(lambda: model.data(model.index(
        next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == "mira"),
        2)) == "1")
    assert ProgressWindow.show_for(window, window.workspace) is shown  # one window


def test_packages_for_everyone_assigned_and_replacing_only_when_confirmed(
        open_window, tmp_path, qtbot, monkeypatch):
    window = lead_window(open_window)
    said, asked = [], []
    monkeypatch.setattr(bundles, "inform",
                        lambda parent, title, text, warning=False: said.append(text))
    monkeypatch.setattr(bundles, "confirm", lambda parent, title, text: asked.append(text))
    folder = tmp_path / "out"
    folder.mkdir()
    written = bundles.create_bundles(window, window.workspace, window.runner, str(folder))
    assert [r.path.name for r in written] == ["mira.annot", "tomasz.annot"]
    assert "Wrote 2 of 2 packages" in said[-1] and "mira.annot: mira, 9 documents" in said[-1]
    before = (folder / "mira.annot").read_bytes()
    assert bundles.create_bundles(window, window.workspace, window.runner,
                                  str(folder)) is None  # not confirmed: nothing replaced
    assert "mira.annot, tomasz.annot" in asked[-1]
    assert (folder / "mira.annot").read_bytes() == before
    monkeypatch.setattr(bundles, "confirm", lambda parent, title, text: True)
    assert len(bundles.create_bundles(window, window.workspace, window.runner,
                                      str(folder))) == 2


def test_no_packages_before_anyone_is_assigned(open_window, monkeypatch):
    window = open_window(*TEXTS)
    said = []
    monkeypatch.setattr(bundles, "inform",
                        lambda parent, title, text, warning=False: said.append(text))
    assert bundles.create_bundles(window, window.workspace, window.runner, "/nowhere") is None
    assert "Team → Assign… first" in said[0]


def test_progress_sorts_time_as_time_and_shows_h_mm(qtbot, qtmodeltester):
    from PySide6.QtCore import QSortFilterProxyModel

    from annotator.domain.model import Annotator
    from annotator.services.team import AnnotatorProgress
    from annotator.ui.models.progress_table import ProgressModel

    model = ProgressModel()
    model.set_progress([
        AnnotatorProgress(Annotator("u1", "<b>ana</b>"), 4, 1, {"spoiler": 2}, 36_000.0,
                          "2026-12-04T10:00:00.000Z"),
        AnnotatorProgress(Annotator("u2", "bo"), 4, 4, {"praise": 1}, 540.0, None)], [])
    qtmodeltester.check(model)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(Qt.ItemDataRole.UserRole)
    time_column = model.columnCount() - 2
    proxy.sort(time_column, Qt.SortOrder.AscendingOrder)
    assert [proxy.data(proxy.index(r, time_column)) for r in range(2)] == ["0:09", "10:00"]
    assert proxy.data(proxy.index(0, model.columnCount() - 1)) == "never"
    assert model.data(model.index(0, 0)) == "<b>ana</b>"  # a name as typed
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (3, 4)] == [
        "spoiler", "praise"]
