"""The Store: one open database, its tables' repositories, transactions and closing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import db
from .db import check_file, connect, transaction, translated
from .documents import Documents
from .labels import Annotators, Labels
from .migrations import SCHEMA_VERSION, migrate
from .settings import Settings
from .spans import Spans
from .status import Statuses
from .tables import ChangeLog


class Store:
    """One open database. Construct with `Store.open(path)`; the repositories are its
    attributes: documents, spans, labels, annotators, statuses, log, settings."""

    def __init__(self, database, path: str) -> None:
        self.db = database
        self.conn = database.conn
        self.path = path
        self.closed = False
        self.log = ChangeLog(self.conn)
        self.spans = Spans(self.conn, self.log)
        self.statuses = Statuses(self.conn, self.log)
        self.documents = Documents(self.conn, self.log, self.spans, self.statuses)
        self.labels = Labels(self.conn, self.log, self.spans)
        self.annotators = Annotators(self.conn, self.log)
        self.settings = Settings(self.conn, self.log)

    @classmethod
    @translated
    def open(cls, path: Path | str) -> Store:
        """Open or create; raises StoreError for files that are not ours to touch."""
        if str(path) != ":memory:":
            check_file(Path(path), SCHEMA_VERSION)
        database = connect(path)
        try:
            migrate(database)
        except BaseException:
            database.conn.close()
            raise
        return cls(database, str(path))

    def close(self) -> None:
        """Checkpoint and close: the .db file alone then holds every edit. Again: nothing."""
        if not self.closed:
            self.closed = True
            db.close(self.conn)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with transaction(self.conn):
            yield

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """For a large import: the write-ahead log is copied into the database every 80 MB
        instead of every 4 MB, which saves a third of the time; copied at the end."""
        self._pragma("PRAGMA wal_autocheckpoint = 20000")
        try:
            yield
        finally:
            self._pragma("PRAGMA wal_autocheckpoint = 1000")
            if not self.conn.in_transaction:
                self._pragma("PRAGMA wal_checkpoint(PASSIVE)")

    @translated
    def _pragma(self, sql: str) -> None:
        self.conn.execute(sql)
