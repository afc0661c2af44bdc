"""Shared fixtures. Qt must run offscreen before it is first imported, or pytest aborts."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from annotator.store.repository import Store  # noqa: E402


@pytest.fixture
def fresh_db(tmp_path):
    """A new, empty database in a temporary folder."""
    store = Store.open(tmp_path / "annotator.db")
    yield store
    store.close()
