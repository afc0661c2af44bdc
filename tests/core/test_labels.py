"""Editing the label set: rename, swap, recolour, reorder, keys, delete, and undo of it all."""

from dataclasses import replace

import pytest

from annotator.domain.model import Label, new_uuid
from annotator.services import annotations, annotators
from annotator.services.importing import import_paths
from annotator.services.labels import (
    LabelSetError,
    apply_label_set,
    problems,
    restore_label_set,
)

REVIEW = "Marchetti is superb. The ending drags. The keeper was her father all along."


@pytest.fixture
def annotated(fresh_db, inbox):
    """A review with praise and criticism spans from two annotators, and a spoiler by one."""
    (inbox / "r.txt").write_text(REVIEW, encoding="utf-8")
    import_paths(fresh_db, [inbox])
    doc = fresh_db.document_ids()[0]
    ada = annotators.switch_to(fresh_db, "ada")
    ben = annotators.find_or_create(fresh_db, "ben")
    label = by_name(fresh_db)
    for who in (ada, ben):
        annotations.add_span(fresh_db, doc, who, label["praise"].uuid, 0, 20)
        annotations.add_span(fresh_db, doc, who, label["criticism"].uuid, 21, 38)
    annotations.add_span(fresh_db, doc, ada, label["spoiler"].uuid, 39, 75)
    return fresh_db, ada


def by_name(store) -> dict[str, Label]:
    return {label.name: label for label in store.labels()}


def rows(store) -> dict[str, list]:
    return {
        "annotations": store.conn.execute("SELECT * FROM annotations ORDER BY uuid").fetchall(),
        "labels": store.conn.execute("SELECT * FROM labels ORDER BY uuid").fetchall(),
    }


def edited(store, **changes_by_name) -> list[Label]:
    """The store's set with some labels changed, e.g. praise={"name": "acclaim"}."""
    return [replace(label, **changes_by_name.get(label.name, {})) for label in store.labels()]


def test_renaming_keeps_every_span_and_its_label(annotated):
    store, ada = annotated
    before = rows(store)["annotations"]
    praise = by_name(store)["praise"]
    result = apply_label_set(store, edited(store, praise={"name": "acclaim"}), ada)
    assert by_name(store)["acclaim"].uuid == praise.uuid and "praise" not in by_name(store)
    assert rows(store)["annotations"] == before
    assert result.change.labels_changed and result.change.removed == ()
    [entry] = [e for e in store.change_log(praise.uuid) if e["action"] == "update"]
    assert entry["who"] == ada.uuid
    assert entry["data"] == {"before": {"name": "praise"}, "after": {"name": "acclaim"}}


def test_two_labels_can_swap_names_in_one_edit(annotated):
    store, ada = annotated
    before = rows(store)["annotations"]
    old = by_name(store)
    apply_label_set(store, edited(store, praise={"name": "criticism"},
                                  criticism={"name": "praise"}), ada)
    now = by_name(store)
    assert now["praise"].uuid == old["criticism"].uuid
    assert now["criticism"].uuid == old["praise"].uuid
    assert rows(store)["annotations"] == before


def test_recolour_reorder_and_swap_keys(annotated):
    store, ada = annotated
    old = by_name(store)
    new = edited(store, spoiler={"colour": "#e69f00", "shortcut": "2"},
                 praise={"shortcut": "1", "description": "Good things."})
    new.reverse()
    apply_label_set(store, new, ada)
    assert [label.name for label in store.labels()] == [
        "plot-hole", "criticism", "praise", "spoiler"]
    assert [label.position for label in store.labels()] == [0, 1, 2, 3]
    now = by_name(store)
    assert now["spoiler"] == replace(old["spoiler"], colour="#E69F00", shortcut="2", position=3)
    assert now["praise"] == replace(old["praise"], shortcut="1", description="Good things.",
                                    position=2)


def test_deleting_a_label_deletes_its_spans_for_everyone_and_logs_them(annotated):
    store, ada = annotated
    praise = by_name(store)["praise"]
    doc = store.document_ids()[0]
    praise_spans = [s for s in store.spans(doc) if s.label_uuid == praise.uuid]
    assert len(praise_spans) == 2 and store.span_counts_by_label()[praise.uuid] == 2

    result = apply_label_set(store, [lb for lb in store.labels() if lb.name != "praise"], ada)

    assert sorted(result.deleted_spans, key=lambda s: s.uuid) == sorted(
        praise_spans, key=lambda s: s.uuid)
    assert set(result.change.removed) == set(praise_spans) and result.change.document_id is None
    assert [s for s in store.spans(doc) if s.label_uuid == praise.uuid] == []
    assert store.count_spans() == 3 and praise.uuid not in store.span_counts_by_label()
    for span in praise_spans:
        [entry] = [e for e in store.change_log(span.uuid) if e["action"] == "delete"]
        assert entry["who"] == ada.uuid and entry["data"]["text"] == "Marchetti is superb."
    [entry] = [e for e in store.change_log(praise.uuid) if e["action"] == "delete"]
    assert entry["entity"] == "label" and entry["data"]["name"] == "praise"


def test_restore_brings_back_the_exact_rows(annotated):
    store, ada = annotated
    # An imported label can sit at any position; undo must put that back too.
    store.add_label(Label(new_uuid(), "pacing", "#56B4E9", "", "Too slow or rushed.", 9), None)
    before_rows = rows(store)
    gone = {by_name(store)["praise"].uuid, by_name(store)["plot-hole"].uuid}
    new = edited(store, criticism={"name": "praise", "colour": "#000000"},
                 spoiler={"name": "reveal", "shortcut": ""})
    new = [lb for lb in new if lb.uuid not in gone]
    new.append(Label(new_uuid(), "criticism", "#F0E442", "2"))
    result = apply_label_set(store, new, ada)
    assert len(result.deleted_spans) == 2 and rows(store) != before_rows

    change = restore_label_set(store, result.before, result.deleted_spans, ada)

    assert rows(store) == before_rows
    assert set(change.added) == set(result.deleted_spans) and change.labels_changed


def test_a_name_freed_by_a_deleted_label_can_be_given_to_a_new_one(annotated):
    store, ada = annotated
    old_praise = by_name(store)["praise"]
    fresh = Label(new_uuid(), "praise", "#E69F00", "5")
    apply_label_set(store, [*[lb for lb in store.labels() if lb.name != "praise"], fresh], ada)
    assert by_name(store)["praise"].uuid == fresh.uuid != old_praise.uuid


def test_span_counts_count_every_annotator_and_unused_labels_as_zero(annotated):
    store, _ = annotated
    counts = {label.name: store.span_counts_by_label()[label.uuid] for label in store.labels()}
    assert counts == {"spoiler": 1, "praise": 2, "criticism": 2, "plot-hole": 0}


def label(name="praise", colour="#009E73", key="", uuid=None) -> Label:
    return Label(uuid or new_uuid(), name, colour, key)


@pytest.mark.parametrize("labels, message", [
    ([label(""), label("praise")], "Label 1 has no name."),
    ([label("Praise"), label(" praise ")],
     "“Praise” and “praise” have the same name; each label needs its own name"),
    ([label(key="0")], "“praise” has the key “0”; a key must be one of 1 to 9, or none."),
    ([label(key="10")], "“praise” has the key “10”"),
    ([label("praise", key="2"), label("spoiler", key="2")],
     "“praise” and “spoiler” both use the key 2; each key can belong to one label."),
    ([label(colour="green")], "“praise” has the colour “GREEN”; a colour must look like #RRGGBB"),
    ([label(colour="#12345")], "“praise” has the colour “#12345”"),
])
def test_problems_name_the_label(labels, message):
    assert any(p.startswith(message) for p in problems(labels)), problems(labels)


def test_a_good_set_has_no_problems():
    assert problems([label("praise", "#009e73", "1"), label("spoiler", "#D55E00", "")]) == []


def test_a_bad_set_raises_and_leaves_the_database_as_it_was(annotated):
    store, ada = annotated
    before = rows(store)
    log_length = len(store.change_log())
    bad = edited(store, praise={"name": "criticism"})  # two criticisms
    bad = [lb for lb in bad if lb.name != "spoiler"]  # and a delete that must not happen
    with pytest.raises(LabelSetError, match="same name"):
        apply_label_set(store, bad, ada)
    assert rows(store) == before and len(store.change_log()) == log_length


def test_the_same_label_twice_is_refused(annotated):
    store, ada = annotated
    praise = by_name(store)["praise"]
    with pytest.raises(LabelSetError, match="appears twice"):
        apply_label_set(store, [praise, replace(praise, name="acclaim", shortcut="")], ada)


def test_a_write_that_fails_half_way_rolls_back_the_whole_set(annotated):
    store, ada = annotated
    before = rows(store)
    log_length = len(store.change_log())
    # Deletes, renames and updates happen first; then adding the new label fails.
    store.conn.execute("CREATE TRIGGER no_new_labels BEFORE INSERT ON labels "
                       "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    new = [lb for lb in edited(store, criticism={"name": "critique"}) if lb.name != "praise"]
    with pytest.raises(Exception, match="disk full"):
        apply_label_set(store, [*new, Label(new_uuid(), "extra", "#000000")], ada)
    store.conn.execute("DROP TRIGGER no_new_labels")
    assert rows(store) == before and len(store.change_log()) == log_length
