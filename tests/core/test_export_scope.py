"""What an export takes: annotators, gold, a consensus, finished work, labels, offsets."""

import json

import pytest

from annotator.domain.model import Status
from annotator.services import adjudication, annotations, annotators
from annotator.services.exporting import ExportError, ExportOptions, export
from annotator.services.importing import import_paths

TEXT = "Loved it 😂 but the twist: the keeper was her father."


@pytest.fixture
def annotated(fresh_db, inbox):
    (inbox / "a.txt").write_text(TEXT)
    (inbox / "b.txt").write_text("Nothing to label in this quiet one.")
    import_paths(fresh_db, [inbox])
    doc, quiet = fresh_db.document_ids()
    labels = {lb.name: lb.uuid for lb in fresh_db.labels()}
    twist = TEXT.index("the keeper")
    for name in ("ada", "ben", "cy"):
        who = annotators.switch_to(fresh_db, name)
        annotations.add_span(fresh_db, doc, who, labels["spoiler"], twist, len(TEXT) - 1)
        if name != "cy":
            annotations.add_span(fresh_db, doc, who, labels["praise"], 0, 8)
        if name == "ada":
            annotations.set_status(fresh_db, doc, who, Status.DONE)
    return fresh_db, doc


def exported(store, tmp_path, **options):
    out = tmp_path / "out.jsonl"
    report = export(store, "jsonl", out, ExportOptions(**options))
    return report, [json.loads(line) for line in out.read_text().splitlines()]


def spans(record):
    return sorted((a["annotator"], a["label"], a["start"], a["end"])
                  for a in record["annotations"])


def test_everyone_by_default_with_documents_that_have_no_spans(annotated, tmp_path):
    store, _ = annotated
    report, records = exported(store, tmp_path)
    assert report.documents == 2 and report.spans == 5
    assert records[1]["annotations"] == []  # a negative example stays in


def test_a_consensus_keeps_spans_enough_annotators_made_identically(annotated, tmp_path):
    store, _ = annotated
    _, records = exported(store, tmp_path, consensus=3)
    assert [(s[0], s[1]) for s in spans(records[0])] == [("consensus", "spoiler")]
    assert records[0]["annotations"][0]["note"] == "agreed by ada, ben, cy"
    _, records = exported(store, tmp_path, consensus=2)
    assert [s[1] for s in spans(records[0])] == ["praise", "spoiler"]


def test_done_only_labels_and_utf16_offsets(annotated, tmp_path):
    store, _ = annotated
    _, records = exported(store, tmp_path, done_only=True)
    assert len(records) == 1 and {s[0] for s in spans(records[0])} == {"ada"}
    _, records = exported(store, tmp_path, labels=["SPOILER"], offsets="utf16")
    twist = TEXT.index("the keeper")
    assert {s[1:] for s in spans(records[0])} == {("spoiler", twist + 1, len(TEXT))}


def test_the_gold_set_and_scopes_that_cannot_be(annotated, tmp_path):
    store, doc = annotated
    with pytest.raises(ExportError, match="no gold set yet"):
        exported(store, tmp_path, gold=True)
    ada = store.annotator_by_name("ada")
    gold = adjudication.gold(store)
    adjudication.accept(store, store.spans(doc, ada.uuid)[:1], gold, ada)
    _, records = exported(store, tmp_path, gold=True)
    assert {s[0] for s in spans(records[0])} == {"gold"}
    with pytest.raises(ExportError, match="no label named twist"):
        exported(store, tmp_path, labels=["twist"])
    with pytest.raises(ExportError, match="choose one of"):
        exported(store, tmp_path, gold=True, annotators=["ada"])


@pytest.mark.parametrize("fmt", ["doccano", "prodigy", "labelstudio", "brat", "jsonl"])
def test_each_format_imports_back_with_the_same_spans(annotated, tmp_path, fmt):
    from annotator.store.repository import Store

    store, doc = annotated
    out = tmp_path / ("brat-out" if fmt == "brat" else f"out.{fmt}.json")
    export(store, fmt, out, ExportOptions())
    again = Store.open(tmp_path / "again.db")
    report = import_paths(again, [out])
    assert not report.failed, [str(e) for f in report.failed for e in f.errors]
    labels = {lb.uuid: lb.name for lb in again.labels()}
    [back] = [d for d in again.document_ids() if again.document(d).text == TEXT]
    got = {(labels[s.label_uuid], s.start, s.end, s.text) for s in again.spans(back)}
    names = {lb.uuid: lb.name for lb in store.labels()}
    want = {(names[s.label_uuid], s.start, s.end, s.text) for s in store.spans(doc)}
    assert got == want
    again.close()


def many_documents(store, inbox, n=40):
    labels = {lb.name: lb.uuid for lb in store.labels()}
    ada = annotators.switch_to(store, "ada")
    for i in range(n):
        (inbox / f"r{i:02}.txt").write_text(f"Review {i}: the twist in reel {i} is great.")
    import_paths(store, [inbox])
    for i, doc in enumerate(store.document_ids()):
        if i % 4 == 0:  # a quarter of the reviews have a spoiler
            annotations.add_span(store, doc, ada, labels["spoiler"], 0, 6)


def test_splits_are_by_document_repeatable_and_can_keep_the_label_mix(fresh_db, inbox,
                                                                      tmp_path):
    from annotator.services.exporting import split_documents

    many_documents(fresh_db, inbox)
    first = split_documents(fresh_db, ExportOptions(split=(80, 10, 10), seed=7))
    assert [len(v) for v in first.values()] == [32, 4, 4]
    assert first == split_documents(fresh_db, ExportOptions(split=(80, 10, 10), seed=7))
    assert first != split_documents(fresh_db, ExportOptions(split=(80, 10, 10), seed=8))
    stratified = split_documents(fresh_db, ExportOptions(split=(50, 50), seed=3,
                                                         stratify=True))
    spoilers = {d for d in fresh_db.document_ids() if fresh_db.spans(d)}
    assert [len(set(ids) & spoilers) for ids in stratified.values()] == [5, 5]
    out = tmp_path / "dataset"
    report = export(fresh_db, "doccano", out, ExportOptions(split=(80, 10, 10), seed=7))
    assert sorted(p.name for p in out.iterdir()) == ["dev.jsonl", "test.jsonl", "train.jsonl"]
    assert report.splits == {"train": 32, "dev": 4, "test": 4} and report.documents == 40
    lines = (out / "train.jsonl").read_text().splitlines()
    assert len(lines) == 32


def test_a_native_export_carries_its_label_set(annotated, tmp_path):
    store, _ = annotated
    export(store, "jsonl", tmp_path / "all.jsonl", ExportOptions())
    sidecar = json.loads((tmp_path / "all.labels.json").read_text())
    assert [lb["name"] for lb in sidecar["labels"]] == [lb.name for lb in store.labels()]
    assert sidecar["labels"][0]["colour"].startswith("#")


def test_spacy_and_parquet_exports_through_the_service(annotated, tmp_path):
    spacy = pytest.importorskip("spacy")
    pq = pytest.importorskip("pyarrow.parquet")
    from spacy.tokens import DocBin

    store, doc = annotated
    report = export(store, "spacy", tmp_path / "out.spacy", ExportOptions())
    assert report.documents == 2
    docs = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("en").vocab))
    stored = sorted(s.text for s in store.spans(doc))
    assert sorted(span.text for span in docs[0].spans["sc"]) == stored
    with pytest.raises(ExportError, match="code points"):
        export(store, "spacy", tmp_path / "x.spacy", ExportOptions(offsets="utf16"))
    out = tmp_path / "data"
    export(store, "parquet", out, ExportOptions(split=(50, 50), seed=1))
    rows = sum(pq.read_table(out / f"{name}.parquet").num_rows for name in ("train", "dev"))
    assert rows == 2
    card = (out / "README.md").read_text()
    assert card.startswith("---") and "spoiler" in card


def test_an_overlap_consensus_keeps_the_stretch_enough_annotators_covered(annotated,
                                                                          tmp_path):
    store, doc = annotated
    labels = {lb.name: lb.uuid for lb in store.labels()}
    cy = store.annotator_by_name("cy")
    annotations.add_span(store, doc, cy, labels["praise"], 0, 5)  # "Loved" only
    _, records = exported(store, tmp_path, consensus=3, consensus_match="overlap")
    got = {(a["label"], a["text"], a["note"]) for a in records[0]["annotations"]}
    twist = TEXT[TEXT.index("the keeper"):len(TEXT) - 1]
    assert got == {("praise", "Loved", "agreed by ada, ben, cy"),
                   ("spoiler", twist, "agreed by ada, ben, cy")}
    _, exact = exported(store, tmp_path, consensus=3)
    assert {a["label"] for a in exact[0]["annotations"]} == {"spoiler"}


def test_small_label_groups_still_reach_every_split_when_stratified(fresh_db, inbox):
    from annotator.services.exporting import split_documents

    labels = [lb.uuid for lb in fresh_db.labels()]
    for i in range(20):
        (inbox / f"r{i:02}.txt").write_text(f"Review {i} of Salt Road, reel {i}.")
    import_paths(fresh_db, [inbox])
    ada = annotators.switch_to(fresh_db, "ada")
    for i, doc in enumerate(fresh_db.document_ids()):  # ten label sets, two documents each
        for bit, label in enumerate(labels):
            if (i // 2) & (1 << bit):
                annotations.add_span(fresh_db, doc, ada, label, 0, 6 + bit)
    split = split_documents(fresh_db, ExportOptions(split=(80, 10, 10), stratify=True))
    assert [len(ids) for ids in split.values()] == [16, 2, 2]


def test_a_consensus_of_everyone_never_counts_gold_as_a_vote(annotated, tmp_path):
    store, doc = annotated
    ada, gold = store.annotator_by_name("ada"), adjudication.gold(store)
    adjudication.accept(store, store.spans(doc, ada.uuid), gold, ada)
    _, records = exported(store, tmp_path, consensus=3)
    assert [a["label"] for a in records[0]["annotations"]] == ["spoiler"]  # not praise too


def test_conll_labels_that_would_share_a_tag_are_an_export_error(fresh_db, inbox, tmp_path):
    from annotator.domain.model import Label, new_uuid

    fresh_db.add_label(Label(new_uuid(), "Plot twist", "#123456", "", "", 8), None)
    fresh_db.add_label(Label(new_uuid(), "Plot_twist", "#654321", "", "", 9), None)
    (inbox / "a.txt").write_text("A review.")
    import_paths(fresh_db, [inbox])
    with pytest.raises(ExportError, match="conll"):
        export(fresh_db, "conll", tmp_path / "x.conll", ExportOptions())


@pytest.mark.parametrize(("fmt", "name"), [("doccano", "d.jsonl"), ("brat", "b")])
def test_exports_keep_each_spans_annotator_on_the_way_back(annotated, tmp_path, fmt, name):
    from annotator.store.repository import Store

    store, doc = annotated
    export(store, fmt, tmp_path / name, ExportOptions())
    again = Store.open(tmp_path / "again.db")
    import_paths(again, [tmp_path / name])
    names = {a.uuid: a.name for a in again.annotators()}
    [back] = [d for d in again.document_ids() if again.document(d).text == TEXT]
    assert sorted(names[s.annotator_uuid] for s in again.spans(back)) == [
        "ada", "ada", "ben", "ben", "cy"]
    assert {s.note for s in again.spans(back)} == {None}
    again.close()
