"""Cohen's kappa and the character-level agreement service."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.agreement import cohen_kappa
from annotator.services import annotations, annotators
from annotator.services.agreement import pairwise_kappa
from annotator.services.importing import import_paths


def test_worked_example_gives_kappa_0_4():
    # The two-rater, 50-item example in Wikipedia's "Cohen's kappa" article ("Simple
    # example"): both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> p_o 0.7, p_e 0.5.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_1960_table_example():
    # Cohen (1960), Educational and Psychological Measurement 20(1), Table 1: proportions
    # over 200 items on three categories, p_o = 0.70 and p_e = 0.41 -> kappa = 0.492.
    cells = {("1", "1"): 88, ("1", "2"): 14, ("1", "3"): 18,
             ("2", "1"): 10, ("2", "2"): 40, ("2", "3"): 10,
             ("3", "1"): 2, ("3", "2"): 6, ("3", "3"): 12}
    a, b = [], []
    for (x, y), n in cells.items():
        a += [x] * n
        b += [y] * n
    assert cohen_kappa(a, b) == pytest.approx(0.4915, abs=1e-3)


def test_perfect_agreement_is_one_and_undefined_cases_say_why():
    assert cohen_kappa("aab", "aab") == 1.0
    with pytest.raises(ValueError, match="no variation"):
        cohen_kappa("aaaa", "aaaa")
    with pytest.raises(ValueError, match="at least one item"):
        cohen_kappa([], [])
    with pytest.raises(ValueError, match="different lengths"):
        cohen_kappa("ab", "a")


@given(st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz")), min_size=1))
def test_kappa_is_symmetric_and_at_most_one(pairs):
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    try:
        k = cohen_kappa(a, b)
    except ValueError:
        return
    assert k <= 1.0 + 1e-12
    assert k == pytest.approx(cohen_kappa(b, a))


def test_random_codings_agree_near_chance():
    rng = random.Random(7)
    a = [rng.choice("pq") for _ in range(5000)]
    b = [rng.choice("pq") for _ in range(5000)]
    assert abs(cohen_kappa(a, b)) < 0.05


def test_pairwise_kappa_over_documents_both_touched(fresh_db, inbox):
    (inbox / "a.txt").write_text("Loved the acting. The butler did it. Too long.")
    (inbox / "b.txt").write_text("Only ada read this one.")
    import_paths(fresh_db, [inbox])
    d1, d2 = fresh_db.document_ids()
    ada = annotators.switch_to(fresh_db, "ada")
    ben = annotators.switch_to(fresh_db, "ben")
    labels = {label.name: label.uuid for label in fresh_db.labels()}
    annotations.add_span(fresh_db, d1, ada, labels["praise"], 0, 17)
    annotations.add_span(fresh_db, d1, ben, labels["praise"], 0, 17)
    annotations.add_span(fresh_db, d1, ada, labels["spoiler"], 18, 36)
    annotations.add_span(fresh_db, d1, ben, labels["criticism"], 37, 46)
    annotations.add_span(fresh_db, d2, ada, labels["praise"], 0, 4)
    result = pairwise_kappa(fresh_db)
    [pair] = result["pairs"]
    assert pair["annotators"] == ["ada", "ben"] and pair["documents"] == 1
    assert pair["labels"]["praise"]["kappa"] == 1.0
    assert pair["labels"]["spoiler"]["kappa"] == 0.0  # ben marked no spoiler at all
    assert pair["labels"]["plot-hole"]["kappa"] is None
    assert "no variation" in pair["labels"]["plot-hole"]["why"]
    assert pair["labels"]["spoiler"]["spans"] == {"ada": 1, "ben": 0}
    assert 0 < pair["overall"]["kappa"] < 1
