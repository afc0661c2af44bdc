"""What an export takes: annotators, gold, a consensus, finished work, labels, offsets."""

import json

import pytest

from annotator.domain.model import GOLD, Label, Status, new_uuid
from annotator.services.exporting import ExportError, ExportOptions, split_documents

TEXT = "Loved it 😂 but the twist: the keeper was her father."


@pytest.fixture
def annotated(fresh_db, inbox):
    (inbox / "a.txt").write_text(TEXT)
    (inbox / "b.txt").write_text("Nothing to label in this quiet one.")
    fresh_db.import_paths([inbox])
    doc, quiet = fresh_db.document_ids()
    labels = {lb.name: lb.uuid for lb in fresh_db.labels()}
    twist = TEXT.index("the keeper")
    for name in ("ada", "ben", "cy"):
        fresh_db.switch_to(name)
        fresh_db.add_span(doc, labels["spoiler"], twist, len(TEXT) - 1)
        if name != "cy":
            fresh_db.add_span(doc, labels["praise"], 0, 8)
        if name == "ada":
            fresh_db.set_status(doc, Status.DONE)
    return fresh_db, doc


def accept_into_gold(ws, spans):
    """ada adjudicates: these spans go into gold."""
    ws.switch_to("ada")
    ws.adjudicate()
    ws.accept_into_gold([s.uuid for s in spans])


def exported(ws, tmp_path, **options):
    out = tmp_path / "out.jsonl"
    report = ws.export("jsonl", out, ExportOptions(**options))
    return report, [json.loads(line) for line in out.read_text().splitlines()]


def spans(record):
    return sorted((a["annotator"], a["label"], a["start"], a["end"])
                  for a in record["annotations"])


def test_everyone_by_default_with_documents_that_have_no_spans(annotated, tmp_path):
    ws, _ = annotated
    report, records = exported(ws, tmp_path)
    assert report.documents == 2 and report.spans == 5
    assert records[1]["annotations"] == []  # a negative example stays in


def test_a_consensus_keeps_spans_enough_annotators_made_identically(annotated, tmp_path):
    ws, _ = annotated
    _, records = exported(ws, tmp_path, consensus=3)
    assert [(s[0], s[1]) for s in spans(records[0])] == [("consensus", "spoiler")]
    assert records[0]["annotations"][0]["note"] == "agreed by ada, ben, cy"
    _, records = exported(ws, tmp_path, consensus=2)
    assert [s[1] for s in spans(records[0])] == ["praise", "spoiler"]


def test_done_only_labels_and_utf16_offsets(annotated, tmp_path):
    ws, _ = annotated
    _, records = exported(ws, tmp_path, done_only=True)
    assert len(records) == 1 and {s[0] for s in spans(records[0])} == {"ada"}
    _, records = exported(ws, tmp_path, labels=["SPOILER"], offsets="utf16")
    twist = TEXT.index("the keeper")
    assert {s[1:] for s in spans(records[0])} == {("spoiler", twist + 1, len(TEXT))}


def test_the_gold_set_and_scopes_that_cannot_be(annotated, tmp_path):
    ws, doc = annotated
    assert ws.annotator(GOLD.uuid) == GOLD  # always there, but with no spans yet
    with pytest.raises(ExportError, match="no gold set yet"):
        exported(ws, tmp_path, gold=True)
    ada = ws.annotator_by_name("ada")
    accept_into_gold(ws, ws.spans(doc, ada.uuid)[:1])
    _, records = exported(ws, tmp_path, gold=True)
    assert {s[0] for s in spans(records[0])} == {"gold"}
    with pytest.raises(ExportError, match="no label named twist"):
        exported(ws, tmp_path, labels=["twist"])
    with pytest.raises(ExportError, match="choose one of"):
        exported(ws, tmp_path, gold=True, annotators=["ada"])


@pytest.mark.parametrize("fmt", ["doccano", "prodigy", "labelstudio", "brat", "jsonl"])
def test_each_format_imports_back_with_the_same_spans(annotated, tmp_path, open_workspace,
                                                      fmt):
    ws, doc = annotated
    out = tmp_path / ("brat-out" if fmt == "brat" else f"out.{fmt}.json")
    ws.export(fmt, out, ExportOptions())
    again = open_workspace(tmp_path / "again.db")
    report = again.import_paths([out])
    assert not report.failed, [str(e) for f in report.failed for e in f.errors]
    labels = {lb.uuid: lb.name for lb in again.labels()}
    [back] = [d for d in again.document_ids() if again.document(d).text == TEXT]
    got = {(labels[s.label_uuid], s.start, s.end, s.text) for s in again.spans(back)}
    names = {lb.uuid: lb.name for lb in ws.labels()}
    want = {(names[s.label_uuid], s.start, s.end, s.text) for s in ws.spans(doc)}
    assert got == want


def many_documents(ws, inbox, n=40):
    labels = {lb.name: lb.uuid for lb in ws.labels()}
    ws.switch_to("ada")
    for i in range(n):
        (inbox / f"r{i:02}.txt").write_text(f"Review {i}: the twist in reel {i} is great.")
    ws.import_paths([inbox])
    for i, doc in enumerate(ws.document_ids()):
        if i % 4 == 0:  # a quarter of the reviews have a spoiler
            ws.add_span(doc, labels["spoiler"], 0, 6)


def test_splits_are_by_document_repeatable_and_can_keep_the_label_mix(fresh_db, inbox,
                                                                      tmp_path):
    many_documents(fresh_db, inbox)
    store = fresh_db.store
    first = split_documents(store, ExportOptions(split=(80, 10, 10), seed=7))
    assert [len(v) for v in first.values()] == [32, 4, 4]
    assert first == split_documents(store, ExportOptions(split=(80, 10, 10), seed=7))
    assert first != split_documents(store, ExportOptions(split=(80, 10, 10), seed=8))
    stratified = split_documents(store, ExportOptions(split=(50, 50), seed=3, stratify=True))
    spoilers = {d for d in fresh_db.document_ids() if fresh_db.spans(d)}
    assert [len(set(ids) & spoilers) for ids in stratified.values()] == [5, 5]
    out = tmp_path / "dataset"
    report = fresh_db.export("doccano", out, ExportOptions(split=(80, 10, 10), seed=7))
    assert sorted(p.name for p in out.iterdir()) == ["dev.jsonl", "test.jsonl", "train.jsonl"]
    assert report.splits == {"train": 32, "dev": 4, "test": 4} and report.documents == 40
    lines = (out / "train.jsonl").read_text().splitlines()
    assert len(lines) == 32


def test_a_native_export_carries_its_label_set(annotated, tmp_path):
    ws, _ = annotated
    ws.export("jsonl", tmp_path / "all.jsonl", ExportOptions())
    sidecar = json.loads((tmp_path / "all.labels.json").read_text())
    assert [lb["name"] for lb in sidecar["labels"]] == [lb.name for lb in ws.labels()]
    assert sidecar["labels"][0]["colour"].startswith("#")


def test_spacy_and_parquet_exports_through_the_service(annotated, tmp_path):
    spacy = pytest.importorskip("spacy")
    pq = pytest.importorskip("pyarrow.parquet")
    from spacy.tokens import DocBin

    ws, doc = annotated
    report = ws.export("spacy", tmp_path / "out.spacy", ExportOptions())
    assert report.documents == 2
    docs = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("en").vocab))
    stored = sorted(s.text for s in ws.spans(doc))
    assert sorted(span.text for span in docs[0].spans["sc"]) == stored
    with pytest.raises(ExportError, match="code points"):
        ws.export("spacy", tmp_path / "x.spacy", ExportOptions(offsets="utf16"))
    out = tmp_path / "data"
    ws.export("parquet", out, ExportOptions(split=(50, 50), seed=1))
    rows = sum(pq.read_table(out / f"{name}.parquet").num_rows for name in ("train", "dev"))
    assert rows == 2
    card = (out / "README.md").read_text()
    assert card.startswith("---") and "spoiler" in card


def test_an_overlap_consensus_keeps_the_stretch_enough_annotators_covered(annotated,
                                                                          tmp_path):
    ws, doc = annotated
    labels = {lb.name: lb.uuid for lb in ws.labels()}
    ws.switch_to("cy")
    ws.add_span(doc, labels["praise"], 0, 5)  # "Loved" only
    _, records = exported(ws, tmp_path, consensus=3, consensus_match="overlap")
    got = {(a["label"], a["text"], a["note"]) for a in records[0]["annotations"]}
    twist = TEXT[TEXT.index("the keeper"):len(TEXT) - 1]
    assert got == {("praise", "Loved", "agreed by ada, ben, cy"),
                   ("spoiler", twist, "agreed by ada, ben, cy")}
    _, exact = exported(ws, tmp_path, consensus=3)
    assert {a["label"] for a in exact[0]["annotations"]} == {"spoiler"}


def test_small_label_groups_still_reach_every_split_when_stratified(fresh_db, inbox):
    labels = [lb.uuid for lb in fresh_db.labels()]
    for i in range(20):
        (inbox / f"r{i:02}.txt").write_text(f"Review {i} of Salt Road, reel {i}.")
    fresh_db.import_paths([inbox])
    fresh_db.switch_to("ada")
    for i, doc in enumerate(fresh_db.document_ids()):  # ten label sets, two documents each
        for bit, label in enumerate(labels):
            if (i // 2) & (1 << bit):
                fresh_db.add_span(doc, label, 0, 6 + bit)
    split = split_documents(fresh_db.store, ExportOptions(split=(80, 10, 10), stratify=True))
    assert [len(ids) for ids in split.values()] == [16, 2, 2]


def test_a_consensus_of_everyone_never_counts_gold_as_a_vote(annotated, tmp_path):
    ws, doc = annotated
    ada = ws.annotator_by_name("ada")
    accept_into_gold(ws, ws.spans(doc, ada.uuid))
    assert len(ws.spans(doc, GOLD.uuid)) == 2
    _, records = exported(ws, tmp_path, consensus=3)
    assert [a["label"] for a in records[0]["annotations"]] == ["spoiler"]  # not praise too


def test_conll_labels_that_would_share_a_tag_are_an_export_error(fresh_db, inbox, tmp_path):
    fresh_db.edit_labels([*fresh_db.labels(), Label(new_uuid(), "Plot twist", "#123456"),
                          Label(new_uuid(), "Plot_twist", "#654321")])
    (inbox / "a.txt").write_text("A review.")
    fresh_db.import_paths([inbox])
    with pytest.raises(ExportError, match="conll"):
        fresh_db.export("conll", tmp_path / "x.conll", ExportOptions())


@pytest.mark.parametrize(("fmt", "name"), [("doccano", "d.jsonl"), ("brat", "b")])
def test_exports_keep_each_spans_annotator_on_the_way_back(annotated, tmp_path,
                                                           open_workspace, fmt, name):
    ws, doc = annotated
    ws.export(fmt, tmp_path / name, ExportOptions())
    again = open_workspace(tmp_path / "again.db")
    again.import_paths([tmp_path / name])
    names = {a.uuid: a.name for a in again.annotators()}
    [back] = [d for d in again.document_ids() if again.document(d).text == TEXT]
    assert sorted(names[s.annotator_uuid] for s in again.spans(back)) == [
        "ada", "ada", "ben", "ben", "cy"]
    assert {s.note for s in again.spans(back)} == {None}
