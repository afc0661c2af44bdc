"""Where Annotator keeps its data by default (platform conventions, via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

DB_ENV = "ANNOTATOR_DB"


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
