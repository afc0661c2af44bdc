"""Exports for other annotation tools: doccano, Prodigy, Label Studio and brat, each read back."""

import io
import json
import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io.readers.brat import read_brat
from annotator.io.readers.json_formats import read_json
from annotator.io.records import DocumentRecord, ReadOptions, SpanRecord
from annotator.io.writers.annotation_formats import (
    prodigy_tokens,
    write_doccano,
    write_labelstudio,
    write_prodigy,
)
from annotator.io.writers.brat import BratTypes, write_brat

AWAY = ("Spirited Away 千と千尋の神隠し\n"
        "The bathhouse scenes are 😂 funny and the ending made me cry.\n"
        "映画 of the year.\n")
TOKYO = "Tokyo Story\n静かな名作 🎬 quiet and perfect.\n"
CATS = "Cats (2019)\nNo comment.\n"
CODEPOINTS = ReadOptions(offsets="codepoint")  # as these records are written


def span(text: str, annotator: str, label: str, piece: str, note: str | None = None,
         span_id: str | None = None) -> SpanRecord:
    start = text.index(piece)
    return SpanRecord(annotator, label, start, start + len(piece), piece, note, span_id)


def reviews() -> list[DocumentRecord]:
    away = DocumentRecord(AWAY, "Spirited Away 千と千尋の神隠し", "doc-away", {"year": 2001}, [
        span(AWAY, "alice", "Spoiler", "the ending made me cry", span_id="u-1"),
        span(AWAY, "bob", "Praise", "bathhouse scenes are 😂 funny"),
        span(AWAY, "bob", "Plot twist", "the ending"),  # inside alice's spoiler
        span(AWAY, "bob", "Setting", "house"),  # ends mid-word: inside "bathhouse"
        span(AWAY, "alice", "Praise", "映画 of the year", note="loved it,\nreally"),
        span(AWAY, "alice", "Spoiler", "cry.\n映画"),  # over a line break
    ], {"alice": "done", "bob": "in progress"})
    tokyo = DocumentRecord(TOKYO, "Tokyo Story", "doc-tokyo", {}, [
        span(TOKYO, "carol", "Praise", "quiet and perfect"),
        span(TOKYO, "carol", "Praise", "静かな名作 🎬"),
    ], {"carol": "done"})
    cats = DocumentRecord(CATS, "Cats (2019)", "doc-cats")
    return [away, tokyo, cats]


def carried(doc: DocumentRecord, with_annotator: bool = True) -> Counter:
    return Counter((s.label, s.start, s.end, doc.text[s.start:s.end])
                   + ((s.annotator,) if with_annotator else ()) for s in doc.spans)


def written(writer, records) -> str:
    out = io.StringIO()
    writer(records, out)
    return out.getvalue()


# doccano

def test_doccano_lines_read_back_with_the_same_spans_and_keep_every_annotator():
    docs = reviews()
    text = written(write_doccano, docs)
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 3 and "😂" in text and "映画" in text  # ensure_ascii=False
    for line, doc in zip(lines, docs, strict=True):
        assert isinstance(line["id"], str) and line["text"] == doc.text
        assert line["meta"] == doc.meta
        assert all(isinstance(a, int) and isinstance(b, int) and isinstance(label, str)
                   for a, b, label in line["label"])
        assert line["label"] == sorted(line["label"])
    away, tokyo, cats = lines
    assert "annotator" not in away
    assert Counter(map(tuple, away["annotators"])) == Counter(
        (s.start, s.end, s.label, s.annotator) for s in docs[0].spans)
    assert tokyo["annotator"] == "carol" and "annotators" not in tokyo
    assert cats["label"] == [] and "annotator" not in cats

    # The writer writes offsets as the records carry them (here code points; the export
    # service converts them to UTF-16 for doccano first).
    back = read_json(text.encode(), "reviews.jsonl", CODEPOINTS)
    assert [d.text for d in back] == [d.text for d in docs]
    for read, doc in zip(back, docs, strict=True):
        assert carried(read, with_annotator=False) == carried(doc, with_annotator=False)
    assert {s.annotator for s in back[1].spans} == {"carol"}
    # The note comes back on its span (issue 13).
    assert [(s.text, s.note) for s in back[0].spans if s.note] == [
        ("映画 of the year", "loved it,\nreally")]


def test_doccano_counts_documents_and_spans():
    stats = write_doccano(reviews(), io.StringIO())
    assert (stats.documents, stats.spans, stats.not_written) == (3, 8, Counter())


# Prodigy

def test_prodigy_writes_a_task_per_document_and_annotator_and_reads_back():
    docs = reviews()
    text = written(write_prodigy, docs)
    tasks = [json.loads(line) for line in text.splitlines()]
    # alice and bob on the first review, carol on the second, nobody on the third
    assert [(t["text"][:5], t.get("_annotator_id")) for t in tasks] == [
        ("Spiri", "alice"), ("Spiri", "bob"), ("Tokyo", "carol"), ("Cats ", None)]
    for task in tasks:
        assert set(task) >= {"text", "tokens", "spans", "meta", "answer"}
        assert task["answer"] == "accept" and isinstance(task["meta"], dict)
        for token in task["tokens"]:
            assert {type(token[k]) for k in ("start", "end", "id")} == {int}
            assert isinstance(token["text"], str) and isinstance(token["ws"], bool)
        for s in task["spans"]:
            assert set(s) - {"note"} == {"start", "end", "label", "token_start", "token_end"}

    back = read_json(text.encode(), "reviews.jsonl")
    spans_back = Counter(k for d in back for k in carried(d))
    # "house" ends inside "bathhouse": Prodigy's span is the whole token (issue 13).
    house = AWAY.index("bathhouse")
    widened = [(d.text, s) if s.label != "Setting" else (d.text, SpanRecord(
        s.annotator, s.label, house, house + 9, "bathhouse")) for d in docs for s in d.spans]
    assert spans_back == Counter((s.label, s.start, s.end, text[s.start:s.end], s.annotator)
                                 for text, s in widened)
    assert not back[3].spans and back[3].text == CATS
    assert [s.note for s in back[0].spans if s.note] == ["loved it,\nreally"]


def test_prodigy_tokens_cover_the_text_and_token_end_is_inclusive():
    [away_alice, away_bob, *_] = [json.loads(line) for line in
                                  written(write_prodigy, reviews()).splitlines()]
    tokens = away_alice["tokens"]
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    covered = {i for t in tokens for i in range(t["start"], t["end"])}
    assert covered == {i for i, c in enumerate(AWAY) if not c.isspace()}
    assert all(AWAY[t["start"]:t["end"]] == t["text"] for t in tokens)
    assert {"😂", "映画", "千と千尋の神隠し"} <= {t["text"] for t in tokens}
    for task in (away_alice, away_bob):
        for s in task["spans"]:
            first, last = tokens[s["token_start"]], tokens[s["token_end"]]
            assert first["start"] <= s["start"] < first["end"]
            assert last["start"] < s["end"] <= last["end"]  # the last token is in the span
    [house] = [s for s in away_bob["spans"] if s["label"] == "Setting"]
    # Issue 13: start and end agree with the tokens, and the change is counted.
    assert AWAY[house["start"]:house["end"]] == "bathhouse"
    assert tokens[house["token_start"]]["text"] == "bathhouse"  # tokens widened to cover
    assert house["token_start"] == house["token_end"]
    stats = write_prodigy(reviews(), io.StringIO())
    assert stats.adjusted == {"edges moved to token edges (a word cut, or white space at "
                              "an end)": 1}


def test_prodigy_ws_says_whether_white_space_follows():
    tokens = prodigy_tokens("Wow!! 😂\n映画")
    assert [(t["text"], t["ws"]) for t in tokens] == [
        ("Wow", False), ("!", False), ("!", True), ("😂", True), ("映画", False)]


def test_a_span_of_only_white_space_is_counted_not_dropped_silently():
    doc = DocumentRecord("Dull.   Very dull.", spans=[SpanRecord("ann", "Pace", 5, 8, "   ")])
    stats = write_prodigy([doc], io.StringIO())
    assert stats.spans == 0 and stats.not_written == {
        "span covers no token (white space only)": 1}


# Label Studio

def test_labelstudio_tasks_read_back_with_annotators_as_emails():
    docs = reviews()
    text = written(write_labelstudio, docs)
    tasks = json.loads(text)
    assert [t["id"] for t in tasks] == [1, 2, 3]
    for task, doc in zip(tasks, docs, strict=True):
        assert task["data"] == {"text": doc.text, "title": doc.title}
        for annotation in task["annotations"]:
            assert annotation["was_cancelled"] is False
            assert isinstance(annotation["completed_by"]["email"], str)
            regions = [r for r in annotation["result"] if r["type"] == "labels"]
            ids = [r["id"] for r in regions]
            assert len(set(ids)) == len(ids) and all(isinstance(i, str) for i in ids)
            # A note: a per-region textarea result with its region's id (issue 13).
            notes = [r for r in annotation["result"] if r["type"] == "textarea"]
            assert {r["id"] for r in notes} <= set(ids)
            assert all(r["from_name"] == "note" and r["value"]["text"] for r in notes)
            for result in regions:
                assert (result["from_name"], result["to_name"], result["type"]) == (
                    "label", "text", "labels")
                value = result["value"]
                assert doc.text[value["start"]:value["end"]] == value["text"]
                assert len(value["labels"]) == 1
    assert [a["completed_by"]["email"] for a in tasks[0]["annotations"]] == ["alice", "bob"]
    assert tasks[2]["annotations"] == []
    assert "u-1" in {r["id"] for r in tasks[0]["annotations"][0]["result"]}

    back = read_json(text.encode(), "tasks.json", CODEPOINTS)
    assert [s.note for s in back[0].spans if s.note] == ["loved it,\nreally"]
    for read, doc in zip(back, docs, strict=True):
        assert read.text == doc.text and read.meta["title"] == doc.title
        assert carried(read) == carried(doc)
    assert back[0].status == {"alice": "done", "bob": "done"}


# brat

def brat_spans(doc: DocumentRecord, types: BratTypes) -> Counter:
    """What brat carries of each span: its type name, and a piece per line it covers."""
    found = Counter()
    for s in doc.spans:
        at = s.start
        for line in doc.text[s.start:s.end].split("\n"):
            if line:
                found[(types.name_of(s.label), at, at + len(line), line)] += 1
            at += len(line) + 1
    return found


def test_brat_folder_reads_back_with_the_same_spans_notes_and_annotators(tmp_path):
    docs = reviews()
    labels = ["Spoiler", "Praise", "Plot twist", "Setting"]
    stats = write_brat(docs, tmp_path, labels, {"Plot twist": "A turn nobody\nsaw coming"})
    assert (stats.documents, stats.spans, stats.not_written) == (3, 8, Counter())

    texts = sorted(tmp_path.glob("*.txt"))
    assert [p.name for p in texts] == ["0001-spirited-away.txt", "0002-tokyo-story.txt",
                                       "0003-cats-2019.txt"]
    types = BratTypes(labels)
    for path, doc in zip(texts, docs, strict=True):
        assert re.fullmatch(r"\d{4}-[A-Za-z0-9-]{1,40}", path.stem)
        assert path.read_bytes() == doc.text.encode("utf-8")
        ann = path.with_suffix(".ann").read_bytes()
        for line in ann.decode().splitlines():
            if line.startswith("T"):
                assert not re.search(r"\s", line.split("\t")[1].split(" ")[0])
        [read] = read_brat(path.read_bytes(), ann, path.name, ReadOptions(annotator="carol"))
        assert read.text == doc.text
        assert Counter((s.label, s.start, s.end, s.text) for s in read.spans) \
            == brat_spans(doc, types)

    [away] = read_brat((tmp_path / "0001-spirited-away.txt").read_bytes(),
                       (tmp_path / "0001-spirited-away.ann").read_bytes(), "away.txt")
    notes = Counter((s.label, s.text, s.note, s.annotator) for s in away.spans)
    assert notes[("Praise", "映画 of the year", "loved it, really", "alice")] == 1
    assert notes[("Plot_twist", "the ending", None, "bob")] == 1
    [tokyo] = read_brat((tmp_path / "0002-tokyo-story.txt").read_bytes(),
                        (tmp_path / "0002-tokyo-story.ann").read_bytes(), "tokyo.txt",
                        ReadOptions(annotator="zed"))
    # Named in the file even when one annotator made them all: --annotator is not needed.
    assert {(s.note, s.annotator) for s in tokyo.spans} == {(None, "carol")}


def test_brat_annotation_conf_lists_labels_as_type_names_without_spaces(tmp_path):
    write_brat(reviews(), tmp_path, ["Spoiler", "Plot twist", "Plot_twist", "Praise"],
               {"Spoiler": "Gives away\nthe end"})
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]$", conf, re.M)
    assert sections == ["entities", "relations", "events", "attributes"]
    entities = conf.split("[relations]")[0].splitlines()[1:]
    types = [line for line in entities if line and not line.startswith("#")]
    # two labels that differ only by a space stay two types; "Setting" comes from a span
    assert types == ["Spoiler", "Plot_twist", "Plot_twist_2", "Praise", "Setting"]
    assert "# Spoiler: Gives away the end" in entities
    assert not [t for t in types if re.search(r"\s", t)]


def test_brat_counts_a_span_of_only_line_breaks(tmp_path):
    doc = DocumentRecord("One.\n\nTwo.", "x", spans=[SpanRecord("ann", "Gap", 4, 6, "\n\n")])
    stats = write_brat([doc], tmp_path, ["Gap"])
    assert stats.not_written == {"span covers only line breaks": 1}
    assert (tmp_path / "0001-x.ann").read_text() == ""


# Any text, any spans

TEXTS = st.text(st.sampled_from("ab 映画😂\né.,!\t"), min_size=1, max_size=40).filter(str.strip)


@st.composite
def documents(draw):
    text = draw(TEXTS)
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        who = draw(st.sampled_from(["ann", "ben"]))
        spans.append(SpanRecord(who, draw(st.sampled_from(["A b", "C"])), start, end,
                                text[start:end]))
    return DocumentRecord(text, "t", spans=spans)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_any_document_reads_back_from_labelstudio_and_prodigy_tokens_cover_it(doc):
    [read] = read_json(written(write_labelstudio, [doc]).encode(), "t.json", CODEPOINTS)
    assert read.text == doc.text and carried(read) == carried(doc)
    out = io.StringIO()
    stats = write_prodigy([doc], out)
    assert stats.spans + stats.not_written.total() == len(doc.spans)
    for task in map(json.loads, out.getvalue().splitlines()):
        tokens = task["tokens"]
        assert {i for t in tokens for i in range(t["start"], t["end"])} \
            == {i for i, c in enumerate(doc.text) if not c.isspace()}
        for s in task["spans"]:
            assert tokens[s["token_start"]]["end"] > s["start"]
            assert tokens[s["token_end"]]["start"] < s["end"]
