"""A strip above the document that says what is wrong with the database, and what to do.

Shown for a database found damaged when it was opened (open for reading only, with an
offer to restore a backup), and for things worth knowing that did not stop it opening (a
check left for later, a backup not made, a text changed outside Annotator). Plain text
only: the messages quote file names and titles.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from ..plain import plain_label

# Red for damage (nothing can be saved), amber for a warning, blue for something to know.
# The text is dark on every theme: the backgrounds are light on a dark desktop too.
_COLOURS = {"damaged": ("#fde2e1", "#d9534f"), "warning": ("#fff4d6", "#e0b23c"),
            "info": ("#e3effa", "#6f9fd8")}
_STYLE = ("QFrame#banner {{ background: {0}; border-bottom: 1px solid {1}; }}"
          " QFrame#banner QLabel, QFrame#banner QToolButton {{ color: #1f1f1f; }}")
_STYLES = {kind: _STYLE.format(*colours) for kind, colours in _COLOURS.items()}


class Banner(QFrame):
    """Hidden until `show_message`; a damage message has no close button (it stays while
    the database is open), a warning or a note ("info") can be dismissed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.text = plain_label(QLabel(self))
        self.text.setObjectName("bannerText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self._buttons: list[QPushButton] = []
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("bannerClose")
        self.close_button.setText("✕")
        self.close_button.setToolTip("Hide this message")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.close_button)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "warning",
                     actions: list[tuple[str, Callable[[], object]]] | None = None) -> None:
        """Show `text` (plain) with a button for each (caption, slot) in `actions`; `kind`
        is "damaged", "warning" or "info"."""
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        for button in self._buttons:
            layout.removeWidget(button)
            button.deleteLater()
        self._buttons = []
        for caption, slot in actions or []:
            button = QPushButton(caption, self)
            button.clicked.connect(lambda _=False, slot=slot: slot())
            layout.insertWidget(layout.count() - 1, button)
            self._buttons.append(button)
        self.kind = kind
        self.text.setText(text)
        self.setStyleSheet(_STYLES.get(kind, _STYLES["warning"]))
        self.close_button.setVisible(kind != "damaged")
        self.show()

    @property
    def buttons(self) -> list[QPushButton]:
        return list(self._buttons)
