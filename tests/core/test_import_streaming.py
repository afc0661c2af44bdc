"""Large record files are read as they are written, a batch at a time, and stay all or
nothing: a bad record near the end rolls the whole file back (issue 15)."""

import json
import tracemalloc

import pytest

import annotator.io.formats as formats
import annotator.io.readers.streamed as streamed
import annotator.io.sources as sources
import annotator.services.importing as importing


@pytest.fixture
def small_stream(monkeypatch):
    """Files over a few KB stream, in small chunks and batches, so tests stay small."""
    monkeypatch.setattr(streamed, "PREFIX", 4096)
    monkeypatch.setattr(formats, "PREFIX", 4096)
    monkeypatch.setattr(streamed, "CHUNK", 1000)  # cuts emoji and lines in half
    monkeypatch.setattr(importing, "BATCH", 20)


def reviews(path, count, bad_at=None, start=0):
    """A JSONL of short reviews with emoji and CRLF line ends; `bad_at` (a line number)
    holds a text that is a number."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        for line in range(1, count + 1):
            text = 42 if line == bad_at else (
                f"Review {start + line} of Harbour Lights 🎬: slow, then devastating.\r\n"
                "Marchetti is superb 🤩 and the ending drags.")
            f.write(json.dumps({"text": text}, ensure_ascii=line % 2 == 0) + "\r\n")
    return path


def test_a_bad_record_near_the_end_of_a_large_file_imports_nothing_from_it(
        fresh_db, inbox, small_stream):
    reviews(inbox / "a-fine.jsonl", 150, start=1000)
    reviews(inbox / "b-bad.jsonl", 300, bad_at=297)

    report = fresh_db.import_paths([inbox])

    fine, bad = report.files
    assert fine.documents == 150 and not fine.failed
    assert bad.documents == 0 and bad.status == "failed"
    [error] = bad.errors
    assert (error.line, error.field) == (297, "text")
    assert str(error).startswith(f"{bad.path}, line 297, field 'text'")
    assert fresh_db.count_documents() == 150  # the 296 written before it: rolled back
    assert len(report.document_ids) == 150


def test_a_large_file_is_written_while_it_is_read(fresh_db, inbox, small_stream,
                                                  monkeypatch):
    """The store gets batches of documents before the reader reaches the end of the file."""
    events: list[str] = []
    opened = sources._opened_file

    class Watched:
        def __init__(self, raw):
            self.raw = raw

        def read(self, size=-1):
            data = self.raw.read(size)
            events.append("read" if data else "end")
            return data

        def close(self):
            self.raw.close()

    monkeypatch.setattr(sources, "_opened_file", lambda *a: Watched(opened(*a)))
    write_batch = importing._write_batch

    def watched_batch(store, records, *rest):
        events.append(f"write {len(records)}")
        return write_batch(store, records, *rest)

    monkeypatch.setattr(importing, "_write_batch", watched_batch)
    reviews(inbox / "large.jsonl", 200)

    report = fresh_db.import_paths([inbox / "large.jsonl"], importing.ImportOptions(
        max_bytes=1000))  # the per-file limit is for texts read whole, not record streams

    assert report.total("documents") == 200 and fresh_db.count_documents() == 200
    writes = [e for e in events if e.startswith("write")]
    assert writes == ["write 20"] * 10
    assert events.index("write 20") < events.index("end")  # written before read through
    assert events.count("read") > 10


def test_a_large_file_still_counts_against_the_total_read(fresh_db, inbox, small_stream):
    path = reviews(inbox / "large.jsonl", 200)

    report = fresh_db.import_paths([path], importing.ImportOptions(
        max_total_bytes=path.stat().st_size // 2))

    [result] = report.files
    assert result.failed and "--max-total-mb" in str(result.errors[0])
    assert fresh_db.count_documents() == 0


def test_a_streamed_file_reports_as_if_read_whole(open_workspace, tmp_path, inbox,
                                                 small_stream, monkeypatch):
    """Counts, notes, duplicates, skipped records and offsets: the same as read whole."""
    lines = [{"text": f"Review {i % 130} of Glass Harbour 🤩, a café scene steals it.",
              "spans": [{"start": 0, "end": 6, "label": "praise"}],
              "answer": "reject" if i % 50 == 7 else "accept"} for i in range(260)]
    (inbox / "p.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    as_streamed = open_workspace(tmp_path / "streamed.db").import_paths([inbox])
    monkeypatch.setattr(formats, "PREFIX", 10**9)  # read whole
    as_whole = open_workspace(tmp_path / "whole.db").import_paths([inbox])

    assert as_streamed.as_json() == as_whole.as_json()
    [result] = as_streamed.files
    assert result.documents == 130 and len(result.duplicates) == 124
    assert any("reject" in note for note in result.notes)


def test_memory_does_not_grow_with_the_size_of_a_record_file(fresh_db, inbox,
                                                            small_stream, monkeypatch):
    monkeypatch.setattr(streamed, "CHUNK", 64 * 1024)
    monkeypatch.setattr(importing, "BATCH", 500)
    small = reviews(inbox / "small.jsonl", 2_000)
    large = reviews(inbox / "large.jsonl", 20_000, start=10_000)
    size = large.stat().st_size  # about 3 MB
    # (A file read whole is read into a buffer of the per-file limit: kept to its size.)
    options = importing.ImportOptions(max_bytes=size + 1000)

    def peak(path):
        tracemalloc.start()
        try:
            report = fresh_db.import_paths([path], options)
            return tracemalloc.get_traced_memory()[1], report
        finally:
            tracemalloc.stop()

    small_peak, _ = peak(small)
    large_peak, report = peak(large)

    assert report.total("documents") == 20_000
    # Ten times the records: what grows is the report's document ids, a few bytes each.
    # Read whole, the file's bytes, its text and its records would all be held at once.
    assert large_peak - small_peak < size / 2, (small_peak, large_peak)


def test_a_large_file_that_changes_encoding_is_refused_at_its_line(fresh_db, inbox,
                                                                  small_stream):
    """The encoding is told from the start of a streamed file; a byte that is not UTF-8
    later is named by its line, and nothing of the file is imported."""
    path = reviews(inbox / "mixed.jsonl", 200)
    lines = path.read_bytes().split(b"\r\n")
    lines[180] = json.dumps({"text": "Caf\u00e9 Noir"}).encode().replace(b"\\u00e9", b"\xe9")
    path.write_bytes(b"\r\n".join(lines))

    report = fresh_db.import_paths([path])

    [error] = report.files[0].errors
    assert error.line == 181 and "not valid utf-8" in error.message
    assert fresh_db.count_documents() == 0


def test_a_large_utf16_file_with_spans_streams_with_its_offsets_right(fresh_db, inbox,
                                                                     small_stream,
                                                                     monkeypatch):
    """Told from its byte order mark, decoded chunk by chunk (cut inside characters), CRLF
    normalised; doccano's UTF-16 offsets still land on the same words."""
    text = "Wow 🤩 the finale,\r\nthen Marchetti 🎬 steals it."
    start = text.index("Marchetti")
    lines = [json.dumps({"text": f"{i}: {text}", "label": [
        [start + len(f"{i}: ") + 1, start + len(f"{i}: ") + 10, "praise"]]})  # 🤩: 2 units
        for i in range(300)]
    (inbox / "d.jsonl").write_text("\r\n".join(lines), encoding="utf-16")
    streams = []
    stream = formats.stream
    monkeypatch.setattr(formats, "stream", lambda *a: streams.append(stream(*a)) or streams[-1])

    report = fresh_db.import_paths([inbox / "d.jsonl"])

    assert streams and streams[0] is not None  # read as a stream, not whole

    [result] = report.files
    assert not result.failed and result.documents == 300 and result.spans == 300
    assert result.offsets == {"doccano": "utf16"}
    for doc_id in report.document_ids[::37]:
        doc = fresh_db.store.documents.get(doc_id)
        [span] = fresh_db.store.spans.of_document(doc_id)
        assert "\r" not in doc.text and doc.text[span.start:span.end] == "Marchetti"


def spreadsheet(path, rows, bad_at=None, delimiter=","):
    """A spreadsheet of reviews: no column named text (the longest one is found), a rating
    column whose scale is the whole column's (up to 9: out of 10), quoted line breaks."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(delimiter.join(["film", "body", "stars"]) + "\r\n")
        for i in range(rows):
            body = "" if i == bad_at else (
                f'"Review {i} 🎬: slow, then devastating.\r\nMarchetti is superb, ""truly"", '
                'and the ending drags."')
            f.write(delimiter.join([f"Film {i % 7}", body, str(1 + i % 9)]) + "\r\n")
    return path


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t")])
def test_a_large_spreadsheet_streams_and_reports_as_if_read_whole(
        open_workspace, tmp_path, inbox, small_stream, monkeypatch, suffix, delimiter):
    spreadsheet(inbox / f"reviews{suffix}", 300, delimiter=delimiter)
    streams = []
    stream = formats.stream
    monkeypatch.setattr(formats, "stream", lambda *a: streams.append(stream(*a)) or streams[-1])
    as_streamed = open_workspace(tmp_path / "streamed.db")
    report = as_streamed.import_paths([inbox])
    assert streams[0] is not None
    monkeypatch.setattr(formats, "PREFIX", 10**9)  # read whole
    as_whole = open_workspace(tmp_path / "whole.db")

    assert report.as_json() == as_whole.import_paths([inbox]).as_json()
    assert report.total("documents") == 300
    doc = as_streamed.store.documents.get(report.document_ids[-1])
    assert doc.meta["stars"] == "3" and doc.meta["rating_normalised"] == 0.3
    assert doc.text.startswith("Review 299 🎬: slow, then devastating.\nMarchetti")
    assert doc.title == "Review 299 🎬: slow, then devastating." and doc.meta["film"] == "Film 5"


def test_an_empty_review_near_the_end_of_a_large_spreadsheet_imports_nothing(
        fresh_db, inbox, small_stream):
    spreadsheet(inbox / "reviews.csv", 300, bad_at=289)  # two lines a row, after the header

    report = fresh_db.import_paths([inbox])

    [error] = report.files[0].errors
    assert (error.line, error.field) == (2 + 2 * 289, "body") and "empty" in error.message
    assert fresh_db.count_documents() == 0
