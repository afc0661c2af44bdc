"""Schema changes, one numbered step each; PRAGMA user_version records the last step applied."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator import bundled
from annotator.domain.model import GOLD, new_uuid, now_iso

from .db import transaction
from .errors import StoreError
from .search import (
    INDEX_PAUSED,
    NOTES_INSERT_TRIGGER,
    NOTES_TABLE,
    SEARCH_TABLE,
    TOKENIZER,
    notes_of,
)

if TYPE_CHECKING:
    import sqlite_utils


def _sqlite_utils(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over this connection, imported only when a step has work to do: opening
    a database that is up to date needs none of it (60-130 ms of start-up here).

    sqlite-utils imports pandas and numpy when they are installed (0.35 s more), only to
    convert their values on insert, which Annotator never gives it: it is imported with
    them hidden (a None in sys.modules is an ImportError); the rest of the program imports
    them as usual, when it needs them."""
    hidden = [] if "sqlite_utils" in sys.modules else [
        name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils.Database(conn)


def _step_1(db: sqlite_utils.Database) -> None:
    db.table("documents").create(
        {
            "id": int, "uuid": str, "content_hash": str, "title": str, "source_path": str,
            "text": str, "meta": str, "sample": int, "created": str,
        },
        pk="id",
        not_null={"uuid", "content_hash", "title", "text", "meta", "sample", "created"},
        defaults={"meta": "{}", "sample": 0, "source_path": ""},
    )
    db.table("documents").create_index(["uuid"], unique=True)
    db.table("documents").create_index(["content_hash"], unique=True)

    db.table("labels").create(
        {"uuid": str, "name": str, "colour": str, "shortcut": str, "description": str,
         "position": int},
        pk="uuid",
        not_null={"name", "colour", "position"},
        defaults={"shortcut": "", "description": ""},
    )
    db.table("labels").create_index(["name"], unique=True)

    db.table("annotators").create({"uuid": str, "name": str}, pk="uuid", not_null={"name"})
    db.table("annotators").create_index(["name"], unique=True)

    db.table("annotations").create(
        {
            "uuid": str, "document_id": int, "annotator_uuid": str, "label_uuid": str,
            "start": int, "end": int, "text": str, "note": str, "created": str, "modified": str,
        },
        pk="uuid",
        not_null={"document_id", "annotator_uuid", "label_uuid", "start", "end", "text",
                  "created", "modified"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("annotator_uuid", "annotators", "uuid"),
            ("label_uuid", "labels", "uuid"),
        ],
    )
    db.table("annotations").create_index(["document_id", "annotator_uuid"])
    db.table("annotations").create_index(["label_uuid"])

    db.table("document_status").create(
        {"document_id": int, "annotator_uuid": str, "status": str, "modified": str},
        pk=("document_id", "annotator_uuid"),
        not_null={"status", "modified"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("annotator_uuid", "annotators", "uuid"),
        ],
    )

    # Append-only: nothing in the code updates or deletes these rows.
    db.table("change_log").create(
        {"id": int, "at": str, "who": str, "action": str, "entity": str, "entity_id": str,
         "data": str},
        pk="id",
        not_null={"at", "action", "entity", "entity_id", "data"},
    )
    db.table("change_log").create_index(["entity", "entity_id"])

    db.table("settings").create({"key": str, "value": str}, pk="key", not_null={"value"})

    labels = [
        {"uuid": new_uuid(), "position": i, **{k: label.get(k, "") for k in
         ("name", "colour", "shortcut", "description")}}
        for i, label in enumerate(bundled.default_labels())
    ]
    db.table("labels").insert_all(labels)
    db.table("change_log").insert_all(
        {"at": now_iso(), "who": None, "action": "add", "entity": "label",
         "entity_id": label["uuid"],
         "data": json.dumps({"name": label["name"], "colour": label["colour"]})}
        for label in labels
    )


def _step_2(db: sqlite_utils.Database) -> None:
    """The database gets an identity of its own; gold becomes the reserved annotator with
    the same UUID everywhere (an annotator named "gold" is re-keyed, spans and statuses
    with it); the blind-annotation setting is named as the team policy it is."""
    conn = db.conn
    stamp = now_iso()
    conn.execute("INSERT INTO settings (key, value) VALUES ('database_uuid', ?)", (new_uuid(),))
    old = conn.execute("SELECT uuid FROM annotators WHERE name = ?", (GOLD.name,)).fetchone()
    if old is not None and old[0] != GOLD.uuid:
        # Names are unique: the old row gives up its name, gold takes it, the rows that refer
        # to the old uuid follow, and the old row goes. The change log, append-only, keeps
        # the old uuid; its "rekey" entry says where it went.
        conn.execute("UPDATE annotators SET name = ? WHERE uuid = ?",
                     (f"\x00re-keyed {old[0]}", old[0]))
        conn.execute("INSERT INTO annotators (uuid, name) VALUES (?, ?)",
                     (GOLD.uuid, GOLD.name))
        for table in ("annotations", "document_status"):
            conn.execute(f"UPDATE {table} SET annotator_uuid = ? WHERE annotator_uuid = ?",
                         (GOLD.uuid, old[0]))
        # Someone adjudicating when the old version closed resumes as gold: the per-user
        # keys older versions kept here (moved out by the workspace) follow the new uuid.
        conn.execute("UPDATE settings SET value = ? WHERE key = 'current_annotator' "
                     "AND value = ?", (GOLD.uuid, old[0]))
        conn.execute("DELETE FROM annotators WHERE uuid = ?", (old[0],))
        conn.execute(
            "INSERT INTO change_log (at, who, action, entity, entity_id, data) "
            "VALUES (?, NULL, 'rekey', 'annotator', ?, ?)",
            (stamp, old[0], json.dumps({"name": GOLD.name, "uuid": GOLD.uuid})))
    elif old is None:
        conn.execute("INSERT INTO annotators (uuid, name) VALUES (?, ?)",
                     (GOLD.uuid, GOLD.name))
        conn.execute(
            "INSERT INTO change_log (at, who, action, entity, entity_id, data) "
            "VALUES (?, NULL, 'add', 'annotator', ?, ?)",
            (stamp, GOLD.uuid, json.dumps({"name": GOLD.name})))
    conn.execute("UPDATE settings SET key = 'team_policy.blind_annotation' WHERE key = 'blind'")


def _step_3(db: sqlite_utils.Database) -> None:
    """Spans keep their offsets, not a copy of their text: the document holds it (a copy
    in every row and log entry made 20,000 spans over a 50 KB review a 2 GB database). And
    the change log records, once, what its earlier entries left out (each label's shortcut,
    description and position; each status's time), so that replaying it rebuilds the
    annotations exactly (store.replay)."""
    conn = db.conn
    # In place, not by a rebuilt table: the user's own indexes, triggers and views on it
    # stay (a view that reads the column itself stops the upgrade; see migrate).
    conn.execute("ALTER TABLE annotations DROP COLUMN text")
    stamp = now_iso()
    log = ("INSERT INTO change_log (at, who, action, entity, entity_id, data) "
           "VALUES (?, NULL, 'baseline', ?, ?, ?)")
    conn.executemany(log, (
        (stamp, "label", uuid, json.dumps(
            {"name": name, "colour": colour, "shortcut": shortcut or "",
             "description": description or "", "position": position}, ensure_ascii=False))
        for uuid, name, colour, shortcut, description, position in conn.execute(
            "SELECT uuid, name, colour, shortcut, description, position FROM labels "
            "ORDER BY position, name").fetchall()))
    conn.executemany(log, (
        (stamp, "document_status", f"{doc_id}:{who}", json.dumps(
            {"document_id": doc_id, "annotator_uuid": who, "status": status,
             "modified": modified}))
        for doc_id, who, status, modified in conn.execute(
            "SELECT document_id, annotator_uuid, status, modified FROM document_status "
            "ORDER BY document_id, annotator_uuid").fetchall()))


def _step_4(db: sqlite_utils.Database) -> None:
    """Full-text search over documents' titles and texts (store.search): an FTS5 index
    that keeps no copy of the texts (external content: snippets read the documents
    table), kept in step by triggers, so every write (the store's, or another program's)
    updates it; filled here for the documents already stored. A bulk add indexes its rows
    itself, in one statement (see search.INDEX_PAUSED).

    External content, not contentless: the same size (41 MB for 100,000 short reviews),
    and snippets work. No prefix index: at 100,000 reviews "harb*" finds its 5,000
    reviews in under 2 ms without one, and one made the index 70 MB larger and its
    build 3.5 times slower."""
    conn = db.conn
    conn.execute(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(title, text, content='documents', "
        f"content_rowid='id', tokenize='{TOKENIZER}')")
    conn.execute(
        f"CREATE TRIGGER {SEARCH_TABLE}_insert AFTER INSERT ON documents "
        f"WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = '{INDEX_PAUSED}') BEGIN "
        f"INSERT INTO {SEARCH_TABLE} (rowid, title, text) "
        "VALUES (new.id, new.title, new.text); END")
    conn.execute(
        f"CREATE TRIGGER {SEARCH_TABLE}_delete AFTER DELETE ON documents BEGIN "
        f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END")
    conn.execute(
        f"CREATE TRIGGER {SEARCH_TABLE}_update AFTER UPDATE OF id, title, text ON documents "
        f"BEGIN INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        f"INSERT INTO {SEARCH_TABLE} (rowid, title, text) "
        "VALUES (new.id, new.title, new.text); END")
    conn.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('rebuild')")


def _step_5(db: sqlite_utils.Database) -> None:
    """Span notes are searched too, the document list's filters (label, annotator,
    status, has a note, disagreement) read indexes, and so does its paging.

    The notes are indexed one row per document (its id the row's), all its spans' notes in
    it: a search finds documents, and a note edit re-indexes a few lines, not the
    document's text (re-indexing a 10 MB review on each note would be felt). A table of
    its own, not a third column of documents_search: that would re-index the whole text
    on every note. It keeps its own copy of the notes (small), so removing a row never
    depends on reading back what was indexed. Triggers keep it in step with every write;
    a bulk add of spans indexes its documents in one statement (see
    search.NOTES_INSERT_TRIGGER)."""
    conn = db.conn
    conn.execute(f"CREATE VIRTUAL TABLE {NOTES_TABLE} USING fts5(notes, "
                 f"tokenize='{TOKENIZER}')")
    conn.execute(NOTES_INSERT_TRIGGER)
    conn.execute(
        f"CREATE TRIGGER {NOTES_TABLE}_delete AFTER DELETE ON annotations "
        f"WHEN old.note IS NOT NULL BEGIN {notes_of('old.document_id')} END")
    conn.execute(
        f"CREATE TRIGGER {NOTES_TABLE}_update AFTER UPDATE OF note, document_id ON "
        "annotations WHEN old.note IS NOT new.note OR old.document_id != new.document_id "
        f"BEGIN {notes_of('old.document_id')} {notes_of('new.document_id')} END")
    conn.execute(
        f"INSERT INTO {NOTES_TABLE} (rowid, notes) SELECT document_id, "
        "group_concat(note, char(10)) FROM annotations WHERE note IS NOT NULL "
        "GROUP BY document_id")
    # The filters: documents with spans of a label (the label's index, made covering:
    # 60 ms instead of 115 for 80,000 of 100,000 reviews), by an annotator, with a note,
    # with a status. The label index is looked for by its columns: a user's copy of the
    # database may have had it renamed.
    for name, in conn.execute(
            "SELECT il.name FROM pragma_index_list('annotations') il WHERE il.origin = 'c' "
            "AND (SELECT group_concat(name) FROM pragma_index_info(il.name)) = 'label_uuid'"
    ).fetchall():
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("CREATE INDEX annotations_by_label ON annotations (label_uuid, document_id)")
    conn.execute("CREATE INDEX annotations_by_annotator ON annotations "
                 "(annotator_uuid, document_id)")
    conn.execute("CREATE INDEX annotations_with_note ON annotations (document_id) "
                 "WHERE note IS NOT NULL")
    conn.execute("CREATE INDEX document_status_by_status ON document_status "
                 "(annotator_uuid, status, document_id)")
    # The list in the order of import, read a page at a time (Documents.ids_page, .rank):
    # the table itself holds the texts, so an OFFSET over it reads them all (17 ms to reach
    # row 100,000); over this index, 1 ms.
    conn.execute("CREATE INDEX documents_in_order ON documents (id)")


def _step_6(db: sqlite_utils.Database) -> None:
    """Team work (issue 16): the project's guidelines, one row per version (Markdown; the
    newest is the one in force, and every bundle says which one its annotator saw); the
    assignment plans the lead made (seed, mode, the annotators as a JSON list of UUIDs,
    the document query); and who has which document. A document deleted takes its
    assignments with it (ON DELETE CASCADE: foreign keys are on in every connection)."""
    conn = db.conn
    conn.execute("CREATE TABLE guidelines (version INTEGER PRIMARY KEY, text TEXT NOT NULL, "
                 "created TEXT NOT NULL, author_uuid TEXT)")
    conn.execute("CREATE TABLE assignment_plans (uuid TEXT PRIMARY KEY, created TEXT NOT "
                 "NULL, seed INTEGER NOT NULL, mode TEXT NOT NULL, value REAL NOT NULL, "
                 "annotators TEXT NOT NULL, query TEXT)")
    conn.execute("CREATE TABLE assignments (document_id INTEGER NOT NULL REFERENCES "
                 "documents(id) ON DELETE CASCADE, annotator_uuid TEXT NOT NULL REFERENCES "
                 "annotators(uuid), plan_uuid TEXT NOT NULL, "
                 "PRIMARY KEY (document_id, annotator_uuid))")
    conn.execute("CREATE INDEX assignments_by_annotator ON assignments "
                 "(annotator_uuid, document_id)")


def _step_7(db: sqlite_utils.Database) -> None:
    """Suggestions (issue 17): each label's cues (lines of text, travelling with the label
    set into packages); and what the recommenders proposed to whom, with what became of
    it. A place (annotator, document, label, offsets) is proposed once: a rejection or an
    acceptance stays, and the same proposal made again is ignored. Suggestions are not
    annotations: nothing that reads spans reads this table.

    Ids are never reused (AUTOINCREMENT): an undo names its suggestion by id, and a
    refresh deletes open ones. A label deleted keeps its suggestions (hidden while it is
    gone): undoing the deletion brings back its rejections with it."""
    conn = db.conn
    conn.execute("ALTER TABLE labels ADD COLUMN cues TEXT NOT NULL DEFAULT ''")
    conn.execute(
        "CREATE TABLE suggestions (id INTEGER PRIMARY KEY AUTOINCREMENT, document_id "
        "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, annotator_uuid TEXT "
        "NOT NULL, recommender TEXT NOT NULL, label_uuid TEXT NOT NULL, "
        'start INTEGER NOT NULL, "end" INTEGER NOT NULL, '
        "score REAL NOT NULL, status TEXT NOT NULL DEFAULT 'open' CHECK (status IN "
        "('open', 'accepted', 'rejected')), why TEXT NOT NULL DEFAULT '', "
        "created TEXT NOT NULL, decided_by TEXT, decided TEXT, span_uuid TEXT)")
    conn.execute('CREATE UNIQUE INDEX suggestions_by_place ON suggestions (annotator_uuid, '
                 'document_id, label_uuid, start, "end")')


STEPS: list[Callable[[sqlite_utils.Database], None]] = [_step_1, _step_2, _step_3, _step_4,
                                                        _step_5, _step_6, _step_7]
SCHEMA_VERSION = len(STEPS)


def migrate(conn: sqlite3.Connection,
            before: Callable[[int, int], None] | None = None) -> int:
    """Apply every step not yet applied, each in its own transaction. Returns the version.

    The version is read again inside each step's write transaction: two programs opening a
    new database at once take turns, and the second finds the step done.

    `before(version, SCHEMA_VERSION)` is called once, before the first step that changes
    an existing database (one that has a version already: a new one has nothing to lose):
    it makes the backup, and an error it raises stops the upgrade before any step."""
    db = None
    for number, step in enumerate(STEPS, start=1):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= number:
            continue
        if before is not None and version > 0:
            before(version, SCHEMA_VERSION)
            before = None
        try:
            with transaction(conn):
                if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue  # another program applied it while this one waited
                db = db or _sqlite_utils(conn)
                step(db)
                conn.execute(f"PRAGMA user_version = {number}")
        except sqlite3.Error as e:  # rolled back: the database is as it was
            hint = (" A view or trigger of your own that reads what the upgrade changes "
                    "stops it: drop or change it, and open the database again."
                    if " in view " in str(e) or " in trigger " in str(e) else "")
            raise StoreError(f"the database could not be upgraded from schema {version} "
                             f"to {number} ({e}); it was left as it was.{hint}") from e
    return SCHEMA_VERSION


def version_of(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]
