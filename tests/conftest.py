"""Shared fixtures. Qt must run offscreen before it is first imported, or pytest aborts."""

import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Window geometry, QSettings and each person's own state per database go to a throwaway
# folder, not the user's config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="annotator-test-config-")
# Backups too, for what runs outside a test's own folder (module-wide fixtures, programs the
# tests start): never the user's data folder. Each test gets a folder of its own below.
_BACKUPS = tempfile.mkdtemp(prefix="annotator-test-backups-")
os.environ["ANNOTATOR_BACKUPS"] = _BACKUPS
os.environ["ANNOTATOR_LOGS"] = tempfile.mkdtemp(prefix="annotator-test-logs-")  # crash, Qt logs

import pytest  # noqa: E402

from annotator.workspace import Workspace  # noqa: E402
from annotator.workspace.user_state import UserState  # noqa: E402


def workspace_on(path, state=None) -> Workspace:
    """A workspace on `path` with a settings file of its own (beside it, by default): each
    test is a person of its own."""
    state = state or path.with_name(path.name + ".user.json")
    return Workspace.open(path, UserState(state))


@pytest.fixture
def open_workspace():
    """open_workspace(path[, state]) -> a Workspace, closed when the test ends."""
    opened = []

    def make(path, state=None):
        opened.append(workspace_on(path, state))
        return opened[-1]
    yield make
    for workspace in opened:
        workspace.close()


@pytest.fixture
def fresh_db(tmp_path):
    """A new, empty database in a temporary folder, opened as a workspace."""
    workspace = workspace_on(tmp_path / "annotator.db")
    yield workspace
    workspace.close()


@pytest.fixture
def inbox(tmp_path):
    """A folder for input files, apart from the database files."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_BACKUPS, ignore_errors=True)


@pytest.fixture(autouse=True)
def backups_folder(tmp_path, monkeypatch):
    """Backups go to a folder of the test's own, never the user's data folder."""
    folder = tmp_path / "backups"
    monkeypatch.setenv("ANNOTATOR_BACKUPS", str(folder))
    return folder


@pytest.fixture
def reviews(fresh_db, inbox):
    """reviews(*texts) -> {title: id}; a review's title is its first line."""

    def make(*texts):
        for i, text in enumerate(texts):
            (inbox / f"{i:02}.txt").write_text(text, encoding="utf-8")
        fresh_db.import_paths([inbox])
        return {fresh_db.document(i).title: i for i in fresh_db.document_ids()}

    return make
