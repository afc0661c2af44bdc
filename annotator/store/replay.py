"""The annotations rebuilt from the change log and the documents' texts alone: the proof
that the log is complete, and what an audit or a repair would start from.

Every kind of entry the store writes is replayed, in the shapes of every schema: before
schema 3 a span entry carried a copy of the span's text (ignored: the document holds it),
and labels' shortcut, description and position, and statuses' times, were not recorded;
migration 3 wrote them once as "baseline" entries, which replay takes as they are.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Label, Span

from .db import translated
from .spans import STORED, STORED_COLUMNS, with_text
from .tables import chunks, marks, reading

_SPAN_FIELDS = STORED[1:]  # what an entry gives of a span; its uuid is the entity id
_LABEL_FIELDS = ("name", "colour", "shortcut", "description", "position", "cues")


class ReplayError(AnnotatorError):
    """The change log does not account for the database (an entry refers to something
    it never added, or is of a kind replay does not know)."""


@dataclass
class Annotations:
    """Everything people made, keyed by identity: what replay rebuilds and the tables hold."""

    documents: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (uuid, title)
    labels: dict[str, Label] = field(default_factory=dict)
    annotators: dict[str, str] = field(default_factory=dict)  # uuid -> name
    spans: dict[str, Span] = field(default_factory=dict)
    statuses: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    #           (document id, annotator uuid) -> (status, modified); "new" has no row


@translated
def stored(conn: sqlite3.Connection) -> Annotations:
    """What the tables hold now."""
    found = Annotations()
    with reading(conn):
        found.documents = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT id, uuid, title FROM documents")}
        found.labels = {r[0]: Label(*r) for r in conn.execute(
            "SELECT uuid, name, colour, shortcut, description, position, cues FROM labels")}
        found.annotators = dict(conn.execute("SELECT uuid, name FROM annotators").fetchall())
        rows = conn.execute(f"SELECT {STORED_COLUMNS} FROM annotations").fetchall()
        found.spans = {s.uuid: s for s in _with_texts(conn, rows)}
        found.statuses = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
            "SELECT document_id, annotator_uuid, status, modified FROM document_status")}
    return found


@translated
def replay(conn: sqlite3.Connection) -> Annotations:
    """The annotations as the change log tells them, from an empty database on; span texts
    come from the documents' texts (a document's text never changes)."""
    state = _Replay()
    with reading(conn):
        for entry_id, at, action, entity, entity_id, data in conn.execute(
                "SELECT id, at, action, entity, entity_id, data FROM change_log ORDER BY id"):
            try:
                state.apply(at, action, entity, entity_id, json.loads(data))
            except (KeyError, TypeError, ValueError) as e:
                raise ReplayError(f"change log entry {entry_id} ({action} {entity} "
                                  f"{entity_id}) cannot be replayed: {e!r}") from None
        missing = {s["document_id"] for s in state.spans.values()} - set(state.documents)
        if missing:
            raise ReplayError(f"the change log leaves spans in documents it deleted or never "
                              f"added: {sorted(missing)[:5]}")
        rows = [(uuid, *(s[f] for f in _SPAN_FIELDS)) for uuid, s in state.spans.items()]
        return Annotations(dict(state.documents), dict(state.labels),
                           dict(state.annotators),
                           {s.uuid: s for s in _with_texts(conn, rows)},
                           dict(state.statuses))


def _with_texts(conn: sqlite3.Connection, rows: list[tuple]) -> list[Span]:
    """Spans of rows in STORED order, texts from their documents, a few hundred at a time."""
    by_document: dict[int, list[tuple]] = {}
    for row in rows:
        by_document.setdefault(row[1], []).append(row)
    spans: list[Span] = []
    for chunk in chunks(list(by_document)):
        texts = dict(conn.execute(
            f"SELECT id, text FROM documents WHERE id IN ({marks(chunk)})", chunk).fetchall())
        for doc_id in chunk:
            if doc_id not in texts:
                raise ReplayError(f"spans of document {doc_id}, which is not in the database")
            spans += [with_text(row, texts[doc_id]) for row in by_document[doc_id]]
    return spans


class _Replay:
    def __init__(self) -> None:
        self.documents: dict[int, tuple[str, str]] = {}
        self.labels: dict[str, Label] = {}
        self.annotators: dict[str, str] = {}
        self.spans: dict[str, dict] = {}
        self.statuses: dict[tuple[int, str], tuple[str, str]] = {}

    def apply(self, at: str, action: str, entity: str, entity_id: str, data: dict) -> None:
        step = getattr(self, f"_{entity}_{action}".replace("-", "_"), None)
        if step is None:
            raise ValueError(f"an entry of a kind replay does not know: {action} {entity}")
        step(at, entity_id, data)

    # spans: offsets and fields; a copy of the text (before schema 3) is ignored
    def _span_add(self, at: str, uuid: str, data: dict) -> None:
        self.spans[uuid] = {f: data.get(f) for f in _SPAN_FIELDS}

    def _span_update(self, at: str, uuid: str, data: dict) -> None:
        span = self.spans[uuid]
        span.update((f, v) for f, v in data["after"].items() if f in _SPAN_FIELDS)

    def _span_delete(self, at: str, uuid: str, data: dict) -> None:
        del self.spans[uuid]

    # documents: their ids and titles (texts are the documents' own, never changed)
    def _document_add(self, at: str, uuid: str, data: dict) -> None:
        self.documents[data["id"]] = (uuid, data["title"])

    def _document_update(self, at: str, uuid: str, data: dict) -> None:
        doc_id = data["id"]
        self.documents[doc_id] = (uuid, data["after"].get("title", self.documents[doc_id][1]))

    def _document_delete(self, at: str, uuid: str, data: dict) -> None:
        del self.documents[data["id"]]

    # statuses: "new" is no row; before schema 3 an entry had no time (its own is near)
    def _document_status_set_status(self, at: str, key: str, data: dict) -> None:
        where = (data["document_id"], data["annotator_uuid"])
        if data["after"] == "new":
            self.statuses.pop(where, None)
        else:
            self.statuses[where] = (data["after"], data.get("modified", at))

    def _document_status_baseline(self, at: str, key: str, data: dict) -> None:
        self.statuses[(data["document_id"], data["annotator_uuid"])] = (
            data["status"], data["modified"])

    # labels: before schema 3 an "add" gave only name and colour
    def _label_add(self, at: str, uuid: str, data: dict) -> None:
        self.labels[uuid] = Label(uuid, data["name"], data["colour"], data.get("shortcut", ""),
                                  data.get("description", ""),
                                  data.get("position", len(self.labels)),
                                  data.get("cues", ""))

    def _label_update(self, at: str, uuid: str, data: dict) -> None:
        old = self.labels[uuid]
        values = {f: getattr(old, f) for f in _LABEL_FIELDS}
        values.update((f, v) for f, v in data["after"].items() if f in _LABEL_FIELDS)
        self.labels[uuid] = Label(uuid, **values)

    def _label_delete(self, at: str, uuid: str, data: dict) -> None:
        del self.labels[uuid]

    def _label_baseline(self, at: str, uuid: str, data: dict) -> None:
        self.labels[uuid] = Label(uuid, **{f: data[f] for f in _LABEL_FIELDS if f in data})

    # suggestions: decisions on what a recommender proposed, not annotations (an accepted
    # one's span has its own "add" entry)
    def _suggestion_accept(self, at: str, key: str, data: dict) -> None:
        pass

    _suggestion_reject = _suggestion_reopen = _suggestion_accept

    # annotators
    def _annotator_add(self, at: str, uuid: str, data: dict) -> None:
        self.annotators[uuid] = data["name"]

    def _annotator_rekey(self, at: str, old: str, data: dict) -> None:
        """Migration 2: an annotator called "gold" became the reserved gold, with its spans
        and statuses."""
        new = data["uuid"]
        self.annotators.pop(old, None)
        self.annotators[new] = data["name"]
        for span in self.spans.values():
            if span["annotator_uuid"] == old:
                span["annotator_uuid"] = new
        for (doc_id, who) in [k for k in self.statuses if k[1] == old]:
            self.statuses[(doc_id, new)] = self.statuses.pop((doc_id, who))
