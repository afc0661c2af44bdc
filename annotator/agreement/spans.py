"""Annotators' spans laid end to end on one continuum, and the agreement measures over them."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations

import numpy as np
import numpy.typing as npt

from .alpha import krippendorff_alpha_from_codes
from .kappa import cohen_kappa_from_codes
from .unitizing import disagreement_by_category, unitizing_alpha_from_disagreements

# How two annotators' spans can differ: boundary (the other has an overlapping span of the
# same label), label (only of another label), presence (nothing there).
KINDS = ("boundary", "label", "presence")
MAX_LABELS = 63  # one bit each in a per-character mask


@dataclass(frozen=True)
class Continuum:
    """Every annotator's spans on one continuum: each document after the one before it.

    ``units[name][i]`` holds annotator ``name``'s spans of label ``i`` (an index into
    ``labels``) as an (n, 2) int64 array of [start, end) on the continuum, sorted by start
    and then end; every annotator has an entry, maybe empty, for every label.
    ``documents`` maps each document to its [start, end) on the continuum. Treat it as
    read-only: the measures below remember what they counted on it, so that each pair and
    label is counted once for that label's figures and the overall ones.
    """

    names: list[str]
    labels: list[str]
    length: int
    documents: dict[Hashable, tuple[int, int]]
    units: dict[str, dict[int, np.ndarray]]
    _counted: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, names: Sequence[str], labels: Sequence[str], lengths: dict[Hashable, int],
              spans: Iterable[tuple[str, Hashable, int, int, int]]) -> Continuum:
        """The continuum of documents of these lengths, laid out in the dict's order, and of
        spans given as (annotator, document, label index, start, end), offsets inside the
        document, end exclusive."""
        documents, at = {}, 0
        for document, size in lengths.items():
            documents[document] = (at, at + size)
            at += size
        units: dict[str, dict[int, list[tuple[int, int]]]] = {
            name: {i: [] for i in range(len(labels))} for name in names}
        for name, document, label, start, end in spans:
            base = documents[document][0]
            units[name][label].append((base + start, base + end))
        return cls(list(names), list(labels), at, documents,
                   {name: {i: _sorted(bounds) for i, bounds in per_label.items()}
                    for name, per_label in units.items()})

    def document(self, document: Hashable) -> Continuum:
        """One document's own continuum: its stretch of this one, from 0."""
        start, end = self.documents[document]
        return Continuum(self.names, self.labels, end - start, {document: (0, end - start)},
                         {name: {i: _within(spans, start, end) for i, spans in per_label.items()}
                          for name, per_label in self.units.items()})


@dataclass
class Measurement:
    """One measure over a set of annotators: its value, why it is undefined (value None),
    and its value for each pair of annotators (pairs None: not computed)."""

    value: float | None
    why: str | None = None
    pairs: dict[tuple[str, str], float | None] | None = None


def every_measure(continuum: Continuum, masks: Sequence[np.ndarray] | Characters,
                  label: int | None = None, pairwise: bool = True) -> dict[str, Measurement]:
    """Each measure of annotator agreement (by its key in ``measures.MEASURES``) for one
    label (an index) or all of them (None). ``masks`` are ``label_mask`` per annotator, in
    ``continuum.names`` order, over the characters the character measures compare (or
    those characters as ``Characters``, to count them once for several labels).
    Without ``pairwise``, only the pairwise values that come for free are given."""
    compared = masks if isinstance(masks, Characters) else characters(masks)
    alpha, kappa = character_agreement(character_codes(list(compared.sets), label),
                                       continuum.names, pairwise_alpha=pairwise and label is None,
                                       counts=compared.counts)
    exact, overlap = span_f1(continuum, label)
    return {"unitizing_alpha": unitizing_agreement(continuum, label, pairwise),
            "alpha": alpha, "kappa": kappa, "f1_exact": exact, "f1_overlap": overlap}


# --- characters ------------------------------------------------------------------------------

def label_mask(continuum: Continuum, name: str) -> np.ndarray:
    """Per character of the continuum, a bit for each label the annotator gave it (label i:
    bit i)."""
    count = len(continuum.labels)
    if count > MAX_LABELS:
        raise ValueError(f"label masks hold at most {MAX_LABELS} labels (got {count})")
    dtype = np.uint8 if count <= 8 else np.uint32 if count <= 32 else np.uint64
    # Each label's spans merged into stretches that do not overlap: then label i's bit is
    # added where one of its stretches starts and taken away where it ends, and a running
    # sum over the whole continuum is every character's label set, in one pass.
    starts, ends, bits = [], [], []
    for i, bounds in continuum.units[name].items():
        if len(bounds):
            begin, finish = _merged(bounds)
            starts.append(begin)
            ends.append(finish)
            bits.append(np.full(begin.size, 1 << i, dtype=np.int64))
    delta = np.zeros(continuum.length + 1, dtype=np.int64)
    if starts:
        added = np.concatenate(bits)
        np.add.at(delta, np.concatenate(starts), added)
        np.subtract.at(delta, np.concatenate(ends), added)
    mask: npt.NDArray[np.unsignedinteger] = np.cumsum(delta[:-1]).astype(dtype)
    return mask


def _merged(bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spans sorted by start (an (n, 2) array), overlapping or touching ones merged."""
    reach = np.maximum.accumulate(bounds[:, 1])
    fresh = np.ones(len(bounds), dtype=bool)
    fresh[1:] = bounds[1:, 0] > reach[:-1]
    firsts = np.flatnonzero(fresh)
    return bounds[firsts, 0], np.maximum.reduceat(bounds[:, 1], firsts)


@dataclass(frozen=True)
class Characters:
    """The characters the character measures compare, counted once per distinct column of
    label sets: ``sets[i, c]`` is annotator i's label set (bits, as ``label_mask``) in
    column c, ``counts[c]`` how many characters have that column, and ``column[k]`` the
    column of character k. A million characters over four labels are a few hundred
    columns, and every character measure is a sum over them."""

    sets: np.ndarray
    counts: np.ndarray
    column: np.ndarray


def characters(masks: Sequence[np.ndarray]) -> Characters:
    """The characters of these ``label_mask``s (a row per annotator), as columns."""
    if not len(masks):
        raise ValueError("characters need at least one annotator's label mask")
    size = len(masks[0])
    column, columns = np.zeros(size, dtype=np.int64), 1
    for mask in masks:
        values, top = _numbered(mask)
        if columns * top > _DENSE_COLUMNS:  # number the columns seen so far from 0 again
            _, column = np.unique(column, return_inverse=True)
            column = column.reshape(-1)
            columns = int(column.max(initial=-1)) + 1
        column = column * top + values
        columns *= top
    if columns > max(_DENSE_COLUMNS, size):
        _, column = np.unique(column, return_inverse=True)
        column = column.reshape(-1)
        columns = int(column.max(initial=-1)) + 1
    counts = np.bincount(column, minlength=columns)
    seen = np.flatnonzero(counts)
    number = np.zeros(columns, dtype=np.int64)
    number[seen] = np.arange(seen.size)
    column = number[column]
    first = np.zeros(seen.size, dtype=np.int64)
    first[column] = np.arange(size)  # a character of each column: any will do
    return Characters(np.vstack([mask[first] for mask in masks]).reshape(len(masks), -1),
                      counts[seen], column)


# Columns numbered up to this many are counted in one table; more are sorted instead.
_DENSE_COLUMNS = 1 << 22


def _numbered(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """A mask's label sets as numbers 0..top-1: themselves when small enough."""
    top = int(mask.max(initial=0)) + 1
    if top <= _DENSE_COLUMNS:
        return mask.astype(np.int64), top
    _, inverse = np.unique(mask, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), int(inverse.max(initial=-1)) + 1


def labelled(masks: Iterable[np.ndarray], length: int) -> np.ndarray:
    """Per character, whether anyone labelled it: long unlabelled stretches would otherwise
    count as agreement in the character measures."""
    keep = np.zeros(length, dtype=bool)
    for mask in masks:
        keep |= mask != 0
    return keep


def character_codes(masks: Sequence[np.ndarray], label: int | None = None) -> np.ndarray:
    """Annotators x characters codes for the character measures: each character's label set
    (label None) or whether it has the label (0 or 1). Small integers; with many labels,
    sets such as 2**20 are numbered 0..V-1."""
    rows = []
    for values in masks:
        if label is not None:
            values = (values >> label) & 1
        rows.append(values.astype(np.int64))
    if not rows or rows[0].size == 0:
        return np.zeros((len(rows), 0), dtype=np.int64)
    codes = np.vstack(rows)
    if codes.max(initial=0) >= 64:
        _, codes = np.unique(codes, return_inverse=True)
        codes = codes.reshape(len(rows), -1)
    return codes


def character_agreement(codes: np.ndarray, names: Sequence[str], pairwise_alpha: bool = True,
                        counts: np.ndarray | None = None) -> tuple[Measurement, Measurement]:
    """Krippendorff's alpha over every annotator, and Cohen's kappa per pair and their mean,
    of ``character_codes`` (a row per annotator in ``names``; with ``counts``, a column
    stands for that many characters). Pairwise alpha costs a pass over every column per
    pair: given with ``pairwise_alpha``, and with two annotators, where it is the alpha
    itself."""
    if codes.shape[1] == 0:
        nothing = "no labelled text to compare"
        return Measurement(None, nothing), Measurement(None, nothing)
    alpha, why = _safely(lambda: krippendorff_alpha_from_codes(codes, counts=counts))
    pairs = list(combinations(range(len(names)), 2))
    kappas, reasons = {}, []
    for i, j in pairs:
        kappas[(names[i], names[j])], undefined = _safely(
            partial(cohen_kappa_from_codes, codes[i], codes[j], counts))
        if undefined:
            reasons.append(undefined)
    alphas = None
    if len(names) == 2:
        alphas = {(names[0], names[1]): alpha}
    elif pairwise_alpha:
        alphas = {(names[i], names[j]): _safely(partial(
            krippendorff_alpha_from_codes, codes[[i, j]], counts=counts))[0] for i, j in pairs}
    return (Measurement(alpha, why, alphas),
            _mean(kappas, reasons[0] if reasons else None))


# --- spans -----------------------------------------------------------------------------------

def span_counts(continuum: Continuum, label: int | None = None) -> dict[str, int]:
    """How many spans of the label (None: of any) each annotator made."""
    return {name: sum(len(continuum.units[name][i]) for i in _indexes(continuum, label))
            for name in continuum.names}


def unit_disagreements(continuum: Continuum, names: Sequence[str]
                       ) -> dict[Hashable, tuple[float, float]]:
    """(D_o, D_e) of unitizing alpha for each label somebody of ``names`` marked."""
    key = ("units", tuple(names))
    if key not in continuum._counted:
        continuum._counted[key] = {} if continuum.length == 0 else disagreement_by_category(
            continuum.length, {label: [(continuum.units[n][i][:, 0], continuum.units[n][i][:, 1])
                                       for n in names]
                               for i, label in enumerate(continuum.labels)})
    return continuum._counted[key]


def unitizing_agreement(continuum: Continuum, label: int | None = None, pairwise: bool = True
                        ) -> Measurement:
    """Krippendorff's unitizing alpha of the label (None: over all labels), over every
    annotator and (``pairwise``) per pair."""
    category = None if label is None else continuum.labels[label]

    def alpha(names: Sequence[str]) -> tuple[float | None, str | None]:
        return _safely(lambda: unitizing_alpha_from_disagreements(
            unit_disagreements(continuum, names), category))

    value, why = alpha(continuum.names)
    pairs = None
    if pairwise:
        pairs = {(a, b): alpha((a, b))[0] for a, b in combinations(continuum.names, 2)}
    return Measurement(value, why, pairs)


def span_f1(continuum: Continuum, label: int | None = None) -> tuple[Measurement, Measurement]:
    """Span F1 per pair and its mean over the pairs that made spans: exact and overlap."""
    exact, overlap = {}, {}
    for a, b in combinations(continuum.names, 2):
        exact[(a, b)], overlap[(a, b)] = pair_f1(continuum, a, b, label)
    why = "neither annotator of any pair made a span"
    return _mean(exact, why), _mean(overlap, why)


def pair_f1(continuum: Continuum, a: str, b: str, label: int | None = None
            ) -> tuple[float | None, float | None]:
    """Span F1 of a against b: exact (same start, end and label) and overlap (a span of the
    same label overlaps it). None when neither made a span. Counted per label once, so the
    overall figure is the per-label counts summed."""
    counts = [_f1_counts(continuum, a, b, i) for i in _indexes(continuum, label)]
    return f1_from_counts(*(sum(c[k] for c in counts) for k in range(5)))


def f1_from_counts(total_a: int, total_b: int, same: int, hit_a: int, hit_b: int
                   ) -> tuple[float | None, float | None]:
    """``pair_f1`` from its counts: a's spans, b's, the same in both, a's overlapping one of
    b's, b's overlapping one of a's."""
    if total_a + total_b == 0:
        return None, None
    exact = 2 * same / (total_a + total_b)
    precision = hit_a / total_a if total_a else 0.0
    recall = hit_b / total_b if total_b else 0.0
    overlap = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return exact, overlap


def overlapping(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """For each span of ``mine``, does it overlap one of ``theirs`` ((n, 2) arrays of
    [start, end), ``theirs`` sorted by start)? Those starting before its end are found by
    binary search, and the farthest end among them (a running maximum) says whether any
    reaches past its start."""
    if not len(mine) or not len(theirs):
        return np.zeros(len(mine), dtype=bool)
    reach = np.maximum.accumulate(theirs[:, 1])
    k = np.searchsorted(theirs[:, 0], mine[:, 1], side="left")
    return (k > 0) & (reach[np.maximum(k - 1, 0)] > mine[:, 0])


def disagreement_split(continuum: Continuum, label: int | None = None) -> dict[str, int]:
    """``pair_disagreements`` summed over every pair of annotators."""
    counts = dict.fromkeys(KINDS, 0)
    for a, b in combinations(continuum.names, 2):
        for kind, count in pair_disagreements(continuum, a, b, label).items():
            counts[kind] += count
    return counts


def pair_disagreements(continuum: Continuum, a: str, b: str, label: int | None = None
                       ) -> dict[str, int]:
    """Spans of either annotator the other did not make exactly, by kind (see KINDS), for
    the label (None: every label, each counted once and summed). A boundary or label
    disagreement involves a span of each annotator, so it is seen from both sides: the
    larger side's count is taken, not the sum. A presence one is one span with nothing
    facing it: each side's are added."""
    counts = dict.fromkeys(KINDS, 0)
    for i in _indexes(continuum, label):
        key = ("kinds", a, b, i)
        if key not in continuum._counted:
            continuum._counted[key] = _label_disagreements(continuum, a, b, i)
        for kind, count in continuum._counted[key].items():
            counts[kind] += count
    return counts


def _label_disagreements(continuum: Continuum, a: str, b: str, i: int) -> dict[str, int]:
    sides = []
    for one, other in ((a, b), (b, a)):
        counts = dict.fromkeys(KINDS, 0)
        sides.append(counts)
        mine, same_label = continuum.units[one][i], continuum.units[other][i]
        if not len(mine):
            continue
        unmatched = mine[~np.isin(_keys(mine, continuum.length),
                                  _keys(same_label, continuum.length))]
        if not len(unmatched):
            continue
        rest = [spans for j, spans in continuum.units[other].items() if j != i]
        others = np.concatenate(rest) if rest else np.zeros((0, 2), dtype=np.int64)
        others = others[np.argsort(others[:, 0], kind="stable")]
        same = overlapping(unmatched, same_label)
        different = overlapping(unmatched, others)
        counts["boundary"] += int(same.sum())
        counts["label"] += int((~same & different).sum())
        counts["presence"] += int((~same & ~different).sum())
    return {"boundary": max(s["boundary"] for s in sides),
            "label": max(s["label"] for s in sides),
            "presence": sum(s["presence"] for s in sides)}


def _f1_counts(continuum: Continuum, a: str, b: str, i: int) -> tuple[int, ...]:
    """a's spans, b's, exactly the same, a's overlapping b's, b's overlapping a's."""
    key = ("f1", a, b, i)
    if key not in continuum._counted:
        mine, theirs = continuum.units[a][i], continuum.units[b][i]
        same = np.intersect1d(_keys(mine, continuum.length),
                              _keys(theirs, continuum.length)).size
        continuum._counted[key] = (len(mine), len(theirs), same,
                                   int(overlapping(mine, theirs).sum()),
                                   int(overlapping(theirs, mine).sum()))
    return continuum._counted[key]


def _indexes(continuum: Continuum, label: int | None) -> Sequence[int]:
    return range(len(continuum.labels)) if label is None else [label]


def _keys(spans: np.ndarray, length: int) -> np.ndarray:
    """One integer per span, equal when start and end are."""
    return spans[:, 0] * (length + 1) + spans[:, 1]


def _sorted(spans: list[tuple[int, int]]) -> np.ndarray:
    array = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return array[np.lexsort((array[:, 1], array[:, 0]))]


def _within(spans: np.ndarray, start: int, end: int) -> np.ndarray:
    """The spans starting in [start, end), from start: they are sorted by start."""
    low, high = np.searchsorted(spans[:, 0], [start, end], side="left")
    return spans[low:high] - start


def _mean(pairs: dict[tuple[str, str], float | None], why: str | None) -> Measurement:
    """The mean of the pairs' values that are defined; ``why`` when none is."""
    defined = [v for v in pairs.values() if v is not None]
    if not defined:
        return Measurement(None, why, pairs)
    return Measurement(sum(defined) / len(defined), None, pairs)


def _safely(compute: Callable[[], float]) -> tuple[float | None, str | None]:
    """A value, or None and the reason it is undefined."""
    try:
        value = float(compute())
    except ValueError as e:
        return None, str(e)
    return value, None
