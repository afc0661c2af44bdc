"""Editing the label set as a whole: rename, recolour, reorder, keys, add and delete."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from annotator.domain.changes import Change
from annotator.domain.model import Annotator, Label, Span
from annotator.store.repository import Store

KEYS = tuple("123456789")  # a label's key, pressed over a selection to apply it
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class LabelSetError(ValueError):
    """A label set that cannot be saved; the message lists its problems for the user."""


@dataclass(frozen=True, slots=True)
class LabelSetResult:
    before: list[Label]  # the whole set as it was, for undo
    deleted_spans: list[Span]  # every annotator's spans of the deleted labels
    change: Change


def is_colour(text: str) -> bool:
    return bool(_COLOUR.fullmatch(text.strip()))


def tidy(label: Label) -> Label:
    """The label as it is saved: runs of white space in the name made one, colour in capitals."""
    return replace(label, name=" ".join(label.name.split()), colour=label.colour.strip().upper())


def problems(labels: list[Label]) -> list[str]:
    """What stops this set from being saved, one message per problem, naming the label."""
    found: list[str] = []
    labels = [tidy(label) for label in labels]

    def called(i: int) -> str:
        return f"“{labels[i].name}”" if labels[i].name else f"Label {i + 1}"

    by_name: dict[str, list[int]] = {}
    by_key: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        if not label.name:
            found.append(f"Label {i + 1} has no name.")
        else:
            by_name.setdefault(label.name.casefold(), []).append(i)
        if label.shortcut not in ("", *KEYS):
            found.append(f"{called(i)} has the key “{label.shortcut}”; "
                         "a key must be one of 1 to 9, or none.")
        elif label.shortcut:
            by_key.setdefault(label.shortcut, []).append(i)
        if not is_colour(label.colour):
            found.append(f"{called(i)} has the colour “{label.colour}”; "
                         "a colour must look like #RRGGBB, for example #E69F00.")
    for same in by_name.values():
        if len(same) > 1:
            names = " and ".join(called(i) for i in same)
            found.append(f"{names} have the same name; "
                         "each label needs its own name (capitals do not count).")
    for key, same in by_key.items():
        if len(same) > 1:
            names = " and ".join(called(i) for i in same)
            found.append(f"{names} both use the key {key}; each key can belong to one label.")
    return found


def apply_label_set(store: Store, labels: list[Label], who: Annotator,
                    scope: set[str] | None = None) -> LabelSetResult:
    """Make the store's labels exactly `labels`, in this order, in one transaction.

    Labels new to the store are added; labels left out are deleted with all their spans.
    With a `scope` (label uuids), labels outside it are left alone: a redo must not delete
    a label that an import added after the edit was first made.
    """
    found = problems(labels)
    if len({label.uuid for label in labels}) != len(labels):
        found.append("The same label appears twice in the set.")
    if found:
        raise LabelSetError("\n".join(found))
    wanted = [replace(tidy(label), position=i) for i, label in enumerate(labels)]
    before = store.labels()
    deleted = _write(store, before, wanted, who, scope)
    return LabelSetResult(before, deleted,
                          Change(None, removed=tuple(deleted), labels_changed=True))


def restore_label_set(store: Store, before: list[Label], deleted_spans: list[Span],
                      who: Annotator, scope: set[str] | None = None) -> Change:
    """Put back the set as it was, with the spans its edit deleted (undo).

    With a `scope`, only those labels are touched (see apply_label_set).
    """
    with store.transaction():
        # Labels that the edit added go again, with any spans given them since.
        removed = _write(store, store.labels(), before, who, scope)
        store.add_spans(deleted_spans, who.uuid)
    return Change(None, added=tuple(deleted_spans), removed=tuple(removed),
                  labels_changed=True)


def _write(store: Store, current: list[Label], wanted: list[Label], who: Annotator,
           scope: set[str] | None = None) -> list[Span]:
    """Delete, then update, then add: so a name freed by one label can go to another."""
    if scope is not None:  # labels this edit never knew about stay as they are
        current = [label for label in current if label.uuid in scope]
    kept = {label.uuid for label in wanted}
    existing = {label.uuid for label in current}
    deleted: list[Span] = []
    with store.transaction():
        for label in current:
            if label.uuid not in kept:
                deleted += store.delete_label(label.uuid, who.uuid)
        store.update_labels([label for label in wanted if label.uuid in existing], who.uuid)
        for label in wanted:
            if label.uuid not in existing:
                store.add_label(label, who.uuid)
    return deleted
