"""Suggestions in the document pane: dotted outlines in the label's colour, which keys
act on them, and what their tooltip says.

Dotted, never filled: a filled background is an annotation (a decision), and compare
mode's dashed outlines are another person's; a suggestion is neither until accepted.
Like the spans, they are indexed by block and painted for the visible lines only.
"""

from __future__ import annotations

from bisect import bisect_right
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen

from annotator.domain.suggestions import RECOMMENDERS, SpanSuggestion

if TYPE_CHECKING:
    from .document_view import DocumentView

_GREY = QColor("gray")
KEYS_HINT = "Enter accepts · Backspace rejects"


class SuggestionMarks:
    """The open suggestions shown in one DocumentView, and the one stepped to (Tab)."""

    def __init__(self, view: DocumentView) -> None:
        self.view = view
        self.items: list[SpanSuggestion] = []  # in the order of the text
        self.by_block: dict[int, list[tuple[int, int, SpanSuggestion]]] = {}  # UTF-16
        self.current: int | None = None  # the id of the suggestion stepped to
        self.shown = True

    # --- content ----------------------------------------------------------------------
    def set(self, suggestions: list[SpanSuggestion]) -> None:
        """Show these (an empty list: none); the current one stays if it is still open."""
        self.items = list(suggestions)
        self.by_block.clear()
        offsets, starts = self.view.offsets, self.view.block_starts
        for s in self.items:
            s16, e16 = offsets.to_utf16(s.start), offsets.to_utf16(s.end)
            first = bisect_right(starts, s16) - 1
            last = bisect_right(starts, max(s16, e16 - 1)) - 1
            for n in range(first, last + 1):
                self.by_block.setdefault(n, []).append((s16, e16, s))
        if self.current_suggestion() is None:
            self.current = None
        self.view.viewport().update()

    def clear(self) -> None:
        self.items, self.by_block, self.current = [], {}, None

    def current_suggestion(self) -> SpanSuggestion | None:
        if self.current is None:
            return None
        return next((s for s in self.items if s.id == self.current), None)

    def make_current(self, suggestion: SpanSuggestion | None) -> None:
        self.current = suggestion.id if suggestion is not None else None
        self.view.viewport().update()

    def active(self) -> bool:
        """Whether suggestions are on screen for the keys to act on."""
        return self.shown and bool(self.items)

    # --- keys -------------------------------------------------------------------------
    def key_action(self, event: QKeyEvent) -> str | None:
        """What a key does to suggestions: "next", "previous", "accept", "reject",
        "accept_all", or None when it keeps its usual meaning (nothing to act on)."""
        if not self.active():
            return None
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        none, shift = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Tab and mods == none:
            return "next"
        if key == Qt.Key.Key_Backtab and mods in (none, shift):
            return "previous"
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods == shift:
                return "accept_all"
            if mods == none and self.current_suggestion() is not None:
                return "accept"
        if key == Qt.Key.Key_Backspace and mods == none and self.current_suggestion():
            return "reject"
        return None

    # --- tooltip ----------------------------------------------------------------------
    def tooltip_at(self, position: int) -> list[str]:
        if not self.shown:
            return []
        return [self.tooltip(s) for s in self.items if s.start <= position < s.end]

    def tooltip(self, s: SpanSuggestion) -> str:
        """"Suggested praise — learned model, score 0.82", why, the keys: rich text with
        every name and `why` escaped (label names and cues are typed or imported)."""
        label = self.view.labels.get(s.label_uuid)
        name = label.name if label else "?"
        line = (f"Suggested <b>{escape(name)}</b> — "
                f"{escape(RECOMMENDERS.get(s.recommender, s.recommender))}, "
                f"score {s.score:.2f}")
        if s.why:
            line += "<br>" + escape(s.why).replace("\n", "<br>")
        return line + f"<br><i>{KEYS_HINT}</i>"

    # --- painting ---------------------------------------------------------------------
    def paint(self, painter: QPainter, area) -> None:
        """Dotted outlines on the visible lines; the current one's bolder."""
        if not self.shown or not self.by_block:
            return
        view = self.view
        offset = view.contentOffset()
        block = view.firstVisibleBlock()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # true colour
        painter.setBrush(Qt.BrushStyle.NoBrush)
        while block.isValid():
            geometry = view.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > area.bottom():
                break
            marks = self.by_block.get(block.blockNumber())
            if marks and block.isVisible() and geometry.bottom() >= area.top():
                pos, origin = block.position(), geometry.topLeft()
                for s16, e16, s in marks:
                    colour = view.index.colours.get(s.label_uuid, _GREY)
                    width = 3.0 if s.id == self.current else 2.0
                    painter.setPen(QPen(colour, width, Qt.PenStyle.DotLine))
                    for rect, _, _ in view._fragments(block, origin, s16 - pos, e16 - pos):
                        painter.drawRect(rect.adjusted(1, 1, -1, -1))
            block = block.next()
