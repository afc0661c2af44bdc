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

from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.agreement import measures
from annotator.agreement.documents import DocumentMeasures, every_measure_by_document
from annotator.agreement.spans import (
    KINDS,
    Characters,
    Continuum,
    Measurement,
    characters,
    disagreement_split,
    every_measure,
    label_mask,
    labelled,
    span_counts,
)
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Annotator
from annotator.domain.names import find_names
from annotator.store.database import Store

MEASURES = tuple(m.key for m in measures.MEASURES)  # in the order they are shown
MEASURE_NAMES = {m.key: m.name for m in measures.MEASURES}


@dataclass(frozen=True)
class Suggestion:
    """A scope near the one asked for that does give figures."""

    annotators: tuple[str, ...]
    documents: str  # "done" or "all"
    shared: int  # documents it compares

    def as_options(self) -> str:
        """As the command line takes it."""
        return f"--annotators {','.join(self.annotators)} --docs {self.documents}"


class ScopeError(AnnotatorError, ValueError):
    """A scope that cannot be compared. `reason` says why; `suggestion`, when there is one,
    a scope that gives a result; str() names it as command-line options."""

    def __init__(self, reason: str, suggestion: Suggestion | None = None) -> None:
        self.reason, self.suggestion = reason, suggestion
        hint = ""
        if suggestion is not None:
            hint = (f"; for a result ({_documents(suggestion.shared)}): "
                    f"{suggestion.as_options()}")
        super().__init__(reason + hint)


def _documents(n: int) -> str:
    return f"{n:,} document{'s' * (n != 1)}"


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
    """Who is compared when nobody is named: the largest group of annotators (two or more)
    that share documents in scope ("done": all marked them done; "all": all touched them),
    built from the pair sharing the most. Never gold. Fewer than two when no two share."""
    candidates = [a for a in store.annotators.all() if not a.is_gold]  # gold: by name only
    group, _ = _best_group(store, candidates, documents)
    if len(group) >= 2:
        return group
    at_work = (store.annotators.with_done() if documents == "done"
               else store.annotators.at_work())
    return [a for a in candidates if a.uuid in at_work]


def _document_sets(store: Store, annotators: list[Annotator], documents: str
                   ) -> dict[str, set[int]]:
    if documents == "done":
        return {a.uuid: store.statuses.done_by(a.uuid) for a in annotators}
    return {a.uuid: store.statuses.touched_by(a.uuid) for a in annotators}


def _best_group(store: Store, annotators: list[Annotator], documents: str
                ) -> tuple[list[Annotator], int]:
    """The pair of annotators sharing the most documents, joined by each other annotator
    who shares some with all of them (most first); and how many they all share."""
    sets = _document_sets(store, annotators, documents)
    working = [a for a in annotators if sets[a.uuid]]
    best: tuple[int, int, int] | None = None  # (shared, i, j)
    for i in range(len(working)):
        for j in range(i + 1, len(working)):
            shared = len(sets[working[i].uuid] & sets[working[j].uuid])
            if shared and (best is None or shared > best[0]):
                best = (shared, i, j)
    if best is None:
        return [], 0
    group = [working[best[1]], working[best[2]]]
    common = sets[group[0].uuid] & sets[group[1].uuid]
    rest = [a for a in working if a not in group]
    while rest:
        joined = max(rest, key=lambda a: len(common & sets[a.uuid]))
        if not common & sets[joined.uuid]:
            break
        common &= sets[joined.uuid]
        group.append(joined)
        rest.remove(joined)
    order = {a.uuid: i for i, a in enumerate(annotators)}
    return sorted(group, key=lambda a: order[a.uuid]), len(common)


def suggest(store: Store, chosen: list[Annotator], documents: str) -> Suggestion | None:
    """A scope that gives figures: among the chosen annotators first, then among everyone,
    in the same kind of documents, then in touched documents."""
    everyone = [a for a in store.annotators.all() if not a.is_gold]
    for pool, kind in ((chosen, documents), (everyone, documents), (chosen, "all"),
                       (everyone, "all")):
        group, shared = _best_group(store, pool, kind)
        if len(group) >= 2:
            return Suggestion(tuple(a.name for a in group), kind, shared)
    return None


def resolve(store: Store, scope: Scope) -> tuple[list[Annotator], list[tuple[str, str]],
                                                 list[int]]:
    """(annotators, (label uuid, name) pairs, document ids) for a scope; ScopeError when
    it cannot be compared, with a scope that can when there is one."""
    everyone = {a.name: a for a in store.annotators.all()}
    if scope.documents not in ("done", "all"):
        raise ScopeError(f"documents are 'done' or 'all', not {scope.documents!r}")
    if scope.annotators:
        missing = [n for n in scope.annotators if n not in everyone]
        if missing:
            raise ScopeError(f"no annotator named {', '.join(missing)}; known: "
                             f"{', '.join(sorted(everyone)) or 'none'}")
        chosen = [everyone[n] for n in dict.fromkeys(scope.annotators)]
    else:
        chosen = default_annotators(store, scope.documents)
    if len(chosen) < 2:
        if scope.annotators:
            reason = ("agreement needs at least two annotators; "
                      f"{'only ' + chosen[0].name if chosen else 'none'} in scope")
        else:
            reason = ("no two annotators have both marked a document done"
                      if scope.documents == "done" else
                      "no two annotators have both worked on a document")
        raise ScopeError(reason, suggest(store, chosen, scope.documents))
    labels = [(lb.uuid, lb.name) for lb in store.labels.all()]
    if scope.labels:  # as the tools name them: exactly; or alike in case, if only one is
        names = [name for _, name in labels]
        found, missing, ambiguous = find_names(list(scope.labels), names)
        for wanted, same in ambiguous.items():
            raise ScopeError(f"no label is named {wanted}, and several differ from it only "
                             f"in case or spacing: {', '.join(same)}")
        if missing:
            raise ScopeError(f"no label named {', '.join(missing)}; known: {', '.join(names)}")
        uuid_of = {name: uuid for uuid, name in labels}
        labels = [(uuid_of[name], name) for name in found]
    if len(labels) > 63:
        raise ScopeError(f"compare at most 63 labels at once (the scope has {len(labels)})")
    sets = _document_sets(store, chosen, scope.documents)
    documents: list[int] = sorted(set.intersection(*sets.values())) if sets else []
    if not documents:
        which = "marked done by" if scope.documents == "done" else "touched by"
        raise ScopeError(f"no document is {which} all of {', '.join(a.name for a in chosen)}",
                         suggest(store, chosen, scope.documents))
    return chosen, labels, documents


# --- computing -------------------------------------------------------------------------------

class Stopped(AnnotatorError):
    """The computation was asked to stop (its window closed, the app quit)."""


def compute(store: Store, scope: Scope = Scope(),
            cancelled: Callable[[], bool] | None = None) -> AgreementReport:
    """Every figure for the scope; `cancelled()` is asked between its stages (Stopped)."""

    def stop_if_asked() -> None:
        if cancelled is not None and cancelled():
            raise Stopped("the agreement computation was stopped")

    chosen, labels, documents = resolve(store, scope)
    names = [a.name for a in chosen]
    label_names = [name for _, name in labels]
    index_of = {uuid: i for i, (uuid, _) in enumerate(labels)}
    lengths = store.documents.lengths(documents)
    titles = store.documents.titles(documents)
    name_of = {a.uuid: a.name for a in chosen}
    spans = [(name_of[who], doc_id, index_of[label], start, end)
             for who, doc_id, label, start, end in store.spans.extents(list(name_of), documents)
             if label in index_of]
    continuum = Continuum.build(names, label_names, {d: lengths[d] for d in documents}, spans)
    stop_if_asked()
    masks = [label_mask(continuum, n) for n in names]  # label bits per character, by name
    keep = labelled(masks, continuum.length) if scope.labelled_only else None
    # The characters the character measures compare, each distinct column counted once.
    compared = characters(masks if keep is None else [m[keep] for m in masks])
    overall = _label_figures(continuum, compared, None)
    per_label = [_label_figures(continuum, compared, i) for i in range(len(label_names))]
    stop_if_asked()
    # Each document is a stretch of the continuum: all of them are measured at once.
    per_document = [
        DocumentFigures(doc_id, titles.get(doc_id, ""), lengths[doc_id],
                        _document_figures(measured))
        for doc_id, measured in zip(
            documents, every_measure_by_document(continuum, compared, keep), strict=True)]
    per_document.sort(key=lambda d: _worst_key(d.overall))
    report = AgreementReport(scope, names, label_names, documents, continuum.length,
                             int(compared.counts.sum()), overall, per_label, per_document, [])
    report.reading = reading(report)
    return report


def _label_figures(continuum: Continuum, compared: Characters, label: int | None) -> Figures:
    figures = _measured(Figures(None if label is None else continuum.labels[label]),
                        every_measure(continuum, compared, label))
    figures.spans = span_counts(continuum, label)
    figures.disagreements = disagreement_split(continuum, label)
    return figures


def _document_figures(measured: DocumentMeasures) -> Figures:
    """A document's own figures: without the pairwise alpha and unitizing alpha and the
    disagreement split, which only the whole scope shows."""
    figures = _measured(Figures(None), measured.measures)
    figures.spans = measured.spans
    figures.disagreements = dict.fromkeys(KINDS, 0)
    return figures


def _measured(figures: Figures, measured: dict[str, Measurement]) -> Figures:
    for measure in MEASURES:
        result = measured[measure]
        figures.values[measure] = result.value
        if result.why:
            figures.why[measure] = result.why
        if result.pairs is not None:
            figures.pairs[measure] = result.pairs
    return figures


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
            top = max(kinds, key=kinds.__getitem__)
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
