"""Documents: added in bulk, found by id, uuid or content hash, listed, searched, deleted."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring as _quote

from annotator.domain.errors import SearchError
from annotator.domain.model import (
    GOLD,
    Document,
    DocumentFilter,
    DocumentSummary,
    SearchHit,
    Span,
    Status,
    now_iso,
)

from .db import translated, writing
from .errors import StoreConflict
from .search import (
    INDEX_PAUSED,
    NOTES_TABLE,
    SEARCH_TABLE,
    match_expression,
    matching_documents,
    wanted_expression,
)
from .spans import Spans
from .status import Statuses
from .tables import ChangeLog, Table, chunks, column_list, columns, marks, reading, to_json

DOCUMENT_COLUMNS = columns(Document)
_SELECT = f"SELECT {column_list(DOCUMENT_COLUMNS)} FROM documents"

# Best first: FTS5 ranks by bm25 itself, with a title match weighing ten times a text
# match; ordered by the index, a LIMIT stops it early (snippets only for the rows kept).
_RANKED = f"{SEARCH_TABLE} MATCH ? AND rank MATCH 'bm25(10.0, 1.0)'"

INDEX_EVERY = 500  # documents added inside indexing_together, indexed at once
_INSERT = ("INSERT INTO documents (id, uuid, content_hash, title, source_path, text, meta, "
           "sample, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _added_json(doc_id: int, doc: Document) -> str:
    """A document's "add" entry: to_json({"id", "title", "source_path", "content_hash"}),
    written out (3x faster, for an import of 100,000 reviews)."""
    return (f'{{"id": {doc_id}, "title": {_quote(doc.title)}, '
            f'"source_path": {"null" if doc.source_path is None else _quote(doc.source_path)}, '
            f'"content_hash": {_quote(doc.content_hash)}}}')


# How the document list can be ordered; see Documents.ids.
DOCUMENT_ORDERS = ("id", "title", "status", "spans", "label")


def _like_escape(text: str) -> str:
    """`text` as a literal inside a LIKE pattern with ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _start_of(text: str, words: int) -> str:
    """The first words of a text, on one line: a snippet where no word was searched for."""
    kept = text.split()
    return " ".join(kept[:words]) + ("…" if len(kept) > words else "")


def _narrowed(doc_id: str, narrow: DocumentFilter | None) -> tuple[list[str], list]:
    """SQL conditions (and their arguments) on the document id `doc_id` for a filter;
    each reads an index (migration 5), no row by row work over the library."""
    where: list[str] = []
    args: list = []
    if not narrow:
        return ["1"], args
    span = []
    for column, value in (("label_uuid", narrow.label_uuid),
                          ("annotator_uuid", narrow.annotator_uuid)):
        if value is not None:
            span.append(f"{column} = ?")
            args.append(value)
    if narrow.has_note:
        span.append("note IS NOT NULL AND note != ''")
    if span:
        where.append(f"{doc_id} IN (SELECT document_id FROM annotations "
                     f"WHERE {' AND '.join(span)})")
    status, whose = narrow.status, narrow.status_of
    if status is Status.NEW:  # "new" is the absence of a row (or of any row)
        which = " AND annotator_uuid = ?" if whose is not None else ""
        where.append(f"{doc_id} NOT IN (SELECT document_id FROM document_status "
                     f"WHERE status != 'new'{which})")
        args += [whose] if whose is not None else []
    elif status is not None:
        which = "annotator_uuid = ? AND " if whose is not None else ""
        where.append(f"{doc_id} IN (SELECT document_id FROM document_status "
                     f"WHERE {which}status = ?)")
        args += [whose, status.value] if whose is not None else [status.value]
    if narrow.disagreement:
        where.append(f"{doc_id} IN ({_DISAGREEMENTS})")
        args += [GOLD.uuid, GOLD.uuid]
    return where, args


# Documents where at least two annotators (not gold) made spans, and some span (label,
# start, end) was not made by them all: domain.disagreement's rule, in SQL. The first
# part reads the (document, annotator) index only; the second, the spans of those.
_DISAGREEMENTS = (
    "SELECT p.document_id FROM (SELECT document_id, count(DISTINCT annotator_uuid) AS n "
    "FROM annotations WHERE annotator_uuid != ? GROUP BY document_id HAVING n >= 2) p "
    "WHERE EXISTS (SELECT 1 FROM annotations a WHERE a.document_id = p.document_id "
    "AND a.annotator_uuid != ? GROUP BY a.label_uuid, a.start, a.\"end\" "
    "HAVING count(DISTINCT a.annotator_uuid) < p.n)")


def _in_transaction(conn: sqlite3.Connection) -> bool:
    return conn.in_transaction  # a function: mypy would take the attribute as unchanging


def _document(row: tuple) -> Document:
    values = dict(zip(DOCUMENT_COLUMNS, row, strict=True))
    values["meta"] = json.loads(values["meta"])
    values["sample"] = bool(values["sample"])
    return Document(**values)


class Documents(Table):
    table = "documents"

    def __init__(self, conn: sqlite3.Connection, log: ChangeLog, spans: Spans,
                 statuses: Statuses) -> None:
        super().__init__(conn, log)
        self.spans, self.statuses = spans, statuses
        self._together = False  # inside indexing_together
        self._unindexed = 0  # ... the first id not indexed yet
        self._waiting = 0  # ... and how many documents were added since then

    @translated
    def add(self, docs: list[Document], who: str | None) -> list[int]:
        """Add documents in bulk (executemany), each logged; returns their ids in order.

        Ids are given here, inside the write transaction, so that spans can refer to them
        without a round trip per document. They are indexed for search in one statement
        after the rows, or together with every other document added inside
        `indexing_together`.
        """
        with writing(self.conn):
            first = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents"
                                      ).fetchone()[0]
            ids = list(range(first, first + len(docs)))
            stamp = now_iso()
            rows = [(doc_id, d.uuid, d.content_hash, d.title, d.source_path, d.text,
                     to_json(d.meta), int(d.sample), d.created or stamp)
                    for doc_id, d in zip(ids, docs, strict=True)]
            if self._together:
                self.conn.executemany(_INSERT, rows)
                # Fewer ids than were waiting: a savepoint rolled back documents since
                # (with their index entries, if any). Those from `first` on are all new.
                self._unindexed = min(self._unindexed, first)
                self._waiting += len(rows)
                if self._waiting >= INDEX_EVERY:
                    self._index_waiting()
            else:
                with self.indexing_together():
                    self.conn.executemany(_INSERT, rows)
            self.log.write_many(who, "add", "document", (
                (d.uuid, _added_json(doc_id, d)) for doc_id, d in zip(ids, docs, strict=True)))
        return ids

    @contextmanager
    def indexing_together(self) -> Iterator[None]:
        """Inside a transaction: the documents added meanwhile are indexed for search at
        the end, in one statement. Row by row (the trigger), or one statement per file of
        a folder of small ones, FTS5 writes a segment each time and merges them over and
        over: 10,000 review files spent 0.7 s there instead of 0.3 s. The documents added
        meanwhile must not be deleted or changed before it ends. They are indexed
        INDEX_EVERY at a time, while their rows are still in the page cache: a stream of
        100,000 reviews indexed at its end read them all from disk again."""
        if self._together:
            yield
            return
        if not _in_transaction(self.conn):  # the pause would be committed: others' rows
            raise RuntimeError("indexing_together needs a transaction")  # left unindexed
        self._unindexed = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents"
                                            ).fetchone()[0]
        self._waiting = 0
        self.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, '1')",
                          (INDEX_PAUSED,))
        self._together = True
        try:
            yield
        finally:  # the rows added, all of them if a failure is caught and carried on
            self._together = False
            if _in_transaction(self.conn):
                self.conn.execute("DELETE FROM settings WHERE key = ?", (INDEX_PAUSED,))
                self._index_waiting()

    def _index_waiting(self) -> None:
        self.conn.execute(f"INSERT INTO {SEARCH_TABLE} (rowid, title, text) "
                          "SELECT id, title, text FROM documents WHERE id >= ?",
                          (self._unindexed,))
        self._unindexed = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents"
                                            ).fetchone()[0]
        self._waiting = 0

    @translated
    def by_hashes(self, hashes: Iterable[str]) -> dict[str, tuple[int, str]]:
        """Of these content hashes, the stored ones: hash -> (id, title)."""
        found: dict[str, tuple[int, str]] = {}
        for chunk in chunks(list(hashes)):
            found.update((r[0], (r[1], r[2])) for r in self.conn.execute(
                "SELECT content_hash, id, title FROM documents WHERE content_hash IN "
                f"({marks(chunk)})", chunk))
        return found

    @translated
    def get(self, doc_id: int) -> Document | None:
        row = self.conn.execute(f"{_SELECT} WHERE id = ?", (doc_id,)).fetchone()
        return _document(row) if row else None

    @translated
    def by_uuid(self, uuid: str) -> Document | None:
        row = self.conn.execute(f"{_SELECT} WHERE uuid = ?", (uuid,)).fetchone()
        return _document(row) if row else None

    @translated
    def uuid_of(self, doc_id: int) -> str | None:
        row = self.conn.execute("SELECT uuid FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    @translated
    def id_of(self, uuid: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE uuid = ?", (uuid,)).fetchone()
        return row[0] if row else None

    @translated
    def with_spans(self, ids: list[int]) -> list[tuple[Document, list[Span], dict[str, Status]]]:
        """Documents with their spans and statuses, three queries for all of them (an
        export of 10,000 documents must not make 30,000 round trips). In the order given."""
        with reading(self.conn):  # one moment: spans of documents deleted meanwhile
            docs = {r[0]: _document(r) for r in self.conn.execute(
                f"{_SELECT} WHERE id IN ({marks(ids)})", ids)}
            spans = self.spans.of_documents(list(docs), {i: d.text for i, d in docs.items()})
            statuses = self.statuses.of_documents(list(docs))
        return [(docs[i], spans[i], statuses[i]) for i in ids if i in docs]

    @translated
    def text(self, doc_id: int) -> str | None:
        """A document's text (the last one read is kept: see spans.Texts)."""
        return self.spans.texts.of(doc_id)

    @translated
    def ids(self, search: str = "", order: str = "id", descending: bool = False,
            annotator_uuid: str | None = None, label_uuid: str | None = None,
            narrow: DocumentFilter | None = None) -> list[int]:
        """Ids of the documents whose title, text or span notes match `search` and that
        pass `narrow` (see DocumentFilter), in `order`.

        `search` is what is typed in the list's filter box: words (each one a prefix, so
        that "harb" finds harbour while it is being typed), "a phrase", OR and NOT, any case,
        accents ignored (store.search). A search with no word in it, only punctuation ("%",
        "_"), is looked for as it is, in titles and texts (a scan).

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
        direction = " DESC" if descending else ""
        matching, matching_args = matching_documents(search, every_word_a_prefix=True)
        if matching and order == "id" and not narrow:
            return [r[0] for r in self._found(
                f"{matching} ORDER BY 1{direction}", matching_args, search)]
        where, where_args = _narrowed("d.id", narrow)
        if matching:
            where.insert(0, f"d.id IN ({matching})")
            where_args[:0] = matching_args
        elif search:
            pattern = "%" + _like_escape(search) + "%"
            where.insert(0, "(d.title LIKE ? ESCAPE '\\' OR d.text LIKE ? ESCAPE '\\')")
            where_args[:0] = [pattern, pattern]
        if where:
            sql += " WHERE " + " AND ".join(where)
            args += where_args
        # "+d.id", not "d.id": ordering by the rowid itself makes SQLite walk the table, texts
        # and all (3x slower at 100,000 reviews); this way it reads a small index and sorts.
        sql += f" ORDER BY {key}{direction}, +d.id" if key else f" ORDER BY +d.id{direction}"
        return [r[0] for r in self._found(sql, args, search)]

    def _found(self, sql: str, args: list, search: str) -> list[tuple]:
        """The rows a search finds; a search FTS5 refuses all the same (match_expression
        should leave none) is the user's SearchError, not a crash."""
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError as e:
            if "fts5" not in str(e):
                raise
            raise SearchError(f"{search!r} cannot be searched for ({e}); try plain "
                              "words") from e

    @translated
    def search(self, query: str, limit: int | None = None) -> list[int]:
        """Ids of the documents matching `query`, best first: those whose title and text
        match (titles weigh ten times as much as texts), then those whose span notes do,
        then those matched by their text and notes together. Words must all match,
        exactly ("harb*" for a prefix), each in the title, text or notes; "a phrase" (within
        one of them), OR and NOT as in the list's filter (search.matching_documents).
        SearchError for a query with no word in it."""
        return [hit.id for hit in self.hits(query, limit, snippets=False)]

    @translated
    def hits(self, query: str, limit: int | None = None, words: int = 12,
             label_uuid: str | None = None, annotator_uuid: str | None = None,
             status: Status | None = None, narrow: DocumentFilter | None = None,
             snippets: bool = True) -> list[SearchHit]:
        """search(), with each document's title and a snippet of about `words` words
        around the match (the matching words between [ and ], on one line); a document
        found by its notes has a snippet of them, after "note: ".

        Narrowed by `narrow` (DocumentFilter); label_uuid, annotator_uuid and status are
        its fields, given one by one, as the CLI's options (status: this annotator's, or
        without one anyone's). A `query` with no word in it and a filter lists the
        documents the filter leaves, in id order, each with the start of its text."""
        if narrow is None:  # the annotator: whose status, or else whose spans
            narrow = DocumentFilter(
                label_uuid, annotator_uuid if label_uuid or status is None else None,
                status, annotator_uuid)
        expression = match_expression(query)
        if not expression and not (narrow and not query.strip()):
            self._expression(query)  # raises: there is no word to search for
        size = max(1, min(words, 64))
        if not expression:
            where, args = _narrowed("id", narrow)
            sql = (f"SELECT id, title, substr(text, 1, {size * 12}) FROM documents "
                   f"WHERE {' AND '.join(where)} ORDER BY id")
            if limit is not None:
                sql += " LIMIT ?"
                args.append(limit)
            return [SearchHit(doc_id, title, _start_of(text, size))
                    for doc_id, title, text in self.conn.execute(sql, args)]
        found: list[SearchHit] = []
        shown: set[int] = set()
        matching, matching_args = matching_documents(query)
        several = len(matching_args) > 2  # more than one term (one term: two arguments)
        # Title and text first (ranked), then the notes of documents not found so, then
        # the documents found by their text and notes together (in id order).
        for table, rank, tag in ((SEARCH_TABLE, _RANKED, ""),
                                 (NOTES_TABLE, f"{NOTES_TABLE} MATCH ?", "note: "),
                                 ("documents", "", "note: ")):
            hit_id = f"{table}.rowid"  # named in full: inside a subquery, rowid is its own
            # "+": not handed to FTS5 as lookups by rowid (see search.matching_documents)
            where, args = _narrowed(f"+{hit_id}", narrow)
            if table == "documents" and not several:
                break  # one term: the two indexes found every document
            if several:  # a match in one index is checked against both (NOT, AND)
                where.append(f"+{hit_id} IN ({matching})")
                args = [*args, *matching_args]
            if table == "documents":
                # A snippet of the notes where the words found there are.
                snippet = (f"(SELECT snippet({NOTES_TABLE}, 0, '[', ']', '…', {size}) FROM "
                           f"{NOTES_TABLE} WHERE {NOTES_TABLE} MATCH ? AND "
                           f"{NOTES_TABLE}.rowid = documents.id)" if snippets else "''")
                sql = (f"SELECT id, title, {snippet} FROM documents "
                       f"WHERE {' AND '.join(where)} ORDER BY id")
                if limit is not None:
                    sql += " LIMIT ?"
                    args.append(limit + len(shown))
                first = [wanted_expression(query)] if snippets else []
                for doc_id, title_text, text in self._found(sql, [*first, *args], query):
                    if doc_id not in shown:
                        shown.add(doc_id)
                        found.append(SearchHit(doc_id, title_text,
                                               tag + " ".join((text or "").split())))
                break
            snippet = (f"snippet({table}, -1, '[', ']', '…', {size})" if snippets
                       else "''")
            title = (f"(SELECT title FROM documents WHERE id = {hit_id})"
                     if table == NOTES_TABLE else "title")
            sql = (f"SELECT {hit_id}, {title}, {snippet} FROM {table} "
                   f"WHERE {' AND '.join([rank, *where])} ORDER BY rank")
            if limit is not None:
                sql += " LIMIT ?"
                args.append(limit + len(shown))
            for doc_id, title_text, text in self._found(sql, [expression, *args], query):
                if doc_id in shown or title_text is None:
                    continue
                shown.add(doc_id)
                found.append(SearchHit(doc_id, title_text, tag + " ".join(text.split())))
        return found[:limit] if limit is not None else found

    @staticmethod
    def _expression(query: str) -> str:
        expression = match_expression(query)
        if not expression:
            raise SearchError(f"there is no word to search for in {query!r}: type a word, "
                              '"a phrase" or a prefix such as harb*')
        return expression

    @translated
    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    @translated
    def ids_page(self, offset: int, limit: int) -> list[int]:
        """Ids `offset` to `offset + limit` in the order of import (by id), read from a small
        index: the window lists 100,000 documents without reading all their ids."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM documents INDEXED BY documents_in_order ORDER BY id "
            "LIMIT ? OFFSET ?", (limit, offset))]

    @translated
    def rank(self, doc_id: int) -> int | None:
        """Where a document is in the order of import (0 for the first), None if absent."""
        with reading(self.conn):
            if self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)
                                 ).fetchone() is None:
                return None
            return self.conn.execute(
                "SELECT count(*) FROM documents INDEXED BY documents_in_order WHERE id < ?",
                (doc_id,)).fetchone()[0]

    @translated
    def summaries(self, annotator_uuid: str, ids: Iterable[int] | None = None
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
            sql += f" WHERE d.id IN ({marks(ids)})"
            count_sql += f" AND document_id IN ({marks(ids)})"
            args += ids
        rows = self.conn.execute(sql + " ORDER BY d.id", args).fetchall()
        counts: dict[int, dict[str, int]] = {}
        for doc_id, label_uuid, n in self.conn.execute(
                count_sql + " GROUP BY document_id, label_uuid", args):
            counts.setdefault(doc_id, {})[label_uuid] = n
        return [DocumentSummary(r[0], r[1], Status(r[2]), sum(counts.get(r[0], {}).values()),
                                counts.get(r[0], {})) for r in rows]

    @translated
    def delete(self, doc_id: int, who: str | None) -> None:
        """Removes the document with its spans and statuses, all logged."""
        doc = self.get(doc_id)
        if doc is None:
            return
        with writing(self.conn):
            for span in self.spans.of_document(doc_id):
                self.spans.delete(span, who)
            for annotator_uuid in self.statuses.of_document(doc_id):
                self.statuses.set(doc_id, annotator_uuid, Status.NEW, who)
            self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self.log.write(who, "delete", "document", doc.uuid,
                           {"id": doc_id, "title": doc.title, "content_hash": doc.content_hash,
                            "source_path": doc.source_path, "sample": doc.sample})

    @translated
    def rename(self, doc_id: int, title: str, who: str | None) -> str:
        """Give a document another title (its text never changes); returns the old one.
        StoreConflict if the document is gone."""
        with writing(self.conn):
            row = self.conn.execute("SELECT uuid, title FROM documents WHERE id = ?",
                                    (doc_id,)).fetchone()
            if row is None:
                raise StoreConflict("that document is no longer in the database (deleted "
                                    "elsewhere)")
            self.conn.execute("UPDATE documents SET title = ? WHERE id = ?", (title, doc_id))
            self.log.write(who, "update", "document", row[0],
                           {"id": doc_id, "before": {"title": row[1]},
                            "after": {"title": title}})
        return row[1]

    @translated
    def sample_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE sample = 1")]

    @translated
    def lengths(self, ids: Iterable[int]) -> dict[int, int]:
        """Characters (code points) of each document's text, without reading the texts,
        except those holding a NUL, where SQLite's length() stops counting."""
        found: dict[int, int] = {}
        for chunk in chunks(list(ids)):
            for doc_id, length, has_nul in self.conn.execute(
                    "SELECT id, length(text), instr(text, char(0)) > 0 FROM documents "
                    f"WHERE id IN ({marks(chunk)})", chunk):
                found[doc_id] = len(self.text(doc_id) or "") if has_nul else length
        return found

    @translated
    def titles(self, ids: Iterable[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in chunks(list(ids)):
            found.update(self.conn.execute(
                f"SELECT id, title FROM documents WHERE id IN ({marks(chunk)})",
                chunk).fetchall())
        return found
