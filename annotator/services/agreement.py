"""Agreement between annotators on the store's spans; the statistics live in annotator.agreement.

For a scope (annotators, documents, labels) it computes, per label and overall:
Krippendorff's unitizing alpha over the spans themselves; character-level Krippendorff's
alpha and pairwise Cohen's kappa, by default over the characters that someone labelled
(long unlabelled stretches would otherwise inflate agreement); pairwise span F1, exact and
overlapping; the same per document; and a reading in words, with disagreement split into
boundaries (same label, different extent), labels (same stretch, different label) and
presence (one annotator marked it, the other nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from annotator.agreement import disagreement_by_category, krippendorff_alpha_from_codes
from annotator.domain.model import Annotator, Span
from annotator.store.repository import Store

from .adjudication import GOLD  # the adjudicated set: compared only when asked for by name

MEASURES = ("unitizing_alpha", "alpha", "kappa", "f1_exact", "f1_overlap")
MEASURE_NAMES = {
    "unitizing_alpha": "unitizing alpha (spans)",
    "alpha": "Krippendorff's alpha (characters)",
    "kappa": "Cohen's kappa (characters)",
    "f1_exact": "span F1, exact match",
    "f1_overlap": "span F1, overlap",
}


class ScopeError(ValueError):
    """A scope that cannot be compared; the message says what to change."""


@dataclass(frozen=True)
class Scope:
    annotators: tuple[str, ...] = ()  # names; empty: everyone at work but gold
    documents: str = "done"  # "done": documents every one of them marked done; "all":
    #                          documents every one of them touched (spans or a status)
    labels: tuple[str, ...] = ()  # names; empty: every label
    labelled_only: bool = True  # leave out characters nobody labelled (character measures)


@dataclass
class Figures:
    """Every measure for one label (or overall, label None) over some documents."""

    label: str | None
    values: dict[str, float | None] = field(default_factory=dict)  # measure -> value
    why: dict[str, str] = field(default_factory=dict)  # measure -> why it is None
    pairs: dict[str, dict[tuple[str, str], float | None]] = field(default_factory=dict)
    spans: dict[str, int] = field(default_factory=dict)  # annotator -> span count
    disagreements: dict[str, int] = field(default_factory=dict)  # boundary, label, presence

    def as_json(self) -> dict:
        return {
            "label": self.label,
            **{m: _rounded(self.values.get(m)) for m in MEASURES},
            "why": self.why,
            "pairs": {m: [{"annotators": list(p), "value": _rounded(v)}
                          for p, v in pairs.items()] for m, pairs in self.pairs.items()},
            "spans": self.spans,
            "disagreements": self.disagreements,
        }


@dataclass
class DocumentFigures:
    document_id: int
    title: str
    characters: int
    overall: Figures


@dataclass
class AgreementReport:
    scope: Scope
    annotators: list[str]
    labels: list[str]
    documents: list[int]
    characters: int  # in the documents compared
    characters_compared: int  # of those, the ones the character measures looked at
    overall: Figures
    per_label: list[Figures]
    per_document: list[DocumentFigures]  # worst first
    reading: list[str]

    def matrix(self, measure: str, label: str | None = None) -> list[list[float | None]]:
        """annotator x annotator values of a pairwise measure (1.0 on the diagonal)."""
        figures = self.overall if label is None else next(
            f for f in self.per_label if f.label == label)
        pairs = figures.pairs.get(measure, {})
        size = len(self.annotators)
        out: list[list[float | None]] = [[1.0 if i == j else None for j in range(size)]
                                         for i in range(size)]
        for (a, b), value in pairs.items():
            i, j = self.annotators.index(a), self.annotators.index(b)
            out[i][j] = out[j][i] = value
        return out

    def as_json(self) -> dict:
        return {
            "scope": {
                "annotators": self.annotators,
                "labels": self.labels,
                "documents": self.scope.documents,
                "documents_compared": len(self.documents),
                "characters": self.characters,
                "characters_compared": self.characters_compared,
                "labelled_only": self.scope.labelled_only,
                "note": ("character measures leave out text nobody labelled"
                         if self.scope.labelled_only else
                         "character measures count every character, labelled or not"),
            },
            "measures": MEASURE_NAMES,
            "overall": self.overall.as_json(),
            "labels": [f.as_json() for f in self.per_label],
            "documents": [{"id": d.document_id, "title": d.title,
                           "characters": d.characters, **d.overall.as_json()}
                          for d in self.per_document],
            "matrices": {m: [[_rounded(v) for v in row] for row in self.matrix(m)]
                         for m in MEASURES},
            "reading": self.reading,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- the scope -------------------------------------------------------------------------------

def default_annotators(store: Store, documents: str = "done") -> list[Annotator]:
    """Who is compared when nobody is named: for "done", everyone who marked a document
    done; for "all", everyone with spans or a document begun; never gold."""
    if documents == "done":
        chosen = {a for a in store.annotators_with_done()}
    else:
        chosen = store.annotators_at_work()
    return [a for a in store.annotators() if a.uuid in chosen and a.name != GOLD]


def resolve(store: Store, scope: Scope) -> tuple[list[Annotator], list[tuple[str, str]],
                                                 list[int]]:
    """(annotators, (label uuid, name) pairs, document ids) for a scope; ScopeError when
    it cannot be compared."""
    everyone = {a.name: a for a in store.annotators()}
    if scope.annotators:
        missing = [n for n in scope.annotators if n not in everyone]
        if missing:
            raise ScopeError(f"no annotator named {', '.join(missing)}; known: "
                             f"{', '.join(sorted(everyone)) or 'none'}")
        chosen = [everyone[n] for n in dict.fromkeys(scope.annotators)]
    else:
        chosen = default_annotators(store, scope.documents)
        if len(chosen) < 2 and scope.documents == "done":  # then say what is not done
            chosen = default_annotators(store, "all")
    if len(chosen) < 2:
        raise ScopeError("agreement needs at least two annotators; "
                         f"{'only ' + chosen[0].name if chosen else 'none'} in scope")
    labels = [(lb.uuid, lb.name) for lb in store.labels()]
    if scope.labels:
        known = {name.casefold(): (uuid, name) for uuid, name in labels}
        missing = [n for n in scope.labels if n.casefold() not in known]
        if missing:
            raise ScopeError(f"no label named {', '.join(missing)}; known: "
                             f"{', '.join(name for _, name in labels)}")
        labels = list(dict.fromkeys(known[n.casefold()] for n in scope.labels))
    if len(labels) > 63:
        raise ScopeError(f"compare at most 63 labels at once (the scope has {len(labels)})")
    if scope.documents not in ("done", "all"):
        raise ScopeError(f"documents are 'done' or 'all', not {scope.documents!r}")
    if scope.documents == "done":
        sets = [store.documents_done_by(a.uuid) for a in chosen]
    else:
        sets = [store.documents_touched(a.uuid) for a in chosen]
    documents = sorted(set.intersection(*sets)) if sets else []
    if not documents:
        which = "marked done by" if scope.documents == "done" else "touched by"
        raise ScopeError(f"no document is {which} all of {', '.join(a.name for a in chosen)}"
                         + ("; try the documents they all touched instead"
                            if scope.documents == "done" else ""))
    return chosen, labels, documents


# --- computing -------------------------------------------------------------------------------

@dataclass
class _Data:
    """Spans of the scope on one continuum: each document after the one before it."""

    names: list[str]
    labels: list[str]
    length: int
    offsets: dict[int, int]  # document id -> where it starts on the continuum
    # annotator -> label index -> (n, 2) array of [start, end) on the continuum, by start
    units: dict[str, dict[int, np.ndarray]]


def compute(store: Store, scope: Scope = Scope()) -> AgreementReport:
    chosen, labels, documents = resolve(store, scope)
    names = [a.name for a in chosen]
    label_names = [name for _, name in labels]
    index_of = {uuid: i for i, (uuid, _) in enumerate(labels)}
    lengths = store.document_lengths(documents)
    titles = store.document_titles(documents)
    spans_by_doc = {doc_id: [] for doc_id in documents}
    for a in chosen:
        for span in store.spans_of(a.uuid, documents):
            if span.label_uuid in index_of:
                spans_by_doc[span.document_id].append((a.name, span))
    data = _continuum(documents, lengths, spans_by_doc, names, index_of, label_names)
    masks = {n: _mask(data, n) for n in names}  # annotator -> label bits per character
    overall, per_label, compared = _figures(data, masks, scope.labelled_only)
    per_document = []
    for doc_id in documents:  # each document is a stretch of the continuum: slice it
        start, end = data.offsets[doc_id], data.offsets[doc_id] + lengths[doc_id]
        one = _Data(names, label_names, end - start, {doc_id: 0}, {
            n: {i: spans[(spans[:, 0] >= start) & (spans[:, 0] < end)] - start
                for i, spans in per_label.items()} for n, per_label in data.units.items()})
        figures, _, _ = _figures(one, {n: m[start:end] for n, m in masks.items()},
                                 scope.labelled_only, per_label_too=False)
        per_document.append(DocumentFigures(doc_id, titles.get(doc_id, ""), lengths[doc_id],
                                            figures))
    per_document.sort(key=lambda d: _worst_key(d.overall))
    report = AgreementReport(scope, names, label_names, documents, data.length, compared,
                             overall, per_label, per_document, [])
    report.reading = reading(report)
    return report


def _continuum(documents: list[int], lengths: dict[int, int],
               spans_by_doc: dict[int, list[tuple[str, Span]]], names: list[str],
               index_of: dict[str, int], labels: list[str]) -> _Data:
    offsets, at = {}, 0
    for doc_id in documents:
        offsets[doc_id] = at
        at += lengths[doc_id]
    units: dict[str, dict[int, list[tuple[int, int]]]] = {
        n: {i: [] for i in range(len(labels))} for n in names}
    for doc_id in documents:
        base = offsets[doc_id]
        for name, span in spans_by_doc[doc_id]:
            units[name][index_of[span.label_uuid]].append((base + span.start, base + span.end))
    arrays = {name: {i: _sorted_array(spans) for i, spans in per_label.items()}
              for name, per_label in units.items()}
    return _Data(names, labels, at, offsets, arrays)


def _sorted_array(spans: list[tuple[int, int]]) -> np.ndarray:
    array = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return array[np.lexsort((array[:, 1], array[:, 0]))]


def _keys(spans: np.ndarray, length: int) -> np.ndarray:
    """One integer per span, equal when start and end are."""
    return spans[:, 0] * (length + 1) + spans[:, 1]


def _figures(data: _Data, masks: dict[str, np.ndarray], labelled_only: bool,
             per_label_too: bool = True) -> tuple[Figures, list[Figures], int]:
    """Overall figures and (per_label_too) each label's. A document's own figures
    (per_label_too False) leave out the pairwise alpha matrices, which only the whole
    scope shows."""
    keep = None
    if labelled_only:
        keep = np.zeros(data.length, dtype=bool)
        for mask in masks.values():
            keep |= mask != 0
    compared = int(keep.sum()) if keep is not None else data.length
    cache: dict = {}  # work shared by the overall figures and each label's
    overall = Figures(None)
    _character_measures(overall, data, masks, keep, None, with_pairs=per_label_too)
    _span_measures(overall, data, None, cache, with_pairs=per_label_too)
    per_label = []
    if per_label_too:
        for i, name in enumerate(data.labels):
            figures = Figures(name)
            _character_measures(figures, data, masks, keep, i)
            _span_measures(figures, data, i, cache)
            per_label.append(figures)
    return overall, per_label, compared


def _mask(data: _Data, name: str) -> np.ndarray:
    """Per character, a bit for each label this annotator gave it (label i: bit i)."""
    dtype = np.uint8 if len(data.labels) <= 8 else np.uint32 if len(data.labels) <= 32 \
        else np.uint64  # resolve() allows at most 63 labels at once
    mask = np.zeros(data.length, dtype=dtype)
    for i, bounds in data.units[name].items():
        if not len(bounds):
            continue
        # +1 where a span starts, -1 where one ends; a running sum above 0 is covered.
        delta = (np.bincount(bounds[:, 0], minlength=data.length + 1)
                 - np.bincount(bounds[:, 1], minlength=data.length + 1))
        covered = np.cumsum(delta[:-1]) > 0
        mask[covered] |= dtype(1 << i)
    return mask


def _character_measures(figures: Figures, data: _Data, masks: dict[str, np.ndarray],
                        keep: np.ndarray | None, label: int | None,
                        with_pairs: bool = True) -> None:
    rows = []
    for name in data.names:
        values = masks[name] if keep is None else masks[name][keep]
        if label is not None:
            values = (values >> label) & 1
        rows.append(values.astype(np.int64))
    if not rows or rows[0].size == 0:
        figures.values["alpha"] = figures.values["kappa"] = None
        figures.why["alpha"] = figures.why["kappa"] = "no labelled text to compare"
        return
    codes = np.vstack(rows)  # label bit sets: small integers with a few labels
    if codes.max(initial=0) >= 64:  # with many labels, sets like 2**20: number them 0..V-1
        _, codes = np.unique(codes, return_inverse=True)
        codes = codes.reshape(len(rows), -1)
    figures.values["alpha"], why = _safely(lambda: krippendorff_alpha_from_codes(codes))
    if why:
        figures.why["alpha"] = why
    pairs, reasons = {}, []
    for (i, a), (j, b) in combinations(enumerate(data.names), 2):
        pairs[(a, b)], why = _safely(lambda i=i, j=j: _kappa_codes(codes[i], codes[j]))
        if why:
            reasons.append(why)
    figures.pairs["kappa"] = pairs
    defined = [v for v in pairs.values() if v is not None]
    figures.values["kappa"] = sum(defined) / len(defined) if defined else None
    if not defined and reasons:
        figures.why["kappa"] = reasons[0]
    if len(data.names) == 2:
        figures.pairs["alpha"] = {(data.names[0], data.names[1]): figures.values["alpha"]}
    elif with_pairs and label is None:  # pairwise alpha: the overall matrix only, as it
        figures.pairs["alpha"] = {      # costs a pass over every character per pair
            (a, b): _safely(lambda i=i, j=j: krippendorff_alpha_from_codes(codes[[i, j]]))[0]
            for (i, a), (j, b) in combinations(enumerate(data.names), 2)}


def _kappa_codes(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa from integer codes, by one confusion matrix (numpy, not a loop)."""
    k = int(max(a.max(), b.max())) + 1
    table = np.bincount(a * k + b, minlength=k * k).reshape(k, k).astype(float)
    n = table.sum()
    observed = np.trace(table) / n
    expected = float((table.sum(0) * table.sum(1)).sum()) / (n * n)
    if expected >= 1.0:
        raise ValueError("kappa is undefined: both annotators gave every character one and "
                         "the same category")
    return float((observed - expected) / (1.0 - expected))


def _u_alpha(disagreements: dict[str, tuple[float, float]], category: str | None
             ) -> tuple[float | None, str | None]:
    """u-alpha of a category (None: overall) from the (D_o, D_e) of each category."""
    chosen = disagreements if category is None else (
        {category: disagreements[category]} if category in disagreements else {})
    if not chosen:
        what = "anything" if category is None else f"a unit of {category!r}"
        return None, f"u-alpha is undefined: nobody marked {what}"
    expected = sum(d[1] for d in chosen.values())
    if not expected > 0.0:
        return None, "u-alpha is undefined: expected disagreement is 0"
    return 1.0 - sum(d[0] for d in chosen.values()) / expected, None


def _unit_disagreements(data: _Data, names: list[str]) -> dict[str, tuple[float, float]]:
    if data.length == 0:
        return {}
    return disagreement_by_category(data.length, {
        label: [(data.units[n][i][:, 0], data.units[n][i][:, 1]) for n in names]
        for i, label in enumerate(data.labels)})


def _span_measures(figures: Figures, data: _Data, label: int | None,
                   cache: dict, with_pairs: bool = True) -> None:
    indexes = range(len(data.labels)) if label is None else [label]
    figures.spans = {name: sum(len(data.units[name][i]) for i in indexes)
                     for name in data.names}
    category = None if label is None else data.labels[label]

    def disagreements(names: tuple[str, ...]) -> dict[str, tuple[float, float]]:
        if names not in cache:  # computed once for every label and overall
            cache[names] = _unit_disagreements(data, list(names))
        return cache[names]

    value, why = _u_alpha(disagreements(tuple(data.names)), category)
    figures.values["unitizing_alpha"] = value
    if why:
        figures.why["unitizing_alpha"] = why
    if with_pairs:
        figures.pairs["unitizing_alpha"] = {
            (a, b): _u_alpha(disagreements((a, b)), category)[0]
            for a, b in combinations(data.names, 2)}
    exact, overlap = {}, {}
    counts = {"boundary": 0, "label": 0, "presence": 0}
    for a, b in combinations(data.names, 2):
        exact[(a, b)], overlap[(a, b)] = _f1(data, a, b, indexes, cache)
        if with_pairs:  # the split is read over the whole scope, not document by document
            for kind, count in _disagreements(data, a, b, indexes, cache).items():
                counts[kind] += count
    figures.pairs["f1_exact"], figures.pairs["f1_overlap"] = exact, overlap
    for measure, pairs in (("f1_exact", exact), ("f1_overlap", overlap)):
        defined = [v for v in pairs.values() if v is not None]
        figures.values[measure] = sum(defined) / len(defined) if defined else None
        if not defined:
            figures.why[measure] = "neither annotator of any pair made a span"
    figures.disagreements = counts


def _f1(data: _Data, a: str, b: str, indexes, cache: dict) -> tuple[float | None, float | None]:
    """Span F1 of a against b: exact (same start, end and label) and overlap (a span of
    the same label overlaps it). None when neither made a span. Counted per label once
    (cached), so the overall figure is the per-label counts summed."""
    counts = [_f1_counts(data, a, b, i, cache) for i in indexes]
    total_a, total_b, same, hit_a, hit_b = (sum(c[k] for c in counts) for k in range(5))
    if total_a + total_b == 0:
        return None, None
    exact = 2 * same / (total_a + total_b)
    precision = hit_a / total_a if total_a else 0.0
    recall = hit_b / total_b if total_b else 0.0
    overlap = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return exact, overlap


def _f1_counts(data: _Data, a: str, b: str, i: int, cache: dict) -> tuple[int, ...]:
    key = ("f1", a, b, i)
    if key not in cache:
        mine, theirs = data.units[a][i], data.units[b][i]
        same = np.intersect1d(_keys(mine, data.length), _keys(theirs, data.length)).size
        cache[key] = (len(mine), len(theirs), same, int(_overlaps(mine, theirs).sum()),
                      int(_overlaps(theirs, mine).sum()))
    return cache[key]


def _overlaps(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """For each span of `mine`, does it overlap one of `theirs` (sorted by start)? Those
    starting before its end are found by binary search, and the farthest end among them
    (a running maximum) says whether any reaches past its start."""
    if not len(mine) or not len(theirs):
        return np.zeros(len(mine), dtype=bool)
    reach = np.maximum.accumulate(theirs[:, 1])
    k = np.searchsorted(theirs[:, 0], mine[:, 1], side="left")
    return (k > 0) & (reach[np.maximum(k - 1, 0)] > mine[:, 0])


def _disagreements(data: _Data, a: str, b: str, indexes, cache: dict) -> dict[str, int]:
    """Spans of either annotator the other did not make exactly, by kind: boundary (the
    other has an overlapping span of the same label), label (only of another label), or
    presence (nothing there). Counted per label once (cached) and summed."""
    counts = {"boundary": 0, "label": 0, "presence": 0}
    for i in indexes:
        key = ("kinds", a, b, i)
        if key not in cache:
            cache[key] = _label_disagreements(data, a, b, i)
        for kind, count in cache[key].items():
            counts[kind] += count
    return counts


def _label_disagreements(data: _Data, a: str, b: str, i: int) -> dict[str, int]:
    """A boundary or label disagreement involves a span of each annotator, so it is seen
    from both sides: the larger side's count is taken, not the sum. A presence one is one
    span with nothing facing it: each side's are added."""
    sides = []
    for one, other in ((a, b), (b, a)):
        counts = {"boundary": 0, "label": 0, "presence": 0}
        sides.append(counts)
        mine, same_label = data.units[one][i], data.units[other][i]
        if not len(mine):
            continue
        unmatched = mine[~np.isin(_keys(mine, data.length), _keys(same_label, data.length))]
        if not len(unmatched):
            continue
        rest = [spans for j, spans in data.units[other].items() if j != i]
        others = np.concatenate(rest) if rest else np.zeros((0, 2), dtype=np.int64)
        others = others[np.argsort(others[:, 0], kind="stable")]
        same = _overlaps(unmatched, same_label)
        different = _overlaps(unmatched, others)
        counts["boundary"] += int(same.sum())
        counts["label"] += int((~same & different).sum())
        counts["presence"] += int((~same & ~different).sum())
    return {"boundary": max(s["boundary"] for s in sides),
            "label": max(s["label"] for s in sides),
            "presence": sum(s["presence"] for s in sides)}


def _safely(compute_value) -> tuple[float | None, str | None]:
    try:
        value = float(compute_value())
    except ValueError as e:
        return None, str(e)
    return value, None


def _worst_key(figures: Figures) -> tuple:
    value = figures.values.get("unitizing_alpha")
    return (value is None, value if value is not None else 0.0)


# --- in words --------------------------------------------------------------------------------

def verdict(alpha: float | None) -> str:
    """Krippendorff's (2004) guideline: >= .800 reliable, >= .667 tentative conclusions."""
    if alpha is None:
        return "undefined"
    if alpha >= 0.8:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "unreliable"


def reading(report: AgreementReport) -> list[str]:
    lines = [
        f"{len(report.documents)} document{'s' * (len(report.documents) != 1)}, "
        f"{report.characters:,} characters, annotators {', '.join(report.annotators)}"
        + (f"; character measures over the {report.characters_compared:,} characters "
           "someone labelled" if report.scope.labelled_only else "") + "."]
    for figures in [report.overall, *report.per_label]:
        name = "overall" if figures.label is None else figures.label
        alpha = figures.values.get("unitizing_alpha")
        if alpha is None:
            lines.append(f"unitizing alpha for {name} undefined "
                         f"({figures.why.get('unitizing_alpha', 'no spans')}).")
            continue
        kinds = figures.disagreements
        total = sum(kinds.values())
        if total == 0:
            about = "no disagreement at all"
        else:
            top = max(kinds, key=kinds.get)
            share = round(100 * kinds[top] / total)
            about = {
                "boundary": f"most disagreement ({share}%) is about span boundaries, "
                            "not labels",
                "label": f"most disagreement ({share}%) is about which label, not where",
                "presence": f"most disagreement ({share}%) is about whether to mark a "
                            "span at all",
            }[top]
        lines.append(f"unitizing alpha {alpha:.2f} for {name}: {verdict(alpha)}; {about}.")
    return lines
