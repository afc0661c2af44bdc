"""Code point <-> UTF-16 offsets: the one place where Qt's text positions are translated.

Spans are stored as code point offsets (what Python indexes by). Qt's QTextCursor counts
UTF-16 code units, so every character outside the Basic Multilingual Plane (most emoji)
is one code point but two Qt positions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


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
