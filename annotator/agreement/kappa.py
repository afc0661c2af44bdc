"""Kappa statistics: Cohen's kappa for two coders, Fleiss' kappa for a fixed number of raters."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import numpy.typing as npt

# Codes up to this many are counted in one k x k table as they are; larger ones (sparse
# codes such as label bit sets) are numbered 0..K-1 first, so that the table stays small.
_DENSE_CODES = 1 << 10


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """kappa = (p_o - p_e) / (1 - p_e), with p_e from each coder's own label distribution.

    Any hashable labels, compared with ==; they are numbered and counted by
    ``cohen_kappa_from_codes``. Raises ValueError when the sequences differ in length, are
    empty, hold a value that is not hashable, or when chance agreement is certain (both
    coders gave every item one and the same label), where kappa is 0/0 and undefined: say
    so rather than return NaN.
    """
    if len(a) != len(b):
        raise ValueError(f"the two codings have different lengths ({len(a)} and {len(b)})")
    index: dict[Hashable, int] = {}
    try:
        codes_a = np.fromiter((index.setdefault(x, len(index)) for x in a), dtype=np.intp,
                              count=len(a))
        codes_b = np.fromiter((index.setdefault(y, len(index)) for y in b), dtype=np.intp,
                              count=len(b))
    except TypeError as error:
        raise ValueError(f"kappa needs hashable labels ({error})") from None
    return cohen_kappa_from_codes(codes_a, codes_b)


def cohen_kappa_from_codes(a: npt.ArrayLike, b: npt.ArrayLike,
                           counts: npt.ArrayLike | None = None) -> float:
    """Cohen's kappa of two integer codings: the fast path for millions of items.

    ``a`` and ``b`` are 1-D arrays of the same length holding codes 0, 1, 2, ... (the same
    code means the same category for both coders). One confusion matrix is counted with
    numpy; p_o is its diagonal's share and p_e = sum_k rows_k * columns_k / n^2, both
    divided out of exact integer counts. ``counts``, when given, says how many items each
    position stands for (whole numbers, 0 or more). Same errors as ``cohen_kappa``, and
    ValueError for codes that are not whole numbers from 0 up.
    """
    a, b = _check_codes(a), _check_codes(b)
    if a.size != b.size:
        raise ValueError(f"the two codings have different lengths ({a.size} and {b.size})")
    repeats = None
    if counts is not None:
        repeats = np.asarray(counts)
        if repeats.shape != a.shape:
            raise ValueError(f"counts needs one number per item ({a.size}), not shape "
                             f"{repeats.shape}")
        if repeats.dtype.kind not in "iu" or (repeats.size and int(repeats.min()) < 0):
            raise ValueError("counts must be whole numbers, 0 or more")
    n = int(a.size if repeats is None else repeats.sum())
    if n == 0:
        raise ValueError("kappa needs at least one item")
    k = int(max(a.max(), b.max())) + 1
    if k > _DENSE_CODES:
        _, inverse = np.unique(np.concatenate((a, b)), return_inverse=True)
        a, b = inverse[:n], inverse[n:]
        k = int(inverse.max()) + 1
    if repeats is None:
        table = np.bincount(a * k + b, minlength=k * k)
    else:  # whole numbers, added exactly in float64 (up to 2**53)
        table = np.bincount(a * k + b, weights=repeats, minlength=k * k).astype(np.int64)
    table = table.reshape(k, k)
    return cohen_kappa_from_counts(int(np.trace(table)),
                                   int(table.sum(axis=1) @ table.sum(axis=0)), n)


def cohen_kappa_from_counts(agreed: int, chance_pairs: int, n: int) -> float:
    """Cohen's kappa from the counts of its confusion matrix: items agreed on (its
    diagonal), sum_k rows_k * columns_k, and items (n >= 1). ValueError when chance
    agreement is certain."""
    if chance_pairs == n * n:
        raise ValueError("kappa is undefined: both coders used one and the same category "
                         "for every item, so there is no variation to agree on")
    observed = agreed / n
    expected = chance_pairs / (n * n)
    return (observed - expected) / (1.0 - expected)


def _check_codes(codes: npt.ArrayLike) -> np.ndarray:
    array = np.asarray(codes)
    if array.ndim != 1:
        raise ValueError("kappa needs one code per item for each coder: a 1-D array "
                         f"(got {array.ndim} dimension(s))")
    if array.dtype.kind not in "biu":
        raise ValueError(f"codes must be integers 0, 1, 2, ..., not {array.dtype}")
    if array.size and int(array.min()) < 0:
        raise ValueError("codes must be 0, 1, 2, ...: an index per category, not negative")
    return array.astype(np.intp, copy=False)


def fleiss_kappa(table: npt.ArrayLike) -> float:
    """Fleiss' (1971) kappa from an items x categories table of rating counts.

    Row i, column j holds how many raters put item i in category j; every row must add up
    to the same number of raters n >= 2 (the raters need not be the same people). With
    P_i = (sum_j n_ij^2 - n) / (n (n - 1)), p_j the share of all ratings in category j:
    kappa = (mean(P_i) - sum_j p_j^2) / (1 - sum_j p_j^2). The same input and value as
    statsmodels' ``fleiss_kappa(table, method="fleiss")``.

    Raises ValueError for an empty or non-2-D table, negative or non-finite counts, rows
    with different totals (naming the first such row), fewer than 2 raters per item, and
    when every rating is in one category (chance agreement is 1, kappa is 0/0).
    """
    try:
        counts = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"Fleiss' kappa needs a table of numeric counts ({error})") from None
    if counts.ndim != 2:
        raise ValueError("Fleiss' kappa needs a 2-D table: one row per item, one column per "
                         f"category (got {counts.ndim} dimension(s))")
    if counts.size == 0:
        raise ValueError("Fleiss' kappa needs at least one item and one category")
    if not np.isfinite(counts).all() or (counts < 0).any():
        raise ValueError("Fleiss' kappa needs counts that are finite and not negative")
    raters = counts.sum(axis=1)
    n = raters[0]
    unequal = np.flatnonzero(~np.isclose(raters, n, rtol=1e-12, atol=1e-9))
    if unequal.size:
        row = int(unequal[0])
        raise ValueError(f"row {row} has {raters[row]:g} ratings but row 0 has {n:g}: Fleiss' "
                         "kappa needs the same number of raters for every item")
    if n < 2:
        raise ValueError(f"Fleiss' kappa needs at least 2 raters per item (got {n:g})")
    category_totals = counts.sum(axis=0)
    if np.count_nonzero(category_totals) < 2:
        raise ValueError("Fleiss' kappa is undefined: every rating is in one and the same "
                         "category, so there is no variation to agree on")
    per_item = ((counts * counts).sum(axis=1) - n) / (n * (n - 1.0))
    shares = category_totals / category_totals.sum()
    expected = float((shares * shares).sum())
    return (float(per_item.mean()) - expected) / (1.0 - expected)
