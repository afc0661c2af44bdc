"""Backups of a database: made with SQLite's online backup API, kept per database, restored.

Each database has a folder of its own in the backups folder (annotator.paths.backups_path),
named by its UUID, holding single-file copies named by when and why they were made:
`2026-05-01_140322_daily.db`. What is kept (see `KEEP`): one a day for the last 7 days it
was used, every one made before an upgrade and every one made by hand, the last 10 made
before a merge and the last 5 made before a restore.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from . import db
from .db import SQLITE_HEADER, check_integrity, translated
from .errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    StoreError,
    translate,
)

DAILY, MANUAL, BEFORE_UPGRADE, BEFORE_MERGE, BEFORE_RESTORE = (
    "daily", "manual", "before-upgrade", "before-merge", "before-restore")
# How many of each kind are kept, newest first; None: all of them.
KEEP: dict[str, int | None] = {DAILY: 7, MANUAL: None, BEFORE_UPGRADE: None,
                               BEFORE_MERGE: 10, BEFORE_RESTORE: 5}
DESCRIPTIONS = {DAILY: "daily", MANUAL: "made by hand", BEFORE_UPGRADE: "before an upgrade",
                BEFORE_MERGE: "before a merge", BEFORE_RESTORE: "before a restore"}
_STAMP = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^(?P<made>\d{4}-\d{2}-\d{2}_\d{6})(?:-(?P<n>\d+))?_"
                   r"(?P<kind>[a-z]+(?:-[a-z]+)?)(?:_(?P<detail>[\w.-]+))?\.db$")
_BUSY, _LOCKED = 5, 6  # SQLite's result codes
ABOUT = "about.json"  # in each database's folder: where the database was last seen


@dataclass(frozen=True)
class Backup:
    path: Path
    made: datetime  # local time
    kind: str
    size: int  # bytes
    schema: int  # the schema version it holds (PRAGMA user_version)
    detail: str = ""
    written: float = 0.0  # the file's time, to order two made in one second

    @property
    def description(self) -> str:
        words = DESCRIPTIONS.get(self.kind, self.kind)
        return f"{words} ({self.detail.replace('-', ' ')})" if self.detail else words

    def as_json(self) -> dict:
        return {"path": str(self.path), "made": self.made.isoformat(timespec="seconds"),
                "kind": self.kind, "description": self.description, "bytes": self.size,
                "schema": self.schema}


def _newest(backup: Backup) -> tuple:
    return (backup.made, backup.written, backup.path.name)


def read_backup(path: Path) -> Backup | None:
    """The backup a file in a backups folder is, told by its name; None for other files."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        stat = path.stat()
        with open(path, "rb") as f:
            header = f.read(64)
    except OSError:
        return None
    if not header.startswith(SQLITE_HEADER):
        return None
    return Backup(path, datetime.strptime(match["made"], _STAMP), match["kind"], stat.st_size,
                  int.from_bytes(header[60:64], "big"), match["detail"] or "", stat.st_mtime)


class Backups:
    """The backups of one database (the file at `database`, known by its UUID)."""

    def __init__(self, root: Path, database: Path, database_uuid: str | None) -> None:
        self.root, self.database = root, database.resolve()
        self.uuid = database_uuid
        # A database with no UUID (schema 1, until its upgrade gives it one): a folder
        # named by its path, whose backups its folder adopts after the upgrade.
        self.folder = root / (database_uuid or path_folder_name(self.database))

    def all(self) -> list[Backup]:
        """Newest first."""
        try:
            files = list(self.folder.iterdir())
        except OSError:
            return []
        found = [b for b in map(read_backup, files) if b is not None]
        return sorted(found, key=_newest, reverse=True)

    def has_daily(self, day: date) -> bool:
        return any(b.kind == DAILY and b.made.date() == day for b in self.all())

    def make(self, conn: sqlite3.Connection, kind: str, detail: str = "") -> Backup:
        """A backup of what `conn` reads (its database, the write-ahead log included) in
        this database's folder; then the oldest of that kind beyond KEEP go."""
        try:
            target = self._new_name(kind, detail)
            copy_database(conn, target)
        except (sqlite3.Error, OSError) as e:
            raise_backup_error(e, self.folder)
        self.prune(kind)
        backup = read_backup(target)
        assert backup is not None, target
        return backup

    def copy_file(self, kind: str, detail: str = "") -> Backup:
        """A byte copy of the database file (and its write-ahead log, if any), for a file
        SQLite can no longer open: what was there, kept before it is replaced."""
        try:
            target = self._new_name(kind, detail)
            partial = _partial(target)
            shutil.copyfile(self.database, partial)
            wal = self.database.with_name(self.database.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, target.with_name(target.name + "-wal"))
            os.replace(partial, target)
        except OSError as e:
            raise_backup_error(e, self.folder)
        self.prune(kind)
        return read_backup(target) or Backup(target, datetime.now(), kind,
                                             target.stat().st_size, 0, detail)

    def _new_name(self, kind: str, detail: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._remember_where()
        stamp = datetime.now().strftime(_STAMP)
        suffix = f"_{detail}" if detail else ""
        target, n = self.folder / f"{stamp}_{kind}{suffix}.db", 1
        while target.exists():  # two in one second
            n += 1
            target = self.folder / f"{stamp}-{n}_{kind}{suffix}.db"
        return target

    def prune(self, kind: str) -> None:
        keep = KEEP.get(kind)
        if keep is None:
            return
        for old in [b for b in self.all() if b.kind == kind][keep:]:
            for leftover in (old.path, old.path.with_name(old.path.name + "-wal")):
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:
                    pass  # kept one more day; the next backup tries again

    def adopt(self, other: Backups) -> None:
        """Move the backups made before this database had its UUID here (schema 1: its
        upgrade gives it one): those of the folder named by its path."""
        if other.uuid or other.folder == self.folder or not other.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for backup in other.all():
            os.replace(backup.path, self.folder / backup.path.name)
        shutil.rmtree(other.folder, ignore_errors=True)
        self._remember_where()

    def _remember_where(self) -> None:
        try:
            (self.folder / ABOUT).write_text(json.dumps({"database": str(self.database)}),
                                             encoding="utf-8")
        except OSError:
            pass  # only for finding the folder of a database that lost its identity


def raise_backup_error(error: sqlite3.Error | OSError, folder: Path) -> NoReturn:
    """A backup that could not be written, said as such (not as trouble with the
    database): where, and why."""
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        kind: type[StoreError] = (
            DiskFull if error.errno in (errno.ENOSPC, errno.EDQUOT) else
            DatabaseReadOnly if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
            else StoreError)
    else:
        found = translate(error)
        if found is None:
            raise error
        kind, reason = type(found), str(found)
    raise kind(f"no backup could be written into {folder}: {reason}") from error


def _give_up_after(seconds: float, what: str) -> Callable[[int, int, int], None]:
    """For Connection.backup, which retries for ever while another program holds a lock:
    a busy step after `seconds` ends it as DatabaseLocked, as the busy timeout would."""
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal deadline
        if status not in (_BUSY, _LOCKED):
            deadline = time.monotonic() + seconds  # progress made: wait afresh
        elif time.monotonic() > deadline:
            raise DatabaseLocked(f"{what} is in use by another program; close it or try "
                                 "again in a moment")
    return progress


def _partial(target: Path) -> Path:
    """A name of its own for a backup being written (two programs may back up at once)."""
    return target.with_name(f"{target.name}.{os.getpid()}-{os.urandom(4).hex()}.partial")


def path_folder_name(database: Path) -> str:
    digest = hashlib.sha256(str(database.resolve()).encode("utf-8", "surrogatepass"))
    return f"path-{digest.hexdigest()[:16]}"


def backups_of_path(root: Path, database: Path) -> list[Backup]:
    """The backups of the database last seen at this path, for one that cannot be opened
    (its UUID unreadable): every folder whose database was there. Newest first."""
    database = database.resolve()
    folders = {root / path_folder_name(database)}
    for about in root.glob(f"*/{ABOUT}"):
        try:
            if json.loads(about.read_text(encoding="utf-8")).get("database") == str(database):
                folders.add(about.parent)
        except (OSError, ValueError):
            continue
    found = [b for folder in folders for b in Backups(root, database, folder.name).all()]
    return sorted(found, key=_newest, reverse=True)


def copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """Everything `conn` reads, written by SQLite's backup API into a new single file
    (rollback journal, so no -wal beside it): first as `target.partial`, renamed when
    whole, so a full disk or a kill leaves no half backup under a backup's name."""
    partial = _partial(target)
    copy = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.backup(copy, progress=_give_up_after(db.BUSY_TIMEOUT, "the database"))
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.close()
        os.replace(partial, target)
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise


def check_backup(path: Path, known_version: int) -> tuple[int, str | None]:
    """Refuse a file that must not be restored: not an SQLite file, another program's or a
    newer version's database, or damaged. Returns its schema version and database UUID."""
    from .db import check_file  # the same refusals as opening a database

    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file")
    check_file(path, known_version)
    conn = sqlite3.connect(db.quiet_reading(path), uri=True)
    try:
        integrity = check_integrity(conn)
        if not integrity.ok:
            raise DatabaseCorrupt(f"the backup {path} is itself damaged ({integrity.summary});"
                                  " choose another")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            raise StoreError(f"{path} is an empty database, not a backup")
        uuid = None
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'settings'").fetchone():
            row = conn.execute(
                "SELECT value FROM settings WHERE key = 'database_uuid'").fetchone()
            uuid = row[0] if row else None
        return version, uuid
    except sqlite3.DatabaseError as e:
        raise DatabaseCorrupt(f"the backup {path} cannot be read ({e}); choose another"
                              ) from None
    finally:
        conn.close()


@translated
def restore_into(database: Path, backup: Path) -> None:
    """Put the backup's pages in place of the database's (closed by the caller), through
    SQLite: the write-ahead log and the -shm stay consistent, and another program with
    the database open sees the change like any other write. A file SQLite can no longer
    open at all is replaced instead (its log and -shm removed first)."""
    source = sqlite3.connect(db.quiet_reading(backup), uri=True)
    try:
        target = sqlite3.connect(database, isolation_level=None, timeout=db.BUSY_TIMEOUT)
        try:
            target.execute(f"PRAGMA busy_timeout = {int(db.BUSY_TIMEOUT * 1000)}")
            target.execute("SELECT count(*) FROM sqlite_master").fetchone()
            source.backup(target, progress=_give_up_after(db.BUSY_TIMEOUT, str(database)))
            target.execute("PRAGMA journal_mode = WAL")
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        except sqlite3.DatabaseError as e:
            if getattr(e, "sqlite_errorcode", 0) & 0xFF not in (11, 26):  # CORRUPT, NOTADB
                raise
        finally:
            target.close()
        _replace_file(database, backup)
    finally:
        source.close()


def _replace_file(database: Path, backup: Path) -> None:
    partial = _partial(database)
    shutil.copyfile(backup, partial)
    for side in ("-wal", "-shm", "-journal"):
        database.with_name(database.name + side).unlink(missing_ok=True)
    os.replace(partial, database)
