"""Counts for `annotator stats` and the status bar."""

from __future__ import annotations

from annotator.store.database import Store

from .team import progress


def stats(store: Store) -> dict:
    per_annotator: dict[str, dict] = {}
    for name, label, count in store.spans.counts_by_annotator_and_label():
        per_annotator.setdefault(name, {"spans": {}, "status": {}})["spans"][label] = count
    for name, status, count in store.statuses.counts():
        per_annotator.setdefault(name, {"spans": {}, "status": {}})["status"][status] = count
    return {
        "database": store.path,
        "documents": store.documents.count(),
        "spans": store.spans.count(),
        "labels": [label.name for label in store.labels.all()],
        "annotators": per_annotator,
        # Per annotator (issue 16): assigned, done of the assigned, spans per label, time
        # spent, last activity; beside "annotators", whose shape scripts already read.
        "progress": [row.as_json() for row in progress(store)],
    }
