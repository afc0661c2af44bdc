"""The spoiler shield: a review as a reader would see it, with one label's spans hidden."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Label, Span
from annotator.domain.shield import breaks_around, reading_parts, spoiler_free_text

from ..icons import swatch
from ..views.document_view import blend

# Bar width in no-break spaces: grows with the hidden text, capped because a bar cannot wrap.
BAR_MIN, BAR_MAX = 4, 48


def is_spoiler_label(label: Label) -> bool:
    return label.name.strip().casefold() == "spoiler"


def bar_width(hidden: str) -> int:
    return max(BAR_MIN, min(len(hidden.strip()), BAR_MAX))


def reading_html(parts: list[tuple[str, bool]], revealed: set[int], tooltip: str,
                 bar: QColor, reveal: QColor) -> str:
    """HTML for the reading view, built only from escaped pieces of the text.

    The n-th hidden piece is a bar linking to reveal:n while hidden; its words are not in the
    HTML at all, so selecting and copying the view cannot leak them.
    """
    out = []
    n = 0
    for piece, hidden in parts:
        if not hidden:
            out.append(escape(piece))
            continue
        if n in revealed:
            out.append(f'<span style="background-color:{reveal.name()}">{escape(piece)}</span>')
        else:
            before, after = breaks_around(piece)
            out.append(
                f'{escape(before)}<a href="reveal:{n}" title="{escape(tooltip)}" '
                f'style="background-color:{bar.name()}; color:{bar.name()}; '
                f'text-decoration:none">{"&nbsp;" * bar_width(piece)}</a>{escape(after)}')
        n += 1
    # pre-wrap keeps the review's own spaces and line breaks; each newline becomes a block.
    return ('<p style="white-space:pre-wrap; line-height:145%; margin:0">'
            + "".join(out) + "</p>")


def bar_colour(ink: QColor, page: QColor) -> QColor:
    """The text colour with a touch of the page: solid and dark (in a light theme), not harsh."""
    return QColor.fromRgbF(*(0.82 * i + 0.18 * p for i, p in zip(
        (ink.redF(), ink.greenF(), ink.blueF()), (page.redF(), page.greenF(), page.blueF()),
        strict=True)))


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class SpoilerShield(QDialog):
    """`spans`: every span on screen (the annotator's own, and in compare mode the others'
    shown); `names` says whose they are (annotator uuid -> name; `me` is "you")."""

    def __init__(self, title: str, text: str, labels: list[Label], spans: list[Span],
                 parent: QWidget | None = None, names: dict[str, str] | None = None,
                 me: str | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.labels = list(labels)
        self.spans = list(spans)
        self.names, self.me = names or {}, me
        self.revealed: set[int] = set()
        self.setWindowTitle(f"Spoiler shield — {title}")
        self.resize(760, 560)
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        heading = QVBoxLayout()
        # Titles and label names come from imported files: always plain text.
        self.heading = QLabel(title, self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        heading.addWidget(self.heading)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        heading.addWidget(self.summary)
        top.addLayout(heading, 1)
        self.label_choice = QComboBox(self)
        for label in self.labels:
            self.label_choice.addItem(swatch(label.colour), label.name, label.uuid)
        self.label_choice.setCurrentIndex(self._default_label_index())
        shield_caption = QLabel("&Shield:", self)
        shield_caption.setBuddy(self.label_choice)
        chooser = QHBoxLayout()
        chooser.addWidget(shield_caption)
        chooser.addWidget(self.label_choice)
        top.addLayout(chooser)
        top.setAlignment(chooser, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(18)
        font = self.browser.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.browser.setFont(font)
        self.browser.anchorClicked.connect(self._clicked)
        layout.addWidget(self.browser, 1)

        bottom = QHBoxLayout()
        self.reveal_button = QPushButton("Reveal all", self)
        self.reveal_button.clicked.connect(self.toggle_all)
        self.copy_button = QPushButton("Copy spoiler-free text", self)
        self.copy_button.clicked.connect(self.copy_spoiler_free_text)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.reveal_button)
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.label_choice.currentIndexChanged.connect(self._label_changed)
        self.refresh()

    @classmethod
    def show_for(cls, parent: QWidget | None, title: str, text: str, labels: list[Label],
                 spans: list[Span], names: dict[str, str] | None = None,
                 me: str | None = None) -> SpoilerShield:
        """Opens the shield beside the main window (not modal) and returns it."""
        dialog = cls(title, text, labels, spans, parent, names, me)
        # Each opening makes a new dialog; without this, closed ones would pile up on the parent.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(False)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _default_label_index(self) -> int:
        for i, label in enumerate(self.labels):
            if is_spoiler_label(label):
                return i
        return 0 if self.labels else -1

    def shielded_label(self) -> Label | None:
        i = self.label_choice.currentIndex()
        return self.labels[i] if 0 <= i < len(self.labels) else None

    def shielded_spans(self) -> list[Span]:
        label = self.shielded_label()
        return [s for s in self.spans if label and s.label_uuid == label.uuid]

    def parts(self) -> list[tuple[str, bool]]:
        return reading_parts(self.text, self.shielded_spans())

    def hidden_count(self) -> int:
        return sum(hidden for _, hidden in self.parts())

    def _noun(self, n: int) -> str:
        label = self.shielded_label()
        if label is None or is_spoiler_label(label):
            return plural(n, "spoiler")
        return f"{plural(n, 'passage')} labelled “{label.name}”"

    def _summary(self) -> str:
        total = self.hidden_count()
        shown = len(self.revealed)
        label = self.shielded_label()
        if not total:
            if label is None or is_spoiler_label(label):
                return "No spoilers marked in this review"
            return f"Nothing labelled “{label.name}” in this review"
        whose = self._whose()
        if not shown:
            return f"{self._noun(total)} hidden{whose}"
        if shown == total:
            return f"{self._noun(total)}, all revealed"
        return f"{self._noun(total)}: {total - shown} hidden, {shown} revealed"

    def _whose(self) -> str:
        """" (marked by you and mira)": whose spans are shielded, when not only yours."""
        who = {s.annotator_uuid for s in self.shielded_spans()}
        if not self.names or not who or who == {self.me}:
            return ""
        names = sorted(self.names.get(uuid, "someone") for uuid in who if uuid != self.me)
        if self.me in who:
            names.insert(0, "you")
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f" (marked by {listed})"

    def refresh(self) -> None:
        """Redraws the reading view from the text, keeping where the reader had scrolled to."""
        label = self.shielded_label()
        name = label.name if label else "spoiler"
        palette = self.browser.palette()
        page, ink = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        reveal = blend(page, [QColor(label.colour if label else "gray")])
        tooltip = f"{name[:1].upper()}{name[1:]} — click to reveal"
        html = reading_html(self.parts(), self.revealed, tooltip, bar_colour(ink, page), reveal)
        scroll = self.browser.verticalScrollBar()
        at = scroll.value()
        self.browser.setHtml(html)
        scroll.setValue(at)  # setHtml jumps back to the top, away from the bar just clicked
        total = self.hidden_count()
        self.summary.setText(self._summary())
        self.reveal_button.setEnabled(bool(total))
        self.reveal_button.setText("Hide all" if total and len(self.revealed) == total
                                   else "Reveal all")

    def reveal(self, n: int) -> None:
        if 0 <= n < self.hidden_count() and n not in self.revealed:
            self.revealed.add(n)
            self.refresh()

    def toggle_all(self) -> None:
        total = self.hidden_count()
        self.revealed = set() if len(self.revealed) == total else set(range(total))
        self.refresh()

    def copy_spoiler_free_text(self) -> None:
        QGuiApplication.clipboard().setText(spoiler_free_text(self.text, self.shielded_spans()))
        total = self.hidden_count()
        if total:
            self.status.setText(f"Copied, with {self._noun(total)} left out.")
        else:
            self.status.setText("Copied; nothing was left out.")

    def _label_changed(self) -> None:
        # A fresh label starts fully shielded: revealing one label's spans says nothing
        # about whether the reader wants to see another's.
        self.revealed.clear()
        self.status.clear()
        self.refresh()

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() != "reveal":
            return
        try:
            n = int(url.path())
        except ValueError:
            return
        self.reveal(n)
