"""The spoiler shield: what a reader should not see of a review, and the text without it.

The rule for line breaks. A hidden range is shown (as a bar, or as the placeholder in the
spoiler-free text) once, where it starts, so that a reader notices the gap where it opens.
Hiding must not glue paragraphs together, and must not keep anything that says what was hidden
beyond "something, about this long, here". So when a hidden range contains line breaks:

- whitespace at its start up to and including its last newline stays in front of the
  placeholder (a spoiler that begins a paragraph keeps that paragraph's break before it);
- whitespace at its end from its first newline on stays after the placeholder (a spoiler that
  ends a paragraph keeps the break after it);
- between its first and last visible characters, the paragraphs it swallows collapse into one
  break: the longest run of newlines in there, put right after the placeholder. A paragraph
  break stays a paragraph break, a line break stays a line break, and whole hidden paragraphs
  do not leave a trail of blank lines behind.

A hidden range with no newline is replaced by the placeholder alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Span

_BREAK = re.compile(r"\s*\n\s*")


def hidden_ranges(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """The (start, end) ranges the spans cover, sorted, with overlapping or touching ones merged.

    Empty or reversed spans hide nothing and are dropped.
    """
    merged: list[list[int]] = []
    for start, end in sorted((s.start, s.end) for s in spans if s.start < s.end):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _ranges_in(text: str, spans: Iterable[Span]) -> list[tuple[int, int]]:
    # Spans come from the store and are checked there; clamping keeps a stale span from
    # hiding past the end of the text rather than breaking the reading view.
    clamped = []
    for start, end in hidden_ranges(spans):
        start, end = max(start, 0), min(end, len(text))
        if start < end:
            clamped.append((start, end))
    return clamped


def reading_parts(text: str, spans: Iterable[Span]) -> list[tuple[str, bool]]:
    """The text cut into pieces in order, each with True when it is hidden.

    Pieces are never empty and hidden pieces never follow one another, so joining the pieces
    gives back the text.
    """
    parts: list[tuple[str, bool]] = []
    at = 0
    for start, end in _ranges_in(text, spans):
        if at < start:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def breaks_around(hidden: str) -> tuple[str, str]:
    """The line breaks a hidden piece keeps before and after its placeholder (module docstring)."""
    if "\n" not in hidden:
        return "", ""
    body = hidden.strip()
    if not body:
        # Only whitespace is hidden: keep its breaks so the paragraphs either side stay apart.
        return hidden[: hidden.rfind("\n") + 1], ""
    lead_space = hidden[: len(hidden) - len(hidden.lstrip())]
    trail_space = hidden[len(hidden.rstrip()):]
    before = lead_space[: lead_space.rfind("\n") + 1]
    after = trail_space[trail_space.find("\n"):] if "\n" in trail_space else ""
    inner = max((m.group().count("\n") for m in _BREAK.finditer(body)), default=0)
    return before, "\n" * inner + after


def spoiler_free_text(text: str, spans: Iterable[Span], placeholder: str = "[spoiler]") -> str:
    """The text with each merged hidden range replaced once by the placeholder.

    Line breaks inside a hidden range are kept around the placeholder by the rule in the
    module docstring, so paragraphs stay paragraphs. With no spans the text comes back as is.
    """
    out = []
    for piece, hidden in reading_parts(text, spans):
        if hidden:
            before, after = breaks_around(piece)
            out.append(before + placeholder + after)
        else:
            out.append(piece)
    return "".join(out)
