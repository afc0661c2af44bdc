"""The fonts a bundle ships: registered at start, the emoji one made the app font's fallback."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont
from PySide6.QtWidgets import QApplication

from annotator.ui import fonts

FACE_WITH_TEARS_OF_JOY = 0x1F602
EMOJI_FONTS = [  # where a colour-emoji font file may be on this machine
    *Path("/usr/share/fonts").glob("**/NotoColorEmoji*.ttf"),
    *(Path.home() / ".local/share/fonts").glob("**/NotoColorEmoji*.ttf"),
    Path("/System/Library/Fonts/Apple Color Emoji.ttc"),
    Path("C:/Windows/Fonts/seguiemj.ttf"),
]


@pytest.fixture
def emoji_font(tmp_path):
    """A resource folder holding an emoji font file, as the bundle's build makes it."""
    found = next((f for f in EMOJI_FONTS if f.is_file()), None)
    if found is None:
        pytest.skip("no colour-emoji font file on this machine to bundle (on Debian and "
                    "Ubuntu: apt install fonts-noto-color-emoji)")
    folder = tmp_path / "fonts"
    folder.mkdir()
    shutil.copy(found, folder)
    (folder / "README.txt").write_text("not a font")  # other files are passed over
    return folder


@pytest.fixture
def app(qapp):
    """The application, its font and substitutions as they were once the test ends."""
    font = qapp.font()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    yield qapp
    for family in (font.family(), fixed):
        QFont.removeSubstitutions(family)
    qapp.setFont(font)


def test_the_bundled_emoji_font_becomes_the_app_fonts_fallback(app, emoji_font):
    registered = fonts.set_up_fonts(app, emoji_font, emoji_fallback=True)
    try:
        [(family, font_id)] = registered.items()
        assert "emoji" in family.lower()
        raw = QRawFont.fromFont(QFont(family))
        assert raw.familyName() == family
        assert raw.supportsCharacter(FACE_WITH_TEARS_OF_JOY)
        assert QApplication.font().families()[-1] == family
        # Qt keeps substitutes in lower case
        assert family.lower() in QFont.substitutes(app.font().family())
        assert QFontMetrics(QApplication.font()).inFontUcs4(FACE_WITH_TEARS_OF_JOY)
    finally:
        for font_id in set(registered.values()):
            QFontDatabase.removeApplicationFont(font_id)


def test_with_a_colour_emoji_font_on_the_system_the_app_font_is_left_alone(app, emoji_font):
    before = app.font().families()
    registered = fonts.set_up_fonts(app, emoji_font, emoji_fallback=False)
    try:
        assert registered  # still registered: a widget may ask for it by name
        assert app.font().families() == before
    finally:
        for font_id in set(registered.values()):
            QFontDatabase.removeApplicationFont(font_id)


def test_a_source_checkout_without_fonts_has_nothing_to_do(app, tmp_path):
    before = app.font().families()
    assert fonts.set_up_fonts(app, tmp_path / "fonts", emoji_fallback=True) == {}
    assert app.font().families() == before
    assert fonts.register_fonts() == {} or fonts.bundled_fonts().is_dir()
