"""Issue 13: files shaped as the real tools write them import whole, and exports change
nothing in silence.

Every fixture here is written for this test (invented reviews), in the shape the tool's
own documentation and repositories show: Label Studio 0.x `completions`, doccano 1.x
`annotations` with user and label numbers, doccano-transformer's `labels`, doccano's
`entities` + `relations`, Prodigy's `spans`, brat's .txt + .ann.
Item 5 (offsets in each format's own unit, grapheme clusters) is in test_offset_units.py.
"""

import json
import sys
from collections import Counter

import pytest

from annotator.io.readers.json_formats import read_json
from annotator.io.records import ReadError, ReadErrors, ReadOptions
from annotator.io.writers.stats import EXPANDED
from annotator.services.exporting import ExportOptions
from annotator.services.importing import ImportOptions


def jsonl(*objects) -> str:
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n"


def utf16(text: str, words: str) -> tuple[int, int]:
    """Where `words` is, counted as JavaScript counts (an emoji is two)."""
    start = len(text[:text.index(words)].encode("utf-16-le")) // 2
    return start, start + len(words.encode("utf-16-le")) // 2


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def stored(ws, doc_id=None) -> Counter:
    """(annotator, label, text) of every stored span (of one document, or all)."""
    names = {a.uuid: a.name for a in ws.annotators()}
    labels = {lb.uuid: lb.name for lb in ws.labels()}
    ids = [doc_id] if doc_id is not None else ws.document_ids()
    return Counter((names[s.annotator_uuid], labels[s.label_uuid], s.text)
                   for d in ids for s in ws.spans(d))


def imported(ws, *paths, **read):
    options = ImportOptions(read=ReadOptions(**read)) if read else None
    report = ws.import_paths(list(paths), options)
    assert not report.failed, [str(e) for f in report.failed for e in f.errors]
    return report


# --- 1. Label Studio 0.x: annotations under "completions" -----------------------------------

LS_TEXT = "The night ferry sequence is breathtaking 🌊, but the last act drags."


def test_label_studio_0x_completions_are_read_like_annotations(fresh_db, inbox):
    ferry, drags = utf16(LS_TEXT, "The night ferry sequence"), utf16(LS_TEXT, "drags")
    task = {"id": 12, "data": {"text": LS_TEXT}, "completions": [
        {"id": 12001, "lead_time": 31.5, "result": [
            {"id": "fx81Ka", "from_name": "ner", "to_name": "text", "type": "labels",
             "source": "$text", "value": {"start": ferry[0], "end": ferry[1],
                                          "text": "The night ferry sequence",
                                          "labels": ["PRAISE"]}},
            {"id": "q0Lm2c", "from_name": "ner", "to_name": "text", "type": "labels",
             "source": "$text", "value": {"start": drags[0], "end": drags[1],
                                          "text": "drags", "labels": ["PACE"]}}]},
        {"id": 12002, "was_cancelled": True, "result": [
            {"id": "zz", "from_name": "ner", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 3, "text": "The", "labels": ["PACE"]}}]}]}
    (inbox / "project-0x.json").write_text(json.dumps([task], ensure_ascii=False))
    report = imported(fresh_db, inbox / "project-0x.json")
    [result] = report.files
    assert result.spans == 2  # before: 0, and no word about it
    assert stored(fresh_db) == Counter({("labelstudio", "PRAISE", "The night ferry sequence"): 1,
                                        ("labelstudio", "PACE", "drags"): 1})
    assert "skipped 1 cancelled Label Studio annotation(s)" in result.notes
    # Label Studio counts UTF-16 units: the summary says which unit was used.
    assert result.offsets == {"labelstudio": "utf16"}
    assert result.offsets_line == ("offsets read as UTF-16 code units, as Label Studio JSON "
                                   "counts them (another unit: --offsets)")


# --- 2. doccano 1.x: annotations with user and label numbers --------------------------------

WIDOW = "Ines Marlow is wonderful as the widow, though the score swells too often."
KEEPER = "A patient, gentle film about a lighthouse keeper."


def doccano_1x(text: str, words: str, label: int, user: int, **more) -> dict:
    start, end = at(text, words)
    return {"label": label, "start_offset": start, "end_offset": end, "user": user, **more}


DOCCANO_1X = [
    {"id": 301, "text": WIDOW,
     "annotations": [doccano_1x(WIDOW, "Ines Marlow", 4, 1),
                     doccano_1x(WIDOW, "the score", 5, 2, user_name="rosa")],
     "meta": {}, "annotation_approver": None},
    {"id": 302, "text": KEEPER, "annotations": [doccano_1x(KEEPER, "lighthouse keeper", 4, 1)],
     "meta": {"source": "festival"}, "annotation_approver": None},
]
DOCCANO_LABELS = [
    {"id": 4, "text": "CAST", "prefix_key": None, "suffix_key": "c",
     "background_color": "#209cee", "text_color": "#ffffff"},
    {"id": 5, "text": "MUSIC", "prefix_key": None, "suffix_key": "m",
     "background_color": "#ff3860", "text_color": "#ffffff"},
]


def test_doccano_1x_annotations_keep_their_users_and_number_labels(fresh_db, inbox):
    (inbox / "admin.jsonl").write_text(jsonl(*DOCCANO_1X))
    report = imported(fresh_db, inbox / "admin.jsonl")
    [result] = report.files
    assert (result.format, result.documents, result.spans) == ("json", 2, 3)
    assert stored(fresh_db) == Counter({("doccano-user-1", "label-4", "Ines Marlow"): 1,
                                        ("rosa", "label-5", "the score"): 1,
                                        ("doccano-user-1", "label-4", "lighthouse keeper"): 1})
    assert any("doccano names 2 label(s) by number only: kept as label-4, label-5" in note
               for note in result.notes)


def test_doccano_label_numbers_are_named_by_the_label_list_given_with_the_file(fresh_db,
                                                                               inbox):
    (inbox / "admin.jsonl").write_text(jsonl(*DOCCANO_1X))
    (inbox / "label_config.json").write_text(json.dumps(DOCCANO_LABELS))
    report = imported(fresh_db, inbox)
    assert stored(fresh_db) == Counter({("doccano-user-1", "CAST", "Ines Marlow"): 1,
                                        ("rosa", "MUSIC", "the score"): 1,
                                        ("doccano-user-1", "CAST", "lighthouse keeper"): 1})
    listed = {f.path.rsplit("/", 1)[-1]: f for f in report.files}
    assert listed["label_config.json"].status == "skipped"
    assert "doccano label list (2 numbered labels)" in listed["label_config.json"].skipped_reason
    assert not listed["admin.jsonl"].notes  # every label named


def test_doccano_1x_is_read_with_the_format_forced_too_and_label_names_beside_numbers():
    record = {"id": 9, "text": "Dreamy, slow and lovely.",
              "annotations": [{"label": 2, "label_name": "MOOD", "start_offset": 0,
                               "end_offset": 6, "user": 3, "username": "ola"}]}
    [doc] = read_json(jsonl(record).encode(), "x.jsonl", ReadOptions(format="doccano"))
    assert [(s.annotator, s.label, s.text) for s in doc.spans] == [("ola", "MOOD", "Dreamy")]


# --- 3. and 4. doccano-transformer's "labels", and a record's own user ----------------------

def test_doccano_labels_plural_and_the_records_username(fresh_db, inbox):
    text = "The chase across the salt flats is thrilling; the villain is a cliché."
    other = text.replace("thrilling", "exhausting")
    lines = [{"id": 77, "text": text, "meta": {}, "annotation_approver": None,
              "labels": [[*at(text, "the salt flats"), "PLACE"]]},
             {"doc_id": 78, "text": other,
              "entities": [[*at(other, "the villain"), "ROLE"]], "username": "tomas"}]
    (inbox / "transformer.jsonl").write_text(jsonl(*lines))
    imported(fresh_db, inbox / "transformer.jsonl")
    assert stored(fresh_db) == Counter({("doccano", "PLACE", "the salt flats"): 1,
                                        ("tomas", "ROLE", "the villain"): 1})


# --- 6. Labels are matched exactly, after normalisation and trimming -------------------------

def test_a_label_differing_only_in_case_is_a_new_label_and_the_summary_says_so(fresh_db,
                                                                               inbox):
    text = "Ada Brandt carries the film; Ada Brandt also wrote it."
    first = {"text": text, "annotations": [
        {"annotator": "kim", "label": "Person", "start": 0, "end": 10}]}
    second = {"text": text + " Twice.", "annotations": [
        {"annotator": "kim", "label": "PERSON", "start": 29, "end": 39},
        {"annotator": "kim", "label": " Person ", "start": 0, "end": 10}]}
    (inbox / "a.jsonl").write_text(jsonl(first))
    (inbox / "b.jsonl").write_text(jsonl(second))
    imported(fresh_db, inbox / "a.jsonl")
    report = imported(fresh_db, inbox / "b.jsonl")
    assert [lb.name for lb in fresh_db.labels()][-2:] == ["Person", "PERSON"]
    assert report.new_labels == ["PERSON"]
    assert any(note.startswith("label PERSON is new; Person exists")
               for note in report.files[0].notes)


def test_a_brat_folder_keeps_n_and_N_apart_whatever_the_file_order(open_workspace, tmp_path):
    for order in (("a", "b"), ("b", "a")):
        folder = tmp_path / "".join(order)
        folder.mkdir()
        for stem, label in zip(order, ("N", "n"), strict=True):
            (folder / f"{stem}.txt").write_text(f"Review {stem}: tense and quiet.\n")
            (folder / f"{stem}.ann").write_text(f"T1\t{label} 10 15\ttense\n")
        ws = open_workspace(tmp_path / f"{''.join(order)}.db")
        imported(ws, folder)
        assert {lb.name for lb in ws.labels()} >= {"N", "n"}
        assert sorted(label for _, label, _ in stored(ws)) == ["N", "n"]


# --- 7. One blank Prodigy record does not reject the file ------------------------------------

def test_a_prodigy_record_of_white_space_only_is_skipped_and_counted(fresh_db, inbox):
    good = "The dubbing is flat but the chase scenes fly."
    lines = [{"text": good, "_input_hash": 1, "_task_hash": 2, "tokens": [],
              "spans": [{"start": 28, "end": 40, "label": "ACTION"}], "answer": "accept",
              "_annotator_id": "reviews-joe"},
             {"text": " ", "_input_hash": 3, "_task_hash": 4, "tokens": [], "spans": [],
              "answer": "accept", "_annotator_id": "reviews-joe"}]
    (inbox / "prodigy.jsonl").write_text(jsonl(*lines))
    [result] = imported(fresh_db, inbox / "prodigy.jsonl").files
    assert (result.documents, result.spans) == (1, 1)
    assert "skipped 1 Prodigy record(s) whose text is only white space and that mark " \
           "nothing" in result.notes
    # A real error still refuses the whole file.
    lines[1] = {**lines[0], "spans": [{"start": 0, "end": 900, "label": "ACTION"}]}
    (inbox / "bad.jsonl").write_text(jsonl(*lines))
    assert fresh_db.import_paths([inbox / "bad.jsonl"]).files[0].failed


# --- 8. Identical duplicate spans in one record are counted ----------------------------------

def test_identical_spans_in_one_record_are_imported_once_and_counted(fresh_db, inbox):
    text = "Overlong, overwrought, and yet I loved it."
    twice = [[0, 8, "PACE"], [0, 8, "PACE"], [33, 38, "PRAISE"]]
    (inbox / "d.jsonl").write_text(jsonl({"text": text, "label": twice}))
    [result] = imported(fresh_db, inbox / "d.jsonl").files
    assert result.spans == 2
    assert ("1 span(s) were given twice in the same record (same annotator, label, start "
            "and end): each was imported once") in result.notes


# --- 9. doccano entity ids and relations stay resolvable -------------------------------------

def test_doccano_relations_name_the_stored_spans(fresh_db, inbox):
    text = "Petra Holm directs; her brother Jonas scores it."
    record = {"id": 6400, "text": text, "Comments": [],
              "entities": [{"id": 1662, "label": "PERSON", **dict(zip(
                  ("start_offset", "end_offset"), at(text, "Petra Holm"), strict=True))},
                           {"id": 1663, "label": "PERSON", **dict(zip(
                               ("start_offset", "end_offset"), at(text, "Jonas"),
                               strict=True))}],
              "relations": [{"id": 273, "from_id": 1662, "to_id": 1663, "type": "sibling"}]}
    (inbox / "rel.jsonl").write_text(jsonl(record))
    imported(fresh_db, inbox / "rel.jsonl")
    [doc_id] = fresh_db.document_ids()
    meta = fresh_db.document(doc_id).meta
    by_uuid = {s.uuid: s.text for s in fresh_db.spans(doc_id)}
    [relation] = meta["relations"]
    assert (by_uuid[relation["from_span"]], by_uuid[relation["to_span"]]) == (
        "Petra Holm", "Jonas")
    assert (relation["from_id"], relation["to_id"], relation["type"]) == (1662, 1663,
                                                                          "sibling")
    assert {by_uuid[u]: n for u, n in meta["doccano_entity_ids"].items()} == {
        "Petra Holm": 1662, "Jonas": 1663}


# --- 10. x.txt and x.ann given together: one source -----------------------------------------

def test_a_brat_pair_given_as_both_files_is_one_source(fresh_db, inbox):
    (inbox / "x.txt").write_text("Cold open, warm heart.\n")
    (inbox / "x.ann").write_text("T1\tMOOD 11 15\twarm\n#1\tAnnotatorNotes T1\tlovely\n")
    report = imported(fresh_db, inbox / "x.txt", inbox / "x.ann")
    assert len(report.files) == 1 and report.files[0].spans == 1
    report = fresh_db.import_paths([inbox / "x.ann", inbox / "x.txt"])
    assert len(report.files) == 1


# --- 11. Notes go where each tool keeps free text, and come back ----------------------------

NOTED = "The twist lands 😮 and the last shot lingers."


@pytest.fixture
def noted(fresh_db, inbox):
    spans = [{"annotator": "lea", "label": "PLOT", "start": 0, "end": 9,
              "note": "guessed it early"},
             {"annotator": "lea", "label": "CRAFT", **dict(zip(
                 ("start", "end"), at(NOTED, "the last shot"), strict=True)),
              "note": "a long take,\nno cut"}]
    (inbox / "mine.jsonl").write_text(jsonl({"text": NOTED, "annotations": spans}))
    imported(fresh_db, inbox / "mine.jsonl")
    return fresh_db


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio", "prodigy"])
def test_notes_are_written_where_the_tool_keeps_free_text_and_read_back(
        noted, fmt, tmp_path, open_workspace):
    out = tmp_path / f"out-{fmt}.json"
    report = noted.export(fmt, out)
    assert report.not_written == {}
    again = open_workspace(tmp_path / "again.db")
    imported(again, out)
    [doc_id] = again.document_ids()
    assert sorted((s.text, s.note) for s in again.spans(doc_id)) == [
        ("The twist", "guessed it early"), ("the last shot", "a long take,\nno cut")]


def test_a_format_without_a_place_for_notes_counts_them_as_not_written(noted, tmp_path):
    report = noted.export("conll", tmp_path / "out.conll")
    assert report.not_written == {"the note (CoNLL BIO has no place for notes)": 2}
    assert report.spans == 2  # the spans themselves are written


# --- 12. CoNLL and Prodigy count every span whose edges moved to token edges -----------------

def test_conll_and_prodigy_report_a_partial_word_span_widened(fresh_db, inbox, tmp_path):
    text = "A straightforward thriller, nothing more."
    span = {"annotator": "ana", "label": "GENRE", **dict(zip(
        ("start", "end"), at(text, "ward th"), strict=True))}
    (inbox / "mine.jsonl").write_text(jsonl({"text": text, "annotations": [span]}))
    imported(fresh_db, inbox / "mine.jsonl")
    report = fresh_db.export("conll", tmp_path / "out.conll")
    assert report.adjusted == {EXPANDED: 1}
    report = fresh_db.export("prodigy", tmp_path / "out.jsonl")
    assert report.adjusted == {EXPANDED: 1}
    [task] = map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())
    [written] = task["spans"]
    tokens = task["tokens"]
    assert (written["start"], written["end"]) == (tokens[written["token_start"]]["start"],
                                                  tokens[written["token_end"]]["end"])
    assert text[written["start"]:written["end"]] == "straightforward thriller"


# --- 13. The dataset card's language and description come from the data ---------------------

def test_the_dataset_card_tells_the_language_and_names_the_database(tmp_path, open_workspace,
                                                                    inbox):
    pytest.importorskip("pyarrow")
    pytest.importorskip("py3langid")
    german = ["Der Film ist langsam, aber das Ende hat mich völlig überrascht und berührt.",
              "Die Schauspieler sind großartig, nur die Musik ist viel zu laut geraten.",
              "Ein stiller, schöner Film über eine Familie am Meer und ihre Geheimnisse."]
    for number, text in enumerate(german):
        (inbox / f"{number}.txt").write_text(text)
    ws = open_workspace(tmp_path / "Kritiken.db")
    imported(ws, inbox)
    ws.export("parquet", tmp_path / "out.parquet")
    card = (tmp_path / "out.README.md").read_text()
    front = card.split("\n---\n", 1)[0]
    assert "language:\n- \"de\"" in front and '"en"' not in front
    assert 'pretty_name: "Kritiken"' in front
    assert "Annotated film reviews" not in card
    labels = ", ".join(lb.name for lb in ws.labels())
    assert (f"Texts from the Annotator database “Kritiken”, annotated with spans with "
            f"{len(ws.labels())} labels: {labels}.") in card


def test_without_a_detector_the_card_leaves_the_language_out(tmp_path, fresh_db, inbox,
                                                             monkeypatch):
    pytest.importorskip("pyarrow")
    monkeypatch.setitem(sys.modules, "py3langid", None)  # import py3langid now fails
    (inbox / "a.txt").write_text("A film in English, or so one would guess.")
    imported(fresh_db, inbox)
    fresh_db.export("parquet", tmp_path / "out.parquet")
    assert "language:" not in (tmp_path / "out.README.md").read_text()


# --- 20. Every document by default, in the dialog as on the command line --------------------

def test_the_export_options_default_to_every_document():
    assert ExportOptions().done_only is False and ExportOptions().offsets is None


def test_a_bad_record_names_file_line_and_field():
    with pytest.raises(ReadErrors) as caught:
        read_json(jsonl({"text": "Fine.", "annotations": [
            {"label": None, "start_offset": 0, "end_offset": 4}]}).encode(), "d.jsonl")
    [error] = caught.value.errors
    assert isinstance(error, ReadError)
    assert (error.path, error.line, error.field) == ("d.jsonl", 1, "annotations[0].label")
