"""A merge is all or nothing, backed up first, tried without writing by --dry-run, and
refuses bad input with a message naming the file, the project untouched."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_helpers import (
    annotate_as,
    doc_by_title,
    dump,
    label,
    make_bundle,
    make_project,
    merge,
    open_ws,
    sha,
)

from annotator.cli import main
from annotator.domain.errors import AnnotatorError, StoreError
from annotator.domain.model import Status
from annotator.services import merge as merging
from annotator.services.merge import MergeRefused


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, 8)


def annotated_bundle(project, name, titles, start=4):
    bundle = make_bundle(project, name, titles)
    ws = annotate_as(bundle, name)
    for doc in ws.document_ids():
        ws.add_span(doc, label(ws, "spoiler"), start, start + 6)
        ws.set_status(doc, Status.DONE)
    ws.close()
    return bundle


def test_a_backup_is_made_first_and_a_failure_midway_leaves_the_project_as_it_was(
        project, monkeypatch, backups_folder):
    a = annotated_bundle(project, "alice", ["Review 0", "Review 1"])
    b = annotated_bundle(project, "bob", ["Review 1", "Review 2"])
    before = sha(project)
    real, calls = merging.apply, []

    def apply_then_fail(*args, **kwargs):
        calls.append(1)
        real(*args, **kwargs)  # the first source is written, then the second fails
        if len(calls) == 2:
            raise StoreError("the disk could not be written (injected)")

    monkeypatch.setattr(merging, "apply", apply_then_fail)
    with pytest.raises(StoreError, match="injected"):
        merge(project, a, b)
    assert len(calls) == 2
    assert sha(project) == before
    assert len(list(backups_folder.rglob("*before-merge*.db"))) == 1
    monkeypatch.undo()
    rows = dump(project)

    report = merge(project, a, b)
    assert report.total("spans_added") == 4
    assert "before-merge" in report.backup and dump(Path(report.backup)) == rows


def test_a_dry_run_reports_exactly_what_the_merge_does_and_changes_nothing(project):
    a = annotated_bundle(project, "alice", ["Review 0", "Review 1"])
    b = annotated_bundle(project, "bob", ["Review 1", "Review 2"], start=5)
    before = sha(project)

    dry = merge(project, a, b, dry_run=True)

    assert sha(project) == before
    assert dry.dry_run and dry.backup is None
    real = merge(project, a, b)
    strip = ("dry_run", "backup")
    assert ({k: v for k, v in dry.as_json().items() if k not in strip}
            == {k: v for k, v in real.as_json().items() if k not in strip})
    assert real.total("spans_added") == 4


def test_two_packages_of_one_annotator_with_conflicting_edits_the_later_wins(project,
                                                                            tmp_path):
    ws = annotate_as(project, "alice")
    doc = doc_by_title(ws, "Review 0")
    ws.add_span(doc, label(ws, "spoiler"), 4, 10)
    span = ws.spans(doc)[0]
    ws.close()
    early = make_bundle(project, "alice", out=tmp_path / "alice-laptop.annot")
    late = make_bundle(project, "alice", out=tmp_path / "alice-desktop.annot")
    ws = annotate_as(early, "alice")
    ws.relabel(span.uuid, label(ws, "praise"))
    ws.close()
    time.sleep(0.01)
    ws = annotate_as(late, "alice")
    ws.set_note(span.uuid, "the later edit")
    ws.close()

    report = merge(project, late, early)  # the later one first: still it wins

    conflicts = report.conflicts
    [c] = conflicts  # the later package: a change; the earlier one then: a conflict
    assert c.winner == "target" and report.total("spans_changed") == 1
    assert c.source.label == "praise" and c.target.note == "the later edit"
    assert report.sources[1].path.endswith("alice-laptop.annot")
    ws = open_ws(project)
    merged = ws.span(span.uuid)
    assert merged.note == "the later edit" and merged.label_uuid == label(ws, "spoiler")
    ws.close()


# --- bad input --------------------------------------------------------------------------

def _refused(project, bad, match, **options):
    before, rows = sha(project), dump(project)
    with pytest.raises(AnnotatorError, match=match) as caught:
        merge(project, bad, **options)
    assert sha(project) == before and dump(project) == rows
    return str(caught.value)


def test_a_text_file_or_an_empty_file_is_refused(project, tmp_path):
    text = tmp_path / "notes.annot"
    text.write_text("not a database\n", encoding="utf-8")
    said = _refused(project, text, "not an SQLite database")
    assert "notes.annot" in said and "Nothing was merged" in said and "--db" not in said
    empty = tmp_path / "empty.annot"
    empty.write_bytes(b"")
    assert "empty.annot" in _refused(project, empty, "empty file")
    assert "missing.annot" in _refused(project, tmp_path / "missing.annot", "does not exist")


def test_a_package_of_a_newer_schema_is_refused(project):
    bundle = annotated_bundle(project, "alice", ["Review 0"])
    conn = sqlite3.connect(bundle)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert "alice.annot" in _refused(project, bundle, "newer version of Annotator")


def test_a_truncated_or_damaged_package_is_refused_even_after_a_good_one(project, tmp_path):
    good = annotated_bundle(project, "alice", ["Review 0"])
    bundle = annotated_bundle(project, "bob", None)
    data = bundle.read_bytes()
    assert len(data) > 8 * 4096
    half = tmp_path / "half.annot"
    half.write_bytes(data[:len(data) // 2])
    flipped = tmp_path / "flipped.annot"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle - 4096] + bytes(b ^ 0x5A for b in data[
        middle - 4096:middle + 4096]) + data[middle + 4096:])
    for bad in (half, flipped):
        before = sha(project)
        with pytest.raises(StoreError, match=bad.name) as caught:
            merge(project, good, bad)
        assert "damaged" in str(caught.value) or "malformed" in str(caught.value)
        assert sha(project) == before


def test_merging_a_database_into_itself_is_refused(project, tmp_path):
    _refused(project, project, "the database being merged into")
    copy = tmp_path / "copy.db"
    shutil.copy(project, copy)
    assert "copy.db" in _refused(project, copy, "same database identity")


def test_another_programs_database_is_refused(project, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "other.sqlite" in _refused(project, other, "another program")


# --- the command ----------------------------------------------------------------------

def test_the_merge_command_dry_run_json_and_errors(project, tmp_path):
    bundle = annotated_bundle(project, "alice", ["Review 0", "Review 1"])
    runner = CliRunner()
    before = sha(project)
    dry = runner.invoke(main, ["merge", str(bundle), "--into", str(project), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would add 2 spans" in dry.output and "alice: spans +2" in dry.output
    assert sha(project) == before

    done = runner.invoke(main, ["merge", str(bundle), "--into", str(project), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["spans_added"] == 2 and data["statuses_changed"] == 2
    assert data["sources"][0]["annotators"][0]["name"] == "alice" and data["backup"]

    text = tmp_path / "x.annot"
    text.write_text("hello", encoding="utf-8")
    bad = runner.invoke(main, ["merge", str(text), "--into", str(project)])
    assert bad.exit_code == 1 and "x.annot" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(main, ["merge", str(bundle), "--into", str(tmp_path / "no.db")])
    assert missing.exit_code == 1 and "no.db does not exist" in missing.output


def test_refusals_are_merge_errors_the_window_can_show():
    assert issubclass(MergeRefused, AnnotatorError)


def test_a_package_is_read_without_leaving_anything_beside_it(project, tmp_path):
    bundle = annotated_bundle(project, "alice", ["Review 0"])
    for leftover in tmp_path.glob("alice.annot-*"):
        leftover.unlink()
    before = sha(bundle)
    merge(project, bundle)
    assert sha(bundle) == before
    assert not list(tmp_path.glob("alice.annot-*"))


def test_a_package_that_kept_the_projects_identity_still_merges(project):
    bundle = annotated_bundle(project, "alice", ["Review 0"])
    ws = open_ws(project)
    identity = ws.database_uuid
    ws.close()
    conn = sqlite3.connect(bundle)
    with conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = 'database_uuid'", (identity,))
    conn.close()
    assert merge(project, bundle).total("spans_added") == 1


def test_a_merge_stopped_between_packages_writes_nothing(project):
    from annotator.services.merge import MergeStopped
    from annotator.workspace import Job

    a = annotated_bundle(project, "alice", ["Review 0"])
    b = annotated_bundle(project, "bob", ["Review 1"])
    before = sha(project)

    class StopAfterOne(Job):
        seen = 0

        def progress(self, done, total, text=""):
            self.seen = done

        def cancelled(self):
            return self.seen >= 1

    ws = open_ws(project)
    with pytest.raises(MergeStopped, match="nothing was written"):
        ws.merge([a, b], job=StopAfterOne(), as_person=False)
    ws.close()
    assert sha(project) == before
