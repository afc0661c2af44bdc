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
    check_backup,
    copy_database,
    read_backup,
    restore_into,
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
from .settings import Settings
from .spans import Spans
from .status import Statuses
from .tables import ChangeLog

# Databases this process found whole lately: path -> when. A second connection to the same
# file (a worker thread's, a reopen) is not checked again within CHECKED_FOR seconds.
_checked: dict[Path, float] = {}
CHECKED_FOR = 600.0


class Store:
    """One open database. Construct with `Store.open(path)`; the repositories are its
    attributes: documents, spans, labels, annotators, statuses, log, settings.

    A database found damaged when opened is open for reading only: `damaged` says what is
    wrong, and every write raises DatabaseCorrupt saying so. `notes` are things to tell
    the user that did not stop the opening (a check left for later, a backup not made)."""

    def __init__(self, database, path: str, backups_root: Path | None = None) -> None:
        self.db = database
        self.conn = database.conn
        self.path = path
        self.closed = False
        self.read_only = False  # opened for reading only (see open)
        self.damaged: str | None = None  # what is wrong, for a database found damaged
        self.integrity: Integrity | None = None  # the check made at open (None: in memory)
        self.notes: list[str] = []
        self.backups_root = backups_root if backups_root is not None else backups_path()
        self._daily_day: date | None = None  # the day a daily backup was last seen to
        self.log = ChangeLog(self.conn)
        self.spans = Spans(self.conn, self.log)
        self.statuses = Statuses(self.conn, self.log)
        self.documents = Documents(self.conn, self.log, self.spans, self.statuses)
        self.labels = Labels(self.conn, self.log, self.spans)
        self.annotators = Annotators(self.conn, self.log)
        self.settings = Settings(self.conn, self.log)

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
            database = connect(path)
            migrate(database)
            return cls(database, str(path), backups)
        path = Path(path)
        check_file(path, SCHEMA_VERSION)
        existed = path.exists() and path.stat().st_size > 0
        if existed and not writable(path):
            return cls._open_read_only(path, backups)
        # Checked before anything is written: connecting switches the file to WAL.
        integrity = _quick_check(path) if existed else Integrity(True)
        if integrity.ok is False:
            return cls._open_damaged(path, backups, integrity)
        database = connect(path)
        try:
            root = backups if backups is not None else backups_path()
            was = version_of(database)
            migrate(database, _backup_before_upgrade(database.conn, path, root))
            if 0 < was < 3:
                _give_back_space(database.conn)
        except BaseException:
            database.conn.close()
            raise
        store = cls(database, str(path), backups)
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
        database = connect_read_only(path, DatabaseReadOnly(
            f"{path} is open for reading only: the file, its folder or the disk cannot be "
            "written here; nothing was changed"))
        try:
            if version_of(database) != SCHEMA_VERSION:
                raise DatabaseReadOnly(
                    f"{path} needs upgrading to this version of Annotator, and cannot be "
                    "written where it is; copy it somewhere writable first")
            integrity = _quick_check(path)
        except BaseException:
            database.conn.close()
            raise
        if integrity.ok is False:
            database.conn.close()
            return cls._open_damaged(path, backups, integrity)
        store = cls(database, str(path), backups)
        store.read_only, store.integrity = True, integrity
        return store

    @classmethod
    def _open_damaged(cls, path: Path, backups: Path | None, integrity: Integrity) -> Store:
        """Open for reading what can still be read; every write refused, saying why."""
        damage = f"{path} is damaged ({integrity.summary})"
        database = connect_read_only(path, DatabaseCorrupt(
            f"{damage}: it is open for reading only, and nothing was written. Restore a "
            "backup, or export what can still be read"))
        try:
            if version_of(database) != SCHEMA_VERSION:
                raise DatabaseCorrupt(
                    f"{damage}, and it is of an older schema (version {version_of(database)})"
                    ", which it would not be safe to upgrade. Restore a backup.")
        except BaseException:
            database.conn.close()
            raise
        store = cls(database, str(path), backups)
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
        overnight) the day's backup is made."""
        outermost = not self.conn.in_transaction
        with transaction(self.conn):
            yield
        if outermost and self._daily_day is not None and self._daily_day != date.today():
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
        check and holds documents. A backup that cannot be made is a note, never an error:
        the work goes on."""
        today = date.today()
        self._daily_day = today
        if self.read_only or self.damaged or self.path == ":memory:":
            return None
        try:
            if self.conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None:
                return None
            backups = self.backups
            if backups.has_daily(today):
                return None
            return backups.make(self.conn, DAILY)
        except (StoreError, sqlite3.Error, OSError) as e:
            self.notes.append(f"today's backup of {self.path} could not be made: {e}")
            return None

    def restore(self, backup: Path | str) -> Store:
        """Put a backup in place of this database, which is first backed up as it is
        (damaged or not), then closed; returns the database reopened. The backup must be
        of this database (or of one with no identity yet), whole, and not newer."""
        backup = Path(backup).expanduser()
        if backup.resolve() == Path(self.path).resolve():
            raise StoreError("that is the database itself, not a backup of it")
        _, uuid = check_backup(backup, SCHEMA_VERSION)
        mine = self.uuid if not self.damaged else _uuid_if_readable(self)
        if uuid and mine and uuid != mine:
            raise StoreError(f"{backup} is a backup of another database (id {uuid}), not "
                             f"of {self.path} (id {mine}); it was not restored")
        if self.read_only and not self.damaged:
            raise DatabaseReadOnly(f"{self.path} cannot be written here, so no backup can "
                                   "be restored over it")
        try:
            self.backup(BEFORE_RESTORE)
        except DatabaseCorrupt:  # too damaged even to be read page by page: its bytes
            if not self.damaged:
                raise
            Backups(self.backups_root, Path(self.path), mine or uuid).copy_file(BEFORE_RESTORE)
        self.close()
        restore_into(Path(self.path), backup)
        _checked.pop(Path(self.path).resolve(), None)
        return Store.open(self.path, self.backups_root)

    @classmethod
    def restore_over(cls, path: Path | str, backup: Path | str,
                     backups: Path | None = None) -> Store:
        """Restore a backup over a database that cannot be opened at all (damaged past
        reading): its bytes are kept first as a backup, then it is replaced."""
        path, backup = Path(path), Path(backup).expanduser()
        check_backup(backup, SCHEMA_VERSION)
        root = backups if backups is not None else backups_path()
        if path.exists():
            Backups(root, path, None).copy_file(BEFORE_RESTORE)
        restore_into(path, backup)
        _checked.pop(path.resolve(), None)
        return cls.open(path, root)

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
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_database(conn, target)
    except (sqlite3.Error, OSError) as e:
        db.raise_store_error(e)


def _uuid_if_readable(store: Store) -> str | None:
    try:
        return store.uuid
    except StoreError:
        return None
