"""The read-only document pane: plain text, spans painted in their label colours."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from annotator.domain.model import Label, Span
from annotator.domain.offsets import OffsetMap
from annotator.services.annotations import span_at

ALPHA = 0.38  # how strongly each covering span tints the background


def blend(base: QColor, colours: list[QColor]) -> QColor:
    """Tint base with each colour in turn: overlapping spans get a deeper, mixed tint."""
    r, g, b = base.redF(), base.greenF(), base.blueF()
    for c in colours:
        r = r * (1 - ALPHA) + c.redF() * ALPHA
        g = g * (1 - ALPHA) + c.greenF() * ALPHA
        b = b * (1 - ALPHA) + c.blueF() * ALPHA
    return QColor.fromRgbF(r, g, b)


class SpanHighlighter(QSyntaxHighlighter):
    """Paints spans block by block; adding or removing a span repaints only its blocks."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view.document())
        self.view = view
        self.by_block: dict[int, list[tuple[int, int, Span]]] = {}  # UTF-16 offsets
        self.colours: dict[str, QColor] = {}
        self.selected: str | None = None

    def blocks_of(self, start16: int, end16: int) -> range:
        doc = self.view.document()  # also while the highlighter is detached
        first = doc.findBlock(start16).blockNumber()
        last = doc.findBlock(max(start16, end16 - 1)).blockNumber()
        return range(first, last + 1)

    def index(self, spans: list[Span], offsets: OffsetMap) -> None:
        self.by_block.clear()
        for span in spans:
            self._add(span, offsets)

    def _add(self, span: Span, offsets: OffsetMap) -> range:
        s16, e16 = offsets.to_utf16(span.start), offsets.to_utf16(span.end)
        blocks = self.blocks_of(s16, e16)
        for n in blocks:
            self.by_block.setdefault(n, []).append((s16, e16, span))
        return blocks

    def add(self, span: Span, offsets: OffsetMap) -> None:
        self.repaint(self._add(span, offsets))

    def remove(self, span: Span, offsets: OffsetMap) -> None:
        blocks = self.blocks_of(offsets.to_utf16(span.start), offsets.to_utf16(span.end))
        for n in blocks:
            entries = self.by_block.get(n, [])
            entries[:] = [e for e in entries if e[2].uuid != span.uuid]
        self.repaint(blocks)

    def repaint(self, blocks: range) -> None:
        doc = self.document()
        if doc is None:
            return
        for n in blocks:
            block = doc.findBlockByNumber(n)
            if block.isValid():
                self.rehighlightBlock(block)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        block = self.currentBlock()
        entries = self.by_block.get(block.blockNumber())
        if not entries:
            return
        pos, length = block.position(), block.length() - 1  # UTF-16 units, like the spans
        cuts = {0, length}
        for s16, e16, _ in entries:
            cuts.add(min(max(s16 - pos, 0), length))
            cuts.add(min(max(e16 - pos, 0), length))
        edges = sorted(cuts)
        base = self.view.palette().base().color()
        for a, b in zip(edges, edges[1:], strict=False):
            covering = [sp for s16, e16, sp in entries if s16 < pos + b and e16 > pos + a]
            if not covering:
                continue
            covering.sort(key=lambda sp: (sp.start, -sp.end))
            fmt = QTextCharFormat()
            fmt.setBackground(blend(base, [self.colours.get(sp.label_uuid, QColor("gray"))
                                           for sp in covering]))
            if any(sp.uuid == self.selected for sp in covering):
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(self.view.palette().text().color())
                fmt.setFontUnderline(True)
            self.setFormat(a, b - a, fmt)


class DocumentView(QPlainTextEdit):
    """Shows one document; reports selections and the span under the cursor in code points."""

    span_selected = Signal(object)  # Span | None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self.offsets = OffsetMap("")
        self.spans: dict[str, Span] = {}
        self.labels: dict[str, Label] = {}
        self.document_id: int | None = None
        self.highlighter = SpanHighlighter(self)
        self.cursorPositionChanged.connect(self._cursor_moved)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)

    # --- content ------------------------------------------------------------------------
    def set_labels(self, labels: list[Label]) -> None:
        self.labels = {label.uuid: label for label in labels}
        self.highlighter.colours = {label.uuid: QColor(label.colour) for label in labels}
        self.highlighter.rehighlight()

    def show_document(self, document_id: int | None, text: str, spans: list[Span]) -> None:
        self.document_id = document_id
        self.offsets = OffsetMap(text)
        self.spans = {s.uuid: s for s in spans}
        self.highlighter.selected = None
        # Detach while the text changes, so the spans are indexed against the new blocks and
        # painted in a single pass when the highlighter is attached again.
        self.highlighter.setDocument(None)
        self.setPlainText(text)  # plain text only: review text is never parsed as HTML
        self.highlighter.index(spans, self.offsets)
        self.highlighter.setDocument(self.document())
        self.span_selected.emit(None)

    def add_span(self, span: Span) -> None:
        self.spans[span.uuid] = span
        self.highlighter.add(span, self.offsets)

    def remove_span(self, span: Span) -> None:
        if self.spans.pop(span.uuid, None) is None:
            return
        if self.highlighter.selected == span.uuid:
            self.highlighter.selected = None
            self.span_selected.emit(None)
        self.highlighter.remove(span, self.offsets)

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

    def place_cursor(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_utf16(position))
        self.setTextCursor(cursor)

    def selected_span(self) -> Span | None:
        uuid = self.highlighter.selected
        return self.spans.get(uuid) if uuid else None

    def span_at(self, position: int) -> Span | None:
        return span_at(list(self.spans.values()), position)

    def _cursor_moved(self) -> None:
        cursor = self.textCursor()
        span = None
        if not cursor.hasSelection():
            span = self.span_at(self.offsets.to_codepoint(cursor.position()))
        self._select_span(span)

    def _select_span(self, span: Span | None) -> None:
        old = self.selected_span()
        if old is span or (old and span and old.uuid == span.uuid):
            return
        self.highlighter.selected = span.uuid if span else None
        for s in (old, span):
            if s is not None:
                self.highlighter.repaint(self.highlighter.blocks_of(
                    self.offsets.to_utf16(s.start), self.offsets.to_utf16(s.end)))
        self.span_selected.emit(span)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            cursor = self.cursorForPosition(event.pos())
            span = self.span_at(self.offsets.to_codepoint(cursor.position()))
            if span is not None:
                label = self.labels.get(span.label_uuid)
                tip = f"<b>{escape(label.name if label else '?')}</b>"
                if span.note:
                    tip += "<br>" + escape(span.note).replace("\n", "<br>")
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
