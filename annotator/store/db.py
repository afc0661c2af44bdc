"""Opening a database file safely: checks before any write, pragmas, transactions."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from .errors import (
    DatabaseCorrupt,
    NewerSchemaError,
    NotADatabaseError,
    StoreError,
    raise_translated,
)

__all__ = ["NewerSchemaError", "NotADatabaseError", "StoreError", "check_file", "connect",
           "translated", "transaction", "writing"]

SQLITE_HEADER = b"SQLite format 3\x00"
_CORRUPT, _NOTADB, _INTERRUPT = 11, 26, 9  # SQLite's result codes
BUSY_TIMEOUT = 10.0  # seconds another program's write may keep ours waiting

F = TypeVar("F", bound=Callable[..., Any])


class Connection(sqlite3.Connection):
    """SQLite's connection, which can be told to refuse every write, and why: a database
    found damaged, or one that cannot be written where it is (see `refuse_writes`)."""

    refusal: StoreError | None = None


def refuse_writes(conn: sqlite3.Connection, refusal: StoreError) -> None:
    """From now on every transaction on `conn` raises (a copy of) `refusal` before it
    begins, and SQLite itself refuses any write that would not go through one."""
    conn.execute("PRAGMA query_only = ON")
    if isinstance(conn, Connection):
        conn.refusal = refusal


def raise_store_error(error: sqlite3.Error | OSError) -> NoReturn:
    """The store's error for a driver error (errors.translate), and one more: text that is
    not UTF-8, which only a damaged file (or another program's bytes) can hold. The driver
    raises it with no code of SQLite's, as a bare OperationalError."""
    if isinstance(error, sqlite3.OperationalError) and str(error).startswith(
            "Could not decode to UTF-8"):
        column = str(error).split(" with text", 1)[0].removeprefix("Could not decode to UTF-8 ")
        raise DatabaseCorrupt(
            f"the database is damaged: it holds text that is not valid UTF-8 ({column})"
        ) from error
    raise_translated(error)


def translated(function: F) -> F:
    """Driver and file errors raised by `function` come out as the store's own errors."""
    @wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (sqlite3.Error, OSError) as e:
            raise_store_error(e)
    return call  # type: ignore[return-value]


def check_file(path: Path, known_version: int) -> None:
    """Refuse files we must not touch, before opening them for writing."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not an Annotator database file")
    with open(path, "rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"{path} is not an SQLite database (it may be another kind of file); "
            "it was left untouched. Choose another file with --db."
        )
    if hot_journal(path):  # a crash in the middle of a write: reading rolls it back
        try:
            conn = sqlite3.connect(path)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError as e:
            raise NotADatabaseError(
                f"{path} cannot be recovered from an interrupted write: {e}") from None
    # Read without creating anything beside it: a file in a read-only folder can be
    # checked, and nothing is left beside a file that is then refused.
    conn = sqlite3.connect(quiet_reading(path), uri=True)
    try:
        # One statement, one snapshot: another process may be creating the tables meanwhile.
        version, tables = conn.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), "
            "(SELECT count(*) FROM sqlite_master WHERE type = 'table')").fetchone()
    except sqlite3.DatabaseError as e:
        code = getattr(e, "sqlite_errorcode", 0) or 0
        if code & 0xFF in (_CORRUPT, _NOTADB):  # an SQLite file, damaged past reading
            raise DatabaseCorrupt(
                f"{path} is damaged: SQLite cannot read it ({e}); it was left untouched. "
                "Restore a backup.") from None
        raise NotADatabaseError(
            f"{path} cannot be read as a database: {e}; it was left untouched.") from None
    finally:
        conn.close()
    if version == 0 and tables:
        raise NotADatabaseError(
            f"{path} is an SQLite database of another program (it has tables but no "
            "Annotator schema); it was left untouched. Choose another file with --db."
        )
    if version > known_version:
        raise NewerSchemaError(
            f"{path} was written by a newer version of Annotator (schema {version}, this version "
            f"knows up to {known_version}); it was left untouched. Update Annotator to open it."
        )


def hot_journal(path: Path) -> bool:
    """A rollback journal left beside the file by a write that never finished."""
    journal = path.with_name(path.name + "-journal")
    try:
        return journal.stat().st_size > 0
    except OSError:
        return False


def quiet_reading(path: Path) -> str:
    """The URI to read a file that may not be ours to touch, creating nothing beside it:
    immutable (no locks, no -shm) unless a write-ahead log with commits is there, which
    holds the last of them (after a crash, or while another program writes) and without
    which the file alone may be half-copied."""
    immutable = "" if has_wal(path) else "&immutable=1"
    return f"{path.resolve().as_uri()}?mode=ro{immutable}"


def has_wal(path: Path) -> bool:
    """A write-ahead log with commits in it beside the file."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def writable(path: Path) -> bool:
    """Can this database be written here: the file, and its folder (for -wal and -shm)?"""
    folder = path.parent if path.parent != Path("") else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK) if folder.exists() else True


@translated
def connect_read_only(path: Path, refusal: StoreError | None = None) -> Connection:
    """For a database that cannot be written here (a read-only file, folder or disk), or
    must not be (damaged): read as it is; every write then fails with `refusal` (by
    default DatabaseReadOnly, in SQLite's words)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           isolation_level=None, timeout=BUSY_TIMEOUT, factory=Connection)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:  # WAL without its -shm in a read-only folder
        conn.close()
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                               isolation_level=None, factory=Connection)
    except sqlite3.DatabaseError:  # damaged past reading its schema: no reader at all
        conn.close()
        raise
    conn.execute("PRAGMA query_only = ON")
    if refusal is not None:
        refuse_writes(conn, refusal)
    return conn


@translated
def connect(path: Path | str) -> Connection:
    """An autocommit connection: transactions are explicit (see `transaction`)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT,
                           factory=Connection)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL loses no committed data on an application crash.
        conn.execute("PRAGMA synchronous = NORMAL")
    # 64 MB of page cache (the default is 2 MB): spans are keyed by random UUIDs, so a bulk
    # import touches index pages all over the file, and re-reading them dominated its time.
    conn.execute("PRAGMA cache_size = -65536")
    return conn


@translated
def close(conn: sqlite3.Connection) -> None:
    """Copy the write-ahead log into the database file, then close: once the program ends,
    the `.db` file alone holds everything (someone may copy only that file).

    A connection that wrote nothing leaves the log to those that did (each copies it as it
    closes, and SQLite does when the last connection closes): a reader's copy (a training
    thread's) would look to the window's connection like another program's commit, and
    the window would read everything again, "changed elsewhere"."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if conn.total_changes:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass  # another connection still reading: SQLite checkpoints when the last one closes
    conn.close()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, or a savepoint when already inside one.

    A failed COMMIT must not leave the connection inside a transaction: every later write
    would then only make a savepoint and never be committed. Driver errors come out as the
    store's own (see errors.translate).
    """
    refusal = getattr(conn, "refusal", None)
    if refusal is not None:  # a new error each time: raising one twice chains tracebacks
        raise type(refusal)(str(refusal))
    try:
        nested = conn.in_transaction  # named: the attribute changes with BEGIN and COMMIT
        if nested:
            # One name for every level: SQLite releases or rolls back the innermost savepoint
            # of that name, and the same SQL text each time is prepared once, not per call.
            name = "annotator_savepoint"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if conn.in_transaction:  # SQLite may already have rolled everything back
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except (sqlite3.Error, OSError) as e:
        raise_store_error(e)


@contextmanager
def writing(conn: sqlite3.Connection) -> Iterator[None]:
    """For one write method: inside the caller's transaction it simply runs (no savepoint:
    the caller's transaction or savepoint rolls it back on failure); alone, it is its own
    transaction."""
    if conn.in_transaction:
        yield
        return
    with transaction(conn):
        yield


# --- integrity -------------------------------------------------------------------------
QUICK_CHECK_SECONDS = 3.0  # the most a check at open may take; see docs/reliability.md


@dataclass(frozen=True)
class Integrity:
    """What a check found. `ok` is None when a check at open ran out of time on a large
    database before it could tell (run the full check: `annotator check`)."""

    ok: bool | None
    problems: tuple[str, ...] = ()
    seconds: float = 0.0
    full: bool = False

    @property
    def summary(self) -> str:
        if self.ok:
            return "no damage found"
        if self.ok is None:
            return (f"not checked: the quick check was stopped after {self.seconds:.1f} s "
                    "(a large database); run the full check")
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        return "; ".join(self.problems[:3]) + more


def quick_check(path: Path, seconds: float) -> Integrity:
    """The check at open, on a connection of its own that reads and changes nothing (it
    runs before the database is switched to WAL or migrated), stopped after `seconds`."""
    conn = sqlite3.connect(quiet_reading(path), uri=True)
    try:
        return check_integrity(conn, seconds=seconds)
    except sqlite3.DatabaseError as e:
        return Integrity(False, (str(e),))
    finally:
        conn.close()  # an interrupt that comes late falls on a closed connection


def _deadline(seconds: float, conn: sqlite3.Connection) -> threading.Timer:
    """Interrupt the connection's statement after `seconds`. SQLite does not call a
    progress handler inside its checks (3.40: a cold 1.2 GB file ran 20 s before the
    first call); another thread interrupts instead. Only for a connection closed after
    its check: a late interrupt would stop its next statement."""
    timer = threading.Timer(seconds, conn.interrupt)
    timer.daemon = True
    timer.start()
    return timer


def check_integrity(conn: sqlite3.Connection, full: bool = False,
                    seconds: float | None = None, most: int = 100) -> Integrity:
    """SQLite's own check of the file's structure: `quick_check` (every page and record,
    not the indexes' contents), or with `full` `integrity_check` and `foreign_key_check`.
    With `seconds`, stopped at that time (ok None) instead of keeping the user waiting."""
    began = time.monotonic()
    pragma = "integrity_check" if full else "quick_check"
    timer = _deadline(seconds, conn) if seconds is not None else None
    try:
        problems = [line for row in conn.execute(f"PRAGMA {pragma}({most})")
                    for line in str(row[0]).splitlines()
                    if line.strip() and not line.startswith("*** in database")]
        if full and problems == ["ok"]:
            broken = conn.execute("PRAGMA foreign_key_check").fetchmany(most)
            problems = [f"{table} row {rowid} refers to a missing {parent}"
                        for table, rowid, parent, _ in broken] or problems
    except sqlite3.OperationalError as e:
        if getattr(e, "sqlite_errorcode", 0) == _INTERRUPT:
            return Integrity(None, (), time.monotonic() - began, full)
        if str(e).startswith("Could not decode"):
            problems = ["text that is not valid UTF-8"]
        else:
            raise
    except sqlite3.DatabaseError as e:  # too damaged for the check itself to go on
        problems = [str(e)]
    finally:
        if timer is not None:
            timer.cancel()
    return Integrity(problems == ["ok"], () if problems == ["ok"] else tuple(problems),
                     time.monotonic() - began, full)
