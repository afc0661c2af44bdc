"""Where Annotator keeps its data by default (platform conventions, via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

DB_ENV = "ANNOTATOR_DB"
BACKUPS_ENV = "ANNOTATOR_BACKUPS"


def default_db_path() -> Path:
    return user_data_path("Annotator", appauthor=False) / "annotator.db"


def resolve_db_path(option: str | None) -> Path:
    """--db, else $ANNOTATOR_DB, else the user data folder."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def user_state_path() -> Path:
    """Each person's own state per database (who I am there, the last document): kept
    apart from the shared database, so a database handed on carries nobody's identity."""
    return user_config_path("Annotator", appauthor=False) / "databases.json"


def backups_path() -> Path:
    """Where backups are kept: one folder per database (named by its UUID) inside this one.
    In the user data folder, not beside the database: a backup must survive the loss of
    the folder the database is in. $ANNOTATOR_BACKUPS puts them elsewhere."""
    env = os.environ.get(BACKUPS_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_path("Annotator", appauthor=False) / "backups"
