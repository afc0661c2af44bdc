"""Text from users and files shown exactly as typed, never as Qt rich text.

Qt renders any string that merely looks like markup as HTML: in tooltips, QLabel (AutoText)
and item-model tooltips. An imported title holding `<img src=/local/file>` would load and
draw that file. Every such string passes through here: tooltips are escaped inside a rich
text paragraph (so `&` and `<` read as typed, and long text wraps); labels are plain text.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def tooltip(text: str | None) -> str:
    """A tooltip showing `text` as typed (line breaks kept); "" for none."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + escape(text).replace("\n", "<br>") + "</p>"


def plain_label(label: QLabel, text: str | None = None) -> QLabel:
    """The label shows plain text only; with `text`, set it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    if text is not None:
        label.setText(text)
    return label
