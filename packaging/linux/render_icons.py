"""Renders resources/icon.svg into the hicolor icon theme tree the desktop integration installs.

Run it after changing the icon: `python packaging/linux/render_icons.py`. The same Qt gives
byte-identical PNGs (no time stamps or text chunks are written), so a re-run on an unchanged
icon leaves git clean.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCE = ROOT / "resources" / "icon.svg"
THEME = HERE / "icons" / "hicolor"
APP_ID = "io.github.annotator.Annotator"
# The package's MIME type, application/x-annotator-package, looks up this icon name.
MIME_ICON = "application-x-annotator-package"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: bytes, size: int) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not an SVG Qt can read")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    svg = SOURCE.read_bytes()
    written = []
    for context, name in (("apps", APP_ID), ("mimetypes", MIME_ICON)):
        scalable = THEME / "scalable" / context / f"{name}.svg"
        scalable.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE, scalable)
        written.append(scalable)
        for size in SIZES:
            target = THEME / f"{size}x{size}" / context / f"{name}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            if not render(svg, size).save(str(target)):
                raise SystemExit(f"cannot write {target}")
            written.append(target)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
