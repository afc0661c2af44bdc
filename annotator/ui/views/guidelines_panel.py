"""The project's guidelines beside the document: Markdown shown read-only, the version the
annotator is working under, and what each label is for.

The text comes from whoever wrote the guidelines, so it is shown with no HTML and no
resource of any kind loaded (an image or a link in it names a file or a server: nothing is
fetched, and a link is only shown, never followed).
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QFormLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from annotator.domain.model import Label
from annotator.ui.plain import plain_label, tooltip

NONE_YET = ("No guidelines yet. The project lead writes them (Team → Guidelines…); an "
            "annotation package carries the version its annotator works under.")
_MARKDOWN = (QTextDocument.MarkdownFeature.MarkdownDialectGitHub
             | QTextDocument.MarkdownFeature.MarkdownNoHTML)


class GuidelinesView(QTextBrowser):
    """Markdown without HTML; every resource refused (images, style sheets, links)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.asked_for: list[str] = []  # what the text tried to load (nothing is)

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802 (Qt's name)
        self.asked_for.append(name.toString() if isinstance(name, QUrl) else name)
        return None

    def show_markdown(self, text: str) -> None:
        document = self.document()
        document.setMarkdown(text, _MARKDOWN)
        self._images_as_text(document)

    @staticmethod
    def _images_as_text(document: QTextDocument) -> None:
        """An image in the Markdown becomes the words "[image not shown: address]": no
        broken picture drawn, and the reader sees what the text pointed at."""
        found: list[tuple[int, int, str]] = []
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                form = fragment.charFormat()
                if form.isImageFormat():
                    found.append((fragment.position(), fragment.length(),
                                  form.toImageFormat().name()))
                it += 1
            block = block.next()
        for position, length, name in reversed(found):
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            plain = QTextCharFormat()
            plain.setForeground(QColor("gray"))
            cursor.insertText(f"[image not shown: {name}]", plain)


class GuidelinesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.version_label = plain_label(QLabel(self))
        self.view = GuidelinesView(self)
        self.labels_form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.version_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.labels_form)

    def show_guidelines(self, found: tuple[int, str] | None, labels: list[Label]) -> None:
        if found is None:
            self.version_label.setText("")
            self.view.setPlainText(NONE_YET)
        else:
            version, text = found
            self.version_label.setText(f"Version {version}")
            self.view.show_markdown(text)
        while self.labels_form.rowCount():
            self.labels_form.removeRow(0)
        for label in labels:
            if label.description:
                name = plain_label(QLabel(self), label.name)
                name.setToolTip(tooltip(label.name))
                what = plain_label(QLabel(self), label.description)
                what.setWordWrap(True)
                self.labels_form.addRow(name, what)
