"""The sample reviews a first launch starts with."""

from annotator.domain.model import GOLD


def test_first_launch_imports_the_samples_once(fresh_db):
    seen = []
    fresh_db.changed.connect(seen.append)
    fresh_db.seed_samples()
    assert [c.documents_changed for c in seen] == [True]  # announced like any import
    assert fresh_db.count_documents() == 10
    assert len(fresh_db.sample_document_ids()) == 10
    assert {a.name for a in fresh_db.annotators()} == {GOLD.name, "mira", "tomasz"}
    assert fresh_db.count_spans() > 20
    spans = fresh_db.count_spans()
    fresh_db.seed_samples()
    assert len(seen) == 1 and fresh_db.count_documents() == 10
    assert fresh_db.count_spans() == spans


def test_deleted_samples_do_not_come_back(fresh_db):
    fresh_db.seed_samples()
    fresh_db.delete_documents(fresh_db.sample_document_ids())
    assert fresh_db.count_documents() == 0 and fresh_db.count_spans() == 0
    fresh_db.seed_samples()
    assert fresh_db.count_documents() == 0


def test_sample_texts_vary_as_promised(fresh_db):
    fresh_db.seed_samples()
    texts = [fresh_db.document(i).text for i in fresh_db.document_ids()]
    assert any(any(ord(ch) > 0xFFFF for ch in t) for t in texts)  # emoji
    assert any("í" in t or "ó" in t for t in texts)  # non-English names
