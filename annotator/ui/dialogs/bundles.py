"""Team → Create annotator packages…: one NAME.annot per assigned annotator, written into
a folder of the lead's choosing off the GUI thread, then a summary of what was written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.domain.errors import AnnotatorError

from ..runner import Runner
from .messages import confirm, inform

if TYPE_CHECKING:
    from annotator.domain.bundle import BundleReport
    from annotator.workspace import Job, Workspace

_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(annotator: str) -> str:
    """NAME.annot, with what no file system takes in a name replaced."""
    name = _NOT_IN_FILE_NAMES.sub("_", annotator).strip(" .") or "annotator"
    return f"{name}.annot"


def assigned_names(workspace: Workspace) -> list[str]:
    """Who has documents assigned, by name (gold never has)."""
    names = workspace.names()  # uuid -> name
    return sorted((names[uuid] for uuid, docs in workspace.assignments().items()
                   if docs and uuid in names), key=str.casefold)


def create_bundles(parent: QWidget, workspace: Workspace, runner: Runner,
                   folder: str | None = None) -> list[BundleReport] | None:
    """Ask for a folder (unless given), confirm replacing packages there, write them;
    what was written, or None."""
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

    def work(ws: Workspace, job: Job) -> list[BundleReport]:
        written: list[BundleReport] = []
        for i, (name, path) in enumerate(targets):
            if job.cancelled():
                break
            job.progress(i, len(targets), f"Packaging {name}'s documents ({i + 1} of "
                         f"{len(targets)})")
            written.append(ws.create_bundle(name, path, force=path.name in there))
        job.progress(len(targets), len(targets), "")
        return written

    try:
        written = runner.run(parent, "Creating packages", "Creating packages…", work,
                             name="bundleProgress")
    except AnnotatorError as e:
        inform(parent, "Packages not made", str(e), warning=True)
        return None
    lines = [f"Wrote {len(written)} of {len(targets)} packages to {folder}:"]
    for report in written:
        version = report.info.guidelines_version
        lines.append(f"  {report.path.name}: {report.info.annotator_name}, "
                     f"{report.info.documents:,} documents"
                     + (f", {report.spans:,} spans so far" if report.spans else "")
                     + (f", guidelines version {version}" if version else ", no guidelines"))
    lines.append("Send each annotator their own file; they open it with Annotator and "
                 "send it back when done (Team → Merge packages…).")
    inform(parent, "Packages created", "\n".join(lines))
    return written
