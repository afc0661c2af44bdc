"""Editing the label set as a whole: rename, recolour, reorder, keys, add and delete."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from annotator.domain.changes import Change
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Label, Span
from annotator.domain.names import label_name
from annotator.store.database import Store

KEYS = tuple("123456789")  # a label's key, pressed over a selection to apply it
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class LabelSetError(AnnotatorError, ValueError):
    """A label set that cannot be saved; the message lists its problems for the user."""


@dataclass(frozen=True, slots=True)
class LabelSetResult:
    before: list[Label]  # the whole set as it was, for undo
    deleted_spans: list[Span]  # every annotator's spans of the deleted labels
    change: Change


def is_colour(text: str) -> bool:
    return bool(_COLOUR.fullmatch(text.strip()))


def tidy(label: Label) -> Label:
    """The label as it is saved: the name in Unicode NFC with runs of white space made one,
    colour in capitals."""
    return replace(label, name=label_name(label.name), colour=label.colour.strip().upper())


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
            # Names differ by case as in the tools labels come from (PERSON is not Person):
            # an import may bring both, and the set must still be editable.
            by_name.setdefault(label.name, []).append(i)
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
            found.append(f"{names} have the same name; each label needs its own name.")
    for key, same in by_key.items():
        if len(same) > 1:
            names = " and ".join(called(i) for i in same)
            found.append(f"{names} both use the key {key}; each key can belong to one label.")
    return found


def apply_label_set(store: Store, labels: list[Label], who: str | None,
                    scope: set[str] | None = None,
                    returning: tuple[Span, ...] = ()) -> LabelSetResult:
    """Make the store's labels exactly `labels`, in this order, in one transaction.

    Labels new to the store are added; labels left out are deleted with all their spans.
    With a `scope` (label uuids), labels outside it are left alone: a redo must not delete
    a label that an import added after the edit was first made. `returning` are spans an
    undo took away with the labels it removed; a redo puts them back.
    """
    found = problems(labels)
    if len({label.uuid for label in labels}) != len(labels):
        found.append("The same label appears twice in the set.")
    if found:
        raise LabelSetError("\n".join(found))
    wanted = [replace(tidy(label), position=i) for i, label in enumerate(labels)]
    with store.transaction():
        before = _in(scope, store.labels.all())
        deleted = _write(store, wanted, who, scope)
        store.spans.add(list(returning), who)
    return LabelSetResult(before, deleted, Change(None, added=tuple(returning),
                                                  removed=tuple(deleted), labels_changed=True))


def restore_label_set(store: Store, before: list[Label], deleted_spans: list[Span],
                      who: str | None, scope: set[str] | None = None) -> Change:
    """Put back the set as it was, with the spans its edit deleted (undo).

    Labels the edit added go again, with any spans given them since; those are in the
    change's `removed`, for a redo to return. With a `scope`, only those labels are touched.
    """
    with store.transaction():
        removed = _write(store, before, who, scope)
        store.spans.add(deleted_spans, who)
    return Change(None, added=tuple(deleted_spans), removed=tuple(removed),
                  labels_changed=True)


def _in(scope: set[str] | None, labels: list[Label]) -> list[Label]:
    return labels if scope is None else [label for label in labels if label.uuid in scope]


def _write(store: Store, wanted: list[Label], who: str | None,
           scope: set[str] | None = None) -> list[Span]:
    """Delete, then update, then add: so a name freed by one label can go to another."""
    everything = store.labels.all()
    current = _in(scope, everything)  # labels this edit never knew about stay as they are
    wanted = _make_room(wanted, [label for label in everything if label not in current])
    kept = {label.uuid for label in wanted}
    existing = {label.uuid for label in current}
    deleted: list[Span] = []
    with store.transaction():
        for label in current:
            if label.uuid not in kept:
                deleted += store.labels.delete(label.uuid, who)
        store.labels.update([label for label in wanted if label.uuid in existing], who)
        for label in wanted:
            if label.uuid not in existing:
                store.labels.add(label, who)
    return deleted


def _make_room(wanted: list[Label], others: list[Label]) -> list[Label]:
    """Labels that came in since the edit (an import) keep their names and keys; a label
    the undo or redo brings back under a name now taken is called “name (restored)”, and
    gives up a key now taken, so that its spans come back all the same."""
    names = {label.name for label in others}
    keys = {label.shortcut for label in others if label.shortcut}
    placed: list[Label] = []
    for label in wanted:
        name, n = label.name, 1
        while name in names:
            n += 1
            name = f"{label.name} (restored)" if n == 2 else f"{label.name} (restored {n})"
        names.add(name)
        placed.append(replace(label, name=name,
                              shortcut="" if label.shortcut in keys else label.shortcut))
    return placed
