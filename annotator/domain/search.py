"""What a search query means (its terms, OR and NOT), and where its words are in a text.

The store turns the terms into an FTS5 query (store.search); the document pane highlights
where they occur (`hit_ranges`), found the way the index finds them: words are runs of
letters and digits (unicode61), any case, Latin accents ignored (remove_diacritics 2),
combining marks inside a word ignored ("cafe" finds "café" and "cafe\u0301").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

# `regex` (for \p{...} classes) is imported where a hit is first looked for, not at
# start-up: it costs 10-25 ms there, and a search is typed later, if at all.

OPERATORS = frozenset({"OR", "NOT", "AND"})
# A phrase (its closing quote may be missing: still being typed), or a run of non-space.
_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')


@dataclass(frozen=True, slots=True)
class Term:
    """One word or "phrase" of a query; `prefix`: its last word matches as a prefix."""

    text: str
    prefix: bool = False


def has_word(text: str) -> bool:
    """Whether the index would find a word in `text` (letters or digits, as unicode61)."""
    return any(c.isalnum() for c in text)


def query_terms(query: str, every_word_a_prefix: bool = False) -> list[Term | str]:
    """The query as terms and the operators between them ("OR", "NOT", "AND").

    Punctuation-only words are left out; an operator with no term on one side (at either
    end, or after another: it may be half typed) is dropped. every_word_a_prefix: each
    word, and a phrase's last word, matches as a prefix, as for results while typing."""
    items: list[Term | str] = []
    for match in _TOKEN.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if word in OPERATORS:
            items.append(word)
            continue
        text = phrase if phrase is not None else word
        prefix = every_word_a_prefix or (word is not None and word.endswith("*"))
        if word is not None:
            text = word.strip("*")
        if has_word(text):
            items.append(Term(text, prefix))
    kept: list[Term | str] = []
    for item in items:
        if isinstance(item, str) and (not kept or isinstance(kept[-1], str)):
            continue
        kept.append(item)
    while kept and isinstance(kept[-1], str):
        kept.pop()
    return kept


def wanted_terms(query: str, every_word_a_prefix: bool = False) -> list[Term]:
    """The terms a match shows: all but those after NOT."""
    items = query_terms(query, every_word_a_prefix)
    return [item for i, item in enumerate(items)
            if isinstance(item, Term) and (i == 0 or items[i - 1] != "NOT")]


# --- where the words are ------------------------------------------------------------------

# What unicode61 keeps in a word: letters, digits, private use; combining marks join the
# letter before them (and remove_diacritics drops them).
_WORD_CHAR = r"\p{L}\p{N}\p{Co}\p{Mn}"
_MARKS = r"\p{Mn}*"
# Letters whose accents the index drops: Latin (remove_diacritics folds Latin letters only;
# Greek keeps its tonos, as FTS5 does).
_LATIN = (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Folded letter -> every character the index folds to it (as a regex class body)."""
    found: dict[str, set[str]] = {}
    for code in _LATIN:
        c = chr(code)
        if not unicodedata.category(c).startswith("L"):
            continue
        base = "".join(x for x in unicodedata.normalize("NFD", c)
                       if not unicodedata.combining(x)).lower()
        if len(base) == 1:
            found.setdefault(base, set()).add(c)
    return {base: "".join(sorted(chars)) for base, chars in found.items()}


def fold(word: str) -> str:
    """A word as the index keeps it: lower case, Latin accents and combining marks gone."""
    out = []
    for c in unicodedata.normalize("NFC", word):
        if unicodedata.combining(c):
            continue
        if 0xC0 <= ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00:
            c = "".join(x for x in unicodedata.normalize("NFD", c)
                        if not unicodedata.combining(x)) or c
        lower = c.lower()
        out.append(lower if len(lower) == 1 else c)
    return "".join(out)


def _letter(c: str) -> str:
    """A regex for one folded letter: itself, its capital, and its accented forms."""
    chars = {c, c.upper() if len(c.upper()) == 1 else c}
    if c == "i":
        chars.add("İ")
    import regex

    body = "".join(sorted(chars)) + _variants().get(c, "")
    return "[" + regex.escape(body, special_only=False) + "]" + _MARKS


@lru_cache(maxsize=1)
def _word() -> regex.Pattern:
    import regex

    return regex.compile(rf"[{_WORD_CHAR}]+")


def _term_pattern(term: Term) -> str | None:
    words = [fold(w) for w in _word().findall(term.text)]
    words = [w for w in words if w]
    if not words:
        return None
    parts = ["".join(_letter(c) for c in w) for w in words]
    body = rf"[^{_WORD_CHAR}]+".join(parts)
    end = rf"[{_WORD_CHAR}]*" if term.prefix else rf"(?![{_WORD_CHAR}])"
    return rf"(?<![{_WORD_CHAR}]){body}{end}"


@lru_cache(maxsize=32)
def _pattern(terms: tuple[Term, ...]) -> regex.Pattern | None:
    parts = [p for p in (_term_pattern(t) for t in terms) if p]
    # Longest first: at one place, a phrase is shown whole rather than its first word.
    parts.sort(key=len, reverse=True)
    if not parts:
        return None
    import regex

    return regex.compile("|".join(parts))


def hit_ranges(text: str, query: str, every_word_a_prefix: bool = False,
               most: int | None = None, start: int = 0) -> list[tuple[int, int]]:
    """Where `query`'s wanted words and phrases are in `text`: (start, end) in code points,
    in order, not overlapping; at most `most` of them, from `start` on. A prefix shows its
    whole word; a phrase, from its first word to its last."""
    pattern = _pattern(tuple(wanted_terms(query, every_word_a_prefix)))
    if pattern is None:
        return []
    found: list[tuple[int, int]] = []
    for match in pattern.finditer(text, start):
        found.append(match.span())
        if most is not None and len(found) >= most:
            break
    return found


def count_hits(text: str, query: str, every_word_a_prefix: bool = False,
               before: int | None = None) -> int:
    """How many hits hit_ranges would find in all of `text` (or starting before
    `before`), without keeping them: 0.1 to 0.2 s for 10 MB with a hit every few words."""
    pattern = _pattern(tuple(wanted_terms(query, every_word_a_prefix)))
    if pattern is None:
        return 0
    count = 0
    for match in pattern.finditer(text):
        if before is not None and match.start() >= before:
            break
        count += 1
    return count


def last_hit_before(text: str, query: str, every_word_a_prefix: bool = False,
                    position: int | None = None) -> int | None:
    """Where the last hit starting before `position` (the end of the text by default)
    starts; None if there is none. Looks back in growing steps, so a hit nearby is found
    without reading the text from its start."""
    pattern = _pattern(tuple(wanted_terms(query, every_word_a_prefix)))
    end = len(text) if position is None else position
    if pattern is None:
        return None
    low, step = end, 4096
    while low > 0:
        low, step = max(0, low - step), step * 4
        found = None
        # The look-behind sees the text before `low`: starting mid-word finds no false hit.
        for match in pattern.finditer(text, low):
            if match.start() >= end:
                break
            found = match.start()
        if found is not None:
            return found
    return None
