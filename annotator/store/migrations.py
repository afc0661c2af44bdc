"""Schema changes, one numbered step each; PRAGMA user_version records the last step applied."""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlite_utils

from annotator import bundled
from annotator.domain.model import new_uuid, now_iso

from .db import transaction


def _step_1(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {
            "id": int, "uuid": str, "content_hash": str, "title": str, "source_path": str,
            "text": str, "meta": str, "sample": int, "created": str,
        },
        pk="id",
        not_null={"uuid", "content_hash", "title", "text", "meta", "sample", "created"},
        defaults={"meta": "{}", "sample": 0, "source_path": ""},
    )
    db["documents"].create_index(["uuid"], unique=True)
    db["documents"].create_index(["content_hash"], unique=True)

    db["labels"].create(
        {"uuid": str, "name": str, "colour": str, "shortcut": str, "description": str,
         "position": int},
        pk="uuid",
        not_null={"name", "colour", "position"},
        defaults={"shortcut": "", "description": ""},
    )
    db["labels"].create_index(["name"], unique=True)

    db["annotators"].create({"uuid": str, "name": str}, pk="uuid", not_null={"name"})
    db["annotators"].create_index(["name"], unique=True)

    db["annotations"].create(
        {
            "uuid": str, "document_id": int, "annotator_uuid": str, "label_uuid": str,
            "start": int, "end": int, "text": str, "note": str, "created": str, "modified": str,
        },
        pk="uuid",
        not_null={"document_id", "annotator_uuid", "label_uuid", "start", "end", "text",
                  "created", "modified"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("annotator_uuid", "annotators", "uuid"),
            ("label_uuid", "labels", "uuid"),
        ],
    )
    db["annotations"].create_index(["document_id", "annotator_uuid"])
    db["annotations"].create_index(["label_uuid"])

    db["document_status"].create(
        {"document_id": int, "annotator_uuid": str, "status": str, "modified": str},
        pk=("document_id", "annotator_uuid"),
        not_null={"status", "modified"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("annotator_uuid", "annotators", "uuid"),
        ],
    )

    # Append-only: nothing in the code updates or deletes these rows.
    db["change_log"].create(
        {"id": int, "at": str, "who": str, "action": str, "entity": str, "entity_id": str,
         "data": str},
        pk="id",
        not_null={"at", "action", "entity", "entity_id", "data"},
    )
    db["change_log"].create_index(["entity", "entity_id"])

    db["settings"].create({"key": str, "value": str}, pk="key", not_null={"value"})

    labels = [
        {"uuid": new_uuid(), "position": i, **{k: label.get(k, "") for k in
         ("name", "colour", "shortcut", "description")}}
        for i, label in enumerate(bundled.default_labels())
    ]
    db["labels"].insert_all(labels)
    db["change_log"].insert_all(
        {"at": now_iso(), "who": None, "action": "add", "entity": "label",
         "entity_id": label["uuid"],
         "data": json.dumps({"name": label["name"], "colour": label["colour"]})}
        for label in labels
    )


STEPS: list[Callable[[sqlite_utils.Database], None]] = [_step_1]
SCHEMA_VERSION = len(STEPS)


def migrate(db: sqlite_utils.Database) -> int:
    """Apply every step not yet applied, each in its own transaction. Returns the version."""
    conn = db.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, step in enumerate(STEPS[version:], start=version + 1):
        with transaction(conn):
            step(db)
            conn.execute(f"PRAGMA user_version = {number}")
    return SCHEMA_VERSION
