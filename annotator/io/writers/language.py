"""The languages a set of review texts is written in, for a dataset card: told offline by
py3langid (langid.py's model, shipped in the package), when it is installed.

No network, no model download: without py3langid the card simply names no language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

SAMPLE = 200  # documents looked at: enough to tell the languages of a dataset
LONGEST = 2_000  # characters of each: a review's opening says its language
SHORTEST = 20  # characters: fewer tell nothing reliable
SHARE = 0.2  # a language named on the card holds at least this share of the documents


def detect_languages(texts: Iterable[str]) -> list[str]:
    """ISO 639-1 codes, the most used first: every language at least a fifth of the
    (sampled) documents are written in; [] when it cannot be told."""
    try:
        import py3langid
    except ImportError:
        return []
    votes: Counter[str] = Counter()
    for number, text in enumerate(texts):
        if number >= SAMPLE:
            break
        text = " ".join(text[:LONGEST].split())
        if len(text) >= SHORTEST:
            votes[py3langid.classify(text)[0]] += 1
    total = votes.total()
    return [code for code, n in votes.most_common(3) if total and n / total >= SHARE]
