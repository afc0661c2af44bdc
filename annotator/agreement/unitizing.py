"""Krippendorff's unitizing alpha (u-alpha): agreement on where units begin and end in a text.

Each coder's continuum [0, length) is cut into the units they marked and the unmarked gaps
between them. For one category c (its units against everything else), following
Krippendorff (1995, Sociological Methodology 25; 2004, Content Analysis 2nd ed., sec. 11.6,
and Quality & Quantity 38) as implemented in DKPro Statistics'
KrippendorffAlphaUnitizingAgreement:

    D_o(c) = sum over ordered coder pairs (i, j), i != j, and over every segment g of i
             and h of j that overlap, of delta^2(g, h), divided by m (m - 1) L^2, where
             delta^2 = (b_g - b_h)^2 + (e_g - e_h)^2 when both are units of c,
                       l_g^2 when g is a unit of c lying inside the gap h (and vice versa),
                       0 otherwise (two gaps, or a unit only partly inside a gap);
    D_e(c) = 2 / L * sum over all units u of c, of every coder, of
                 [(N_c - 1) (2 l_u^3 - 3 l_u^2 + l_u) / 3
                  + l_u^2 * sum over all gaps h of every coder with l_h >= l_u of
                    (l_h - l_u + 1)]
             / (m L (m L - 1) - sum over all units u of c of l_u (l_u - 1)),

with m coders, L the length, N_c the number of units of c, b and e begin and (exclusive)
end, l = e - b. u-alpha(c) = 1 - D_o(c) / D_e(c); over all categories,
u-alpha = 1 - sum_c D_o(c) / sum_c D_e(c).

Everything works on segment boundaries with numpy: O(segments log segments), never per
character.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np

Unit = tuple[Hashable, Hashable, int, int]


def unitizing_alpha(length: int, coders: Iterable[Hashable], units: Iterable[Unit],
                    category: Hashable | None = None) -> float:
    """Krippendorff's u-alpha of how coders cut the continuum [0, length) into units.

    ``coders`` names every coder, including one who marked nothing (their whole continuum
    is one gap). ``units`` are ``(coder, category, start, end)`` with integer offsets and
    ``end`` exclusive. ``category=None`` gives the value over all categories together;
    a category gives that category's value, its units against everything else.
    Overlapping units of one coder in one category are merged into one unit first; units
    that only touch (one ends where the next starts) stay separate.

    Raises ValueError for a length below 1, fewer than two coders (or a coder named twice),
    a unit by a coder not in ``coders``, a unit that is empty or not inside [0, length),
    and when expected disagreement is 0 (for instance nobody marked anything).
    """
    return unitizing_alpha_from_disagreements(
        _disagreements(length, coders, units, category), category)


def unitizing_alpha_from_disagreements(
        disagreements: dict[Hashable, tuple[float, float]], category: Hashable | None = None
) -> float:
    """u-alpha from each category's (D_o, D_e), as ``disagreement_by_category`` gives them:
    1 - D_o(c) / D_e(c) for one category, 1 - sum D_o / sum D_e over all (category None).

    Raises ValueError when nobody marked a unit of the category (or anything), and when
    expected disagreement is 0.
    """
    if category is not None:
        disagreements = ({category: disagreements[category]} if category in disagreements
                         else {})
    if not disagreements:
        what = "anything" if category is None else f"a unit of {category!r}"
        raise ValueError(f"u-alpha is undefined: nobody marked {what}")
    observed = sum(d[0] for d in disagreements.values())
    expected = sum(d[1] for d in disagreements.values())
    if not expected > 0.0:
        raise ValueError("u-alpha is undefined: expected disagreement is 0; every coder "
                         "marked the whole continuum as one unit")
    return 1.0 - observed / expected


def disagreement_by_category(
        length: int, per_category: dict[Hashable, list[tuple[Any, Any]]]
) -> dict[Hashable, tuple[float, float]]:
    """(D_o, D_e) for each category that somebody marked, from units already checked:
    ``per_category[c][i]`` is coder i's (starts, ends) in category c, every coder listed.
    The fast path for a caller whose units come checked from a database: no validation,
    and one pass gives every category's value and the overall one
    (``unitizing_alpha_from_disagreements``)."""
    return {category: _category_disagreement(length, [_merge(s, e) for s, e in coders])
            for category, coders in per_category.items()
            if any(len(starts) for starts, _ in coders)}


def disagreement_by_stretch(
        starts: Any, length: int, per_category: dict[Hashable, list[tuple[Any, Any]]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(D_o, D_e, marked) of each stretch of the continuum, summed over the categories
    somebody marked in it: as if ``disagreement_by_category`` were run on each stretch by
    itself and its values added up, but in one pass over all of them. The stretches are
    [starts[k], starts[k + 1]) and the last ends at ``length``; ``starts`` begins with 0 and
    never goes down. Units, as ``disagreement_by_category`` takes them, on the whole
    continuum, each inside one stretch. ``marked[k]``: somebody marked a unit in stretch k
    (D_o and D_e are 0 where nobody did). u-alpha of stretch k is 1 - D_o[k] / D_e[k]."""
    cuts = np.asarray(starts, dtype=np.int64)
    sizes = np.append(cuts[1:], length) - cuts
    count = cuts.size
    observed, expected = np.zeros(count), np.zeros(count)
    marked = np.zeros(count, dtype=bool)
    for coders in per_category.values():
        if not any(len(unit_starts) for unit_starts, _ in coders):
            continue
        merged = [_merge(s, e) for s, e in coders]
        # Every coder's segments are cut at each stretch's start too, so that each segment,
        # and each piece two coders' segments share, lies in one stretch.
        segments = [_segments(length, s, e, cuts) for s, e in merged]
        coder_count = len(coders)
        pair_sums = np.zeros(count)
        for i in range(coder_count):
            for j in range(i + 1, coder_count):
                pieces, totals = _pair_pieces(segments[i], segments[j])
                pair_sums += np.bincount(_stretch_of(cuts, pieces), weights=totals,
                                         minlength=count)
        units = np.concatenate([(e - s) for s, e in merged]).astype(np.float64)
        where = _stretch_of(cuts, np.concatenate([s for s, _ in merged]))
        gap_starts, gaps = [], []
        for bounds, is_unit in segments:
            gap_starts.append(bounds[:-1][~is_unit])
            gaps.append(np.diff(bounds)[~is_unit])
        gap_where = _stretch_of(cuts, np.concatenate(gap_starts))
        gap_sizes = np.concatenate(gaps)
        here = np.bincount(where, minlength=count) > 0
        size = sizes[here].astype(np.float64)
        observed[here] += pair_sums[here] * (2.0 / (coder_count * (coder_count - 1.0)
                                                    * size ** 2))
        unit_count = np.bincount(where, minlength=count).astype(np.float64)
        cubic = np.bincount(where, weights=(2.0 * units - 3.0) * units * units + units,
                            minlength=count)
        within = (unit_count - 1.0) * cubic / 3.0
        fits = _room(where, units, gap_where, gap_sizes, int(sizes.max(initial=0)) + 1)
        across = np.bincount(where, weights=units * units * fits, minlength=count)
        squares = np.bincount(where, weights=units * (units - 1.0), minlength=count)
        pairs = coder_count * size
        expected[here] += 2.0 / size * (within[here] + across[here]) / (
            pairs * (pairs - 1.0) - squares[here])
        marked |= here
    return observed, expected, marked


def _stretch_of(cuts: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The stretch each offset lies in (the last of any empty stretches before it)."""
    return np.searchsorted(cuts, offsets, side="right") - 1


def _room(where: np.ndarray, units: np.ndarray, gap_where: np.ndarray, gaps: np.ndarray,
          span: int) -> np.ndarray:
    """For each unit, the sum over the gaps of its own stretch at least as long as it of
    (gap - unit + 1): the places it could sit inside them. Gaps are sorted by stretch, then
    length, in one array, so each unit finds its own by binary search."""
    keys = gap_where.astype(np.int64) * span + gaps
    order = np.argsort(keys, kind="stable")
    keys, ordered = keys[order], gaps[order].astype(np.float64)
    tails = np.concatenate(([0.0], np.cumsum(ordered)))
    first = np.searchsorted(keys, where.astype(np.int64) * span + units.astype(np.int64),
                            side="left")
    last = np.searchsorted(keys, (where.astype(np.int64) + 1) * span, side="left")
    return (tails[last] - tails[first]) - (last - first) * (units - 1.0)


def _disagreements(length: int, coders: Iterable[Hashable], units: Iterable[Unit],
                   category: Hashable | None = None) -> dict[Hashable, tuple[float, float]]:
    """(D_o, D_e) for each category asked for that somebody marked."""
    length = _check_length(length)
    coder_list = list(coders)
    if len(coder_list) < 2:
        raise ValueError(f"u-alpha needs at least 2 coders (got {len(coder_list)})")
    coder_index = {coder: i for i, coder in enumerate(coder_list)}
    if len(coder_index) < len(coder_list):
        raise ValueError("each coder must be listed once in coders")
    marked = _units_by_category(length, coder_index, units)
    wanted = list(marked) if category is None else [category] if category in marked else []
    result = {}
    for name in wanted:
        per_coder = [_merge(*marked[name].get(i, ([], []))) for i in range(len(coder_list))]
        result[name] = _category_disagreement(length, per_coder)
    return result


def _check_length(length: Any) -> int:
    if isinstance(length, bool) or not isinstance(length, numbers.Integral):
        raise ValueError(f"length must be a whole number of characters, not {length!r}")
    if length <= 0:
        raise ValueError(f"length must be at least 1 (got {length})")
    return int(length)


def _units_by_category(length: int, coder_index: dict[Hashable, int], units: Iterable[Unit]
                       ) -> dict[Hashable, dict[int, tuple[list[int], list[int]]]]:
    marked: dict[Hashable, dict[int, tuple[list[int], list[int]]]] = {}
    for unit in units:
        try:
            coder, name, start, end = unit
        except (TypeError, ValueError):
            raise ValueError(f"a unit is (coder, category, start, end), not {unit!r}") from None
        if coder not in coder_index:
            raise ValueError(f"unit {unit!r} is by {coder!r}, who is not in coders")
        if name is None:
            raise ValueError(f"unit {unit!r} has no category")
        given: tuple[object, object] = (start, end)  # typed int, but checked: callers vary
        for offset in given:
            if isinstance(offset, bool) or not isinstance(offset, numbers.Integral):
                raise ValueError(f"unit {unit!r}: offsets must be whole numbers")
        if not 0 <= start < end <= length:
            raise ValueError(f"unit {unit!r} is not a non-empty span inside [0, {length})")
        starts, ends = marked.setdefault(name, {}).setdefault(coder_index[coder], ([], []))
        starts.append(int(start))
        ends.append(int(end))
    return marked


def _merge(starts, ends) -> tuple[np.ndarray, np.ndarray]:
    """One coder's units of one category, overlapping ones merged, sorted by start."""
    if not len(starts):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    begin = np.asarray(starts, dtype=np.int64)
    finish = np.asarray(ends, dtype=np.int64)
    order = np.argsort(begin, kind="stable")
    begin, finish = begin[order], finish[order]
    reach = np.maximum.accumulate(finish)
    # A unit starts a new merged unit unless it begins before an earlier one ends.
    fresh = np.ones(begin.size, dtype=bool)
    fresh[1:] = begin[1:] >= reach[:-1]
    firsts = np.flatnonzero(fresh)
    return begin[firsts], np.maximum.reduceat(finish, firsts)


def _segments(length: int, starts: np.ndarray, ends: np.ndarray, cuts: Any = ()
              ) -> tuple[np.ndarray, np.ndarray]:
    """Boundaries 0 = x_0 < ... < x_k = length of a coder's units and gaps, and which
    segments [x_i, x_i+1) are units; gaps are also cut at ``cuts``."""
    bounds = np.unique(np.concatenate(([0, length], starts, ends, cuts)))
    is_unit = np.zeros(bounds.size - 1, dtype=bool)
    is_unit[np.searchsorted(bounds, starts)] = True
    return bounds, is_unit


def _category_disagreement(length: int, per_coder: list[tuple[np.ndarray, np.ndarray]]
                           ) -> tuple[float, float]:
    coders = len(per_coder)
    segments = [_segments(length, starts, ends) for starts, ends in per_coder]
    observed = 0.0
    for i in range(coders):
        for j in range(i + 1, coders):
            observed += _pair_disagreement(segments[i], segments[j])
    observed *= 2.0 / (coders * (coders - 1.0) * float(length) ** 2)

    lengths = np.concatenate([(ends - starts) for starts, ends in per_coder]).astype(np.float64)
    gaps = np.sort(np.concatenate([
        np.diff(bounds)[~is_unit] for bounds, is_unit in segments]).astype(np.float64))
    count = lengths.size
    within = (count - 1.0) * float(np.sum((2.0 * lengths - 3.0) * lengths * lengths + lengths)
                                   ) / 3.0
    # For each unit, sum over gaps at least as long of (gap - unit + 1): the places the unit
    # could sit inside that gap.
    first_long_enough = np.searchsorted(gaps, lengths, side="left")
    tail_sums = np.concatenate((np.cumsum(gaps[::-1])[::-1], [0.0]))
    fits = tail_sums[first_long_enough] - (gaps.size - first_long_enough) * (lengths - 1.0)
    across = float(np.sum(lengths * lengths * fits))
    pairs = coders * float(length)
    expected = 2.0 / length * (within + across) / (
        pairs * (pairs - 1.0) - float(np.sum(lengths * (lengths - 1.0))))
    return observed, expected


def _pair_pieces(first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """``_pair_disagreement`` piece by piece: where each piece of the common refinement
    starts, and the delta^2 it contributes."""
    bounds_a, unit_a = first
    bounds_b, unit_b = second
    pieces = np.union1d(bounds_a[:-1], bounds_b[:-1])
    a = np.searchsorted(bounds_a, pieces, side="right") - 1
    b = np.searchsorted(bounds_b, pieces, side="right") - 1
    begin_a, end_a, is_a = bounds_a[a].astype(np.float64), bounds_a[a + 1].astype(
        np.float64), unit_a[a]
    begin_b, end_b, is_b = bounds_b[b].astype(np.float64), bounds_b[b + 1].astype(
        np.float64), unit_b[b]
    both = is_a & is_b
    a_in_gap = is_a & ~is_b & (begin_b <= begin_a) & (end_a <= end_b)
    b_in_gap = is_b & ~is_a & (begin_a <= begin_b) & (end_b <= end_a)
    totals = np.where(both, (begin_a - begin_b) ** 2 + (end_a - end_b) ** 2, 0.0)
    totals += np.where(a_in_gap, (end_a - begin_a) ** 2, 0.0)
    totals += np.where(b_in_gap, (end_b - begin_b) ** 2, 0.0)
    return pieces, totals


def _pair_disagreement(first: tuple[np.ndarray, np.ndarray],
                       second: tuple[np.ndarray, np.ndarray]) -> float:
    """Sum of delta^2 over every overlapping pair of segments of two coders.

    Each overlapping pair meets on exactly one piece of the common refinement of both
    coders' boundaries, so walking those pieces visits every pair once.
    """
    return float(np.sum(_pair_pieces(first, second)[1]))
