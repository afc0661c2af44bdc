"""Backups (issue 14, guarantee 3): made by SQLite's backup API into a folder per database,
one a day (7 days kept) and before every upgrade, merge and restore; a restore brings back
exactly the state backed up, and keeps the state it replaces."""

import json
import os
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.domain.errors import DiskFull, StoreError
from annotator.domain.model import Status
from annotator.store import backup as backup_module
from annotator.store.backup import DAILY, KEEP, read_backup
from annotator.store.database import Store

TEXT = "Marchetti is superb. The ending: the keeper was her father. Too long, sadly."



@pytest.fixture
def ws(tmp_path, open_workspace):
    """A database holding one review with a span: worth backing up."""
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    workspace = open_workspace(tmp_path / "w.db")
    workspace.import_paths([tmp_path / "r.txt"])
    doc = workspace.document_ids()[0]
    workspace.add_span(doc, workspace.labels()[0].uuid, 21, 31)
    return workspace


def dump(path) -> list[str]:
    """Everything a database file holds, as SQL, with its schema version."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [f"user_version {conn.execute('PRAGMA user_version').fetchone()[0]}",
                *conn.iterdump()]
    finally:
        conn.close()


def test_restore_brings_back_exactly_the_state_backed_up(ws, tmp_path):
    made = ws.backup()
    assert made.kind == "manual" and made.path.parent.name == ws.database_uuid
    backed_up = dump(made.path)
    doc = ws.document_ids()[0]
    # A day's work after the backup: a span, a status, a rename, a label, a new document.
    ws.add_span(doc, ws.labels()[1].uuid, 0, 9)
    ws.set_status(doc, Status.DONE)
    ws.rename_document(doc, "The Keeper")
    (tmp_path / "s.txt").write_text("Second review.", encoding="utf-8")
    ws.import_paths([tmp_path / "s.txt"])
    worked = dump(tmp_path / "w.db")  # with the write-ahead log: read through SQLite
    assert worked != backed_up

    change = ws.restore(made.path)

    assert change.documents_changed and change.labels_changed
    assert dump(tmp_path / "w.db") == backed_up  # exactly, the schema version too
    assert ws.count_documents() == 1 and ws.document(doc).title != "The Keeper"
    assert len(ws.history) == 0  # the undo history referred to what is gone
    # The state it replaced was backed up first, and can be restored in turn.
    before = next(b for b in ws.backups() if b.kind == "before-restore")
    assert dump(before.path) == worked
    ws.restore(before.path)
    assert dump(tmp_path / "w.db") == worked
    assert ws.document(doc).title == "The Keeper"


def test_a_restore_is_seen_by_another_program_that_has_the_database_open(ws, tmp_path,
                                                                         open_workspace):
    """Through SQLite's backup API into the live database: its -wal and -shm stay right,
    and another connection reads the restored state (no stale pages, no torn file)."""
    made = ws.backup()
    other = open_workspace(tmp_path / "w.db", tmp_path / "other.json")
    ws.import_paths([_review(tmp_path, "Another one.")])
    assert other.count_documents() == 2
    ws.restore(made.path)
    assert other.count_documents() == 1
    assert other.store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _review(folder, text: str):
    path = folder / f"review-{abs(hash(text))}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_first_open_of_a_day_makes_that_days_backup_and_seven_days_are_kept(
        ws, tmp_path, backups_folder, open_workspace):
    [daily] = Backups_of(ws)  # made when its first review came in (it was new today)
    ws.close()
    daily.path.unlink()  # as if that was yesterday's
    again = open_workspace(tmp_path / "w.db")
    [daily] = Backups_of(again)
    assert daily.kind == DAILY and daily.made.date() == date.today()
    assert dump(daily.path) == dump(tmp_path / "w.db")
    again.close()
    assert len(Backups_of(open_workspace(tmp_path / "w.db"))) == 1  # one a day
    # Ten earlier days of use: the last 7 days are kept.
    folder = daily.path.parent
    for days in range(1, 11):
        stamp = (datetime.now() - timedelta(days=days)).strftime("%Y-%m-%d_%H%M%S")
        (folder / f"{stamp}_daily.db").write_bytes(daily.path.read_bytes())
    (folder / "2020-01-01_000000_manual.db").write_bytes(daily.path.read_bytes())
    store = open_workspace(tmp_path / "w.db").store
    store._daily_day = date.today() - timedelta(days=1)  # left open overnight
    daily.path.unlink()
    with store.transaction():  # the first write of the new day
        store.settings.set("x", "y")
    kept = Backups_of(store)
    assert [b.kind for b in kept].count(DAILY) == KEEP[DAILY] == 7
    assert kept[0].made.date() == date.today()
    assert {b.made.date() for b in kept if b.kind == DAILY} == {
        date.today() - timedelta(days=d) for d in range(7)}
    assert any(b.kind == "manual" for b in kept)  # made by hand: never pruned


def Backups_of(holder):
    store = holder if isinstance(holder, Store) else holder.store
    return store.backups.all()


def test_no_backup_made_is_a_note_when_opening_and_an_error_before_a_merge(
        ws, tmp_path, monkeypatch, open_workspace):
    ws.close()
    for made in backup_module.backups_of_path(tmp_path / "backups", tmp_path / "w.db"):
        made.path.unlink()  # made today, when the review came in: as if yesterday

    def full(conn, target):
        raise OSError(28, "No space left on device", str(target))
    monkeypatch.setattr(backup_module, "copy_database", full)
    again = open_workspace(tmp_path / "w.db")  # opens all the same
    [note] = again.notes
    assert "today's backup" in note and "No space left on device" in note
    with pytest.raises(DiskFull, match="no backup could be written into .*No space left"):
        again.backup_before_merge()  # a merge must not go on without its backup


def test_a_restore_refuses_what_is_not_a_backup_of_this_database(ws, tmp_path,
                                                                 open_workspace):
    other = open_workspace(tmp_path / "other.db")
    other.import_paths([_review(tmp_path, "Someone else's review.")])
    foreign = other.backup()
    before = dump(tmp_path / "w.db")
    with pytest.raises(StoreError, match="a backup of another database"):
        ws.restore(foreign.path)
    (tmp_path / "notes.txt").write_text("not a database")
    with pytest.raises(StoreError, match="not an SQLite database"):
        ws.restore(tmp_path / "notes.txt")
    damaged = ws.backup(to=tmp_path / "damaged.db")
    _overwrite_page(damaged.path, 3)
    with pytest.raises(StoreError, match="damaged"):
        ws.restore(damaged.path)
    newer = ws.backup(to=tmp_path / "newer.db")
    conn = sqlite3.connect(newer.path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        ws.restore(newer.path)
    assert dump(tmp_path / "w.db") == before  # nothing restored, nothing changed
    assert not [b for b in ws.backups() if b.kind == "before-restore"]


def _overwrite_page(path, page: int) -> None:
    with open(path, "r+b") as f:
        f.seek((page - 1) * 4096)
        f.write(bytes(range(256)) * 16)


def test_the_command_line_backs_up_lists_and_restores(ws, tmp_path):
    db = tmp_path / "w.db"
    ws.close()
    run = CliRunner()
    result = run.invoke(main, ["--db", db, "backup"])
    assert result.exit_code == 0 and "backed up" in result.output, result.output
    result = run.invoke(main, ["--db", db, "backup", "-o", tmp_path / "copy.db"])
    assert result.exit_code == 0 and (tmp_path / "copy.db").exists()
    assert dump(tmp_path / "copy.db") == dump(db)
    result = run.invoke(main, ["--db", db, "backup", "-o", tmp_path / "copy.db"])
    assert result.exit_code == 1 and "already exists" in result.output
    listed = json.loads(run.invoke(main, ["--db", db, "backups", "--json"]).output)
    assert [b["kind"] for b in listed] == ["manual", "daily"]  # newest first
    assert all(b["bytes"] > 0 and b["made"] for b in listed)
    table = run.invoke(main, ["--db", db, "backup", "--list"]).output
    assert "made by hand" in table and "daily" in table
    result = run.invoke(main, ["--db", db, "import", str(_review(tmp_path, "Later work."))])
    assert result.exit_code == 0, result.output
    result = run.invoke(main, ["--db", db, "restore", "1"], input="n\n")
    assert result.exit_code == 1 and "nothing was restored" in result.output
    assert "2 documents" in run.invoke(main, ["--db", db, "stats"]).output
    result = run.invoke(main, ["--db", db, "restore", "1", "--yes"])
    assert result.exit_code == 0 and "1 documents" in result.output, result.output
    assert dump(db) == dump(tmp_path / "copy.db")


def test_a_database_damaged_past_opening_is_restored_as_a_file(ws, tmp_path):
    made = ws.backup()
    ws.close()
    db = tmp_path / "w.db"
    damaged = db.read_bytes()[:100] + b"\xff" * (len(db.read_bytes()) - 100)
    db.write_bytes(damaged)
    run = CliRunner()
    result = run.invoke(main, ["--db", db, "stats"])
    assert result.exit_code == 1 and "damaged" in result.output
    assert "annotator restore" in result.output  # and where its backups are
    listed = run.invoke(main, ["--db", db, "backups"]).output
    assert str(made.path) in listed
    result = run.invoke(main, ["--db", db, "restore", str(made.path), "--yes"])
    assert result.exit_code == 0, result.output
    assert dump(db) == dump(made.path)
    kept = [b for b in backup_module.backups_of_path(tmp_path / "backups", db)
            if b.kind == "before-restore"]
    assert kept and kept[0].path.read_bytes() == damaged  # what was there, byte for byte


def test_backup_names_tell_when_and_why(tmp_path):
    path = tmp_path / "2026-05-01_140322_before-upgrade_schema-1-to-3.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(44) + (3).to_bytes(4, "big") + bytes(36))
    found = read_backup(path)
    assert found is not None and found.kind == "before-upgrade" and found.schema == 3
    assert found.made == datetime(2026, 5, 1, 14, 3, 22)
    assert found.description == "before an upgrade (schema 1 to 3)"
    assert read_backup(tmp_path / "notes.txt") is None


# --- a lost, replaced, damaged or newer database (review of issue 14) ----------------------
def _run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def _identity(path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'database_uuid'").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_a_lost_database_folder_is_listed_and_restored_without_creating_a_new_database(
        ws, tmp_path):
    """Bug 3: `backups`, `check` and `restore` opened (so created) an empty database with
    an identity of its own where the lost one was; the restore then refused "a backup of
    another database", and `restore 1` found no backup number 1."""
    project = tmp_path / "project"
    project.mkdir()
    db = project / "a.db"
    first = _run("--db", db, "import", tmp_path / "r.txt")
    assert first.exit_code == 0, first.output
    made = _run("--db", db, "backup")
    assert made.exit_code == 0, made.output
    identity = _identity(db)
    for leftover in project.iterdir():
        leftover.unlink()
    project.rmdir()  # the folder holding the database is lost

    listed = _run("--db", db, "backups")
    assert listed.exit_code == 0 and "made by hand" in listed.output, listed.output
    assert not project.exists()  # listing created nothing
    checked = _run("--db", db, "check")
    assert checked.exit_code == 1 and "does not exist" in checked.output, checked.output
    assert "annotator restore" in checked.output  # its backups are there to restore
    assert not project.exists()

    restored = _run("--db", db, "restore", "1", "--yes")

    assert restored.exit_code == 0 and "1 documents" in restored.output, restored.output
    assert _identity(db) == identity  # the database it was, not a new one
    assert _run("--db", db, "check").exit_code == 0


def test_a_backup_restores_over_a_new_database_that_holds_nothing_yet(ws, tmp_path,
                                                                       open_workspace):
    """Bug 3, in the window: the window had already made a new, empty database where the
    lost one was; its Backups… list shows the lost one's backups, and restoring one (or
    any file) over the empty database is not refused as another database's."""
    made = ws.backup()
    identity = ws.database_uuid
    ws.close()
    (tmp_path / "w.db").unlink()
    empty = open_workspace(tmp_path / "w.db", tmp_path / "later.json")
    assert empty.database_uuid != identity and empty.count_documents() == 0

    listed = empty.backups()
    assert made.path in [b.path for b in listed]
    [found] = [b for b in listed if b.path == made.path]
    assert found.database == identity and "1 document" in found.holds

    empty.restore(made.path)

    assert empty.database_uuid == identity and empty.count_documents() == 1


def _replace_at_same_path(ws, tmp_path, open_workspace):
    """An old database's backup, then a new database at its path (holding another review)."""
    old_backup = ws.backup()
    old = ws.database_uuid
    ws.close()
    (tmp_path / "w.db").unlink()
    new = open_workspace(tmp_path / "w.db", tmp_path / "new.json")
    new.import_paths([_review(tmp_path, "A new project's first review, long enough.")])
    new_id = new.database_uuid
    new.close()
    return old_backup, old, new_id


def _damage_schema_page(db) -> None:
    """Past opening: the table of tables (the rest of page 1 after its header) overwritten."""
    with open(db, "r+b") as f:
        f.seek(100)
        f.write(b"\xff" * 400)


def test_a_new_database_gets_its_first_backup_once_it_holds_documents(tmp_path,
                                                                      open_workspace):
    """Bug 4: a database created today got no backup until tomorrow's first open: a loss
    today could not be undone."""
    new = open_workspace(tmp_path / "n.db")
    assert new.backups() == []  # nothing in it worth a backup
    new.import_paths([_review(tmp_path, "The first review of a new project.")])
    [daily] = new.backups()
    assert daily.kind == DAILY and dump(daily.path) == dump(tmp_path / "n.db")
    new.import_paths([_review(tmp_path, "Its second review.")])
    assert len(new.backups()) == 1  # one a day


def test_backups_found_by_path_say_whose_they_are_and_another_ones_is_not_restored(
        ws, tmp_path, open_workspace):
    """Bug 4: a database damaged past opening listed every backup ever made at its path,
    of whatever database, and `restore 1` put an older, other project in its place."""
    old_backup, old, new_id = _replace_at_same_path(ws, tmp_path, open_workspace)
    db = tmp_path / "w.db"
    _damage_schema_page(db)
    damaged = db.read_bytes()

    listed = json.loads(_run("--db", db, "backups", "--json").output)
    whose = {b["database"] for b in listed}
    assert whose == {old, new_id}  # each backup says which database it is of
    assert any("first review of" not in b["holds"] and "Marchetti" in b["holds"]
               for b in listed if b["database"] == old)
    table = _run("--db", db, "backups").output
    assert old[:8] in table and new_id[:8] in table and "this one" in table

    refused = _run("--db", db, "restore", old_backup.path, "--yes")
    assert refused.exit_code == 1 and "another database" in refused.output, refused.output
    assert "--force" in refused.output
    assert db.read_bytes() == damaged  # nothing changed

    restored = _run("--db", db, "restore", "1", "--yes")  # the newest: its own
    assert restored.exit_code == 0, restored.output
    assert _identity(db) == new_id

    _damage_schema_page(db)
    forced = _run("--db", db, "restore", old_backup.path, "--yes", "--force")
    assert forced.exit_code == 0, forced.output
    assert _identity(db) == old


def test_a_backup_over_a_file_whose_identity_cannot_be_read_says_whose_it_is(
        ws, tmp_path, open_workspace):
    old_backup, old, _ = _replace_at_same_path(ws, tmp_path, open_workspace)
    db = tmp_path / "w.db"
    db.write_bytes(db.read_bytes()[:100] + b"\xff" * (db.stat().st_size - 100))
    restored = _run("--db", db, "restore", old_backup.path, "--yes")
    assert restored.exit_code == 0, restored.output
    assert "could not be read" in restored.output and old[:8] in restored.output
    assert _identity(db) == old
    # What was there is kept, as a backup of a database not known (not as the old one's).
    [kept] = [b for b in backup_module.backups_of_path(tmp_path / "backups", db)
              if b.kind == "before-restore"]
    assert kept.database is None and kept.path.parent.name.startswith("unknown-")


def test_restore_leaves_a_newer_versions_database_and_another_programs_alone(ws, tmp_path):
    """Bug 5: the newer-version message said "put one back with `annotator restore FILE`",
    and the restore then replaced the newer database with an old backup."""
    made = ws.backup()
    ws.close()
    db = tmp_path / "w.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    newer = db.read_bytes()

    refused = _run("--db", db, "stats")
    assert refused.exit_code == 1 and "newer version" in refused.output
    assert "annotator restore" not in refused.output  # not damage: nothing to restore
    restored = _run("--db", db, "restore", "1", "--yes")
    assert restored.exit_code == 1 and "newer version" in restored.output, restored.output
    assert db.read_bytes() == newer
    from annotator.workspace import Workspace
    with pytest.raises(StoreError, match="newer version"):
        Workspace.restore_over(db, made.path)
    assert db.read_bytes() == newer

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE accounts (name TEXT)")
    conn.close()
    theirs = other.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        Workspace.restore_over(other, made.path)
    assert other.read_bytes() == theirs


def test_restoring_a_backup_from_before_identities_keeps_the_database_identity(
        tmp_path, backups_folder):
    """Bug 6: a schema-1 backup (no identity) restored gave the database a new identity:
    its backups and everyone's saved place in it were left behind under the old one."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript((Path(__file__).parent.parent / "fixtures" / "schema-1.sql")
                       .read_text(encoding="utf-8"))
    conn.close()
    store = Store.open(db, backups_folder)
    identity = store.uuid
    [before_upgrade] = [b for b in store.backups.all() if b.kind == "before-upgrade"]
    assert before_upgrade.schema == 1

    store = store.restore(before_upgrade.path)

    try:
        assert store.uuid == identity
        assert [p.name for p in backups_folder.iterdir()] == [identity]  # one folder
        kinds = [b.kind for b in store.backups.all()]
        assert "before-restore" in kinds and kinds.count("before-upgrade") == 2
    finally:
        store.close()


def test_half_written_backups_left_by_a_kill_are_cleared_when_backups_are_listed(ws):
    """Bug 11a: a backup killed half-way left its `.partial` files for ever."""
    made = ws.backup()
    folder = made.path.parent
    stale = [folder / f"{made.path.name}.123-abcd.partial",
             folder / f"{made.path.name}.123-abcd.partial-journal"]
    fresh = folder / f"{made.path.name}.456-ef01.partial"  # being written this moment
    for path in [*stale, fresh]:
        path.write_bytes(b"half")
    hours_ago = datetime.now().timestamp() - 2 * 3600
    for path in stale:
        os.utime(path, (hours_ago, hours_ago))

    assert made.path in [b.path for b in ws.backups()]

    assert not any(p.exists() for p in stale) and fresh.exists()


def test_work_in_another_thread_backs_up_where_its_window_does(tmp_path):
    """`for_thread` opened its store with the default backups folder, not the window's."""
    from annotator.workspace import Workspace
    from annotator.workspace.user_state import UserState

    store = Store.open(tmp_path / "t.db", tmp_path / "elsewhere")
    workspace = Workspace(store, UserState(tmp_path / "t.json"))
    try:
        with workspace.for_thread(workspace.session) as other:
            assert other.store.backups_root == tmp_path / "elsewhere"
    finally:
        workspace.close()
