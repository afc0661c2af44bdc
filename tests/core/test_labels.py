"""Editing the label set: rename, swap, recolour, reorder, keys, delete, and undo of it all."""

from dataclasses import replace

import pytest
from people import span_by

from annotator.domain.errors import StoreError
from annotator.domain.model import Label, new_uuid
from annotator.services.labels import LabelSetError, problems

REVIEW = "Marchetti is superb. The ending drags. The keeper was her father all along."


@pytest.fixture
def annotated(fresh_db, inbox):
    """A review with praise and criticism spans from two annotators, and a spoiler by one."""
    (inbox / "r.txt").write_text(REVIEW, encoding="utf-8")
    fresh_db.import_paths([inbox])
    doc = fresh_db.document_ids()[0]
    ada = fresh_db.switch_to("ada")
    label = by_name(fresh_db)
    fresh_db.add_span(doc, label["praise"].uuid, 0, 20)
    fresh_db.add_span(doc, label["criticism"].uuid, 21, 38)
    span_by(fresh_db, "ben", doc, "praise", 0, 20)
    span_by(fresh_db, "ben", doc, "criticism", 21, 38)
    fresh_db.add_span(doc, label["spoiler"].uuid, 39, 75)
    return fresh_db, ada


def by_name(ws) -> dict[str, Label]:
    return {label.name: label for label in ws.labels()}


def rows(ws) -> dict[str, list]:
    conn = ws.store.conn
    return {
        "annotations": conn.execute("SELECT * FROM annotations ORDER BY uuid").fetchall(),
        "labels": conn.execute("SELECT * FROM labels ORDER BY uuid").fetchall(),
    }


def edited(ws, **changes_by_name) -> list[Label]:
    """The workspace's label set with some labels changed, e.g. praise={"name": "acclaim"}."""
    return [replace(label, **changes_by_name.get(label.name, {})) for label in ws.labels()]


def test_renaming_keeps_every_span_and_its_label(annotated):
    ws, ada = annotated
    before = rows(ws)["annotations"]
    praise = by_name(ws)["praise"]
    change = ws.edit_labels(edited(ws, praise={"name": "acclaim"}))
    assert by_name(ws)["acclaim"].uuid == praise.uuid and "praise" not in by_name(ws)
    assert rows(ws)["annotations"] == before
    assert change.labels_changed and change.removed == ()
    [entry] = [e for e in ws.change_log(praise.uuid) if e["action"] == "update"]
    assert entry["who"] == ada.uuid
    assert entry["data"] == {"before": {"name": "praise"}, "after": {"name": "acclaim"}}


def test_two_labels_can_swap_names_in_one_edit(annotated):
    ws, ada = annotated
    before = rows(ws)["annotations"]
    old = by_name(ws)
    ws.edit_labels(edited(ws, praise={"name": "criticism"},
                             criticism={"name": "praise"}))
    now = by_name(ws)
    assert now["praise"].uuid == old["criticism"].uuid
    assert now["criticism"].uuid == old["praise"].uuid
    assert rows(ws)["annotations"] == before


def test_recolour_reorder_and_swap_keys(annotated):
    ws, ada = annotated
    old = by_name(ws)
    new = edited(ws, spoiler={"colour": "#e69f00", "shortcut": "2"},
                 praise={"shortcut": "1", "description": "Good things."})
    new.reverse()
    ws.edit_labels(new)
    assert [label.name for label in ws.labels()] == [
        "plot-hole", "criticism", "praise", "spoiler"]
    assert [label.position for label in ws.labels()] == [0, 1, 2, 3]
    now = by_name(ws)
    assert now["spoiler"] == replace(old["spoiler"], colour="#E69F00", shortcut="2", position=3)
    assert now["praise"] == replace(old["praise"], shortcut="1", description="Good things.",
                                    position=2)


def test_deleting_a_label_deletes_its_spans_for_everyone_and_logs_them(annotated):
    ws, ada = annotated
    praise = by_name(ws)["praise"]
    doc = ws.document_ids()[0]
    praise_spans = [s for s in ws.spans(doc) if s.label_uuid == praise.uuid]
    assert len(praise_spans) == 2 and ws.span_counts_by_label()[praise.uuid] == 2

    change = ws.edit_labels([lb for lb in ws.labels() if lb.name != "praise"])

    assert sorted(change.removed, key=lambda s: s.uuid) == sorted(
        praise_spans, key=lambda s: s.uuid)
    assert change.document_id is None
    assert [s for s in ws.spans(doc) if s.label_uuid == praise.uuid] == []
    assert ws.count_spans() == 3 and praise.uuid not in ws.span_counts_by_label()
    for span in praise_spans:
        [entry] = [e for e in ws.change_log(span.uuid) if e["action"] == "delete"]
        where = entry["data"]  # offsets into the review, not a copy of its text
        assert entry["who"] == ada.uuid and where["label_uuid"] == praise.uuid
        assert REVIEW[where["start"]:where["end"]] == "Marchetti is superb."
    [entry] = [e for e in ws.change_log(praise.uuid) if e["action"] == "delete"]
    assert entry["entity"] == "label" and entry["data"]["name"] == "praise"


def test_restore_brings_back_the_exact_rows(annotated):
    ws, ada = annotated
    # An imported label can sit at any position; undo must put that back too.
    ws.store.labels.add(Label(new_uuid(), "pacing", "#56B4E9", "", "Too slow or rushed.", 9),
                        None)
    before_rows = rows(ws)
    gone = {by_name(ws)["praise"].uuid, by_name(ws)["plot-hole"].uuid}
    new = edited(ws, criticism={"name": "praise", "colour": "#000000"},
                 spoiler={"name": "reveal", "shortcut": ""})
    new = [lb for lb in new if lb.uuid not in gone]
    new.append(Label(new_uuid(), "criticism", "#F0E442", "2"))
    done = ws.edit_labels(new)
    assert len(done.removed) == 2 and rows(ws) != before_rows

    mark = len(ws.change_log())
    change = ws.undo()

    assert rows(ws) == before_rows
    assert set(change.added) == set(done.removed) and change.labels_changed
    assert {e["who"] for e in ws.change_log()[mark:]} == {ada.uuid}


def test_a_name_freed_by_a_deleted_label_can_be_given_to_a_new_one(annotated):
    ws, ada = annotated
    old_praise = by_name(ws)["praise"]
    fresh = Label(new_uuid(), "praise", "#E69F00", "5")
    ws.edit_labels([*[lb for lb in ws.labels() if lb.name != "praise"], fresh])
    assert by_name(ws)["praise"].uuid == fresh.uuid != old_praise.uuid


def test_span_counts_count_every_annotator_and_unused_labels_as_zero(annotated):
    ws, _ = annotated
    counts = {label.name: ws.span_counts_by_label()[label.uuid] for label in ws.labels()}
    assert counts == {"spoiler": 1, "praise": 2, "criticism": 2, "plot-hole": 0}


def label(name="praise", colour="#009E73", key="", uuid=None) -> Label:
    return Label(uuid or new_uuid(), name, colour, key)


@pytest.mark.parametrize("labels, message", [
    ([label(""), label("praise")], "Label 1 has no name."),
    ([label("praise"), label(" praise ")],
     "“praise” and “praise” have the same name; each label needs its own name"),
    ([label("Cafe\u0301"), label("Café")],  # the same once Unicode-normalised
     "“Café” and “Café” have the same name"),
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


def test_names_that_differ_only_in_case_are_two_labels_as_in_the_tools():
    # Issue 13: an import may bring PERSON beside Person; the set stays editable.
    assert problems([label("Person"), label("PERSON")]) == []


def test_a_bad_set_raises_and_leaves_the_database_as_it_was(annotated):
    ws, ada = annotated
    before = rows(ws)
    log_length, history = len(ws.change_log()), len(ws.history)
    bad = edited(ws, praise={"name": "criticism"})  # two criticisms
    bad = [lb for lb in bad if lb.name != "spoiler"]  # and a delete that must not happen
    with pytest.raises(LabelSetError, match="same name"):
        ws.edit_labels(bad)
    assert rows(ws) == before and len(ws.change_log()) == log_length
    assert len(ws.history) == history  # nothing to undo


def test_the_same_label_twice_is_refused(annotated):
    ws, ada = annotated
    praise = by_name(ws)["praise"]
    with pytest.raises(LabelSetError, match="appears twice"):
        ws.edit_labels([praise, replace(praise, name="acclaim", shortcut="")])


def test_a_write_that_fails_half_way_rolls_back_the_whole_set(annotated, monkeypatch):
    from annotator.domain.errors import DiskFull

    ws, ada = annotated
    before = rows(ws)
    log_length, history = len(ws.change_log()), len(ws.history)
    # Deletes, renames and updates happen first; then adding the new label fails.

    def full(*args):
        raise DiskFull("the disk is full")
    monkeypatch.setattr(ws.store.labels, "add", full)
    new = [lb for lb in edited(ws, criticism={"name": "critique"}) if lb.name != "praise"]
    with pytest.raises(StoreError, match="disk is full"):
        ws.edit_labels([*new, Label(new_uuid(), "extra", "#000000")])
    monkeypatch.undo()
    assert rows(ws) == before and len(ws.change_log()) == log_length
    assert len(ws.history) == history
