"""Settings that belong to the database and everyone who opens it: its identity, team policy."""

from __future__ import annotations

from .db import translated, writing
from .tables import Table

DATABASE_UUID = "database_uuid"  # made by a migration: this database's identity
SAMPLES_SEEDED = "samples_seeded"  # "1": the sample reviews were imported once (never again)
BLIND_POLICY = "team_policy.blind_annotation"  # "1": annotators see only their own spans
# Per-user state kept here by earlier versions; the workspace moves it to the user's own
# settings on first open (see Settings.take).
LEGACY_USER_KEYS = ("current_annotator", "last_document", "adjudicator")


class Settings(Table):
    @translated
    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @translated
    def set(self, key: str, value: str) -> None:
        with writing(self.conn):
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    @translated
    def take(self, keys: tuple[str, ...]) -> dict[str, str]:
        """Read and remove these keys (the ones present); no write when none is there."""
        found = {key: value for key in keys
                 if (value := self.get(key)) is not None}
        if found:
            with writing(self.conn):
                self.conn.executemany("DELETE FROM settings WHERE key = ?",
                                      [(key,) for key in found])
        return found

    @property
    def database_uuid(self) -> str:
        value = self.get(DATABASE_UUID)
        assert value is not None, "migration 2 gives every database its uuid"
        return value
