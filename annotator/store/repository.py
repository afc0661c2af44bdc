"""The Store: reads and writes domain objects. Every write is logged and committed at once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring
from pathlib import Path

from annotator.domain.model import (
    Annotator,
    Document,
    DocumentSummary,
    Label,
    Span,
    Status,
    now_iso,
    span_from_row,
)

from .db import check_file, connect, transaction
from .migrations import SCHEMA_VERSION, migrate

_SPAN_COLUMNS = (
    'uuid, document_id, annotator_uuid, label_uuid, start, "end", text, note, created, modified'
)


# How the document list can be ordered; see Store.document_ids.
DOCUMENT_ORDERS = ("id", "title", "status", "spans", "label")


def _like_escape(text: str) -> str:
    """`text` as a literal inside a LIKE pattern with ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_span = span_from_row  # rows come from our own table, already valid


def _span_row(span: Span) -> tuple:
    return (span.uuid, span.document_id, span.annotator_uuid, span.label_uuid, span.start,
            span.end, span.text, span.note, span.created, span.modified)


# One encoder for every change-log row: json.dumps with options builds a new one per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode
_quote = encode_basestring  # a JSON string literal, as _to_json writes one (C code)


def span_json(span: Span) -> str:
    """json.dumps(_span_dict(span), ensure_ascii=False), written out: 5x faster, which
    counts when an import logs 100,000 spans."""
    return (
        f'{{"uuid": {_quote(span.uuid)}, "document_id": {span.document_id}, '
        f'"annotator_uuid": {_quote(span.annotator_uuid)}, '
        f'"label_uuid": {_quote(span.label_uuid)}, "start": {span.start}, '
        f'"end": {span.end}, "text": {_quote(span.text)}, '
        f'"note": {"null" if span.note is None else _quote(span.note)}, '
        f'"created": {_quote(span.created)}, "modified": {_quote(span.modified)}}}')


def _span_dict(span: Span) -> dict:
    return {"uuid": span.uuid, "document_id": span.document_id,
            "annotator_uuid": span.annotator_uuid, "label_uuid": span.label_uuid,
            "start": span.start, "end": span.end, "text": span.text, "note": span.note,
            "created": span.created, "modified": span.modified}


class Store:
    """One open database. Construct with `Store.open(path)`."""

    def __init__(self, db, path: str) -> None:
        self.db = db
        self.conn = db.conn
        self.path = path
        self._last_text: tuple[str, str] | None = None

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open or create; raises StoreError for files that are not ours to touch."""
        if str(path) != ":memory:":
            check_file(Path(path), SCHEMA_VERSION)
        db = connect(path)
        migrate(db)
        return cls(db, str(path))

    def close(self) -> None:
        self.conn.close()

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """For a large import: the write-ahead log is copied into the database every 80 MB
        instead of every 4 MB, which saves a third of the time; copied at the end."""
        self.conn.execute("PRAGMA wal_autocheckpoint = 20000")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA wal_autocheckpoint = 1000")
            if not self.conn.in_transaction:
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with transaction(self.conn):
            yield

    def log(self, who: str | None, action: str, entity: str, entity_id, data: dict) -> None:
        self.conn.execute(
            "INSERT INTO change_log (at, who, action, entity, entity_id, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now_iso(), who, action, entity, str(entity_id), _to_json(data)),
        )

    def change_log(self, entity_id: str | None = None) -> list[dict]:
        sql = "SELECT id, at, who, action, entity, entity_id, data FROM change_log"
        args: tuple = ()
        if entity_id is not None:
            sql += " WHERE entity_id = ?"
            args = (str(entity_id),)
        rows = self.conn.execute(sql + " ORDER BY id", args).fetchall()
        keys = ("id", "at", "who", "action", "entity", "entity_id", "data")
        return [dict(zip(keys, r[:-1] + (json.loads(r[-1]),), strict=True)) for r in rows]

    # --- settings -------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- labels ---------------------------------------------------------------------------
    def labels(self) -> list[Label]:
        rows = self.conn.execute(
            "SELECT uuid, name, colour, shortcut, description, position FROM labels "
            "ORDER BY position, name"
        ).fetchall()
        return [Label(*r) for r in rows]

    def add_label(self, label: Label, who: str | None) -> None:
        with self.transaction():
            self.db["labels"].insert(
                {"uuid": label.uuid, "name": label.name, "colour": label.colour,
                 "shortcut": label.shortcut, "description": label.description,
                 "position": label.position}
            )
            self.log(who, "add", "label", label.uuid, {"name": label.name, "colour": label.colour})

    def label(self, uuid: str) -> Label | None:
        row = self.conn.execute(
            "SELECT uuid, name, colour, shortcut, description, position FROM labels "
            "WHERE uuid = ?", (uuid,)
        ).fetchone()
        return Label(*row) if row else None

    def update_label(self, label: Label, who: str | None) -> None:
        """Store a label's new name, colour, key, description and position; logs what changed."""
        self.update_labels([label], who)

    def update_labels(self, labels: list[Label], who: str | None) -> None:
        """Several label edits at once, so that labels can swap or pass on their names."""
        fields = ("name", "colour", "shortcut", "description", "position")
        with self.transaction():
            before: dict[str, Label] = {}
            for label in labels:
                old = self.label(label.uuid)
                if old is None:
                    raise KeyError(f"there is no label {label.uuid} to update")
                before[label.uuid] = old
            # Names are unique at every statement, not only at commit: without parking them
            # first, renaming "praise" to "criticism" before the other way round would fail.
            for label in labels:
                if label.name != before[label.uuid].name:
                    self.conn.execute("UPDATE labels SET name = ? WHERE uuid = ?",
                                      (f"\x00parked {label.uuid}", label.uuid))
            for label in labels:
                old = before[label.uuid]
                changed = [f for f in fields if getattr(old, f) != getattr(label, f)]
                if not changed:
                    continue
                self.conn.execute(
                    "UPDATE labels SET name = ?, colour = ?, shortcut = ?, description = ?, "
                    "position = ? WHERE uuid = ?",
                    (label.name, label.colour, label.shortcut, label.description,
                     label.position, label.uuid),
                )
                self.log(who, "update", "label", label.uuid,
                         {"before": {f: getattr(old, f) for f in changed},
                          "after": {f: getattr(label, f) for f in changed}})

    def delete_label(self, uuid: str, who: str | None) -> list[Span]:
        """Removes the label with every annotator's spans of it, all logged; returns the spans."""
        spans: list[Span] = []
        with self.transaction():
            label = self.label(uuid)
            if label is not None:
                spans = [_span(r) for r in self.conn.execute(
                    f"SELECT {_SPAN_COLUMNS} FROM annotations WHERE label_uuid = ? "
                    'ORDER BY document_id, start, "end", uuid', (uuid,))]
                for span in spans:
                    self._delete_span(span, who)
                self.conn.execute("DELETE FROM labels WHERE uuid = ?", (uuid,))
                self.log(who, "delete", "label", uuid,
                         {"name": label.name, "colour": label.colour, "shortcut": label.shortcut,
                          "description": label.description, "position": label.position})
        return spans

    def span_counts_by_label(self) -> dict[str, int]:
        """label uuid -> how many spans it has, counting every annotator; 0 for unused labels."""
        return dict(self.conn.execute(
            "SELECT l.uuid, count(a.uuid) FROM labels l "
            "LEFT JOIN annotations a ON a.label_uuid = l.uuid GROUP BY l.uuid"
        ).fetchall())

    # --- annotators -----------------------------------------------------------------------
    def annotators(self) -> list[Annotator]:
        rows = self.conn.execute("SELECT uuid, name FROM annotators ORDER BY name").fetchall()
        return [Annotator(*r) for r in rows]

    def annotator_by_name(self, name: str) -> Annotator | None:
        row = self.conn.execute(
            "SELECT uuid, name FROM annotators WHERE name = ?", (name,)
        ).fetchone()
        return Annotator(*row) if row else None

    def annotator(self, uuid: str) -> Annotator | None:
        row = self.conn.execute(
            "SELECT uuid, name FROM annotators WHERE uuid = ?", (uuid,)
        ).fetchone()
        return Annotator(*row) if row else None

    def add_annotator(self, annotator: Annotator, who: str | None) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO annotators (uuid, name) VALUES (?, ?)",
                (annotator.uuid, annotator.name),
            )
            self.log(who, "add", "annotator", annotator.uuid, {"name": annotator.name})

    # --- documents ------------------------------------------------------------------------
    def add_document(self, doc: Document, who: str | None) -> int:
        return self.add_documents([doc], who)[0]

    def add_documents(self, docs: list[Document], who: str | None) -> list[int]:
        """Add documents in bulk (executemany), each logged; returns their ids in order.

        Ids are given here, inside the write transaction, so that spans can refer to them
        without a round trip per document.
        """
        with self.transaction():
            first = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents"
                                      ).fetchone()[0]
            ids = list(range(first, first + len(docs)))
            stamp = now_iso()
            self.conn.executemany(
                "INSERT INTO documents (id, uuid, content_hash, title, source_path, text, meta, "
                "sample, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, d.uuid, d.content_hash, d.title, d.source_path, d.text,
                  _to_json(d.meta), int(d.sample), d.created or stamp)
                 for doc_id, d in zip(ids, docs, strict=True)])
            self.conn.executemany(
                "INSERT INTO change_log (at, who, action, entity, entity_id, data) "
                "VALUES (?, ?, 'add', 'document', ?, ?)",
                [(stamp, who, d.uuid, _to_json(
                    {"id": doc_id, "title": d.title, "source_path": d.source_path,
                     "content_hash": d.content_hash}))
                 for doc_id, d in zip(ids, docs, strict=True)])
        return ids

    def documents_by_hash(self, hashes: Iterable[str]) -> dict[str, tuple[int, str]]:
        """Of these content hashes, the stored ones: hash -> (id, title)."""
        found: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(list(hashes)):
            found.update((r[0], (r[1], r[2])) for r in self.conn.execute(
                "SELECT content_hash, id, title FROM documents WHERE content_hash IN "
                f"({','.join('?' * len(chunk))})", chunk))
        return found

    def document_uuids(self, uuids: Iterable[str]) -> set[str]:
        """Which of these document ids (uuids) are already stored."""
        return self._stored_uuids("documents", uuids)

    def _stored_uuids(self, table: str, uuids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(uuids)):
            found.update(r[0] for r in self.conn.execute(
                f"SELECT uuid FROM {table} WHERE uuid IN ({','.join('?' * len(chunk))})",
                chunk))
        return found

    def _document(self, where: str, arg) -> Document | None:
        row = self.conn.execute(
            "SELECT id, uuid, title, text, content_hash, source_path, meta, sample, created "
            f"FROM documents WHERE {where} = ?", (arg,)
        ).fetchone()
        if row is None:
            return None
        return Document(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]),
                        bool(row[7]), row[8])

    def document(self, doc_id: int) -> Document | None:
        return self._document("id", doc_id)

    def documents_with_spans(self, ids: list[int]
                             ) -> list[tuple[Document, list[Span], dict[str, Status]]]:
        """Documents with their spans and statuses, three queries for all of them (an
        export of 10,000 documents must not make 30,000 round trips). In the order given."""
        marks = ",".join("?" * len(ids))
        docs = {r[0]: Document(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]),
                               bool(r[7]), r[8]) for r in self.conn.execute(
            "SELECT id, uuid, title, text, content_hash, source_path, meta, sample, created "
            f"FROM documents WHERE id IN ({marks})", ids)}
        spans: dict[int, list[Span]] = {doc_id: [] for doc_id in docs}
        for row in self.conn.execute(
                f"SELECT {_SPAN_COLUMNS} FROM annotations WHERE document_id IN ({marks}) "
                'ORDER BY document_id, start, "end", uuid', ids):
            spans[row[1]].append(_span(row))
        statuses: dict[int, dict[str, Status]] = {doc_id: {} for doc_id in docs}
        for doc_id, who, status in self.conn.execute(
                "SELECT document_id, annotator_uuid, status FROM document_status "
                f"WHERE document_id IN ({marks})", ids):
            statuses[doc_id][who] = Status(status)
        return [(docs[i], spans[i], statuses[i]) for i in ids if i in docs]

    def document_text(self, doc_id: int) -> str | None:
        """A document's text. Texts never change once stored, so the last one read is kept:
        every span edit checks its offsets against the text, and reading a 10 MB review from
        disk on each key press would be felt."""
        row = self.conn.execute("SELECT uuid FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        cached = self._last_text  # checked by uuid: another process may have reused the id
        if cached is not None and cached[0] == row[0]:
            return cached[1]
        text = self.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        self._last_text = (row[0], text[0])
        return text[0]

    def document_by_hash(self, content_hash: str) -> Document | None:
        return self._document("content_hash", content_hash)

    def document_by_uuid(self, uuid: str) -> Document | None:
        return self._document("uuid", uuid)

    def document_ids(self, search: str = "", order: str = "id", descending: bool = False,
                     annotator_uuid: str | None = None, label_uuid: str | None = None
                     ) -> list[int]:
        """Ids of the documents whose title or text contains `search` (any case), in `order`.

        order is one of DOCUMENT_ORDERS: "id", "title", or this annotator's "status"
        (new < in progress < done), "spans" (span count) or "label" (count of label_uuid).
        Ties go by id, ascending in both directions, as a stable sort would leave them.
        """
        if order not in DOCUMENT_ORDERS:
            raise ValueError(f"unknown document order {order!r}")
        if order in ("status", "spans", "label") and annotator_uuid is None:
            raise ValueError(f"ordering by {order} needs an annotator")
        if order == "label" and label_uuid is None:
            raise ValueError("ordering by label needs a label")
        sql = "SELECT d.id FROM documents d"
        args: list = []
        key = "d.title COLLATE NOCASE" if order == "title" else ""
        if order == "status":
            sql += (" LEFT JOIN document_status s"
                    " ON s.document_id = d.id AND s.annotator_uuid = ?")
            args.append(annotator_uuid)
            key = "CASE s.status WHEN 'done' THEN 2 WHEN 'in progress' THEN 1 ELSE 0 END"
        elif order in ("spans", "label"):
            which = " AND label_uuid = ?" if order == "label" else ""
            sql += (" LEFT JOIN (SELECT document_id, count(*) AS n FROM annotations"
                    f" WHERE annotator_uuid = ?{which} GROUP BY document_id) c"
                    " ON c.document_id = d.id")
            args += [annotator_uuid, label_uuid] if which else [annotator_uuid]
            key = "coalesce(c.n, 0)"
        if search:
            pattern = "%" + _like_escape(search) + "%"
            sql += " WHERE (d.title LIKE ? ESCAPE '\\' OR d.text LIKE ? ESCAPE '\\')"
            args += [pattern, pattern]
        direction = " DESC" if descending else ""
        # "+d.id", not "d.id": ordering by the rowid itself makes SQLite walk the table, texts
        # and all (3x slower at 100,000 reviews); this way it reads a small index and sorts.
        sql += f" ORDER BY {key}{direction}, +d.id" if key else f" ORDER BY +d.id{direction}"
        return [r[0] for r in self.conn.execute(sql, args)]

    def count_documents(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document_summaries(self, annotator_uuid: str, ids: Iterable[int] | None = None
                           ) -> list[DocumentSummary]:
        """Title, this annotator's status and span counts (per label), without loading texts.

        Two queries whatever the number of ids: the rows, then the counts grouped.
        """
        sql = (
            "SELECT d.id, d.title, coalesce(s.status, 'new') "
            "FROM documents d LEFT JOIN document_status s "
            " ON s.document_id = d.id AND s.annotator_uuid = ?"
        )
        count_sql = ("SELECT document_id, label_uuid, count(*) FROM annotations "
                     "WHERE annotator_uuid = ?")
        args: list = [annotator_uuid]
        if ids is not None:
            ids = list(ids)
            marks = ",".join("?" * len(ids))
            sql += f" WHERE d.id IN ({marks})"
            count_sql += f" AND document_id IN ({marks})"
            args += ids
        rows = self.conn.execute(sql + " ORDER BY d.id", args).fetchall()
        counts: dict[int, dict[str, int]] = {}
        for doc_id, label_uuid, n in self.conn.execute(
                count_sql + " GROUP BY document_id, label_uuid", args):
            counts.setdefault(doc_id, {})[label_uuid] = n
        return [DocumentSummary(r[0], r[1], Status(r[2]), sum(counts.get(r[0], {}).values()),
                                counts.get(r[0], {})) for r in rows]

    def delete_document(self, doc_id: int, who: str | None) -> None:
        """Removes the document with its spans and statuses, all logged."""
        doc = self.document(doc_id)
        if doc is None:
            return
        with self.transaction():
            for span in self.spans(doc_id):
                self._delete_span(span, who)
            for annotator_uuid in self.statuses(doc_id):
                self.set_status(doc_id, annotator_uuid, Status.NEW, who)
            self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self.log(who, "delete", "document", doc.uuid,
                     {"id": doc_id, "title": doc.title, "content_hash": doc.content_hash,
                      "source_path": doc.source_path, "sample": doc.sample})

    def sample_document_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE sample = 1")]

    # --- spans ----------------------------------------------------------------------------
    def spans(self, doc_id: int, annotator_uuid: str | None = None) -> list[Span]:
        sql = f"SELECT {_SPAN_COLUMNS} FROM annotations WHERE document_id = ?"
        args: tuple = (doc_id,)
        if annotator_uuid is not None:
            sql += " AND annotator_uuid = ?"
            args += (annotator_uuid,)
        return [_span(r) for r in self.conn.execute(sql + ' ORDER BY start, "end", uuid', args)]

    def span(self, uuid: str) -> Span | None:
        row = self.conn.execute(
            f"SELECT {_SPAN_COLUMNS} FROM annotations WHERE uuid = ?", (uuid,)
        ).fetchone()
        return _span(row) if row else None

    def span_uuids(self, uuids: Iterable[str]) -> set[str]:
        """Which of these span ids are already stored."""
        return self._stored_uuids("annotations", uuids)

    def add_spans(self, spans: list[Span], who: str | None) -> None:
        stamp = now_iso()
        with self.transaction():
            self.conn.executemany(
                f"INSERT INTO annotations ({_SPAN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [_span_row(s) for s in spans],
            )
            self.conn.executemany(
                "INSERT INTO change_log (at, who, action, entity, entity_id, data) "
                "VALUES (?, ?, 'add', 'span', ?, ?)",
                [(stamp, who, s.uuid, span_json(s)) for s in spans],
            )

    def _delete_span(self, span: Span, who: str | None) -> None:
        self.conn.execute("DELETE FROM annotations WHERE uuid = ?", (span.uuid,))
        self.log(who, "delete", "span", span.uuid, _span_dict(span))

    def delete_span(self, uuid: str, who: str | None) -> Span | None:
        with self.transaction():
            span = self.span(uuid)
            if span is not None:
                self._delete_span(span, who)
        return span

    def replace_span(self, old: Span, new: Span, who: str | None) -> None:
        """Relabel, move or annotate a span in place: same uuid, logged with before and after."""
        with self.transaction():
            cur = self.conn.execute(
                'UPDATE annotations SET label_uuid = ?, start = ?, "end" = ?, text = ?, '
                "note = ?, modified = ? WHERE uuid = ?",
                (new.label_uuid, new.start, new.end, new.text, new.note, new.modified, old.uuid))
            if cur.rowcount != 1:
                raise LookupError(f"span {old.uuid} is no longer in the database")
            self.log(who, "update", "span", old.uuid,
                     {"before": _span_dict(old), "after": _span_dict(new)})

    def all_spans(self) -> Iterator[Span]:
        yield from (_span(r) for r in self.conn.execute(
            f'SELECT {_SPAN_COLUMNS} FROM annotations ORDER BY document_id, start, "end", uuid'))

    def count_spans(self) -> int:
        return self.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]

    # --- status ---------------------------------------------------------------------------
    def status(self, doc_id: int, annotator_uuid: str) -> Status:
        row = self.conn.execute(
            "SELECT status FROM document_status WHERE document_id = ? AND annotator_uuid = ?",
            (doc_id, annotator_uuid),
        ).fetchone()
        return Status(row[0]) if row else Status.NEW

    def statuses(self, doc_id: int) -> dict[str, Status]:
        """annotator uuid -> status, for everyone with a recorded status on this document."""
        rows = self.conn.execute(
            "SELECT annotator_uuid, status FROM document_status WHERE document_id = ?", (doc_id,)
        )
        return {a: Status(s) for a, s in rows}

    def set_status(self, doc_id: int, annotator_uuid: str, status: Status, who: str | None
                   ) -> None:
        with self.transaction():
            before = self.status(doc_id, annotator_uuid)
            if status is Status.NEW:  # "new" is the absence of a row
                self.conn.execute(
                    "DELETE FROM document_status WHERE document_id = ? AND annotator_uuid = ?",
                    (doc_id, annotator_uuid))
            else:
                self.conn.execute(
                    "INSERT INTO document_status (document_id, annotator_uuid, status, modified)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT(document_id, annotator_uuid) "
                    "DO UPDATE SET status = excluded.status, modified = excluded.modified",
                    (doc_id, annotator_uuid, status.value, now_iso()),
                )
            self.log(who, "set-status", "document_status", f"{doc_id}:{annotator_uuid}",
                     {"document_id": doc_id, "annotator_uuid": annotator_uuid,
                      "before": before.value, "after": status.value})

    def annotators_at_work(self) -> set[str]:
        """Annotators with spans, or with a document in progress or done."""
        return {r[0] for r in self.conn.execute(
            "SELECT annotator_uuid FROM annotations UNION "
            "SELECT annotator_uuid FROM document_status WHERE status != 'new'")}

    def annotators_with_done(self) -> set[str]:
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT annotator_uuid FROM document_status WHERE status = 'done'")}

    def documents_done_by(self, annotator_uuid: str) -> set[int]:
        return {r[0] for r in self.conn.execute(
            "SELECT document_id FROM document_status WHERE annotator_uuid = ? "
            "AND status = 'done'", (annotator_uuid,))}

    def document_lengths(self, ids: Iterable[int]) -> dict[int, int]:
        """Characters (code points) of each document's text, without reading the texts,
        except those holding a NUL, where SQLite's length() stops counting."""
        found: dict[int, int] = {}
        for chunk in _chunks(list(ids)):
            for doc_id, length, has_nul in self.conn.execute(
                    "SELECT id, length(text), instr(text, char(0)) > 0 FROM documents "
                    f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                found[doc_id] = len(self.document_text(doc_id)) if has_nul else length
        return found

    def document_titles(self, ids: Iterable[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in _chunks(list(ids)):
            found.update(self.conn.execute(
                f"SELECT id, title FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
                chunk).fetchall())
        return found

    def spans_of(self, annotator_uuid: str, documents: Iterable[int]) -> list[Span]:
        """One annotator's spans in these documents."""
        spans: list[Span] = []
        for chunk in _chunks(list(documents)):
            spans += [_span(r) for r in self.conn.execute(
                f"SELECT {_SPAN_COLUMNS} FROM annotations WHERE annotator_uuid = ? AND "
                f"document_id IN ({','.join('?' * len(chunk))})", (annotator_uuid, *chunk))]
        return spans

    def documents_touched(self, annotator_uuid: str) -> set[int]:
        """Documents where this annotator has spans or a status other than new."""
        rows = self.conn.execute(
            "SELECT document_id FROM annotations WHERE annotator_uuid = ? "
            "UNION SELECT document_id FROM document_status WHERE annotator_uuid = ? "
            "AND status != 'new'", (annotator_uuid, annotator_uuid))
        return {r[0] for r in rows}

    def count_by(self) -> list[tuple[str, str, int]]:
        """(annotator name, label name, span count) for every pair with spans."""
        return self.conn.execute(
            "SELECT an.name, l.name, count(*) FROM annotations a "
            "JOIN annotators an ON an.uuid = a.annotator_uuid "
            "JOIN labels l ON l.uuid = a.label_uuid GROUP BY an.name, l.name "
            "ORDER BY an.name, l.position"
        ).fetchall()

    def count_status_of(self, annotator_uuid: str, status: Status) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM document_status WHERE annotator_uuid = ? AND status = ?",
            (annotator_uuid, status.value)).fetchone()[0]

    def count_status(self) -> list[tuple[str, str, int]]:
        return self.conn.execute(
            "SELECT an.name, s.status, count(*) FROM document_status s "
            "JOIN annotators an ON an.uuid = s.annotator_uuid GROUP BY an.name, s.status "
            "ORDER BY an.name, s.status"
        ).fetchall()


def _chunks(items: list, size: int = 500):
    """Slices small enough for one IN (...) list: SQLite caps the number of parameters."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
