"""The sample reviews a first launch starts with."""

from annotator.services.samples import seed_if_new


def test_first_launch_imports_the_samples_once(fresh_db):
    report = seed_if_new(fresh_db)
    assert not report.failed
    assert fresh_db.count_documents() == 10
    assert len(fresh_db.sample_document_ids()) == 10
    assert {a.name for a in fresh_db.annotators()} == {"mira", "tomasz"}
    assert fresh_db.count_spans() > 20
    assert seed_if_new(fresh_db) is None


def test_deleted_samples_do_not_come_back(fresh_db):
    seed_if_new(fresh_db)
    for doc_id in fresh_db.sample_document_ids():
        fresh_db.delete_document(doc_id, None)
    assert fresh_db.count_documents() == 0 and fresh_db.count_spans() == 0
    assert seed_if_new(fresh_db) is None and fresh_db.count_documents() == 0


def test_sample_texts_vary_as_promised(fresh_db):
    seed_if_new(fresh_db)
    texts = [fresh_db.document(i).text for i in fresh_db.document_ids()]
    assert any(any(ord(ch) > 0xFFFF for ch in t) for t in texts)  # emoji
    assert any("í" in t or "ó" in t for t in texts)  # non-English names
