"""Errors are messages (issue 14, guarantee 9; defect 5): every command against a read-only
file, a read-only folder, a full disk, a database locked by another program and a damaged
one ends with exit status 0, or 1 and a message naming the trouble plainly: never a
traceback; an import still prints which files got in."""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from damage import damage_an_index

from annotator.cli import main
from annotator.store import database as database_module
from annotator.store import db as db_module

COMMANDS = ("import", "export", "stats", "agreement", "backup", "backups", "check", "restore")
# What each condition is called in the messages; the commands that must work all the same;
# those that may work or end in that message (export and stats read what a damaged index
# leaves readable; the simulated full disk fills the store's own connection only).
WORKS = {"export", "stats", "backup", "backups", "check"}
CONDITIONS = {
    "read-only file": ("cannot be written here", WORKS, {"agreement"}),
    "read-only folder": ("cannot be written here", WORKS, {"agreement"}),
    "full disk": ("the disk is full", WORKS, {"agreement", "restore"}),
    "locked": ("in use by another program", WORKS, {"agreement"}),
    "damaged": ("damaged", {"backup", "backups", "restore"}, {"agreement", "export", "stats"}),
}


def reviews(folder: Path, count: int, size: int = 200) -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"review-{i:03}.txt").write_text(
            f"Review {i}\n\n" + "A patient western, too long by half. " * (size // 37 + 1),
            encoding="utf-8")
    return folder


@pytest.fixture
def database(tmp_path) -> Path:
    """A database with reviews and a span each by two annotators (who both marked the
    first done: agreement has something to compare), and a good backup of it."""
    from annotator.domain.model import Status
    from annotator.workspace import Workspace
    from annotator.workspace.user_state import UserState

    path = tmp_path / "db" / "team.db"
    path.parent.mkdir()
    ws = Workspace.open(path, UserState(tmp_path / "me.json"))
    ws.import_paths([reviews(tmp_path / "first", 30)])
    for name in ("mira", "tomasz"):
        ws.switch_to(name)
        for doc in ws.document_ids()[:5]:
            ws.add_span(doc, ws.labels()[0].uuid, 0, 6)
            ws.set_status(doc, Status.DONE)
    ws.backup(tmp_path / "good-backup.db")
    ws.close()
    return path


def make_condition(condition: str, path: Path, monkeypatch, tmp_path):
    """Bring the condition about; returns what to undo afterwards, if anything."""
    if condition in ("read-only file", "read-only folder"):
        # Tests run as root, for whom chmod makes nothing read-only: the store's own test
        # of writability (os.access) is told what a read-only file or folder would answer.
        target = path if condition == "read-only file" else path.parent
        real = os.access

        def access(p, mode, *args, **kwargs):
            if Path(p) == target and mode & os.W_OK:
                return False
            return real(p, mode, *args, **kwargs)
        monkeypatch.setattr(db_module.os, "access", access)
    elif condition == "full disk":
        real_connect = database_module.connect

        def connect(p):  # the disk fills after a few more pages
            database = real_connect(p)
            pages = database.execute("PRAGMA page_count").fetchone()[0]
            database.execute(f"PRAGMA max_page_count = {pages + 12}")
            return database
        monkeypatch.setattr(database_module, "connect", connect)
    elif condition == "locked":
        monkeypatch.setattr(db_module, "BUSY_TIMEOUT", 0.2)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO settings (key, value) VALUES ('held', 'by another')")
        return other.close
    elif condition == "damaged":
        damage_an_index(path)
    return None


def arguments(command: str, tmp_path: Path) -> list[str]:
    return {
        "import": ["import", str(reviews(tmp_path / "more", 40, size=3000))],
        "export": ["export", "-o", str(tmp_path / "out" / "x.jsonl")],
        "agreement": ["agreement", "--annotators", "mira,tomasz"],
        "restore": ["restore", str(tmp_path / "good-backup.db"), "--yes"],
    }.get(command, [command])


def ended_as_a_message(result) -> bool:
    """Exit status 0, or 1 with something said (a message, an import's report, a check's
    findings): never a traceback."""
    if result.exit_code == 0:
        return True
    return (result.exit_code == 1 and isinstance(result.exception, SystemExit)
            and result.output.strip() != "" and "Traceback" not in result.output)


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_says_what_is_wrong_in_words(condition, command, database, tmp_path,
                                                   monkeypatch):
    (tmp_path / "out").mkdir()
    undo = make_condition(condition, database, monkeypatch, tmp_path)
    try:
        result = CliRunner().invoke(main, ["--db", str(database),
                                           *arguments(command, tmp_path)])
    finally:
        if undo:
            undo()
    words, working, either = CONDITIONS[condition]
    assert ended_as_a_message(result), (result.output, result.exception)
    if command in working:
        assert result.exit_code == 0, result.output
    elif command in either:
        assert result.exit_code == 0 or words in result.output, result.output
    else:
        assert result.exit_code == 1 and words in result.output, result.output
    if command == "import" and condition in ("full disk", "locked"):
        # The report is printed all the same: which files got in and which did not.
        assert "status" in result.output.splitlines()[0]
        assert "failed" in result.output and "imported" in result.output.splitlines()[-1]


def test_a_full_disk_during_an_import_keeps_what_got_in_and_says_which(database, tmp_path,
                                                                       monkeypatch):
    """Defect 5: on a full disk some groups of files failed, later ones succeeded, and the
    user never learnt which; the report was lost to a traceback."""
    make_condition("full disk", database, monkeypatch, tmp_path)
    result = CliRunner().invoke(main, ["--db", str(database), "import",
                                       str(reviews(tmp_path / "more", 40, size=3000))])
    assert ended_as_a_message(result) and result.exit_code == 1
    lines = result.output.splitlines()
    rows = [ln.split() for ln in lines if ln.endswith(".txt") and not ln.startswith("error")]
    got_in = [row[-1] for row in rows if row[0] == "imported"]
    failed = [row[-1] for row in rows if row[0] == "failed"]
    assert failed and len(got_in) + len(failed) == 40  # every file accounted for
    assert "the disk is full" in result.output
    monkeypatch.undo()
    stats = CliRunner().invoke(main, ["--db", str(database), "stats", "--json"])
    assert json.loads(stats.output)["documents"] == 30 + len(got_in)  # exactly those


@pytest.fixture
def tiny_disk(tmp_path):
    """A real full disk: a 1 MB tmpfs (root only; skipped elsewhere)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_on_a_really_full_disk_every_command_ends_in_a_message(database, tmp_path,
                                                               tiny_disk):
    path = tiny_disk / "team.db"
    shutil.copy(database, path)
    run = CliRunner()
    result = run.invoke(main, ["--db", str(path), "import",
                               str(reviews(tmp_path / "more", 60, size=40_000))])
    assert ended_as_a_message(result) and result.exit_code == 1, result.output
    assert "disk is full" in result.output or "No space left" in result.output
    assert result.output.splitlines()[0].split()[0] == "status"  # the report, printed
    for command in ("stats", "check", "backups"):
        result = run.invoke(main, ["--db", str(path), command])
        assert result.exit_code == 0 and ended_as_a_message(result), (command,
                                                                     result.output)
    result = run.invoke(main, ["--db", str(path), "export", "-o",
                               str(tiny_disk / "all.jsonl"), "--format", "csv"])
    assert ended_as_a_message(result), result.output
    result = run.invoke(main, ["--db", str(path), "backup", "-o",
                               str(tiny_disk / "copy.db")])
    assert ended_as_a_message(result), result.output
    assert result.exit_code == 0 or "no backup could be written" in result.output
    assert not list(tiny_disk.glob("*.partial"))  # no half backup left behind


def test_a_backup_that_cannot_be_read_is_named_not_a_traceback(database, tmp_path,
                                                                monkeypatch):
    """Bug 8: a backup file the user may not read ended `restore` in a PermissionError
    traceback. (Tests run as root, whom permissions do not stop: the file is refused.)"""
    import builtins

    backup = tmp_path / "good-backup.db"
    real = builtins.open

    def guarded(file, *args, **kwargs):
        if Path(str(file)) == backup:
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", guarded)
    before = database.read_bytes()
    result = CliRunner().invoke(main, ["--db", str(database), "restore", str(backup),
                                       "--yes"])
    assert ended_as_a_message(result), (result.output, result.exception)
    assert result.exit_code == 1 and str(backup) in result.output
    assert "cannot be read" in result.output and "Permission denied" in result.output
    monkeypatch.undo()
    assert database.read_bytes() == before


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder no one may write in, root included: a read-only tmpfs (skipped where it
    cannot be mounted)."""
    mount = tmp_path / "read-only"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_backup_into_a_folder_that_cannot_take_it_blames_the_folder_not_the_database(
        database, tmp_path, read_only_folder):
    """Bug 8: `backup -o` into an unwritable folder said "the database file cannot be
    opened", as if the database were in trouble."""
    (tmp_path / "a-file").write_text("not a folder")
    for target in (read_only_folder / "copy.db", tmp_path / "a-file" / "copy.db"):
        result = CliRunner().invoke(main, ["--db", str(database), "backup", "-o",
                                           str(target)])
        assert ended_as_a_message(result) and result.exit_code == 1, result.output
        assert f"no backup could be written to {target}" in result.output, result.output
        assert "database file" not in result.output
