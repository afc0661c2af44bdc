"""Agreement statistics against published worked examples and reference implementations.

Cohen's kappa (sklearn), Fleiss' kappa (statsmodels), Krippendorff's alpha (the krippendorff
package) and Krippendorff's unitizing alpha (a line-by-line port of DKPro Statistics'
KrippendorffAlphaUnitizingAgreement, below).
"""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from annotator.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    krippendorff_alpha_from_codes,
    unitizing_alpha,
)
from annotator.agreement.unitizing import _disagreements

LEVELS = ["nominal", "ordinal", "interval", "ratio"]
nan = math.nan


def expand(cells: dict[tuple[str, str], int]) -> tuple[list[str], list[str]]:
    a: list[str] = []
    b: list[str] = []
    for (x, y), n in cells.items():
        a += [x] * n
        b += [y] * n
    return a, b


def quietly(function, *args, **kwargs):
    """Call a reference implementation; its 0/0 warnings are what the test checks for."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


# --- Cohen's kappa -------------------------------------------------------------------------


def test_cohen_1960_two_judges_on_200_cases():
    """Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
    Psychological Measurement 20(1), 37-46, worked example on p. 45 (as encoded in DKPro
    Statistics' Cohen1960Test): 200 cases, three categories, p_o = .70, p_c = .41,
    kappa = .492."""
    a, b = expand({("1", "1"): 88, ("1", "2"): 14, ("1", "3"): 18,
                   ("2", "1"): 10, ("2", "2"): 40, ("2", "3"): 10,
                   ("3", "1"): 2, ("3", "2"): 6, ("3", "3"): 12})
    assert cohen_kappa(a, b) == pytest.approx((0.70 - 0.41) / (1 - 0.41), abs=1e-12)
    assert round(cohen_kappa(a, b), 3) == 0.492


def test_cohen_1960_agreement_below_chance():
    """Cohen (1960), the table on p. 37 (as encoded in DKPro's Cohen1960Test): 100 cases,
    p_o = .29 but p_c = .35, so kappa is negative."""
    a, b = expand({("1", "1"): 25, ("1", "2"): 12, ("1", "3"): 3,
                   ("2", "1"): 13, ("2", "2"): 2, ("2", "3"): 15,
                   ("3", "1"): 12, ("3", "2"): 16, ("3", "3"): 2})
    assert cohen_kappa(a, b) == pytest.approx((0.29 - 0.35) / (1 - 0.35), abs=1e-12)


@given(st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz")), min_size=1,
                max_size=60))
def test_cohen_kappa_matches_sklearn(pairs):
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    reference = quietly(cohen_kappa_score, a, b)
    if not math.isfinite(reference):
        with pytest.raises(ValueError, match="no variation"):
            cohen_kappa(a, b)
    else:
        assert cohen_kappa(a, b) == pytest.approx(reference, abs=1e-9)


# --- Fleiss' kappa -------------------------------------------------------------------------

# Fleiss (1971) Table 1 as individual diagnoses (statsmodels' test suite, taken from R's
# irr::diagnoses); categories 1 depression, 2 personality disorder, 3 schizophrenia,
# 4 neurosis, 5 other.
FLEISS_1971_DIAGNOSES = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]


def test_fleiss_1971_psychiatric_diagnoses():
    """Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
    Psychological Bulletin 76(5), 378-382, Table 1: 30 patients, 6 psychiatrists each,
    5 diagnoses; P-bar = .556, P_e = .220, kappa = .430 (p. 379; DKPro's Fleiss1971Test).
    R irr's kappam.fleiss gives 0.4302445 (statsmodels' test_inter_rater)."""
    table = np.zeros((30, 5), dtype=int)
    for item, ratings in enumerate(FLEISS_1971_DIAGNOSES):
        for rating in ratings:
            table[item, rating - 1] += 1
    assert table.sum(axis=1).tolist() == [6] * 30
    assert fleiss_kappa(table) == pytest.approx(0.4302445, abs=5e-7)
    assert round(fleiss_kappa(table.tolist()), 3) == 0.430


def test_fleiss_wikipedia_worked_example():
    """Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories,
    kappa = 0.210 (also statsmodels' test_fleiss_kappa)."""
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
             [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
             [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    assert round(fleiss_kappa(table), 3) == 0.210


def test_fleiss_kappa_says_what_is_wrong():
    with pytest.raises(ValueError, match="row 1 has 5 ratings but row 0 has 6"):
        fleiss_kappa([[3, 3], [2, 3]])
    with pytest.raises(ValueError, match="every rating is in one and the same category"):
        fleiss_kappa([[4, 0], [4, 0]])
    with pytest.raises(ValueError, match="at least 2 raters"):
        fleiss_kappa([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="at least one item"):
        fleiss_kappa(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="2-D"):
        fleiss_kappa([1, 2, 3])
    with pytest.raises(ValueError, match="not negative"):
        fleiss_kappa([[3, -1], [1, 1]])


@st.composite
def count_tables(draw):
    raters = draw(st.integers(2, 8))
    categories = draw(st.integers(1, 5))
    items = draw(st.integers(1, 20))
    ratings = draw(st.lists(st.lists(st.integers(0, categories - 1), min_size=raters,
                                     max_size=raters), min_size=items, max_size=items))
    table = np.zeros((items, categories), dtype=int)
    for item, row in enumerate(ratings):
        for rating in row:
            table[item, rating] += 1
    return table


@given(count_tables())
def test_fleiss_kappa_matches_statsmodels(table):
    reference = quietly(statsmodels_fleiss_kappa, table, method="fleiss")
    if not math.isfinite(reference):
        with pytest.raises(ValueError, match="undefined"):
            fleiss_kappa(table)
    else:
        assert fleiss_kappa(table) == pytest.approx(reference, abs=1e-9)


def test_fleiss_kappa_reads_statsmodels_aggregated_raters():
    table, _ = aggregate_raters(np.array(FLEISS_1971_DIAGNOSES))
    assert fleiss_kappa(table) == pytest.approx(statsmodels_fleiss_kappa(table), abs=1e-12)


# --- Krippendorff's alpha ------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, missing values; the folder symbol is coded 5. Rows are coders.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_example_at_every_level(level, published):
    """Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School
    for Communication, Departmental Papers 43: the 4 x 12 example with missing data gives
    nominal .743, ordinal .815, interval .849, ratio .797. (Cross-checked: the krippendorff
    package's tests and docstring give .743/.815/.797; DKPro's Krippendorff2004Test gives
    nominal .743 and interval .849 for the same data from Content Analysis 2nd ed., p. 230.)"""
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == published
    as_floats = np.array([[nan if v is None else v for v in row] for row in KRIPPENDORFF_2011])
    assert round(krippendorff_alpha(as_floats, level), 3) == published


def test_krippendorff_2011_nominal_with_symbols():
    """The same example as Krippendorff codes it: symbols, not numbers (alpha = .743)."""
    symbols = {1: "book", 2: "letter", 3: "phone", 4: "computer", 5: "folder", None: None}
    data = [[symbols[v] for v in row] for row in KRIPPENDORFF_2011]
    assert round(krippendorff_alpha(data), 3) == 0.743


def test_krippendorff_alpha_wikipedia_example():
    """Wikipedia, "Krippendorff's alpha", a computational example: 3 coders, 15 units,
    nominal alpha = 0.691, interval 0.811 (the krippendorff package's tests: 0.691358 and
    0.810845)."""
    data = [[nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
            [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
            [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4]]
    assert krippendorff_alpha(data) == pytest.approx(0.691358, abs=5e-7)
    assert krippendorff_alpha(data, "interval") == pytest.approx(0.810845, abs=5e-7)


def test_krippendorff_2004_two_coder_examples():
    """Krippendorff, K. (2004). Content Analysis, 2nd ed., pp. 224 and 227 (DKPro's
    Krippendorff2004Test): a 2 x 10 dichotomy with alpha = .095 and a 2 x 12 three-category
    example with alpha = .734."""
    assert round(krippendorff_alpha([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
                                     [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]]), 3) == 0.095
    assert round(krippendorff_alpha([list("aabbbbbccccc"), list("abbbbbcccccc")]), 3) == 0.734


def test_alpha_edge_cases_say_why():
    with pytest.raises(ValueError, match="every value is the same"):
        krippendorff_alpha([[1, 1, 1], [1, 1, 1]])
    with pytest.raises(ValueError, match="every value is the same"):
        krippendorff_alpha([[1, 1, 2], [1, 1, None]])  # the 2 has nobody to pair with
    with pytest.raises(ValueError, match="pairable"):
        krippendorff_alpha([[1, None], [None, 2]])
    with pytest.raises(ValueError, match="pairable"):
        krippendorff_alpha([[1, 2, 3]])
    with pytest.raises(ValueError, match="pairable"):
        krippendorff_alpha([[], []])
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha([[1, 2], [1, 2]], "circular")
    with pytest.raises(ValueError, match="must be numbers"):
        krippendorff_alpha([["a", "b"], ["a", "b"]], "interval")
    with pytest.raises(ValueError, match="sortable"):
        krippendorff_alpha([["a", 1], ["a", 2]], "ordinal")
    with pytest.raises(ValueError, match="not be negative"):
        krippendorff_alpha([[-1, 2], [-1, 2]], "ratio")
    with pytest.raises(ValueError, match="finite"):
        krippendorff_alpha(np.array([[1.0, np.inf], [1.0, 2.0]]), "interval")
    with pytest.raises(ValueError, match="one entry per unit"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])
    with pytest.raises(ValueError, match="coders x units"):
        krippendorff_alpha([1, 2, 3])
    assert krippendorff_alpha([["pos", "neg"], ["pos", "neg"]]) == 1.0
    assert krippendorff_alpha([[0, 1, 2], [0, 1, 2]], "ratio") == 1.0


def test_alpha_from_codes_is_the_same_statistic():
    codes = np.array([[0, 1, 2, 2, 1, 0, 3, 0, 1, -1, -1, -1],
                      [0, 1, 2, 2, 1, 1, 3, 0, 1, 4, -1, 2],
                      [-1, 2, 2, 2, 1, 2, 3, 1, 1, 4, 0, -1],
                      [0, 1, 2, 2, 1, 3, 3, 0, 1, 4, 0, -1]])
    for level in LEVELS:
        assert krippendorff_alpha_from_codes(codes, level, [1, 2, 3, 4, 5]) == pytest.approx(
            krippendorff_alpha(KRIPPENDORFF_2011, level), abs=1e-12)
    with pytest.raises(ValueError, match="integers"):
        krippendorff_alpha_from_codes(codes.astype(float))
    with pytest.raises(ValueError, match="only 2 values"):
        krippendorff_alpha_from_codes(codes, "interval", [1, 2])


@st.composite
def reliability_tables(draw):
    coders = draw(st.integers(1, 11))  # more than 8 takes the sorting path for nominal
    units = draw(st.integers(0, 25))
    top = draw(st.integers(1, 6))
    cells = st.one_of(st.none(), st.integers(0, top))
    rows = draw(st.lists(st.lists(cells, min_size=units, max_size=units), min_size=coders,
                         max_size=coders))
    return np.array([[nan if v is None else float(v) for v in row] for row in rows]
                    ).reshape(coders, units)


def reference_alpha(table: np.ndarray, level: str) -> float:
    try:
        return float(quietly(krippendorff.alpha, reliability_data=table,
                             level_of_measurement=level))
    except (ValueError, ZeroDivisionError, IndexError):
        return nan


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_reads_integer_bool_and_widely_spread_arrays(level):
    complete = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, 5, 1, 3],
                         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 1, 3],
                         [2, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 4]])
    reference = reference_alpha(complete.astype(float), level)
    for dtype in (np.int8, np.uint8, np.int64, np.uint64):
        assert krippendorff_alpha(complete.astype(dtype), level) == pytest.approx(reference,
                                                                                 abs=1e-9)
    flags = complete > 2
    assert krippendorff_alpha(flags, level) == pytest.approx(
        reference_alpha(flags.astype(float), level), abs=1e-9)
    # Values too far apart for a lookup table are coded by sorting instead.
    spread = np.array([[nan if v is None else v * 1e7 + 0.5 for v in row]
                       for row in KRIPPENDORFF_2011])
    assert krippendorff_alpha(spread, level) == pytest.approx(reference_alpha(spread, level),
                                                              abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(reliability_tables(), st.sampled_from(LEVELS))
def test_krippendorff_alpha_matches_the_krippendorff_package(table, level):
    reference = reference_alpha(table, level)
    if not math.isfinite(reference):
        with pytest.raises(ValueError):
            krippendorff_alpha(table, level)
        return
    assert krippendorff_alpha(table, level) == pytest.approx(reference, abs=1e-9)
    as_lists = [[None if v != v else int(v) for v in row] for row in table.tolist()]
    assert krippendorff_alpha(as_lists, level) == pytest.approx(reference, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.sampled_from(LEVELS), st.randoms(use_true_random=False))
def test_krippendorff_alpha_matches_on_fractional_values(coders, level, rng):
    table = np.array([[rng.choice([nan, 0.5, 1.25, 2.0, 7.75, 10.0]) for _ in range(30)]
                      for _ in range(coders)])
    reference = reference_alpha(table, level)
    if math.isfinite(reference):
        assert krippendorff_alpha(table, level) == pytest.approx(reference, abs=1e-9)


def test_alpha_on_character_level_data_matches_the_krippendorff_package():
    """Character-level reliability data: 3 coders x 200,000 units, 5 categories, some
    missing. (Its speed against the package is in benchmarks/, not here.)"""
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 5, 200_000)
    noise = rng.integers(0, 5, (3, 200_000))
    data = np.where(rng.random((3, 200_000)) < 0.8, truth, noise).astype(float)
    data[rng.random(data.shape) < 0.02] = np.nan
    ours = krippendorff_alpha(data, "nominal")
    reference = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(reference, abs=1e-9)


# --- Krippendorff's unitizing alpha ---------------------------------------------------------


def dkpro_category_disagreement(length: int, per_coder: list[list[tuple[int, int]]]
                                ) -> tuple[float, float]:
    """A direct port of DKPro Statistics' KrippendorffAlphaUnitizingAgreement
    (calculateObservedCategoryDisagreement, calculateExpectedCategoryDisagreement,
    measureDistance) for one category; ``per_coder`` holds sorted, non-overlapping
    (offset, length) units."""

    def distance(offset1, length1, unit1, offset2, length2, unit2):
        begin_diff, length_diff = offset1 - offset2, length1 - length2
        if unit1 and unit2 and -length1 < begin_diff < length2:
            return begin_diff ** 2 + (begin_diff + length_diff) ** 2
        if unit1 and not unit2 and -length_diff >= begin_diff >= 0:
            return length1 ** 2
        if not unit1 and unit2 and -length_diff <= begin_diff <= 0:
            return length2 ** 2
        return 0

    coders = len(per_coder)
    observed = 0.0
    for r1 in range(coders):
        for r2 in range(r1 + 1, coders):
            units1, units2 = iter(per_coder[r1]), iter(per_coder[r2])
            next1, next2 = next(units1, None), next(units2, None)
            offset1 = length1 = offset2 = length2 = 0
            unit1 = unit2 = False
            pos = 0
            while pos < length and (next1 is not None or next2 is not None):
                if pos == offset1 + length1:
                    if next1 is not None and pos == next1[0]:
                        length1, unit1 = next1[1], True
                        next1 = next(units1, None)
                    else:
                        length1 = (next1[0] if next1 is not None else length) - pos
                        unit1 = False
                    offset1 = pos
                if pos == offset2 + length2:
                    if next2 is not None and pos == next2[0]:
                        length2, unit2 = next2[1], True
                        next2 = next(units2, None)
                    else:
                        length2 = (next2[0] if next2 is not None else length) - pos
                        unit2 = False
                    offset2 = pos
                observed += distance(offset1, length1, unit1, offset2, length2, unit2)
                pos = min(offset1 + length1, offset2 + length2)
    observed = observed * 2.0 / (coders * (coders - 1) * length * length)

    lengths = [size for units in per_coder for _, size in units]
    gaps = []
    for units in per_coder:
        pos = 0
        for offset, size in units:
            if offset > pos:
                gaps.append(offset - pos)
            pos = offset + size
        if pos < length:
            gaps.append(length - pos)
    count = len(lengths)
    total = 0.0
    for size in lengths:
        total += (count - 1) * (2 * size ** 3 - 3 * size ** 2 + size) / 3
        total += size * size * sum(gap - size + 1 for gap in gaps if gap >= size)
    expected = total * 2 / length / (coders * length * (coders * length - 1)
                                     - sum(size * (size - 1) for size in lengths))
    return observed, expected


def krippendorff_2004_units():
    """Krippendorff (2004), Content Analysis 2nd ed., p. 254 (DKPro's unitizing
    Krippendorff2004Test): a continuum from 150 to 450, two observers, categories c and k;
    shifted here to start at 0."""
    units = [("i", "c", 225, 295), ("i", "c", 370, 400), ("j", "c", 220, 300),
             ("j", "c", 355, 375), ("j", "c", 400, 420), ("i", "k", 180, 240),
             ("i", "k", 300, 350), ("j", "k", 180, 240), ("j", "k", 300, 350)]
    return [(coder, category, start - 150, end - 150) for coder, category, start, end in units]


def test_unitizing_alpha_krippendorff_2004_example():
    """Krippendorff (2004), Content Analysis 2nd ed., p. 254, values as in DKPro Statistics'
    unitizing Krippendorff2004Test: category c D_o = .0144, D_e = .0532, u-alpha = .7286;
    category k agrees perfectly (u-alpha = 1); over both, u-alpha = .859 (DKPro: .8591
    +/- .0005)."""
    units = krippendorff_2004_units()
    (observed, expected) = _disagreements(300, ["i", "j"], units, "c")["c"]
    assert observed == pytest.approx(0.0144, abs=1e-4)
    assert expected == pytest.approx(0.0532, abs=1e-4)
    assert unitizing_alpha(300, ["i", "j"], units, "c") == pytest.approx(0.7286, abs=1e-4)
    assert unitizing_alpha(300, ["i", "j"], units, "k") == 1.0
    assert unitizing_alpha(300, ["i", "j"], units) == pytest.approx(0.8591, abs=5e-4)


def krippendorff_1995_units(stretch: int) -> tuple[int, list[tuple[str, str, int, int]]]:
    """Krippendorff, K. (1995). On the reliability of unitizing continuous data.
    Sociological Methodology 25, 47-76, the example on p. 57 (as encoded in DKPro's
    Krippendorff1995Test): four pairs of coders on a continuum of 24, one category each."""
    spec = [  # (offset, length, coder, category)
        (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
        (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
        (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
        (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"),
        (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
        (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
        (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
    ]
    coders = ["first", "second"]
    return 24 * stretch, [(coders[c], k, o * stretch, (o + n) * stretch) for o, n, c, k in spec]


def test_unitizing_alpha_krippendorff_1995_example():
    """Krippendorff (1995), p. 57: observed disagreements A .03125, B 2.26736, C .02777,
    D .38715 (exact); expected disagreements A .06990, B 1.17731, C .08642, D .41445 and
    u-alpha A .553, B -.926, C .679, D .066, which the paper computes for a continuous
    measure: on a continuum stretched 50,000 times DKPro's Krippendorff1995Test matches them
    within .005 and .02. (For C the formula gives D_e .0905 and u-alpha .693; DKPro notes a
    small error in the paper's D_e.) Adjacent units of one coder (Jill in B, Heather in D)
    stay separate units."""
    length, units = krippendorff_1995_units(1)
    found = _disagreements(length, ["first", "second"], units)
    for category, value in {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}.items():
        assert found[category][0] == pytest.approx(value, abs=1e-5)

    length, units = krippendorff_1995_units(50_000)
    found = _disagreements(length, ["first", "second"], units)
    for category, value in {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}.items():
        assert found[category][1] == pytest.approx(value, abs=0.005)
    for category, value in {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}.items():
        assert unitizing_alpha(length, ["first", "second"], units, category) == pytest.approx(
            value, abs=0.02)


def test_unitizing_alpha_dkpro_small_examples():
    """DKPro Statistics' UnitizingAgreementTest: one coder marks [1, 9), the other three
    single characters -> D_o .9100, D_e .5351, u-alpha -.7003; one of three coders marks a
    single character and nobody else marks anything -> u-alpha 0."""
    units = [(0, "A", 1, 9), (1, "A", 2, 3), (1, "A", 4, 5), (1, "A", 6, 7)]
    observed, expected = _disagreements(10, [0, 1], units)["A"]
    assert observed == pytest.approx(0.9100, abs=1e-4)
    assert expected == pytest.approx(0.5351, abs=1e-4)
    assert unitizing_alpha(10, [0, 1], units) == pytest.approx(-0.7003, abs=1e-4)
    assert unitizing_alpha(20, [0, 1, 2], [(0, "X", 0, 1)]) == pytest.approx(0.0, abs=1e-12)


def test_unitizing_alpha_perfect_agreement_and_edge_cases():
    same = [(coder, "spoiler", 3, 9) for coder in "ab"] + [
        (coder, "praise", 12, 20) for coder in "ab"]
    assert unitizing_alpha(25, ["a", "b"], same) == 1.0
    assert unitizing_alpha(25, ["a", "b"], same, "praise") == 1.0
    # Overlapping units of one coder in one category are merged: [3, 6) + [5, 9) = [3, 9).
    merged = [("a", "spoiler", 3, 6), ("a", "spoiler", 5, 9), ("b", "spoiler", 3, 9)]
    assert unitizing_alpha(25, ["a", "b"], merged) == 1.0
    # A coder who marked nothing still counts.
    assert unitizing_alpha(25, ["a", "b", "c"], same) < 1.0

    with pytest.raises(ValueError, match="nobody marked anything"):
        unitizing_alpha(25, ["a", "b"], [])
    with pytest.raises(ValueError, match="nobody marked a unit of 'plot-hole'"):
        unitizing_alpha(25, ["a", "b"], same, "plot-hole")
    with pytest.raises(ValueError, match="at least 2 coders"):
        unitizing_alpha(25, ["a"], [("a", "spoiler", 0, 3)])
    with pytest.raises(ValueError, match="length must be at least 1"):
        unitizing_alpha(0, ["a", "b"], [])
    with pytest.raises(ValueError, match="whole number"):
        unitizing_alpha(2.5, ["a", "b"], [])
    with pytest.raises(ValueError, match=r"inside \[0, 25\)"):
        unitizing_alpha(25, ["a", "b"], [("a", "spoiler", 20, 26)])
    with pytest.raises(ValueError, match=r"inside \[0, 25\)"):
        unitizing_alpha(25, ["a", "b"], [("a", "spoiler", -1, 3)])
    with pytest.raises(ValueError, match=r"inside \[0, 25\)"):
        unitizing_alpha(25, ["a", "b"], [("a", "spoiler", 4, 4)])
    with pytest.raises(ValueError, match="not in coders"):
        unitizing_alpha(25, ["a", "b"], [("z", "spoiler", 0, 3)])
    with pytest.raises(ValueError, match="listed once"):
        unitizing_alpha(25, ["a", "a"], [("a", "spoiler", 0, 3)])
    with pytest.raises(ValueError, match="whole continuum"):
        unitizing_alpha(1, ["a", "b"], [("a", "x", 0, 1), ("b", "x", 0, 1)])


def merged_units(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted (offset, length) with overlapping spans joined, for the DKPro port."""
    result: list[list[int]] = []
    for start, end in sorted(spans):
        if result and start < result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(start, end - start) for start, end in result]


@st.composite
def unitizings(draw):
    length = draw(st.integers(1, 40))
    coders = draw(st.integers(2, 4))
    units = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, min(length, start + 15)))
        units.append((draw(st.integers(0, coders - 1)), draw(st.sampled_from("ab")), start, end))
    return length, list(range(coders)), units


@settings(max_examples=200, deadline=None)
@given(unitizings())
def test_unitizing_alpha_matches_the_dkpro_algorithm(case):
    length, coders, units = case
    found = _disagreements(length, coders, units)
    observed = expected = 0.0
    for category in {k for _, k, _, _ in units}:
        per_coder = [merged_units([(s, e) for c, k, s, e in units
                                   if c == coder and k == category]) for coder in coders]
        reference = dkpro_category_disagreement(length, per_coder)
        assert found[category] == pytest.approx(reference, rel=1e-9, abs=1e-12)
        observed += reference[0]
        expected += reference[1]
    if expected > 0:
        assert unitizing_alpha(length, coders, units) == pytest.approx(
            1 - observed / expected, rel=1e-9, abs=1e-12)
    else:
        with pytest.raises(ValueError, match="undefined"):
            unitizing_alpha(length, coders, units)


@given(unitizings())
def test_unitizing_alpha_does_not_depend_on_coder_or_unit_order(case):
    length, coders, units = case
    try:
        value = unitizing_alpha(length, coders, units)
    except ValueError:
        return
    assert unitizing_alpha(length, coders[::-1], units[::-1]) == pytest.approx(value,
                                                                               abs=1e-12)


def test_unitizing_alpha_on_a_million_characters_with_loosely_agreeing_coders():
    """1,000,000 characters, 3 coders, 4 categories, about 3,000 units per coder per
    category, starting near each other but of independent lengths: partial agreement,
    well above chance. (Its speed is in benchmarks/.)"""
    rng = np.random.default_rng(5)
    units = []
    for category in ["spoiler", "praise", "criticism", "plot-hole"]:
        starts = np.sort(rng.choice(1_000_000 - 400, 3_000, replace=False))
        for coder in ["ada", "ben", "cy"]:
            jitter = rng.integers(-3, 4, starts.size)
            for start, size in zip(starts + jitter + 3, rng.integers(20, 300, starts.size),
                                   strict=True):
                units.append((coder, category, int(start), int(start + size)))
    value = unitizing_alpha(1_000_000, ["ada", "ben", "cy"], units)
    assert 0.2 < value < 0.7
