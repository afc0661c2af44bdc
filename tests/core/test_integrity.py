"""Damage (issue 14, guarantees 4 and 6, defect 7): a quick check when a database is opened,
a full one on `annotator check`; a damaged database opens for reading only and refuses every
write saying why; texts changed behind Annotator's back are found and reported."""

import os
import random
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from damage import damage_an_index

from annotator.cli import main
from annotator.domain.errors import DatabaseCorrupt, StoreError
from annotator.store import db as db_module
from annotator.store.database import Store

CORRUPTED = int(os.environ.get("ANNOTATOR_SOAK_DAMAGED", "20"))  # 200 in `make soak`

WORDS = ("the film plot twist ending actor music camera slow brilliant boring 映画 😀 naïve "
         "café spoiler pacing score").split()



@pytest.fixture(scope="module")
def real_database(tmp_path_factory):
    """A real database: 60 reviews (some longer than a page), spans by two annotators,
    statuses, the change log; about 100 pages."""
    from annotator.domain.model import Status
    from annotator.workspace import Workspace
    from annotator.workspace.user_state import UserState

    folder = tmp_path_factory.mktemp("real")
    rng = random.Random(14)
    inbox = folder / "inbox"
    inbox.mkdir()
    for i in range(60):
        words = [rng.choice(WORDS) for _ in range(rng.choice([40, 300, 1200]))]
        (inbox / f"{i:02}.txt").write_text(f"Review {i}\n\n" + " ".join(words),
                                           encoding="utf-8")
    path = folder / "real.db"
    ws = Workspace.open(path, UserState(folder / "me.json"), )
    ws.import_paths([inbox])
    for name in ("mira", "tomasz"):
        ws.switch_to(name)
        for doc in ws.document_ids()[::2]:
            ws.add_span(doc, ws.labels()[rng.randrange(4)].uuid, 10, 30, snap=True)
            ws.set_status(doc, Status.DONE)
    ws.close()
    return path


def corrupted_copies(source, folder, count: int, seed: int = 7) -> list:
    """Copies of `source` with one to three random pages (never the first: that one is the
    header, refused before anything is read) overwritten with random bytes."""
    rng = random.Random(seed)
    pages = source.stat().st_size // 4096
    made = []
    for n in range(count):
        path = folder / f"damaged-{n:02}.db"
        shutil.copy(source, path)
        with open(path, "r+b") as f:
            for _ in range(rng.randint(1, 3)):
                f.seek(rng.randrange(1, pages) * 4096)
                f.write(rng.randbytes(4096))
        made.append(path)
    return made


def ended_as_a_message(result) -> bool:
    """Exit status 0, or 1 with a message: never a traceback."""
    if result.exit_code == 0:
        return True
    return (result.exit_code == 1 and isinstance(result.exception, SystemExit)
            and "Error:" in result.output and "Traceback" not in result.output)


def test_randomly_damaged_databases_are_refused_or_opened_for_reading_only(
        real_database, tmp_path):
    """Before: on 40 damaged databases import wrote into all 40 without a warning, export
    died on a title it could not decode in 8, stats with 'malformed' in 2."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "new.txt").write_text("A new review that must not be written into damage.")
    run = CliRunner()
    outcomes = {"refused at open": 0, "opened for reading only": 0}
    for path in corrupted_copies(real_database, tmp_path, CORRUPTED):
        try:
            store = Store.open(path)
        except StoreError as e:
            assert "damaged" in str(e) and str(path) in str(e)
            outcomes["refused at open"] += 1
        else:
            assert store.damaged and store.read_only, path  # no damage went unnoticed
            with pytest.raises(DatabaseCorrupt, match="open for reading only"):
                store.settings.set("x", "y")
            store.close()
            outcomes["opened for reading only"] += 1
        before = path.read_bytes()
        result = run.invoke(main, ["--db", str(path), "import", str(inbox)])
        assert result.exit_code == 1 and ended_as_a_message(result), result.output
        assert "damaged" in result.output
        assert path.read_bytes() == before  # not a byte written
        for command in (["stats"], ["export", "-o", str(tmp_path / f"{path.stem}.jsonl")],
                        ["agreement"], ["backups"]):
            result = run.invoke(main, ["--db", str(path), *command])
            assert ended_as_a_message(result), (command, result.output, result.exception)
        result = run.invoke(main, ["--db", str(path), "check"])
        assert result.exit_code == 1 and ended_as_a_message(result) or \
            "is damaged:" in result.output, result.output
    assert sum(outcomes.values()) == CORRUPTED


def test_a_damaged_database_says_so_on_every_write_and_can_still_be_read(real_database,
                                                                         tmp_path,
                                                                         open_workspace):
    path = tmp_path / "d.db"
    shutil.copy(real_database, path)
    damage_an_index(path)
    ws = open_workspace(path)
    assert ws.damaged and "open for reading only" in ws.damaged
    assert ws.count_documents() == 60  # what can be read, is
    doc = ws.document_ids()[0]
    with pytest.raises(DatabaseCorrupt, match="damaged .* and nothing was written"):
        ws.set_status(doc, ws.status(doc))
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        ws.rename_document(doc, "Another title")
    result = CliRunner().invoke(main, ["--db", str(path), "check"])
    assert result.exit_code == 1 and "is damaged:" in result.output


def test_text_that_is_not_utf8_is_a_message_not_a_traceback(real_database, tmp_path,
                                                           open_workspace):
    path = tmp_path / "bad-title.db"
    shutil.copy(real_database, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET title = CAST(x'52657669657720ff' AS TEXT) WHERE id = 3")
    conn.commit()
    conn.close()
    run = CliRunner()
    result = run.invoke(main, ["--db", str(path), "export", "-o", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1 and ended_as_a_message(result), result.output
    assert "not valid UTF-8" in result.output
    ws = open_workspace(path)
    with pytest.raises(DatabaseCorrupt, match="not valid UTF-8 .*column 'title'"):
        ws.document(3)
    result = run.invoke(main, ["--db", str(path), "check"])
    assert result.exit_code == 1 and "document 3" in result.output, result.output


def test_check_finds_a_whole_database_whole(real_database, tmp_path):
    result = CliRunner().invoke(main, ["--db", str(real_database), "check"])
    assert result.exit_code == 0 and "no damage found" in result.output


def test_the_check_at_open_is_bounded_in_time(real_database, tmp_path, monkeypatch,
                                              open_workspace):
    """A quick check that would take longer than QUICK_CHECK_SECONDS stops and says so;
    the database opens as usual (for writing) and `annotator check` remains."""
    path = tmp_path / "slow.db"
    shutil.copy(real_database, path)
    monkeypatch.setattr(db_module, "QUICK_CHECK_SECONDS", 0.0)
    monkeypatch.setattr(db_module, "quick_check", out_of_time)
    ws = open_workspace(path)
    assert ws.store.integrity.ok is None and not ws.damaged and not ws.read_only
    [note] = ws.notes
    assert "not checked for damage" in note and "run the full check" in note
    ws.switch_to("mira")
    ws.set_status(ws.document_ids()[0], ws.status(ws.document_ids()[0]))  # writes work


def test_a_changed_text_is_reported_and_its_spans_left_where_they_were(real_database,
                                                                       tmp_path,
                                                                       open_workspace):
    """Guarantee 6: texts never change after import; one changed by something else is
    found by its content hash when it is opened, and its spans are not moved."""
    path = tmp_path / "edited.db"
    shutil.copy(real_database, path)
    ws = open_workspace(path)
    doc = next(d for d in ws.document_ids() if ws.spans(d))
    spans = [(s.uuid, s.start, s.end) for s in ws.spans(doc)]
    assert ws.text_check(ws.document(doc)) is None
    ws.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE documents SET text = 'Inserted. ' || text WHERE id = ?", (doc,))
    conn.commit()
    conn.close()
    ws = open_workspace(path)
    document = ws.document(doc)
    problem = ws.text_check(document)
    assert problem and "not the text that was imported" in problem
    assert document.title in problem
    assert [(s.uuid, s.start, s.end) for s in ws.spans(doc)] == spans  # not shifted
    result = CliRunner().invoke(main, ["--db", str(path), "check"])
    assert result.exit_code == 1 and f"document {doc}" in result.output
    assert "content hash" in result.output


def test_someone_new_to_a_damaged_database_can_still_open_and_read_it(real_database,
                                                                      tmp_path, monkeypatch,
                                                                      open_workspace):
    """Who they are cannot be saved into a database open for reading only: they are
    someone unsaved, and the window opens (it used to stop: "Annotator cannot start")."""
    path = tmp_path / "d.db"
    shutil.copy(real_database, path)
    damage_an_index(path)  # the change log's index: every table still reads
    monkeypatch.setattr("annotator.workspace.workspace.os_user_name", lambda: "newcomer")
    ws = open_workspace(path)
    assert ws.damaged
    assert ws.me.name == "newcomer" and ws.count_documents() == 60
    assert ws.store.annotators.by_name("newcomer") is None  # nothing was written



def out_of_time(path, seconds):
    """The check at open ran out of time (a large database, a cold disk)."""
    return db_module.Integrity(None, (), seconds)


def test_the_check_at_open_really_stops_at_its_time(tmp_path):
    """SQLite calls no progress handler inside its checks: the check is interrupted from
    another thread (a cold 1.2 GB database once ran 20 s past a 3 s limit)."""
    path = tmp_path / "large.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("CREATE INDEX t_x ON t (x)")
    conn.executemany("INSERT INTO t VALUES (?)",
                     ((os.urandom(24).hex(),) for _ in range(200_000)))
    conn.commit()
    conn.close()
    assert db_module.quick_check(path, 60).ok is True  # whole, given the time
    stopped = db_module.quick_check(path, 0.001)
    assert stopped.ok is None and stopped.seconds < 0.5


def test_a_damaged_database_is_checked_before_anything_is_written_to_it(real_database,
                                                                         tmp_path):
    """Opening switched the file to WAL before checking it: a damaged database in
    rollback-journal mode (a backup file, another tool's copy) was written to."""
    path = tmp_path / "rollback.db"
    shutil.copy(real_database, path)
    damage_an_index(path, journal_mode="DELETE")
    before = path.read_bytes()
    store = Store.open(path)
    assert store.damaged
    store.close()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("rollback")) == [
        "rollback.db"]
