"""Suggestions for one annotator: what the recommenders may learn from (blind annotation
honoured), training them, and their proposals kept off places already decided."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from annotator.domain.model import Label, now_iso
from annotator.domain.stretches import Disjoint, Stretches
from annotator.domain.suggestions import RECOMMENDERS, LabelFigures, Proposal, SpanSuggestion
from annotator.store.database import Store

if TYPE_CHECKING:  # scikit-learn loads when something is trained, not with the window
    from annotator.recommenders.examples import Example, Progress
    from annotator.recommenders.suggester import Suggester

DEFAULT_MIN_PRECISION = 0.5


@dataclass
class Training:
    """A trained suggester, and what it learned from: for the panel and the CLI."""

    suggester: Suggester
    annotator_uuid: str  # whom it suggests to
    blind: bool  # learned from that annotator's spans only
    documents: int
    spans: int
    seconds: float
    labels: list[Label] = field(default_factory=list)
    trained: str = field(default_factory=now_iso)

    @property
    def recommenders(self) -> tuple[str, ...]:
        return tuple(r for r in RECOMMENDERS if r in self.suggester.figures)

    def figures(self, recommender: str, label_uuid: str) -> LabelFigures:
        return self.suggester.figures.get(recommender, {}).get(
            label_uuid, LabelFigures(label_uuid, reason="not trained"))

    def reason(self, recommender: str, label_uuid: str) -> str:
        return self.suggester.reason(recommender, label_uuid)


def examples(store: Store, annotator_uuid: str, blind: bool) -> list[Example]:
    """The documents to learn from, with their spans: in blind annotation only this
    annotator's own (nobody may see a colleague's decisions through a suggestion); else
    everyone's, gold's included, each place and label once."""
    from annotator.recommenders.examples import Example

    spans, texts = store.suggestions.learning_material(annotator_uuid if blind else None)
    return [Example(doc_id, texts[doc_id], tuple(sorted(spans[doc_id])))
            for doc_id in sorted(spans) if doc_id in texts]


def train(store: Store, annotator_uuid: str, blind: bool,
          recommenders: Sequence[str] = tuple(RECOMMENDERS),
          min_precision: float = DEFAULT_MIN_PRECISION, job: Progress | None = None,
          elsewhere: bool = False) -> Training:
    """Fit and cross-validate the recommenders on the annotations so far; `elsewhere`, in
    the worker process (the window's way: its frames never wait for the training)."""
    from annotator.recommenders.elsewhere import train_elsewhere
    from annotator.recommenders.suggester import Suggester

    began = time.perf_counter()
    labels = store.labels.all()
    learned_from = examples(store, annotator_uuid, blind)
    suggester = Suggester([lb.uuid for lb in labels],
                          {lb.uuid: lb.cue_lines for lb in labels if lb.cue_lines},
                          recommenders=[r for r in RECOMMENDERS if r in recommenders],
                          min_precision=min_precision)
    if elsewhere:
        suggester = train_elsewhere(suggester, learned_from, job)
    else:
        suggester.train(learned_from, job)
    return Training(suggester, annotator_uuid, blind, len(learned_from),
                    sum(len(e.spans) for e in learned_from), time.perf_counter() - began,
                    labels)


def proposals(store: Store, training: Training, doc_id: int, text: str | None = None
              ) -> list[Proposal]:
    """What the trained recommenders propose in one document, less what the annotator has
    already marked (a span of that label overlapping it), and, where proposals of one label
    overlap, only the surest."""
    if text is None:
        text = store.documents.text(doc_id)
        if text is None:
            return []
    unmarked = not_marked(store, doc_id, training.annotator_uuid,
                          training.suggester.propose(doc_id, text))
    kept = surest_apart(unmarked)
    return sorted(kept, key=lambda p: (p.start, p.end, p.label_uuid))


P = TypeVar("P", Proposal, SpanSuggestion)


def not_marked(store: Store, doc_id: int, annotator_uuid: str, found: Iterable[P]) -> list[P]:
    """Those of `found` (proposals or suggestions in one document) at no place where the
    annotator has a span of their label."""
    places: dict[str, list[tuple[int, int]]] = {}
    for span in store.spans.of_document(doc_id, annotator_uuid):
        places.setdefault(span.label_uuid, []).append((span.start, span.end))
    mine = {label: Stretches(taken) for label, taken in places.items()}
    return [p for p in found
            if p.label_uuid not in mine or not mine[p.label_uuid].overlaps(p.start, p.end)]


def surest_apart(found: Iterable[P]) -> list[P]:
    """Of proposals or suggestions of one label that overlap, only the surest."""
    kept: list[P] = []
    taken: dict[str, Disjoint] = {}
    for p in sorted(found, key=lambda p: (-p.score, p.start, p.end)):
        if taken.setdefault(p.label_uuid, Disjoint()).take(p.start, p.end):
            kept.append(p)
    return kept


def suggest(store: Store, training: Training, doc_ids: Iterable[int],
            job: Progress | None = None) -> int:
    """Propose in these documents and keep the proposals as the annotator's open
    suggestions there (places accepted or rejected before are not proposed again); one
    transaction per hundred documents. Returns how many are open now."""
    ids = list(doc_ids)
    total = 0
    for i in range(0, len(ids), 100):
        if job is not None:
            if job.cancelled():
                break
            job.progress(i, len(ids), "suggesting")
        chunk = ids[i:i + 100]
        found = [p for doc_id in chunk for p in proposals(store, training, doc_id)]
        with store.transaction():
            total += store.suggestions.propose(training.annotator_uuid, chunk, found)
    return total


def figures(training: Training) -> list[dict]:
    """Every recommender's cross-validated figures per label, and whether it may suggest
    that label (and if not, why): for `suggest --evaluate`, its JSON, and the panel."""
    rows = []
    for recommender in training.recommenders:
        for label in training.labels:
            f = training.figures(recommender, label.uuid)
            why = training.reason(recommender, label.uuid)
            rows.append({
                "recommender": recommender, "label": label.name, "label_uuid": label.uuid,
                "examples": f.examples, "precision": f.precision, "recall": f.recall,
                "f1": f.f1, "true_positives": f.true_positives,
                "false_positives": f.false_positives, "false_negatives": f.false_negatives,
                "exact": f.exact, "suggests": not why, "why_silent": why or None})
    return rows
