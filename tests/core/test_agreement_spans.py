"""The agreement package's span measures, its one Cohen's kappa and its list of measures."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import (
    MEASURES,
    cohen_kappa,
    cohen_kappa_from_codes,
    krippendorff_alpha,
    krippendorff_alpha_from_codes,
    measure,
    unitizing_alpha,
)
from annotator.agreement.spans import (
    Continuum,
    character_agreement,
    character_codes,
    characters,
    disagreement_split,
    every_measure,
    label_mask,
    labelled,
    overlapping,
    pair_disagreements,
    pair_f1,
    span_f1,
    unitizing_agreement,
)
from annotator.services import agreement as service
from annotator.services.agreement import Scope

LABELS = ["praise", "spoiler"]
PRAISE, SPOILER = 0, 1


def one_document(length: int, spans: list[tuple[str, int, int, int]],
                 names=("ada", "ben")) -> Continuum:
    """One document of `length` characters and spans (annotator, label, start, end)."""
    return Continuum.build(list(names), LABELS, {"review": length},
                           [(name, "review", label, start, end)
                            for name, label, start, end in spans])


# --- Cohen's kappa: one formula, a fast path for codes ------------------------------------

@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=80))
def test_kappa_from_codes_is_the_kappa_of_the_same_labels_and_sklearns(pairs):
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    as_words = ([f"label {x}" for x in a], [f"label {y}" for y in b])
    if len(set(a.tolist()) | set(b.tolist())) == 1:
        for compute_kappa in (lambda: cohen_kappa_from_codes(a, b),
                              lambda: cohen_kappa(*as_words)):
            with pytest.raises(ValueError, match="no variation"):
                compute_kappa()
        return
    fast = cohen_kappa_from_codes(a, b)
    assert fast == cohen_kappa(*as_words)  # the same numbers, not merely close
    assert fast == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_kappa_from_codes_on_a_million_random_characters_matches_sklearn():
    rng = np.random.default_rng(11)
    truth = rng.integers(0, 6, 1_000_000)
    a = np.where(rng.random(truth.size) < 0.7, truth, rng.integers(0, 6, truth.size))
    b = np.where(rng.random(truth.size) < 0.7, truth, rng.integers(0, 6, truth.size))
    assert cohen_kappa_from_codes(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    # Sparse codes (label bit sets such as 2**40) are numbered first: the same kappa.
    assert cohen_kappa_from_codes(a << 40, b << 40) == cohen_kappa_from_codes(a, b)


def test_kappa_from_codes_says_why_it_cannot_be_computed():
    with pytest.raises(ValueError, match="different lengths"):
        cohen_kappa_from_codes(np.array([0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="at least one item"):
        cohen_kappa_from_codes(np.array([], dtype=int), np.array([], dtype=int))
    with pytest.raises(ValueError, match="not negative"):
        cohen_kappa_from_codes(np.array([0, -1]), np.array([0, 1]))
    with pytest.raises(ValueError, match="integers"):
        cohen_kappa_from_codes(np.array([0.5, 1.0]), np.array([0, 1]))
    with pytest.raises(ValueError, match="1-D"):
        cohen_kappa_from_codes(np.zeros((2, 2), dtype=int), np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match="no variation"):
        cohen_kappa_from_codes(np.array([3, 3, 3]), np.array([3, 3, 3]))
    with pytest.raises(ValueError, match="hashable"):
        cohen_kappa([["a"]], [["a"]])


# --- the continuum ----------------------------------------------------------------------------

def test_documents_are_laid_end_to_end_and_cut_back_out():
    continuum = Continuum.build(["ada", "ben"], LABELS, {"first": 10, "second": 5}, [
        ("ada", "second", PRAISE, 1, 4), ("ada", "first", PRAISE, 6, 9),
        ("ada", "first", PRAISE, 2, 8), ("ben", "second", SPOILER, 0, 5)])
    assert continuum.length == 15
    assert continuum.documents == {"first": (0, 10), "second": (10, 15)}
    assert continuum.units["ada"][PRAISE].tolist() == [[2, 8], [6, 9], [11, 14]]  # by start
    assert continuum.units["ada"][SPOILER].shape == (0, 2)
    second = continuum.document("second")
    assert second.length == 5 and second.documents == {"second": (0, 5)}
    assert second.units["ada"][PRAISE].tolist() == [[1, 4]]
    assert second.units["ben"][SPOILER].tolist() == [[0, 5]]


def test_a_label_mask_has_a_bit_per_label_and_overlapping_spans_count_once():
    continuum = one_document(8, [("ada", PRAISE, 0, 4), ("ada", PRAISE, 2, 5),
                                 ("ada", SPOILER, 3, 6)])
    mask = label_mask(continuum, "ada")
    assert mask.tolist() == [1, 1, 1, 3, 3, 2, 0, 0]
    assert labelled([mask, label_mask(continuum, "ben")], 8).tolist() == [True] * 6 + [False] * 2
    codes = character_codes([mask, label_mask(continuum, "ben")], SPOILER)
    assert codes.tolist() == [[0, 0, 0, 1, 1, 1, 0, 0], [0] * 8]


def test_label_sets_beyond_63_are_numbered_for_the_character_measures():
    masks = [np.array([1 << 20, 1 << 20, 0], dtype=np.uint32), np.array([1 << 20, 1, 0],
                                                                       dtype=np.uint32)]
    codes = character_codes(masks)
    assert codes.max() < 64 and codes.tolist() == [[2, 2, 0], [2, 1, 0]]


# --- span measures, worked by hand -----------------------------------------------------------

def test_touching_spans_do_not_overlap():
    mine = np.array([[0, 5], [5, 8], [20, 30]])
    theirs = np.array([[5, 6], [25, 26]])
    assert overlapping(mine, theirs).tolist() == [False, True, True]
    assert overlapping(mine, np.zeros((0, 2), dtype=np.int64)).tolist() == [False] * 3


def test_span_f1_exact_and_overlapping_by_hand():
    # ada: [0,10) [20,30); ben: [0,10) [22,28) [40,45), all praise. Exactly the same: 1 of
    # 2 + 3 -> 2 * 1 / 5. Overlap: both of ada's meet one of ben's (precision 1), two of
    # ben's three meet one of ada's (recall 2/3) -> 2 * 1 * 2/3 / (1 + 2/3) = 0.8.
    continuum = one_document(50, [("ada", PRAISE, 0, 10), ("ada", PRAISE, 20, 30),
                                  ("ben", PRAISE, 0, 10), ("ben", PRAISE, 22, 28),
                                  ("ben", PRAISE, 40, 45)])
    exact, overlap = pair_f1(continuum, "ada", "ben", PRAISE)
    assert exact == pytest.approx(0.4) and overlap == pytest.approx(0.8)
    assert pair_f1(continuum, "ada", "ben", SPOILER) == (None, None)
    assert pair_f1(continuum, "ada", "ben") == (exact, overlap)  # spoiler adds no spans
    mean_exact, _ = span_f1(continuum, SPOILER)
    assert mean_exact.value is None and "neither annotator" in mean_exact.why


def test_another_label_on_the_same_span_is_no_exact_match():
    continuum = one_document(20, [("ada", PRAISE, 0, 10), ("ben", SPOILER, 0, 10)])
    assert pair_f1(continuum, "ada", "ben") == (0.0, 0.0)


def test_disagreement_is_split_into_boundary_label_and_presence_by_hand():
    # ada: praise [0,10) [20,30), spoiler [40,50); ben: praise [0,8), spoiler [20,30).
    # praise, ada's side: [0,10) meets ben's praise [0,8) -> boundary; [20,30) meets only
    # ben's spoiler -> label; ben's side: [0,8) -> boundary. Boundary and label are seen
    # from both sides, so the larger side counts: boundary 1, label 1.
    # spoiler: ada's [40,50) faces nothing -> presence; ben's [20,30) meets ada's praise
    # -> label.
    continuum = one_document(60, [("ada", PRAISE, 0, 10), ("ada", PRAISE, 20, 30),
                                  ("ada", SPOILER, 40, 50), ("ben", PRAISE, 0, 8),
                                  ("ben", SPOILER, 20, 30)])
    assert pair_disagreements(continuum, "ada", "ben", PRAISE) == {
        "boundary": 1, "label": 1, "presence": 0}
    assert pair_disagreements(continuum, "ada", "ben", SPOILER) == {
        "boundary": 0, "label": 1, "presence": 1}
    assert pair_disagreements(continuum, "ada", "ben") == {
        "boundary": 1, "label": 2, "presence": 1}
    assert pair_disagreements(continuum, "ben", "ada") == pair_disagreements(
        continuum, "ada", "ben")


def test_the_split_over_three_annotators_adds_up_the_pairs():
    continuum = one_document(30, [("ada", PRAISE, 0, 10), ("ben", PRAISE, 0, 10),
                                  ("cy", PRAISE, 2, 10)], names=("ada", "ben", "cy"))
    assert disagreement_split(continuum) == {"boundary": 2, "label": 0, "presence": 0}


def test_identical_spans_agree_on_everything():
    spans = [(name, label, start, end) for name in ("ada", "ben")
             for label, start, end in ((PRAISE, 0, 10), (SPOILER, 15, 25))]
    continuum = one_document(40, spans)
    assert pair_f1(continuum, "ada", "ben") == (1.0, 1.0)
    assert disagreement_split(continuum) == {"boundary": 0, "label": 0, "presence": 0}
    assert unitizing_agreement(continuum).value == 1.0


def test_unitizing_agreement_is_unitizing_alpha_of_the_same_units():
    spans = [("ada", PRAISE, 0, 10), ("ada", SPOILER, 30, 44), ("ben", PRAISE, 2, 12),
             ("ben", SPOILER, 31, 40), ("cy", PRAISE, 0, 9)]
    continuum = one_document(60, spans, names=("ada", "ben", "cy"))
    units = [(name, LABELS[label], start, end) for name, label, start, end in spans]
    found = unitizing_agreement(continuum)
    assert found.value == pytest.approx(unitizing_alpha(60, ["ada", "ben", "cy"], units))
    assert found.pairs[("ada", "cy")] == pytest.approx(
        unitizing_alpha(60, ["ada", "cy"], [u for u in units if u[0] != "ben"]))
    assert unitizing_agreement(continuum, SPOILER).value == pytest.approx(
        unitizing_alpha(60, ["ada", "ben", "cy"], units, "spoiler"))
    nobody = unitizing_agreement(one_document(60, [("ada", PRAISE, 0, 10)]), SPOILER)
    assert nobody.value is None and "nobody marked a unit of 'spoiler'" in nobody.why


def test_character_agreement_is_alpha_and_mean_kappa_of_the_codes():
    rng = np.random.default_rng(2)
    codes = rng.integers(0, 3, (3, 200))
    names = ["ada", "ben", "cy"]
    alpha, kappa = character_agreement(codes, names)
    assert alpha.value == pytest.approx(krippendorff_alpha(codes.tolist()))
    pairs = {(names[i], names[j]): cohen_kappa(codes[i].tolist(), codes[j].tolist())
             for i, j in ((0, 1), (0, 2), (1, 2))}
    assert kappa.pairs == pairs and kappa.value == pytest.approx(sum(pairs.values()) / 3)
    assert alpha.pairs[("ben", "cy")] == pytest.approx(krippendorff_alpha(codes[1:].tolist()))
    alpha, _ = character_agreement(codes, names, pairwise_alpha=False)
    assert alpha.pairs is None
    alpha, kappa = character_agreement(np.zeros((2, 0), dtype=np.int64), names[:2])
    assert alpha.value is kappa.value is None and kappa.why == "no labelled text to compare"
    _, kappa = character_agreement(np.ones((2, 5), dtype=np.int64), names[:2])
    assert kappa.value is None and "no variation" in kappa.why


# --- one list of measures ---------------------------------------------------------------------

def test_every_measure_computed_is_in_the_list_of_measures_in_its_order():
    keys = [m.key for m in MEASURES]
    assert keys == ["unitizing_alpha", "alpha", "kappa", "f1_exact", "f1_overlap"]
    continuum = one_document(20, [("ada", PRAISE, 0, 10), ("ben", PRAISE, 2, 10)])
    masks = [label_mask(continuum, n) for n in continuum.names]
    assert sorted(every_measure(continuum, masks)) == sorted(keys)
    assert list(service.MEASURES) == keys
    assert service.MEASURE_NAMES == {m.key: m.name for m in MEASURES}
    assert len({m.name for m in MEASURES}) == len({m.title for m in MEASURES}) == len(keys)
    assert measure("kappa").name == "Cohen's kappa (characters)"
    with pytest.raises(ValueError, match="f1_exact"):
        measure("accuracy")


def test_the_report_on_the_samples_gives_every_listed_measure_and_only_those(fresh_db):
    fresh_db.seed_samples()
    report = fresh_db.agreement(Scope())
    keys = [m.key for m in MEASURES]
    for figures in [report.overall, *report.per_label,
                    *(d.overall for d in report.per_document)]:
        assert list(figures.values) == keys
        assert set(figures.why) <= set(keys) and set(figures.pairs) <= set(keys)
    data = report.as_json()
    assert list(data["measures"]) == keys and list(data["matrices"]) == keys
    assert set(report.overall.pairs) == set(keys)  # every measure has its pairwise matrix


# --- the compared characters, each distinct column counted once --------------------------------

@given(st.lists(st.tuples(st.sampled_from(["ada", "ben"]), st.integers(0, 1),
                          st.integers(0, 39), st.integers(1, 12)), max_size=20))
def test_a_label_mask_is_each_characters_set_of_labels(raw):
    spans = [(name, label, start, min(40, start + size)) for name, label, start, size in raw]
    continuum = one_document(40, spans)
    for name in continuum.names:
        expected = [sum(1 << label for label in {lb for n, lb, s, e in spans
                                                 if n == name and s <= k < e})
                    for k in range(40)]
        assert label_mask(continuum, name).tolist() == expected


@pytest.mark.parametrize(("people", "top", "dtype"), [
    (3, 16, np.uint8),  # a few labels: every column numbered in one table
    (6, 1 << 12, np.uint32),  # 6 x 12 bits: columns sorted and numbered as they build up
    (2, 1 << 63, np.uint64),  # the 63rd label's bit
])
def test_characters_are_their_distinct_columns_and_how_many_of_each(people, top, dtype):
    rng = np.random.default_rng(people)
    pool = rng.integers(0, min(top, 1 << 62), 40, dtype=np.int64).astype(dtype)
    pool[0] = top - 1
    masks = [pool[rng.integers(0, 40, 5_000)] for _ in range(people)]
    found = characters(masks)
    assert found.sets.dtype == dtype
    assert (found.sets[:, found.column] == np.vstack(masks)).all()
    assert found.counts.tolist() == np.bincount(found.column).tolist()
    assert len({tuple(c) for c in found.sets.T.tolist()}) == found.sets.shape[1]
    empty = characters([m[:0] for m in masks])
    assert empty.sets.shape == (people, 0) and empty.counts.size == empty.column.size == 0


@given(st.lists(st.tuples(st.integers(-1, 3), st.integers(-1, 3), st.integers(-1, 3),
                          st.integers(0, 4)), min_size=1, max_size=30),
       st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_of_columns_with_counts_is_alpha_of_the_columns_repeated(rows, level):
    codes = np.array([r[:3] for r in rows]).T
    counts = np.array([r[3] for r in rows])

    def alpha(*args, **kwargs):
        try:
            return krippendorff_alpha_from_codes(*args, level=level, **kwargs)
        except ValueError as e:
            return str(e).split(" (got")[0]
    expected = alpha(np.repeat(codes, counts, axis=1))
    found = alpha(codes, counts=counts)
    if isinstance(expected, str):
        assert found == expected
    else:
        assert found == pytest.approx(expected, abs=1e-12)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 4)),
                min_size=1, max_size=30))
def test_kappa_of_items_with_counts_is_kappa_of_the_items_repeated(rows):
    a, b, counts = (np.array(column) for column in zip(*rows, strict=True))

    def kappa(*args):
        try:
            return cohen_kappa_from_codes(*args)
        except ValueError as e:
            return str(e)
    assert kappa(a, b, counts) == kappa(np.repeat(a, counts), np.repeat(b, counts))


def test_counts_must_fit_the_columns():
    with pytest.raises(ValueError, match="one number per column"):
        krippendorff_alpha_from_codes([[0, 1], [1, 1]], counts=[1, 2, 3])
    with pytest.raises(ValueError, match="whole numbers"):
        krippendorff_alpha_from_codes([[0, 1], [1, 1]], counts=[1, -2])
    with pytest.raises(ValueError, match="one number per item"):
        cohen_kappa_from_codes([0, 1], [1, 1], [1])
    with pytest.raises(ValueError, match="whole numbers"):
        cohen_kappa_from_codes([0, 1], [1, 1], [0.5, 1.0])
