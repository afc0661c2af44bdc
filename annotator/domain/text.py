"""Document text normalisation and identity: text is stored once, normalised, never edited."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Callable

_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029")


def normalise_newlines(text: str) -> str:
    """CRLF, lone CR and the Unicode line/paragraph separators become LF."""
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text:
        return text  # the usual case, found by three fast scans instead of a regex
    return _NEWLINES.sub("\n", text)


def normalise_text(text: str) -> str:
    """A whole document's text: newlines normalised and a leading byte order mark dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return normalise_newlines(text)


def content_hash(text: str) -> str:
    """Identity of a normalised text: two imports of the same review share it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Lines a scraped page leaves above the review that are no title: an image's alt text
# ("Run Sweetheart Run title image", "Poster: …"), a bare date, a runtime or a rating, and
# lines of punctuation or symbols only.
_NOT_A_TITLE = re.compile(
    r"""^(?:
        .*\b(?:image|photo|picture|poster|still|thumbnail|screenshot|banner|logo|icon)s?
            (?:\s*\d+)?[.:]?$                                         # alt text at the end
      | (?:image|photo|picture|poster|still|thumbnail|screenshot)s?\s*[:\-–]\s.*  # or first
      | (?:\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}|\d{4}-\d{2}-\d{2}(?:[T ][\d:]+Z?)?)  # dates
      | (?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?
            (?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?
            (?:\s+\d{1,2})?,?(?:\s+\d{4})?                          # "March 3, 2024"
      | (?:runtime|running\s+time|length|duration)?\s*:?\s*
            (?:\d+\s*(?:h|hr|hrs|hours?)\s*)?(?:\d+\s*(?:m|min|mins|minutes?))?  # 1h 42m
      | \d+\s*(?:h|hr|hrs|hours?|m|min|mins|minutes?)
      | [\W_]+                                                      # punctuation, symbols
    )$""", re.IGNORECASE | re.VERBOSE)


def looks_like_title(line: str) -> bool:
    """False for lines that only look like a heading: alt text, dates, runtimes, symbols.
    (Those are short: a long line is taken as it is, without the cost of the pattern.)"""
    return bool(line) and (len(line) > 100 or not _NOT_A_TITLE.match(line))


def title_from_text(text: str, fallback: str, limit: int = 80) -> str:
    """The first non-empty line that looks like a title (see looks_like_title), shortened
    at a word boundary; the first non-empty line if none does; the fallback if none is."""
    start, first = 0, ""
    seen = 0
    while start < len(text) and seen < 20:  # line by line: a review can be 10 MB
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = " ".join(text[start:min(end, start + limit * 4)].split())  # enough to cut
        start = end + 1
        if not line:
            continue
        seen += 1
        line = line.lstrip("#").strip() or line
        first = first or line
        if looks_like_title(line):
            return _shortened(line, limit)
    return _shortened(first, limit) if first else fallback


def _shortened(line: str, limit: int) -> str:
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,.;:-") + "…"


def _unmoved(offset: int) -> int:
    return offset


def normalise_with_offsets(text: str) -> tuple[str, Callable[[int], int]]:
    """Normalise, and map code point offsets in the original onto the normalised text."""
    if "\r" not in text and not text.startswith("\ufeff"):  # nothing dropped: the usual
        return normalise_newlines(text), _unmoved
    removed: list[int] = []  # original indices of characters dropped by normalisation
    if text.startswith("\ufeff"):
        removed.append(0)
    removed.extend(m.start() for m in re.finditer("\r\n", text))
    normalised = normalise_text(text)
    if not removed:
        return normalised, lambda offset: offset
    return normalised, lambda offset: offset - bisect_left(removed, offset)


def clean_text(text: str) -> str:
    """Tidy scraped text (already newline-normalised): trailing spaces and runs of blank lines
    go, a paragraph repeated word for word keeps only its first occurrence."""
    paragraphs: list[str] = []
    seen: set[str] = set()
    lines: list[str] = []
    # A sentinel blank line flushes the last paragraph.
    for line in [*text.split("\n"), ""]:
        line = line.rstrip()
        if line:
            lines.append(line)
            continue
        if lines:
            paragraph = "\n".join(lines)
            # Scraped pages repeat blocks (pull quotes, sticky headers): the text is in once.
            if paragraph.strip() not in seen:
                seen.add(paragraph.strip())
                paragraphs.append(paragraph)
            lines = []
    return "\n\n".join(paragraphs)


def size_text(n: float) -> str:
    """A file size as people read it: "812 bytes", "4.2 KB", "1.3 GB"."""
    for unit in ("bytes", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"
