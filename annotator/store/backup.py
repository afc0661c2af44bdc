"""Backups of a database: made with SQLite's online backup API, kept per database, restored.

Each database has a folder of its own in the backups folder (annotator.paths.backups_path),
named by its UUID, holding single-file copies named by when and why they were made:
`2026-05-01_140322_daily.db`. What is kept (see `KEEP`): one a day for the last 7 days it
was used, every one made before an upgrade and every one made by hand, the last 10 made
before a merge and the last 5 made before a restore. A backup being written is a
`*.partial` file, renamed when whole; one a killed program left is cleared an hour later.

A database that cannot be opened (or is lost) finds its backups by its path (`about.json`
in each folder says where its database was last seen): those of every database ever kept
there, each saying which database it is of and what it holds, so that no other project's
backup is mistaken for its own.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import json
import mmap
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    NewerSchemaError,
    NotADatabaseError,
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
PARTIAL = ".partial"  # a backup being written (and SQLite's journal of it: .partial-journal)
STALE_AFTER = 3600.0  # seconds: a partial file this old was left by a program killed
_IDENTITY = re.compile(  # the settings row holding a database's identity, as stored
    rb"database_uuid([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


class OtherDatabase(StoreError):
    """A backup of another database than the one it would replace: not restored unless
    forced."""


@dataclass(frozen=True)
class Backup:
    path: Path
    made: datetime  # local time
    kind: str
    size: int  # bytes
    schema: int  # the schema version it holds (PRAGMA user_version)
    detail: str = ""
    written: float = 0.0  # the file's time, to order two made in one second
    database: str | None = None  # the identity of its database (None: schema 1, or unknown)
    holds: str = ""  # what it holds, in words (for backups found by path: whose is it)

    @property
    def description(self) -> str:
        words = DESCRIPTIONS.get(self.kind, self.kind)
        return f"{words} ({self.detail.replace('-', ' ')})" if self.detail else words

    def as_json(self) -> dict:
        return {"path": str(self.path), "made": self.made.isoformat(timespec="seconds"),
                "kind": self.kind, "description": self.description, "bytes": self.size,
                "schema": self.schema, "database": self.database, "holds": self.holds}


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

    def __init__(self, root: Path, database: Path, database_uuid: str | None,
                 folder: Path | None = None) -> None:
        self.root, self.database = root, database.resolve()
        self.uuid = database_uuid
        # A database with no UUID (schema 1, until its upgrade gives it one): a folder
        # named by its path, whose backups its folder adopts after the upgrade.
        self.folder = folder or root / (database_uuid or path_folder_name(self.database))

    @classmethod
    def unidentified(cls, root: Path, database: Path) -> Backups:
        """For the bytes of a file damaged past reading which database it was, kept before
        a restore replaces it: a folder of their own (found by the path), not adopted by
        the database restored there, whose backups they are not known to be."""
        name = path_folder_name(database).replace("path-", "unknown-", 1)
        return cls(root, database, None, root / name)

    def all(self) -> list[Backup]:
        """Newest first. Half-written backups left by a killed program are cleared."""
        try:
            files = list(self.folder.iterdir())
        except OSError:
            return []
        clear_stale_partials(files)
        found = [replace(b, database=self.uuid) for b in map(read_backup, files)
                 if b is not None]
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
            raise_backup_error(e, f"into {self.folder}")
        self.prune(kind)
        backup = read_backup(target)
        assert backup is not None, target
        return replace(backup, database=self.uuid)

    def copy_file(self, kind: str, detail: str = "") -> Backup:
        """A byte copy of the database file (and its write-ahead log, if any), for a file
        SQLite can no longer open: what was there, kept before it is replaced."""
        try:
            target = self._new_name(kind, detail)
            partial = partial_name(target)
            shutil.copyfile(self.database, partial)
            wal = self.database.with_name(self.database.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, target.with_name(target.name + "-wal"))
            os.replace(partial, target)
        except OSError as e:
            raise_backup_error(e, f"into {self.folder}")
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


def raise_backup_error(error: sqlite3.Error | OSError, where: str) -> NoReturn:
    """A backup that could not be written, said as such (not as trouble with the
    database): where ("into FOLDER", "to FILE"), and why."""
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
    raise kind(f"no backup could be written {where}: {reason}") from error


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


def partial_name(target: Path) -> Path:
    """A name of its own for a backup being written (two programs may back up at once)."""
    return target.with_name(f"{target.name}.{os.getpid()}-{os.urandom(4).hex()}{PARTIAL}")


def clear_stale_partials(files: list[Path], now: float | None = None) -> None:
    """Remove the partial files (a backup being written, its journal) that a program
    killed half-way left: those not written to for STALE_AFTER seconds. One being written
    now is left alone: its file changes as it is written."""
    now = time.time() if now is None else now
    for path in files:
        if PARTIAL not in path.name or path.name.rsplit(PARTIAL, 1)[1] not in (
                "", "-journal", "-wal", "-shm"):
            continue
        try:
            if now - path.stat().st_mtime > STALE_AFTER:
                path.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: tried again next time


def path_folder_name(database: Path) -> str:
    digest = hashlib.sha256(str(database.resolve()).encode("utf-8", "surrogatepass"))
    return f"path-{digest.hexdigest()[:16]}"


def backups_of_path(root: Path, database: Path) -> list[Backup]:
    """The backups of the databases last seen at this path, for one that cannot be opened
    or is lost: every folder whose database was there, which may be more than one database
    (a project started afresh at the same path). Each says which database it is of
    (`database`) and what it holds (`holds`). Newest first."""
    database = database.resolve()
    folders = {root / path_folder_name(database)}
    for about in root.glob(f"*/{ABOUT}"):
        try:
            if json.loads(about.read_text(encoding="utf-8")).get("database") == str(database):
                folders.add(about.parent)
        except (OSError, ValueError):
            continue
    found = [replace(b, holds=what_it_holds(b.path))
             for folder in folders
             for b in Backups(root, database, _identity_of_folder(folder), folder).all()]
    return sorted(found, key=_newest, reverse=True)


def _identity_of_folder(folder: Path) -> str | None:
    """The database identity a backups folder is named by (None: one named by its path,
    for a database of schema 1, or one of a file whose identity could not be read)."""
    return None if folder.name.startswith(("path-", "unknown-")) else folder.name


def what_it_holds(path: Path, longest: int = 40) -> str:
    """What a database file holds, in a few words, to tell two databases' backups apart:
    `3 documents, the first “Marchetti is superb”`."""
    try:
        conn = sqlite3.connect(db.quiet_reading(path), uri=True)
        try:
            count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            first = conn.execute("SELECT title FROM documents ORDER BY id LIMIT 1").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return "cannot be read"
    if not count:
        return "no documents"
    title = " ".join(str(first[0]).split())
    if len(title) > longest:
        title = title[:longest - 1].rstrip() + "…"
    return f"{count} document{'s' * (count != 1)}, the first “{title}”"


def identity_of(path: Path) -> str | None:
    """The identity (settings.database_uuid) of the database file at `path`, read without
    writing or creating anything; None if it cannot be told. For a file damaged past
    SQLite's reading, its settings row is looked for in its bytes: found once, and only
    one identity, it is the file's (the row is rarely what damage hits)."""
    try:
        conn = sqlite3.connect(db.quiet_reading(path), uri=True)
        try:
            row = conn.execute(
                "SELECT value FROM settings WHERE key = 'database_uuid'").fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        pass
    return _identity_in_bytes(path)


def _identity_in_bytes(path: Path) -> str | None:
    found: set[bytes] = set()
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            with open(part, "rb") as f:
                if os.fstat(f.fileno()).st_size == 0:
                    continue
                with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                    found.update(m[1] for m in _IDENTITY.finditer(data))
        except (OSError, ValueError):
            continue
    return found.pop().decode() if len(found) == 1 else None


def copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """Everything `conn` reads, written by SQLite's backup API into a new single file
    (rollback journal, so no -wal beside it): first as `target.partial`, renamed when
    whole, so a full disk or a kill leaves no half backup under a backup's name."""
    partial = partial_name(target)
    with open(partial, "xb"):  # a folder that cannot take it is told here, by its reason
        pass
    try:
        copy = sqlite3.connect(partial, isolation_level=None)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
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
    newer version's database, damaged, or one that cannot be read at all. Returns its
    schema version and database UUID."""
    from .db import check_file  # the same refusals as opening a database

    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file")
    try:
        with open(path, "rb"):
            pass
        check_file(path, known_version)
    except OSError as e:
        raise StoreError(f"the backup {path} cannot be read: {e.strerror or e}; nothing was "
                         "restored") from None
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


@dataclass(frozen=True)
class Replacing:
    """What a restore would replace at a path (see `check_replaceable`)."""

    exists: bool  # a file with something in it
    identity: str | None = None  # its database's identity, when it can be read
    documents: int | None = None  # how many documents it holds (None: cannot be read)


def check_replaceable(path: Path, known_version: int) -> Replacing:
    """Before a backup is put in place of the file at `path`: refuse a file that is not an
    Annotator database (another kind of file, another program's SQLite database) or that a
    newer version wrote (this version must not throw away what it does not know); say
    which database is there, when that can still be read. A missing or empty file, or an
    Annotator database damaged past reading, may be replaced."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return Replacing(False)
        if path.is_dir():
            raise NotADatabaseError(f"{path} is a folder, not an Annotator database file; "
                                    "nothing was restored")
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError as e:
        raise StoreError(f"{path} cannot be read: {e.strerror or e}; nothing was restored"
                         ) from None
    keep = "Nothing was restored; move it away first if a backup should take its place."
    if not header.startswith(SQLITE_HEADER):
        raise NotADatabaseError(f"{path} is not an Annotator database (not an SQLite "
                                f"file), so no backup is put in its place. {keep}")
    version = int.from_bytes(header[60:64], "big")  # readable however damaged the rest
    tables: set[str] | None = None
    documents = None
    try:
        conn = sqlite3.connect(db.quiet_reading(path), uri=True)
        try:  # the version again: its write-ahead log may hold an upgrade not yet copied
            version = max(version, conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            documents = (conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                         if "documents" in tables else 0)
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # damaged past reading: an Annotator database as far as can be told
    if version > known_version:
        raise NewerSchemaError(
            f"{path} was written by a newer version of Annotator (schema {version}, this "
            f"version knows up to {known_version}), so no backup is put in its place: "
            f"update Annotator to open it. {keep}")
    if tables is None:
        return Replacing(True, _identity_in_bytes(path))
    if version == 0 and tables:
        raise NotADatabaseError(f"{path} is an SQLite database of another program (it has "
                                f"tables but no Annotator schema). {keep}")
    return Replacing(True, identity_of(path), documents)


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
    clear_stale_partials(list(database.parent.glob(f"{glob.escape(database.name)}.*{PARTIAL}*")))
    partial = partial_name(database)
    shutil.copyfile(backup, partial)
    for side in ("-wal", "-shm", "-journal"):
        database.with_name(database.name + side).unlink(missing_ok=True)
    os.replace(partial, database)
