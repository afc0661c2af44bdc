"""What the recommenders proposed to each annotator, and what became of it: open,
accepted (and the span it became) or rejected. Decisions are logged; proposals are not
(they are computed again at will)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.domain.model import now_iso
from annotator.domain.suggestions import Proposal, SpanSuggestion, SuggestionStatus

from .db import translated, writing
from .errors import StoreConflict
from .tables import Table, chunks, column_list, columns, marks, reading

COLUMNS = columns(SpanSuggestion)
_SELECT = f"SELECT {column_list(COLUMNS)} FROM suggestions"
_LABEL_THERE = "label_uuid IN (SELECT uuid FROM labels)"  # a deleted label's are kept, unseen


def _suggestion(row: tuple) -> SpanSuggestion:
    values = list(row)
    values[8] = SuggestionStatus(values[8])
    return SpanSuggestion(*values)


class Suggestions(Table):
    @translated
    def of_document(self, doc_id: int, annotator_uuid: str,
                    status: SuggestionStatus | None = SuggestionStatus.OPEN
                    ) -> list[SpanSuggestion]:
        """One annotator's suggestions in a document (open ones by default; every one with
        status None), in the order of the text."""
        sql = (f"{_SELECT} WHERE document_id = ? AND annotator_uuid = ? "
               f"AND {_LABEL_THERE}")
        args: tuple = (doc_id, annotator_uuid)
        if status is not None:
            sql += " AND status = ?"
            args += (status.value,)
        return [_suggestion(r) for r in self.conn.execute(
            sql + ' ORDER BY start, "end", id', args)]

    @translated
    def get(self, ids: Sequence[int]) -> list[SpanSuggestion]:
        found: dict[int, SpanSuggestion] = {}
        for chunk in chunks(list(ids)):
            for row in self.conn.execute(f"{_SELECT} WHERE id IN ({marks(chunk)})", chunk):
                found[row[0]] = _suggestion(row)
        return [found[i] for i in ids if i in found]

    @translated
    def propose(self, annotator_uuid: str, document_ids: Iterable[int],
                proposals: Sequence[Proposal]) -> int:
        """Make `proposals` the open suggestions of these documents for this annotator: open
        ones not proposed again go, those proposed again keep their id (a suggestion the
        window is showing stays the same one) with the new score; a place already accepted
        or rejected is not proposed again. Returns how many are open there now."""
        stamp = now_iso()
        ids = list(document_ids)
        wanted = {(p.document_id, p.label_uuid, p.start, p.end) for p in proposals}
        with writing(self.conn):
            stale = []
            for chunk in chunks(ids):
                stale += [row[0] for row in self.conn.execute(
                    'SELECT id, document_id, label_uuid, start, "end" FROM suggestions '
                    "WHERE status = 'open' AND annotator_uuid = ? "
                    f"AND document_id IN ({marks(chunk)})", (annotator_uuid, *chunk))
                    if tuple(row[1:]) not in wanted]
            for chunk in chunks(stale):
                self.conn.execute(f"DELETE FROM suggestions WHERE id IN ({marks(chunk)})",
                                  chunk)
            self.conn.executemany(
                "INSERT INTO suggestions (document_id, annotator_uuid, recommender, "
                'label_uuid, start, "end", score, why, created) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                'ON CONFLICT (annotator_uuid, document_id, label_uuid, start, "end") '
                "DO UPDATE SET recommender = excluded.recommender, score = excluded.score, "
                "why = excluded.why WHERE status = 'open'",
                ((p.document_id, annotator_uuid, p.recommender, p.label_uuid, p.start, p.end,
                  p.score, p.why, stamp) for p in proposals))
            return sum(self.conn.execute(
                "SELECT count(*) FROM suggestions WHERE status = 'open' AND annotator_uuid = ? "
                f"AND document_id IN ({marks(chunk)})", (annotator_uuid, *chunk)).fetchone()[0]
                for chunk in chunks(ids))

    @translated
    def decide(self, suggestions: Sequence[SpanSuggestion], status: SuggestionStatus,
               who: str | None, span_uuids: Sequence[str | None] | None = None) -> None:
        """Accept or reject these suggestions (or open them again: an undo), logged under
        `who`; an accepted one remembers the span it became."""
        stamp = now_iso() if status is not SuggestionStatus.OPEN else None
        person = who if status is not SuggestionStatus.OPEN else None
        spans = list(span_uuids) if span_uuids is not None else [None] * len(suggestions)
        with writing(self.conn):
            for suggestion, span_uuid in zip(suggestions, spans, strict=True):
                # By id and place: an undo or redo must decide the very suggestion it did.
                changed = self.conn.execute(
                    "UPDATE suggestions SET status = ?, decided_by = ?, decided = ?, "
                    "span_uuid = ? WHERE id = ? AND annotator_uuid = ? AND document_id = ? "
                    'AND label_uuid = ? AND start = ? AND "end" = ?',
                    (status.value, person, stamp, span_uuid, suggestion.id,
                     suggestion.annotator_uuid, suggestion.document_id,
                     suggestion.label_uuid, suggestion.start, suggestion.end)).rowcount
                if not changed:
                    raise StoreConflict("that suggestion is no longer there (proposed afresh "
                                        "since); nothing was changed")
                action = {SuggestionStatus.ACCEPTED: "accept",
                          SuggestionStatus.REJECTED: "reject",
                          SuggestionStatus.OPEN: "reopen"}[status]
                self.log.write(who, action, "suggestion", suggestion.id, {
                    "document_id": suggestion.document_id,
                    "annotator_uuid": suggestion.annotator_uuid,
                    "recommender": suggestion.recommender,
                    "label_uuid": suggestion.label_uuid, "start": suggestion.start,
                    "end": suggestion.end, "score": suggestion.score,
                    "span_uuid": span_uuid})

    @translated
    def outcomes(self, annotator_uuid: str | None = None
                 ) -> dict[tuple[str, str], dict[str, int]]:
        """(recommender, label uuid) -> {status: count}: how suggestions fared on real
        decisions (everyone's, or one annotator's)."""
        sql = (f"SELECT recommender, label_uuid, status, count(*) FROM suggestions WHERE "
               f"{_LABEL_THERE}" + (" AND annotator_uuid = ?" if annotator_uuid else "")
               + " GROUP BY recommender, label_uuid, status")
        found: dict[tuple[str, str], dict[str, int]] = {}
        for recommender, label, status, n in self.conn.execute(
                sql, (annotator_uuid,) if annotator_uuid else ()):
            found.setdefault((recommender, label), {})[status] = n
        return found

    @translated
    def learning_material(self, annotator_uuid: str | None
                          ) -> tuple[dict[int, set[tuple[str, int, int]]], dict[int, str]]:
        """What a recommender may learn from: the documents this annotator (None: anyone)
        marked done, with the spans of whoever marked each done as (label uuid, start,
        end), each place once; and their texts. Only finished work: in a document still in
        progress, what is not marked yet is not known to be no span (its own open
        suggestions would be learned as wrong)."""
        who, args = ("s.annotator_uuid = ?", (annotator_uuid,)) if annotator_uuid else ("1", ())
        found: dict[int, set[tuple[str, int, int]]] = {}
        with reading(self.conn):
            for (doc_id,) in self.conn.execute(
                    f"SELECT document_id FROM document_status s WHERE status = 'done' AND {who}",
                    args):
                found.setdefault(doc_id, set())
            for doc_id, label, start, end in self.conn.execute(
                    'SELECT a.document_id, a.label_uuid, a.start, a."end" FROM annotations a '
                    "JOIN document_status s ON s.document_id = a.document_id AND "
                    f"s.annotator_uuid = a.annotator_uuid WHERE s.status = 'done' AND {who}",
                    args):
                found[doc_id].add((label, start, end))
            texts: dict[int, str] = {}
            for chunk in chunks(sorted(found)):
                texts.update(self.conn.execute(
                    f"SELECT id, text FROM documents WHERE id IN ({marks(chunk)})", chunk))
        return found, texts
