"""Scoring proposals against reference spans: each reference matched at most once, to the
proposal overlapping it by at least half of their union (greedy, best overlap first)."""

from __future__ import annotations

from dataclasses import dataclass


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Characters shared / characters covered by either (IoU)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def match(proposed: list[tuple[int, int]], references: list[tuple[int, int]]
          ) -> list[tuple[int, int]]:
    """Pairs (proposal index, reference index) matched, each at most once."""
    pairs = []
    for i, p in enumerate(proposed):
        for j, r in enumerate(references):
            iou = overlap(p, r)
            if iou >= 0.5:
                pairs.append((iou, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_r: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_r:
            used_p.add(i)
            used_r.add(j)
            out.append((i, j))
    return out


@dataclass(slots=True)
class Tally:
    """Counts for one recommender and label, summed over documents and folds."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    exact: int = 0

    def add(self, proposed: list[tuple[int, int]], references: list[tuple[int, int]]) -> None:
        proposed = sorted(set(proposed))
        pairs = match(proposed, references)
        self.true_positives += len(pairs)
        self.false_positives += len(proposed) - len(pairs)
        self.false_negatives += len(references) - len(pairs)
        self.exact += sum(proposed[i] == references[j] for i, j in pairs)
