"""Writing an annotator's package: a new database of the current schema holding one
annotator's documents, the label set, the guidelines and that annotator, written under a
temporary name beside the target and moved into place only when complete."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.bundle import BUNDLE_KEY
from annotator.domain.errors import StoreError

from . import db
from .database import Store
from .documents import INDEX_PAUSED
from .labels import LABEL_COLUMNS
from .search import SEARCH_TABLE
from .settings import SAMPLES_SEEDED
from .spans import STORED, STORED_COLUMNS
from .tables import chunks, column_list, marks, reading, to_json

_DOCUMENT_COLUMNS = ("id", "uuid", "content_hash", "title", "source_path", "text", "meta",
                     "sample", "created")
_PARTIAL = ".partial"


@dataclass(frozen=True)
class Written:
    documents: int
    spans: int
    statuses: int
    labels: int


class BundleExists(StoreError):
    """The file a bundle was to be written to is there already (and --force not given)."""


def write_bundle(source: Store, target: Path, annotator: tuple[str, str],
                 doc_ids: list[int], guidelines_version: int | None, info: dict,
                 force: bool = False) -> Written:
    """Write the bundle of `annotator` (uuid, name) with these documents to `target`.
    Refuses a target that exists unless `force`, and the source database itself; on any
    error nothing is left at `target` (or what was there stays)."""
    target = Path(target).expanduser()
    if target.exists() and target.is_dir():
        raise StoreError(f"{target} is a folder; give the package a file name")
    if source.path != ":memory:" and target.exists() and \
            target.resolve() == Path(source.path).resolve():
        raise StoreError("a package cannot be written over the database it is made from")
    if target.exists() and not force:
        raise BundleExists(f"{target} already exists; choose another name, or replace it "
                           "with --force")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"no package can be written to {target}: {e.strerror or e}") from e
    partial = target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}"
                               f"{_PARTIAL}")
    try:
        bundle = Store.open(partial, Path(os.devnull))  # a new file: no backups are made
        try:
            written = _fill(source, bundle, annotator, doc_ids, guidelines_version, info)
        finally:
            bundle.close()
        _replace(partial, target)
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + s)
                                    for s in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
    return written


@db.translated
def _replace(partial: Path, target: Path) -> None:
    os.replace(partial, target)


@db.translated
def _fill(source: Store, bundle: Store, annotator: tuple[str, str], doc_ids: list[int],
          guidelines_version: int | None, info: dict) -> Written:
    src, out = source.conn, bundle.conn
    who = annotator[0]
    spans = statuses = 0
    with db.transaction(out):
        # A new database's own beginnings (the default labels, their log entries) give way
        # to the project's: the bundle's change log then holds its annotator's work only.
        out.execute("DELETE FROM labels")
        out.execute("DELETE FROM change_log")
        out.execute("INSERT INTO annotators (uuid, name) VALUES (?, ?)", annotator)
        out.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, '1')",
                    (INDEX_PAUSED,))
        with reading(src):  # one moment of the source
            labels = src.execute(f"SELECT {column_list(LABEL_COLUMNS)} FROM labels").fetchall()
            out.executemany(f"INSERT INTO labels ({column_list(LABEL_COLUMNS)}) "
                            f"VALUES ({marks(list(LABEL_COLUMNS))})", labels)
            for chunk in chunks(doc_ids):
                out.executemany(
                    f"INSERT INTO documents ({column_list(_DOCUMENT_COLUMNS)}) "
                    f"VALUES ({marks(list(_DOCUMENT_COLUMNS))})",
                    src.execute(f"SELECT {column_list(_DOCUMENT_COLUMNS)} FROM documents "
                                f"WHERE id IN ({marks(chunk)})", chunk).fetchall())
                rows = src.execute(
                    f"SELECT {STORED_COLUMNS} FROM annotations WHERE annotator_uuid = ? "
                    f"AND document_id IN ({marks(chunk)})", (who, *chunk)).fetchall()
                out.executemany(f"INSERT INTO annotations ({STORED_COLUMNS}) "
                                f"VALUES ({marks(list(STORED))})", rows)
                spans += len(rows)
                rows = src.execute(
                    "SELECT document_id, annotator_uuid, status, modified FROM "
                    "document_status WHERE annotator_uuid = ? "
                    f"AND document_id IN ({marks(chunk)})", (who, *chunk)).fetchall()
                out.executemany("INSERT INTO document_status (document_id, annotator_uuid, "
                                "status, modified) VALUES (?, ?, ?, ?)", rows)
                statuses += len(rows)
                rows = src.execute(
                    "SELECT document_id, annotator_uuid, plan_uuid FROM assignments "
                    f"WHERE annotator_uuid = ? AND document_id IN ({marks(chunk)})",
                    (who, *chunk)).fetchall()
                out.executemany("INSERT INTO assignments (document_id, annotator_uuid, "
                                "plan_uuid) VALUES (?, ?, ?)", rows)
            plans = [r[0] for r in out.execute("SELECT DISTINCT plan_uuid FROM assignments")]
            if plans:
                out.executemany(
                    "INSERT INTO assignment_plans (uuid, created, seed, mode, value, "
                    "annotators, query) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    src.execute("SELECT uuid, created, seed, mode, value, annotators, query "
                                f"FROM assignment_plans WHERE uuid IN ({marks(plans)})",
                                plans).fetchall())
            if guidelines_version is not None:
                out.executemany(
                    "INSERT INTO guidelines (version, text, created, author_uuid) "
                    "VALUES (?, ?, ?, ?)",
                    src.execute("SELECT version, text, created, author_uuid FROM guidelines "
                                "WHERE version = ?", (guidelines_version,)).fetchall())
        out.execute("DELETE FROM settings WHERE key = ?", (INDEX_PAUSED,))
        # Indexed for search in one statement (row by row, FTS5 merges its segments over
        # and over); the notes of the spans carried along, likewise.
        out.execute(f"INSERT INTO {SEARCH_TABLE} (rowid, title, text) "
                    "SELECT id, title, text FROM documents")
        out.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                        [(BUNDLE_KEY, to_json(info)), (SAMPLES_SEEDED, "1")])
    return Written(len(doc_ids), spans, statuses, len(labels))
