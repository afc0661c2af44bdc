"""Spans: stored, read by document or annotator, replaced in place, deleted; all logged."""

from __future__ import annotations

from collections.abc import Iterable
from json.encoder import encode_basestring

from annotator.domain.model import Span, span_from_row

from .db import translated, writing
from .errors import StoreConflict
from .tables import Table, chunks, column_list, columns, marks

SPAN_COLUMNS = column_list(columns(Span))
_SPAN_MARKS = ",".join("?" * len(columns(Span)))
_ORDER = 'ORDER BY start, "end", uuid'
_quote = encode_basestring  # a JSON string literal, as the log's encoder writes one (C code)
_span = span_from_row  # rows come from our own table, already valid


def span_row(span: Span) -> tuple:
    return (span.uuid, span.document_id, span.annotator_uuid, span.label_uuid, span.start,
            span.end, span.text, span.note, span.created, span.modified)


def span_dict(span: Span) -> dict:
    return {"uuid": span.uuid, "document_id": span.document_id,
            "annotator_uuid": span.annotator_uuid, "label_uuid": span.label_uuid,
            "start": span.start, "end": span.end, "text": span.text, "note": span.note,
            "created": span.created, "modified": span.modified}


def span_json(span: Span) -> str:
    """json.dumps(span_dict(span), ensure_ascii=False), written out: 5x faster, which
    counts when an import logs 100,000 spans."""
    return (
        f'{{"uuid": {_quote(span.uuid)}, "document_id": {span.document_id}, '
        f'"annotator_uuid": {_quote(span.annotator_uuid)}, '
        f'"label_uuid": {_quote(span.label_uuid)}, "start": {span.start}, '
        f'"end": {span.end}, "text": {_quote(span.text)}, '
        f'"note": {"null" if span.note is None else _quote(span.note)}, '
        f'"created": {_quote(span.created)}, "modified": {_quote(span.modified)}}}')


class Spans(Table):
    table = "annotations"

    @translated
    def of_document(self, doc_id: int, annotator_uuid: str | None = None) -> list[Span]:
        sql = f"SELECT {SPAN_COLUMNS} FROM annotations WHERE document_id = ?"
        args: tuple = (doc_id,)
        if annotator_uuid is not None:
            sql += " AND annotator_uuid = ?"
            args += (annotator_uuid,)
        return [_span(r) for r in self.conn.execute(f"{sql} {_ORDER}", args)]

    @translated
    def of_documents(self, ids: list[int]) -> dict[int, list[Span]]:
        """Document id -> its spans (every annotator's), for up to a few hundred ids."""
        found: dict[int, list[Span]] = {doc_id: [] for doc_id in ids}
        for row in self.conn.execute(
                f"SELECT {SPAN_COLUMNS} FROM annotations WHERE document_id IN ({marks(ids)}) "
                f'ORDER BY document_id, start, "end", uuid', ids):
            found[row[1]].append(_span(row))
        return found

    @translated
    def of_label(self, label_uuid: str) -> list[Span]:
        return [_span(r) for r in self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM annotations WHERE label_uuid = ? "
            'ORDER BY document_id, start, "end", uuid', (label_uuid,))]

    @translated
    def of_annotator(self, annotator_uuid: str, documents: Iterable[int]) -> list[Span]:
        """One annotator's spans in these documents."""
        spans: list[Span] = []
        for chunk in chunks(list(documents)):
            spans += [_span(r) for r in self.conn.execute(
                f"SELECT {SPAN_COLUMNS} FROM annotations WHERE annotator_uuid = ? AND "
                f"document_id IN ({marks(chunk)})", (annotator_uuid, *chunk))]
        return spans

    @translated
    def get(self, uuid: str) -> Span | None:
        row = self.conn.execute(
            f"SELECT {SPAN_COLUMNS} FROM annotations WHERE uuid = ?", (uuid,)).fetchone()
        return _span(row) if row else None

    @translated
    def add(self, spans: list[Span], who: str | None) -> None:
        with writing(self.conn):
            self.conn.executemany(
                f"INSERT INTO annotations ({SPAN_COLUMNS}) VALUES ({_SPAN_MARKS})",
                [span_row(s) for s in spans])
            self.log.write_many(who, "add", "span", ((s.uuid, span_json(s)) for s in spans))

    @translated
    def delete(self, span: Span, who: str | None) -> None:
        """Remove this very span; StoreConflict if it is no longer there."""
        with writing(self.conn):
            if self.conn.execute("DELETE FROM annotations WHERE uuid = ?",
                                 (span.uuid,)).rowcount != 1:
                raise StoreConflict(f"the span “{span.text[:40]}” is no longer in the "
                                    "database (deleted elsewhere)")
            self.log.write(who, "delete", "span", span.uuid, span_dict(span))

    @translated
    def replace(self, old: Span, new: Span, who: str | None) -> None:
        """Relabel, move or annotate a span in place: same uuid, logged with before and after."""
        with writing(self.conn):
            cur = self.conn.execute(
                'UPDATE annotations SET label_uuid = ?, start = ?, "end" = ?, text = ?, '
                "note = ?, modified = ? WHERE uuid = ?",
                (new.label_uuid, new.start, new.end, new.text, new.note, new.modified, old.uuid))
            if cur.rowcount != 1:
                raise StoreConflict(f"the span “{old.text[:40]}” is no longer in the "
                                    "database (deleted elsewhere)")
            self.log.write(who, "update", "span", old.uuid,
                           {"before": span_dict(old), "after": span_dict(new)})

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
