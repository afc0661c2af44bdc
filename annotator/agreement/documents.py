"""Every measure for each document of a continuum, all documents at once.

A document's figures are those of its stretch of the continuum. Measuring each stretch by
itself costs numpy's set-up a few hundred times per document, which over thousands of
short reviews is most of the time; here the counts behind each measure are tallied per
document in one pass over the whole continuum, and only the last step, a value from a
document's counts, is done per document, with the same formulas (and the same reasons
when a value is undefined) as for a whole scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import combinations

import numpy as np

from .alpha import nominal_alpha_from_counts
from .kappa import cohen_kappa_from_counts
from .spans import (
    Characters,
    Continuum,
    Measurement,
    _keys,
    _mean,
    _safely,
    character_codes,
    characters,
    f1_from_counts,
    overlapping,
)
from .unitizing import disagreement_by_stretch, unitizing_alpha_from_disagreements

# Documents x label sets up to this many are tallied in one dense table; beyond it (many
# labels and many documents) only the pairs that occur are numbered.
_DENSE_CELLS = 1 << 22


@dataclass
class DocumentMeasures:
    """One document's measures (by key, as ``spans.every_measure`` gives them without
    ``pairwise``) and each annotator's span count there."""

    measures: dict[str, Measurement]
    spans: dict[str, int]


def every_measure_by_document(continuum: Continuum, masks: Sequence[np.ndarray] | Characters,
                              keep: np.ndarray | None = None) -> list[DocumentMeasures]:
    """For each document of the continuum, in its order, what ``every_measure`` and
    ``span_counts`` give on that document's own continuum (label None, ``pairwise`` False).
    ``keep``, when given, is the characters the character measures compare (a bool per
    character of the continuum), else all; ``masks`` are ``label_mask`` per annotator over
    the whole continuum, or ``characters`` of those of their characters that are compared.
    """
    if len(continuum.names) < 2:
        raise ValueError("agreement per document needs at least two annotators")
    cuts = np.array([start for start, _ in continuum.documents.values()], dtype=np.int64)
    sizes = np.array([end - start for start, end in continuum.documents.values()],
                     dtype=np.int64)
    if not isinstance(masks, Characters):
        masks = characters(masks if keep is None else [m[keep] for m in masks])
    compared = sizes
    if keep is not None:
        running = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
        compared = running[cuts + sizes] - running[cuts]
    unitizing = _unitizing(continuum, cuts)
    alpha, kappa = _characters(continuum.names, masks, compared)
    exact, overlap, spans = _spans(continuum, cuts)
    return [DocumentMeasures({"unitizing_alpha": u, "alpha": a, "kappa": k, "f1_exact": e,
                              "f1_overlap": o}, s)
            for u, a, k, e, o, s in zip(unitizing, alpha, kappa, exact, overlap, spans,
                                        strict=True)]


def _unitizing(continuum: Continuum, cuts: np.ndarray) -> list[Measurement]:
    observed, expected, marked = disagreement_by_stretch(
        cuts, continuum.length,
        {label: [(continuum.units[n][i][:, 0], continuum.units[n][i][:, 1])
                 for n in continuum.names]
         for i, label in enumerate(continuum.labels)})
    found = []
    for o, e, m in zip(observed.tolist(), expected.tolist(), marked.tolist(), strict=True):
        value, why = _safely(partial(unitizing_alpha_from_disagreements,
                                     {None: (o, e)} if m else {}))
        found.append(Measurement(value, why))
    return found


def _characters(names: Sequence[str], compared: Characters, counts: np.ndarray
                ) -> tuple[list[Measurement], list[Measurement]]:
    """Character alpha and the pairs' Cohen's kappa of each document (as
    ``character_agreement`` without ``pairwise_alpha``), ``counts[d]`` of the compared
    characters being document d's, in order."""
    documents, coders = counts.size, len(names)
    codes = character_codes(list(compared.sets))  # coders x columns
    # How many characters of each column each document has, as (document, column) cells.
    columns = max(codes.shape[1], 1)
    cells, times = _occurring(np.repeat(np.arange(documents), counts) * columns
                              + compared.column, documents * columns)
    cell_document, codes = cells // columns, codes[:, cells % columns]

    def per_document(weights: np.ndarray) -> np.ndarray:
        # whole numbers, added exactly in float64 (up to 2**53)
        return np.bincount(cell_document, weights=weights, minlength=documents
                           ).astype(np.int64)

    pairs = list(combinations(range(coders), 2))
    agreed = {(i, j): per_document(times * (codes[i] == codes[j])) for i, j in pairs}
    equal = sum(agreed.values())
    # Over a document's characters, sum of (ordered pairs of different values) / (m - 1):
    # every character has all m values.
    observed = (counts * (coders * (coders - 1)) - 2 * equal) / (coders - 1.0)

    # How often each label set occurs in each document, per annotator.
    values = int(codes.max(initial=-1)) + 1
    keys = cell_document * values + codes
    occurring, _ = _occurring(keys.reshape(-1), documents * values)
    tallies = [np.bincount(np.searchsorted(occurring, row), weights=times,
                           minlength=occurring.size) for row in keys]
    used = np.sum(tallies, axis=0)
    value_document = occurring // max(values, 1)
    squares = np.bincount(value_document, weights=used ** 2, minlength=documents)
    distinct = np.bincount(value_document[used > 0], minlength=documents)
    chance = {(i, j): np.bincount(value_document, weights=tallies[i] * tallies[j],
                                  minlength=documents).astype(np.int64).tolist()
              for i, j in pairs}

    alphas, kappas = [], []
    nothing = "no labelled text to compare"
    agreed_lists = {pair: agreed[pair].tolist() for pair in pairs}
    for d, (n, o, s, k) in enumerate(zip(counts.tolist(), observed.tolist(), squares.tolist(),
                                         distinct.tolist(), strict=True)):
        if n == 0:
            alphas.append(Measurement(None, nothing))
            kappas.append(Measurement(None, nothing))
            continue
        value, why = _safely(partial(nominal_alpha_from_counts, o, float(coders * n), s, k))
        alphas.append(Measurement(value, why, {(names[0], names[1]): value}
                                  if coders == 2 else None))
        per_pair, reasons = {}, []
        for i, j in pairs:
            per_pair[(names[i], names[j])], undefined = _safely(partial(
                cohen_kappa_from_counts, agreed_lists[(i, j)][d], chance[(i, j)][d], n))
            if undefined:
                reasons.append(undefined)
        kappas.append(_mean(per_pair, reasons[0] if reasons else None))
    return alphas, kappas


def _occurring(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (0 <= key < size), sorted, and how often each occurs: counted in
    one table when it is small enough, sorted otherwise."""
    if size <= _DENSE_CELLS:
        tally = np.bincount(keys, minlength=size)
        found = np.flatnonzero(tally)
        return found, tally[found]
    return np.unique(keys, return_counts=True)


def _spans(continuum: Continuum, cuts: np.ndarray
           ) -> tuple[list[Measurement], list[Measurement], list[dict[str, int]]]:
    """Each document's span F1, exact and overlap (as ``span_f1``), and span counts."""
    documents = cuts.size

    def count(positions: np.ndarray) -> np.ndarray:
        """How many of these offsets (span starts) lie in each document."""
        return np.bincount(np.searchsorted(cuts, positions, side="right") - 1,
                           minlength=documents)

    labels = range(len(continuum.labels))
    units = continuum.units
    made = {name: sum((count(units[name][i][:, 0]) for i in labels),
                      np.zeros(documents, dtype=np.int64)).tolist()
            for name in continuum.names}
    spans = [{name: made[name][d] for name in continuum.names} for d in range(documents)]
    tallies = {}
    for a, b in combinations(continuum.names, 2):
        totals = np.zeros((documents, 5), dtype=np.int64)
        for i in labels:
            mine, theirs = units[a][i], units[b][i]
            same = np.intersect1d(_keys(mine, continuum.length),
                                  _keys(theirs, continuum.length))
            totals[:, 0] += count(mine[:, 0])
            totals[:, 1] += count(theirs[:, 0])
            totals[:, 2] += count(same // (continuum.length + 1))
            totals[:, 3] += count(mine[overlapping(mine, theirs), 0])
            totals[:, 4] += count(theirs[overlapping(theirs, mine), 0])
        tallies[(a, b)] = totals.tolist()
    why = "neither annotator of any pair made a span"
    exact, overlap = [], []
    for d in range(documents):
        both = {pair: f1_from_counts(*per_document[d]) for pair, per_document in tallies.items()}
        exact.append(_mean({pair: v[0] for pair, v in both.items()}, why))
        overlap.append(_mean({pair: v[1] for pair, v in both.items()}, why))
    return exact, overlap, spans
