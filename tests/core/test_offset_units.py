"""Issue 13, item 5: offsets are read and written in each format's own unit (UTF-16 for
doccano and Label Studio, code points for the rest), `--offsets` overrides, grapheme clusters
are a unit too, and the summaries say which unit was used.

Fixtures are invented reviews in the shapes doccano and Label Studio write.
"""

import json
from collections import Counter

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from test_real_shapes import at, imported, jsonl, stored, utf16

from annotator.domain.offsets import GRAPHEMES, GraphemeMap, units
from annotator.io.readers.json_formats import read_json
from annotator.io.records import ReadErrors, ReadOptions
from annotator.services.export_scope import WIDENED
from annotator.services.exporting import ExportOptions
from annotator.services.importing import ImportOptions

# --- 5. Offsets: UTF-16 by default for doccano and Label Studio, graphemes on request -------

EMOJI = "Sobbed through the finale 😭😭 and the score 🎻 soars; the middle sags."


def test_doccano_offsets_are_utf16_by_default_and_the_summary_says_so(fresh_db, inbox):
    line = {"text": EMOJI, "label": [[*utf16(EMOJI, "the score"), "MUSIC"],
                                     [*utf16(EMOJI, "the middle sags"), "PACE"]]}
    (inbox / "doccano.jsonl").write_text(jsonl(line))
    [result] = imported(fresh_db, inbox / "doccano.jsonl").files
    assert stored(fresh_db) == Counter({("doccano", "MUSIC", "the score"): 1,
                                        ("doccano", "PACE", "the middle sags"): 1})
    assert result.offsets_line == ("offsets read as UTF-16 code units, as doccano JSONL "
                                   "counts them (another unit: --offsets)")
    # --offsets overrides, for a file whose tool counted code points.
    (inbox / "python.jsonl").write_text(jsonl({"text": EMOJI + " Again.", "label": [
        [*at(EMOJI, "the score"), "MUSIC"]]}))
    [result] = imported(fresh_db, inbox / "python.jsonl", offsets="codepoint").files
    assert result.offsets_line == "offsets read as code points (--offsets codepoint)"
    assert stored(fresh_db)[("doccano", "MUSIC", "the score")] == 2


def test_a_code_point_file_read_as_utf16_is_refused_with_the_fix(inbox, fresh_db):
    inside = EMOJI.index("😭") + 1  # a code point offset; in UTF-16 inside the first emoji
    line = {"text": EMOJI, "label": [[inside, inside + 3, "X"]]}
    (inbox / "cp.jsonl").write_text(jsonl(line))
    report = fresh_db.import_paths([inbox / "cp.jsonl"])
    [error] = report.files[0].errors
    assert "falls inside an emoji" in error.message
    assert error.message.endswith("these offsets fit the text if counted in code points: "
                                  "use --offsets codepoint")


def test_label_studio_spans_that_line_up_only_in_utf16_say_so():
    start, end = utf16(EMOJI, "the score")
    task = {"data": {"text": EMOJI}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": start, "end": end, "text": "the score", "labels": ["MUSIC"]}}]}]}
    with pytest.raises(ReadErrors) as caught:
        read_json(json.dumps(task).encode(), "ls.json", ReadOptions(offsets="codepoint"))
    [error] = caught.value.errors
    assert error.message.endswith("these offsets line up if counted in UTF-16: "
                                  "use --offsets utf16")


GRAPHEME_REVIEW = "Great cast 👍🏽, Zoë’s café scene 🇫🇷 steals it; the ending 👨‍👩‍👧 works."


def graphemes(text: str, words: str) -> tuple[int, int]:
    """Where `words` is, counted in grapheme clusters (doccano's other setting)."""
    start = len(regex.findall(r"\X", text[:text.index(words)]))
    return start, start + len(regex.findall(r"\X", words))


def test_doccano_grapheme_offsets_with_offsets_graphemes(fresh_db, inbox):
    line = {"text": GRAPHEME_REVIEW,
            "label": [[*graphemes(GRAPHEME_REVIEW, "café scene"), "PLACE"],
                      [*graphemes(GRAPHEME_REVIEW, "the ending"), "PLOT"]]}
    (inbox / "g.jsonl").write_text(jsonl(line))
    report = fresh_db.import_paths([inbox / "g.jsonl"], ImportOptions(
        read=ReadOptions(offsets=GRAPHEMES)))
    assert stored(fresh_db) == Counter({("doccano", "PLACE", "café scene"): 1,
                                        ("doccano", "PLOT", "the ending"): 1})
    assert report.files[0].offsets_line == ("offsets read as grapheme clusters "
                                            "(--offsets graphemes)")


def test_exports_count_utf16_for_doccano_and_label_studio_and_graphemes_on_request(
        fresh_db, inbox, tmp_path):
    span = {"annotator": "mia", "label": "PLACE", **dict(zip(
        ("start", "end"), at(GRAPHEME_REVIEW, "café scene"), strict=True))}
    (inbox / "mine.jsonl").write_text(jsonl({"text": GRAPHEME_REVIEW, "annotations": [span]}))
    imported(fresh_db, inbox / "mine.jsonl")
    report = fresh_db.export("doccano", tmp_path / "d.jsonl")
    [line] = map(json.loads, (tmp_path / "d.jsonl").read_text().splitlines())
    assert line["label"] == [[*utf16(GRAPHEME_REVIEW, "café scene"), "PLACE"]]
    assert report.offsets == "utf16" and report.offsets_line == "offsets count UTF-16 code units"
    report = fresh_db.export("labelstudio", tmp_path / "ls.json")
    value = json.loads((tmp_path / "ls.json").read_text())[0]["annotations"][0]["result"][0][
        "value"]
    assert (value["start"], value["end"]) == utf16(GRAPHEME_REVIEW, "café scene")
    report = fresh_db.export("doccano", tmp_path / "g.jsonl", ExportOptions(offsets=GRAPHEMES))
    [line] = map(json.loads, (tmp_path / "g.jsonl").read_text().splitlines())
    assert line["label"] == [[*graphemes(GRAPHEME_REVIEW, "café scene"), "PLACE"]]
    assert report.offsets == GRAPHEMES and not report.adjusted
    # --offsets still overrides, both ways round: code points for doccano.
    fresh_db.export("doccano", tmp_path / "c.jsonl", ExportOptions(offsets="codepoint"))
    [line] = map(json.loads, (tmp_path / "c.jsonl").read_text().splitlines())
    assert line["label"] == [[*at(GRAPHEME_REVIEW, "café scene"), "PLACE"]]
    assert fresh_db.export("brat", tmp_path / "brat").offsets == "codepoint"
    assert fresh_db.export("conll", tmp_path / "x.conll").offsets is None


def test_a_span_edge_inside_a_grapheme_cluster_is_widened_and_counted(fresh_db, inbox,
                                                                      tmp_path):
    text = "Zoe\u0308 is the heart of it."  # ë as e + combining diaeresis
    span = {"annotator": "mia", "label": "CAST", "start": 0, "end": 3}  # "Zoe", not its mark
    (inbox / "mine.jsonl").write_text(jsonl({"text": text, "annotations": [span]}))
    imported(fresh_db, inbox / "mine.jsonl")
    report = fresh_db.export("doccano", tmp_path / "g.jsonl", ExportOptions(offsets=GRAPHEMES))
    [line] = map(json.loads, (tmp_path / "g.jsonl").read_text().splitlines())
    assert line["label"] == [[0, 3, "CAST"]]  # three clusters: Z, o, ë
    assert report.adjusted == {WIDENED: 1}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["a", "😂", "\r\n", "e\u0301", "👍🏽", "🇫🇷", "映画", " ",
                                 "👨‍👩‍👧", "\u1100\u1161\u11a8", "\n"]), max_size=12))
def test_grapheme_offsets_agree_with_the_regex_modules_clusters(pieces):
    text = "".join(pieces)
    clusters = regex.findall(r"\X", text)
    starts = [0]
    for cluster in clusters:
        starts.append(starts[-1] + len(cluster))
    counted = units(text, GRAPHEMES)
    assert counted.length == len(clusters)
    for index, start in enumerate(starts):
        assert counted.to_codepoint(index) == start
        assert counted.from_codepoint(start) == index
    for codepoint in range(len(text) + 1):  # inside a cluster: to its start, or up its end
        down, up = counted.from_codepoint(codepoint), counted.from_codepoint(codepoint, True)
        assert starts[down] <= codepoint <= starts[up] and up - down <= 1


def test_grapheme_offsets_of_a_megabyte_are_quick():
    import time

    text = ("Great cast 👍🏽, Zoë’s café 🇫🇷; the ending 👨‍👩‍👧 works.\n" * 20_000)[:1_000_000]
    began = time.perf_counter()
    counted = GraphemeMap(text)
    assert time.perf_counter() - began < 5  # about 0.6 s here; a text without clusters: ms
    assert counted.grapheme_length == len(regex.findall(r"\X", text))


def test_the_command_line_reads_and_writes_each_format_in_its_own_unit(tmp_path, inbox):
    from click.testing import CliRunner

    from annotator.cli import main

    def run(*args):
        result = CliRunner().invoke(main, ["--db", str(tmp_path / "cli.db"), *map(str, args)])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    line = {"text": EMOJI, "label": [[*utf16(EMOJI, "the score"), "MUSIC"]]}
    (inbox / "d.jsonl").write_text(jsonl(line))
    report = run("import", inbox / "d.jsonl", "--json")
    assert (report["spans"], report["files"][0]["offsets"]) == (1, {"doccano": "utf16"})
    report = run("export", "--format", "doccano", "-o", tmp_path / "out.jsonl", "--json")
    assert report["offsets"] == "utf16" and report["documents"] == 1  # every document
    assert json.loads((tmp_path / "out.jsonl").read_text())["label"] == line["label"]


def test_each_format_s_own_unit_is_listed_once_in_the_registry():
    from annotator.io.registry import READER_BY_KEY, WRITER_BY_KEY

    assert {key: r.counts for key, r in READER_BY_KEY.items() if r.counts != "codepoint"} == {
        "doccano": "utf16", "labelstudio": "utf16"}
    assert {key: w.counts for key, w in WRITER_BY_KEY.items() if w.counts != "codepoint"} == {
        "doccano": "utf16", "labelstudio": "utf16", "conll": None}
    assert ReadOptions().offsets is None
    assert ReadOptions().offsets_for("doccano") == "utf16"
    assert ReadOptions(offsets="graphemes").offsets_for("labelstudio") == "graphemes"
