"""The read-only document pane: plain text, spans painted in their label colours.

Spans are painted around the text, for the visible lines only, so opening a long review
costs the same with 10,000 spans as with ten, and a new span repaints just the screen.
(A QSyntaxHighlighter, or char formats, must format every line of the document on each
open: 0.2 s for a 1 MB review.) Under the text, the current annotator's spans tint the
background (overlaps blend into a deeper, mixed tint). Over it: one underline per span in
its own lane, so nested and overlapping spans stay apart; bars at each span's edges; the
selected span's outline; in compare mode, other annotators' spans as dashed outlines; and
the recommenders' suggestions as dotted ones (suggestion_marks.py).

Search hits (the words the document list's search found) are outlined in amber over
everything, and the current one (F3) also gets an amber wash under the text: an outline
leaves the spans' tints, lanes and edges as they are, where a background or an extra
selection would paint over them. Hits are kept as two sorted lists of UTF-16 positions and
painted for the visible lines only (found by bisection), so 100,000 of them cost no more
on screen than ten.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolTip

from annotator.domain.model import Label, Span
from annotator.domain.offsets import OffsetMap
from annotator.domain.spans import free_lane, lanes
from annotator.domain.suggestions import SpanSuggestion

from .suggestion_marks import SuggestionMarks

ALPHA = 0.38  # how strongly each covering span tints the background
MAX_LANE = 3  # deeper nesting shares the last lane; the tint still shows the depth
HIT_COLOUR = QColor("#e09c00")  # amber: apart from the label palette (Okabe-Ito)
HIT_WASH = QColor(240, 170, 0, 90)  # the current hit, under the text
ZOOM_STEP = 1.1
ZOOM_RANGE = (-6, 12)
_NEWLINE = re.compile("\n")


def blend(base: QColor, colours: list[QColor]) -> QColor:
    """Tint base with each colour in turn: overlapping spans get a deeper, mixed tint."""
    r, g, b = base.redF(), base.greenF(), base.blueF()
    for c in colours:
        r = r * (1 - ALPHA) + c.redF() * ALPHA
        g = g * (1 - ALPHA) + c.greenF() * ALPHA
        b = b * (1 - ALPHA) + c.blueF() * ALPHA
    return QColor.fromRgbF(r, g, b)


@dataclass(slots=True)
class Entry:
    """A span as the painter needs it: UTF-16 positions, whose it is, its lane."""

    s16: int
    e16: int
    span: Span
    mine: bool


_GREY = QColor("gray")


@dataclass(slots=True)
class ViewState:
    """Where the reader was in a document, to come back to it."""

    scroll: int
    anchor: int  # code points
    position: int
    selected: str | None


class SpanIndex:
    """The spans on screen, by block (line of the text), in UTF-16 positions like Qt's."""

    def __init__(self, view: DocumentView) -> None:
        self.view = view
        self.by_block: dict[int, list[Entry]] = {}
        self.colours: dict[str, QColor] = {}

    def blocks_of(self, start16: int, end16: int) -> range:
        """Block numbers a UTF-16 range touches, found without asking Qt (it is 10x slower)."""
        starts = self.view.block_starts
        first = bisect_right(starts, start16) - 1
        last = bisect_right(starts, max(start16, end16 - 1)) - 1
        return range(first, last + 1)

    def fill(self, mine: Sequence[Span], others: Sequence[Span], offsets: OffsetMap) -> None:
        """Index a whole document's spans: add() inlined, as this runs on every open."""
        self.by_block.clear()
        by_block, starts, to16 = self.by_block, self.view.block_starts, offsets.to_utf16
        same = offsets.same_in_utf16
        for spans, own in ((mine, True), (others, False)):
            for span in spans:
                if same:
                    s16, e16 = span.start, span.end
                else:
                    s16, e16 = to16(span.start), to16(span.end)
                entry = Entry(s16, e16, span, own)
                first = bisect_right(starts, s16) - 1
                last = bisect_right(starts, max(s16, e16 - 1)) - 1
                if first == last:  # most spans stay within one paragraph
                    bucket = by_block.get(first)
                    if bucket is None:
                        by_block[first] = [entry]
                    else:
                        bucket.append(entry)
                    continue
                for n in range(first, last + 1):
                    by_block.setdefault(n, []).append(entry)

    def add(self, span: Span, offsets: OffsetMap, mine: bool) -> range:
        s16, e16 = offsets.to_utf16(span.start), offsets.to_utf16(span.end)
        blocks = self.blocks_of(s16, e16)
        entry = Entry(s16, e16, span, mine)
        for n in blocks:
            self.by_block.setdefault(n, []).append(entry)
        return blocks

    def remove(self, span: Span, offsets: OffsetMap) -> range:
        blocks = self.blocks_of(offsets.to_utf16(span.start), offsets.to_utf16(span.end))
        for n in blocks:
            entries = self.by_block.get(n, [])
            entries[:] = [e for e in entries if e.span.uuid != span.uuid]
        return blocks

    def tints(self, block: int, position: int, length: int, base: QColor
              ) -> list[tuple[int, int, QColor]]:
        """(start, end, colour) runs within a block where own spans tint the background."""
        entries = [e for e in self.by_block.get(block, ()) if e.mine]
        if not entries:
            return []
        cuts = {0, length}
        for e in entries:
            cuts.add(min(max(e.s16 - position, 0), length))
            cuts.add(min(max(e.e16 - position, 0), length))
        edges = sorted(cuts)
        runs = []
        for a, b in zip(edges, edges[1:], strict=False):
            covering = [e.span for e in entries
                        if e.s16 < position + b and e.e16 > position + a]
            if covering:
                covering.sort(key=lambda sp: (sp.start, -sp.end))
                runs.append((a, b, blend(base, [self.colours.get(sp.label_uuid, _GREY)
                                                for sp in covering])))
        return runs


def _x(line, position: int) -> float:
    x = line.cursorToX(position)
    return x[0] if isinstance(x, tuple) else x


class DocumentView(QPlainTextEdit):
    """Shows one document; reports selections and the span under the cursor in code points."""

    span_selected = Signal(object)  # Span | None
    suggestion_key = Signal(str)  # "next", "previous", "accept", "reject", "accept_all"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setAcceptDrops(False)  # dropped files go to the window, which imports them
        self.setMouseTracking(True)
        self.offsets = OffsetMap("")
        self.block_starts = [0]
        self.spans: dict[str, Span] = {}  # the current annotator's
        self.others: dict[str, Span] = {}  # other annotators', shown in compare mode
        self.disputed: set[str] = set()  # spans not every annotator made: flagged
        self.names: dict[str, str] = {}  # annotator uuid -> name, for tooltips
        self.labels: dict[str, Label] = {}
        self.lane_of: dict[str, int] = {}
        self.selected: str | None = None
        self.current_other: str | None = None  # another's span stepped to (F8): outlined
        self.other_lane: dict[str, int] = {}  # annotator uuid -> how far their outline sits in
        self.document_id: int | None = None
        self.exact_selection = False  # the last selection was made with Alt held
        self._loading = False
        self._last_hit: int | None = None  # where the last click landed, for cycling
        self.menu_actions: list = []  # label and span actions for the context menu
        self.index = SpanIndex(self)
        self.hits: list[tuple[int, int]] = []  # search hits, code points
        self._hit_starts: list[int] = []  # ... their starts and ends in UTF-16, sorted
        self._hit_ends: list[int] = []
        self._hit_cp: list[int] = []  # starts in code points
        self.current_hit: int | None = None
        self.suggestions = SuggestionMarks(self)
        self.cursorPositionChanged.connect(self._cursor_moved)
        self._base_point_size = self.font().pointSizeF() * 1.15
        self.zoom = 0
        self.set_zoom(0)
        self.setCursorWidth(2)

    # --- content ------------------------------------------------------------------------
    def set_labels(self, labels: list[Label]) -> None:
        self.labels = {label.uuid: label for label in labels}
        self.index.colours = {label.uuid: QColor(label.colour) for label in labels}
        self.viewport().update()

    def show_document(self, document_id: int | None, text: str, spans: list[Span],
                      others: Sequence[Span] = ()) -> None:
        self._loading = True  # the cursor moves while the text is replaced: ignore that
        try:
            self.selected = None
            self.current_other = None
            self.hits, self._hit_starts, self._hit_ends, self._hit_cp = [], [], [], []
            self.current_hit = None
            self.suggestions.clear()  # another text: the window shows its own after
            self.document_id = document_id
            self.offsets = OffsetMap(text)
            # A plain text document has one block per line: where each starts, in UTF-16.
            self.block_starts = [0] + [self.offsets.to_utf16(m.end())
                                       for m in _NEWLINE.finditer(text)]
            self.spans = {s.uuid: s for s in spans}
            self.others = {s.uuid: s for s in others}
            self._number_others()
            self.lane_of = lanes(spans)
            self.index.fill(spans, others, self.offsets)
            self.setPlainText(text)  # plain text only: review text is never parsed as HTML
        finally:
            self._loading = False
        self.span_selected.emit(None)

    # --- search hits --------------------------------------------------------------------
    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        """Outline these code point ranges (in order, not overlapping) as search hits."""
        self.hits = hits
        self._hit_cp = [a for a, _ in hits]
        self.current_hit = None
        if self.offsets.same_in_utf16:
            self._hit_starts = [a for a, _ in hits]
            self._hit_ends = [b for _, b in hits]
        else:
            to16 = self.offsets.to_utf16
            self._hit_starts = [to16(a) for a, _ in hits]
            self._hit_ends = [to16(b) for _, b in hits]
        self.viewport().update()

    def show_hit(self, number: int) -> None:
        """Make hit `number` the current one: the cursor at its start, scrolled into the
        middle of the view."""
        self.current_hit = number
        start = self.hits[number][0]
        self.place_cursor(start)
        self.centerCursor()
        self.viewport().update()

    def hit_after(self, position: int, step: int) -> tuple[int, bool]:
        """The hit after (step 1) or before (step -1) the current one, or else the cursor
        `position` (code points); and whether that wrapped round an end of the text."""
        current = self.current_hit
        if current is not None and self.hits[current][0] == position:
            at = current + step  # the cursor is where the last step left it
        else:
            at = bisect_left(self._hit_cp, position) - (step < 0)
        return at % len(self.hits), not 0 <= at < len(self.hits)

    def _paint_hits(self, painter: QPainter, area, wash: bool) -> None:
        """Outline the hits on the visible lines (or, `wash`, fill the current one)."""
        if not self._hit_starts:
            return
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        starts, ends = self._hit_starts, self._hit_ends
        current = self.current_hit
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > area.bottom():
                break
            if block.isVisible() and geometry.bottom() >= area.top():
                pos, origin = block.position(), geometry.topLeft()
                first = bisect_right(ends, pos)  # the first hit ending after the block starts
                last = bisect_left(starts, pos + block.length())
                for n in range(first, last):
                    if wash and n != current:
                        continue
                    for rect, _, _ in self._fragments(block, origin, starts[n] - pos,
                                                      ends[n] - pos):
                        if wash:
                            painter.fillRect(rect, HIT_WASH)
                            continue
                        painter.setBrush(Qt.BrushStyle.NoBrush)
                        painter.setPen(QPen(HIT_COLOUR, 2.8 if n == current else 2.0))
                        painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)
            block = block.next()

    def set_others(self, others: list[Span], names: dict[str, str]) -> None:
        """Show (or, with an empty list, hide) other annotators' spans as outlines."""
        self.names = names
        for span in list(self.others.values()):
            self.index.remove(span, self.offsets)
        self.others = {s.uuid: s for s in others}
        self._number_others()
        if self.current_other not in self.others:
            self.current_other = None
        for span in others:
            self.index.add(span, self.offsets, False)
        self.viewport().update()

    def show_suggestion(self, suggestion: SpanSuggestion) -> None:
        """Step to a suggestion (Tab): outlined boldly, scrolled to, the cursor at its
        start, where Enter accepts it and Backspace rejects it."""
        self.place_cursor(suggestion.start)
        self.centerCursor()
        self.suggestions.make_current(suggestion)  # after the cursor move, which drops it

    def _number_others(self) -> None:
        """Each other annotator's outlines sit a little further in (by name), so identical
        spans of two annotators stay two outlines, not one drawn twice."""
        names = self.names
        who = sorted({s.annotator_uuid for s in self.others.values()},
                     key=lambda uuid: (names.get(uuid, ""), uuid))
        self.other_lane = {uuid: i for i, uuid in enumerate(who)}

    def show_other(self, span: Span) -> None:
        """Step to another annotator's span (F8): outlined boldly, scrolled to, the cursor
        at its start; their spans are not the current annotator's to select."""
        if span.uuid not in self.others:
            return
        old = self.others.get(self.current_other) if self.current_other else None
        self.current_other = span.uuid
        self.place_cursor(span.start)
        self.centerCursor()
        self._repaint(old, span)

    def set_disputed(self, uuids: set[str]) -> None:
        """Flag the spans annotators disagree on (compare mode): a small dark triangle at
        each one's start, drawn in the text colour so it reads on any label colour."""
        if uuids != self.disputed:
            self.disputed = uuids
            self.viewport().update()

    def _near(self, span: Span) -> list[Span]:
        """Own spans sharing a block with this one: all that can overlap it, found quickly."""
        s16, e16 = self.offsets.to_utf16(span.start), self.offsets.to_utf16(span.end)
        return [e.span for n in self.index.blocks_of(s16, e16)
                for e in self.index.by_block.get(n, ()) if e.mine]

    def add_span(self, span: Span) -> None:
        self.add_spans([span])

    def add_spans(self, spans: list[Span]) -> None:
        """New spans of mine; many at once (suggestions accepted together) repaint the
        screen once, not the lines of each."""
        for span in spans:
            self.spans[span.uuid] = span
            self.lane_of[span.uuid] = free_lane(span, self._near(span), self.lane_of)
            self.index.add(span, self.offsets, True)
        if len(spans) > 20:
            self.viewport().update()
        else:
            self._repaint(*spans)

    def remove_span(self, span: Span) -> None:
        if self.spans.pop(span.uuid, None) is None:
            return
        self.lane_of.pop(span.uuid, None)
        if self.selected == span.uuid:
            self.selected = None
            self.span_selected.emit(None)
        self.index.remove(span, self.offsets)
        self._repaint(span)

    def replace_span(self, old: Span, new: Span) -> None:
        """An edit in place keeps the span selected and in its lane where it still fits."""
        was_selected = self.selected == old.uuid
        self.index.remove(old, self.offsets)
        self.spans[new.uuid] = new
        if new.start != old.start or new.end != old.end:
            self.lane_of[new.uuid] = free_lane(new, self._near(new), self.lane_of)
        self.index.add(new, self.offsets, True)
        if was_selected:
            self.span_selected.emit(new)
        self._repaint(old, new)

    def _repaint(self, *spans: Span | None) -> None:
        """Repaint only the lines these spans are on: the rest of the screen is unchanged."""
        doc, offset = self.document(), self.contentOffset()
        for span in spans:
            if span is None:
                continue
            blocks = self.index.blocks_of(self.offsets.to_utf16(span.start),
                                          self.offsets.to_utf16(span.end))
            top = self.blockBoundingGeometry(doc.findBlockByNumber(blocks.start))
            bottom = self.blockBoundingGeometry(doc.findBlockByNumber(blocks.stop - 1))
            area = top.united(bottom).translated(offset).adjusted(-4, -2, 4, 2)
            self.viewport().update(area.toAlignedRect())

    # --- positions ----------------------------------------------------------------------
    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as code point offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (self.offsets.to_codepoint(cursor.selectionStart()),
                self.offsets.to_codepoint(cursor.selectionEnd()))

    def select_range(self, start: int, end: int) -> None:
        """Select code points [start, end) as if the user had dragged over them."""
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def cursor_position(self) -> int:
        """Where the text cursor is, in code points."""
        return self.offsets.to_codepoint(self.textCursor().position())

    def place_cursor(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_utf16(position))
        self.setTextCursor(cursor)

    def select_span(self, span: Span) -> None:
        """Select one of the current annotator's spans, the text cursor at its start."""
        if span.uuid not in self.spans:
            return
        self.place_cursor(span.start)
        self._select_span(span)

    def reveal_span(self, span: Span) -> None:
        """Scroll to a span and select it (from the span table)."""
        self.select_span(span)
        self.centerCursor()

    def selected_span(self) -> Span | None:
        return self.spans.get(self.selected) if self.selected else None

    def span_at(self, position: int) -> Span | None:
        covering = self.spans_at(position)
        return covering[0] if covering else None

    def spans_at(self, position: int) -> list[Span]:
        """Own spans covering a position, innermost first: the order clicks cycle through."""
        if not 0 <= position <= self.offsets.length:
            return []
        block = bisect_right(self.block_starts, self.offsets.to_utf16(position)) - 1
        covering = [e.span for e in self.index.by_block.get(block, ())
                    if e.mine and e.span.covers(position)]
        return sorted(covering, key=lambda s: (s.end - s.start, s.start, s.uuid))

    def _cursor_moved(self) -> None:
        if self._loading:
            return
        cursor = self.textCursor()
        other = self.others.get(self.current_other) if self.current_other else None
        if other is not None and not other.covers(self.offsets.to_codepoint(cursor.position())):
            self.current_other = None  # moved away from the span stepped to
            self._repaint(other)
        suggestion = self.suggestions.current_suggestion()
        if suggestion is not None and (cursor.hasSelection() or not suggestion.start
                                       <= self.offsets.to_codepoint(cursor.position())
                                       < suggestion.end):
            self.suggestions.make_current(None)  # clicked or selected elsewhere
        span = None
        if not cursor.hasSelection():
            span = self.span_at(self.offsets.to_codepoint(cursor.position()))
        self._select_span(span)

    def _select_span(self, span: Span | None) -> None:
        uuid = span.uuid if span else None
        if uuid == self.selected:
            return
        old = self.spans.get(self.selected) if self.selected else None
        self.selected = uuid
        self._repaint(old, span)
        self.span_selected.emit(span)

    def state(self) -> ViewState:
        cursor = self.textCursor()
        return ViewState(self.verticalScrollBar().value(),
                         self.offsets.to_codepoint(cursor.anchor()),
                         self.offsets.to_codepoint(cursor.position()), self.selected)

    def restore(self, state: ViewState) -> None:
        length = self.offsets.length
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_utf16(min(state.anchor, length)))
        cursor.setPosition(self.offsets.to_utf16(min(state.position, length)),
                           QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        if state.selected in self.spans:
            self._select_span(self.spans[state.selected])
        self.verticalScrollBar().setValue(state.scroll)

    # --- zoom ---------------------------------------------------------------------------
    def set_zoom(self, steps: int) -> int:
        self.zoom = max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], steps))
        font = self.font()
        font.setPointSizeF(self._base_point_size * ZOOM_STEP ** self.zoom)
        self.setFont(font)
        return self.zoom

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # Our zoom, not QPlainTextEdit's own, so the remembered level stays right.
            delta = event.angleDelta().y()
            if delta:
                self.set_zoom(self.zoom + (1 if delta > 0 else -1))
            event.accept()
            return
        super().wheelEvent(event)

    # --- mouse and keys -----------------------------------------------------------------
    def char_at(self, point) -> int:
        """The character under a point (code points), not the gap nearest to it.

        The text cursor goes to the nearest gap, so a click on the right half of a span's
        last letter would land after the span; and at a wrap, the gap is on two lines.
        """
        block = self.cursorForPosition(point).block()
        top_left = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        layout = block.layout()
        y = point.y() - top_left.y()
        lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        line = next((ln for ln in lines if y < ln.y() + ln.height()), lines[-1] if lines else None)
        if line is None or line.textLength() == 0:
            return self.offsets.to_codepoint(block.position())
        x = point.x() - top_left.x()
        end = line.textStart() + line.textLength()
        if line.lineNumber() == layout.lineCount() - 1 and x > line.x() + line.naturalTextWidth():
            return self.offsets.to_codepoint(block.position() + end)  # past the paragraph's end
        at = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        at = max(line.textStart(), min(at, end - 1))  # a wrapped line's end: its last space
        return self.offsets.to_codepoint(block.position() + at)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.exact_selection = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        previous = self.selected
        super().mousePressEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        hit = self.char_at(event.position().toPoint())
        covering = self.spans_at(hit)
        uuids = [s.uuid for s in covering]
        if hit == self._last_hit and previous in uuids and len(covering) > 1:
            # Another click on the same spot: the next of the spans that overlap there.
            self._select_span(covering[(uuids.index(previous) + 1) % len(covering)])
        else:
            self._select_span(covering[0] if covering else None)
        self._last_hit = hit

    def event(self, event: QEvent) -> bool:
        # Tab, Enter and Backspace act on suggestions while there are some to act on:
        # taken before the window's shortcuts (Backspace deletes a span) and before Tab
        # moves the focus; otherwise they keep their usual meaning.
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
                event, QKeyEvent):
            action = self.suggestions.key_action(event)
            if action is not None:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    self.suggestion_key.emit(action)
                return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.exact_selection = False  # keyboard selections snap unless the toggle says not
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # The menu acts on what was right-clicked: the selected text if the click is in it,
        # else the span under the pointer (the selected one, if it is there too). From the
        # keyboard (Menu key, Shift+F10) it acts on the selection as it is.
        hit = self.char_at(event.pos())
        selection = self.selection_range()
        from_mouse = event.reason() != QContextMenuEvent.Reason.Keyboard
        if from_mouse and (selection is None or not selection[0] <= hit < selection[1]):
            covering = self.spans_at(hit)
            keep = self.selected_span() if self.selected in {s.uuid for s in covering} else None
            self.place_cursor(hit)
            self._select_span(keep or (covering[0] if covering else None))
        menu = QMenu(self)
        for action in self.menu_actions:
            if action is None:
                menu.addSeparator()
            elif action.isEnabled():
                menu.addAction(action)
        standard = self.createStandardContextMenu(event.pos())
        menu.addSeparator()
        for action in standard.actions():
            menu.addAction(action)
        self.popup(menu, event.globalPos())
        standard.deleteLater()
        menu.deleteLater()

    def popup(self, menu: QMenu, position) -> None:
        """Show a context menu and wait for the choice (a seam for tests)."""
        menu.exec(position)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.offsets.to_codepoint(self.cursorForPosition(event.pos()).position())
            tip = self.tooltip_at(position)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, position: int) -> str:
        """Every span under a position: label, annotator, note (rich text, all escaped)."""
        covering = [s for s in self.spans.values() if s.covers(position)]
        covering += [s for s in self.others.values() if s.covers(position)]
        parts = []
        for span in sorted(covering, key=lambda s: (s.end - s.start, s.start)):
            label = self.labels.get(span.label_uuid)
            name = self.names.get(span.annotator_uuid, "")
            line = f"<b>{escape(label.name if label else '?')}</b>"
            if span.uuid in self.others:
                line += f" — {escape(name or 'another annotator')}"
            elif name:
                line += f" — {escape(name)}"
            if span.note:
                line += "<br>" + escape(span.note).replace("\n", "<br>")
            parts.append(line)
        parts += self.suggestions.tooltip_at(position)
        return "<hr>".join(parts)

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        visible = self._visible_blocks(event.rect()) if self.index.by_block else []
        hits = bool(self._hit_starts)
        if visible or (hits and self.current_hit is not None):
            painter = QPainter(self.viewport())
            base = self.palette().base().color()
            for block, origin, _entries in visible:
                self._paint_tints(painter, block, origin, base)
            if hits and self.current_hit is not None:
                self._paint_hits(painter, event.rect(), wash=True)
            painter.end()
        super().paintEvent(event)  # the text, over the tints
        marks = self.suggestions.shown and bool(self.suggestions.by_block)
        if visible or hits or marks:
            painter = QPainter(self.viewport())
            for block, origin, entries in visible:
                self._paint_block(painter, block, origin, entries)
            self.suggestions.paint(painter, event.rect())
            self._paint_hits(painter, event.rect(), wash=False)
            painter.end()

    def _visible_blocks(self, area) -> list[tuple[QTextBlock, QPointF, list[Entry]]]:
        found = []
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > area.bottom():
                break
            entries = self.index.by_block.get(block.blockNumber())
            if entries and block.isVisible() and geometry.bottom() >= area.top():
                found.append((block, geometry.topLeft(), entries))
            block = block.next()
        return found

    def _fragments(self, block: QTextBlock, origin: QPointF, a: int, b: int):
        """Rectangles, one per wrapped line, covering block-relative UTF-16 [a, b)."""
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            first, last = line.textStart(), line.textStart() + line.textLength()
            if b <= first or a >= last:
                continue
            x0 = _x(line, max(a, first))
            x1 = _x(line, min(b, last))
            yield (QRectF(origin.x() + x0, origin.y() + line.y(), max(x1 - x0, 2.0),
                          line.height()), a >= first, b <= last)

    def _paint_tints(self, painter: QPainter, block: QTextBlock, origin: QPointF,
                     base: QColor) -> None:
        runs = self.index.tints(block.blockNumber(), block.position(), block.length() - 1,
                                base)
        for a, b, colour in runs:
            for rect, _, _ in self._fragments(block, origin, a, b):
                painter.fillRect(rect, colour)

    def _paint_block(self, painter: QPainter, block: QTextBlock, origin: QPointF,
                     entries: list[Entry]) -> None:
        pos = block.position()
        text_colour = self.palette().text().color()
        for entry in sorted(entries, key=lambda e: not e.mine):  # others' outlines below
            colour = self.index.colours.get(entry.span.label_uuid, _GREY)
            for rect, starts_here, ends_here in self._fragments(block, origin, entry.s16 - pos,
                                                                entry.e16 - pos):
                if entry.mine:
                    self._paint_own(painter, entry, rect, colour, starts_here, ends_here)
                    if entry.span.uuid == self.selected:
                        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                        painter.setPen(QPen(text_colour, 1.6))
                        painter.setBrush(Qt.BrushStyle.NoBrush)
                        painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 3, 3)
                else:
                    self._paint_other(painter, entry, rect, colour, text_colour)
                if starts_here and entry.span.uuid in self.disputed:
                    self._paint_flag(painter, rect, text_colour)

    def _paint_other(self, painter: QPainter, entry: Entry, rect: QRectF, colour: QColor,
                     text_colour: QColor) -> None:
        """A dashed outline, set in by the annotator's place (1.5 px each, up to three), so
        two annotators' identical spans show as two; the one stepped to, solid and bold."""
        inset = 1.5 * min(self.other_lane.get(entry.span.annotator_uuid, 0), 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if entry.span.uuid == self.current_other:
            painter.setPen(QPen(text_colour, 2.0))
            painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 3, 3)
        painter.setPen(QPen(colour, 1.6, Qt.PenStyle.DashLine))
        painter.drawRect(rect.adjusted(0.5 + inset, 1.5 + inset, -0.5 - inset, -0.5 - inset))

    def _paint_flag(self, painter: QPainter, rect: QRectF, colour: QColor) -> None:
        """A small triangle just before the span's first letter, in the gap before it, so
        it never covers a glyph."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        x, y = rect.left() - 1, rect.top() + 1
        painter.drawPolygon([QPointF(x - 5, y), QPointF(x, y), QPointF(x, y + 5)])

    def _paint_own(self, painter: QPainter, entry: Entry, rect: QRectF, colour: QColor,
                   starts_here: bool, ends_here: bool) -> None:
        # Plain text lines have no spare leading, so lanes use the strips text rarely
        # reaches: two below the baseline (descenders only), two above the capitals.
        lane = min(self.lane_of.get(entry.span.uuid, 0), MAX_LANE)
        bottom, top = round(rect.bottom()), round(rect.top())
        y = float((bottom - 1, bottom - 4, top + 1, top + 4)[lane])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp, true colour
        painter.setPen(QPen(colour, 2.0))
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        dark_page = self.palette().base().color().lightness() < 128
        edge = QColor(colour).lighter(135) if dark_page else QColor(colour).darker(140)
        painter.setPen(QPen(edge, 2.0))
        if starts_here:
            painter.drawLine(QPointF(rect.left(), rect.top() + 1), rect.bottomLeft())
        if ends_here:
            painter.drawLine(QPointF(rect.right(), rect.top() + 1), rect.bottomRight())
