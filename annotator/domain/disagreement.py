"""Where annotators disagree in one document: the spans not every one of them made."""

from __future__ import annotations

from .model import Span


def disagreements(spans_by_annotator: dict[str, list[Span]]) -> list[Span]:
    """Every span that some other annotator did not make exactly (same label, start and
    end), in text order. With one annotator or none there is nothing to disagree on."""
    if len(spans_by_annotator) < 2:
        return []
    keys = {who: {(s.label_uuid, s.start, s.end) for s in spans}
            for who, spans in spans_by_annotator.items()}
    found = [s for who, spans in spans_by_annotator.items() for s in spans
             if any((s.label_uuid, s.start, s.end) not in theirs
                    for other, theirs in keys.items() if other != who)]
    return sorted(found, key=lambda s: (s.start, s.end, s.annotator_uuid, s.uuid))


def next_from(found: list[Span], position: int, step: int, current: str | None = None
              ) -> Span | None:
    """The disagreement after (step 1) or before (step -1) a position, wrapping around;
    spans starting at the same place are visited one after another."""
    if not found:
        return None
    if current is not None:
        at = next((i for i, s in enumerate(found) if s.uuid == current), None)
        if at is not None:
            return found[(at + step) % len(found)]
    if step > 0:  # the first step takes a disagreement right at the cursor too
        return next((s for s in found if s.start >= position), found[0])
    return next((s for s in reversed(found) if s.start < position), found[-1])
