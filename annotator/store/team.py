"""Team work: the project's guidelines (versioned) and who has which document (plans)."""

from __future__ import annotations

import json
import sqlite3

from annotator.domain.model import now_iso

from .db import translated, writing
from .tables import Table, chunks, marks


class Guidelines(Table):
    """The guidelines, one row per version: a new version for every change, none edited
    afterwards, so a bundle can say which one its annotator saw."""

    table = "guidelines"

    @translated
    def latest(self) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT version, text FROM guidelines "
                                "ORDER BY version DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else None

    @translated
    def get(self, version: int) -> str | None:
        row = self.conn.execute("SELECT text FROM guidelines WHERE version = ?",
                                (version,)).fetchone()
        return row[0] if row else None

    @translated
    def add(self, text: str, who: str | None) -> int:
        """A new version; returns its number (one more than the latest)."""
        with writing(self.conn):
            version = self.conn.execute("SELECT coalesce(max(version), 0) + 1 FROM guidelines"
                                        ).fetchone()[0]
            self.conn.execute("INSERT INTO guidelines (version, text, created, author_uuid) "
                              "VALUES (?, ?, ?, ?)", (version, text, now_iso(), who))
            self.log.write(who, "add", "guidelines", version,
                           {"version": version, "text": text})
        return version


class Assignments(Table):
    """Which documents each annotator has, and the plans that gave them."""

    table = "assignments"

    @translated
    def store_plan(self, plan_uuid: str, seed: int, mode: str, value: float,
                   annotators: list[str], query: str | None,
                   assigned: dict[int, list[str]], who: str | None) -> int:
        """Store a plan: the documents it covers lose their earlier assignments and get
        these. Returns how many of them had some (replaced). One log entry for the plan:
        what made it (the plan is reproducible from it) and how many documents it gave."""
        ids = list(assigned)
        with writing(self.conn):
            replaced = 0
            for chunk in chunks(ids):
                replaced += self.conn.execute(
                    "SELECT count(DISTINCT document_id) FROM assignments WHERE document_id "
                    f"IN ({marks(chunk)})", chunk).fetchone()[0]
                self.conn.execute(f"DELETE FROM assignments WHERE document_id IN "
                                  f"({marks(chunk)})", chunk)
            self.conn.execute(
                "INSERT INTO assignment_plans (uuid, created, seed, mode, value, annotators, "
                "query) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (plan_uuid, now_iso(), seed, mode, value, json.dumps(annotators), query))
            self.conn.executemany(
                "INSERT INTO assignments (document_id, annotator_uuid, plan_uuid) "
                "VALUES (?, ?, ?)",
                ((doc_id, who_gets, plan_uuid) for doc_id, people in assigned.items()
                 for who_gets in people))
            self.log.write(who, "add", "assignment_plan", plan_uuid,
                           {"seed": seed, "mode": mode, "value": value,
                            "annotators": annotators, "query": query,
                            "documents": len(ids), "replaced": replaced})
        return replaced

    @translated
    def of(self, annotator_uuid: str) -> list[int]:
        """The documents assigned to one annotator, by id."""
        return [r[0] for r in self.conn.execute(
            "SELECT document_id FROM assignments WHERE annotator_uuid = ? "
            "ORDER BY document_id", (annotator_uuid,))]

    @translated
    def all(self) -> dict[str, list[int]]:
        """Annotator uuid -> the documents assigned to them, by id."""
        found: dict[str, list[int]] = {}
        for who, doc_id in self.conn.execute(
                "SELECT annotator_uuid, document_id FROM assignments "
                "ORDER BY annotator_uuid, document_id"):
            found.setdefault(who, []).append(doc_id)
        return found

    @translated
    def shared_counts(self) -> dict[str, int]:
        """Annotator uuid -> how many of their documents someone else has too."""
        return dict(self.conn.execute(
            "SELECT a.annotator_uuid, count(*) FROM assignments a WHERE EXISTS (SELECT 1 "
            "FROM assignments b WHERE b.document_id = a.document_id "
            "AND b.annotator_uuid != a.annotator_uuid) GROUP BY a.annotator_uuid"
        ).fetchall())

    @translated
    def done_counts(self) -> dict[str, int]:
        """Annotator uuid -> how many of their assigned documents they marked done."""
        return dict(self.conn.execute(
            "SELECT a.annotator_uuid, count(*) FROM assignments a JOIN document_status s "
            "ON s.document_id = a.document_id AND s.annotator_uuid = a.annotator_uuid "
            "WHERE s.status = 'done' GROUP BY a.annotator_uuid").fetchall())

    @translated
    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM assignments").fetchone()[0]


class Progress(Table):
    """What the lead's progress table reads: per annotator, in a few statements."""

    @translated
    def spans_by_label(self) -> dict[str, dict[str, int]]:
        """Annotator uuid -> label name -> span count (labels in the set's order)."""
        found: dict[str, dict[str, int]] = {}
        for who, label, n in self.conn.execute(
                "SELECT a.annotator_uuid, l.name, count(*) FROM annotations a "
                "JOIN labels l ON l.uuid = a.label_uuid GROUP BY a.annotator_uuid, l.uuid "
                "ORDER BY a.annotator_uuid, l.position, l.name"):
            found.setdefault(who, {})[label] = n
        return found

    @translated
    def done_counts(self) -> dict[str, int]:
        """Annotator uuid -> documents they marked done (assigned or not)."""
        return dict(self.conn.execute(
            "SELECT annotator_uuid, count(*) FROM document_status WHERE status = 'done' "
            "GROUP BY annotator_uuid").fetchall())

    @translated
    def time_spent(self, idle: float) -> dict[str, tuple[float, str]]:
        """Person uuid -> (seconds at work, their last entry's time), from the change log:
        their own entries here, plus what each package merged in recorded of its
        annotator's work there (see `merged_work`)."""
        found = dict(time_spent(self.conn, idle))
        for who, (seconds, last) in self.merged_work().items():
            mine, my_last = found.get(who, (0.0, ""))
            found[who] = (round(mine + seconds, 3), max(my_last or "", last))
        return found

    @translated
    def merged_work(self) -> dict[str, tuple[float, str]]:
        """Person uuid -> (seconds, last entry) of the work done in packages and merged
        here: each merge records its package's figures; a package merged again (later,
        with more work in it) counts once, by its latest merge."""
        latest: dict[str, dict] = {}
        for source, data in self.conn.execute(
                "SELECT entity_id, data FROM change_log WHERE action = 'merge' AND "
                "entity = 'database' ORDER BY id"):
            try:
                work = json.loads(data).get("work") or {}
            except (ValueError, AttributeError):
                continue
            if isinstance(work, dict):
                latest[source] = work
        found: dict[str, tuple[float, str]] = {}
        for work in latest.values():
            for who, figures in work.items():
                try:
                    seconds, last = float(figures["seconds"]), str(figures["last"])
                except (KeyError, TypeError, ValueError):
                    continue
                had, had_last = found.get(who, (0.0, ""))
                found[who] = (had + seconds, max(had_last, last))
        return found


def time_spent(conn: sqlite3.Connection, idle: float) -> dict[str, tuple[float, str]]:
    """Person uuid -> (seconds at work, last entry) from this database's own change log:
    the gaps between one person's consecutive entries added up, gaps longer than `idle`
    seconds (away from the desk) left out."""
    return spent(conn.execute(TIME_SPENT, (idle,)).fetchall())


TIME_SPENT = (  # ? is the idle gap, in seconds
    "SELECT who, sum(CASE WHEN gap <= ? THEN gap ELSE 0 END), max(at) FROM ("
    "SELECT who, at, (julianday(at) - julianday(lag(at) OVER (PARTITION BY who "
    "ORDER BY id))) * 86400.0 AS gap FROM change_log WHERE who IS NOT NULL) GROUP BY who")


def spent(rows: list[tuple]) -> dict[str, tuple[float, str]]:
    # julianday's days carry float error: milliseconds, the log's own precision.
    return {who: (round(seconds or 0.0, 3), last) for who, seconds, last in rows}
