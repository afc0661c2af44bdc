"""A pairwise measure drawn as a matrix of coloured cells: each annotator against each other."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QLinearGradient, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..plain import tooltip

# ColorBrewer "Blues": one hue from light to dark, readable by every common form of colour
# blindness and in greyscale print. Values below 0 (alpha and kappa can go there) get the
# lightest blue; the number printed in the cell says how far below.
BLUES = ("#F7FBFF", "#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5",
         "#08519C", "#08306B")
UNDEFINED = QColor("#E4E4E4")
HATCH = QColor("#A8A8A8")
# Pure black and white: on the mid blues, where the two meet, anything softer falls below
# WCAG's 4.5:1 for text.
DARK_INK, LIGHT_INK = QColor("#000000"), QColor("#FFFFFF")
MIN_CELL, MAX_CELL = 44, 96
GAP = 2  # between cells, in the window's colour
NAME_ROOM = 160  # at most this wide, a name on the left axis; longer ones are elided
LEGEND_TICKS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def cell_colour(value: float) -> QColor:
    """The scale's colour for a value; clamped to 0..1."""
    at = min(max(value, 0.0), 1.0) * (len(BLUES) - 1)
    low = int(at)
    if low >= len(BLUES) - 1:
        return QColor(BLUES[-1])
    a, b, t = QColor(BLUES[low]), QColor(BLUES[low + 1]), at - low
    return QColor.fromRgbF(*(x + (y - x) * t for x, y in zip(rgb(a), rgb(b), strict=True)))


def rgb(colour: QColor) -> tuple[float, float, float]:
    """Red, green and blue, 0 to 1: getRgbF()'s first three, which its stub types as object."""
    return colour.redF(), colour.greenF(), colour.blueF()


def luminance(colour: QColor) -> float:
    """WCAG's relative luminance, 0 (black) to 1 (white)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(colour: QColor) -> QColor:
    """Black or white, whichever contrasts more with the cell (WCAG's contrast ratio)."""
    cell = luminance(colour)
    white = (luminance(LIGHT_INK) + 0.05) / (cell + 0.05)
    black = (cell + 0.05) / (luminance(DARK_INK) + 0.05)
    return LIGHT_INK if white > black else DARK_INK


def number(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


class Heatmap(QWidget):
    """set_matrix(names, values, measure) shows it; value_at, tooltip_at and cell_rect say
    what a cell holds and where it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.values: list[list[float | None]] = []
        self.measure = ""
        self.why = ""  # why undefined cells are undefined, when the service says
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_matrix(self, names: list[str], values: list[list[float | None]], measure: str,
                   why: str = "") -> None:
        self.names, self.values, self.measure, self.why = list(names), values, measure, why
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.set_matrix([], [], "")

    # --- what a cell holds --------------------------------------------------------------
    def value_at(self, i: int, j: int) -> float | None:
        return self.values[i][j]

    def text_at(self, i: int, j: int) -> str:
        return "" if i == j else number(self.values[i][j])

    def tooltip_at(self, i: int, j: int) -> str:
        a, b = self.names[i], self.names[j]
        if i == j:
            return f"{a}: compared with the others only"
        value = self.values[i][j]
        if value is None:
            return f"{a} vs {b}: undefined ({self.why or self.measure})"
        return f"{a} vs {b}: {value:.3f} ({self.measure})"

    # --- geometry -----------------------------------------------------------------------
    def _name_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in self.names), default=0)
        return min(widest, NAME_ROOM) + 12

    def _layout(self) -> tuple[int, QPoint, bool]:
        """(cell size, top-left of the first cell, whether the names above stand on end)."""
        metrics = self.fontMetrics()
        n = max(len(self.names), 1)
        widest = min(max((metrics.horizontalAdvance(x) for x in self.names), default=0),
                     NAME_ROOM)
        name_w = self._name_width()
        room_w = (self.width() - name_w - 16) // n
        room_h = self.height() - self._legend_room() - 16
        cell, standing = MIN_CELL, False
        for standing in (False, True):  # level names if they fit a cell, else on end
            top = (min(widest, NAME_ROOM) + 10) if standing else metrics.height() + 8
            cell = max(MIN_CELL, min(MAX_CELL, room_w, (room_h - top) // n))
            if widest + 6 <= cell - GAP:
                break
        left = max(8, (self.width() - name_w - n * cell) // 2) + name_w  # centred
        return cell, QPoint(left, 8 + top), standing

    def _legend_room(self) -> int:
        return 2 * self.fontMetrics().height() + 24

    def cell_rect(self, i: int, j: int) -> QRect:
        """Row i (the annotator on the left), column j (the one above)."""
        size, origin, _ = self._layout()
        return QRect(origin.x() + j * size, origin.y() + i * size, size - GAP, size - GAP)

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        n = len(self.names)
        for i in range(n):
            for j in range(n):
                if self.cell_rect(i, j).adjusted(0, 0, GAP, GAP).contains(point):
                    return i, j
        return None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        n = max(len(self.names), 2)
        return QSize(self._name_width() + n * 72 + 24,
                     self.fontMetrics().height() * 4 + n * 72 + 48)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        n = max(len(self.names), 2)
        return QSize(self._name_width() + n * MIN_CELL + 24, 3 * self.fontMetrics().height()
                     + n * MIN_CELL + 40)

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        n = len(self.names)
        if not n:
            return
        size, origin, standing = self._layout()
        for k, name in enumerate(self.names):
            painter.setPen(ink)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, NAME_ROOM)
            row = QRect(origin.x() - self._name_width(), origin.y() + k * size,
                        self._name_width() - 10, size - GAP)
            painter.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             shown)
            if standing:  # read bottom to top, as on a chart's axis
                painter.save()
                painter.translate(origin.x() + k * size + (size - GAP) / 2
                                  + metrics.ascent() / 2 - metrics.descent(), origin.y() - 6)
                painter.rotate(-90)
                painter.drawText(0, 0, shown)
                painter.restore()
            else:
                column = QRect(origin.x() + k * size, 8, size - GAP, origin.y() - 12)
                painter.drawText(column, Qt.AlignmentFlag.AlignHCenter
                                 | Qt.AlignmentFlag.AlignBottom, shown)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        for i in range(n):
            for j in range(n):
                self._paint_cell(painter, i, j)
        painter.setFont(self.font())
        self._paint_legend(painter, origin.x(), origin.y() + n * size + 10,
                           max(n * size - GAP, 4 * MIN_CELL), ink)

    def _paint_cell(self, painter: QPainter, i: int, j: int) -> None:
        rect = self.cell_rect(i, j)
        value = self.values[i][j]
        if i == j:  # agreement with oneself says nothing: an empty frame, not a colour
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1,
                                Qt.PenStyle.DotLine))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            return
        if value is None:
            painter.fillRect(rect, UNDEFINED)
            painter.fillRect(rect, QBrush(HATCH, Qt.BrushStyle.BDiagPattern))
            painter.setPen(DARK_INK)
        else:
            colour = cell_colour(value)
            painter.fillRect(rect, colour)
            painter.setPen(ink_on(colour))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text_at(i, j))

    def _paint_legend(self, painter: QPainter, x: int, y: int, width: int, ink: QColor) -> None:
        gradient = QLinearGradient(x, 0, x + width, 0)
        for k, colour in enumerate(BLUES):
            gradient.setColorAt(k / (len(BLUES) - 1), QColor(colour))
        bar = QRect(x, y, width, 10)
        painter.fillRect(bar, gradient)
        painter.setPen(QPen(HATCH))
        painter.drawRect(bar.adjusted(0, 0, -1, -1))
        painter.setPen(ink)
        metrics = self.fontMetrics()
        for tick in LEGEND_TICKS:
            at = x + round(tick * (width - 1))
            painter.drawLine(at, y + 10, at, y + 13)
            text = f"{tick:g}"
            w = metrics.horizontalAdvance(text)
            left = min(max(at - w // 2, x), x + width - w)
            painter.drawText(left, y + 14 + metrics.ascent(), text)
        painter.drawText(x, y + 18 + metrics.height() + metrics.ascent(),
                         "below 0: lightest; hatched: undefined")

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            cell = self.cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), tooltip(self.tooltip_at(*cell)), self,
                                  self.cell_rect(*cell))
            return True
        return super().event(event)
