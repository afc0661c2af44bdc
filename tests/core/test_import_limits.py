"""What one import may take, whatever the files' layout: damaged archive members, members
padded around the zip-bomb check, the total read, and spans per document (issue 14)."""

import json
import os
import zipfile

from annotator.services.importing import ImportOptions

MB = 1024 * 1024


def zipped(path, members: dict[str, bytes], stored: tuple[str, ...] = ()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name in stored else None)
    return path


def messages(report) -> dict[str, str]:
    return {f.path.rsplit("/", 1)[-1]: " ".join(str(e) for e in f.errors)
            for f in report.failed}


def test_a_damaged_member_is_named_and_the_rest_of_the_archive_imported(fresh_db, inbox):
    archive = zipped(inbox / "june.zip", {
        "bad.txt": ("The Lantern Keeper is slow, then devastating. " * 40).encode(),
        "good.txt": b"Glass Harbour: a cafe scene steals it."})
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo("bad.txt")
    data = bytearray(archive.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start:start + 8] = b"\xff" * 8  # the deflate stream: an invalid block
    archive.write_bytes(bytes(data))

    report = fresh_db.import_paths([archive])

    assert report.total("documents") == 1
    said = messages(report)["bad.txt"]
    assert "damaged" in said and "error in Annotator" not in said


def test_members_padded_around_the_ratio_check_are_refused_each(fresh_db, inbox):
    """A large incompressible member, skipped as an unknown type, once brought the archive's
    ratio under the limit: gigabytes of text came in. Each member is held to it now."""
    bombs = {f"{i:02}.txt": b"a" * (3 * MB) for i in range(4)}
    honest = {"honest.txt": os.urandom(4 * MB).hex().encode()}  # 8 MB, packs to ~4.5
    archive = zipped(inbox / "padded.zip", {**bombs, **honest})
    assert archive.stat().st_size > 4 * MB  # the whole: 20 MB from 4.5 MB, a ratio of 4

    report = fresh_db.import_paths([archive])

    assert report.total("documents") == 1  # the honest one
    said = messages(report)
    assert sorted(said) == sorted(bombs)
    assert all("refused as unsafe" in m for m in said.values())


def test_an_import_reads_no_more_than_its_total_whatever_the_layout(fresh_db, inbox):
    for i in range(3):
        (inbox / f"{i}.txt").write_text(f"Review {i}: " + "fine words " * 90)  # ~1 KB
    zipped(inbox / "more.zip", {"3.txt": b"Review 3: " + b"more words " * 90,
                                "4.txt": b"Review 4: " + b"more words " * 90})

    report = fresh_db.import_paths([inbox], ImportOptions(max_total_bytes=2_500))

    assert report.total("documents") == 2
    said = messages(report)
    assert sorted(said) == ["2.txt", "3.txt", "4.txt"]
    assert all("limit of" in m and "--max-total-mb" in m for m in said.values())


def test_a_file_with_too_many_spans_in_a_document_is_refused_whole(fresh_db, inbox):
    text = "Marchetti is superb and the ending drags. " * 10
    spans = [{"annotator": "ada", "label": "praise", "start": i, "end": i + 5}
             for i in range(30)]
    lines = [{"text": "A short, fine review.", "annotations": spans[:2]},
             {"text": text, "annotations": spans}]
    (inbox / "crowded.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    (inbox / "fine.jsonl").write_text(json.dumps(lines[0]) + "\n")

    report = fresh_db.import_paths([inbox], ImportOptions(max_spans=20))

    assert report.total("documents") == 1 and report.total("spans") == 2
    said = messages(report)["crowded.jsonl"]
    assert "line 2" in said and "30 spans" in said and "--max-spans" in said


def test_many_small_members_padded_by_a_skipped_one_are_refused_as_a_whole(fresh_db,
                                                                          inbox):
    """Members under a megabyte are not held to the ratio one by one: the archive is, over
    what would be read. A skipped incompressible member used to pad its ratio down."""
    small = {f"{i:03}.txt": (f"{i} " + "a" * (MB - 8)).encode() for i in range(12)}
    archive = zipped(inbox / "small.zip", {**small, "pad.bin": os.urandom(13 * MB)},
                     stored=("pad.bin",))

    report = fresh_db.import_paths([archive])

    assert report.total("documents") == 0
    assert "refused as unsafe" in messages(report)["small.zip"]


def test_a_file_read_twice_counts_once_against_the_total(fresh_db, inbox):
    """JSON files are looked at for doccano label lists before the import: their bytes
    count once."""
    labels = [{"id": i, "text": f"label {i}", "background_color": "#FF0000"}
              for i in range(3)]
    (inbox / "labels.json").write_text(json.dumps(labels))
    record = {"text": "A review of Lantern Bay. " * 12,
              "label": [{"start_offset": 0, "end_offset": 8, "label": 1}]}
    (inbox / "a.json").write_text(json.dumps([record]))  # looked at: a label list?
    size = sum(p.stat().st_size for p in inbox.iterdir())

    report = fresh_db.import_paths([inbox], ImportOptions(max_total_bytes=size + 10))

    assert not report.failed and report.total("documents") == 1
