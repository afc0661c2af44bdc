"""Merging annotators' packages into the project: matched by hash and UUID, the later edit
winning, deletions through the change log, idempotent, all or nothing."""

from __future__ import annotations

import json
import time

import pytest
from merge_helpers import (
    annotate_as,
    doc_by_title,
    dump,
    label,
    log_entries,
    make_bundle,
    make_project,
    merge,
    open_ws,
    sha,
)

from annotator.domain.model import Status
from annotator.services.merge import MergeRefused


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def test_spans_and_statuses_of_a_package_are_added_to_the_project(project):
    bundle = make_bundle(project, "alice", ["Review 0", "Review 1"])
    ws = annotate_as(bundle, "alice")
    doc = doc_by_title(ws, "Review 0")
    ws.add_span(doc, label(ws, "spoiler"), 4, 10, note="careful")
    ws.add_span(doc, label(ws, "praise"), 0, 3)
    ws.set_status(doc, Status.DONE)
    ws.close()

    report = merge(project, bundle)

    assert report.total("spans_added") == 2 and report.total("statuses_changed") == 1
    [source] = report.sources
    assert source.annotator == "alice" and source.guidelines_version == 1
    assert source.documents_matched == 2 and source.documents_added == 0
    [alice] = source.annotators
    assert (alice.name, alice.spans_added, alice.statuses_changed) == ("alice", 2, 1)
    ws = open_ws(project)
    doc = doc_by_title(ws, "Review 0")
    me = ws.annotator_by_name("alice")
    spans = ws.spans(doc, me.uuid)
    assert sorted((s.start, s.end, s.note) for s in spans) == [(0, 3, None),
                                                               (4, 10, "careful")]
    assert ws.status(doc, me.uuid) is Status.DONE
    assert ws.search("careful") == [doc]  # notes merged are searchable
    ws.close()
    [(entity, entity_id, data)] = log_entries(project, "merge")
    assert entity == "database" and json.loads(data)["spans_added"] == 2


def test_merging_the_same_package_twice_changes_nothing_the_second_time(project):
    bundle = make_bundle(project, "alice")
    ws = annotate_as(bundle, "alice")
    for doc in ws.document_ids()[:3]:
        ws.add_span(doc, label(ws, "spoiler"), 4, 10)
        ws.set_status(doc, Status.DONE)
    first = ws.spans(ws.document_ids()[0])[0]
    ws.delete_spans([first.uuid])
    ws.close()
    merge(project, bundle)
    before = dump(project)

    again = merge(project, bundle)

    assert again.total("spans_added") == again.total("spans_changed") == 0
    assert again.total("spans_deleted") == again.total("statuses_changed") == 0
    assert again.documents_added == 0 and not again.conflicts
    assert not again.changed_anything
    assert dump(project) == before
    assert len(log_entries(project, "merge")) == 2  # each merge recorded, where from


def test_the_later_edit_of_a_span_wins_and_both_versions_are_reported(project):
    ws = annotate_as(project, "alice")
    doc = doc_by_title(ws, "Review 0")
    ws.add_span(doc, label(ws, "spoiler"), 4, 10)
    span = ws.spans(doc)[0]
    ws.close()
    bundle = make_bundle(project, "alice")
    ws = annotate_as(bundle, "alice")
    ws.relabel(span.uuid, label(ws, "praise"))  # in the package first
    ws.close()
    time.sleep(0.01)
    ws = annotate_as(project, "alice")
    ws.set_note(span.uuid, "seen in the project")  # then in the project: later
    ws.close()

    report = merge(project, bundle)

    [conflict] = report.conflicts
    assert conflict.kind == "edited" and conflict.winner == "target"
    assert conflict.source.label == "praise" and conflict.target.label == "spoiler"
    assert conflict.target.note == "seen in the project" and conflict.document == "Review 0"
    assert report.total("spans_changed") == 0
    ws = open_ws(project)
    assert ws.span(span.uuid).note == "seen in the project"
    ws.close()

    # edited again in the package, later: the package's version wins
    ws = annotate_as(bundle, "alice")
    ws.move_edge(span.uuid, "end", 1, by_word=False)
    ws.close()
    report = merge(project, bundle)
    [conflict] = report.conflicts
    assert conflict.winner == "source" and report.total("spans_changed") == 1
    ws = open_ws(project)
    merged = ws.span(span.uuid)
    assert (ws.labels()[0].uuid is not None and merged.end == 11
            and merged.label_uuid == label(ws, "praise") and merged.note is None)
    ws.close()


def test_a_span_deleted_in_a_package_is_deleted_unless_changed_since(project):
    ws = annotate_as(project, "alice")
    doc = doc_by_title(ws, "Review 0")
    ws.add_span(doc, label(ws, "spoiler"), 4, 10)
    ws.add_span(doc, label(ws, "praise"), 15, 20)
    kept, gone = sorted(ws.spans(doc), key=lambda s: s.start)
    ws.close()
    bundle = make_bundle(project, "alice")
    ws = annotate_as(bundle, "alice")
    ws.delete_spans([kept.uuid])
    ws.delete_spans([gone.uuid])
    ws.close()
    ws = annotate_as(project, "alice")
    ws.set_note(kept.uuid, "changed after the package was made")
    ws.close()

    report = merge(project, bundle)

    assert report.total("spans_deleted") == 1
    [conflict] = report.conflicts
    assert conflict.kind == "deleted" and conflict.span_uuid == kept.uuid
    assert conflict.source is None and conflict.winner == "target" and conflict.deleted_at
    ws = open_ws(project)
    assert ws.span(gone.uuid) is None and ws.span(kept.uuid) is not None
    ws.close()
    rows = dump(project)
    again = merge(project, bundle)  # the conflict is told again; nothing changes
    assert not again.changed_anything and len(again.conflicts) == 1
    assert dump(project) == rows


def test_without_made_at_a_deletion_is_weighed_against_the_time_it_was_made(project):
    ws = annotate_as(project, "alice")
    doc = doc_by_title(ws, "Review 0")
    ws.add_span(doc, label(ws, "spoiler"), 4, 10)
    ws.add_span(doc, label(ws, "praise"), 15, 20)
    first, second = sorted(ws.spans(doc), key=lambda s: s.start)
    ws.close()
    copy = make_bundle(project, "alice", bundle=False)  # any database: no `bundle` row
    ws = annotate_as(copy, "alice")
    ws.delete_spans([first.uuid])
    ws.close()
    time.sleep(0.01)
    ws = annotate_as(project, "alice")
    ws.set_note(first.uuid, "after the deletion")
    ws.close()
    time.sleep(0.01)
    ws = annotate_as(copy, "alice")
    ws.delete_spans([second.uuid])  # after the project's last change to it
    ws.close()

    report = merge(project, copy)

    assert report.sources[0].made_at is None
    assert [c.span_uuid for c in report.conflicts] == [first.uuid]
    assert report.total("spans_deleted") == 1
    ws = open_ws(project)
    assert ws.span(first.uuid) is not None and ws.span(second.uuid) is None
    ws.close()


def test_the_later_status_wins(project):
    bundle = make_bundle(project, "alice")
    ws = annotate_as(bundle, "alice")
    d0, d1 = doc_by_title(ws, "Review 0"), doc_by_title(ws, "Review 1")
    ws.set_status(d0, Status.DONE)
    ws.set_status(d1, Status.DONE)
    ws.close()
    time.sleep(0.01)
    ws = annotate_as(project, "alice")
    ws.set_status(doc_by_title(ws, "Review 1"), Status.IN_PROGRESS)  # later, in the project
    ws.close()

    report = merge(project, bundle)

    assert report.total("statuses_changed") == 1
    ws = open_ws(project)
    me = ws.annotator_by_name("alice").uuid
    assert ws.status(doc_by_title(ws, "Review 0"), me) is Status.DONE
    assert ws.status(doc_by_title(ws, "Review 1"), me) is Status.IN_PROGRESS
    ws.close()


def test_a_name_given_to_two_uuids_is_kept_apart_and_reported(project, tmp_path):
    # another Annotator database, not a package: a package refuses other annotators and
    # label edits (team-core), this source has both
    bundle = make_bundle(project, "alice", bundle=False)
    ws = annotate_as(bundle, "bob")  # a "bob" the project never saw
    ws.add_span(ws.document_ids()[0], label(ws, "spoiler"), 4, 10)
    from annotator.domain.model import Label
    ws.edit_labels([*ws.labels(), Label("11111111-2222-4333-8444-555555555555", "plot",
                                        "#123456", "", "", 99)])
    ws.close()
    ws = annotate_as(project, "bob")  # another "bob", and another "plot"
    ws.add_span(ws.document_ids()[0], label(ws, "praise"), 0, 3)
    ws.edit_labels([*ws.labels(), Label("99999999-2222-4333-8444-555555555555", "plot",
                                        "#654321", "", "", 99)])
    ws.close()

    report = merge(project, bundle)

    clashes = {(c.kind, c.name, c.kept_as) for c in report.sources[0].name_clashes}
    assert clashes == {("annotator", "bob", "bob (alice)"), ("label", "plot", "plot (alice)")}
    ws = open_ws(project)
    bobs = {a.name: a.uuid for a in ws.annotators() if a.name.startswith("bob")}
    assert len(set(bobs.values())) == 2
    doc = ws.document_ids()[0]
    assert {s.start for s in ws.spans(doc, bobs["bob"])} == {0}
    assert {s.start for s in ws.spans(doc, bobs["bob (alice)"])} == {4}
    assert {lab.name for lab in ws.labels()} >= {"plot", "plot (alice)"}
    ws.close()
    before = dump(project)
    assert not merge(project, bundle).changed_anything
    assert dump(project) == before


def test_a_package_from_another_project_is_refused_unless_new_documents_are_allowed(
        project, tmp_path):
    other = make_project(tmp_path, 0, "other.db")
    inbox = tmp_path / "else"
    inbox.mkdir()
    (inbox / "x.txt").write_text("Something else\nentirely.\n", encoding="utf-8")
    ws = open_ws(other)
    ws.import_paths([inbox], as_person=False)
    ws.close()
    foreign = make_bundle(other, "dan", out=tmp_path / "dan.annot")
    ws = annotate_as(foreign, "dan")
    ws.add_span(ws.document_ids()[0], label(ws, "spoiler"), 0, 9)
    ws.close()
    before = sha(project)

    with pytest.raises(MergeRefused, match="dan.annot shares no document.*another project"):
        merge(project, foreign)
    assert sha(project) == before

    report = merge(project, foreign, allow_new_documents=True)
    assert report.documents_added == 1 and report.total("spans_added") == 1
    ws = open_ws(project)
    added = doc_by_title(ws, "Something else")
    theirs = open_ws(other)
    original = theirs.document(theirs.document_ids()[0])
    theirs.close()
    mine = ws.document(added)
    assert (mine.uuid, mine.content_hash, mine.text) == (
        original.uuid, original.content_hash, original.text)
    assert ws.search("entirely") == [added]
    assert [s.text for s in ws.spans(added)] == ["Something"]
    ws.close()


def test_documents_not_in_the_project_are_left_out_when_some_are_shared(project, tmp_path):
    # not a package: a package imports no new documents (team-core)
    bundle = make_bundle(project, "alice", ["Review 0"], bundle=False)
    ws = annotate_as(bundle, "alice")
    inbox = tmp_path / "extra"
    inbox.mkdir()
    (inbox / "x.txt").write_text("Extra\nnot in the project.\n", encoding="utf-8")
    ws.import_paths([inbox], as_person=False)
    extra = doc_by_title(ws, "Extra")
    ws.add_span(extra, label(ws, "spoiler"), 0, 5)
    ws.add_span(doc_by_title(ws, "Review 0"), label(ws, "spoiler"), 4, 10)
    ws.close()

    report = merge(project, bundle)

    source = report.sources[0]
    assert (source.documents_matched, source.documents_skipped, source.documents_added) == (
        1, 1, 0)
    assert report.total("spans_added") == 1 and source.notes


def test_three_annotators_packages_merged_then_agreement_on_the_overlap(tmp_path):
    """30 reviews: 0-9 for everyone (the overlap), then ten more each; each annotates
    in their own package through the workspace; merged; agreement on the overlap."""
    from annotator.services.agreement import Scope

    project = make_project(tmp_path, 30)
    names = ("ann", "ben", "cat")
    bundles = []
    for k, name in enumerate(names):
        titles = [f"Review {i}" for i in (*range(10), *range(10 + 5 * k, 20 + 5 * k))]
        bundles.append(make_bundle(project, name, titles))
    for k, (name, bundle) in enumerate(zip(names, bundles, strict=True)):
        ws = annotate_as(bundle, name)
        assert ws.count_documents() == 20
        for doc in ws.document_ids():
            n = int(ws.document(doc).title.split()[1])
            end = 10 if (k == 2 and n % 3 == 0) else 12  # cat disagrees on some
            ws.add_span(doc, label(ws, "spoiler"), 4, end)
            ws.set_status(doc, Status.DONE)
        ws.close()

    report = merge(project, *bundles)

    assert report.total("spans_added") == 60 and report.total("statuses_changed") == 60
    assert not report.conflicts and report.documents_added == 0
    ws = open_ws(project)
    assert ws.count_documents() == 30
    result = ws.agreement(Scope(annotators=names, documents="done"))
    assert len(ws.agreement_documents(Scope(annotators=names, documents="done"))) == 10
    assert len(result.documents) == 10
    assert result.overall.spans == {"ann": 10, "ben": 10, "cat": 10}
    pairs = next(iter(result.overall.pairs.values()))
    assert pairs[("ann", "ben")] == pytest.approx(1.0)
    assert pairs[("ann", "cat")] < 1.0  # cat's shorter spans on 0, 3, 6, 9
    ws.close()
    assert not merge(project, *bundles).changed_anything


def test_a_status_set_back_to_new_in_a_package_travels(project):
    bundle = make_bundle(project, "alice", ["Review 0"])
    ws = annotate_as(bundle, "alice")
    doc = ws.document_ids()[0]
    ws.set_status(doc, Status.DONE)
    ws.close()
    merge(project, bundle)
    time.sleep(0.01)
    ws = annotate_as(bundle, "alice")
    ws.set_status(doc, Status.NEW)  # reopened, later
    ws.close()

    report = merge(project, bundle)

    assert report.total("statuses_changed") == 1
    ws = open_ws(project)
    assert ws.status(doc_by_title(ws, "Review 0"), ws.annotator_by_name("alice").uuid
                     ) is Status.NEW
    ws.close()
    assert not merge(project, bundle).changed_anything


def test_a_package_cannot_take_in_other_packages(project, tmp_path):
    """Merging is the lead's: an annotator's package refuses it, and stays as it was."""
    from annotator.domain.errors import EditRefused

    mine = make_bundle(project, "ann")
    theirs = make_bundle(project, "ben")
    before = sha(mine)
    ws = open_ws(mine)
    with pytest.raises(EditRefused, match="annotation package"):
        ws.merge([theirs], as_person=False)
    ws.close()
    assert sha(mine) == before


def test_assign_with_overlap_package_annotate_apart_merge_then_agreement(tmp_path):
    """The issue's workflow end to end, with the real commands' workspace calls: 30 reviews
    assigned to three people with a fifth given to everyone, a package each, work done in
    each package on its own, the packages merged, agreement on the shared documents."""
    from annotator.services.agreement import Scope

    project = make_project(tmp_path, 30)
    lead = open_ws(project)
    result = lead.assign(["ann", "ben", "cat"], seed=7, overlap=0.2, as_person=False)
    shared = [doc for doc, people in result.plan.items() if len(people) == 3]
    assert len(shared) == 6 and len(result.plan) == 30
    packages = {}
    for name in ("ann", "ben", "cat"):
        packages[name] = tmp_path / f"{name}.annot"
        lead.create_bundle(name, packages[name])
    shared_titles = {lead.document(doc).title for doc in shared}
    lead.close()

    for name, path in packages.items():
        ws = open_ws(path)
        assert ws.me.name == name and ws.bundle is not None
        for doc in ws.document_ids():
            title = ws.document(doc).title
            end = 10 if (name == "cat" and title in sorted(shared_titles)[:3]) else 12
            ws.add_span(doc, label(ws, "spoiler"), 4, end)
            ws.set_status(doc, Status.DONE)
        assert ws.bundle_progress() == (ws.count_documents(), ws.count_documents())
        ws.close()

    report = merge(project, *packages.values())
    assert not report.conflicts and report.documents_added == 0
    assert {a.name for s in report.sources for a in s.annotators} == {"ann", "ben", "cat"}
    ws = open_ws(project)
    found = ws.agreement(Scope(annotators=("ann", "ben", "cat"), documents="done"))
    assert len(found.documents) == 6  # the overlap, and only it
    pairs = next(iter(found.overall.pairs.values()))
    assert pairs[("ann", "ben")] == pytest.approx(1.0)
    assert pairs[("ann", "cat")] < 1.0  # cat's shorter spans on three shared reviews
    progress = {row.annotator.name: row for row in ws.progress()}
    assert [progress[n].done for n in ("ann", "ben", "cat")] == [
        progress[n].assigned for n in ("ann", "ben", "cat")]
    ws.close()
