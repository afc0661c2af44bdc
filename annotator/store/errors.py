"""SQLite's failures told in the user's words, by kind: the store's own errors.

Nothing above the store imports `sqlite3`: the store turns every driver error into one of
the StoreError kinds (`translate`), so the layers above catch the project's errors only.
The kinds are declared in annotator.domain.errors, where the window can name them too.
"""

from __future__ import annotations

import sqlite3
from typing import NoReturn

from annotator.domain.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    NewerSchemaError,
    NotADatabaseError,
    StoreConflict,
    StoreError,
)

__all__ = ["DatabaseCorrupt", "DatabaseLocked", "DatabaseReadOnly", "DiskFull",
           "NewerSchemaError", "NotADatabaseError", "StoreConflict", "StoreError",
           "raise_translated", "translate"]


# SQLite's primary result codes (the low byte of extended ones), and the extended codes of
# the constraints that mean "something is in the way" rather than a bug of ours.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _CONSTRAINT, _NOTADB = (
    5, 6, 8, 10, 11, 13, 14, 19, 26)
_IN_THE_WAY = {787, 1555, 2067}  # FOREIGN KEY, PRIMARY KEY, UNIQUE
_KINDS: dict[int, tuple[type[StoreError], str]] = {
    _BUSY: (DatabaseLocked, "the database is in use by another program; close it or try "
                            "again in a moment"),
    _LOCKED: (DatabaseLocked, "the database is in use by another program; close it or try "
                              "again in a moment"),
    _READONLY: (DatabaseReadOnly, "the database cannot be written (a read-only file, "
                                  "folder or disk)"),
    _FULL: (DiskFull, "the disk is full"),
    _CORRUPT: (DatabaseCorrupt, "the database file is damaged"),
    _NOTADB: (DatabaseCorrupt, "the file is not a database (or it is damaged or encrypted)"),
    _IOERR: (StoreError, "the disk could not be read or written"),
    _CANTOPEN: (StoreError, "the database file cannot be opened"),
    _CONSTRAINT: (StoreConflict, "the database already holds something in the way"),
}


def translate(error: sqlite3.Error | OSError) -> StoreError | None:
    """The store error for a driver or file error, keeping SQLite's own words after ours;
    None for an error that is a bug of ours (bad SQL, a wrong parameter, a closed connection,
    a NOT NULL or CHECK failure), which must reach the crash report as it is."""
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        where = f" ({error.filename})" if error.filename else ""
        if isinstance(error, PermissionError):
            return DatabaseReadOnly(f"the database cannot be written: {reason}{where}")
        return StoreError(f"the database file could not be used: {reason}{where}")
    if isinstance(error, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    text = str(error)
    if isinstance(code, int):
        if code & 0xFF == _CONSTRAINT and code not in _IN_THE_WAY:
            return None
        found = _KINDS.get(code & 0xFF)
    else:  # no code: tell the known ones by their words
        lowered = text.lower()
        found = (_KINDS[_BUSY] if "locked" in lowered or "busy" in lowered else
                 _KINDS[_READONLY] if "readonly" in lowered or "read-only" in lowered else
                 _KINDS[_FULL] if "disk is full" in lowered else
                 _KINDS[_CORRUPT] if "malformed" in lowered or "not a database" in lowered
                 else None)
    if found is None:
        return None
    kind, words = found
    return kind(f"{words} ({text})" if text else words)


def raise_translated(error: sqlite3.Error | OSError) -> NoReturn:
    """Raise the store's error for `error`, or `error` itself when it is a bug."""
    translated = translate(error)
    if translated is None:
        raise error
    raise translated from error
