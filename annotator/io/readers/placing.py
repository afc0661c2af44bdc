"""Offsets as a file gives them, made into code point offsets on the stored text.

Files count offsets in code points (Python, spaCy, brat) or in UTF-16 code units
(JavaScript tools: doccano, Label Studio), over the text as it is in the file. Annotator
stores code points over the normalised text (LF newlines, no byte order mark). Every
span is checked against the text; one that does not line up is an error, never shifted.
"""

from __future__ import annotations

from annotator.domain.offsets import OffsetMap
from annotator.domain.spans import SpanError, check_span
from annotator.domain.text import normalise_newlines, normalise_with_offsets


class SpanPlacer:
    def __init__(self, raw_text: str, offsets: str = "codepoint") -> None:
        if offsets not in ("codepoint", "utf16"):
            raise ValueError(f"offsets are counted in codepoint or utf16, not {offsets!r}")
        self.raw_length = len(raw_text)
        self.text, self._remap = normalise_with_offsets(raw_text)
        self._utf16 = OffsetMap(raw_text) if offsets == "utf16" else None

    def place(self, start, end, span_text: str | None = None) -> tuple[int, int]:
        """(start, end) in the stored text; SpanError says what does not line up.

        `span_text`, when the file gives it, must be what the offsets cover.
        """
        if (not isinstance(start, int) or not isinstance(end, int)
                or isinstance(start, bool) or isinstance(end, bool)):
            raise SpanError(f"offsets must be whole numbers, got start={start!r} end={end!r}")
        if self._utf16 is not None:
            start, end = _from_utf16(self._utf16, start), _from_utf16(self._utf16, end)
        if not 0 <= start < end <= self.raw_length:
            if start >= end:
                raise SpanError(f"span {start}-{end} is empty or reversed")
            raise SpanError(f"span {start}-{end} lies outside the text "
                            f"(length {self.raw_length})")
        start, end = self._remap(start), self._remap(end)
        if span_text is not None:
            span_text = normalise_newlines(span_text)
        check_span(self.text, start, end, span_text)
        return start, end


def _from_utf16(utf16: OffsetMap, offset: int) -> int:
    if not 0 <= offset <= utf16.utf16_length:
        raise SpanError(f"UTF-16 offset {offset} lies outside the text "
                        f"(length {utf16.utf16_length} in UTF-16)")
    codepoint = utf16.to_codepoint(offset)
    if utf16.to_utf16(codepoint) != offset:
        raise SpanError(f"UTF-16 offset {offset} falls inside an emoji or other "
                        "character outside the Basic Multilingual Plane")
    return codepoint
