"""What the About box and a bug report say of the open database: where it and its backups
are, and the schema it is at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DatabaseFacts:
    path: Path  # the database file
    schema_version: int
    backups: Path  # this database's own backup folder
    user_state: Path  # who I am in it, the last document (per person, not in the database)
    data_folder: Path  # where Annotator keeps databases and backups by default
