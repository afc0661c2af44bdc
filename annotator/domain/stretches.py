"""Does a stretch of text overlap others already there? Asked once per suggestion, which a
10 MB review has tens of thousands of: by bisection, never by walking every one."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class Stretches:
    """A fixed set of [start, end) stretches, overlapping one another or not."""

    def __init__(self, places: Iterable[tuple[int, int]] = ()) -> None:
        ordered = sorted(places)
        self.starts = [start for start, _ in ordered]
        self.reach = list(accumulate((end for _, end in ordered), max))  # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end) - 1  # the last one starting before `end`
        return i >= 0 and self.reach[i] > start


class Disjoint:
    """Stretches taken one by one, none overlapping another: `take` says whether it could."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def take(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        if (i > 0 and self.ends[i - 1] > start) or (i < len(self.starts)
                                                     and self.starts[i] < end):
            return False
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True
