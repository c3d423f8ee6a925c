"""The 工作台's four charts as pictures for the year's report: each chart (ui.pages.workbench_charts'
`build_chart`, the very chart the 工作台 shows) drawn off screen at a fixed size for an A4 page,
in the bundled CJK font, as PNG bytes. On the GUI thread (it makes Qt objects); the numbers are
read before, on a worker (app.services.year_glance.report_glance).

    chart_images(glance) → [ChartImage]      the four (those with data), captioned, in the report's order
    year_chart_images(ws, year) → [ChartImage]   for `export summary`: makes a QApplication when
                                                 none exists (app/__main__.py lends it to the CLI)"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCharts import QAbstractBarSeries, QChart, QStackedBarSeries
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsScene

from app.domain.year_report import ChartImage
from app.paths import resource_path
from app.services.year_glance import CHARTS, SECTION_OF, Glance, report_glance
from ui.pages.workbench_charts import build_chart

# 15 cm wide on the page: 720 × 380 drawing units, rendered at 2.5× (1800 × 950 px, 300 dpi)
WIDTH, HEIGHT, SCALE = 720, 380, 2.5
TITLE_PX, LABEL_PX = 17, 14
FALLBACK_FAMILY = "WenQuanYi Micro Hei"
_kept: list[QApplication] = []  # the application year_chart_images made: it lives as long as the process
_family: list[str] = []


def font_family() -> str:
    """The bundled WenQuanYi Micro Hei (registered once), so Chinese renders on a PC, a server or a
    command line with no CJK font of its own."""
    if not _family:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", "wqy-microhei.ttc")))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _family.append(families[0] if families else FALLBACK_FAMILY)
    return _family[0]


def _font(family: str, pixels: int, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _print_fonts(chart: QChart) -> None:
    family = font_family()
    chart.setTitleFont(_font(family, TITLE_PX, bold=True))
    chart.legend().setFont(_font(family, LABEL_PX))
    for axis in chart.axes():
        axis.setLabelsFont(_font(family, LABEL_PX))
    for series in chart.series():  # a number above its bar (a short bar has no room inside); stacked: inside
        stacked = isinstance(series, QStackedBarSeries)
        series.setLabelsPosition(QAbstractBarSeries.LabelsCenter if stacked else QAbstractBarSeries.LabelsOutsideEnd)
        for bars in series.barSets():
            bars.setLabelFont(_font(family, LABEL_PX))
            bars.setLabelColor(QColor(Qt.white) if stacked else QColor("#303030"))


def render_png(chart: QChart, width: int = WIDTH, height: int = HEIGHT, scale: float = SCALE) -> bytes:
    """`chart` drawn on a white `width`×`height` page at `scale`, as PNG bytes. The chart is deleted
    afterwards (with its scene)."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    QApplication.processEvents()  # the chart lays out its axes and labels on the posted layout request
    image = QImage(round(width * scale), round(height * scale), QImage.Format_RGB32)
    image.fill(Qt.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing | QPainter.SmoothPixmapTransform)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), QRectF(0, 0, width, height))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    scene.clear()  # deletes the chart: no QtCharts wrapper outlives the drawing
    scene.deleteLater()
    return bytes(data.data())


def chart_images(glance: Glance) -> list[ChartImage]:
    """The charts of `glance` as captioned pictures, in the report's order (on the GUI thread); a
    chart with nothing to show this year is left out (its part of the text already says so)."""
    out = []
    for key in (key for key, _ in CHARTS if glance.has(key)):
        chart = build_chart(key, glance)
        chart.setBackgroundVisible(False)
        _print_fonts(chart)
        out.append(ChartImage(glance.caption(key), render_png(chart), SECTION_OF[key]))
    return out


def year_chart_images(ws, year: int, region=None) -> list[ChartImage]:
    """The year's report's charts from a command line: a QApplication is made when none exists
    (the caller chooses the platform: app/__main__.py picks offscreen without a display)."""
    if QApplication.instance() is None:
        _kept.append(QApplication([sys.argv[0] if sys.argv else "perfdesk"]))
    images = chart_images(report_glance(ws, year, region))
    gc.collect()  # on this thread, while the application exists (see ui.app.settle_garbage)
    return images
