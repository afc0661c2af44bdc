"""The bundled sample reviews, imported once into a new database so a first launch has work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator import bundled
from annotator.store.settings import SAMPLES_SEEDED

if TYPE_CHECKING:
    from annotator.store.database import Store

    from .importing import ImportReport

SEEDED_KEY = SAMPLES_SEEDED


def seed_if_new(store: Store) -> ImportReport | None:
    """Import the samples into an empty database that has never had them.

    Deleted samples do not come back: the database remembers it was seeded.
    """
    if store.settings.get(SEEDED_KEY) or store.documents.count():
        return None
    # The import machinery is loaded here, not with the window: most starts need none of it.
    from annotator.io.readers.native_jsonl import read_native_jsonl
    from annotator.io.readers.plain_text import read_plain_text
    from annotator.io.records import DocumentRecord

    from .importing import ImportOptions, import_records

    records: list[DocumentRecord] = []
    for file in bundled.seed_files():
        reader = read_native_jsonl if file.name.endswith(".jsonl") else read_plain_text
        records += reader(file.read_bytes(), file.name)
    report = import_records(store, records, "samples", ImportOptions(sample=True))
    store.settings.set(SEEDED_KEY, "1")
    return report
