"""Spans: stored as offsets into their document's text, never as a copy of it; read by
document or annotator, replaced in place, deleted; every write logged compactly."""

from __future__ import annotations

from collections.abc import Iterable
from json.encoder import encode_basestring

from annotator.domain.model import Span, span_from_row

from .db import translated, writing
from .errors import StoreConflict
from .search import NOTES_INSERT_TRIGGER, NOTES_TABLE
from .tables import Table, chunks, column_list, marks, reading

# What a span row holds: a span but its text, which is its document's text[start:end]. A
# copy in every row (and in its log entries) made 20,000 spans over a 50 KB review a 2 GB
# database (issue 14).
STORED = ("uuid", "document_id", "annotator_uuid", "label_uuid", "start", "end", "note",
          "created", "modified")
STORED_COLUMNS = column_list(STORED)
_MARKS = ",".join("?" * len(STORED))
_ORDER = 'ORDER BY start, "end", uuid'
_quote = encode_basestring  # a JSON string literal, as the log's encoder writes one (C code)
# Fewer spans than this are added with their notes indexed by the trigger, row by row.
_INDEX_ROW_BY_ROW = 50
CHANGEABLE = ("label_uuid", "start", "end", "note", "modified")  # what `replace` may change


def span_row(span: Span) -> tuple:
    return (span.uuid, span.document_id, span.annotator_uuid, span.label_uuid, span.start,
            span.end, span.note, span.created, span.modified)


def with_text(row: tuple, text: str) -> Span:
    """The span of a stored row, its text taken from its document's. For rows from our own
    table, already valid (span_from_row skips the dataclass's checks)."""
    return span_from_row((*row[:6], text[row[4]:row[5]], *row[6:]))


def span_dict(span: Span) -> dict:
    """A span as its "add" entry in the change log records it: offsets, not its text (the
    document holds that); the uuid is the entry's entity id."""
    return {"document_id": span.document_id, "annotator_uuid": span.annotator_uuid,
            "label_uuid": span.label_uuid, "start": span.start, "end": span.end,
            "note": span.note, "created": span.created, "modified": span.modified}


def span_json(span: Span) -> str:
    """json.dumps(span_dict(span), ensure_ascii=False), written out: 5x faster, which
    counts when an import logs 100,000 spans."""
    return (
        f'{{"document_id": {span.document_id}, '
        f'"annotator_uuid": {_quote(span.annotator_uuid)}, '
        f'"label_uuid": {_quote(span.label_uuid)}, "start": {span.start}, '
        f'"end": {span.end}, '
        f'"note": {"null" if span.note is None else _quote(span.note)}, '
        f'"created": {_quote(span.created)}, "modified": {_quote(span.modified)}}}')


def deleted_dict(span: Span) -> dict:
    """A deleted span as its entry records it: where it was and what it said, enough to read
    the log by itself; its note and times are in the entries that made them."""
    return {"document_id": span.document_id, "annotator_uuid": span.annotator_uuid,
            "label_uuid": span.label_uuid, "start": span.start, "end": span.end}


def changes(old: Span, new: Span) -> dict:
    """An "update" entry: the fields that changed, before and after."""
    changed = [f for f in CHANGEABLE if getattr(old, f) != getattr(new, f)]
    return {"before": {f: getattr(old, f) for f in changed},
            "after": {f: getattr(new, f) for f in changed}}


class Texts:
    """Documents' texts by id, for the spans read from them. Texts never change once stored,
    so the last one read is kept (checked by uuid: another process may have reused the id):
    every span edit reads its document's spans, and reading a 10 MB review from disk on each
    key press would be felt."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self._last: tuple[int, str, str] | None = None  # (id, uuid, text)

    def of(self, doc_id: int) -> str | None:
        row = self.conn.execute("SELECT uuid FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        last = self._last
        if last is not None and last[0] == doc_id and last[1] == row[0]:
            return last[2]
        found = self.conn.execute("SELECT uuid, text FROM documents WHERE id = ?",
                                  (doc_id,)).fetchone()
        if found is None:
            return None
        self._last = (doc_id, found[0], found[1])
        return found[1]

    def of_many(self, ids: Iterable[int]) -> dict[int, str]:
        """Several documents' texts (up to a few hundred ids at a time)."""
        ids = list(ids)
        if len(ids) == 1:
            text = self.of(ids[0])
            return {} if text is None else {ids[0]: text}
        found: dict[int, str] = {}
        for chunk in chunks(ids):
            found.update(self.conn.execute(
                f"SELECT id, text FROM documents WHERE id IN ({marks(chunk)})", chunk))
        return found


class Spans(Table):
    table = "annotations"

    def __init__(self, conn, log) -> None:
        super().__init__(conn, log)
        self.texts = Texts(conn)

    def _spans(self, rows: list[tuple], texts: dict[int, str] | None = None) -> list[Span]:
        """Spans of rows read in the current snapshot; their documents' texts are read now
        (or given)."""
        if texts is None:
            texts = self.texts.of_many({r[1] for r in rows})
        return [with_text(r, texts[r[1]]) for r in rows]

    @translated
    def of_document(self, doc_id: int, annotator_uuid: str | None = None) -> list[Span]:
        sql = f"SELECT {STORED_COLUMNS} FROM annotations WHERE document_id = ?"
        args: tuple = (doc_id,)
        if annotator_uuid is not None:
            sql += " AND annotator_uuid = ?"
            args += (annotator_uuid,)
        with reading(self.conn):  # the spans and the text of one moment
            text = self.texts.of(doc_id)
            if text is None:
                return []
            return [with_text(r, text) for r in self.conn.execute(f"{sql} {_ORDER}", args)]

    @translated
    def of_documents(self, ids: list[int], texts: dict[int, str] | None = None
                     ) -> dict[int, list[Span]]:
        """Document id -> its spans (every annotator's), for up to a few hundred ids;
        `texts`, the documents' texts when the caller has them already."""
        found: dict[int, list[Span]] = {doc_id: [] for doc_id in ids}
        with reading(self.conn):
            rows = self.conn.execute(
                f"SELECT {STORED_COLUMNS} FROM annotations WHERE document_id IN ({marks(ids)}) "
                f'ORDER BY document_id, start, "end", uuid', ids).fetchall()
            for span in self._spans(rows, texts):
                found[span.document_id].append(span)
        return found

    @translated
    def of_label(self, label_uuid: str) -> list[Span]:
        with reading(self.conn):
            return self._spans(self.conn.execute(
                f"SELECT {STORED_COLUMNS} FROM annotations WHERE label_uuid = ? "
                'ORDER BY document_id, start, "end", uuid', (label_uuid,)).fetchall())

    @translated
    def of_annotator(self, annotator_uuid: str, documents: Iterable[int]) -> list[Span]:
        """One annotator's spans in these documents."""
        spans: list[Span] = []
        with reading(self.conn):
            for chunk in chunks(list(documents)):
                spans += self._spans(self.conn.execute(
                    f"SELECT {STORED_COLUMNS} FROM annotations WHERE annotator_uuid = ? AND "
                    f"document_id IN ({marks(chunk)})", (annotator_uuid, *chunk)).fetchall())
        return spans

    @translated
    def extents(self, annotator_uuids: list[str], documents: Iterable[int]
                ) -> list[tuple[str, int, str, int, int]]:
        """(annotator uuid, document id, label uuid, start, end) of these annotators' spans
        in these documents: where the spans are, without reading the documents' texts,
        which is all the agreement figures need."""
        rows: list[tuple[str, int, str, int, int]] = []
        with reading(self.conn):
            for chunk in chunks(list(documents)):
                rows += self.conn.execute(
                    'SELECT annotator_uuid, document_id, label_uuid, start, "end" '
                    f"FROM annotations WHERE document_id IN ({marks(chunk)}) "
                    f"AND annotator_uuid IN ({marks(annotator_uuids)})",
                    (*chunk, *annotator_uuids)).fetchall()
        return rows

    @translated
    def get(self, uuid: str) -> Span | None:
        with reading(self.conn):
            row = self.conn.execute(
                f"SELECT {STORED_COLUMNS} FROM annotations WHERE uuid = ?", (uuid,)).fetchone()
            return self._spans([row])[0] if row else None

    @translated
    def add(self, spans: list[Span], who: str | None) -> None:
        """Add spans in one executemany, each logged. Their notes are indexed for search
        by the insert trigger one span at a time, or, for many spans, here in one
        statement per add (row by row, a document's notes would be indexed again with
        each of its spans)."""
        with writing(self.conn):
            if len(spans) < _INDEX_ROW_BY_ROW:
                self.conn.executemany(
                    f"INSERT INTO annotations ({STORED_COLUMNS}) VALUES ({_MARKS})",
                    [span_row(s) for s in spans])
            else:
                self._add_indexed_after(spans)
            self.log.write_many(who, "add", "span", ((s.uuid, span_json(s)) for s in spans))

    def _add_indexed_after(self, spans: list[Span]) -> None:
        # The rows added get rowids above the largest (annotations never reach 2**63).
        last = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM annotations"
                                 ).fetchone()[0]
        # Dropped inside this transaction only: no other connection ever sees it gone.
        self.conn.execute(f"DROP TRIGGER IF EXISTS {NOTES_TABLE}_insert")
        try:
            self.conn.executemany(
                f"INSERT INTO annotations ({STORED_COLUMNS}) VALUES ({_MARKS})",
                [span_row(s) for s in spans])
        finally:  # the rows added, all of them if a failure is caught and carried on
            if self.conn.in_transaction:
                self.conn.execute(NOTES_INSERT_TRIGGER)
                noted = ("SELECT DISTINCT document_id FROM annotations WHERE rowid > ? "
                         "AND note IS NOT NULL")
                self.conn.execute(f"DELETE FROM {NOTES_TABLE} WHERE rowid IN ({noted})",
                                  (last,))
                self.conn.execute(
                    f"INSERT INTO {NOTES_TABLE} (rowid, notes) SELECT document_id, "
                    "group_concat(note, char(10)) FROM annotations WHERE note IS NOT NULL "
                    f"AND document_id IN ({noted}) GROUP BY document_id", (last,))

    @translated
    def delete(self, span: Span, who: str | None) -> None:
        """Remove this very span; StoreConflict if it is no longer there."""
        with writing(self.conn):
            if self.conn.execute("DELETE FROM annotations WHERE uuid = ?",
                                 (span.uuid,)).rowcount != 1:
                raise StoreConflict(f"the span “{span.text[:40]}” is no longer in the "
                                    "database (deleted elsewhere)")
            self.log.write(who, "delete", "span", span.uuid, deleted_dict(span))

    @translated
    def replace(self, old: Span, new: Span, who: str | None) -> None:
        """Relabel, move or annotate a span in place: same uuid, logged with what changed,
        before and after."""
        with writing(self.conn):
            cur = self.conn.execute(
                'UPDATE annotations SET label_uuid = ?, start = ?, "end" = ?, note = ?, '
                "modified = ? WHERE uuid = ?",
                (new.label_uuid, new.start, new.end, new.note, new.modified, old.uuid))
            if cur.rowcount != 1:
                raise StoreConflict(f"the span “{old.text[:40]}” is no longer in the "
                                    "database (deleted elsewhere)")
            self.log.write(who, "update", "span", old.uuid, changes(old, new))

    @translated
    def documents_with_annotators(self, at_least: int, leaving_out: str) -> set[int]:
        """Documents where at least this many annotators (but `leaving_out`) made spans."""
        return {r[0] for r in self.conn.execute(
            "SELECT document_id FROM annotations WHERE annotator_uuid != ? "
            "GROUP BY document_id HAVING count(DISTINCT annotator_uuid) >= ?",
            (leaving_out, at_least))}

    @translated
    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]

    @translated
    def counts_by_label(self) -> dict[str, int]:
        """label uuid -> how many spans it has, counting every annotator; 0 for unused labels."""
        return dict(self.conn.execute(
            "SELECT l.uuid, count(a.uuid) FROM labels l "
            "LEFT JOIN annotations a ON a.label_uuid = l.uuid GROUP BY l.uuid").fetchall())

    @translated
    def counts_by_annotator_and_label(self) -> list[tuple[str, str, int]]:
        """(annotator name, label name, span count) for every pair with spans."""
        return self.conn.execute(
            "SELECT an.name, l.name, count(*) FROM annotations a "
            "JOIN annotators an ON an.uuid = a.annotator_uuid "
            "JOIN labels l ON l.uuid = a.label_uuid GROUP BY an.name, l.name "
            "ORDER BY an.name, l.position").fetchall()
