"""A document read once for the recommenders: its words and sentences, each worked out
when first asked for and kept while the document is in hand."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property
from typing import Any

from .examples import Example
from .sentences import sentences
from .tokens import Words, words_of

# Only full stops: our annotators leave out "." but keep "?" and "!" (the sample reviews:
# "why cross the desert to reach it?"); a question mark is part of the complaint.
_ENDS = ".。"


class Reading:
    def __init__(self, document_id: int, text: str,
                 spans: tuple[tuple[str, int, int], ...] = ()) -> None:
        self.document_id = document_id
        self.text = text
        self.spans = spans
        self.features: Any = None  # the learned model's sentence vectors, while training

    @classmethod
    def of(cls, example: Example) -> Reading:
        return cls(example.document_id, example.text, example.spans)

    @cached_property
    def words(self) -> Words:
        return words_of(self.text)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentences(self.document_id, self.text)

    def words_within(self, start: int, end: int) -> tuple[int, int]:
        """Indexes [i, j) of the words lying wholly inside [start, end)."""
        w = self.words
        return bisect_left(w.starts, start), bisect_right(w.ends, end)

    def sentence_at(self, start: int, end: int) -> tuple[int, int] | None:
        """The proposal for the sentence holding [start, end): spans in our projects leave
        out the sentence's final full stop, so the proposal does too."""
        bounds = self.sentences
        i = bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        s, e = bounds[i]
        if start >= e:
            return None
        return proposal_bounds(self.text, s, max(e, min(end, len(self.text))))

    @cached_property
    def _starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def references(self, label: str) -> list[tuple[int, int]]:
        return [(s, e) for lab, s, e in self.spans if lab == label]


def proposal_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence as proposed: without its final full stop(s) and surrounding space."""
    while end > start and (text[end - 1] in _ENDS or text[end - 1].isspace()):
        end -= 1
    if end == start:  # nothing but punctuation: keep it whole
        return start, start + 1
    return start, end
