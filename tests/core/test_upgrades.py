"""Upgrades (issue 14, guarantee 5): a database of every released schema, made by the code
that released it (tests/fixtures/schema-N.sql, see make_schema_fixtures.py), is upgraded to
the current schema with its data intact, after a backup of it as it was; a newer one is
refused, naming both versions, and left untouched."""

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.domain.errors import DiskFull, NewerSchemaError, StoreError
from annotator.domain.model import GOLD_UUID
from annotator.domain.text import content_hash
from annotator.store import backup as backup_module
from annotator.store.database import Store
from annotator.store.migrations import SCHEMA_VERSION

FIXTURES = Path(__file__).parent.parent / "fixtures"
RELEASED = sorted(int(p.stem.split("-")[1]) for p in FIXTURES.glob("schema-*.sql"))



def load(version: int, path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / f"schema-{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def rows(path: Path) -> dict:
    """What the user made, in the words of any schema: read with plain SQL."""
    conn = sqlite3.connect(path)
    q = conn.execute
    names = dict(q("SELECT uuid, name FROM annotators").fetchall())
    labels = dict(q("SELECT uuid, name FROM labels").fetchall())
    texts = dict(q("SELECT id, text FROM documents").fetchall())
    found = {
        "documents": q("SELECT id, uuid, title, text, content_hash, source_path, meta "
                       "FROM documents ORDER BY id").fetchall(),
        "spans": sorted((uuid, doc, names[who], labels[label], start, end,
                         texts[doc][start:end], note)
                        for uuid, doc, who, label, start, end, note in q(
                            'SELECT uuid, document_id, annotator_uuid, label_uuid, start, '
                            '"end", note FROM annotations')),
        "statuses": sorted((doc, names[who], status) for doc, who, status in q(
            "SELECT document_id, annotator_uuid, status FROM document_status")),
        "labels": q("SELECT name, colour, shortcut, description, position FROM labels "
                    "ORDER BY position").fetchall(),
        "annotators": sorted(names.values()),
    }
    conn.close()
    return found


def test_there_is_a_fixture_of_every_released_schema():
    assert RELEASED == list(range(1, len(RELEASED) + 1)) and RELEASED[:2] == [1, 2]
    assert RELEASED[-1] <= SCHEMA_VERSION


@pytest.mark.parametrize("version", RELEASED)
def test_every_released_schema_is_upgraded_with_its_data_intact(version, tmp_path,
                                                                 backups_folder):
    path = load(version, tmp_path / f"schema-{version}.db")
    before = rows(path)
    original = path.read_bytes()
    assert before["spans"] and before["statuses"] and len(before["documents"]) == 4

    store = Store.open(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.check().ok
        uuid = store.uuid
        upgraded = [b for b in store.backups.all() if b.kind == "before-upgrade"]
    finally:
        store.close()
    after = rows(path)
    assert after == before  # every document, span (and its text), status, label, person
    for doc_id, *_ in before["documents"]:  # each text is still the one its hash names
        conn = sqlite3.connect(path)
        text, stored = conn.execute("SELECT text, content_hash FROM documents WHERE id = ?",
                                    (doc_id,)).fetchone()
        conn.close()
        assert content_hash(text) == stored

    if version == SCHEMA_VERSION:
        assert upgraded == []  # nothing to upgrade, nothing backed up for it
        return
    # The backup was made before the first step, of the file as it was, and is filed
    # under the identity the upgrade gave the database (schema 1 had none).
    [made] = upgraded
    assert made.schema == version and made.path.parent == backups_folder / uuid
    assert made.description == f"before an upgrade (schema {version} to {SCHEMA_VERSION})"
    assert rows(made.path) == before
    copy = tmp_path / "original.db"
    copy.write_bytes(original)
    assert _dump(made.path) == _dump(copy)
    assert not list(backups_folder.glob("path-*"))  # nothing left in a folder by path


@pytest.mark.parametrize("version", [v for v in RELEASED if v < 4])
def test_the_upgrade_indexes_every_document_for_search(version, tmp_path):
    store = Store.open(load(version, tmp_path / f"schema-{version}.db"))
    try:
        titles = store.documents.titles(store.documents.search("cafe"))
        assert list(titles.values()) == ["Café Marchetti"]  # accents folded
        assert len(store.documents.search("the")) == 4
        assert store.documents.ids('"ending made"') == [1]
        store.documents.rename(2, "Bar Centrale", None)  # and kept in step from then on
        assert store.documents.search("centrale") == [2]
        assert store.check().ok
    finally:
        store.close()


@pytest.mark.parametrize("version", RELEASED)
def test_the_upgrade_makes_span_notes_searchable(version, tmp_path):
    """Schema 5 indexes the notes already written (the fixtures' two), and keeps the
    index in step from then on; schema 4's index of titles and texts still answers."""
    path = load(version, tmp_path / f"schema-{version}.db")
    store = Store.open(path)
    try:
        assert store.documents.search("adjudicated") == [4]  # a word only in a note
        assert store.documents.ids("emoj") == [1]  # as typed in the list: a prefix
        [hit] = store.documents.hits('"one code point"')
        assert hit.snippet == "note: the emoji counts as [one code point]"
        assert store.documents.search("cafe") == [2]
        [span] = [s for s in store.spans.of_document(4) if s.note == "adjudicated"]
        store.spans.delete(span, None)
        assert store.documents.search("adjudicated") == []
        assert store.check().ok
    finally:
        store.close()


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_schema_1_database_keeps_its_settings_and_who_was_working(tmp_path,
                                                                   open_workspace):
    path = load(1, tmp_path / "old.db")
    ws = open_workspace(path)
    assert ws.blind_policy is False  # "blind" = "0", renamed the team's policy
    assert ws.me.name == "mira"  # who was working moved to the person's own settings
    assert ws.document(ws.last_document()).title == "Café Marchetti"
    gold_spans = [s for d in ws.document_ids() for s in ws.spans(d, GOLD_UUID)]
    assert len(gold_spans) == 2  # the annotator called "gold" became the reserved gold
    [rekey] = [e["data"] for e in ws.change_log() if e["action"] == "rekey"]
    assert (json.loads(rekey) if isinstance(rekey, str) else rekey)["uuid"] == GOLD_UUID


def test_no_upgrade_without_its_backup(tmp_path, monkeypatch):
    path = load(1, tmp_path / "old.db")
    original = path.read_bytes()

    def full(conn, target):
        raise OSError(28, "No space left on device", str(target))
    monkeypatch.setattr(backup_module, "copy_database", full)
    with pytest.raises(DiskFull, match=r"needs upgrading from schema 1 to "
                                       rf"{SCHEMA_VERSION}, and a backup must be made first"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # no step ran
    conn.close()
    assert rows(path) == rows(load(1, tmp_path / "fresh.db"))
    assert len(path.read_bytes()) == len(original)


def test_a_newer_database_is_refused_naming_both_versions_and_left_untouched(
        tmp_path, backups_folder):
    path = load(RELEASED[-1], tmp_path / "newer.db")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    original = path.read_bytes()
    with pytest.raises(NewerSchemaError, match=rf"schema {SCHEMA_VERSION + 1}.* knows up to "
                                               rf"{SCHEMA_VERSION}"):
        Store.open(path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["newer.db"]
    assert not backups_folder.exists()


def test_the_users_own_views_indexes_and_triggers_survive_the_upgrade(tmp_path):
    path = load(2, tmp_path / "mine.db")
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE VIEW per_label AS SELECT label_uuid, count(*) AS n FROM annotations "
        "GROUP BY label_uuid;"
        "CREATE INDEX my_starts ON annotations (start);"
        "CREATE TABLE audit (uuid TEXT);"
        "CREATE TRIGGER noted AFTER INSERT ON annotations BEGIN "
        "INSERT INTO audit VALUES (new.uuid); END;")
    conn.close()
    Store.open(path).close()
    conn = sqlite3.connect(path)
    mine = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE name IN ('per_label', 'my_starts', 'noted')")}
    counted = conn.execute("SELECT sum(n) FROM per_label").fetchone()[0]
    conn.close()
    assert mine == {"per_label", "my_starts", "noted"}
    assert counted == len(rows(path)["spans"])


def test_a_view_that_stops_the_upgrade_is_named_and_leaves_the_database_as_it_was(
        tmp_path, backups_folder):
    path = load(2, tmp_path / "blocked.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW span_texts AS SELECT uuid, text FROM annotations")
    conn.close()
    before = rows(path)
    for _ in range(3):  # every attempt fails the same way, with one backup in all
        with pytest.raises(StoreError, match="from schema 2 to 3 .* view or trigger of "
                                             "your own") as refused:
            Store.open(path)
        assert "Traceback" not in str(refused.value)
    assert rows(path) == before
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
    assert len(list(backups_folder.rglob("*before-upgrade*.db"))) == 1


def test_an_old_database_bloated_by_copies_of_span_texts_shrinks_when_upgraded(tmp_path):
    """Schema 2 kept each span's text in its row: 20,000 spans over one review made
    gigabytes. The upgrade drops the copies and gives the space back."""
    path = load(2, tmp_path / "bloated.db")
    conn = sqlite3.connect(path)
    doc, who, label = conn.execute(
        "SELECT document_id, annotator_uuid, label_uuid FROM annotations").fetchone()
    copy = "a long span text " * 6000  # ~100 KB a span, as over a whole long review
    conn.executemany(
        "INSERT INTO annotations (uuid, document_id, annotator_uuid, label_uuid, start, "
        '"end", text, note, created, modified) VALUES (?, ?, ?, ?, 0, 1, ?, NULL, '
        "'2026-01-01', '2026-01-01')",
        ((f"bloat-{i}", doc, who, label, copy) for i in range(1500)))
    conn.commit()
    conn.close()
    before = path.stat().st_size
    assert before > 140 * 1024 * 1024
    Store.open(path).close()
    assert path.stat().st_size < before // 10
    plain = rows(load(2, tmp_path / "plain.db"))["spans"]
    assert len(rows(path)["spans"]) == len(plain) + 1500  # every span kept


@pytest.mark.parametrize("version", RELEASED)
def test_the_upgrade_makes_room_for_team_work(version, tmp_path):
    """Schema 6 adds the guidelines, the assignment plans and who has which document; a
    document deleted takes its assignments with it, the rest of the plan stays."""
    store = Store.open(load(version, tmp_path / f"schema-{version}.db"))
    try:
        conn = store.conn
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                             "WHERE type = 'table'")}
        assert {"guidelines", "assignment_plans", "assignments"} <= tables
        people = [uuid for uuid, name in conn.execute("SELECT uuid, name FROM annotators")
                  if name in ("mira", "tomasz")]
        conn.execute("INSERT INTO assignment_plans VALUES ('p', '2026-01-01', 1, "
                     "'overlap', 0.5, ?, NULL)", (json.dumps(people),))
        conn.executemany("INSERT INTO assignments VALUES (?, ?, 'p')",
                         [(doc, who) for doc in (1, 2) for who in people])
        store.documents.delete(1, None)
        assert conn.execute("SELECT DISTINCT document_id FROM assignments").fetchall() == [(2,)]
        assert store.check().ok
    finally:
        store.close()
