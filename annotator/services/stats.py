"""Counts for `annotator stats` and the status bar."""

from __future__ import annotations

from annotator.store.repository import Store


def stats(store: Store) -> dict:
    per_annotator: dict[str, dict] = {}
    for name, label, count in store.count_by():
        per_annotator.setdefault(name, {"spans": {}, "status": {}})["spans"][label] = count
    for name, status, count in store.count_status():
        per_annotator.setdefault(name, {"spans": {}, "status": {}})["status"][status] = count
    return {
        "database": store.path,
        "documents": store.count_documents(),
        "spans": store.count_spans(),
        "labels": [label.name for label in store.labels()],
        "annotators": per_annotator,
    }
