"""What every table's repository shares: the connection, the change log, column lists."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

from annotator.domain.model import now_iso

from .db import translated

# One encoder for every change-log row: json.dumps with options builds a new one per call.
to_json = json.JSONEncoder(ensure_ascii=False).encode

_KEYWORDS = {"end"}  # column names SQL reserves: quoted


def columns(cls: type, leave_out: Iterable[str] = ()) -> tuple[str, ...]:
    """A dataclass's fields, in order, as the table's column names."""
    skip = set(leave_out)
    return tuple(f.name for f in fields(cls) if f.name not in skip)


def column_list(names: Iterable[str], prefix: str = "") -> str:
    """Names joined for SQL, reserved words quoted: 'uuid, start, "end"'."""
    return ", ".join(prefix + (f'"{n}"' if n in _KEYWORDS else n) for n in names)


def chunks(items: list, size: int = 500) -> Iterator[list]:
    """Slices small enough for one IN (...) list: SQLite caps the number of parameters."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def marks(items: list) -> str:
    return ",".join("?" * len(items))


@contextmanager
def reading(conn: sqlite3.Connection) -> Iterator[None]:
    """Several reads that must see one moment (spans and their document's text): a read
    transaction, which in WAL mode never waits for writers nor makes them wait. Inside a
    transaction already, simply runs."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if _in_transaction(conn):  # read again: the body's statements may have ended it
            conn.execute("COMMIT")


def _in_transaction(conn: sqlite3.Connection) -> bool:
    return conn.in_transaction


class ChangeLog:
    """The append-only log of every edit: who, when, what, with the data before and after.
    Nothing in the code updates or deletes its rows.

    An entry records the edit, not what the document already holds: a span by its offsets,
    never a copy of its text, and an update by the fields it changed; so the log grows with
    the work done, and replaying it with the documents' texts rebuilds every span, status,
    label and annotator (store.replay). Entries written before schema 3 copied span texts
    and left some fields out; migration 3 logged those fields once ("baseline" entries)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def write(self, who: str | None, action: str, entity: str, entity_id: Any,
              data: dict) -> None:
        self.conn.execute(
            "INSERT INTO change_log (at, who, action, entity, entity_id, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now_iso(), who, action, entity, str(entity_id), to_json(data)),
        )

    def write_many(self, who: str | None, action: str, entity: str,
                   rows: Iterable[tuple[str, str]]) -> None:
        """Many entries of one kind at once: rows of (entity id, data as JSON text)."""
        stamp = now_iso()
        self.conn.executemany(
            "INSERT INTO change_log (at, who, action, entity, entity_id, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((stamp, who, action, entity, entity_id, data) for entity_id, data in rows))

    @translated
    def entries(self, entity_id: str | None = None) -> list[dict]:
        sql = "SELECT id, at, who, action, entity, entity_id, data FROM change_log"
        args: tuple = ()
        if entity_id is not None:
            sql += " WHERE entity_id = ?"
            args = (str(entity_id),)
        rows = self.conn.execute(sql + " ORDER BY id", args).fetchall()
        keys = ("id", "at", "who", "action", "entity", "entity_id", "data")
        return [dict(zip(keys, r[:-1] + (json.loads(r[-1]),), strict=True)) for r in rows]


class Table:
    """A repository over one concern; writes are logged in the same transaction."""

    table = ""  # the table whose rows `stored_uuids` looks for

    def __init__(self, conn: sqlite3.Connection, log: ChangeLog) -> None:
        self.conn = conn
        self.log = log

    @translated
    def stored_uuids(self, uuids: Iterable[str]) -> set[str]:
        """Which of these uuids are already stored (ids are kept across databases)."""
        found: set[str] = set()
        for chunk in chunks(list(uuids)):
            found.update(r[0] for r in self.conn.execute(
                f"SELECT uuid FROM {self.table} WHERE uuid IN ({marks(chunk)})", chunk))
        return found
