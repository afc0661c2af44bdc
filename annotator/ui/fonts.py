"""Fonts that ship with the app: registered at start, and a colour-emoji font made the
fallback where the system has none (reviews are full of 😂, and a bundle may run on a
desktop with no emoji font at all, where they would be empty boxes)."""

from __future__ import annotations

import logging
from importlib.resources.abc import Traversable
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from annotator import bundled

log = logging.getLogger("annotator")
FONT_FILES = (".ttf", ".otf", ".ttc")
# Families that draw emoji in colour: any of them on the system, and ours is not needed.
COLOUR_EMOJI = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji",
                "Twitter Color Emoji", "JoyPixels", "EmojiOne Color", "OpenMoji Color")


def bundled_fonts() -> Traversable:
    """annotator.resources/fonts: the bundle's build puts NotoColorEmoji.ttf there; in a
    source checkout it does not exist."""
    return bundled.resource("fonts")


def register_fonts(folder: Traversable | Path | None = None) -> dict[str, int]:
    """Every font file in `folder` (the bundled fonts by default) added to the app's fonts:
    {family: font id}. Read as bytes, so fonts inside a zipped package load too."""
    folder = bundled_fonts() if folder is None else folder
    if not folder.is_dir():
        return {}
    families: dict[str, int] = {}
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.lower().endswith(FONT_FILES):
            continue
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(file.read_bytes()))
        if font_id < 0:
            log.warning("The font %s could not be loaded", file.name)
            continue
        families.update(dict.fromkeys(QFontDatabase.applicationFontFamilies(font_id), font_id))
    return families


def system_has_colour_emoji() -> bool:
    return any(family in COLOUR_EMOJI for family in QFontDatabase.families())


def add_fallback(app: QGuiApplication, family: str) -> None:
    """`family` after the default one in the app's font, and as a substitute for the default
    and fixed-width families, so text whose own font lacks a glyph finds it there."""
    font = app.font()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    for base in dict.fromkeys((font.family(), fixed)):
        QFont.insertSubstitution(base, family)
    font.setFamilies([*font.families(), family] if family not in font.families()
                     else font.families())
    app.setFont(font)


def set_up_fonts(app: QGuiApplication, folder: Traversable | Path | None = None,
                 emoji_fallback: bool | None = None) -> dict[str, int]:
    """Register the bundled fonts; an emoji family among them becomes the fallback when the
    system has no colour-emoji font (or when `emoji_fallback` says so). {family: font id}."""
    needed = not system_has_colour_emoji() if emoji_fallback is None else emoji_fallback
    families = register_fonts(folder)
    emoji = next((family for family in families if "emoji" in family.lower()), None)
    if emoji and needed:
        add_fallback(app, emoji)
    return families
