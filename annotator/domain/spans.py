"""Rules every span obeys, checked wherever spans enter: the GUI, imports, services."""

from __future__ import annotations


class SpanError(ValueError):
    """A span that cannot belong to its document; the message says why."""


def check_span(text: str, start: int, end: int, span_text: str | None = None) -> None:
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise SpanError(f"offsets must be whole numbers, got start={start!r} end={end!r}")
    if start < 0 or end > len(text):
        raise SpanError(f"span {start}-{end} lies outside the text (length {len(text)})")
    if start >= end:
        raise SpanError(f"span {start}-{end} is empty or reversed")
    if span_text is not None and text[start:end] != span_text:
        raise SpanError(
            f"span {start}-{end} text {span_text!r} does not match the document, "
            f"which has {text[start:end]!r} there"
        )
