"""Where imports come from: folders, .zip archives, brat pairs; limits, cancelling, batches."""

import json
import zipfile

from annotator.io.records import ReadOptions
from annotator.io.sources import Limits, collect
from annotator.services.importing import BATCH, ImportOptions
from annotator.workspace import Job


def zipped(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def errors_of(report):
    return {f.path.rsplit("/", 1)[-1]: str(f.errors[0]) for f in report.failed}


def test_a_zip_of_reviews_imports_like_a_folder(fresh_db, inbox):
    zipped(inbox / "june.zip", {
        "june/01.txt": b"The Lantern Keeper\n\nSlow, then devastating.",
        "june/02.md": "# Glass Harbour\n\nA caf\u00e9 scene steals it.".encode(),
        "june/notes.png": b"\x89PNG\r\n",
        "__MACOSX/june/._01.txt": b"\x00\x05\x16\x07",
    })
    report = fresh_db.import_paths([inbox / "june.zip"])
    assert report.total("documents") == 2 and not report.failed
    titles = sorted(fresh_db.document(i).title for i in fresh_db.document_ids())
    assert titles == ["Glass Harbour", "The Lantern Keeper"]
    sources = {fresh_db.document(i).source_path for i in fresh_db.document_ids()}
    assert str(inbox / "june.zip") + "/june/01.txt" in sources
    assert [f.skipped_reason for f in report.files if f.skipped_reason] == [
        "not a supported file type"]


def test_zip_members_that_climb_out_are_refused_and_the_rest_imported(fresh_db, inbox):
    zipped(inbox / "evil.zip", {
        "../../escape.txt": b"Not a review.",
        "/etc/absolute.txt": b"Nor this.",
        "fine.txt": b"A fine review of Paper Moons.",
    })
    report = fresh_db.import_paths([inbox / "evil.zip"])
    assert fresh_db.count_documents() == 1
    messages = [str(e) for f in report.failed for e in f.errors]
    assert len(messages) == 2
    assert any("outside itself" in m and "escape.txt" in m for m in messages)
    assert any("absolute path" in m for m in messages)
    assert not (inbox.parent.parent / "escape.txt").exists()


def test_a_zip_bomb_and_a_broken_zip_are_refused_with_a_reason(fresh_db, inbox):
    zipped(inbox / "bomb.zip", {"big.txt": b"a" * (30 * 1024 * 1024)})
    (inbox / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    report = fresh_db.import_paths([inbox])
    errors = errors_of(report)
    assert "refused as unsafe" in errors["bomb.zip"]
    assert "not a readable .zip archive" in errors["broken.zip"]
    assert fresh_db.count_documents() == 0


def test_files_above_the_limit_are_refused_with_the_sizes(fresh_db, inbox):
    (inbox / "huge.txt").write_bytes(b"Too long. " * 120_000)  # 1.2 MB
    (inbox / "small.txt").write_text("Short and sweet.")
    report = fresh_db.import_paths([inbox], ImportOptions(max_bytes=1024 * 1024))
    assert "1.1 MB, above the import limit of 1 MB" in errors_of(report)["huge.txt"]
    assert fresh_db.count_documents() == 1


def test_a_zip_member_above_the_limit_is_refused(fresh_db, inbox):
    zipped(inbox / "a.zip", {"big.txt": b"Long review. " * 100_000, "ok.txt": b"Fine."})
    report = fresh_db.import_paths([inbox / "a.zip"], ImportOptions(max_bytes=1_000_000))
    assert "above the import limit" in errors_of(report)["big.txt"]
    assert fresh_db.count_documents() == 1


def test_brat_pairs_are_found_in_folders_and_by_either_name(tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    for stem in ("a", "b"):
        (folder / f"{stem}.txt").write_text("Text.")
        (folder / f"{stem}.ann").write_text("")
    (folder / "lonely.ann").write_text("")
    sources = collect([folder])
    assert [(s.name.rsplit("/", 1)[-1], s.companion is not None, s.skipped)
            for s in sources] == [
        ("a.txt", True, None), ("b.txt", True, None),
        ("lonely.ann", False, "brat annotations without their .txt file")]
    [by_ann] = collect([folder / "a.ann"])
    [by_txt] = collect([folder / "b.txt"])
    assert by_ann.name.endswith("a.txt") and by_ann.companion.name.endswith("a.ann")
    assert by_txt.companion.name.endswith("b.ann")


def test_missing_paths_and_files_with_no_extension(fresh_db, inbox):
    (inbox / "README").write_text("Midnight Ferry is a quiet triumph.")
    report = fresh_db.import_paths([inbox / "gone.txt", inbox / "README"])
    assert errors_of(report)["gone.txt"].endswith("no such file or folder")
    assert report.total("documents") == 1 and report.files[1].format == "text"


def test_cancelling_keeps_finished_files_and_rolls_back_the_one_being_read(fresh_db, inbox):
    for i in range(3):
        (inbox / f"{i}.txt").write_text(f"Review number {i} of The Salt Road.")
    big = [{"text": f"Line {i} of a long export about Copper Skies."}
           for i in range(BATCH * 2 + 5)]
    (inbox / "3-big.jsonl").write_text("\n".join(json.dumps(x) for x in big))
    reading, asked = [], []

    class AtTheBigFilesSecondBatch(Job):
        def progress(self, done, total, text=""):
            reading.append(text)

        def cancelled(self):
            if reading and reading[-1].endswith("3-big.jsonl"):
                asked.append(1)
            return len(asked) == 2  # its first batch is written by then

    report = fresh_db.import_paths([inbox], job=AtTheBigFilesSecondBatch())
    assert report.cancelled
    assert fresh_db.count_documents() == 3  # the three small files, none of the big one
    assert [f.status for f in report.files] == ["imported"] * 3 + ["cancelled"]
    assert report.files[3].documents == 0 and len(report.document_ids) == 3


def test_a_large_file_imports_in_batches_with_duplicates_inside_it(fresh_db, inbox):
    records = [{"text": f"Review {i % (BATCH + 10)} of Harbour Lights.",
                "annotations": [{"annotator": "ines", "label": "praise", "start": 0,
                                 "end": 6}]}
               for i in range(BATCH * 2)]
    (inbox / "many.jsonl").write_text("\n".join(json.dumps(x) for x in records))
    report = fresh_db.import_paths([inbox / "many.jsonl"])
    assert not report.failed
    assert fresh_db.count_documents() == BATCH + 10
    assert len(report.files[0].duplicates) == BATCH * 2 - (BATCH + 10)
    assert fresh_db.count_spans() == BATCH + 10  # the same span again is not added twice
    assert sorted(report.document_ids) == fresh_db.document_ids()


def test_clean_tidies_raw_text_but_never_text_with_spans(fresh_db, inbox):
    raw = "Ember Falls   \n\n\n\nGorgeous.\n\nGorgeous.\n\nToo long.  \n"
    (inbox / "raw.txt").write_text(raw)
    record = {"text": raw, "annotations": [
        {"annotator": "ines", "label": "praise", "start": 16, "end": 25}]}
    (inbox / "spans.jsonl").write_text(json.dumps(record))
    report = fresh_db.import_paths([inbox], ImportOptions(clean=True))
    texts = {fresh_db.document(i).source_path.rsplit("/", 1)[-1]: fresh_db.document(i).text
             for i in fresh_db.document_ids()}
    assert texts["raw.txt"] == "Ember Falls\n\nGorgeous.\n\nToo long."
    assert texts["spans.jsonl"] == raw
    assert "not cleaned" in report.files[1].notes[0]


def test_ratings_are_found_in_the_text_and_kept_in_meta(fresh_db, inbox):
    (inbox / "r.txt").write_text("Night Orchard\n\nLovely, if slow.\n\nRating: 7 out of 10")
    fresh_db.import_paths([inbox])
    meta = fresh_db.document(fresh_db.document_ids()[0]).meta
    assert meta["rating"] == "7 out of 10" and meta["rating_normalised"] == 0.7


def test_title_from_the_file_name(fresh_db, inbox):
    (inbox / "blue-horizon.txt").write_text("Spoiler: the pilot survives.")
    fresh_db.import_paths([inbox], ImportOptions(read=ReadOptions(title_from="filename")))
    doc = fresh_db.document(fresh_db.document_ids()[0])
    assert doc.title == "blue-horizon" and doc.text == "Spoiler: the pilot survives."


def test_archive_members_are_listed_with_their_sizes_and_read_on_demand(tmp_path):
    zipped(tmp_path / "a.zip", {"x.txt": b"0123456789 and more"})
    [source] = collect([tmp_path / "a.zip"], Limits(max_bytes=10_000))
    assert source.name.endswith("a.zip/x.txt") and source.size == 19
    assert source.read() == b"0123456789 and more"


def test_a_locked_database_fails_the_import_with_a_message_instead_of_waiting_forever(
        fresh_db, inbox, tmp_path):
    import sqlite3

    for i in range(3):
        (inbox / f"{i}.txt").write_text(f"Review {i} of Lantern Bay.")
    assert fresh_db.me  # who I am is settled when the window opens, before the lock is held
    other = sqlite3.connect(tmp_path / "annotator.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    fresh_db.store.conn.execute("PRAGMA busy_timeout = 50")
    report = fresh_db.import_paths([inbox])
    other.execute("ROLLBACK")
    assert len(report.failed) == 3
    assert "database could not be written" in str(report.failed[0].errors[0])
    assert fresh_db.import_paths([inbox]).total("documents") == 3  # fine once it is free


def test_nested_archives_are_skipped_and_md_files_do_not_pair_with_ann(fresh_db, inbox):
    inner = zipped(inbox / "inner.zip", {"a.txt": b"Inner review."})
    zipped(inbox / "outer.zip", {"inner.zip": inner.read_bytes(), "b.txt": b"Outer review."})
    inner.unlink()
    (inbox / "notes.md").write_text("Notes on Salt Road.")
    (inbox / "notes.ann").write_text("T1\tpraise 0 5\tNotes\n")
    report = fresh_db.import_paths([inbox])
    assert not report.failed
    skipped = {f.path.rsplit("/", 1)[-1]: f.skipped_reason for f in report.files
               if f.skipped_reason}
    assert skipped == {"inner.zip": "archives inside archives are not opened",
                       "notes.ann": "brat annotations without their .txt file"}
    assert fresh_db.count_documents() == 2 and fresh_db.count_spans() == 0


def test_a_folder_that_cannot_be_listed_is_reported(fresh_db, inbox, monkeypatch):
    import os

    (inbox / "ok.txt").write_text("Fine review.")
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):
        onerror(PermissionError(13, "Permission denied", str(inbox / "private")))
        yield from real_walk(top, **kwargs)
    monkeypatch.setattr(os, "walk", walk)
    report = fresh_db.import_paths([inbox])
    assert errors_of(report)["private"].endswith("this folder cannot be read: Permission denied")
    assert report.total("documents") == 1


def test_merged_duplicates_bring_their_annotators_status(fresh_db, inbox):
    text = "Copper Skies soars until the last reel."
    lines = [{"text": text, "status": {"alice": "done"}},
             {"text": text, "status": {"bob": "done", "alice": "in progress"}}]
    (inbox / "x.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    fresh_db.import_paths([inbox])
    from annotator.domain.model import GOLD, Status

    [doc_id] = fresh_db.document_ids()
    statuses = {a.name: fresh_db.status(doc_id, a.uuid) for a in fresh_db.annotators()
                if a not in (GOLD, fresh_db.person)}  # always there; no status here
    assert statuses == {"alice": Status.DONE, "bob": Status.DONE}  # done is never lowered


def test_new_labels_match_old_ones_as_the_label_editor_does_and_get_free_colours(
        fresh_db, inbox):
    # Issue 13: names match exactly after tidying white space; case makes another label.
    spans = [{"annotator": "ines", "label": name, "start": 0, "end": 4}
             for name in ("Plot  Twist", " Plot Twist", "plot twist", "Cast")]
    (inbox / "x.jsonl").write_text(json.dumps({"text": "Good film.", "annotations": spans}))
    report = fresh_db.import_paths([inbox])
    assert report.new_labels == ["Plot Twist", "plot twist", "Cast"]
    colours = [lb.colour for lb in fresh_db.labels()]
    assert len(set(colours)) == len(colours) and "#000000" not in colours
