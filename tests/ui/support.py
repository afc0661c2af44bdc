"""What UI stories share: selecting like a user, reading back what was painted."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor


def utf16(text: str, codepoint: int) -> int:
    """Qt position of a code point offset, computed independently of the app."""
    return len(text[:codepoint].encode("utf-16-le")) // 2


def select_with_keyboard(qtbot, view, text: str, phrase: str) -> None:
    """Put the cursor before `phrase`, then Shift+Right over it, as a user would."""
    start = text.index(phrase)
    cursor = view.textCursor()
    cursor.setPosition(utf16(text, start))
    view.setTextCursor(cursor)
    for _ in range(utf16(text, start + len(phrase)) - utf16(text, start)):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def click_at(qtbot, view, text: str, codepoint: int) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16(text, codepoint))
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def background_at(view, text: str, codepoint: int) -> QColor | None:
    """The colour a person sees behind a character, or None for the page's own colour.

    Read from the pixels of the character's cell: the most common colour there is the
    background, whatever the glyph, the lanes and the edge bars add.
    """
    view.viewport().repaint()
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16(text, codepoint))
    left = view.cursorRect(cursor)
    cursor.setPosition(utf16(text, codepoint + 1))
    right = view.cursorRect(cursor)
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    counts: dict[str, int] = {}
    for x in range(left.center().x() + 2, max(right.center().x() - 1, left.center().x() + 3)):
        for y in range(left.top() + 2, left.bottom() - 5):
            name = image.pixelColor(int(x * ratio), int(y * ratio)).name()
            counts[name] = counts.get(name, 0) + 1
    colour = QColor(max(counts, key=counts.get))
    return None if colour == view.palette().base().color() else colour


def label_colour(window, name: str) -> QColor:
    return QColor(next(lb.colour for lb in window.labels if lb.name == name))


def db_rows(workspace):
    conn = workspace.store.conn
    return {
        "annotations": conn.execute("SELECT * FROM annotations ORDER BY uuid").fetchall(),
        "status": conn.execute("SELECT document_id, annotator_uuid, status "
                               "FROM document_status ORDER BY 1, 2").fetchall(),
    }


def fail_to_save(monkeypatch, window, table: str, method: str) -> list[str]:
    """Make the store's `table.method` (e.g. "spans", "add") fail as a locked database
    does; returns the messages the window showed."""
    from annotator.domain.errors import DatabaseLocked
    from annotator.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window, "inform", lambda parent, title, text, warning=False:
                        shown.append(text))

    def locked(*args, **kwargs):
        raise DatabaseLocked("the database is in use by another program (database is locked)")
    monkeypatch.setattr(getattr(window.workspace.store, table), method, locked)
    return shown
