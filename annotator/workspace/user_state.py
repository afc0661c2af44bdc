"""One person's state in each database they open, kept in their own settings file (keyed by
the database's UUID), never in the shared database: who they are there, where they were."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from annotator.paths import user_state_path

log = logging.getLogger(__name__)

_VERSION = 1


class UserState:
    """The settings file, read once; each change written through at once (atomically)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_state_path()
        self._data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"version": _VERSION, "databases": {}}
        except (OSError, ValueError) as e:  # damaged or unreadable: start afresh, say so
            log.warning("ignoring the unreadable settings file %s: %s", self.path, e)
            return {"version": _VERSION, "databases": {}}
        if not isinstance(data, dict) or not isinstance(data.get("databases"), dict):
            return {"version": _VERSION, "databases": {}}
        return data

    def of(self, database_uuid: str) -> dict[str, Any]:
        """This person's state in one database (a copy; change it with `update`)."""
        found = self._data["databases"].get(database_uuid)
        return dict(found) if isinstance(found, dict) else {}

    def update(self, database_uuid: str, **values: Any) -> None:
        """Set (or, with None, remove) values for one database, and save. The file is read
        again first: another Annotator window may have saved its own databases' state."""
        self._data = self._read()
        state = self.of(database_uuid)
        for key, value in values.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        if state == self.of(database_uuid):
            return
        self._data["databases"][database_uuid] = state
        self._save()

    def _save(self) -> None:
        """Written under a temporary name and moved into place: never half a file. A
        settings file that cannot be written (a read-only home) costs only convenience."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".databases-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self._data, out, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        except OSError as e:
            log.warning("could not save %s: %s", self.path, e)
