"""Suggestions: spans a recommender proposes to one annotator, which never count as
annotations until that annotator accepts them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SuggestionStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # remembered: never suggested again at that place


# The recommenders, by the name the CLI and the store use, with the name shown to people.
RECOMMENDERS: dict[str, str] = {
    "seen": "seen before",
    "cues": "cue list",
    "learned": "learned model",
}


@dataclass(frozen=True, slots=True)
class Proposal:
    """What a recommender proposes: label [start, end) of a document (code points, end
    exclusive), with a score in [0, 1] (how sure it is)."""

    document_id: int
    label_uuid: str
    start: int
    end: int
    score: float
    recommender: str
    why: str = ""  # a few words for the tooltip: the cue that fired, the text seen before


@dataclass(frozen=True, slots=True)
class SpanSuggestion:
    """A stored proposal for one annotator, and what became of it."""

    id: int
    document_id: int
    annotator_uuid: str  # whom it is suggested to
    recommender: str
    label_uuid: str
    start: int
    end: int
    score: float
    status: SuggestionStatus = SuggestionStatus.OPEN
    why: str = ""
    created: str = ""
    decided_by: str | None = None  # the person who accepted or rejected it
    decided: str | None = None  # when
    span_uuid: str | None = None  # the span an accepted suggestion became

    @property
    def place(self) -> tuple[int, str, int, int]:
        """Where it is and what it says: a rejection is remembered by this."""
        return (self.document_id, self.label_uuid, self.start, self.end)


@dataclass(frozen=True, slots=True)
class LabelFigures:
    """How one recommender did on one label, cross-validated by document on the current
    annotations: proposals matched to reference spans (same label, overlapping by at
    least half of their union), each reference span matched at most once."""

    label_uuid: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    exact: int = 0  # matched proposals with exactly the reference's offsets
    examples: int = 0  # reference spans of this label it could learn from
    reason: str = ""  # why it cannot say anything for this label (no examples...), or ""

    @property
    def precision(self) -> float | None:
        n = self.true_positives + self.false_positives
        return self.true_positives / n if n else None

    @property
    def recall(self) -> float | None:
        n = self.true_positives + self.false_negatives
        return self.true_positives / n if n else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)
