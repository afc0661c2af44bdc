"""The database: schema, safety checks on foreign files, the change log."""

import json
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.model import Status
from annotator.services import annotations, annotators
from annotator.services.importing import import_paths
from annotator.store.db import NewerSchemaError, NotADatabaseError
from annotator.store.migrations import SCHEMA_VERSION
from annotator.store.repository import Store


def test_new_database_has_default_labels_wal_and_foreign_keys(fresh_db):
    assert [label.name for label in fresh_db.labels()] == [
        "spoiler", "praise", "criticism", "plot-hole"]
    assert [label.shortcut for label in fresh_db.labels()] == ["1", "2", "3", "4"]
    assert fresh_db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert fresh_db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert fresh_db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"my shopping list\n" * 10)
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError, match="not an SQLite database"):
        Store.open(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "notes.db-wal").exists()


def sqlite_file(path, user_version: int):
    """An SQLite file with one table, as another program (or a newer Annotator) leaves it."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name)")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("user_version, error, message", [
    (SCHEMA_VERSION + 1, NewerSchemaError, "newer version of Annotator"),
    (0, NotADatabaseError, "another program"),
])
def test_sqlite_files_we_cannot_own_are_refused_and_left_untouched(tmp_path, user_version,
                                                                   error, message):
    path = sqlite_file(tmp_path / "other.db", user_version)
    before = path.read_bytes()
    with pytest.raises(error, match=message):
        Store.open(path)
    assert path.read_bytes() == before


def test_reopening_keeps_everything(tmp_path):
    (tmp_path / "r.txt").write_text("A fine film.\nThe twist is that he was a ghost.\n")
    store = Store.open(tmp_path / "a.db")
    import_paths(store, [tmp_path / "r.txt"])
    me = annotators.current(store)
    doc_id = store.document_ids()[0]
    annotations.add_span(store, doc_id, me, store.labels()[0].uuid, 13, 45)
    store.close()

    again = Store.open(tmp_path / "a.db")
    [span] = again.spans(doc_id)
    assert span.text == "The twist is that he was a ghost"
    assert again.status(doc_id, me.uuid) is Status.IN_PROGRESS


def test_every_edit_is_in_the_change_log_with_who(fresh_db, inbox):
    (inbox / "r.txt").write_text("Loved it. Hated the end.")
    import_paths(fresh_db, [inbox / "r.txt"])
    me = annotators.switch_to(fresh_db, "ada")
    doc_id = fresh_db.document_ids()[0]
    change = annotations.add_span(fresh_db, doc_id, me, fresh_db.labels()[1].uuid, 0, 9)
    span = change.added[0]
    annotations.delete_span(fresh_db, span.uuid, me)
    entries = fresh_db.change_log(span.uuid)
    assert [(e["action"], e["who"]) for e in entries] == [("add", me.uuid), ("delete", me.uuid)]
    assert entries[1]["data"]["text"] == "Loved it."
    actions = [(e["action"], e["entity"]) for e in fresh_db.change_log()]
    assert ("add", "document") in actions and ("set-status", "document_status") in actions


def test_add_span_trims_white_space_and_rejects_empty(fresh_db, inbox):
    (inbox / "r.txt").write_text("Loved it.   Hated the end.")
    import_paths(fresh_db, [inbox / "r.txt"])
    me = annotators.current(fresh_db)
    doc_id = fresh_db.document_ids()[0]
    change = annotations.add_span(fresh_db, doc_id, me, fresh_db.labels()[0].uuid, 9, 26)
    assert change.added[0].text == "Hated the end."
    with pytest.raises(ValueError, match="empty"):
        annotations.add_span(fresh_db, doc_id, me, fresh_db.labels()[0].uuid, 9, 12)
    with pytest.raises(ValueError, match="outside the text"):
        annotations.add_span(fresh_db, doc_id, me, fresh_db.labels()[0].uuid, 20, 99)
    assert len(fresh_db.spans(doc_id)) == 1


def test_a_failed_commit_does_not_leave_later_writes_uncommitted(tmp_path):
    store = Store.open(tmp_path / "a.db")
    store.conn.execute("PRAGMA foreign_keys = ON")
    store.conn.execute("PRAGMA defer_foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):  # fails at COMMIT, not at the INSERT
        with store.transaction():
            store.conn.execute("PRAGMA defer_foreign_keys = ON")
            store.conn.execute(
                "INSERT INTO document_status VALUES (999, 'nobody', 'done', 'now')")
    assert not store.conn.in_transaction
    store.set_setting("after", "saved")
    store.close()
    assert Store.open(tmp_path / "a.db").setting("after") == "saved"


def test_deleting_a_document_logs_its_statuses_and_default_labels_are_logged(fresh_db, inbox):
    (inbox / "r.txt").write_text("Loved it.")
    import_paths(fresh_db, [inbox])
    me = annotators.current(fresh_db)
    doc_id = fresh_db.document_ids()[0]
    annotations.set_status(fresh_db, doc_id, me, Status.DONE)
    fresh_db.delete_document(doc_id, me.uuid)
    statuses = [e["data"] for e in fresh_db.change_log() if e["entity"] == "document_status"]
    assert statuses[-1]["before"] == "done" and statuses[-1]["after"] == "new"
    logged = {e["entity_id"] for e in fresh_db.change_log() if e["entity"] == "label"}
    assert logged == {label.uuid for label in fresh_db.labels()}


def test_a_document_id_reused_by_another_process_gives_the_new_text(tmp_path, inbox):
    (inbox / "a.txt").write_text("The first review, long since gone.")
    (inbox / "b.txt").write_text("A second review with other words.")
    app = Store.open(tmp_path / "shared.db")
    import_paths(app, [inbox / "a.txt"])
    [doc_id] = app.document_ids()
    assert app.document_text(doc_id).startswith("The first")
    cli = Store.open(tmp_path / "shared.db")  # another process on the same file
    cli.delete_document(doc_id, None)
    import_paths(cli, [inbox / "b.txt"])
    assert cli.document_ids() == [doc_id]  # SQLite gave the freed id to the new document
    assert app.document_text(doc_id).startswith("A second")
    cli.close()
    app.close()


@given(st.text(), st.one_of(st.none(), st.text()), st.integers(0, 10**9))
def test_the_change_log_json_of_a_span_is_what_json_dumps_writes(text, note, offset):
    from annotator.domain.model import Span
    from annotator.store.repository import _span_dict, span_json

    span = Span("u-1", 7, "a\"n", "l\\b", offset, offset + 1, text, note, "2026-11-30T00:00Z",
                "2026-11-30T00:01Z")
    assert span_json(span) == json.dumps(_span_dict(span), ensure_ascii=False)
