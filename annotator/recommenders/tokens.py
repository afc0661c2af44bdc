"""The words of a text, each normalised on its own (NFKC + casefold), with exact offsets.

Normalising word by word keeps offsets honest when case folding changes a word's length
(Straße -> strasse): a match found on the normalised words is reported with the original
words' offsets. The word rules follow annotator.domain.words: apostrophes and hyphens inside
a word, and Chinese/Japanese characters and emoji each a word of their own.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass

import regex

_SOLO = r"\p{Han}\p{Hiragana}\p{Katakana}\p{So}"
_LETTER = rf"[\p{{L}}\p{{N}}\p{{M}}--[{_SOLO}]]"
_WORD = regex.compile(rf"[{_SOLO}]|{_LETTER}+(?:['’-]{_LETTER}+)*", regex.V1)

# The normalised form of each word seen, shared by every text: a review's vocabulary is
# small, so this turns millions of normalisations into dictionary look-ups and lets the
# texts share one string per word instead of one per occurrence.
_NORMAL: dict[str, str] = {}


def normalise(word: str) -> str:
    n = _NORMAL.get(word)
    if n is None:
        if len(_NORMAL) > 500_000:  # a pathological text must not grow this for ever
            _NORMAL.clear()
        n = _NORMAL[word] = unicodedata.normalize("NFKC", word).casefold()
    return n


@dataclass(slots=True)
class Words:
    """The words of one text: normalised forms and where each stands in the original."""

    normal: list[str]
    starts: array
    ends: array

    def __len__(self) -> int:
        return len(self.normal)


def words_of(text: str) -> Words:
    normal: list[str] = []
    starts = array("l")
    ends = array("l")
    for m in _WORD.finditer(text):
        normal.append(normalise(m.group()))
        starts.append(m.start())
        ends.append(m.end())
    return Words(normal, starts, ends)
