"""The label set and the annotators: named things identified by UUID, all changes logged."""

from __future__ import annotations

import sqlite3

from annotator.domain.model import Annotator, Label, Span

from .db import translated, writing
from .errors import StoreConflict
from .spans import Spans
from .tables import ChangeLog, Table, column_list, columns

LABEL_COLUMNS = columns(Label)
_SELECT_LABELS = f"SELECT {column_list(LABEL_COLUMNS)} FROM labels"
_LABEL_FIELDS = tuple(c for c in LABEL_COLUMNS if c != "uuid")


class Labels(Table):
    def __init__(self, conn: sqlite3.Connection, log: ChangeLog, spans: Spans) -> None:
        super().__init__(conn, log)
        self.spans = spans

    @translated
    def all(self) -> list[Label]:
        return [Label(*r) for r in self.conn.execute(f"{_SELECT_LABELS} ORDER BY position, name")]

    @translated
    def get(self, uuid: str) -> Label | None:
        row = self.conn.execute(f"{_SELECT_LABELS} WHERE uuid = ?", (uuid,)).fetchone()
        return Label(*row) if row else None

    @translated
    def add(self, label: Label, who: str | None) -> None:
        with writing(self.conn):
            self.conn.execute(
                f"INSERT INTO labels ({column_list(LABEL_COLUMNS)}) "
                f"VALUES ({','.join('?' * len(LABEL_COLUMNS))})",
                tuple(getattr(label, c) for c in LABEL_COLUMNS))
            self.log.write(who, "add", "label", label.uuid,
                           {f: getattr(label, f) for f in _LABEL_FIELDS})

    @translated
    def update(self, labels: list[Label], who: str | None) -> None:
        """Several label edits at once, so that labels can swap or pass on their names;
        each logged with what changed."""
        with writing(self.conn):
            before: dict[str, Label] = {}
            for label in labels:
                old = self.get(label.uuid)
                if old is None:
                    raise StoreConflict(f"the label “{label.name}” is no longer in the "
                                        "database (deleted elsewhere)")
                before[label.uuid] = old
            # Names are unique at every statement, not only at commit: without parking them
            # first, renaming "praise" to "criticism" before the other way round would fail.
            for label in labels:
                if label.name != before[label.uuid].name:
                    self.conn.execute("UPDATE labels SET name = ? WHERE uuid = ?",
                                      (f"\x00parked {label.uuid}", label.uuid))
            for label in labels:
                old = before[label.uuid]
                changed = [f for f in _LABEL_FIELDS if getattr(old, f) != getattr(label, f)]
                if not changed:
                    continue
                self.conn.execute(
                    "UPDATE labels SET " + ", ".join(f"{f} = ?" for f in _LABEL_FIELDS)
                    + " WHERE uuid = ?",
                    (*(getattr(label, f) for f in _LABEL_FIELDS), label.uuid))
                self.log.write(who, "update", "label", label.uuid,
                               {"before": {f: getattr(old, f) for f in changed},
                                "after": {f: getattr(label, f) for f in changed}})

    @translated
    def delete(self, uuid: str, who: str | None) -> list[Span]:
        """Removes the label with every annotator's spans of it, all logged; returns the spans."""
        spans: list[Span] = []
        with writing(self.conn):
            label = self.get(uuid)
            if label is not None:
                spans = self.spans.of_label(uuid)
                for span in spans:
                    self.spans.delete(span, who)
                self.conn.execute("DELETE FROM labels WHERE uuid = ?", (uuid,))
                self.log.write(who, "delete", "label", uuid,
                               {f: getattr(label, f) for f in _LABEL_FIELDS})
        return spans


class Annotators(Table):
    @translated
    def all(self) -> list[Annotator]:
        return [Annotator(*r) for r in self.conn.execute(
            "SELECT uuid, name FROM annotators ORDER BY name")]

    @translated
    def by_name(self, name: str) -> Annotator | None:
        row = self.conn.execute("SELECT uuid, name FROM annotators WHERE name = ?",
                                (name,)).fetchone()
        return Annotator(*row) if row else None

    @translated
    def get(self, uuid: str) -> Annotator | None:
        row = self.conn.execute("SELECT uuid, name FROM annotators WHERE uuid = ?",
                                (uuid,)).fetchone()
        return Annotator(*row) if row else None

    @translated
    def add(self, annotator: Annotator, who: str | None) -> None:
        with writing(self.conn):
            self.conn.execute("INSERT INTO annotators (uuid, name) VALUES (?, ?)",
                              (annotator.uuid, annotator.name))
            self.log.write(who, "add", "annotator", annotator.uuid, {"name": annotator.name})

    @translated
    def at_work(self) -> set[str]:
        """Annotators with spans, or with a document in progress or done."""
        return {r[0] for r in self.conn.execute(
            "SELECT annotator_uuid FROM annotations UNION "
            "SELECT annotator_uuid FROM document_status WHERE status != 'new'")}

    @translated
    def with_done(self) -> set[str]:
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT annotator_uuid FROM document_status WHERE status = 'done'")}
