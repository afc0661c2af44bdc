"""The SQL of a merge: another database read whole and read-only, and bulk writes into ours."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.model import Annotator, Document, Label, Span, span_from_row

from .db import Connection, check_file, quick_check, quiet_reading, translated
from .errors import DatabaseCorrupt, NotADatabaseError, StoreError, translate
from .labels import LABEL_COLUMNS
from .migrations import SCHEMA_VERSION
from .spans import STORED_COLUMNS
from .tables import ChangeLog, chunks, column_list, marks, to_json

CUES_SCHEMA = 7  # labels have cues from this schema on (the last of LABEL_COLUMNS)
# Sources older than this lack what a merge reads (spans without their text: schema 3).
OLDEST_SOURCE = 3
SOURCE_CHECK_SECONDS = 30.0  # a bundle is small; a whole project as a source may take long

SpanRow = tuple  # STORED: uuid, document_id, annotator_uuid, label_uuid, start, end, note,
#                  created, modified
StatusRow = tuple[int, str, str, str]  # document_id, annotator_uuid, status, modified


@dataclass(frozen=True)
class SourceFacts:
    """What a source database says about itself."""

    path: Path
    database_uuid: str | None
    schema: int
    bundle: dict | None  # its `bundle` setting, when it is an annotator's package


class Source:
    """Another Annotator database, open for reading only, never written (no WAL switch, no
    migration). Every read error names the file."""

    def __init__(self, path: Path, conn: Connection, facts: SourceFacts) -> None:
        self.path, self.conn, self.facts = path, conn, facts

    @classmethod
    def open(cls, path: Path) -> Source:
        """Checked as the store checks a file it opens (not an SQLite file, another
        program's, newer, damaged), plus: empty, missing, too old to merge."""
        if not path.exists():
            raise NotADatabaseError(f"{path} does not exist")
        if path.is_file() and path.stat().st_size == 0:
            raise NotADatabaseError(f"{path} is an empty file, not an Annotator database")
        try:
            check_file(path, SCHEMA_VERSION)
        except NotADatabaseError as e:  # its advice is for opening a database, not merging
            said = str(e).replace(" Choose another file with --db.", "")
            raise NotADatabaseError(f"{said} Nothing was merged.") from e
        integrity = quick_check(path, SOURCE_CHECK_SECONDS)
        if integrity.ok is False:
            raise DatabaseCorrupt(f"{path} is damaged ({integrity.summary}); nothing was "
                                  "merged. Ask for the file again.")
        try:
            conn = _reading(path)
        except StoreError as e:
            raise type(e)(f"{path}: {e}") from e
        source = cls(path, conn, SourceFacts(path, None, 0, None))
        try:
            source.facts = source._facts()
        except BaseException:
            conn.close()
            raise
        return source

    def close(self) -> None:
        self.conn.close()

    def _read(self, sql: str, args: Iterable = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, tuple(args)).fetchall()
        except (sqlite3.Error, OSError) as e:
            found = translate(e)
            if found is None:
                if isinstance(e, sqlite3.OperationalError):  # no such table: not ours
                    raise NotADatabaseError(
                        f"{self.path} is not an Annotator database ({e})") from e
                raise
            raise type(found)(f"{self.path}: {found}") from e

    def _facts(self) -> SourceFacts:
        schema = self._read("PRAGMA user_version")[0][0]
        if schema < OLDEST_SOURCE:
            raise NotADatabaseError(
                f"{self.path} is of an old schema (version {schema}): open it once with "
                "this version of Annotator to upgrade it, then merge it")
        settings = dict(self._read(
            "SELECT key, value FROM settings WHERE key IN ('database_uuid', 'bundle')"))
        bundle = None
        if "bundle" in settings:
            try:
                bundle = json.loads(settings["bundle"])
            except ValueError:
                bundle = None
            if not isinstance(bundle, dict):
                raise DatabaseCorrupt(f"{self.path}: its package description (the `bundle` "
                                      "setting) cannot be read")
        return SourceFacts(self.path, settings.get("database_uuid"), schema, bundle)

    def work(self, who: str, idle: float) -> tuple[float, str] | None:
        """(seconds at work, last entry) of one person in this source's change log."""
        from .team import TIME_SPENT, spent

        return spent(self._read(TIME_SPENT, (idle,))).get(who)

    def labels(self) -> list[Label]:
        names = LABEL_COLUMNS if self.facts.schema >= CUES_SCHEMA else LABEL_COLUMNS[:-1]
        return [Label(*r) for r in self._read(
            f"SELECT {column_list(names)} FROM labels ORDER BY position, name")]

    def annotators(self) -> list[Annotator]:
        return [Annotator(*r) for r in self._read("SELECT uuid, name FROM annotators")]

    def documents(self) -> list[tuple[int, str, str]]:
        """(id, uuid, content hash) of every document."""
        return [tuple(r) for r in self._read(
            "SELECT id, uuid, content_hash FROM documents ORDER BY id")]

    def full_documents(self, ids: list[int]) -> list[Document]:
        """These documents whole (texts included), in id order, without their ids."""
        found: list[Document] = []
        for chunk in chunks(ids):
            found += [Document(None, uuid, title, text, content_hash, source_path or "",
                               json.loads(meta or "{}"), bool(sample), created or "")
                      for uuid, title, text, content_hash, source_path, meta, sample, created
                      in self._read(
                          "SELECT uuid, title, text, content_hash, source_path, meta, "
                          f"sample, created FROM documents WHERE id IN ({marks(chunk)}) "
                          "ORDER BY id", chunk)]
        return found

    def spans(self) -> list[SpanRow]:
        return self._read(f"SELECT {STORED_COLUMNS} FROM annotations")

    def statuses(self) -> list[StatusRow]:
        return self._read(
            "SELECT document_id, annotator_uuid, status, modified FROM document_status")

    def deleted_spans(self) -> dict[str, tuple[str, dict]]:
        """Spans the change log says were deleted here and that are not here now (an
        undone deletion puts the same uuid back): uuid -> (when, what the entry says)."""
        found: dict[str, tuple[str, dict]] = {}
        for uuid, at, data in self._read(
                "SELECT entity_id, at, data FROM change_log WHERE entity = 'span' AND "
                "action = 'delete' AND entity_id NOT IN (SELECT uuid FROM annotations) "
                "ORDER BY id"):
            found[uuid] = (at, json.loads(data))
        return found

    def cleared_statuses(self) -> dict[tuple[int, str], str]:
        """(document id, annotator uuid) -> when, for statuses set back to new here (no
        row now), the latest such entry each."""
        found: dict[tuple[int, str], str] = {}
        for data, at in self._read(
                "SELECT data, at FROM change_log WHERE entity = 'document_status' AND "
                "action = 'set-status' ORDER BY id"):
            entry = json.loads(data)
            key = (entry.get("document_id"), entry.get("annotator_uuid"))
            if entry.get("after") == "new":
                found[key] = entry.get("modified") or at
            else:
                found.pop(key, None)
        have = {(d, a) for d, a, _, _ in self.statuses()}
        return {k: v for k, v in found.items() if k not in have}


@translated
def _reading(path: Path) -> Connection:
    """A connection that reads `path` and leaves nothing beside it (no -shm, no -wal: a
    package is the annotator's file), unless a write-ahead log with commits is there."""
    conn = sqlite3.connect(quiet_reading(path), uri=True, isolation_level=None,
                           factory=Connection)
    conn.execute("PRAGMA query_only = ON")
    return conn


class MergeTarget:
    """The database merged into: bulk reads of what a source touches, and its writes,
    inside the transaction the merge opened."""

    def __init__(self, conn: sqlite3.Connection, log: ChangeLog) -> None:
        self.conn, self.log = conn, log

    @translated
    def spans(self, uuids: Iterable[str]) -> dict[str, SpanRow]:
        found: dict[str, SpanRow] = {}
        for chunk in chunks(list(uuids)):
            found.update((r[0], r) for r in self.conn.execute(
                f"SELECT {STORED_COLUMNS} FROM annotations WHERE uuid IN ({marks(chunk)})",
                chunk))
        return found

    @translated
    def statuses(self, doc_ids: Iterable[int]) -> dict[tuple[int, str], tuple[str, str]]:
        """(document id, annotator uuid) -> (status, modified)."""
        found: dict[tuple[int, str], tuple[str, str]] = {}
        for chunk in chunks(sorted(set(doc_ids))):
            found.update(((d, a), (s, m)) for d, a, s, m in self.conn.execute(
                "SELECT document_id, annotator_uuid, status, modified FROM document_status "
                f"WHERE document_id IN ({marks(chunk)})", chunk))
        return found

    @translated
    def set_statuses(self, rows: list[tuple[int, str, str, str, str]], who: str | None
                     ) -> None:
        """Rows of (document id, annotator uuid, before, after, modified); after "new"
        removes the row. Logged as the store logs a status set by hand."""
        if not rows:
            return
        self.conn.executemany(
            "DELETE FROM document_status WHERE document_id = ? AND annotator_uuid = ?",
            [(d, a) for d, a, _, after, _ in rows if after == "new"])
        self.conn.executemany(
            "INSERT INTO document_status (document_id, annotator_uuid, status, modified) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(document_id, annotator_uuid) DO UPDATE SET "
            "status = excluded.status, modified = excluded.modified",
            [(d, a, after, m) for d, a, _, after, m in rows if after != "new"])
        self.log.write_many(who, "set-status", "document_status", (
            (f"{d}:{a}", to_json({"document_id": d, "annotator_uuid": a, "before": before,
                                  "after": after, "modified": m}))
            for d, a, before, after, m in rows))

    @translated
    def record(self, who: str | None, source_uuid: str, summary: dict) -> None:
        """The merge's own entry: where from, and what it did (the provenance)."""
        self.log.write(who, "merge", "database", source_uuid, summary)


def span_of_row(row: SpanRow) -> Span:
    """A span of a stored row without its text (a merge writes rows, never texts)."""
    return span_from_row((*row[:6], "", *row[6:]))
