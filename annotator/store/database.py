"""The Store: one open database, its tables' repositories, transactions and closing."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path

from annotator.paths import backups_path

from . import db
from .backup import (
    BEFORE_MERGE,
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    DAILY,
    MANUAL,
    Backup,
    Backups,
    OtherDatabase,
    check_backup,
    check_replaceable,
    copy_database,
    partial_name,
    raise_backup_error,
    read_backup,
    restore_into,
    what_it_holds,
)
from .db import (
    Integrity,
    check_file,
    check_integrity,
    connect,
    connect_read_only,
    transaction,
    translated,
    writable,
)
from .documents import Documents
from .errors import DatabaseCorrupt, DatabaseReadOnly, StoreError
from .labels import Annotators, Labels
from .migrations import SCHEMA_VERSION, migrate, version_of
from .search import SEARCH_TABLES
from .settings import Settings
from .spans import Spans
from .status import Statuses
from .suggestions import Suggestions
from .tables import ChangeLog
from .team import Assignments, Guidelines, Progress

# Databases this process found whole lately: path -> when. A second connection to the same
# file (a worker thread's, a reopen) is not checked again within CHECKED_FOR seconds.
_checked: dict[Path, float] = {}
CHECKED_FOR = 600.0


class Store:
    """One open database. Construct with `Store.open(path)`; the repositories are its
    attributes: documents, spans, labels, annotators, statuses, log, settings,
    guidelines, assignments, suggestions.

    A database found damaged when opened is open for reading only: `damaged` says what is
    wrong, and every write raises DatabaseCorrupt saying so. `notes` are things to tell
    the user that did not stop the opening (a check left for later, a backup not made)."""

    def __init__(self, conn: sqlite3.Connection, path: str,
                 backups_root: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self.closed = False
        self.read_only = False  # opened for reading only (see open)
        self.damaged: str | None = None  # what is wrong, for a database found damaged
        self.integrity: Integrity | None = None  # the check made at open (None: in memory)
        self.notes: list[str] = []
        self.backups_root = backups_root if backups_root is not None else backups_path()
        self._daily_day: date | None = None  # the day a daily backup was last seen to
        # The day a daily backup was found, made, or given up on; until then (a database
        # new today, empty) one is looked for after each commit: made once it has documents.
        self._daily_done: date | None = None
        self.log = ChangeLog(self.conn)
        self.spans = Spans(self.conn, self.log)
        self.statuses = Statuses(self.conn, self.log)
        self.documents = Documents(self.conn, self.log, self.spans, self.statuses)
        self.labels = Labels(self.conn, self.log, self.spans)
        self.annotators = Annotators(self.conn, self.log)
        self.settings = Settings(self.conn, self.log)
        self.guidelines = Guidelines(self.conn, self.log)
        self.assignments = Assignments(self.conn, self.log)
        self.progress = Progress(self.conn, self.log)
        self.suggestions = Suggestions(self.conn, self.log)

    @classmethod
    @translated
    def open(cls, path: Path | str, backups: Path | None = None) -> Store:
        """Open or create; raises StoreError for files that are not ours to touch.

        An existing database is checked first (SQLite's quick check, at most
        db.QUICK_CHECK_SECONDS); found damaged, it opens for reading only (`damaged`). One
        that cannot be written here (read-only file, folder or disk) opens for reading:
        every write then fails with DatabaseReadOnly, named plainly. An upgrade runs only
        after a backup of the database as it was; the first open of a day makes the
        day's backup (see `daily_backup`). `backups`: the backups folder (default
        annotator.paths.backups_path())."""
        if str(path) == ":memory:":
            conn = connect(path)
            migrate(conn)
            return cls(conn, str(path), backups)
        path = Path(path)
        check_file(path, SCHEMA_VERSION)
        existed = path.exists() and path.stat().st_size > 0
        if existed and not writable(path):
            return cls._open_read_only(path, backups)
        # Checked before anything is written: connecting switches the file to WAL.
        integrity = _quick_check(path) if existed else Integrity(True)
        if integrity.ok is False:
            return cls._open_damaged(path, backups, integrity)
        conn = connect(path)
        try:
            root = backups if backups is not None else backups_path()
            was = version_of(conn)
            migrate(conn, _backup_before_upgrade(conn, path, root))
            if 0 < was < 3:
                _give_back_space(conn)
        except BaseException:
            conn.close()
            raise
        store = cls(conn, str(path), backups)
        store.integrity = integrity
        if integrity.ok is None:
            store.notes.append(f"{path} was not checked for damage when opened: "
                               f"{integrity.summary}.")
        if existed:
            store.backups.adopt(Backups(store.backups_root, path, None))  # made before its
            store.daily_backup()  # upgrade gave it its UUID
        else:
            store._daily_day = date.today()  # nothing in it yet worth a backup
        return store

    @classmethod
    def _open_read_only(cls, path: Path, backups: Path | None) -> Store:
        conn = connect_read_only(path, DatabaseReadOnly(
            f"{path} is open for reading only: the file, its folder or the disk cannot be "
            "written here; nothing was changed"))
        try:
            if version_of(conn) != SCHEMA_VERSION:
                raise DatabaseReadOnly(
                    f"{path} needs upgrading to this version of Annotator, and cannot be "
                    "written where it is; copy it somewhere writable first")
            integrity = _quick_check(path)
        except BaseException:
            conn.close()
            raise
        if integrity.ok is False:
            conn.close()
            return cls._open_damaged(path, backups, integrity)
        store = cls(conn, str(path), backups)
        store.read_only, store.integrity = True, integrity
        return store

    @classmethod
    def _open_damaged(cls, path: Path, backups: Path | None, integrity: Integrity) -> Store:
        """Open for reading what can still be read; every write refused, saying why."""
        damage = f"{path} is damaged ({integrity.summary})"
        conn = connect_read_only(path, DatabaseCorrupt(
            f"{damage}: it is open for reading only, and nothing was written. Restore a "
            "backup, or export what can still be read"))
        try:
            if version_of(conn) != SCHEMA_VERSION:
                raise DatabaseCorrupt(
                    f"{damage}, and it is of an older schema (version {version_of(conn)})"
                    ", which it would not be safe to upgrade. Restore a backup.")
        except BaseException:
            conn.close()
            raise
        store = cls(conn, str(path), backups)
        store.read_only, store.integrity = True, integrity
        store.damaged = f"{damage}. It is open for reading only: restore a backup."
        return store

    def close(self) -> None:
        """Checkpoint and close: the .db file alone then holds every edit. Again: nothing."""
        if not self.closed:
            self.closed = True
            db.close(self.conn)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; after the outermost commits on a new day (a window left open
        overnight), or the first commit that leaves documents in a database that has no
        backup today (one created today), the day's backup is made."""
        outermost = not self.conn.in_transaction
        with transaction(self.conn):
            yield
        today = date.today()
        if outermost and self._daily_day is not None and (
                self._daily_day != today or self._daily_done != today):
            self.daily_backup()

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """For a large import: the write-ahead log is copied into the database every 80 MB
        instead of every 4 MB, which saves a third of the time; copied at the end. The copy
        only saves time: if it cannot be made (a full disk, a read-only file), what the
        import wrote is committed all the same, and the report must reach the user."""
        self._pragma("PRAGMA wal_autocheckpoint = 20000")
        try:
            yield
        finally:
            try:
                self._pragma("PRAGMA wal_autocheckpoint = 1000")
                if not self.conn.in_transaction:
                    self._pragma("PRAGMA wal_checkpoint(PASSIVE)")
            except StoreError:
                pass  # SQLite copies the log at the next checkpoint, or when closing

    @translated
    def _pragma(self, sql: str) -> None:
        self.conn.execute(sql)

    # --- backups ---------------------------------------------------------------------------
    @property
    def uuid(self) -> str | None:
        """This database's identity (None before its upgrade to schema 2)."""
        return self.settings.get("database_uuid")

    @property
    def backups(self) -> Backups:
        """This database's backups (its folder in the backups folder)."""
        return Backups(self.backups_root, Path(self.path), self.uuid)

    def backup(self, kind: str = MANUAL, to: Path | str | None = None, detail: str = "",
               ) -> Backup:
        """A backup of the database as committed, by SQLite's backup API: into this
        database's backups folder, or into the new file `to` (not kept in the rotation).
        A damaged database is backed up as it is (made before a restore)."""
        if self.path == ":memory:":
            raise StoreError("an in-memory database has no backups")
        if self.conn.in_transaction:
            raise RuntimeError("a backup inside a transaction would copy what is not saved")
        if to is None:
            return self.backups.make(self.conn, kind, detail)
        target = Path(to).expanduser()
        if target.exists():
            raise StoreError(f"{target} already exists; choose a new file for the backup")
        if target.resolve() == Path(self.path).resolve():
            raise StoreError("a backup cannot be written over the database itself")
        _copy_to(self.conn, target)
        return read_backup(target) or Backup(target, datetime.now(), kind,
                                             target.stat().st_size, SCHEMA_VERSION, detail)

    def backup_before_merge(self) -> Backup:
        """Made by a merge before it writes anything; a merge must not run without it
        (its StoreError stops the merge)."""
        return self.backup(BEFORE_MERGE)

    def daily_backup(self) -> Backup | None:
        """Today's backup, if none was made yet: of a writable database that passed its
        check and holds documents (one that holds none yet gets it after the commit that
        brings the first: see `transaction`). A backup that cannot be made is a note,
        never an error: the work goes on (and it is not tried again until tomorrow)."""
        today = date.today()
        self._daily_day = today
        if self.read_only or self.damaged or self.path == ":memory:":
            self._daily_done = today
            return None
        try:
            if self.conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None:
                return None  # nothing worth a backup yet: looked for again after a commit
            self._daily_done = today
            backups = self.backups
            if backups.has_daily(today):
                return None
            return backups.make(self.conn, DAILY)
        except (StoreError, sqlite3.Error, OSError) as e:
            self._daily_done = today
            self.notes.append(f"today's backup of {self.path} could not be made: {e}")
            return None

    def restore(self, backup: Path | str, force: bool = False) -> Store:
        """Put a backup in place of this database, which is first backed up as it is
        (damaged or not), then closed; returns the database reopened. The backup must be
        whole and not newer, and of this database, of one with no identity yet (schema
        1: it takes this one's), or restored over a database that holds no documents (a
        new one made where a lost one was); `force` restores another database's all the
        same (its identity then replaces this one's)."""
        backup = Path(backup).expanduser()
        if backup.resolve() == Path(self.path).resolve():
            raise StoreError("that is the database itself, not a backup of it")
        _, uuid = check_backup(backup, SCHEMA_VERSION)
        mine = self.uuid if not self.damaged else _uuid_if_readable(self)
        if uuid and mine and uuid != mine and not force and not self._holds_nothing():
            raise _another_database(backup, uuid, Path(self.path), mine)
        if self.read_only and not self.damaged:
            raise DatabaseReadOnly(f"{self.path} cannot be written here, so no backup can "
                                   "be restored over it")
        try:
            self.backup(BEFORE_RESTORE)
        except DatabaseCorrupt:  # too damaged even to be read page by page: its bytes
            if not self.damaged:
                raise
            (Backups(self.backups_root, Path(self.path), mine) if mine else
             Backups.unidentified(self.backups_root, Path(self.path))).copy_file(BEFORE_RESTORE)
        self.close()
        _put_back(Path(self.path), backup, None if uuid else mine,
                  Backups(self.backups_root, Path(self.path), mine))
        return Store.open(self.path, self.backups_root)

    def _holds_nothing(self) -> bool:
        """No documents (a database just made): nothing a restore over it could lose."""
        try:
            return self.documents.count() == 0
        except StoreError:
            return False

    @classmethod
    def restore_over(cls, path: Path | str, backup: Path | str,
                     backups: Path | None = None, force: bool = False) -> Store:
        """Restore a backup where a database cannot be opened at all (damaged past
        reading) or is missing (its folder lost): what is there is kept first as a
        backup, then replaced. Refused, with nothing changed: a file that is not an
        Annotator database or is from a newer version, and a backup of another database
        than the one there when that can still be read (unless `force`). When it cannot
        be told, a note (`notes`) says whose backup was restored."""
        path, backup = Path(path), Path(backup).expanduser()
        if path.exists() and backup.resolve() == path.resolve():
            raise StoreError("that is the database itself, not a backup of it")
        _, uuid = check_backup(backup, SCHEMA_VERSION)
        there = check_replaceable(path, SCHEMA_VERSION)
        mine = there.identity
        if uuid and mine and uuid != mine and not force and there.documents != 0:
            raise _another_database(backup, uuid, path, mine)
        root = backups if backups is not None else backups_path()
        if there.exists:
            (Backups(root, path, mine) if mine else
             Backups.unidentified(root, path)).copy_file(BEFORE_RESTORE)
        _put_back(path, backup, None if uuid else mine, Backups(root, path, mine))
        store = cls.open(path, root)
        if there.exists and mine is None and uuid:
            store.notes.append(
                f"which database was at {path} could not be read (it was damaged past "
                f"reading), so the backup put there is not known to be of it: it is of the "
                f"database {uuid} ({what_it_holds(path)}). What was there is kept among the "
                "backups.")
        return store

    # --- integrity -------------------------------------------------------------------------
    def check(self) -> Integrity:
        """The full check: SQLite's integrity check (every page, record and index), the
        foreign keys, every text column decoded, and every document's text against its
        content hash (texts never change after import: one that did was changed by
        something else)."""
        integrity = _translated_check(self.conn, full=True)
        problems = list(integrity.problems)
        began = time.monotonic()
        try:
            problems += _text_problems(self.conn)
        except sqlite3.DatabaseError as e:
            problems.append(f"the database cannot all be read ({e})")
        return Integrity(not problems, tuple(problems),
                         integrity.seconds + time.monotonic() - began, True)


def _text_problems(conn: sqlite3.Connection, most: int = 100) -> list[str]:
    """Text that is not UTF-8 (only damage or another program writes it), and document
    texts that are not the ones imported. Read as bytes, one table at a time."""
    problems: list[str] = []
    # Not the search indexes (migrations 4 and 5): their tables hold FTS5's own binary
    # records, and the documents' virtual table reads the documents again.
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
              if not any(r[0] == t or r[0].startswith(t + "_") for t in SEARCH_TABLES)]
    conn.text_factory = bytes
    try:
        for table in tables:
            columns = [bytes(r[1]).decode() for r in conn.execute(
                f'PRAGMA table_info("{table}")')]
            for rowid, *values in conn.execute(f'SELECT rowid, * FROM "{table}"'):
                record = dict(zip(columns, values, strict=True))
                where = f"document {rowid}" if table == "documents" else f"{table} row {rowid}"
                for column, value in record.items():
                    if isinstance(value, bytes):
                        try:
                            value.decode("utf-8")
                        except UnicodeDecodeError:
                            problems.append(f"{where}: its {column} is not valid UTF-8 text")
                if table == "documents" and isinstance(record.get("text"), bytes):
                    stored = record.get("content_hash") or b""
                    if hashlib.sha256(record["text"]).hexdigest().encode() != stored:
                        title = bytes(record.get("title") or b"").decode("utf-8", "replace")
                        problems.append(f"document {rowid} ({title!r}): its text is not the "
                                        "text imported (its content hash differs)")
                if len(problems) >= most:
                    return problems
    finally:
        conn.text_factory = str
    return problems


def _translated_check(conn: sqlite3.Connection, full: bool) -> Integrity:
    try:
        return check_integrity(conn, full=full)
    except sqlite3.Error as e:
        db.raise_store_error(e)


def _quick_check(path: Path) -> Integrity:
    """The check at open, bounded in time; skipped for a file this process found whole in
    the last CHECKED_FOR seconds (a worker's second connection, a reopen)."""
    key = path.resolve()
    if time.monotonic() - _checked.get(key, -CHECKED_FOR) < CHECKED_FOR:
        return Integrity(True)
    integrity = db.quick_check(path, db.QUICK_CHECK_SECONDS)
    if integrity.ok:
        _checked[key] = time.monotonic()
    return integrity


def _give_back_space(conn: sqlite3.Connection) -> None:
    """After schema 3 dropped the copies of span texts, a database that held many is
    mostly free pages (2 GB of them after 20,000 spans over one review): written anew,
    once, when they are most of the file. Not being able to is no error (a full disk)."""
    free, pages, size = conn.execute(
        "SELECT (SELECT freelist_count FROM pragma_freelist_count), "
        "(SELECT page_count FROM pragma_page_count), "
        "(SELECT page_size FROM pragma_page_size)").fetchone()
    if free * size > 64 * 1024 * 1024 and free > pages // 2:
        with suppress(sqlite3.Error):
            conn.execute("VACUUM")


def _backup_before_upgrade(conn: sqlite3.Connection, path: Path, root: Path
                           ) -> Callable[[int, int], None]:
    def before(version: int, to: int) -> None:
        if conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None:
            return  # nothing to lose (or another program is creating it this moment)
        uuid = None
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'database_uuid'"
                               ).fetchone()
            uuid = row[0] if row else None
        except sqlite3.OperationalError:  # schema 1: no identity yet (made by step 2)
            pass
        backups, detail = Backups(root, path, uuid), f"schema-{version}-to-{to}"
        earlier = [b for b in backups.all() if b.kind == BEFORE_UPGRADE and b.detail == detail]
        try:
            backups.make(conn, BEFORE_UPGRADE, detail)
            for stale in earlier:  # from attempts that failed: this one is as current
                with suppress(OSError):
                    stale.path.unlink()
        except StoreError as e:
            raise type(e)(f"{path} needs upgrading from schema {version} to {to}, and a "
                          f"backup must be made first, which failed: {e}. The database "
                          "was left as it was.") from e
    return before


def _copy_to(conn: sqlite3.Connection, target: Path) -> None:
    """A backup into a file of the user's choosing: trouble writing it is said of that
    file, not of the database."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_database(conn, target)
    except (FileExistsError, NotADirectoryError) as e:  # a file where its folder would be
        folder = next((p for p in target.parents if p.exists()), target.parent)
        raise StoreError(f"no backup could be written to {target}: {folder} is a file, not "
                         "a folder") from e
    except (sqlite3.Error, OSError) as e:
        raise_backup_error(e, f"to {target}")


def _another_database(backup: Path, uuid: str, path: Path, mine: str) -> OtherDatabase:
    return OtherDatabase(
        f"{backup} is a backup of another database (id {uuid}: {what_it_holds(backup)}), "
        f"not of {path} (id {mine}); it was not restored")


@translated
def _put_back(path: Path, backup: Path, identity: str | None, backups: Backups) -> None:
    """The backup's contents in place of the database at `path`. A backup made before its
    database had an identity (schema 1, `identity` given) is upgraded in a copy first and
    given that identity, so that the database stays the one its backups and everyone's
    saved place know (the backup as it was is kept, made before an upgrade)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if identity is None:
        restore_into(path, backup)
    else:
        copy = _upgraded_copy(backup, identity, backups)
        try:
            restore_into(path, copy)
        finally:
            for leftover in (copy, *(copy.with_name(copy.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
    _checked.pop(path.resolve(), None)


@translated
def _upgraded_copy(backup: Path, identity: str, backups: Backups) -> Path:
    """A copy of a schema-1 backup, upgraded, holding `identity` as its database's: a
    partial file among the backups (cleared if a kill leaves it)."""
    backups.folder.mkdir(parents=True, exist_ok=True)
    copy = partial_name(backups.folder / "upgrading.db")
    source = sqlite3.connect(db.quiet_reading(backup), uri=True)
    try:
        copy_database(source, copy)
    finally:
        source.close()
    try:
        conn = connect(copy)
        try:
            conn.execute("PRAGMA secure_delete = ON")  # no trace left of the passing identity

            def before(version: int, to: int) -> None:  # the backup as it was, kept for good
                backups.make(conn, BEFORE_UPGRADE, f"schema-{version}-to-{to}")
            migrate(conn, before)
            with transaction(conn):
                conn.execute("INSERT INTO settings (key, value) VALUES ('database_uuid', ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             (identity,))
        finally:
            db.close(conn)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    return copy


def _uuid_if_readable(store: Store) -> str | None:
    try:
        return store.uuid
    except StoreError:
        return None
