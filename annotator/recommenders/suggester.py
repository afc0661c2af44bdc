"""The Suggester: trains the chosen recommenders on annotated documents, measures each
one per label by cross-validation, and proposes spans only where the measure is good.

Training builds everything aside and only then replaces what the Suggester knew, so a
cancelled training (recommenders.Cancelled is raised, between documents or folds) leaves
it as it was: untrained, or trained on the previous examples. A trained Suggester holds
no reference to threads, jobs or documents: it can be used from any thread and pickled.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Protocol

from annotator.domain.suggestions import RECOMMENDERS, LabelFigures, Proposal

from .cues import CueList
from .evaluation import Tally
from .examples import Cancelled, Example, Progress
from .learned import LearnedModel, prepare
from .reading import Reading
from .seen import SeenBefore


class Recommender(Protocol):
    name: str

    def fit(self, readings: Sequence[Reading]) -> None: ...

    def silence(self, label: str) -> str: ...

    def propose(self, reading: Reading) -> list[Proposal]: ...


class Suggester:
    def __init__(self, labels: Sequence[str],
                 cues: Mapping[str, Sequence[str]] | None = None,
                 recommenders: Sequence[str] = ("seen", "cues", "learned"),
                 min_precision: float = 0.5, folds: int = 5, seed: int = 0) -> None:
        unknown = [r for r in recommenders if r not in RECOMMENDERS]
        if unknown:
            raise ValueError(f"unknown recommender {unknown[0]!r}: "
                             f"choose from {', '.join(RECOMMENDERS)}")
        self.labels = list(dict.fromkeys(labels))
        self.cues = {k: list(v) for k, v in (cues or {}).items()}
        self.recommenders = [r for r in RECOMMENDERS if r in recommenders]
        self.min_precision = min_precision
        self.folds = folds
        self.seed = seed
        self.figures: dict[str, dict[str, LabelFigures]] = {}
        self._fitted: dict[str, Recommender] = {}

    def _make(self, name: str) -> Recommender:
        if name == "seen":
            return SeenBefore(self.labels)
        if name == "cues":
            return CueList(self.labels, self.cues)
        return LearnedModel(self.labels, self.seed)

    @property
    def trained(self) -> bool:
        return bool(self._fitted)

    def train(self, examples: Sequence[Example], job: Progress | None = None) -> None:
        """Fit every chosen recommender on all examples, and measure each by k-fold
        cross-validation by document. Raises Cancelled if the job is cancelled."""
        by_document: dict[int, list[Example]] = {}
        for ex in examples:
            by_document.setdefault(ex.document_id, []).append(ex)
        readings = [Reading(i, exs[0].text, tuple(s for ex in exs for s in ex.spans))
                    for i, exs in sorted(by_document.items())]
        k = min(self.folds, len(readings))
        steps = len(readings) + k + 1
        done = 0

        def step(text: str, by: int = 1) -> None:
            nonlocal done
            if job is not None:
                if job.cancelled():
                    raise Cancelled()
                done += by
                job.progress(done, steps, text)

        # Reading every document first (sentences are the slow part) makes the folds cheap
        for n, r in enumerate(readings, 1):
            if "cues" in self.recommenders or "learned" in self.recommenders:
                _ = r.sentences
            if n % 25 == 0 or n == len(readings):
                step("reading the annotated documents", 25 if n % 25 == 0 else n % 25)

        if "learned" in self.recommenders:  # vectors of every sentence once, in one batch
            prepare(readings)
        tallies = {name: {lab: Tally() for lab in self.labels} for name in self.recommenders}
        if k >= 2:
            order = [r.document_id for r in readings]
            random.Random(self.seed).shuffle(order)
            fold_of = {doc: i % k for i, doc in enumerate(order)}
            for fold in range(k):
                train = [r for r in readings if fold_of[r.document_id] != fold]
                held_out = [r for r in readings if fold_of[r.document_id] == fold]
                for name in self.recommenders:
                    rec = self._make(name)
                    rec.fit(train)
                    for r in held_out:
                        proposed: dict[str, list[tuple[int, int]]] = {}
                        for p in rec.propose(r):
                            proposed.setdefault(p.label_uuid, []).append((p.start, p.end))
                        for lab in self.labels:
                            tallies[name][lab].add(proposed.get(lab, []), r.references(lab))
                step(f"measuring on fold {fold + 1} of {k}")

        fitted: dict[str, Recommender] = {}
        for name in self.recommenders:
            fitted[name] = self._make(name)
            fitted[name].fit(readings)
        step("learning from all documents")

        examples_of = {lab: 0 for lab in self.labels}
        for r in readings:
            for lab, _, _ in r.spans:
                if lab in examples_of:
                    examples_of[lab] += 1
        figures: dict[str, dict[str, LabelFigures]] = {}
        for name in self.recommenders:
            figures[name] = {}
            for lab in self.labels:
                t = tallies[name][lab]
                why = ("no examples of this label yet" if not examples_of[lab]
                       else fitted[name].silence(lab))
                if not why and k < 2:
                    why = "needs at least 2 annotated documents to be measured"
                figures[name][lab] = LabelFigures(
                    lab, t.true_positives, t.false_positives, t.false_negatives, t.exact,
                    examples_of[lab], why)
        for r in readings:
            r.features = None
        self.figures, self._fitted = figures, fitted

    def reason(self, recommender: str, label_uuid: str) -> str:
        """"" if this recommender may suggest this label; otherwise why it stays silent."""
        if recommender not in self.recommenders:
            return "switched off (tick it in the Suggestions panel, then train)"
        if not self._fitted:
            return "not trained yet"
        f = self.figures[recommender].get(label_uuid)
        if f is None:
            return "not trained yet"
        if f.reason:
            return f.reason
        p = f.precision
        if p is None:
            return "made no proposals in cross-validation"
        if p < self.min_precision:
            return f"precision {p:.2f} is below the threshold {self.min_precision:.2f}"
        return ""

    def propose(self, document_id: int, text: str) -> list[Proposal]:
        """What the recommenders allowed to speak propose for this text; one proposal per
        label and place (the best scored), sorted by (start, end)."""
        reading = Reading(document_id, text)
        best: dict[tuple[str, int, int], Proposal] = {}
        for name, rec in self._fitted.items():
            if all(self.reason(name, lab) for lab in self.labels):
                continue
            for p in rec.propose(reading):
                if self.reason(name, p.label_uuid):
                    continue
                key = (p.label_uuid, p.start, p.end)
                if key not in best or best[key].score < p.score:
                    best[key] = p
        return sorted(best.values(), key=lambda p: (p.start, p.end, p.label_uuid))
