"""Draws the program icon (a blue tile with 绩 in the bundled font) into resources/icons/.
Run once when the design changes: .venv/bin/python scripts/make_icon.py"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402

from ui.app import install_font  # noqa: E402


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    p.setBrush(QColor("#1f5fa8"))
    p.setPen(Qt.NoPen)
    p.drawRoundedRect(QRectF(size * 0.04, size * 0.04, size * 0.92, size * 0.92), size * 0.18, size * 0.18)
    p.setPen(QColor("white"))
    font = QFont(family)
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(0, 0, size, size), Qt.AlignCenter, "绩")
    p.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication([])
    family = install_font(app)
    out = ROOT / "resources" / "icons"
    draw(256, family).save(str(out / "perfdesk.png"))
    draw(256, family).save(str(out / "perfdesk.ico"))
    print(out)
