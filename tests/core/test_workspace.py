"""The workspace without Qt: every kind of edit, undone and redone, database and change log
checked after each step; the rules on whose spans one may change; who one is, per person."""

import pytest

from annotator.domain.errors import EditRefused, NothingToUndo
from annotator.domain.model import GOLD, Label, Status
from annotator.store.errors import StoreConflict
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState

TEXT = "Marchetti is superb. The ending: the keeper was her father. Too long, sadly."


def rows(ws: Workspace) -> dict:
    """Everything an edit may touch, as rows (a status's time stamp left out: an undone
    status is the same status, set again)."""
    conn = ws.store.conn
    return {
        "annotations": conn.execute("SELECT * FROM annotations ORDER BY uuid").fetchall(),
        "status": conn.execute("SELECT document_id, annotator_uuid, status "
                               "FROM document_status ORDER BY 1, 2").fetchall(),
        "labels": conn.execute("SELECT * FROM labels ORDER BY uuid").fetchall(),
    }


def inverse(logged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What undoing these writes logs: an add is taken back by a delete and the other way
    round; an update or a status change by another of its kind."""
    swap = {"add": "delete", "delete": "add"}
    return [(swap.get(action, action), entity) for action, entity in logged]


def log_since(ws: Workspace, mark: int) -> list[tuple]:
    return [(e["action"], e["entity"], e["who"]) for e in ws.change_log()[mark:]]


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    workspace = Workspace.open(tmp_path / "w.db", UserState(tmp_path / "me.json"))
    workspace.import_paths([tmp_path / "r.txt"])
    yield workspace
    workspace.close()


def phrase(text: str) -> tuple[int, int]:
    return TEXT.index(text), TEXT.index(text) + len(text)


def test_every_kind_of_edit_is_undone_and_redone_exactly_and_logged(ws):
    doc = ws.document_ids()[0]
    ws.switch_to("ben")
    benspan = ws.add_span(doc, ws.labels()[0].uuid, *phrase("the keeper")).added[0]
    ada = ws.switch_to("ada")
    assert len(ws.history) == 0  # ben's history is ben's
    spoiler, praise, criticism, plot_hole = ws.labels()
    states = [rows(ws)]
    marks = [len(ws.change_log())]
    expected_log = []  # per step: (action, entity) written when it is done

    def step(change_of, logged):
        change = change_of()
        assert change is not None
        states.append(rows(ws))
        marks.append(len(ws.change_log()))
        assert sorted(a[:2] for a in log_since(ws, marks[-2])) == sorted(logged)
        assert {a[2] for a in log_since(ws, marks[-2])} == {ada.uuid}
        expected_log.append(logged)
        return change

    added = step(lambda: ws.add_span(doc, praise.uuid, *phrase("superb")),
                 [("add", "span"), ("set-status", "document_status")]).added[0]
    assert added.text == "superb" and ws.status(doc) is Status.IN_PROGRESS
    step(lambda: ws.relabel(added.uuid, criticism.uuid), [("update", "span")])
    step(lambda: ws.move_edge(added.uuid, "start", -1), [("update", "span")])
    assert ws.span(added.uuid).text == "is superb"
    step(lambda: ws.set_note(added.uuid, "praise really"), [("update", "span")])
    second = step(lambda: ws.add_span(doc, spoiler.uuid, *phrase("her father")),
                  [("add", "span")]).added[0]
    step(lambda: ws.add_span(doc, plot_hole.uuid, *phrase("Too long")), [("add", "span")])
    step(lambda: ws.delete_spans([added.uuid, second.uuid]),
         [("delete", "span"), ("delete", "span")])
    step(lambda: ws.set_status(doc, Status.DONE), [("set-status", "document_status")])
    step(lambda: ws.edit_labels([spoiler, Label("twist-uuid", "twist", "#123456"), praise,
                                 criticism]),
         [("delete", "span"), ("delete", "label"), ("add", "label"), ("update", "label"),
          ("update", "label")])  # plot-hole goes with its span; praise, criticism move down
    assert ws.span(benspan.uuid) is not None
    assert [lb.name for lb in ws.labels()] == ["spoiler", "twist", "praise", "criticism"]
    assert ws.history.undo_text == "edit labels"

    for k in range(len(states) - 1, 0, -1):  # undo all, newest first
        mark = len(ws.change_log())
        ws.undo()
        assert rows(ws) == states[k - 1], f"undoing step {k}"
        undone = log_since(ws, mark)  # each write of the step, taken back, logged
        assert sorted(a[:2] for a in undone) == sorted(inverse(expected_log[k - 1]))
        assert {who for *_, who in undone} == {ada.uuid}
    with pytest.raises(NothingToUndo):
        ws.undo()
    for k in range(1, len(states)):  # and redo all
        mark = len(ws.change_log())
        ws.redo()
        assert rows(ws) == states[k], f"redoing step {k}"
        redone = log_since(ws, mark)
        assert sorted(a[:2] for a in redone) == sorted(expected_log[k - 1])
        assert {who for *_, who in redone} == {ada.uuid}
    assert not ws.history.to_redo()

    ws.adjudicate()  # gold: a session of its own, the person still ada
    assert ws.me == GOLD and ws.person == ada and len(ws.history) == 0
    before, mark = rows(ws), len(ws.change_log())
    change = ws.accept_into_gold([benspan.uuid])
    assert [(s.annotator_uuid, s.start, s.end) for s in change.added] == [
        (GOLD.uuid, benspan.start, benspan.end)]
    assert log_since(ws, mark) == [("add", "span", ada.uuid),
                                   ("set-status", "document_status", ada.uuid)]
    after = rows(ws)
    mark = len(ws.change_log())
    ws.undo()
    assert rows(ws) == before
    assert log_since(ws, mark) == [("delete", "span", ada.uuid),
                                   ("set-status", "document_status", ada.uuid)]
    mark = len(ws.change_log())
    ws.redo()
    assert rows(ws) == after  # the very same gold span, same uuid
    assert log_since(ws, mark) == [("add", "span", ada.uuid),
                                   ("set-status", "document_status", ada.uuid)]
    with pytest.raises(EditRefused, match="already in gold"):
        ws.accept_into_gold([benspan.uuid])


def test_only_ones_own_spans_are_changed(ws):
    doc = ws.document_ids()[0]
    ws.switch_to("ben")
    theirs = ws.add_span(doc, ws.labels()[0].uuid, *phrase("Marchetti")).added[0]
    ws.switch_to("ada")
    mine = ws.add_span(doc, ws.labels()[1].uuid, *phrase("superb")).added[0]
    with pytest.raises(EditRefused, match="theirs to delete"):
        ws.delete_spans([theirs.uuid])
    for edit in (lambda: ws.relabel(theirs.uuid, ws.labels()[1].uuid),
                 lambda: ws.set_note(theirs.uuid, "mine now"),
                 lambda: ws.move_edge(theirs.uuid, "end", 1)):
        with pytest.raises(EditRefused):
            edit()
    change = ws.delete_spans([theirs.uuid, mine.uuid])  # mine go, theirs stay, and it says so
    assert change.removed == (mine,) and "theirs to delete" in change.notes[0]
    assert ws.span(theirs.uuid) == theirs
    with pytest.raises(EditRefused, match="Adjudicate into gold"):
        ws.accept_into_gold([theirs.uuid])


def test_an_undo_that_cannot_be_saved_changes_nothing_and_can_be_tried_again(ws, monkeypatch):
    from annotator.store.errors import DatabaseLocked

    doc = ws.document_ids()[0]
    span = ws.add_span(doc, ws.labels()[0].uuid, *phrase("superb")).added[0]
    real = ws.store.spans.delete

    def locked(*args):
        raise DatabaseLocked("the database is in use by another program")
    monkeypatch.setattr(ws.store.spans, "delete", locked)
    with pytest.raises(DatabaseLocked):
        ws.undo()
    assert ws.span(span.uuid) == span and ws.status(doc) is Status.IN_PROGRESS
    monkeypatch.setattr(ws.store.spans, "delete", real)
    ws.undo()
    assert ws.span(span.uuid) is None and ws.status(doc) is Status.NEW


def test_an_edit_changed_elsewhere_leaves_the_history(ws, tmp_path):
    doc = ws.document_ids()[0]
    first = ws.add_span(doc, ws.labels()[0].uuid, *phrase("superb")).added[0]
    ws.add_span(doc, ws.labels()[0].uuid, *phrase("Too long"))
    elsewhere = Workspace.open(ws.path, UserState(tmp_path / "other.json"))
    elsewhere.store.spans.delete(ws.span(first.uuid), None)  # another window deletes it
    elsewhere.close()
    ws.undo()  # the second span: fine
    with pytest.raises(StoreConflict, match="no longer in the database"):
        ws.undo()
    assert len(ws.history) == 1 and ws.history.to_undo() is None  # only the redo is left


def test_every_edit_is_announced_to_listeners(ws):
    seen = []
    ws.changed.connect(seen.append)
    doc = ws.document_ids()[0]
    change = ws.add_span(doc, ws.labels()[0].uuid, *phrase("superb"))
    ws.undo()
    assert seen[0] is change and seen[1].removed == change.added


def test_an_import_is_announced_as_a_change(ws, tmp_path):
    seen = []
    ws.changed.connect(seen.append)
    (tmp_path / "new.jsonl").write_text(
        '{"text": "A twist at the end.", "annotations": '
        '[{"annotator": "kim", "label": "twist", "start": 2, "end": 7}]}', encoding="utf-8")
    ws.import_paths([tmp_path / "new.jsonl"])
    [change] = seen
    assert change.documents_changed and change.labels_changed and change.annotators_changed


def test_who_i_am_is_kept_per_person_not_in_the_shared_database(tmp_path):
    path = tmp_path / "shared.db"
    mine = Workspace.open(path, UserState(tmp_path / "mine.json"))
    mine.switch_to("mira")
    doc_settings = mine.store.conn.execute("SELECT key FROM settings").fetchall()
    mine.close()
    assert ("current_annotator",) not in doc_settings
    again = Workspace.open(path, UserState(tmp_path / "mine.json"))
    assert again.me.name == "mira"
    again.close()
    someone_else = Workspace.open(path, UserState(tmp_path / "theirs.json"))
    assert someone_else.me.name != "mira"  # a database handed on carries nobody's identity
    someone_else.close()


def test_a_restart_while_adjudicating_remembers_the_adjudicator(tmp_path):
    path, state = tmp_path / "a.db", tmp_path / "me.json"
    ws = Workspace.open(path, UserState(state))
    ws.switch_to("ada")
    ws.adjudicate()
    ws.close()
    again = Workspace.open(path, UserState(state))
    assert again.me == GOLD and again.person.name == "ada"
    again.close()


def test_opening_a_document_writes_nothing_to_the_database(ws):
    doc = ws.document_ids()[0]
    assert ws.me  # who I am is settled on first use
    changes = ws.store.conn.total_changes
    ws.remember_document(doc)
    assert ws.store.conn.total_changes == changes
    assert ws.last_document() == doc


def test_deleting_spans_counts_only_what_is_really_someone_elses(ws, tmp_path):
    docs = ws.document_ids()
    mine = ws.add_span(docs[0], ws.labels()[0].uuid, *phrase("superb")).added[0]
    gone = ws.add_span(docs[0], ws.labels()[0].uuid, *phrase("Too long")).added[0]
    ws.delete_spans([gone.uuid])
    change = ws.delete_spans([mine.uuid, mine.uuid, gone.uuid])  # twice, and one gone
    assert change.removed == (mine,) and change.notes == ()
    (tmp_path / "second.txt").write_text("Another review entirely.", encoding="utf-8")
    ws.import_paths([tmp_path / "second.txt"])
    a = ws.add_span(docs[0], ws.labels()[0].uuid, *phrase("superb")).added[0]
    b = ws.add_span(ws.document_ids()[1], ws.labels()[0].uuid, 0, 7).added[0]
    with pytest.raises(EditRefused, match="one document at a time"):
        ws.delete_spans([a.uuid, b.uuid])
    assert ws.span(a.uuid) and ws.span(b.uuid)


def test_a_command_line_import_names_nobody_and_makes_no_annotator(tmp_path):
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    ws = Workspace.open(tmp_path / "cli.db", UserState(tmp_path / "me.json"))
    ws.import_paths([tmp_path / "r.txt"], as_person=False)
    assert [a.name for a in ws.annotators()] == ["gold"]
    assert {e["who"] for e in ws.change_log() if e["entity"] == "document"} == {None}
    assert not (tmp_path / "me.json").exists()
    ws.close()


def test_a_damaged_settings_file_is_kept_aside_not_written_over(tmp_path):
    path = tmp_path / "me.json"
    path.write_text('{"databases": {"x": ', encoding="utf-8")
    state = UserState(path)
    assert state.of("x") == {}
    assert (tmp_path / "me.json.bak").read_text(encoding="utf-8") == '{"databases": {"x": '
    assert state.update("db", annotator="a") and UserState(path).of("db") == {"annotator": "a"}


def test_a_settings_file_that_cannot_be_written_says_so_and_leaves_nothing(tmp_path,
                                                                         monkeypatch):
    import os

    path = tmp_path / "me.json"
    state = UserState(path)

    def refuse(*args):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", refuse)
    assert not state.update("db", annotator="a")
    assert "cannot be written" in state.problem
    assert state.of("db") == {"annotator": "a"}  # remembered for this run all the same
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no temporary file, no lock


def test_old_per_user_keys_stay_in_the_database_until_the_settings_file_has_them(
        tmp_path, monkeypatch):
    import os

    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    ws = Workspace.open(tmp_path / "old.db", UserState(tmp_path / "first.json"))
    ws.switch_to("ada")
    ada = ws.me.uuid
    ws.store.settings.set("current_annotator", ada)  # as an older version left it
    ws.close()

    def refuse(*args):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", refuse)
    again = Workspace.open(tmp_path / "old.db", UserState(tmp_path / "second.json"))
    assert again.me.uuid == ada
    assert again.store.settings.get("current_annotator") == ada  # not lost
    monkeypatch.undo()
    again.close()
    third = Workspace.open(tmp_path / "old.db", UserState(tmp_path / "second.json"))
    assert third.me.uuid == ada and third.store.settings.get("current_annotator") is None
    third.close()


def _save_many(path, name, count):
    state = UserState(path)
    for i in range(count):
        state.update(name, value=i)


def test_two_programs_saving_the_settings_file_keep_each_others_changes(tmp_path):
    from multiprocessing import get_context

    path = tmp_path / "me.json"
    context = get_context("spawn")
    workers = [context.Process(target=_save_many, args=(path, f"db{i}", 60)) for i in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    final = UserState(path)
    assert [final.of(f"db{i}") for i in range(3)] == [{"value": 59}] * 3
