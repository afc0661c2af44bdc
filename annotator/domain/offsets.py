"""Offsets in code points, UTF-16 code units and grapheme clusters: the one place where they
are translated (Qt's text positions, and the units other tools' files count in).

Spans are stored as code point offsets (what Python indexes by). Qt's QTextCursor, doccano
and Label Studio count UTF-16 code units, so every character outside the Basic Multilingual
Plane (most emoji) is one code point but two units. doccano projects set to "count grapheme
clusters as one character" count what a reader sees as one character (👍🏽, é as e + accent,
🇫🇷, CR LF): Unicode's extended grapheme clusters (UAX #29, the `regex` module's \\X).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import accumulate, compress
from typing import Any

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")

CODEPOINT, UTF16, GRAPHEMES = "codepoint", "utf16", "graphemes"
UNITS = (CODEPOINT, UTF16, GRAPHEMES)  # what --offsets names
UNIT_NAMES = {CODEPOINT: "code points", UTF16: "UTF-16 code units",
              GRAPHEMES: "grapheme clusters"}
UNIT_HINTS = {CODEPOINT: "code points", UTF16: "UTF-16", GRAPHEMES: "grapheme clusters"}


class OffsetMap:
    """Translates positions in one text; O(log n) per lookup, built once per document."""

    __slots__ = ("_astral", "_astral_utf16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        # Code point indices of astral characters, and where each one starts in UTF-16.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_utf16 = [cp + n for n, cp in enumerate(self._astral)]
        self.length = len(text)
        self.utf16_length = self.length + len(self._astral)

    @property
    def same_in_utf16(self) -> bool:
        """No character outside the Basic Multilingual Plane: both counts agree."""
        return not self._astral

    def to_utf16(self, codepoint: int) -> int:
        if not 0 <= codepoint <= self.length:
            raise ValueError(f"code point offset {codepoint} outside 0..{self.length}")
        return codepoint + bisect_left(self._astral, codepoint) if self._astral else codepoint

    def to_codepoint(self, utf16: int) -> int:
        """A UTF-16 position inside a surrogate pair rounds down to the character's start."""
        if not 0 <= utf16 <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {utf16} outside 0..{self.utf16_length}")
        before = bisect_right(self._astral_utf16, utf16 - 1)
        if before and self._astral_utf16[before - 1] == utf16 - 1:
            # Position falls between the two halves of a surrogate pair.
            return self._astral[before - 1]
        return utf16 - before


def to_utf16(text: str, codepoint: int) -> int:
    return OffsetMap(text).to_utf16(codepoint)


def to_codepoint(text: str, utf16: int) -> int:
    return OffsetMap(text).to_codepoint(utf16)


class OffsetError(ValueError):
    """An offset that names no position of the text in its unit: outside it, or inside a
    character (half of a surrogate pair)."""


# Characters that may join the one before them into a cluster of several code points (or,
# Prepend, the one after): a text with none of them, and no CR LF, has one cluster per code
# point, which is checked without segmenting it.
@cache
def _patterns() -> tuple[Any, Any]:
    """The two patterns, compiled on first use: the `regex` module they need costs 25-50 ms
    of start-up, and most sessions never count in graphemes."""
    import regex

    may_cluster = regex.compile(
        r"\r\n|[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
        r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=Prepend}"
        r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Grapheme_Cluster_Break=L}"
        r"\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}"
        r"\p{Grapheme_Cluster_Break=LV}\p{Grapheme_Cluster_Break=LVT}]")
    return may_cluster, regex.compile(r"\X")


class GraphemeMap:
    """Code points <-> extended grapheme clusters of one text; O(log n) per lookup.

    Keeps only the clusters of more than one code point: where each starts, in both counts.
    Segmenting takes about 0.4 s per megabyte of text that has such clusters; a text
    without any is seen through in milliseconds.
    """

    __slots__ = ("_ends", "_starts", "_starts_g", "length", "grapheme_length")

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []  # code point index where each long cluster starts
        self._ends: list[int] = []  # ... and ends
        self._starts_g: list[int] = []  # its index in clusters
        self.length = self.grapheme_length = len(text)
        if text.isascii() and "\r\n" not in text:
            return
        may_cluster, cluster = _patterns()
        if not may_cluster.search(text):
            return
        lengths = list(map(len, cluster.findall(text)))
        self._starts_g = list(compress(range(len(lengths)), map((1).__lt__, lengths)))
        extra = list(accumulate((lengths[i] - 1 for i in self._starts_g), initial=0))
        self._starts = [i + e for i, e in zip(self._starts_g, extra, strict=False)]
        self._ends = [i + e + 1 for i, e in zip(self._starts_g, extra[1:], strict=True)]
        self.grapheme_length = len(lengths)

    @property
    def same_in_graphemes(self) -> bool:
        return not self._starts

    def _extra_before(self, k: int) -> int:
        """Code points beyond one per cluster in the first k long clusters."""
        return self._ends[k - 1] - self._starts_g[k - 1] - 1 if k else 0

    def to_codepoint(self, grapheme: int) -> int:
        if not 0 <= grapheme <= self.grapheme_length:
            raise OffsetError(f"grapheme offset {grapheme} lies outside the text (length "
                              f"{self.grapheme_length} in grapheme clusters)")
        return grapheme + self._extra_before(bisect_left(self._starts_g, grapheme))

    def to_grapheme(self, codepoint: int, up: bool = False) -> int:
        """A code point inside a cluster goes to the cluster's start (or, `up`, its end)."""
        if not 0 <= codepoint <= self.length:
            raise OffsetError(f"code point offset {codepoint} outside 0..{self.length}")
        k = bisect_right(self._starts, codepoint)  # long clusters starting at or before it
        if k and codepoint < self._ends[k - 1]:  # at the start of one, or inside it
            at = self._starts_g[k - 1]
            return at + 1 if up and codepoint != self._starts[k - 1] else at
        return codepoint - self._extra_before(k)


class Units:
    """Offsets over one text in one unit, to and from code points."""

    unit = CODEPOINT

    same = True  # whether offsets in this unit are the code point offsets, throughout

    def __init__(self, text: str) -> None:
        self.length = len(text)

    def to_codepoint(self, offset: int) -> int:
        """The code point offset of an offset in this unit; OffsetError when it is outside
        the text or inside a character."""
        if not 0 <= offset <= self.length:
            raise OffsetError(f"offset {offset} lies outside the text (length {self.length})")
        return offset

    def from_codepoint(self, codepoint: int, up: bool = False) -> int:
        """The offset in this unit of a code point offset; one inside a unit (a code point
        in a grapheme cluster) goes to the unit's start, or with `up` its end."""
        return codepoint


class _UTF16(Units):
    unit = UTF16

    def __init__(self, text: str) -> None:
        self.map = OffsetMap(text)
        self.length = self.map.utf16_length
        self.same = self.map.same_in_utf16

    def to_codepoint(self, offset: int) -> int:
        if not 0 <= offset <= self.length:
            raise OffsetError(f"UTF-16 offset {offset} lies outside the text "
                              f"(length {self.length} in UTF-16)")
        codepoint = self.map.to_codepoint(offset)
        if self.map.to_utf16(codepoint) != offset:
            raise OffsetError(f"UTF-16 offset {offset} falls inside an emoji or other "
                              "character outside the Basic Multilingual Plane")
        return codepoint

    def from_codepoint(self, codepoint: int, up: bool = False) -> int:
        return self.map.to_utf16(codepoint)


class _Graphemes(Units):
    unit = GRAPHEMES

    def __init__(self, text: str) -> None:
        self.map = GraphemeMap(text)
        self.length = self.map.grapheme_length
        self.same = self.map.same_in_graphemes

    def to_codepoint(self, offset: int) -> int:
        return self.map.to_codepoint(offset)

    def from_codepoint(self, codepoint: int, up: bool = False) -> int:
        return self.map.to_grapheme(codepoint, up)


def units(text: str, unit: str) -> Units:
    """Offsets over `text` counted in `unit` (one of UNITS)."""
    if unit == CODEPOINT:
        return Units(text)
    if unit == UTF16:
        return _UTF16(text)
    if unit == GRAPHEMES:
        return _Graphemes(text)
    raise ValueError(f"offsets are counted in {', '.join(UNITS)}, not {unit!r}")
