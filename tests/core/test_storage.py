"""What the database keeps, and how much: the change log replays to the annotations exactly,
records offsets rather than copies of text, and a database grows with the work done."""

import json
import random
import sqlite3
from dataclasses import replace

import pytest
import sqlite_utils

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import GOLD, Label, Status, new_uuid
from annotator.store.migrations import SCHEMA_VERSION, STEPS
from annotator.store.replay import ReplayError, replay, stored

REVIEW = ("Marchetti is superb. The ending drags 😂 on and on. The keeper was her father all "
          "along, which nobody saw coming. Café scenes: 美しい, and the score soars.\n"
          "Second paragraph: a plot hole in act two, and e\u0301 combining marks.")


def in_one_go(ws) -> None:
    """Replaying the log from empty gives exactly the tables."""
    assert replay(ws.store.conn) == stored(ws.store.conn)


class Session:
    """A person at work: random edits of every kind, undos and redos, through the
    workspace, as the window makes them."""

    def __init__(self, ws, rng: random.Random) -> None:
        self.ws, self.rng = ws, rng

    def doc(self) -> int:
        return self.rng.choice(self.ws.document_ids())

    def my_span(self):
        spans = [s for d in self.ws.document_ids() for s in self.ws.spans(d, self.ws.me.uuid)]
        return self.rng.choice(spans) if spans else None

    def step(self) -> None:
        ws, rng = self.ws, self.rng
        kind = rng.choices(
            ["add", "relabel", "move", "note", "delete", "status", "labels", "undo", "redo",
             "who", "gold", "rename"],
            [30, 8, 10, 6, 6, 6, 4, 12, 8, 3, 3, 2])[0]
        try:
            if kind == "add":
                doc = self.doc()
                length = len(ws.document(doc).text)
                start = rng.randrange(length - 1)
                end = rng.randrange(start + 1, min(length, start + 60) + 1)
                ws.add_span(doc, rng.choice(ws.labels()).uuid, start, end,
                            snap=rng.random() < 0.5,
                            note=rng.choice([None, None, "why: ✓", "ä\nb"]))
            elif kind == "relabel" and (span := self.my_span()):
                ws.relabel(span.uuid, rng.choice(ws.labels()).uuid)
            elif kind == "move" and (span := self.my_span()):
                ws.move_edge(span.uuid, rng.choice(["start", "end"]), rng.choice([-1, 1]),
                             by_word=rng.random() < 0.5)
            elif kind == "note" and (span := self.my_span()):
                ws.set_note(span.uuid, rng.choice(["", "a note", "another 😂"]))
            elif kind == "delete" and (span := self.my_span()):
                ws.delete_spans([span.uuid])
            elif kind == "status":
                ws.set_status(self.doc(), rng.choice(list(Status)))
            elif kind == "labels":
                self.edit_labels()
            elif kind == "undo" and ws.history.to_undo() is not None:
                ws.undo()
            elif kind == "redo" and ws.history.to_redo() is not None:
                ws.redo()
            elif kind == "who":
                ws.switch_to(rng.choice(["ada", "ben", "cy"]))
            elif kind == "gold":
                self.accept_into_gold()
            elif kind == "rename":
                ws.rename_document(self.doc(), rng.choice(["A title", "Another", "Third"]))
        except AnnotatorError:
            pass  # refused (e.g. nothing to move, already in gold): nothing written

    def edit_labels(self) -> None:
        ws, rng = self.ws, self.rng
        labels = ws.labels()
        what = rng.choice(["add", "rename", "colour", "key", "describe", "reorder", "delete"])
        if what == "add":
            labels.append(Label(new_uuid(), f"label {rng.randrange(1000)}", "#123456"))
        elif what == "delete" and len(labels) > 2:
            labels.pop(rng.randrange(len(labels)))
        elif what == "reorder":
            rng.shuffle(labels)
        else:
            i = rng.randrange(len(labels))
            change = {"rename": {"name": f"{labels[i].name}*"},
                      "colour": {"colour": rng.choice(["#ABCDEF", "#00FF00", "#E69F00"])},
                      "key": {"shortcut": ""},
                      "describe": {"description": rng.choice(["", "what it means ✓"])},
                      }.get(what, {})
            labels[i] = replace(labels[i], **change)
        ws.edit_labels(labels)

    def accept_into_gold(self) -> None:
        ws = self.ws
        person = ws.person.name
        ws.adjudicate()
        doc = self.doc()
        others = [s.uuid for s in ws.spans(doc) if s.annotator_uuid != GOLD.uuid]
        if others:
            ws.accept_into_gold(self.rng.sample(others, min(3, len(others))))
        ws.switch_to(person)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replaying_the_change_log_of_a_random_session_gives_the_tables_exactly(
        tmp_path, open_workspace, seed):
    rng = random.Random(seed)
    (tmp_path / "r1.txt").write_text(REVIEW, encoding="utf-8")
    (tmp_path / "r2.txt").write_text("Short one.\r\nWith CRLF and a second line.",
                                     encoding="utf-8")
    (tmp_path / "more.jsonl").write_text(json.dumps({
        "id": "imported-1", "text": "An imported review with its own spans.",
        "status": {"dora": "done"},
        "annotations": [{"annotator": "dora", "label": "verdict", "start": 3, "end": 11,
                         "note": "from a file", "created": "2025-01-02T03:04:05.000Z"}]}) + "\n",
        encoding="utf-8")
    ws = open_workspace(tmp_path / "a.db")
    ws.switch_to("ada")
    ws.import_paths([tmp_path / "r1.txt", tmp_path / "r2.txt"])
    session = Session(ws, rng)
    for number in range(1, 241):
        session.step()
        if number == 120:
            ws.import_paths([tmp_path / "more.jsonl"])  # spans, a label and a status in bulk
        if number == 180:  # a label deleted with its spans, undone, redone
            ws.edit_labels(ws.labels()[1:])
            ws.undo()
            ws.redo()
        if number % 60 == 0:
            in_one_go(ws)
    ws.delete_documents([ws.document_ids()[0]])  # its spans and statuses go with it
    in_one_go(ws)
    for entry in ws.change_log():  # offsets, never copies of the text
        if entry["entity"] == "span":
            data = entry["data"]
            assert "text" not in {**data, **data.get("before", {}), **data.get("after", {})}


def test_the_replay_is_checked_against_something_it_could_miss(fresh_db, inbox):
    """The comparison is not vacuous: a row written past the log is found out."""
    (inbox / "r.txt").write_text(REVIEW, encoding="utf-8")
    fresh_db.import_paths([inbox])
    doc = fresh_db.document_ids()[0]
    fresh_db.add_span(doc, fresh_db.labels()[0].uuid, 0, 9)
    in_one_go(fresh_db)
    fresh_db.store.conn.execute("UPDATE annotations SET start = 1")
    assert replay(fresh_db.store.conn) != stored(fresh_db.store.conn)
    fresh_db.store.conn.execute("INSERT INTO change_log (at, action, entity, entity_id, data) "
                                "VALUES ('now', 'delete', 'span', 'never-added', '{}')")
    with pytest.raises(ReplayError, match="never-added"):
        replay(fresh_db.store.conn)


def schema_2_database_with_old_log(path) -> dict:
    """A database as the version before schema 3 left it: span texts in the rows and copied
    into the log, a label logged by name and colour only, statuses logged without times."""
    db = sqlite_utils.Database(path)
    conn = db.conn
    with conn:
        STEPS[0](db)
        STEPS[1](db)
        conn.execute("PRAGMA user_version = 2")
    ada, label = new_uuid(), new_uuid()
    text = "Old review: the twist is superb."
    spans = {new_uuid(): (12, 21, "the twist"), new_uuid(): (25, 31, "superb")}
    with conn:
        def log(action, entity, entity_id, data, at="2024-05-01T10:00:00.000Z"):
            conn.execute("INSERT INTO change_log (at, who, action, entity, entity_id, data) "
                         "VALUES (?, NULL, ?, ?, ?, ?)",
                         (at, action, entity, entity_id, json.dumps(data)))
        conn.execute("INSERT INTO annotators VALUES (?, 'ada')", (ada,))
        log("add", "annotator", ada, {"name": "ada"})
        conn.execute("INSERT INTO labels VALUES (?, 'twist', '#112233', '7', 'a turn', 4)",
                     (label,))
        log("add", "label", label, {"name": "twist", "colour": "#112233"})
        conn.execute("INSERT INTO documents (id, uuid, content_hash, title, source_path, text, "
                     "created) VALUES (1, 'doc-1', 'h1', 'Old', '', ?, 'then')", (text,))
        log("add", "document", "doc-1", {"id": 1, "title": "Old", "source_path": "",
                                         "content_hash": "h1"})
        for uuid, (start, end, words) in spans.items():
            row = {"uuid": uuid, "document_id": 1, "annotator_uuid": ada, "label_uuid": label,
                   "start": start, "end": end, "text": words, "note": None,
                   "created": "2024-05-01T10:00:01.000Z", "modified": "2024-05-01T10:00:01.000Z"}
            conn.execute("INSERT INTO annotations VALUES (:uuid, :document_id, :annotator_uuid, "
                         ":label_uuid, :start, :end, :text, :note, :created, :modified)", row)
            log("add", "span", uuid, row)
        first = next(iter(spans))
        before = conn.execute("SELECT * FROM annotations WHERE uuid = ?", (first,)).fetchone()
        conn.execute("UPDATE annotations SET note = 'old note', modified = 'later' "
                     "WHERE uuid = ?", (first,))
        keys = ("uuid", "document_id", "annotator_uuid", "label_uuid", "start", "end", "text",
                "note", "created", "modified")
        old = dict(zip(keys, before, strict=True))
        log("update", "span", first, {"before": old,
                                      "after": {**old, "note": "old note", "modified": "later"}})
        conn.execute("INSERT INTO document_status VALUES (1, ?, 'done', "
                     "'2024-05-01T10:00:02.123Z')", (ada,))
        log("set-status", "document_status", f"1:{ada}",
            {"document_id": 1, "annotator_uuid": ada, "before": "new", "after": "done"},
            at="2024-05-01T10:00:02.124Z")  # a moment after the row's own time
    conn.close()
    return {"ada": ada, "label": label, "spans": spans, "text": text}


def test_a_database_with_the_old_log_migrates_and_replays_exactly(tmp_path, open_workspace):
    old = schema_2_database_with_old_log(tmp_path / "old.db")
    ws = open_workspace(tmp_path / "old.db")
    conn = ws.store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = [r[1] for r in conn.execute("PRAGMA table_info(annotations)")]
    assert "text" not in columns  # the document holds it
    for uuid, (start, end, words) in old["spans"].items():
        assert ws.span(uuid).text == words == old["text"][start:end]
    assert ws.span(next(iter(old["spans"]))).note == "old note"
    baseline = {e["entity"] for e in ws.change_log() if e["action"] == "baseline"}
    assert baseline == {"label", "document_status"}
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    in_one_go(ws)  # old entries (with copies of text) and the baseline replay exactly
    ws.switch_to("ada")
    span = ws.add_span(1, old["label"], 0, 3).added[0]
    ws.relabel(span.uuid, ws.labels()[0].uuid)
    ws.set_status(1, Status.IN_PROGRESS)
    ws.undo()
    in_one_go(ws)


def test_a_span_over_a_whole_review_costs_its_offsets_not_its_text(tmp_path, open_workspace):
    """20,000 spans each covering a 50 KB review once made a 2 GB database (issue 14): now
    each span costs a row and a log entry of a few hundred bytes, whatever its length."""
    text = ("A long review that goes on. " * 1800)[:50_000]
    spans = [{"annotator": "ada", "label": "praise", "start": i % 20, "end": 50_000 - i // 20}
             for i in range(2_000)]
    (tmp_path / "long.jsonl").write_text(
        json.dumps({"text": text, "annotations": spans}) + "\n", encoding="utf-8")
    ws = open_workspace(tmp_path / "a.db")
    report = ws.import_paths([tmp_path / "long.jsonl"])
    assert report.total("spans") == 2_000
    conn = ws.store.conn
    logged = conn.execute("SELECT sum(length(data)) FROM change_log WHERE entity = 'span'"
                          ).fetchone()[0]
    assert logged < 2_000 * 300  # a few hundred bytes a span, not 50 KB
    pages = conn.execute("SELECT page_count * page_size FROM pragma_page_count, "
                         "pragma_page_size").fetchone()[0]
    assert pages < 3 * 1024 * 1024  # the text once, the spans small (was 200 MB)
    [doc] = ws.document_ids()
    assert all(s.text == text[s.start:s.end] for s in ws.spans(doc))


def test_spans_read_their_text_from_the_document_even_one_with_a_nul(fresh_db, inbox):
    """SQLite's own string functions stop at a NUL: the text is sliced in Python."""
    (inbox / "r.jsonl").write_text(json.dumps({"text": "before\u0000after 😂 end", "annotations": [
        {"annotator": "ada", "label": "praise", "start": 7, "end": 14}]}) + "\n")
    report = fresh_db.import_paths([inbox / "r.jsonl"])
    [doc] = report.document_ids
    [span] = fresh_db.spans(doc)
    assert span.text == "after 😂"
    assert fresh_db.span(span.uuid) == span
    with sqlite3.connect(fresh_db.path) as conn:  # nothing but offsets in the row
        assert conn.execute("SELECT start, \"end\" FROM annotations").fetchall() == [(7, 14)]
