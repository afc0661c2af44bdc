"""Projects and annotators' packages for the merge tests, made through the workspace."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

from annotator.domain.model import new_uuid, now_iso
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState

TABLES = ("documents", "labels", "annotators", "annotations", "document_status", "settings")


def open_ws(path: Path) -> Workspace:
    return Workspace.open(path, UserState(path.with_name(path.name + ".user.json")))


def make_project(folder: Path, n: int = 6, name: str = "project.db") -> Path:
    """A project of n reviews ("Review i" ...), closed."""
    inbox = folder / f"inbox-{name}"
    inbox.mkdir()
    for i in range(n):
        (inbox / f"{i:03}.txt").write_text(
            f"Review {i}\nThe ending of film {i} was a twist, and the acting was great.\n",
            encoding="utf-8")
    path = folder / name
    ws = open_ws(path)
    ws.import_paths([inbox], as_person=False)
    ws.close()
    return path


def make_bundle(project: Path, annotator: str, titles: list[str] | None = None,
                out: Path | None = None, bundle: bool = True) -> Path:
    """A package for `annotator` from the project: a copy of it with a new identity,
    holding only the documents titled `titles` (all when None), the annotator created in
    the project first so both share their UUID; with `bundle`, the `bundle` setting."""
    ws = open_ws(project)
    person = ws.switch_to(annotator)
    ws.close()
    out = out or project.with_name(f"{annotator}.annot")
    ws = open_ws(project)
    ws.store.backup(to=out)
    ws.close()
    ws = open_ws(out)
    ws.store.settings.set("database_uuid", new_uuid())
    if titles is not None:
        drop = [i for i in ws.document_ids() if ws.document(i).title not in titles]
        if drop:
            ws.delete_documents(drop)
    if bundle:
        ws.store.settings.set("bundle", json.dumps({
            "format": 1, "annotator_uuid": person.uuid, "annotator_name": person.name,
            "made_at": now_iso(), "source_database_uuid": "x", "guidelines_version": 1,
            "documents": ws.count_documents()}))
    ws.close()
    time.sleep(0.01)  # what is done after it was made is later than made_at
    return out


def annotate_as(path: Path, annotator: str) -> Workspace:
    ws = open_ws(path)
    if ws.bundle is None or ws.me.name != annotator:  # a package already works as its own
        ws.switch_to(annotator)
    return ws


def doc_by_title(ws: Workspace, title: str) -> int:
    return next(i for i in ws.document_ids() if ws.document(i).title == title)


def label(ws: Workspace, name: str) -> str:
    return next(lab.uuid for lab in ws.labels() if lab.name == name)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path) -> dict:
    """Every table a merge may change, but the change log, as sorted rows."""
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in TABLES}
    finally:
        conn.close()


def merge(project: Path, *paths: Path, **options):
    """Merged as the command line does, naming no one (a person would be made an annotator
    of the project on first use: a write of its own)."""
    options.setdefault("as_person", False)
    ws = open_ws(project)
    try:
        return ws.merge(list(paths), **options)
    finally:
        ws.close()


def log_entries(path: Path, action: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT entity, entity_id, data FROM change_log WHERE action = ?",
                            (action,)).fetchall()
    finally:
        conn.close()
