"""The database: schema, safety checks on foreign files, the change log, migrations, and the
.db file alone holding everything once closed."""

import json
import os
import shutil
import sqlite3
import uuid
from dataclasses import replace

import pytest
import sqlite_utils
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotator.cli import main
from annotator.domain.model import GOLD, GOLD_UUID, Status, new_uuid
from annotator.domain.spans import SpanError
from annotator.store.database import Store
from annotator.store.db import NewerSchemaError, NotADatabaseError
from annotator.store.errors import StoreConflict
from annotator.store.migrations import SCHEMA_VERSION, STEPS
from annotator.store.settings import BLIND_POLICY, LEGACY_USER_KEYS


def test_new_database_has_default_labels_wal_and_foreign_keys(fresh_db):
    assert [label.name for label in fresh_db.labels()] == [
        "spoiler", "praise", "criticism", "plot-hole"]
    assert [label.shortcut for label in fresh_db.labels()] == ["1", "2", "3", "4"]
    conn = fresh_db.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_new_database_has_gold_and_an_identity_of_its_own(fresh_db, open_workspace,
                                                            tmp_path):
    assert fresh_db.annotator(GOLD_UUID) == GOLD
    other = open_workspace(tmp_path / "other.db")
    assert fresh_db.database_uuid and other.database_uuid != fresh_db.database_uuid


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path, open_workspace):
    path = tmp_path / "notes.db"
    path.write_bytes(b"my shopping list\n" * 10)
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError, match="not an SQLite database"):
        open_workspace(path)
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
def test_sqlite_files_we_cannot_own_are_refused_and_left_untouched(tmp_path, open_workspace,
                                                                   user_version, error,
                                                                   message):
    path = sqlite_file(tmp_path / "other.db", user_version)
    before = path.read_bytes()
    with pytest.raises(error, match=message):
        open_workspace(path)
    assert path.read_bytes() == before


def test_reopening_keeps_everything(tmp_path, open_workspace):
    (tmp_path / "r.txt").write_text("A fine film.\nThe twist is that he was a ghost.\n")
    ws = open_workspace(tmp_path / "a.db")
    ws.import_paths([tmp_path / "r.txt"])
    me = ws.me
    doc_id = ws.document_ids()[0]
    ws.add_span(doc_id, ws.labels()[0].uuid, 13, 45)
    ws.close()

    again = open_workspace(tmp_path / "a.db")
    [span] = again.spans(doc_id)
    assert span.text == "The twist is that he was a ghost"
    assert again.status(doc_id, me.uuid) is Status.IN_PROGRESS
    assert again.me == me  # the same person again, from their own settings


def test_every_edit_is_in_the_change_log_with_who(fresh_db, inbox):
    (inbox / "r.txt").write_text("Loved it. Hated the end.")
    fresh_db.import_paths([inbox / "r.txt"])
    me = fresh_db.switch_to("ada")
    doc_id = fresh_db.document_ids()[0]
    change = fresh_db.add_span(doc_id, fresh_db.labels()[1].uuid, 0, 9)
    span = change.added[0]
    fresh_db.delete_spans([span.uuid])
    entries = fresh_db.change_log(span.uuid)
    assert [(e["action"], e["who"]) for e in entries] == [("add", me.uuid), ("delete", me.uuid)]
    deleted = entries[1]["data"]  # where the span was, not a copy of the document's text
    assert (deleted["start"], deleted["end"], "text" in deleted) == (0, 9, False)
    actions = [(e["action"], e["entity"]) for e in fresh_db.change_log()]
    assert ("add", "document") in actions and ("set-status", "document_status") in actions


def test_add_span_trims_white_space_and_rejects_empty(fresh_db, inbox):
    (inbox / "r.txt").write_text("Loved it.   Hated the end.")
    fresh_db.import_paths([inbox / "r.txt"])
    doc_id = fresh_db.document_ids()[0]
    spoiler = fresh_db.labels()[0].uuid
    change = fresh_db.add_span(doc_id, spoiler, 9, 26)
    assert change.added[0].text == "Hated the end."
    with pytest.raises(SpanError, match="only white space"):
        fresh_db.add_span(doc_id, spoiler, 9, 12)
    with pytest.raises(SpanError, match="empty"):
        fresh_db.add_span(doc_id, spoiler, 12, 12)
    with pytest.raises(SpanError, match="outside the text"):
        fresh_db.add_span(doc_id, spoiler, 20, 99)
    assert len(fresh_db.spans(doc_id)) == 1


def test_a_failed_commit_does_not_leave_later_writes_uncommitted(tmp_path, open_workspace):
    store = open_workspace(tmp_path / "a.db").store
    store.conn.execute("PRAGMA foreign_keys = ON")
    store.conn.execute("PRAGMA defer_foreign_keys = ON")
    with pytest.raises(StoreConflict):  # fails at COMMIT, not at the INSERT
        with store.transaction():
            store.conn.execute("PRAGMA defer_foreign_keys = ON")
            store.conn.execute(
                "INSERT INTO document_status VALUES (999, 'nobody', 'done', 'now')")
    assert not store.conn.in_transaction
    store.settings.set("after", "saved")
    store.close()
    assert open_workspace(tmp_path / "a.db").store.settings.get("after") == "saved"


def test_deleting_a_document_logs_its_statuses_and_default_labels_are_logged(fresh_db, inbox):
    (inbox / "r.txt").write_text("Loved it.")
    fresh_db.import_paths([inbox])
    doc_id = fresh_db.document_ids()[0]
    fresh_db.set_status(doc_id, Status.DONE)
    fresh_db.delete_documents([doc_id])
    statuses = [e for e in fresh_db.change_log() if e["entity"] == "document_status"]
    assert statuses[-1]["data"]["before"] == "done" and statuses[-1]["data"]["after"] == "new"
    assert statuses[-1]["who"] == fresh_db.person.uuid
    logged = {e["entity_id"] for e in fresh_db.change_log() if e["entity"] == "label"}
    assert logged == {label.uuid for label in fresh_db.labels()}


def test_a_document_id_reused_by_another_process_gives_the_new_text(tmp_path, inbox,
                                                                    open_workspace):
    (inbox / "a.txt").write_text("The first review, long since gone.")
    (inbox / "b.txt").write_text("A second review with other words.")
    app = open_workspace(tmp_path / "shared.db")
    app.import_paths([inbox / "a.txt"])
    [doc_id] = app.document_ids()
    assert app.store.documents.text(doc_id).startswith("The first")
    cli = open_workspace(tmp_path / "shared.db", tmp_path / "cli.json")  # another process
    cli.delete_documents([doc_id])
    cli.import_paths([inbox / "b.txt"])
    assert cli.document_ids() == [doc_id]  # SQLite gave the freed id to the new document
    assert app.store.documents.text(doc_id).startswith("A second")


@given(st.text(), st.one_of(st.none(), st.text()), st.integers(0, 10**9))
def test_the_change_log_json_of_a_span_is_what_json_dumps_writes(text, note, offset):
    from annotator.domain.model import Span
    from annotator.store.spans import span_dict, span_json

    span = Span("u-1", 7, "a\"n", "l\\b", offset, offset + 1, text, note, "2026-11-30T00:00Z",
                "2026-11-30T00:01Z")
    assert span_json(span) == json.dumps(span_dict(span), ensure_ascii=False)


# --- a database of the first schema, as earlier versions left it ---------------------------

def schema_1_database(path):
    """A schema-1 database with a review, ada's span, an annotator called "gold" (a random
    uuid, as earlier versions made it) with spans and a status, the old "blind" setting, and
    the per-user state earlier versions kept in the shared settings."""
    db = sqlite_utils.Database(path)
    with db.conn:
        STEPS[0](db)
    db.conn.execute("PRAGMA user_version = 1")
    old_gold, ada = new_uuid(), new_uuid()
    praise = db.conn.execute("SELECT uuid FROM labels WHERE name = 'praise'").fetchone()[0]
    text = "Marchetti is superb. The ending drags."
    with db.conn:
        db["documents"].insert({"id": 1, "uuid": "doc-uuid-1", "content_hash": "h1",
                                "title": "Marchetti", "text": text, "meta": "{}",
                                "created": "2025-01-01T00:00:00.000Z"})
        db["annotators"].insert_all([{"uuid": old_gold, "name": "gold"},
                                     {"uuid": ada, "name": "ada"}])
        db["annotations"].insert_all(
            {"uuid": span_uuid, "document_id": 1, "annotator_uuid": who, "label_uuid": praise,
             "start": 0, "end": 20, "text": text[:20], "note": None,
             "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z"}
            for span_uuid, who in (("gold-span-1", old_gold), ("ada-span-1", ada)))
        db["annotations"].insert(
            {"uuid": "gold-span-2", "document_id": 1, "annotator_uuid": old_gold,
             "label_uuid": praise, "start": 21, "end": 38, "text": text[21:38], "note": None,
             "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z"})
        db["document_status"].insert_all(
            {"document_id": 1, "annotator_uuid": who, "status": status,
             "modified": "2025-01-01T00:00:00.000Z"}
            for who, status in ((old_gold, "done"), (ada, "in progress")))
        db["settings"].insert_all([
            {"key": "blind", "value": "0"},
            {"key": "current_annotator", "value": ada},
            {"key": "last_document", "value": "1"},
            {"key": "adjudicator", "value": ada},
        ])
    db.conn.close()
    return old_gold, ada


def test_a_schema_1_database_gets_gold_an_identity_and_its_per_user_state_moves_out(
        tmp_path, open_workspace):
    path = tmp_path / "old.db"
    old_gold, ada = schema_1_database(path)
    mine = tmp_path / "mine.json"

    ws = open_workspace(path, mine)
    conn = ws.store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # Gold is the reserved annotator now: its spans and status came with it, nothing is left
    # under the old uuid, and the change log says where that uuid went.
    assert ws.annotator_by_name("gold") == GOLD and ws.annotator(old_gold) is None
    assert {s.uuid for s in ws.spans(1, GOLD_UUID)} == {"gold-span-1", "gold-span-2"}
    assert [s.uuid for s in ws.spans(1, ada)] == ["ada-span-1"]
    assert ws.status(1, GOLD_UUID) is Status.DONE
    for table in ("annotations", "document_status"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE annotator_uuid = ?",
                            (old_gold,)).fetchone()[0] == 0
    [rekey] = [e for e in ws.change_log() if e["action"] == "rekey"]
    assert (rekey["entity"], rekey["entity_id"]) == ("annotator", old_gold)
    assert rekey["data"] == {"name": "gold", "uuid": GOLD_UUID}
    # The database has an identity of its own; "blind" is named as the team policy it is.
    assert uuid.UUID(ws.store.settings.get("database_uuid")) and ws.database_uuid
    assert ws.store.settings.get("blind") is None
    assert ws.store.settings.get(BLIND_POLICY) == "0" and ws.blind_policy is False

    # Who I was, and where, moves from the shared database to my own settings file.
    assert ws.me.uuid == ada and ws.person.uuid == ada
    assert ws.last_document() == 1
    keys = {r[0] for r in conn.execute("SELECT key FROM settings")}
    assert keys.isdisjoint(LEGACY_USER_KEYS)
    saved = json.loads(mine.read_text(encoding="utf-8"))["databases"][ws.database_uuid]
    assert saved["annotator"] == ada and saved["last_document"] == "doc-uuid-1"
    ws.close()

    again = open_workspace(path, mine)
    assert again.me.uuid == ada and again.last_document() == 1
    again.close()
    someone_else = open_workspace(path, tmp_path / "theirs.json")
    assert someone_else.database_uuid == ws.database_uuid  # the same database to everyone
    assert someone_else.me.uuid != ada  # but it no longer says who its user is
    assert someone_else.last_document() is None
    assert len([e for e in someone_else.change_log() if e["action"] == "rekey"]) == 1


def test_an_adjudicator_of_a_schema_1_database_resumes_adjudicating(tmp_path, open_workspace):
    path = tmp_path / "old.db"
    old_gold, ada = schema_1_database(path)
    db = sqlite3.connect(path)
    with db:  # they were working as gold when they last closed it
        db.execute("UPDATE settings SET value = ? WHERE key = 'current_annotator'",
                   (old_gold,))
    db.close()
    ws = open_workspace(path, tmp_path / "mine.json")
    assert ws.me == GOLD and ws.person.uuid == ada


def test_after_closing_the_db_file_alone_holds_every_edit(tmp_path, inbox, open_workspace):
    (inbox / "r.txt").write_text("Marchetti is superb. The ending drags. Too long.")
    path = tmp_path / "work" / "a.db"
    ws = open_workspace(path)
    ws.import_paths([inbox])
    [doc] = ws.document_ids()
    ws.switch_to("ada")
    praise, criticism = ws.labels()[1], ws.labels()[2]
    kept = ws.add_span(doc, praise.uuid, 0, 20).added[0]
    ws.relabel(kept.uuid, criticism.uuid)
    ws.set_note(kept.uuid, "too kind")
    gone = ws.add_span(doc, praise.uuid, 21, 38).added[0]
    ws.delete_spans([gone.uuid])
    ws.set_status(doc, Status.DONE)
    *kept_labels, plot_hole = ws.labels()
    ws.edit_labels([*kept_labels, replace(plot_hole, name="plot hole")])
    assert path.with_name("a.db-wal").stat().st_size > 0  # the edits are in the log so far
    ws.close()

    copy = tmp_path / "elsewhere" / "a.db"
    copy.parent.mkdir()
    shutil.copy(path, copy)  # only the .db file, as someone mailing it would
    assert not copy.with_name("a.db-wal").exists()
    other = open_workspace(copy, tmp_path / "mine-elsewhere.json")
    [span] = other.spans(doc)
    assert (span.uuid, span.label_uuid, span.note) == (kept.uuid, criticism.uuid, "too kind")
    assert other.span(gone.uuid) is None
    ada = other.annotator_by_name("ada")
    assert other.status(doc, ada.uuid) is Status.DONE
    assert [lb.name for lb in other.labels()] == ["spoiler", "praise", "criticism",
                                                  "plot hole"]


def test_after_a_command_the_db_file_alone_holds_the_import(tmp_path, inbox, open_workspace):
    (inbox / "a.txt").write_text("The Quiet Harbour\n\nToo long by half.")
    (inbox / "b.jsonl").write_text(json.dumps({"text": "Nice score.", "annotations": [
        {"annotator": "kofi", "label": "praise", "start": 5, "end": 10}]}) + "\n")
    path = tmp_path / "cli" / "a.db"
    result = CliRunner().invoke(main, ["--db", str(path), "import", str(inbox)])
    assert result.exit_code == 0, result.output
    copy = tmp_path / "elsewhere" / "a.db"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    other = open_workspace(copy)
    assert sorted(other.document(i).title for i in other.document_ids()) == [
        "Nice score.", "The Quiet Harbour"]
    assert [s.text for d in other.document_ids() for s in other.spans(d)] == ["score"]
    assert other.annotator_by_name("kofi") is not None


def test_only_the_databases_own_troubles_become_store_errors(fresh_db):
    """Locked, full or damaged is the user's to act on; bad SQL, a wrong parameter or a
    closed connection is a bug, and must reach the crash report as it is."""
    from annotator.domain.errors import DatabaseLocked, StoreConflict
    from annotator.store.errors import translate

    assert isinstance(translate(sqlite3.OperationalError("database is locked")), DatabaseLocked)
    conn = fresh_db.store.conn
    for bug in ("SELECT no_such_column FROM labels",
                "INSERT INTO annotators (uuid, name) VALUES ('x', NULL)"):
        with pytest.raises(sqlite3.Error) as caught:
            conn.execute(bug)
        assert translate(caught.value) is None
    with pytest.raises(sqlite3.IntegrityError) as caught:  # a name taken: in the way
        conn.execute("INSERT INTO annotators (uuid, name) VALUES ('x', 'gold')")
    assert isinstance(translate(caught.value), StoreConflict)
    with pytest.raises(sqlite3.ProgrammingError):
        fresh_db.store.spans.get({"not": "a uuid"})  # raised as it is, not as a StoreError


def _die_while_writing(path: str) -> None:
    """Begin a big write to a database in rollback-journal mode, and die before COMMIT, as
    a kill during the first open does: a hot journal is left beside the file."""
    import os as _os

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA cache_size = 10")  # spill to the file before the commit
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (randomblob(100))")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (randomblob(1000))", [()] * 3000)
    _os._exit(9)


def test_a_crash_while_a_database_was_being_written_is_recovered_on_open(tmp_path):
    from multiprocessing import get_context

    path = tmp_path / "hot.db"
    worker = get_context("spawn").Process(target=_die_while_writing, args=(str(path),))
    worker.start()
    worker.join(60)
    assert path.with_name("hot.db-journal").stat().st_size > 0  # a hot journal is left
    with pytest.raises(NotADatabaseError, match="another program"):  # its table t, not ours
        Store.open(path)
    # Recovered, not locked out: the half-done write was rolled back, the file is intact.
    assert not path.with_name("hot.db-journal").exists() or \
        path.with_name("hot.db-journal").stat().st_size == 0
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def _open_new(path: str, start, results) -> None:
    from annotator.workspace import Workspace
    from annotator.workspace.user_state import UserState

    start.wait(30)
    try:
        ws = Workspace.open(path, UserState())
        results.put(len(ws.labels()))
        ws.close()
    except Exception as e:  # reported to the test, which shows it
        results.put(repr(e))


def test_programs_creating_the_same_new_database_at_once_all_open_it(tmp_path):
    from multiprocessing import get_context

    context = get_context("spawn")
    for attempt in range(3):
        path = str(tmp_path / f"race-{attempt}.db")
        start, results = context.Event(), context.Queue()
        workers = [context.Process(target=_open_new, args=(path, start, results))
                   for _ in range(4)]
        for worker in workers:
            worker.start()
        start.set()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(30)
        assert outcomes == [4] * 4  # every one opened it; the labels were made once
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.close()


def test_a_refused_file_gets_nothing_created_beside_it(tmp_path):
    path = sqlite_file(tmp_path / "newer.db", SCHEMA_VERSION + 1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")  # the newer version's: WAL, like ours
    conn.close()
    with pytest.raises(NewerSchemaError, match=f"schema {SCHEMA_VERSION + 1}"):
        Store.open(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.db"]


def test_a_database_that_cannot_be_written_here_opens_for_reading(tmp_path, monkeypatch):
    """A read-only folder (or file, or disk): stats and export work, a write says so."""
    from annotator.domain.errors import DatabaseReadOnly
    from annotator.store import database

    path = tmp_path / "shelf.db"
    store = Store.open(path)
    store.close()
    monkeypatch.setattr(database, "writable", lambda path: False)
    again = Store.open(path)
    assert again.read_only and [lb.name for lb in again.labels.all()][0] == "spoiler"
    with pytest.raises(DatabaseReadOnly):
        again.settings.set("x", "y")
    again.close()


KILL_DURING_CREATE = int(os.environ.get("ANNOTATOR_SOAK_KILLS", "12"))  # `make soak`: more


def test_a_kill_during_the_first_open_never_locks_the_database_out(tmp_path):
    """The first open of a new database killed at random moments: the next open works and
    the database is whole (default labels, schema up to date, integrity ok)."""
    import random
    import subprocess
    import sys
    import time

    rng = random.Random(5)
    opener = ("import sys; from annotator.store.database import Store; "
              "Store.open(sys.argv[1]).close()")
    for attempt in range(KILL_DURING_CREATE):
        path = tmp_path / f"new-{attempt}.db"
        process = subprocess.Popen([sys.executable, "-c", opener, str(path)])
        time.sleep(rng.uniform(0.15, 0.6))  # the interpreter starts in about 0.2 s
        process.kill()
        process.wait()
        store = Store.open(path)
        try:
            assert [lb.name for lb in store.labels.all()] == [
                "spoiler", "praise", "criticism", "plot-hole"]
            assert store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            store.close()


def test_the_order_of_import_read_a_page_at_a_time_skips_deleted_documents(fresh_db,
                                                                          reviews):
    """The document list's pages (Documents.ids_page) and where a document is in them
    (Documents.rank) agree with the whole list, after deletions leave gaps in the ids."""
    ids = reviews(*[f"Review {i}\nText number {i}." for i in range(12)])
    ordered = sorted(ids.values())
    fresh_db.delete_documents([ordered[0], ordered[5], ordered[6]])
    left = fresh_db.document_ids()
    assert len(left) == 9
    assert fresh_db.document_ids_page(0, 4) == left[:4]
    assert fresh_db.document_ids_page(4, 4) == left[4:8]
    assert fresh_db.document_ids_page(8, 4) == left[8:]
    assert [fresh_db.document_rank(d) for d in left] == list(range(9))
    assert fresh_db.document_rank(ordered[5]) is None  # deleted
