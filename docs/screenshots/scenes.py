"""Sets up the window for each screenshot in this folder, on a throwaway database.

    for scene in workbench compare label-editor spoiler-shield import-summary agreement \
            adjudicate export search suggestions; do
        ../shared/tools/screenshot docs/screenshots/$scene.png --wait 4 --size 1400x860 -- \
            .venv/bin/python docs/screenshots/scenes.py $scene
    done

Scenes: workbench (overlapping spans, one selected), compare (mira with tomasz's spans
outlined), label-editor (the label set editor), spoiler-shield (the shield preview),
import-summary (what an import of a folder with some bad files reports), agreement (the
agreement window on the samples mira and tomasz annotated and marked done), adjudicate
(building gold: one span accepted, F8 at the first disagreement), export (the export
dialog with its preview), search (the list searched for "keep*" among documents where
mira and tomasz disagree, the hits outlined, F3 at the second one), assign (Team →
Assign… sharing the samples between mira, tomasz and a new annotator), merge (Team →
Merge packages… previewing three annotators' packages, a conflict among them), progress
(Team → Progress after that merge), suggestions (a review of the planted corpus with the
recommenders' dotted outlines, the second one current, and the Suggestions panel: 60
reviews annotated by mira, trained in the background as the window opened).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from annotator.ui.app import make_app, open_window
from annotator.workspace import Workspace

SAMPLE = "The Lighthouse Keeper’s Daughter"


def nest_a_span(window) -> None:
    """Overlaps to show: a plot-hole inside the spoiler, and a criticism across its end."""
    from annotator.domain.words import snap_to_words

    spoiler = next(lb for lb in window.labels if lb.name == "spoiler")
    target = next((s for s in window.view.spans.values() if s.label_uuid == spoiler.uuid), None)
    if target is None:
        return
    middle = (target.start + target.end) // 2
    for name, start, end in (("plot-hole", middle, target.end - 2),
                             ("criticism", target.end - 8, target.end + 25)):
        label = next(lb for lb in window.labels if lb.name == name)
        start, end = snap_to_words(window.text, start, end)
        window.workspace.add_span(window.document_id, label.uuid, start, end)


def import_folder() -> Path:
    """A folder such as users drop on the window: good files, and some that are not."""
    import json
    import zipfile

    folder = Path(tempfile.mkdtemp()) / "new reviews"
    folder.mkdir()
    (folder / "salt-road.txt").write_text(
        "The Salt Road\n\nTwo hours of dust and one great scene.\n\nRating: 6/10\n")
    (folder / "from-doccano.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"text": "Copper Skies soars until the twist: the pilot was dead all along.",
         "label": [[44, 65, "spoiler"]]},
        {"text": "Gorgeous score, clumsy dialogue.", "label": [[0, 14, "praise"]]}]))
    (folder / "letterboxd-export.csv").write_text(
        "Title,Review,Rating\nIron Meadow,A patient western that earns its ending.,4/5\n"
        "Night Orchard,,3/5\n")
    (folder / "broken.jsonl").write_text(
        '{"text": "Fine."}\n{"text": "Half a record\n{"text": 42}\n')
    with zipfile.ZipFile(folder / "june.zip", "w") as archive:
        archive.writestr("june/glass-harbour.md", "# Glass Harbour\n\nQuietly devastating.")
        archive.writestr("../../outside.txt", "Not a review.")
    (folder / "poster.png").write_bytes(b"\x89PNG\r\n")
    return folder


def team_packages(workspace: Workspace) -> list[str]:
    """The samples shared between mira, tomasz and ada, a package each, some work done in
    each, and one span mira changed in the project after her package was made (so the
    merge has a conflict to show)."""
    from annotator.domain.model import Status

    workspace.assign(["mira", "tomasz", "ada"], seed=42, overlap=0.3)
    workspace.set_guidelines("# Spoilers\n\nMark what gives the plot away.")
    folder = Path(tempfile.mkdtemp())
    paths = []
    for name in ("mira", "tomasz", "ada"):
        path = folder / f"{name}.annot"
        workspace.create_bundle(name, path)
        paths.append(str(path))
    labels = {lb.name: lb for lb in workspace.labels()}
    mine = next(s for d in workspace.assignments()[workspace.me.uuid]
                for s in workspace.spans(d, workspace.me.uuid))
    for n, path in enumerate(paths):
        package = Workspace.open(path)
        for i, doc in enumerate(package.document_ids()[:3 + n]):
            text = package.document(doc).text
            words = [w for w in text.split() if len(w) > 6]
            for word in words[i % 2:i % 2 + 2]:
                start = text.index(word)
                try:
                    package.add_span(doc, labels[("praise", "criticism", "spoiler")[
                        (i + n) % 3]].uuid, start, start + len(word))
                except Exception:  # noqa: BLE001 (an overlap the rules refuse: skip it)
                    pass
            package.set_status(doc, Status.DONE)
        if n == 0:
            package.relabel(mine.uuid, labels["plot-hole"].uuid)
        package.close()
    workspace.relabel(mine.uuid, labels["criticism"].uuid)  # after the package was made
    return paths


def planted_project(path: Path) -> Workspace:
    """80 reviews of the benchmarks' planted corpus, the first 60 annotated by mira and
    done, the labels' cues the corpus's own."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from suggest_corpus import planted_corpus, planted_cues

    from annotator.domain.model import Document, Label, Span, Status, new_uuid
    from annotator.domain.text import content_hash

    examples, names = planted_corpus(80, seed=5)
    workspace = Workspace.open(path)
    workspace.switch_to("mira")
    workspace.set_blind_policy(True)
    me = workspace.me
    ids = workspace.store.documents.add(
        [Document(None, new_uuid(), e.text.split("\n", 1)[0], e.text, content_hash(e.text))
         for e in examples], me.uuid)
    by_name = {lb.name: lb for lb in workspace.labels()}
    cues = {names[u]: lines for u, lines in planted_cues().items()}
    workspace.edit_labels([Label(lb.uuid, lb.name, lb.colour, lb.shortcut, lb.description,
                                 lb.position, "\n".join(cues.get(lb.name, [])))
                           for lb in by_name.values()])
    for doc_id, example in list(zip(ids, examples, strict=True))[:60]:
        workspace.store.spans.add([
            Span(new_uuid(), doc_id, me.uuid, by_name[names[label]].uuid, start, end,
                 example.text[start:end]) for label, start, end in example.spans], me.uuid)
        workspace.store.statuses.set(doc_id, me.uuid, Status.DONE, me.uuid)
    workspace.remember_document(ids[61])
    return workspace


def suggestions_scene(app, window) -> None:
    """Once the start-up training has ended: the Suggestions dock up, Tab twice."""
    from PySide6.QtTest import QTest

    def ready() -> None:
        if not window.workspace.suggestions.trained_for_me or not window.view.suggestions.items:
            QTimer.singleShot(200, ready)
            return
        window.suggesting.dock.raise_()
        window.resizeDocks([window.suggesting.dock], [590], Qt.Orientation.Horizontal)
        window.view.setFocus()
        QTest.keyClick(window.view, Qt.Key.Key_Tab)
        QTest.keyClick(window.view, Qt.Key.Key_Tab)
    QTimer.singleShot(200, ready)


def main(scene: str) -> int:
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # default window layout, not yours
    os.environ["ANNOTATOR_BACKUPS"] = tempfile.mkdtemp()  # nor your backups folder
    app = make_app([])
    if os.environ.get("SCENE_DARK"):  # check the colours on a dark desktop theme
        from PySide6.QtGui import QColor, QPalette

        app.setStyle("Fusion")
        dark = QPalette()
        for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                             (QPalette.ColorRole.Base, "#1e1e1e"),
                             (QPalette.ColorRole.AlternateBase, "#262626"),
                             (QPalette.ColorRole.Text, "#e8e8e8"),
                             (QPalette.ColorRole.WindowText, "#e8e8e8"),
                             (QPalette.ColorRole.Button, "#333333"),
                             (QPalette.ColorRole.ButtonText, "#e8e8e8")):
            dark.setColor(role, QColor(colour))
        app.setPalette(dark)
    if scene == "suggestions":
        workspace = planted_project(Path(tempfile.mkdtemp()) / "screens.db")
        window = open_window(workspace)
        window.resize(app.primaryScreen().availableGeometry().size())
        window.show()
        suggestions_scene(app, window)
        return app.exec()
    workspace = Workspace.open(Path(tempfile.mkdtemp()) / "screens.db")
    workspace.switch_to("mira")
    workspace.set_blind_policy(scene != "compare")
    window = open_window(workspace)
    window.resize(app.primaryScreen().availableGeometry().size())  # the screenshot's --size
    row = next((r for r in range(window.documents.rowCount())
                if window.documents.summary(r).span_count >= 8), 0)
    window.open_document(window.documents.ids[row])
    if scene in ("workbench", "spoiler-shield"):
        nest_a_span(window)
    if scene == "compare":
        window.compare_action.setChecked(True)
        window.toggle_compare()
    if scene == "adjudicate":  # gold, with mira's and tomasz's spans outlined
        window.adjudicate()
        first = min(window.view.others.values(), key=lambda s: s.start)
        window.view.place_cursor(first.start)
        window.accept_span()
        window.step_disagreement(1)
    spans = sorted(window.view.spans.values(), key=lambda s: s.start)
    if spans and scene != "adjudicate":
        window.view.select_span(spans[min(2, len(spans) - 1)])
    window.show()
    if scene == "search":
        panel = window.document_panel
        panel.disagreement_filter.setChecked(True)
        panel.filter_box.setText("keep")
        panel.apply_filter()
        window.open_row(0)
        window.view.place_cursor(0)
        window.step_hit(1)
        window.step_hit(1)
    if scene == "label-editor":
        QTimer.singleShot(300, window.edit_labels)
    elif scene == "spoiler-shield":
        QTimer.singleShot(300, window.spoiler_shield)
    elif scene == "export":
        def export_dialog() -> None:
            from annotator.ui.dialogs.export_dialog import ExportDialog

            dialog = ExportDialog(workspace, window)
            dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
            dialog.scope.setCurrentIndex(dialog.scope.findData("all"))
            dialog.done_only.setChecked(False)
            dialog.exec()
        QTimer.singleShot(300, export_dialog)
    elif scene == "import-summary":
        QTimer.singleShot(300, lambda: window.import_paths([str(import_folder())]))
    elif scene == "agreement":
        def agreement() -> None:
            from annotator.ui.dialogs.agreement_window import AgreementWindow

            shown = AgreementWindow.show_for(workspace, window.runner, window,
                                             window.show_in_compare)
            shown.setGeometry(0, 0, 1400, 860)  # the whole screen: there is no window manager
        QTimer.singleShot(300, agreement)
    elif scene == "assign":
        def assign() -> None:
            from annotator.ui.dialogs.assign_dialog import AssignDialog

            dialog = AssignDialog(workspace, "", window)
            for i in range(dialog.people.count()):
                dialog.people.item(i).setCheckState(Qt.CheckState.Checked)
            dialog.new_name.setText("ada")
            dialog.add_new()
            dialog.share.setValue(30)
            dialog.seed.setValue(42)
            dialog.setGeometry(250, 120, 900, 640)
            dialog.exec()
        QTimer.singleShot(300, assign)
    elif scene in ("merge", "progress"):
        paths = team_packages(workspace)

        def merge() -> None:
            from annotator.ui.dialogs.merge_dialog import MergeDialog

            dialog = MergeDialog(workspace, window.runner, window)
            dialog.add_files(paths)
            dialog.setGeometry(150, 60, 1100, 760)
            dialog.show()
            dialog.preview()
            if scene == "progress":
                dialog.merge()
                dialog.close()
                from annotator.ui.dialogs.progress_window import ProgressWindow

                shown = ProgressWindow.show_for(window, workspace, window.bus.changed)
                shown.setGeometry(200, 200, 1000, 360)
        QTimer.singleShot(300, merge)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "workbench"))
