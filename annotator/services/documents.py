"""Use cases on whole documents."""

from __future__ import annotations

from annotator.domain.changes import Change
from annotator.domain.model import Annotator
from annotator.store.repository import Store


def delete_documents(store: Store, ids: list[int], who: Annotator) -> Change:
    """Delete documents with every annotator's spans and statuses: all of them or none."""
    with store.transaction():
        for doc_id in ids:
            store.delete_document(doc_id, who.uuid)
    return Change(None, documents_changed=True)
