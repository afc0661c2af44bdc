"""A simulated annotator working through documents with suggestions: how many of the
reference spans the recommenders put one key press away.

    python benchmarks/suggest_sim.py            the planted corpus (300 documents) and the
                                                 sample reviews in seeds/

(Not `python -m benchmarks.suggest_sim`: pysbd installs a top-level package named
`benchmarks` into site-packages, which shadows this folder.)

Before each document, a Suggester trained on the documents done so far (retrained every
`retrain_every` documents) proposes. The annotator accepts a proposal matching a
reference span exactly (one key press), accepts a near one (overlap >= half the union)
and then fixes an edge, rejects the rest (one key press each), and selects the reference
spans still missing by hand.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from annotator.domain.suggestions import RECOMMENDERS  # noqa: E402
from annotator.recommenders import Example, Suggester  # noqa: E402
from annotator.recommenders.evaluation import match  # noqa: E402


def simulate(examples: Sequence[Example], labels: Sequence[str] | Mapping[str, str],
             cues: Mapping[str, Sequence[str]] | None = None, retrain_every: int = 10
             ) -> dict:
    labels = list(labels)
    suggester: Suggester | None = None
    totals = dict(references=0, one_key=0, accept_and_fix=0, by_hand=0, rejections=0,
                  proposals=0, trainings=0, training_seconds=0.0, proposing_seconds=0.0)
    for done, doc in enumerate(examples):
        if done >= 2 and done % retrain_every == 0:
            suggester = Suggester(labels, cues)
            t = time.perf_counter()
            suggester.train(examples[:done])
            totals["training_seconds"] += time.perf_counter() - t
            totals["trainings"] += 1
        proposals = []
        if suggester is not None:
            t = time.perf_counter()
            proposals = suggester.propose(doc.document_id, doc.text)
            totals["proposing_seconds"] += time.perf_counter() - t
        totals["references"] += len(doc.spans)
        totals["proposals"] += len(proposals)
        reached = 0
        for label in labels:
            mine = [(p.start, p.end) for p in proposals if p.label_uuid == label]
            refs = [(s, e) for lab, s, e in doc.spans if lab == label]
            pairs = match(mine, refs)
            exact = sum(mine[i] == refs[j] for i, j in pairs)
            totals["one_key"] += exact
            totals["accept_and_fix"] += len(pairs) - exact
            totals["rejections"] += len(mine) - len(pairs)
            reached += len(pairs)
        totals["by_hand"] += len(doc.spans) - reached
    return totals


def figures_table(suggester: Suggester, names: Mapping[str, str]) -> str:
    def f(x: float | None) -> str:
        return "   -" if x is None else f"{x:.2f}"

    rows = [f"{'recommender':<14}{'label':<11}{'spans':>6}{'TP':>6}{'FP':>6}{'FN':>6}"
            f"{'exact':>6}  {'P':>4}  {'R':>4}  {'F1':>4}  silent because"]
    for rec, by_label in suggester.figures.items():
        for label, fig in by_label.items():
            rows.append(
                f"{RECOMMENDERS[rec]:<14}{names[label]:<11}{fig.examples:>6}"
                f"{fig.true_positives:>6}{fig.false_positives:>6}{fig.false_negatives:>6}"
                f"{fig.exact:>6}  {f(fig.precision)}  {f(fig.recall)}  {f(fig.f1)}  "
                f"{suggester.reason(rec, label)}")
    return "\n".join(rows)


def samples(annotator: str = "mira") -> tuple[list[Example], dict[str, str]]:
    """The sample reviews with one annotator's spans, and their labels (uuid -> name:
    here the name stands in for the uuid)."""
    examples, names = [], {}
    lines = (ROOT / "seeds" / "sample-annotations.jsonl").read_text("utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        doc = json.loads(line)
        spans = tuple((a["label"], a["start"], a["end"]) for a in doc["annotations"]
                      if a["annotator"] == annotator)
        names.update({a["label"]: a["label"] for a in doc["annotations"]})
        examples.append(Example(n, doc["text"], spans))
    return examples, names


def report(title: str, examples: list[Example], names: dict[str, str],
           cues: Mapping[str, Sequence[str]] | None, retrain_every: int) -> None:
    print(f"== {title}: {len(examples)} documents, "
          f"{sum(len(e.spans) for e in examples)} spans")
    s = Suggester(list(names), cues)
    t = time.perf_counter()
    s.train(examples)
    print(f"training on all of them (5-fold figures): {time.perf_counter() - t:.2f} s")
    print(figures_table(s, names))
    result = simulate(examples, names, cues, retrain_every)
    refs = result["references"] or 1
    print(f"simulated annotator (retrained every {retrain_every} documents):")
    for key in ("one_key", "accept_and_fix", "by_hand"):
        print(f"  {key:<16}{result[key]:>6}  {result[key] / refs:6.1%}")
    print(f"  {'rejections':<16}{result['rejections']:>6}")
    print(f"  {result['references']} reference spans, {result['proposals']} proposals, "
          f"{result['trainings']} trainings in {result['training_seconds']:.1f} s, "
          f"proposing {result['proposing_seconds']:.1f} s")
    print()


if __name__ == "__main__":
    from suggest_corpus import planted_corpus, planted_cues

    examples, names = planted_corpus(300)
    report("planted corpus, with cues", examples, names, planted_cues(), 10)
    sample, sample_names = samples()
    report("sample reviews (mira's spans), no cues", sample, sample_names, None, 1)
