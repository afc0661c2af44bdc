"""Rules every span obeys, checked wherever spans enter: the GUI, imports, services."""

from __future__ import annotations

import heapq
from dataclasses import replace
from operator import attrgetter

from .errors import AnnotatorError
from .model import Span, now_iso


class SpanError(AnnotatorError, ValueError):
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


_START, _END = attrgetter("start"), attrgetter("end")


def lanes(spans) -> dict[str, int]:
    """Give overlapping spans different lanes (0, 1, 2, ...) so each can be drawn apart.

    Greedy by start: a span takes the lowest lane that no open span holds (O(n log n)).
    """
    lane_of: dict[str, int] = {}
    open_spans: list[tuple[int, int]] = []  # heap of (end, lane)
    free: list[int] = []  # heap of lanes given back
    next_lane = 0
    # By start, then longest first, so an enclosing span takes the lower lane.
    for span in sorted(sorted(spans, key=_END, reverse=True), key=_START):
        while open_spans and open_spans[0][0] <= span.start:
            heapq.heappush(free, heapq.heappop(open_spans)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane, next_lane = next_lane, next_lane + 1
        lane_of[span.uuid] = lane
        heapq.heappush(open_spans, (span.end, lane))
    return lane_of


def free_lane(span, others, lane_of: dict[str, int]) -> int:
    """The lowest lane no overlapping span in `others` uses: where a new span goes."""
    used = {lane_of.get(o.uuid, 0) for o in others
            if o.uuid != span.uuid and o.start < span.end and span.start < o.end}
    return next(n for n in range(len(used) + 1) if n not in used)


def edited(span: Span, text: str, *, label_uuid: str | None = None,
           start: int | None = None, end: int | None = None, note: str | None = None
           ) -> Span:
    """A copy of span with the given fields changed and its text taken from the document.

    note=None keeps the note; an empty or blank note removes it.
    """
    start = span.start if start is None else start
    end = span.end if end is None else end
    note = span.note if note is None else (note.strip() and note)
    return replace(span, label_uuid=label_uuid or span.label_uuid, start=start, end=end,
                   text=text[start:end], note=note or None, modified=now_iso())
