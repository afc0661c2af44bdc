"""Each annotator's progress on each document: new (no row), in progress, done; logged."""

from __future__ import annotations

import builtins

from annotator.domain.model import Status, now_iso

from .db import translated, writing
from .tables import Table, marks


class Statuses(Table):
    @translated
    def of(self, doc_id: int, annotator_uuid: str) -> Status:
        row = self.conn.execute(
            "SELECT status FROM document_status WHERE document_id = ? AND annotator_uuid = ?",
            (doc_id, annotator_uuid)).fetchone()
        return Status(row[0]) if row else Status.NEW

    @translated
    def of_document(self, doc_id: int) -> dict[str, Status]:
        """annotator uuid -> status, for everyone with a recorded status on this document."""
        rows = self.conn.execute(
            "SELECT annotator_uuid, status FROM document_status WHERE document_id = ?",
            (doc_id,))
        return {a: Status(s) for a, s in rows}

    @translated
    def of_documents(self, ids: list[int]) -> dict[int, dict[str, Status]]:
        found: dict[int, dict[str, Status]] = {doc_id: {} for doc_id in ids}
        for doc_id, who, status in self.conn.execute(
                "SELECT document_id, annotator_uuid, status FROM document_status "
                f"WHERE document_id IN ({marks(ids)})", ids):
            found[doc_id][who] = Status(status)
        return found

    @translated
    def set(self, doc_id: int, annotator_uuid: str, status: Status, who: str | None) -> Status:
        """Set one annotator's status on a document; returns the status it had."""
        with writing(self.conn):
            before = self.of(doc_id, annotator_uuid)
            stamp = now_iso()
            if status is Status.NEW:  # "new" is the absence of a row
                self.conn.execute(
                    "DELETE FROM document_status WHERE document_id = ? AND annotator_uuid = ?",
                    (doc_id, annotator_uuid))
            else:
                self.conn.execute(
                    "INSERT INTO document_status (document_id, annotator_uuid, status, modified)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT(document_id, annotator_uuid) "
                    "DO UPDATE SET status = excluded.status, modified = excluded.modified",
                    (doc_id, annotator_uuid, status.value, stamp))
            self._logged(doc_id, annotator_uuid, before, status, stamp, who)
        return before

    @translated
    def begin(self, doc_id: int, annotator_uuid: str, who: str | None) -> bool:
        """A new document becomes "in progress" (its first span); one statement when it is
        not new. True if the status moved."""
        with writing(self.conn):
            stamp = now_iso()
            moved = self.conn.execute(
                "INSERT INTO document_status (document_id, annotator_uuid, status, modified) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(document_id, annotator_uuid) DO NOTHING",
                (doc_id, annotator_uuid, Status.IN_PROGRESS.value, stamp)).rowcount == 1
            if moved:
                self._logged(doc_id, annotator_uuid, Status.NEW, Status.IN_PROGRESS, stamp, who)
        return moved

    def _logged(self, doc_id: int, annotator_uuid: str, before: Status, after: Status,
                stamp: str, who: str | None) -> None:
        """The entry, with the row's time stamp: replaying the log rebuilds the row exactly."""
        self.log.write(who, "set-status", "document_status", f"{doc_id}:{annotator_uuid}",
                       {"document_id": doc_id, "annotator_uuid": annotator_uuid,
                        "before": before.value, "after": after.value, "modified": stamp})

    @translated
    def done_by(self, annotator_uuid: str) -> builtins.set[int]:  # `set` here: the method
        return {r[0] for r in self.conn.execute(
            "SELECT document_id FROM document_status WHERE annotator_uuid = ? "
            "AND status = 'done'", (annotator_uuid,))}

    @translated
    def touched_by(self, annotator_uuid: str) -> builtins.set[int]:
        """Documents where this annotator has spans or a status other than new."""
        rows = self.conn.execute(
            "SELECT document_id FROM annotations WHERE annotator_uuid = ? "
            "UNION SELECT document_id FROM document_status WHERE annotator_uuid = ? "
            "AND status != 'new'", (annotator_uuid, annotator_uuid))
        return {r[0] for r in rows}

    @translated
    def count(self, annotator_uuid: str, status: Status) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM document_status WHERE annotator_uuid = ? AND status = ?",
            (annotator_uuid, status.value)).fetchone()[0]

    @translated
    def counts(self) -> list[tuple[str, str, int]]:
        """(annotator name, status, documents) for every pair with documents."""
        return self.conn.execute(
            "SELECT an.name, s.status, count(*) FROM document_status s "
            "JOIN annotators an ON an.uuid = s.annotator_uuid GROUP BY an.name, s.status "
            "ORDER BY an.name, s.status").fetchall()
