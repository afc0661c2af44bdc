"""Offsets as a file gives them, made into code point offsets on the stored text.

Files count offsets in code points (Python, spaCy, brat, Prodigy), in UTF-16 code units
(JavaScript tools: doccano, Label Studio) or in grapheme clusters (doccano projects that
count them), over the text as it is in the file. Annotator stores code points over the
normalised text (LF newlines, no byte order mark). Every span is checked against the text;
one that does not line up is an error, never shifted, and the error says when another unit
would make it line up.
"""

from __future__ import annotations

from annotator.domain.offsets import (
    CODEPOINT,
    UNIT_HINTS,
    UNITS,
    OffsetError,
    Units,
    units,
)
from annotator.domain.spans import SpanError, check_span
from annotator.domain.text import normalise_newlines, normalise_with_offsets


class SpanPlacer:
    def __init__(self, raw_text: str, offsets: str = CODEPOINT) -> None:
        if offsets not in UNITS:
            raise ValueError(f"offsets are counted in {', '.join(UNITS)}, not {offsets!r}")
        self.raw = raw_text
        self.unit = offsets
        self.text, self._remap = normalise_with_offsets(raw_text)
        self._units: dict[str, Units] = {offsets: units(raw_text, offsets)}
        self._own = self._units[offsets]
        self.placed = 0  # spans placed by offsets: the unit mattered for them

    def _in(self, unit: str) -> Units:
        if unit not in self._units:
            self._units[unit] = units(self.raw, unit)
        return self._units[unit]

    def place(self, start, end, span_text: str | None = None) -> tuple[int, int]:
        """(start, end) in the stored text; SpanError says what does not line up.

        `span_text`, when the file gives it, must be what the offsets cover.
        """
        if (not isinstance(start, int) or not isinstance(end, int)
                or isinstance(start, bool) or isinstance(end, bool)):
            raise SpanError(f"offsets must be whole numbers, got start={start!r} end={end!r}")
        if span_text is not None:
            span_text = normalise_newlines(span_text)
        try:
            placed = self._place(self._own, start, end, span_text)
        except SpanError as e:
            hint = self._hint(start, end, span_text)
            raise SpanError(f"{e}; {hint}" if hint else str(e)) from None
        self.placed += 1
        return placed

    def _place(self, counted: Units, start: int, end: int, span_text: str | None
               ) -> tuple[int, int]:
        if start >= end:
            raise SpanError(f"span {start}-{end} is empty or reversed")
        if not 0 <= start < end <= counted.length:
            unit = counted.unit
            raise SpanError(f"span {start}-{end} lies outside the text (length "
                            f"{counted.length}" + (")" if unit == CODEPOINT
                                                   else f" in {UNIT_HINTS[unit]})"))
        if not counted.same:  # e.g. UTF-16 over a text without emoji: nothing to convert
            try:
                start, end = counted.to_codepoint(start), counted.to_codepoint(end)
            except OffsetError as e:
                raise SpanError(str(e)) from None
        start, end = self._remap(start), self._remap(end)
        check_span(self.text, start, end, span_text)
        return start, end

    def _hint(self, start: int, end: int, span_text: str | None) -> str:
        """Which other unit would make these offsets line up (with the span's text, when
        the file gives it; else merely fit the text), as the fix to give."""
        for unit in UNITS:
            if unit == self.unit or self._in(unit).same and self._own.same:
                continue
            try:
                self._place(self._in(unit), start, end, span_text)
            except SpanError:
                continue
            verb = "line up" if span_text is not None else "fit the text"
            return f"these offsets {verb} if counted in {UNIT_HINTS[unit]}: use --offsets {unit}"
        return ""
