"""Krippendorff's alpha for coded units: any number of coders, missing values, four metrics.

alpha = 1 - D_o / D_e over the coincidences of pairable values (Krippendorff 2011,
"Computing Krippendorff's Alpha-Reliability"). Everything is vectorised over units, because
character-level reliability data has millions of them.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import numpy.typing as npt

LEVELS = ("nominal", "ordinal", "interval", "ratio")

# Above this many coders, nominal agreement is counted by sorting each unit's values
# instead of comparing every pair of coders.
_PAIRWISE_CODERS = 8
# Integer-valued data spanning at most this many values is coded with a lookup table
# instead of a sort.
_DENSE_SPAN = 1 << 22


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha of a coders x units table of values.

    ``data`` is a list of lists or an array, one row per coder and one column per unit;
    ``None`` or NaN marks a value the coder did not give. ``level`` is one of "nominal"
    (any hashable values, compared with ==), "ordinal" (sortable values; Krippendorff's
    rank metric built on how often each value was used), "interval" and "ratio" (numbers;
    ratio values must not be negative). Units with fewer than two values cannot be paired
    and are left out.

    Raises ValueError for an unknown level, a table that is not coders x units, values that
    do not fit the level, when no unit has two or more values, and when every pairable value
    is the same (expected disagreement is 0, alpha is 0/0).
    """
    _check_level(level)
    codes, values = _encode(data, level)
    return krippendorff_alpha_from_codes(codes, level, values)


def krippendorff_alpha_from_codes(
    codes: npt.ArrayLike, level: str = "nominal", values: npt.ArrayLike | None = None,
    counts: npt.ArrayLike | None = None
) -> float:
    """Krippendorff's alpha of integer-coded data: the fast path for big tables.

    ``codes`` is an int array, coders x units, holding -1 for a missing value and otherwise
    an index 0..V-1 into ``values``. For "ordinal" the codes' order is the values' order;
    for "interval" and "ratio" ``values[code]`` is the number a code stands for (default:
    the code itself); "nominal" only compares codes. ``counts``, when given, says how many
    units each column stands for (whole numbers, 0 or more): a table of a million units
    with a few hundred distinct columns is given as those columns. Same errors as
    ``krippendorff_alpha``, and ValueError for counts that do not fit the columns.
    """
    _check_level(level)
    codes = _check_codes(codes)
    repeats = None if counts is None else _check_counts(counts, codes.shape[1])
    present = codes >= 0
    if repeats is not None:
        present &= repeats > 0  # a column that stands for no unit has no values
    per_unit = present.sum(axis=0)
    pairable = per_unit >= 2
    if not pairable.any():
        raise ValueError("alpha needs pairable values: at least one unit coded by two or more "
                         f"coders (got {codes.shape[0]} coder(s) and {codes.shape[1]} unit(s), "
                         "none with two values)")
    if not pairable.all():
        # Units with one value drop out: they get weight 0 and their value is not counted.
        # (Cheaper than copying the pairable columns out of a big table.)
        present &= pairable
        per_unit = np.where(pairable, per_unit, 0)
    top = int(codes.max()) + 1
    numbers_of = None
    if level in ("interval", "ratio"):
        numbers_of = _check_values(values, top, level)
    used = np.zeros(top, dtype=np.float64)
    for row, keep in zip(codes, present, strict=True):
        # Shifted by one so that missing and unpairable values land in bin 0.
        used += np.bincount(np.where(keep, row + 1, 0), weights=repeats,
                            minlength=top + 1)[1:]
    if np.count_nonzero(used) < 2:
        raise ValueError(_EVERY_VALUE_THE_SAME)
    weights = np.zeros(per_unit.shape, dtype=np.float64)
    np.divide(1.0, per_unit - 1.0, out=weights, where=per_unit >= 2)
    if repeats is not None:  # every measure of disagreement below is a sum over units
        weights *= repeats
    if level == "nominal":
        observed = _nominal_observed(codes, present, per_unit, weights)
        total = used.sum()
        expected = total * total - float(used @ used)
    elif level == "ratio":
        assert numbers_of is not None  # set above for interval and ratio
        observed = _pairwise_observed(codes, present, weights, _ratio_distance(numbers_of))
        expected = _ratio_expected(numbers_of, used)
    else:
        if level == "ordinal":
            # delta(c, k) = (sum of n_g for g from c to k - (n_c + n_k) / 2)^2, which is the
            # squared difference of the scores cumsum(n) - n / 2 (Krippendorff 2011, eq. for
            # ordinal metric): the ordinal metric is the interval one on these scores.
            scores = np.cumsum(used) - used / 2.0
        else:
            assert numbers_of is not None  # set above for interval and ratio
            scores = numbers_of
        scores = scores - float(used @ scores) / used.sum()
        observed = _squared_observed(codes, present, per_unit, weights, scores)
        first, second = float(used @ scores), float(used @ (scores * scores))
        expected = 2.0 * (used.sum() * second - first * first)
    pairable_values = float(per_unit.sum() if repeats is None else per_unit @ repeats)
    return _alpha(observed, expected, pairable_values)


def nominal_alpha_from_counts(observed: float, pairable: float, squares: float,
                              distinct: int) -> float:
    """Nominal alpha from the counts behind it: observed disagreement (the sum over units of
    ordered pairs of different values / (m_u - 1)), how many values are pairable, the sum of
    each value's count squared, and how many values are used. Same errors as
    ``krippendorff_alpha_from_codes`` once values are pairable."""
    if distinct < 2:
        raise ValueError(_EVERY_VALUE_THE_SAME)
    return _alpha(observed, pairable * pairable - squares, pairable)


_EVERY_VALUE_THE_SAME = ("alpha is undefined: every value is the same, so expected "
                         "disagreement is 0")


def _alpha(observed: float, expected: float, pairable: float) -> float:
    if not expected > 0.0 or not np.isfinite(expected):
        raise ValueError("alpha is undefined: the values do not vary enough for expected "
                         "disagreement to be above 0")
    return float(1.0 - (pairable - 1.0) * observed / expected)


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}: use one of "
                         + ", ".join(LEVELS))


def _check_codes(codes: npt.ArrayLike) -> np.ndarray:
    array = np.asarray(codes)
    if array.ndim != 2:
        raise ValueError("alpha needs a coders x units table: one row per coder, one column "
                         f"per unit (got {array.ndim} dimension(s))")
    if array.dtype.kind not in "iu":
        raise ValueError(f"codes must be integers (-1 for missing), not {array.dtype}")
    if array.size and int(array.min()) < -1:
        raise ValueError("codes must be -1 (missing) or an index 0, 1, 2, ... into the values")
    return array.astype(np.intp, copy=False)


def _check_counts(counts: npt.ArrayLike, units: int) -> np.ndarray:
    array = np.asarray(counts)
    if array.shape != (units,):
        raise ValueError(f"counts needs one number per column ({units}), not shape "
                         f"{array.shape}")
    if array.dtype.kind not in "iu" or (array.size and int(array.min()) < 0):
        raise ValueError("counts must be whole numbers, 0 or more")
    return array.astype(np.float64)


def _check_values(values: npt.ArrayLike | None, top: int, level: str) -> np.ndarray:
    if values is None:
        numbers_of = np.arange(top, dtype=np.float64)
    else:
        numbers_of = np.asarray(values, dtype=np.float64).reshape(-1)
        if numbers_of.size < top:
            raise ValueError(f"codes go up to {top - 1} but only {numbers_of.size} values "
                             "were given")
    if not np.isfinite(numbers_of[:top]).all():
        raise ValueError(f"{level} values must be finite numbers")
    if level == "ratio" and (numbers_of[:top] < 0).any():
        raise ValueError("ratio values must not be negative: a ratio scale starts at 0")
    return numbers_of[:top]


def _nominal_observed(codes: np.ndarray, present: np.ndarray, per_unit: np.ndarray,
                      weights: np.ndarray) -> float:
    """Sum over units of (ordered pairs of different values) / (m_u - 1)."""
    coders = codes.shape[0]
    if coders <= _PAIRWISE_CODERS:
        equal = np.zeros(codes.shape[1], dtype=np.intp)
        for i in range(coders):
            for j in range(i + 1, coders):
                equal += (codes[i] == codes[j]) & present[i]
        equal *= 2
    else:
        # Sort each unit's values; the k-th repeat of a value pairs with the k before it.
        ordered = np.sort(codes, axis=0)
        run = np.zeros(codes.shape[1], dtype=np.intp)
        equal = np.zeros(codes.shape[1], dtype=np.intp)
        for k in range(1, coders):
            same = (ordered[k] == ordered[k - 1]) & (ordered[k] >= 0)
            run = np.where(same, run + 1, 0)
            equal += run
        equal *= 2
    differing = per_unit * (per_unit - 1) - equal
    return float(weights @ differing)


def _squared_observed(codes: np.ndarray, present: np.ndarray, per_unit: np.ndarray,
                      weights: np.ndarray, scores: np.ndarray) -> float:
    """Sum over units of sum_{i != j} (s_i - s_j)^2 / (m_u - 1), as 2 m_u sum (s_i - mean)^2."""
    values = np.where(present, scores[np.where(present, codes, 0)], 0.0)
    mean = values.sum(axis=0) / np.maximum(per_unit, 1)
    spread = np.where(present, values - mean, 0.0)
    squares = np.einsum("ij,ij->j", spread, spread)
    return float(weights @ (2.0 * per_unit * squares))


def _ratio_distance(numbers_of: np.ndarray):
    def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        x, y = numbers_of[a], numbers_of[b]
        total = x + y
        ratio = np.divide(x - y, total, out=np.zeros_like(total), where=total != 0)
        return ratio * ratio
    return distance


def _pairwise_observed(codes: np.ndarray, present: np.ndarray, weights: np.ndarray,
                       distance) -> float:
    total = 0.0
    for i in range(codes.shape[0]):
        for j in range(i + 1, codes.shape[0]):
            both = present[i] & present[j]
            total += float(weights[both] @ distance(codes[i][both], codes[j][both]))
    return 2.0 * total


def _ratio_expected(numbers_of: np.ndarray, used: np.ndarray) -> float:
    """sum_c sum_k n_c n_k delta(c, k), a block of rows at a time to bound memory."""
    seen = np.flatnonzero(used)
    x, n = numbers_of[seen], used[seen]
    distance = _ratio_distance(x)
    everything = np.arange(seen.size)
    total = 0.0
    block = max(1, (1 << 22) // max(1, seen.size))
    for start in range(0, seen.size, block):
        rows = everything[start:start + block]
        grid = distance(rows[:, None], everything[None, :])
        total += float(n[rows] @ grid @ n)
    return total


def _encode(data: Any, level: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Codes (coders x units, -1 missing) and what each code stands for."""
    if isinstance(data, np.ndarray):
        array = data
    else:
        try:
            array = np.asarray(data)
        except ValueError:  # ragged rows
            array = np.empty(0, dtype=object)
        if array.dtype.kind not in "biuf":
            # None, strings, mixed types: keep the Python objects exactly as given, rather
            # than let numpy turn 1 into "1" next to a string.
            array = _as_object_array(data)
    if array.ndim != 2:
        raise ValueError("alpha needs a coders x units table: one row per coder, one column "
                         f"per unit (got {array.ndim} dimension(s))")
    if array.dtype.kind in "biuf":
        return _encode_numbers(array)
    return _encode_objects(array, level)


def _as_object_array(data: Any) -> np.ndarray:
    try:
        rows = [list(row) for row in data]
    except TypeError:
        raise ValueError("alpha needs a coders x units table: one row per coder, one column "
                         "per unit") from None
    if len({len(row) for row in rows}) > 1:
        raise ValueError("alpha needs a coders x units table: every coder's row must have "
                         "one entry per unit (use None for a missing value)")
    array = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        array[i, :] = row
    return array


def _encode_numbers(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if array.dtype.kind == "b":
        return array.astype(np.intp), np.array([0.0, 1.0])
    missing = None
    if array.dtype.kind == "f":
        if np.isinf(array).any():
            raise ValueError("values must be finite numbers (NaN marks a missing value)")
        missing = np.isnan(array)
        if not missing.any():
            missing = None
    if array.size == 0 or (missing is not None and missing.all()):
        return np.full(array.shape, -1, dtype=np.intp), np.zeros(0)
    # fmin/fmax skip NaN without copying the given values out.
    low, high = np.fmin.reduce(array, axis=None), np.fmax.reduce(array, axis=None)
    if array.dtype.kind in "iu":
        integral = True
    else:
        # NaN - floor(NaN) is NaN, which counts as non-zero: only missing values may be.
        fractions = np.count_nonzero(array - np.floor(array))
        integral = fractions == (0 if missing is None else np.count_nonzero(missing))
    if integral and float(high) - float(low) < _DENSE_SPAN:
        # Small whole numbers: code them through a lookup table, no sort needed. Missing
        # entries borrow the smallest value, which is present anyway, and are reset below.
        filled = array if missing is None else np.where(missing, low, array)
        if array.dtype.kind == "i":  # widen first: int8 100 - (-100) would wrap
            filled = filled.astype(np.int64)
        offsets = (filled - low).astype(np.intp)
        seen = np.bincount(offsets.reshape(-1)) > 0
        codes = (np.cumsum(seen) - 1)[offsets]
        values = np.flatnonzero(seen) + np.float64(low)
    else:
        given = array.reshape(-1) if missing is None else array[~missing]
        values, inverse = np.unique(given, return_inverse=True)
        codes = np.full(array.shape, -1, dtype=np.intp)
        if missing is None:
            codes = inverse.reshape(array.shape).astype(np.intp)
        else:
            codes[~missing] = inverse.reshape(-1)
        values = values.astype(np.float64)
    if missing is not None:
        codes[missing] = -1
    return codes, values


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float | np.floating) and value != value)


def _encode_objects(array: np.ndarray, level: str) -> tuple[np.ndarray, np.ndarray | None]:
    index: dict[Any, int] = {}
    flat = array.reshape(-1).tolist()
    try:
        raw = np.fromiter((index.setdefault(v, len(index)) for v in flat), dtype=np.intp,
                          count=len(flat))
    except TypeError as error:
        raise ValueError(f"values must be hashable ({error})") from None
    distinct = list(index)
    keep = [i for i, v in enumerate(distinct) if not _is_missing(v)]
    kept = [distinct[i] for i in keep]
    if level == "ordinal":
        try:
            order = sorted(range(len(kept)), key=kept.__getitem__)
        except TypeError as error:
            raise ValueError(f"ordinal values must be sortable ({error})") from None
        keep = [keep[i] for i in order]
        kept = [kept[i] for i in order]
    values = None
    if level in ("interval", "ratio"):
        wrong = [v for v in kept if isinstance(v, bool) or not isinstance(v, numbers.Real)]
        if wrong:
            raise ValueError(f"{level} values must be numbers, not {wrong[0]!r}")
        values = np.array(kept, dtype=np.float64)
        if not np.isfinite(values).all():
            raise ValueError(f"{level} values must be finite numbers")
    lookup = np.full(len(distinct) + 1, -1, dtype=np.intp)
    lookup[keep] = np.arange(len(keep))
    return lookup[raw].reshape(array.shape), values
