"""Team → Create annotator packages…: one NAME.annot per assigned annotator, written into
a folder of the lead's choosing off the GUI thread, then a summary of what was written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.domain.errors import AnnotatorError

from ..runner import Runner
from .merge_dialog import _count, _get
from .messages import confirm, inform

_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(annotator: str) -> str:
    """NAME.annot, with what no file system takes in a name replaced."""
    name = _NOT_IN_FILE_NAMES.sub("_", annotator).strip(" .") or "annotator"
    return f"{name}.annot"


def assigned_names(workspace: Any) -> list[str]:
    """Who has documents assigned, by name (the core may key them by name or by uuid)."""
    found = workspace.assignments()
    names = workspace.names()  # uuid -> name
    keys: list[str] = []
    if isinstance(found, dict):
        keys = [k for k, docs in found.items() if _count(docs)]
    else:
        for row in found or []:
            key = _get(row, "annotator_name", "annotator_uuid", "annotator", default=None)
            key = _get(key, "name", default=key)
            if key is not None and key not in keys:
                keys.append(str(key))
    return sorted({names.get(k, k) for k in keys}, key=str.casefold)


def create_bundles(parent: QWidget, workspace: Any, runner: Runner,
                   folder: str | None = None) -> list[tuple[str, Any]] | None:
    """Ask for a folder (unless given), confirm overwriting, write the packages; the
    (file, report) pairs written, or None."""
    try:
        names = assigned_names(workspace)
    except AnnotatorError as e:
        inform(parent, "No packages made", str(e), warning=True)
        return None
    if not names:
        inform(parent, "No packages made", "No one has documents assigned yet: use Team → "
               "Assign… first.")
        return None
    if folder is None:
        folder = QFileDialog.getExistingDirectory(parent, "Folder for the annotation "
                                                  "packages")
        if not folder:
            return None
    targets = [(name, Path(folder) / file_name(name)) for name in names]
    there = [path.name for _, path in targets if path.exists()]
    if there and not confirm(parent, "Replace packages?",
                             f"{len(there)} package{'s' * (len(there) != 1)} already in "
                             f"{folder}: {', '.join(there)}. Replace "
                             f"{'them' if len(there) != 1 else 'it'}?"):
        return None

    def work(ws: Any, job: Any) -> list[tuple[str, Any]]:
        written: list[tuple[str, Any]] = []
        for i, (name, path) in enumerate(targets):
            if job.cancelled():
                break
            job.progress(i, len(targets), f"Packaging {name}'s documents ({i + 1} of "
                         f"{len(targets)})")
            if path.exists():  # confirmed above
                path.unlink()
            written.append((path.name, ws.create_bundle(name, path)))
        job.progress(len(targets), len(targets), "")
        return written

    try:
        written = runner.run(parent, "Creating packages", "Creating packages…", work,
                             name="bundleProgress")
    except AnnotatorError as e:
        inform(parent, "Packages not made", str(e), warning=True)
        return None
    lines = [f"Wrote {len(written)} of {len(targets)} packages to {folder}:"]
    for name, report in written:
        documents = _count(_get(report, "documents", "document_count", default=None))
        spans = _count(_get(report, "spans", "span_count", default=None))
        lines.append(f"  {name}: {documents:,} documents" +
                     (f", {spans:,} spans" if spans else ""))
    lines.append("Send each annotator their own file; they open it with Annotator and "
                 "send it back when done (Team → Merge packages…).")
    inform(parent, "Packages created", "\n".join(lines))
    return written
