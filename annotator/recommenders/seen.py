"""The "seen before" recommender: text already labelled is proposed with the same label
wherever it occurs again (INCEpTION's string matcher).

Matches are whole words, each normalised (NFKC + casefold). The score of a text for a
label is the share of its occurrences in the annotated documents that carry that label:
a phrase labelled twice but left alone eight times scores 0.2. Counting the unlabelled
occurrences is the honest measure; "labelled L / labelled at all" would score it 1.0.
Texts scoring under FLOOR are not proposed at all. Texts under 3 characters, or made only
of stop words and punctuation, are never learned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from annotator.domain.suggestions import Proposal

from .phrases import Phrases
from .reading import Reading

# On the planted corpus any floor up to 0.5 gives the same figures (precision 0.93, recall
# 0.70; 0.7 loses recall), since its labelled sentences rarely recur unlabelled; 0.3 keeps
# out phrases labelled in fewer than a third of their occurrences, which real reviews have.
FLOOR = 0.3
_STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "der", "die", "das", "und", "ist", "ein", "eine", "nicht", "es", "zu", "den", "im",
    "le", "la", "les", "et", "un", "une", "est",
}


def _meaningless(phrase: tuple[str, ...]) -> bool:
    return all(w in _STOP or not any(c.isalnum() for c in w) for w in phrase)


class SeenBefore:
    name = "seen"

    def __init__(self, labels: Sequence[str], floor: float = FLOOR) -> None:
        self.labels = frozenset(labels)
        self.floor = floor
        self._phrases: Phrases[tuple[str, float, str, str]] = Phrases()

    def silence(self, label: str) -> str:
        return ""

    def fit(self, readings: Sequence[Reading]) -> None:
        labelled: dict[tuple[str, ...], Counter[str]] = {}
        shown: dict[tuple[str, ...], str] = {}
        # what the spans held after their last word ("?", "?? 🤔"): proposed again where
        # the same follows, so a question is proposed with its question mark
        tails: dict[tuple[str, ...], Counter[str]] = {}
        for r in readings:
            for label, s, e in r.spans:
                if label not in self.labels:
                    continue
                i, j = r.words_within(s, e)
                if j <= i:
                    continue
                w = r.words
                text = r.text[w.starts[i]:w.ends[j - 1]]
                phrase = Phrases.of(w, i, j)
                if len(text) < 3 or _meaningless(phrase):
                    continue
                labelled.setdefault(phrase, Counter())[label] += 1
                shown.setdefault(phrase, text)
                tails.setdefault(phrase, Counter())[r.text[w.ends[j - 1]:e]] += 1
        known: Phrases[tuple[str, ...]] = Phrases()
        for phrase in labelled:
            known.add(phrase, phrase)
        occurrences: Counter[tuple[str, ...]] = Counter()
        if known:
            for r in readings:
                occurrences.update(p for _, _, p in known.find(r.words))
        self._phrases = Phrases()
        for phrase, counts in labelled.items():
            total = max(occurrences[phrase], sum(counts.values()))
            text = shown[phrase]
            tail = tails[phrase].most_common(1)[0][0]
            why = f"labelled before: “{text if len(text) <= 40 else text[:39] + '…'}”"
            for label, c in counts.items():
                score = c / total
                if score >= self.floor:
                    self._phrases.add(phrase, (label, score, why, tail))

    def propose(self, reading: Reading) -> list[Proposal]:
        if not self._phrases:
            return []
        text = reading.text
        return [Proposal(reading.document_id, label, s,
                         e + len(tail) if tail and text.startswith(tail, e) else e,
                         score, self.name, why)
                for s, e, (label, score, why, tail) in self._phrases.find(reading.words)]
