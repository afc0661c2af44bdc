"""The "cue list" recommender: lines a project lead writes per label ("turns out",
"makes no sense", "re:dies? (in|at) the end"); where one is found, the sentence holding it
is proposed.

Decision: a cue proposes the whole sentence around the match, not the matched words,
because the labels are sentence-sized judgements ("turns out" marks a spoiler; the spoiler
is what follows it). The sentence is proposed without its final full stop, as our
annotators mark it.

A plain line matches whole words, case-folded and normalised like "seen before". A line
starting with "re:" is a regular expression (the regex module, case-insensitive), run with
a time limit per document so a catastrophic pattern cannot freeze the app. Blank lines and
lines starting with "#" are ignored. A pattern that does not compile, or that runs out of
time on an annotated document, silences the label with a reason naming it; it never
raises.

Each cue's score is its own precision on the annotated documents it was fitted on (0.5
when it never fired there). Cues learn nothing else, but are cross-validated like the
others: their precision is measured on the training folds, their proposals scored on the
held-out ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from annotator.domain.suggestions import Proposal

from .evaluation import Tally
from .phrases import Phrases
from .reading import Reading
from .tokens import words_of

UNMEASURED = 0.5


def time_limit(text: str) -> float:
    """Seconds a pattern may take on one document: generous per megabyte, but bounded."""
    return 0.25 + len(text) / 1_000_000


@dataclass(slots=True)
class Cue:
    label: str
    line: str
    pattern: Any = None  # a compiled regex for "re:" lines
    score: float = UNMEASURED


def _short(line: str) -> str:
    return line if len(line) <= 40 else line[:39] + "…"


class CueList:
    name = "cues"

    def __init__(self, labels: Sequence[str], cues: Mapping[str, Sequence[str]] | None
                 ) -> None:
        self.labels = list(labels)
        self.cues: list[Cue] = []
        self.problems: dict[str, str] = {}
        self._phrases: Phrases[int] = Phrases()
        for label in self.labels:
            for raw in (cues or {}).get(label, ()):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                cue = Cue(label, line)
                if line.startswith("re:"):
                    try:
                        cue.pattern = regex.compile(line[3:].strip(),
                                                    regex.IGNORECASE | regex.V0)
                    except Exception as err:  # regex.error, and a few odd ValueErrors
                        self.problems.setdefault(
                            label, f"cue “{_short(line)}” is not a valid regular "
                                   f"expression ({err})")
                        continue
                else:
                    phrase = tuple(words_of(line).normal)
                    if not phrase:
                        continue
                    self._phrases.add(phrase, len(self.cues))
                self.cues.append(cue)

    def silence(self, label: str) -> str:
        if label in self.problems:
            return self.problems[label]
        if not any(c.label == label for c in self.cues):
            return "no cues written"
        return ""

    def _hits(self, reading: Reading, learning: bool) -> dict[int, set[tuple[int, int]]]:
        """Sentences each cue fires on, by cue index."""
        hits: dict[int, set[tuple[int, int]]] = {}

        def add(k: int, s: int, e: int) -> None:
            where = reading.sentence_at(s, e)
            if where is not None:
                hits.setdefault(k, set()).add(where)

        if self._phrases:
            for s, e, k in self._phrases.find(reading.words):
                add(k, s, e)
        for k, cue in enumerate(self.cues):
            if cue.pattern is None or cue.label in self.problems:
                continue
            try:
                for m in cue.pattern.finditer(reading.text, timeout=time_limit(reading.text)):
                    if m.end() > m.start():
                        add(k, m.start(), m.end())
            except TimeoutError:
                if learning:
                    self.problems.setdefault(
                        cue.label, f"cue “{_short(cue.line)}” takes too long (over "
                                   f"{time_limit(reading.text):.2f} s on one document)")
        return hits

    def fit(self, readings: Sequence[Reading]) -> None:
        tallies = [Tally() for _ in self.cues]
        for r in readings:
            for k, places in self._hits(r, learning=True).items():
                tallies[k].add(list(places), r.references(self.cues[k].label))
        for cue, t in zip(self.cues, tallies, strict=True):
            n = t.true_positives + t.false_positives
            cue.score = t.true_positives / n if n else UNMEASURED

    def propose(self, reading: Reading) -> list[Proposal]:
        best: dict[tuple[str, int, int], Proposal] = {}
        for k, places in self._hits(reading, learning=False).items():
            cue = self.cues[k]
            for s, e in places:
                key = (cue.label, s, e)
                if key not in best or best[key].score < cue.score:
                    best[key] = Proposal(reading.document_id, cue.label, s, e, cue.score,
                                         self.name, f"cue: {_short(cue.line)}")
        return list(best.values())
