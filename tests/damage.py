"""Damage to a database file, for tests: as a bad disk or a killed copy would leave it."""

import sqlite3


def damage_an_index(path, journal_mode: str | None = None) -> None:
    """Overwrite part of the change log's index page: every table still reads, and only a
    check finds the damage. `journal_mode` ("DELETE"): set first, as a backup file has."""
    conn = sqlite3.connect(path)
    if journal_mode:
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                        "'idx_change_log_entity_entity_id'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 64)
