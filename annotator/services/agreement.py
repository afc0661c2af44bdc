"""Agreement between annotators on the store's spans (statistics live in annotator.agreement)."""

from __future__ import annotations

from itertools import combinations

from annotator.agreement import cohen_kappa
from annotator.domain.model import Span
from annotator.store.repository import Store

NONE = "(none)"


def _char_labels(length: int, spans: list[Span], labels: dict[str, str]) -> list[frozenset]:
    cover: list[set[str]] = [set() for _ in range(length)]
    for s in spans:
        for i in range(s.start, s.end):
            cover[i].add(labels[s.label_uuid])
    return [frozenset(c) for c in cover]


def _kappa(a: list, b: list) -> dict:
    try:
        return {"kappa": round(cohen_kappa(a, b), 4)}
    except ValueError as e:
        return {"kappa": None, "why": str(e)}


def pairwise_kappa(store: Store, annotator_names: list[str] | None = None) -> dict:
    """Character-level Cohen's kappa, per label and overall, for every pair of annotators,
    over the documents both of them touched (have spans or a status other than new)."""
    everyone = store.annotators()
    if annotator_names:
        by_name = {a.name: a for a in everyone}
        missing = [n for n in annotator_names if n not in by_name]
        if missing:
            raise ValueError(f"no annotator named {', '.join(missing)}; known: "
                             f"{', '.join(sorted(by_name)) or 'none'}")
        chosen = [by_name[n] for n in annotator_names]
    else:
        chosen = everyone
    labels = {label.uuid: label.name for label in store.labels()}
    label_names = list(labels.values())
    touched = {a.uuid: store.documents_touched(a.uuid) for a in chosen}
    pairs = []
    for a, b in combinations(chosen, 2):
        shared = sorted(touched[a.uuid] & touched[b.uuid])
        seq_a: list[frozenset] = []
        seq_b: list[frozenset] = []
        counts = {label: {a.name: 0, b.name: 0} for label in label_names}
        for doc_id in shared:
            length = len(store.document(doc_id).text)
            spans_a = store.spans(doc_id, a.uuid)
            spans_b = store.spans(doc_id, b.uuid)
            for who, spans in ((a.name, spans_a), (b.name, spans_b)):
                for s in spans:
                    counts[labels[s.label_uuid]][who] += 1
            seq_a += _char_labels(length, spans_a, labels)
            seq_b += _char_labels(length, spans_b, labels)
        pair = {"annotators": [a.name, b.name], "documents": len(shared),
                "characters": len(seq_a)}
        if shared:
            pair["overall"] = _kappa(["+".join(sorted(c)) or NONE for c in seq_a],
                                     ["+".join(sorted(c)) or NONE for c in seq_b])
        else:
            pair["overall"] = {"kappa": None, "why": "no document touched by both"}
        pair["labels"] = {}
        for label in label_names:
            entry = ({"kappa": None, "why": "no document touched by both"} if not shared
                     else _kappa([label in c for c in seq_a], [label in c for c in seq_b]))
            entry["spans"] = counts[label]
            pair["labels"][label] = entry
        pairs.append(pair)
    return {
        "measure": "Cohen's kappa",
        "unit": "character",
        "scope": "per pair: documents both annotators touched (spans, or status beyond new)",
        "overall_categories": "the set of labels covering each character ('(none)' if none)",
        "annotators": [a.name for a in chosen],
        "labels": label_names,
        "pairs": pairs,
    }
