"""Per-document agreement, measured for all documents at once, is each document measured
by itself."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.documents import every_measure_by_document
from annotator.agreement.spans import (
    Continuum,
    every_measure,
    label_mask,
    labelled,
    span_counts,
)
from annotator.services.agreement import Scope


def by_itself(names, labels, size, spans, labelled_only):
    """One document's measures on a continuum of its own, as a scope of one document."""
    alone = Continuum.build(names, labels, {"it": size},
                            [(n, "it", label, s, e) for n, label, s, e in spans])
    masks = [label_mask(alone, n) for n in names]
    if labelled_only:
        keep = labelled(masks, alone.length)
        masks = [m[keep] for m in masks]
    return every_measure(alone, masks, None, pairwise=False), span_counts(alone)


def same(a, b):
    return a is b is None or (a is not None and b is not None
                              and a == pytest.approx(b, rel=1e-12, abs=1e-12))


def assert_same(found, expected):
    measures, spans = expected
    assert found.spans == spans
    assert list(found.measures) == list(measures)
    for key, want in measures.items():
        got = found.measures[key]
        assert got.why == want.why, key
        assert same(got.value, want.value), key
        if want.pairs is None:
            assert got.pairs is None, key
        else:
            assert got.pairs is not None and list(got.pairs) == list(want.pairs), key
            for pair, value in want.pairs.items():
                assert same(got.pairs[pair], value), key


def check(names, labels, documents, labelled_only):
    """documents: [(size, [(annotator, label, start, end), ...]), ...]"""
    lengths = {f"d{k}": size for k, (size, _) in enumerate(documents)}
    spans = [(n, f"d{k}", label, s, e) for k, (_, found) in enumerate(documents)
             for n, label, s, e in found]
    continuum = Continuum.build(names, labels, lengths, spans)
    masks = [label_mask(continuum, n) for n in names]
    keep = labelled(masks, continuum.length) if labelled_only else None
    measured = every_measure_by_document(continuum, masks, keep)
    assert len(measured) == len(documents)
    for found, (size, its_spans) in zip(measured, documents, strict=True):
        assert_same(found, by_itself(names, labels, size, its_spans, labelled_only))


def generated(rng, names, labels, count):
    """Documents of many shapes: empty ones, one character, nobody's spans, one annotator's
    only, everyone the same, every character a unit, overlaps and exact copies."""
    documents = []
    for k in range(count):
        size = rng.choice([0, 1, 2, 5, 17, 60, 200])
        kind = k % 7
        spans = []
        if size == 0 or kind == 0:
            pass
        elif kind == 1:
            spans = [(n, 0, 0, size) for n in names]
        elif kind == 2:
            spans = [(n, 1 % len(labels), s, s + 1) for n in names for s in range(size)]
        elif kind == 3:
            spans = [(names[0], rng.randrange(len(labels)), 0, max(1, size // 2))]
        else:
            for n in names:
                for _ in range(rng.randint(0, 6)):
                    s = rng.randrange(size)
                    spans.append((n, rng.randrange(max(1, len(labels) - 1)), s,
                                  min(size, s + rng.randint(1, 25))))
                if spans and rng.random() < 0.5:
                    _, label, s, e = rng.choice(spans)
                    spans.append((n, label, s, e))
        documents.append((size, spans))
    return documents


@pytest.mark.parametrize("people", [2, 3, 4])
@pytest.mark.parametrize("label_count", [1, 4, 7])  # 7: label sets above 64, renumbered
@pytest.mark.parametrize("labelled_only", [True, False])
def test_each_document_measured_at_once_is_measured_as_if_by_itself(people, label_count,
                                                                    labelled_only):
    rng = random.Random(people * 100 + label_count)
    names = ["ada", "ben", "cy", "dee"][:people]
    labels = [f"label {i}" for i in range(label_count)]
    check(names, labels, generated(rng, names, labels, 60), labelled_only)


document = st.integers(1, 40).flatmap(lambda size: st.tuples(st.just(size), st.lists(
    st.tuples(st.sampled_from(["ada", "ben", "cy"]), st.integers(0, 2),
              st.integers(0, size - 1), st.integers(1, size)).map(
        lambda t: (t[0], t[1], min(t[2], t[3] - 1), t[3])), max_size=8)))


def test_counted_by_sorting_rather_than_in_tables_the_documents_measure_the_same(
        monkeypatch):
    """Many labels over many documents are too many cells to tabulate: they are sorted."""
    from annotator.agreement import documents, spans

    monkeypatch.setattr(documents, "_DENSE_CELLS", 3)
    monkeypatch.setattr(spans, "_DENSE_COLUMNS", 3)
    rng = random.Random(5)
    names, labels = ["ada", "ben", "cy"], [f"label {i}" for i in range(5)]
    for labelled_only in (True, False):
        check(names, labels, generated(rng, names, labels, 40), labelled_only)


@settings(max_examples=60, deadline=None)
@given(st.lists(document, min_size=1, max_size=6), st.booleans())
def test_any_documents_measured_at_once_are_measured_as_if_each_by_itself(documents,
                                                                          labelled_only):
    check(["ada", "ben", "cy"], ["x", "y", "z"], documents, labelled_only)


def test_a_reports_documents_are_their_own_scopes(fresh_db):
    """The samples' report: each document's figures are those of that document alone."""
    fresh_db.seed_samples()
    report = fresh_db.agreement(Scope())
    store = fresh_db.store
    people = [a for a in store.annotators.all() if a.name in report.annotators]
    index = {lb.uuid: i for i, lb in enumerate(store.labels.all())}
    lengths = store.documents.lengths(report.documents)
    assert len(report.per_document) == len(report.documents) > 1
    for figures in report.per_document:
        doc = figures.document_id
        spans = [(a.name, index[s.label_uuid], s.start, s.end) for a in people
                 for s in store.spans.of_annotator(a.uuid, [doc])]
        measures, counts = by_itself(report.annotators, report.labels, lengths[doc], spans,
                                     True)
        assert figures.overall.spans == counts
        for key, want in measures.items():
            assert same(figures.overall.values[key], want.value), key
            assert figures.overall.why.get(key) == want.why, key


def test_asked_to_stop_the_computation_stops_with_no_report(fresh_db):
    from annotator.services.agreement import Stopped, compute

    fresh_db.seed_samples()
    asked = []

    def cancelled():  # the window closes once the whole scope's figures are done
        asked.append(True)
        return len(asked) > 1
    with pytest.raises(Stopped):
        compute(fresh_db.store, Scope(), cancelled)
    assert len(asked) == 2
    assert compute(fresh_db.store, Scope(), lambda: False).per_document
