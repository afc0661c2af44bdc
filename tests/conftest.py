"""Shared fixtures. Qt must run offscreen before it is first imported, or pytest aborts."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Window geometry and other QSettings go to a throwaway folder, not the user's config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="annotator-test-config-")

import pytest  # noqa: E402

from annotator.store.repository import Store  # noqa: E402


@pytest.fixture
def fresh_db(tmp_path):
    """A new, empty database in a temporary folder."""
    store = Store.open(tmp_path / "annotator.db")
    yield store
    store.close()


@pytest.fixture
def inbox(tmp_path):
    """A folder for input files, apart from the database files."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder
