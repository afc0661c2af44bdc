"""SQLite's failures told in the user's words, by kind: the store's own errors.

Nothing above the store imports `sqlite3`: the store turns every driver error into one of
the StoreError kinds (`translate`), so the layers above catch the project's errors only.
The kinds are declared in annotator.domain.errors, where the window can name them too.
"""

from __future__ import annotations

import sqlite3

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
           "NewerSchemaError", "NotADatabaseError", "StoreConflict", "StoreError", "translate"]


# SQLite's primary result codes (the low byte of extended ones).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _CONSTRAINT, _NOTADB = (
    5, 6, 8, 10, 11, 13, 14, 19, 26)
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


def translate(error: sqlite3.Error | OSError) -> StoreError:
    """The store error for a driver or file error, keeping SQLite's own words after ours."""
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        where = f" ({error.filename})" if error.filename else ""
        if isinstance(error, PermissionError):
            return DatabaseReadOnly(f"the database cannot be written: {reason}{where}")
        return StoreError(f"the database file could not be used: {reason}{where}")
    code = getattr(error, "sqlite_errorcode", None)
    kind, words = _KINDS.get(code & 0xFF if isinstance(code, int) else -1,
                             (StoreError, "the database refused the change"))
    text = str(error)
    if kind is StoreError and code is None:  # no code: tell some by their words
        lowered = text.lower()
        if "locked" in lowered or "busy" in lowered:
            kind, words = _KINDS[_BUSY]
        elif "readonly" in lowered or "read-only" in lowered:
            kind, words = _KINDS[_READONLY]
        elif "disk is full" in lowered:
            kind, words = _KINDS[_FULL]
        elif "malformed" in lowered or "not a database" in lowered:
            kind, words = _KINDS[_CORRUPT]
    return kind(f"{words} ({text})" if text else words)
