"""Reading a review through the spoiler shield: bars hide spoilers until the reader clicks."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain.model import Label, Span
from annotator.ui.dialogs.spoiler_shield import SpoilerShield

PRAISE = Label("l-praise", "praise", "#4caf50", "1")
SPOILER = Label("l-spoiler", "Spoiler", "#e53935", "2")
LABELS = [PRAISE, SPOILER]

REVIEW = ("The Lighthouse Accountant 🎬\n\n"
          "Marchetti is superb, and <b>not html</b> stays as typed.\n\n"
          "The ending: the missing keeper was her own father. Then the credits roll.")


def span(text: str, words: str, label: Label, who: str = "mira") -> Span:
    start = text.index(words)
    return Span(f"{who}-{start}", 1, who, label.uuid, start, start + len(words), words)


@pytest.fixture
def shield(qtbot):
    def make(text=REVIEW, spans=None, labels=LABELS):
        if spans is None:
            spans = [span(text, "the missing keeper was her own father", SPOILER),
                     span(text, "Marchetti is superb", PRAISE)]
        dialog = SpoilerShield("The Lighthouse Accountant", text, labels, spans)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog
    return make


def bar_positions(dialog) -> dict[str, tuple[int, int]]:
    """href -> (start, end) of each bar in the browser's document, in Qt positions."""
    found = {}
    block = dialog.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            href = fragment.charFormat().anchorHref()
            if href:
                found[href] = (fragment.position(), fragment.position() + fragment.length())
            it += 1
        block = block.next()
    return found


def click_bar(qtbot, dialog, href: str) -> None:
    """A real mouse click in the middle of the bar, where the document layout drew it."""
    start, end = bar_positions(dialog)[href]
    cursor = QTextCursor(dialog.browser.document())
    cursor.setPosition((start + end) // 2)
    point = dialog.browser.cursorRect(cursor).center()
    qtbot.mouseClick(dialog.browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_spoiler_is_hidden_behind_a_bar_until_clicked(qtbot, shield):
    dialog = shield()
    assert dialog.label_choice.currentText() == "Spoiler"  # chosen by name, any case
    assert dialog.summary.text() == "1 spoiler hidden"
    assert "missing keeper" not in dialog.browser.toPlainText()
    assert "missing keeper" not in dialog.browser.toHtml()  # nothing to select and copy
    assert "Marchetti is superb" in dialog.browser.toPlainText()  # other labels are readable
    assert list(bar_positions(dialog)) == ["reveal:0"]
    start, _ = bar_positions(dialog)["reveal:0"]
    cursor = QTextCursor(dialog.browser.document())
    cursor.setPosition(start + 1)
    assert cursor.charFormat().toolTip() == "Spoiler — click to reveal"

    click_bar(qtbot, dialog, "reveal:0")

    assert "the missing keeper was her own father" in dialog.browser.toPlainText()
    assert bar_positions(dialog) == {}
    assert dialog.summary.text() == "1 spoiler, all revealed"
    assert dialog.browser.toPlainText() == REVIEW


def test_clicking_one_bar_reveals_only_that_spoiler_and_keeps_the_scroll(qtbot, shield):
    filler = "\n\n".join(f"Paragraph {i} about the photography." for i in range(60))
    text = f"Early twist: the dog is a robot.\n\n{filler}\n\nLate twist: it was all a dream."
    dialog = shield(text, [span(text, "the dog is a robot", SPOILER),
                           span(text, "it was all a dream", SPOILER)])
    scroll = dialog.browser.verticalScrollBar()
    scroll.setValue(scroll.maximum())
    at = scroll.value()
    assert at > 0

    click_bar(qtbot, dialog, "reveal:1")

    assert "it was all a dream" in dialog.browser.toPlainText()
    assert "the dog is a robot" not in dialog.browser.toPlainText()
    assert scroll.value() == at
    assert dialog.summary.text() == "2 spoilers: 1 hidden, 1 revealed"


def test_reveal_all_then_hide_all(qtbot, shield):
    dialog = shield()
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    assert "missing keeper" in dialog.browser.toPlainText()
    assert dialog.reveal_button.text() == "Hide all"
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    assert "missing keeper" not in dialog.browser.toPlainText()
    assert dialog.reveal_button.text() == "Reveal all"


def test_copy_puts_the_spoiler_free_text_on_the_clipboard(qtbot, shield):
    dialog = shield()
    click_bar(qtbot, dialog, "reveal:0")  # what the reader revealed still stays out of the copy
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == REVIEW.replace(
        "the missing keeper was her own father", "[spoiler]")
    assert dialog.status.text() == "Copied, with 1 spoiler left out."


def test_choosing_another_label_shields_that_one_instead(qtbot, shield):
    dialog = shield()
    dialog.label_choice.setCurrentIndex(LABELS.index(PRAISE))
    text = dialog.browser.toPlainText()
    assert "Marchetti is superb" not in text and "the missing keeper" in text
    assert dialog.summary.text() == "1 passage labelled “praise” hidden"
    click_bar(qtbot, dialog, "reveal:0")
    assert "Marchetti is superb" in dialog.browser.toPlainText()


def test_review_text_shows_literally_never_as_html(qtbot, shield):
    dialog = shield()
    assert "<b>not html</b> stays as typed" in dialog.browser.toPlainText()


def test_a_review_without_spoilers_says_so(qtbot, shield):
    dialog = shield(spans=[])
    assert dialog.summary.text() == "No spoilers marked in this review"
    assert dialog.browser.toPlainText() == REVIEW
    assert not dialog.reveal_button.isEnabled()


def test_first_label_is_shielded_when_none_is_called_spoiler(qtbot, shield):
    text = "A plot hole: the door was locked."
    hole = Label("l-hole", "plot-hole", "#9c27b0")
    dialog = shield(text, [span(text, "the door was locked", hole)], [hole, PRAISE])
    assert dialog.label_choice.currentText() == "plot-hole"
    assert dialog.browser.toPlainText().startswith("A plot hole: ")
    assert "door" not in dialog.browser.toPlainText()


def test_links_in_the_review_do_not_open(qtbot, shield):
    dialog = shield("See <a href='http://example.com'>here</a>.", [])
    assert dialog.browser.toPlainText() == "See <a href='http://example.com'>here</a>."
    assert bar_positions(dialog) == {}


def test_show_for_opens_without_blocking_and_close_closes(qtbot):
    # Not handed to qtbot: show_for's dialog deletes itself on close.
    dialog = SpoilerShield.show_for(None, "A title <i>x</i>", REVIEW, LABELS, [])
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.heading.text() == "A title <i>x</i>"
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Close),
                         Qt.MouseButton.LeftButton)


def test_a_spoiler_across_paragraphs_keeps_the_paragraphs_apart(qtbot, shield):
    text = "The end: he was alive\n\nall along, hiding. Verdict: 8/10."
    dialog = shield(text, [span(text, "he was alive\n\nall along, hiding.", SPOILER)])
    shown = dialog.browser.toPlainText()
    assert "alive" not in shown and "hiding" not in shown
    assert shown.startswith("The end: ") and shown.endswith("\n\n Verdict: 8/10.")
