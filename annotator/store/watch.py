"""Noticing what other programs wrote: another Annotator window, an import on the command
line. SQLite's data_version changes when another connection commits; the change log says
what kinds of things they touched."""

from __future__ import annotations

import sqlite3

from .db import translated


class Watcher:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.version = self._data_version()
        self.last_log = self._last_log()

    @translated
    def _data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    @translated
    def _last_log(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]

    @translated
    def changed_elsewhere(self) -> dict[str, set[str]] | None:
        """None when no other connection has committed since the last call; else, from the
        change log, entity kind -> the ids written since (this connection's own writes
        among them too)."""
        version = self._data_version()
        if version == self.version:
            return None
        self.version = version
        touched: dict[str, set[str]] = {}
        last = self.last_log
        for log_id, entity, entity_id in self.conn.execute(
                "SELECT id, entity, entity_id FROM change_log WHERE id > ? ORDER BY id",
                (self.last_log,)):
            touched.setdefault(entity, set()).add(entity_id)
            last = log_id
        self.last_log = last
        return touched
