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


def title_from_text(text: str, fallback: str, limit: int = 80) -> str:
    """The first non-empty line, shortened at a word boundary; the fallback when there is none."""
    start = 0
    while start < len(text):  # line by line, not text.split(): a review can be 10 MB
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = " ".join(text[start:min(end, start + limit * 4)].split())  # enough to cut
        start = end + 1
        if line:
            line = line.lstrip("#").strip() or line
            if len(line) <= limit:
                return line
            cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
            return cut.rstrip(" ,.;:-") + "…"
    return fallback



def normalise_with_offsets(text: str) -> tuple[str, Callable[[int], int]]:
    """Normalise, and map code point offsets in the original onto the normalised text."""
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
