"""Exports for training: a spaCy DocBin read back by spaCy, Parquet read back by pyarrow and
Hugging Face datasets, and the dataset card that goes with it."""

import functools
import json
import sys
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.io.records import DocumentRecord, SpanRecord
from annotator.io.writers import parquet as parquet_writer
from annotator.io.writers.dataset_card import dataset_card, size_category
from annotator.io.writers.parquet import write_parquet
from annotator.io.writers.spacy_docbin import NOT_ALIGNED, OUTSIDE, write_spacy

spacy = pytest.importorskip("spacy")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

AWAY = ("Spirited Away 千と千尋の神隠し\n"
        "The bathhouse scenes are 😂 funny and the ending made me cry.\n"
        "映画 of the year.  Go.\n")
TOKYO = "Tokyo Story\n静かな名作 🎬 quiet and perfect.\n"
CATS = "Cats (2019)\nNo comment.\n"


def span(text: str, annotator: str, label: str, piece: str, note: str | None = None
         ) -> SpanRecord:
    start = text.index(piece)
    return SpanRecord(annotator, label, start, start + len(piece), piece, note)


def reviews() -> list[DocumentRecord]:
    away = DocumentRecord(AWAY, "Spirited Away 千と千尋の神隠し", "doc-away", {"year": 2001}, [
        span(AWAY, "alice", "Spoiler", "the ending made me cry"),
        span(AWAY, "bob", "Plot twist", "the ending"),  # overlaps alice's spoiler
        span(AWAY, "bob", "Praise", "bathhouse scenes are 😂 funny", note="so true"),
        span(AWAY, "alice", "Praise", "映画 of the year"),
        span(AWAY, "bob", "Setting", "house"),  # ragged: ends a word that starts earlier
    ], {"alice": "done", "bob": "in progress"})
    tokyo = DocumentRecord(TOKYO, "Tokyo Story", "doc-tokyo", {}, [
        span(TOKYO, "carol", "Praise", "静かな名作 🎬"),
        span(TOKYO, "carol", "Praise", "quiet and perfect"),
    ], {"carol": "done"})
    cats = DocumentRecord(CATS, "Cats (2019)", "doc-cats")  # nobody marked anything
    return [away, tokyo, cats]


@functools.cache
def vocab(lang: str = "en"):
    return spacy.blank(lang).vocab  # made once: spacy.blank takes a fifth of a second


def read_docbin(path, lang: str = "en"):
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(vocab(lang)))


# --- spaCy --------------------------------------------------------------------------------

def test_spacy_docbin_carries_every_aligned_span_with_its_annotator(tmp_path):
    path = tmp_path / "reviews.spacy"
    stats = write_spacy(reviews(), path)
    assert (stats.documents, stats.spans, stats.not_written) == (3, 7, Counter())

    away, tokyo, cats = read_docbin(path)
    assert [d.user_data["id"] for d in (away, tokyo, cats)] == ["doc-away", "doc-tokyo",
                                                                 "doc-cats"]
    assert away.user_data["title"] == "Spirited Away 千と千尋の神隠し"
    assert away.user_data["meta"] == {"year": 2001}
    assert away.user_data["status"] == {"alice": "done", "bob": "in progress"}
    # msgpack gives user_data's lists back as tuples
    assert away.user_data["notes"] == ((*_offsets(AWAY, "bathhouse scenes are 😂 funny"),
                                        "Praise", "bob", "so true"),)
    for doc, record in zip((away, tokyo, cats), reviews(), strict=True):
        assert doc.text == record.text
        written = list(doc.spans["sc"])
        annotators = doc.user_data["annotators"]
        assert len(written) == len(annotators) == len(record.spans)
        # user_data["annotators"][i] belongs to spans["sc"][i], with the annotated offsets
        for made, (start, end, label, who) in zip(written, annotators, strict=True):
            assert made.label_ == label
            stored = [s for s in record.spans
                      if (s.start, s.end, s.label, s.annotator) == (start, end, label, who)]
            assert len(stored) == 1
            if stored[0].text != "house":
                assert (made.start_char, made.end_char, made.text) == (start, end,
                                                                       stored[0].text)
    assert cats.user_data["annotators"] == () and len(cats.spans["sc"]) == 0


def _offsets(text: str, piece: str) -> list[int]:
    start = text.index(piece)
    return [start, start + len(piece)]


def test_a_ragged_span_takes_the_whole_token_in_spacy(tmp_path):
    path = tmp_path / "reviews.spacy"
    stats = write_spacy(reviews(), path)
    assert sum(stats.adjusted.values()) == 1
    away = read_docbin(path)[0]
    setting = [s for s in away.spans["sc"] if s.label_ == "Setting"]
    assert [s.text for s in setting] == ["bathhouse"]
    index = list(away.spans["sc"]).index(setting[0])
    assert away.user_data["annotators"][index] == (*_offsets(AWAY, "house"), "Setting", "bob")


def test_spacy_ents_do_not_overlap_and_the_rest_stay_in_the_span_group(tmp_path):
    path = tmp_path / "reviews.spacy"
    write_spacy(reviews(), path)
    away = read_docbin(path)[0]
    ents = list(away.ents)
    tokens = [i for ent in ents for i in range(ent.start, ent.end)]
    assert len(tokens) == len(set(tokens))
    # the longer spoiler wins over the plot twist inside it, which stays in spans["sc"]
    assert "the ending made me cry" in [e.text for e in ents]
    assert "Plot twist" not in [e.label_ for e in ents]
    assert ("the ending", "Plot twist") in [(s.text, s.label_) for s in away.spans["sc"]]
    assert {(e.start, e.end, e.label_) for e in ents} <= {
        (s.start, s.end, s.label_) for s in away.spans["sc"]}


def test_spans_spacy_cannot_place_are_counted_not_dropped_silently(tmp_path):
    text = "Great film.  Really.\n"
    gap = text.index("  ")
    record = DocumentRecord(text, "Gap", "doc-gap", {}, [
        SpanRecord("alice", "Praise", 0, 5, "Great"),
        SpanRecord("alice", "Praise", gap, gap + 1, " "),  # white space inside one token
        SpanRecord("alice", "Praise", 3, 3, ""),  # empty
        SpanRecord("alice", "Praise", 10, 99, None),  # past the end of the text
    ])
    path = tmp_path / "gap.spacy"
    stats = write_spacy([record], path)
    assert stats.spans == 1
    assert stats.not_written == Counter({NOT_ALIGNED: 2, OUTSIDE: 1})
    [doc] = read_docbin(path)
    assert [s.text for s in doc.spans["sc"]] == ["Great"]


def test_spacy_export_uses_the_language_asked_for(tmp_path):
    text = "映画は最高だった。😂"
    record = DocumentRecord(text, None, "doc-ja", {}, [span(text, "kenji", "Praise", "最高")])
    path = tmp_path / "ja.spacy"
    write_spacy([record], path, lang="xx")
    [doc] = read_docbin(path, "xx")
    assert doc.text == text and doc.user_data["title"] is None


def test_spacy_missing_names_the_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy now raises ImportError
    with pytest.raises(ImportError, match=r'pip install "annotator\[spacy\]"'):
        write_spacy(reviews(), tmp_path / "x.spacy")


# --- Parquet ------------------------------------------------------------------------------

def test_parquet_has_one_row_per_document_and_spans_as_structs(tmp_path):
    path = tmp_path / "reviews.parquet"
    stats = write_parquet(reviews(), path)
    assert (stats.documents, stats.spans, stats.not_written) == (3, 7, Counter())

    table = pq.read_table(path)
    assert table.schema.field("spans").type == pa.list_(pa.struct([
        ("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()),
        ("annotator", pa.string()), ("text", pa.string()), ("note", pa.string())]))
    assert table.schema.field("id").type == pa.string()
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == ["doc-away", "doc-tokyo", "doc-cats"]
    for row, record in zip(rows, reviews(), strict=True):
        assert (row["title"], row["text"]) == (record.title, record.text)
        assert json.loads(row["meta"]) == record.meta
        assert json.loads(row["status"]) == record.status
        assert Counter((s["label"], s["start"], s["end"], s["text"], s["annotator"], s["note"])
                       for s in row["spans"]) == Counter(
            (s.label, s.start, s.end, s.text, s.annotator, s.note) for s in record.spans)
        for s in row["spans"]:
            assert row["text"][s["start"]:s["end"]] == s["text"]
    assert rows[2]["spans"] == []


def test_parquet_is_written_in_row_groups(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_writer, "ROW_GROUP", 2)
    records = [DocumentRecord(f"Review {n}: fine 😂", None, f"doc-{n}") for n in range(5)]
    path = tmp_path / "many.parquet"
    assert write_parquet(iter(records), path).documents == 5
    file = pq.ParquetFile(path)
    assert file.metadata.num_row_groups == 3
    assert file.read().column("id").to_pylist() == [f"doc-{n}" for n in range(5)]


def test_an_empty_export_is_a_valid_parquet_file(tmp_path):
    path = tmp_path / "empty.parquet"
    assert write_parquet([], path).documents == 0
    assert pq.read_table(path).num_rows == 0


def test_parquet_missing_names_the_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r'pip install "annotator\[parquet\]"'):
        write_parquet(reviews(), tmp_path / "x.parquet")


def test_hugging_face_datasets_reads_the_parquet_export_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    path = tmp_path / "reviews.parquet"
    write_parquet(reviews(), path)
    data = datasets.load_dataset("parquet", data_files=str(path), split="train",
                                 cache_dir=str(tmp_path / "cache"))
    assert data.num_rows == 3
    assert data[0]["text"] == AWAY
    assert data[2]["spans"] == []
    spoiler = [s for s in data[0]["spans"] if s["label"] == "Spoiler"]
    assert [(s["text"], s["annotator"]) for s in spoiler] == [("the ending made me cry",
                                                               "alice")]


text_pieces = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def annotated(draw):
    text = draw(text_pieces)
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        spans.append(SpanRecord(draw(st.sampled_from(["alice", "bob"])),
                                draw(st.sampled_from(["Spoiler", "Praise"])), start, end,
                                text[start:end], draw(st.none() | text_pieces)))
    return DocumentRecord(text, draw(st.none() | text_pieces), draw(st.none() | text_pieces),
                          {"k": draw(text_pieces)}, spans)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(annotated(), max_size=4))
def test_parquet_round_trips_any_text(tmp_path, records):
    path = tmp_path / "any.parquet"
    write_parquet(records, path)
    rows = pq.read_table(path).to_pylist()
    assert [(r["id"], r["title"], r["text"], json.loads(r["meta"])) for r in rows] == [
        (d.id, d.title, d.text, d.meta) for d in records]
    for row, record in zip(rows, records, strict=True):
        assert Counter(tuple(s.values()) for s in row["spans"]) == Counter(
            (s.start, s.end, s.label, s.annotator, s.text, s.note) for s in record.spans)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(annotated(), max_size=3))
@example([DocumentRecord("0000 ", spans=[SpanRecord("alice", "Spoiler", 0, 5, "0000 ")])])
def test_spacy_writes_or_counts_every_span_of_any_text(tmp_path, records):
    path = tmp_path / "any.spacy"
    stats = write_spacy(records, path)
    assert stats.spans + sum(stats.not_written.values()) == sum(len(d.spans) for d in records)
    docs = read_docbin(path)
    assert [d.text for d in docs] == [d.text for d in records]
    for doc, record in zip(docs, records, strict=True):
        assert len(doc.spans["sc"]) == len(doc.user_data["annotators"])
        assert Counter(doc.user_data["annotators"]) <= Counter(
            (s.start, s.end, s.label, s.annotator) for s in record.spans)
    moved = 0
    for doc in docs:
        for made, (start, end, _, _) in zip(doc.spans["sc"], doc.user_data["annotators"],
                                            strict=True):
            # a written span overlaps what was annotated; where its edges moved, it is
            # counted as written changed
            assert made.start_char < end and start < made.end_char
            moved += (made.start_char, made.end_char) != (start, end)
    assert sum(stats.adjusted.values()) == moved


# --- dataset card -------------------------------------------------------------------------

def card_stats(**changes) -> dict:
    stats = {
        "labels": [{"name": "Spoiler", "description": "Gives away | the plot"},
                   {"name": "Praise", "description": "Says what is good"},
                   {"name": "Plot twist", "description": ""}],
        "counts": {"Praise": {"alice": 1, "bob": 1, "carol": 2}, "Spoiler": {"alice": 1},
                   "Plot twist": {"bob": 1}, "Setting": {"bob": 1}},
        "documents": 3, "spans": 7, "offsets": "codepoint",
        "scope": "Annotators alice, bob and carol; documents they marked done.",
        "files": ["reviews.parquet"], "agreement": ["Krippendorff's alpha (Spoiler): 0.81"],
        "languages": ["en"], "name": "festival reviews",
    }
    stats.update(changes)
    return stats


def test_dataset_card_has_front_matter_for_the_hub_and_a_counts_table():
    card = dataset_card(card_stats())
    assert card.startswith("---\n")
    front, body = card[4:].split("\n---\n", 1)
    yaml = pytest.importorskip("yaml")
    meta = yaml.safe_load(front)
    assert meta["task_categories"] == ["token-classification"]
    assert meta["language"] == ["en"]
    assert meta["size_categories"] == ["n<1K"]
    assert meta["configs"] == [{"config_name": "default", "data_files": [
        {"split": "train", "path": ["reviews.parquet"]}]}]
    assert meta["pretty_name"] == "festival reviews"
    assert "# festival reviews" in body
    assert ("Texts from the Annotator database “festival reviews”, annotated with spans with 3 "
            "labels: Spoiler, Praise, Plot twist. 3 documents, 7 spans.") in body
    assert "| Label | alice | bob | carol | Total |" in body
    assert "| Spoiler | 1 | 0 | 0 | 1 |" in body
    assert "| Praise | 1 | 1 | 2 | 4 |" in body
    assert "| Setting | 0 | 1 | 0 | 1 |" in body  # not in the label set, still counted
    assert "| **Total** | 2 | 3 | 2 | 7 |" in body
    assert "- **Spoiler**: Gives away \\| the plot" in body
    assert "- **Plot twist**\n" in body
    assert "code points" in body
    assert "documents they marked done" in body
    assert "## Agreement" in body and "Krippendorff's alpha (Spoiler): 0.81" in body


def test_dataset_card_says_utf16_and_leaves_out_missing_agreement():
    card = dataset_card(card_stats(offsets="utf16", agreement=None, documents=12_000))
    assert "UTF-16 code units" in card
    assert "## Agreement" not in card
    assert "- 10K<n<100K" in card


@pytest.mark.parametrize(("documents", "bucket"), [
    (0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (250_000, "100K<n<1M"),
    (10**9, "n>100M")])
def test_size_category_follows_the_hub_buckets(documents, bucket):
    assert size_category(documents) == bucket
