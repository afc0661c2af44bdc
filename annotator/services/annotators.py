"""Who is annotating: the current annotator of this database, defaulting to the OS user."""

from __future__ import annotations

import getpass

from annotator.domain.model import Annotator, new_uuid
from annotator.store.repository import Store

CURRENT_KEY = "current_annotator"


def os_user_name() -> str:
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no user name in the environment (some containers, Windows services)
        return "annotator"


def find_or_create(store: Store, name: str, who: str | None = None) -> Annotator:
    name = " ".join(name.split())
    if not name:
        raise ValueError("an annotator needs a name")
    found = store.annotator_by_name(name)
    if found is not None:
        return found
    annotator = Annotator(new_uuid(), name)
    store.add_annotator(annotator, who)
    return annotator


def current(store: Store) -> Annotator:
    uuid = store.setting(CURRENT_KEY)
    if uuid is not None:
        found = store.annotator(uuid)
        if found is not None:
            return found
    return switch_to(store, os_user_name())


def switch_to(store: Store, name: str) -> Annotator:
    """Make `name` the current annotator (created if new); their earlier spans stay theirs."""
    annotator = find_or_create(store, name)
    store.set_setting(CURRENT_KEY, annotator.uuid)
    return annotator
