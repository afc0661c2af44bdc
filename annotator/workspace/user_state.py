"""One person's state in each database they open, kept in their own settings file (keyed by
the database's UUID), never in the shared database: who they are there, where they were."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.paths import user_state_path

log = logging.getLogger(__name__)

_VERSION = 1
LOCK_WAIT = 2.0  # seconds to wait for another Annotator saving the same file
STALE_LOCK = 10.0  # a lock older than this was left by a program that died


class UserState:
    """The settings file, read once; each change written through at once: read again,
    changed, written under a temporary name and moved into place, under a lock file, so two
    Annotator windows saving at once keep each other's changes.

    If the file cannot be read (damaged) it is kept aside as `.bak` and a new one begun; if
    it cannot be written, `problem` says so for the window to show: who you are is then
    remembered only until the program ends."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else user_state_path()
        self.problem = ""
        self._data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        fresh: dict[str, Any] = {"version": _VERSION, "databases": {}}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return fresh
        except OSError as e:
            self._trouble(f"your settings file {self.path} cannot be read ({e.strerror})")
            return fresh
        except ValueError:
            self._set_aside()
            return fresh
        if not isinstance(data, dict) or not isinstance(data.get("databases"), dict):
            self._set_aside()
            return fresh
        return data

    def _set_aside(self) -> None:
        """A damaged file is kept as .bak (it may be mended by hand), not written over."""
        aside = self.path.with_name(self.path.name + ".bak")
        try:
            os.replace(self.path, aside)
            log.warning("the settings file %s was damaged; kept as %s", self.path, aside)
        except OSError as e:
            self._trouble(f"your settings file {self.path} is damaged and cannot be moved "
                          f"aside ({e.strerror})")

    def _trouble(self, message: str) -> None:
        log.warning("%s", message)
        self.problem = message

    def of(self, database_uuid: str) -> dict[str, Any]:
        """This person's state in one database (a copy; change it with `update`)."""
        found = self._data["databases"].get(database_uuid)
        return dict(found) if isinstance(found, dict) else {}

    def update(self, database_uuid: str, **values: Any) -> bool:
        """Set (or, with None, remove) values for one database, and save; False if the file
        could not be written (the values are kept for this run all the same)."""
        with self._locked() as locked:
            if locked:
                self._data = self._read()
            state = self.of(database_uuid)
            for key, value in values.items():
                if value is None:
                    state.pop(key, None)
                else:
                    state[key] = value
            if state == self.of(database_uuid) and self.path.exists():
                return True
            self._data["databases"][database_uuid] = state
            return locked and self._save()

    @contextmanager
    def _locked(self) -> Iterator[bool]:
        """A lock file beside the settings: True while held (False if it cannot be made)."""
        lock = self.path.with_name(self.path.name + ".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self._trouble(f"your settings folder {self.path.parent} cannot be made "
                          f"({e.strerror})")
            yield False
            return
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                break
            except FileExistsError:
                try:
                    if time.time() - lock.stat().st_mtime > STALE_LOCK:
                        lock.unlink(missing_ok=True)
                        continue
                except OSError:
                    continue
                if time.monotonic() > deadline:
                    lock.unlink(missing_ok=True)  # its owner is stuck: take it over
                    continue
                time.sleep(0.01)
            except OSError as e:
                self._trouble(f"your settings file {self.path} cannot be written "
                              f"({e.strerror})")
                yield False
                return
        try:
            yield True
        finally:
            lock.unlink(missing_ok=True)

    def _save(self) -> bool:
        """Written under a temporary name and moved into place: never half a file."""
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".databases-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self._data, out, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        except OSError as e:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            self._trouble(f"your settings file {self.path} cannot be written ({e.strerror}): "
                          "who you are here is remembered only until Annotator closes")
            return False
        self.problem = ""
        return True
