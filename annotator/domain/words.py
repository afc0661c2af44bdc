"""Word boundaries for snapping selections and moving span edges, in code points."""

from __future__ import annotations

import unicodedata

_JOINERS = "'’-"  # inside a word (don't, keeper's, well-made), a boundary elsewhere


def _solo(c: str) -> bool:
    """A character that is a word on its own: emoji and other symbols, and scripts written
    without spaces (a selection of two characters in a Japanese sentence must not snap to
    the whole sentence)."""
    if unicodedata.category(c) == "So":
        return True
    if ord(c) < 0x2E80:
        return False
    name = unicodedata.name(c, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC"))


def _letter(c: str) -> bool:
    return c.isalnum() or unicodedata.category(c).startswith("M")


def is_word(text: str, i: int) -> bool:
    """Is text[i] part of a word? Apostrophes and hyphens count only between letters; a
    skin tone or an accent is whatever the character it belongs to is."""
    if not 0 <= i < len(text):
        return False
    if _attached(text, i):
        i = _cluster_start(text, i)
    c = text[i]
    if c in _JOINERS:
        return 0 < i < len(text) - 1 and _letter(text[i - 1]) and _letter(text[i + 1])
    return _letter(c) or _solo(c)


ZWJ = "\u200d"


def _continues(c: str) -> bool:
    """Characters that belong to the one before them: variation selectors (❤️), skin tones
    (👍🏽), emoji tags, combining accents (e + ◌́), and zero-width joiners (👨‍👩‍👧)."""
    o = ord(c)
    return (0xFE00 <= o <= 0xFE0F or 0x1F3FB <= o <= 0x1F3FF or 0xE0020 <= o <= 0xE007F
            or o == 0x20E3 or c == ZWJ or unicodedata.category(c).startswith("M"))


def _regional(c: str) -> bool:
    return 0x1F1E6 <= ord(c) <= 0x1F1FF  # two of these make a flag: 🇫🇷


def _attached(text: str, i: int) -> bool:
    """Does text[i] belong to the character before it, as one thing seen on screen?"""
    if not 0 < i < len(text):
        return False
    if _continues(text[i]) or text[i - 1] == ZWJ:
        return True
    if _regional(text[i]) and _regional(text[i - 1]):
        run = 1  # flags pair up from the start of a run of regional indicators
        while i - run - 1 >= 0 and _regional(text[i - run - 1]):
            run += 1
        return run % 2 == 1
    return False


def _joined(text: str, i: int) -> bool:
    """Do text[i] and text[i + 1] belong to the same word (or the same emoji)?"""
    if _attached(text, i + 1):
        return True
    return (is_word(text, i) and is_word(text, i + 1)
            and not _solo(text[i]) and not _solo(text[i + 1]))


def _cluster_end(text: str, i: int) -> int:
    """Past the emoji or letter cluster that ends at or continues after index i - 1."""
    while _attached(text, i):
        i += 1
    return i


def _cluster_start(text: str, i: int) -> int:
    while _attached(text, i):
        i -= 1
    return i


def trim_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space, then grow both ends outward to whole words.

    "he keeper wa" becomes "the keeper was"; punctuation at an edge is kept as selected.
    """
    start, end = trim_range(text, start, end)
    if start >= end:
        return start, end
    while start > 0 and _joined(text, start - 1):
        start -= 1
    while end < len(text) and _joined(text, end - 1):
        end += 1
    return start, end


def _word_end_after(text: str, pos: int) -> int:
    """The end of the next word that ends after pos."""
    n = len(text)
    while pos < n and not is_word(text, pos):
        pos += 1
    while pos < n and _joined(text, pos):
        pos += 1
    return min(pos + 1, n) if pos < n else n


def _word_start_before(text: str, pos: int) -> int:
    """The start of the nearest word that starts before pos."""
    pos -= 1
    while pos > 0 and not is_word(text, pos):
        pos -= 1
    while pos > 0 and _joined(text, pos - 1):
        pos -= 1
    return max(pos, 0)


def move_edge(text: str, start: int, end: int, edge: str, step: int, by_word: bool = True
              ) -> tuple[int, int] | None:
    """Move the start or end edge of [start, end) one word (or character) left or right.

    The result never contains edge white space and is never empty; None when the edge
    cannot move that way.
    """
    if edge not in ("start", "end") or step not in (-1, 1):
        raise ValueError(f"cannot move the {edge} edge by {step}")
    s, e = start, end
    if edge == "end":
        if by_word:
            e = _word_end_after(text, e) if step > 0 else _word_start_before(text, e)
            if step < 0:  # back to the end of the word before the last one
                while e > s and not is_word(text, e - 1):
                    e -= 1
        else:
            e += step
            while 0 < e < len(text) and text[e - 1].isspace():
                e += step
            e = _cluster_end(text, e) if step > 0 else _cluster_start(text, e)
    else:
        if by_word:
            s = _word_start_before(text, s) if step < 0 else _word_end_after(text, s)
            if step > 0:  # on to the start of the next word
                while s < e and not is_word(text, s):
                    s += 1
        else:
            s += step
            while 0 <= s < len(text) and text[s].isspace():
                s += step
            s = _cluster_start(text, s) if step < 0 else _cluster_end(text, s)
    s, e = trim_range(text, max(s, 0), min(e, len(text)))
    if s >= e or (s, e) == (start, end):
        return None
    return s, e
