"""Opening a database file safely: checks before any write, pragmas, transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from .errors import NewerSchemaError, NotADatabaseError, StoreError, raise_translated

__all__ = ["NewerSchemaError", "NotADatabaseError", "StoreError", "check_file", "connect",
           "translated", "transaction", "writing"]

SQLITE_HEADER = b"SQLite format 3\x00"

F = TypeVar("F", bound=Callable[..., Any])


def translated(function: F) -> F:
    """Driver and file errors raised by `function` come out as the store's own errors."""
    @wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (sqlite3.Error, OSError) as e:
            raise_translated(e)
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
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                              ).fetchone()[0]
    except sqlite3.DatabaseError as e:
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


@translated
def connect(path: Path | str) -> sqlite_utils.Database:
    """An autocommit connection: transactions are explicit (see `transaction`)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10.0)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL loses no committed data on an application crash.
        conn.execute("PRAGMA synchronous = NORMAL")
    # 64 MB of page cache (the default is 2 MB): spans are keyed by random UUIDs, so a bulk
    # import touches index pages all over the file, and re-reading them dominated its time.
    conn.execute("PRAGMA cache_size = -65536")
    return sqlite_utils.Database(conn)


@translated
def close(conn: sqlite3.Connection) -> None:
    """Copy the write-ahead log into the database file, then close: once the program ends,
    the `.db` file alone holds everything (someone may copy only that file)."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
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
        raise_translated(e)


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
