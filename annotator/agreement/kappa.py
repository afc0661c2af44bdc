"""Cohen's kappa (Cohen 1960): chance-corrected agreement of two coders on the same items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """kappa = (p_o - p_e) / (1 - p_e), with p_e from each coder's own label distribution.

    Raises ValueError when the sequences differ in length, are empty, or when chance
    agreement is certain (both coders gave every item one and the same label), where kappa
    is 0/0 and undefined: say so rather than return NaN.
    """
    if len(a) != len(b):
        raise ValueError(f"the two codings have different lengths ({len(a)} and {len(b)})")
    n = len(a)
    if n == 0:
        raise ValueError("kappa needs at least one item")
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    count_a, count_b = Counter(a), Counter(b)
    chance_pairs = sum(count_a[k] * count_b[k] for k in count_a)
    if chance_pairs == n * n:
        raise ValueError("kappa is undefined: both coders used one and the same category "
                         "for every item, so there is no variation to agree on")
    expected = chance_pairs / (n * n)
    return (observed - expected) / (1.0 - expected)
