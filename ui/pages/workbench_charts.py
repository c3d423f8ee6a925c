"""The 工作台's year at a glance: four QtCharts charts of the year shown — 绩效目标 (the projects by
their target's state, the 覆盖率 in the title), 运行监控 (each round's 总体进度 against its 序时进度),
绩效自评 (the self-evaluations carried out in the year by grade) and 整改 (the items by state, each
state its own colour, the overdue ones in red). The numbers are app.services.year_glance's
`read_glance` (plain data, read on a worker thread); `GlanceCharts.show_glance` draws them and
`build_chart` is what ui.chart_images renders into the year's report.

Each chart has 导出PNG…; `GlanceCharts.export_all(folder)` writes every chart as a PNG. Values are
floats for plotting only: the tables and the report keep Decimals."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QStackedBarSeries, QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from app.domain.rectification import CLOSED, DOING, OVERDUE, TO_DO, TO_VERIFY
from app.services.year_glance import CHARTS, Glance

BLUE, ORANGE, GREY, RED = QColor("#4472C4"), QColor("#ED7D31"), QColor("#A5A5A5"), QColor("#C00000")
# 整改 by state: waiting amber, under way blue, done and awaiting verification teal, closed green;
# the overdue part of an open state's bar stays red
STATE_COLOURS = {TO_DO: QColor("#F0A830"), DOING: BLUE, TO_VERIFY: QColor("#2E9AA0"), CLOSED: QColor("#5B9B45")}


def _bar_chart(title: str, categories: list[str], sets: list[tuple[str, list[float], QColor]], percent: bool = False,
               stacked: bool = False) -> QChart:
    """Bars by category, one QBarSet per (name, values, colour); `stacked`: the sets' bars stand on
    one another (整改: each state a set of its own colour, the overdue part on top in red)."""
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.NoAnimation)
    chart.legend().setVisible(len(sets) > 1)
    chart.legend().setAlignment(Qt.AlignRight)
    chart.setMargins(QMargins(4, 2, 4, 2))
    chart.setBackgroundRoundness(0)
    if not categories:
        chart.setTitle(f"{title}\n（本年度暂无数据）")
        return chart
    series = QStackedBarSeries() if stacked else QBarSeries()
    for name, values, colour in sets:
        bars = QBarSet(name)
        bars.setColor(colour)
        for value in values:
            bars.append(float(value))
        series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value%" if percent else "@value")
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(categories)
    chart.addAxis(x, Qt.AlignBottom)
    series.attachAxis(x)
    y = QValueAxis()
    heights = [sum(column) for column in zip(*(values for _, values, _ in sets))] if stacked else \
        [v for _, values, _ in sets for v in values]
    top = max(heights + [1.0])
    y.setRange(0, 100 if percent else max(4.0, top * 1.25))
    y.setLabelFormat("%d")
    y.setTickCount(5)
    if not percent:
        y.applyNiceNumbers()  # whole steps: 0, 5, 10, 15, 20
    chart.addAxis(y, Qt.AlignLeft)
    series.attachAxis(y)
    return chart


def build_chart(key: str, glance: Glance) -> QChart:
    note = glance.notes.get(key, "")
    if key == "targets":
        cover = f"（审核覆盖率{glance.coverage}%）" if glance.coverage else ""
        return _bar_chart(f"{glance.year}年度绩效目标：项目数按状态{cover}{note}", [s for s, _ in glance.targets],
                          [("项目数", [n for _, n in glance.targets], BLUE)])
    if key == "monitoring":
        return _bar_chart(f"{glance.year}年度运行监控：总体进度与序时进度（%）{note}", [r for r, _, _ in glance.rounds],
                          [("总体进度", [p for _, p, _ in glance.rounds], BLUE),
                           ("序时进度", [s for _, _, s in glance.rounds], ORANGE)], percent=True)
    if key == "self_eval":
        return _bar_chart(f"{glance.year}年度绩效自评：等级分布（份）{note}", [g for g, _ in glance.grades],
                          [("份数", [n for _, n in glance.grades], BLUE)])
    return _rectification_chart(glance, note)


def _rectification_chart(glance: Glance, note: str) -> QChart:
    """整改 by state, each state its own colour; an open state's overdue items stacked on it in red
    (the legend names only 逾期: the states are on the axis)."""
    overdue = f"（其中逾期{glance.overdue}项）" if glance.overdue else ""
    rows = glance.rectification if any(n for _, n, _ in glance.rectification) else ()
    states = [s for s, _, _ in rows]
    sets = [(s, [float(n - late) if s == other else 0.0 for other in states], STATE_COLOURS.get(s, BLUE))
            for s, n, late in rows]
    if glance.overdue:
        sets.append((OVERDUE, [float(late) for _, _, late in rows], RED))
    chart = _bar_chart(f"{glance.year}年度整改：事项按状态{overdue}{note}", states, sets, stacked=True)
    legend = chart.legend()
    legend.setVisible(bool(glance.overdue))
    for marker in legend.markers():
        marker.setVisible(marker.label() == OVERDUE)
    return chart


class ChartBox(QWidget):
    """One chart with its 导出PNG… button (in the chart's top right corner; not in the PNG)."""

    def __init__(self, key: str, stem: str, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.key, self.stem = key, stem
        self.view = QChartView()
        self.view.setObjectName(f"chart_{key}")
        self.view.setRenderHint(QPainter.Antialiasing)
        self.view.setMinimumHeight(150)
        self.export_button = QPushButton("导出PNG…", self.view)
        self.export_button.setObjectName(f"btn_png_{key}")
        self.export_button.clicked.connect(lambda: self.ask_export())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        self.year = 0

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        hint = self.export_button.sizeHint()
        self.export_button.setGeometry(self.view.width() - hint.width() - 4, 4, hint.width(), hint.height())

    def show_glance(self, glance: Glance) -> None:
        self.year = glance.year
        old = self.view.chart()
        self.view.setChart(build_chart(self.key, glance))
        old.deleteLater()  # the view lets go of its last chart without deleting it

    def file_name(self) -> str:
        return f"{self.year}年度工作概况_{self.stem}.png"

    def save_png(self, path) -> Path:
        """The chart as drawn on screen (at least 800 px wide for a printed page)."""
        self.export_button.hide()
        try:
            pixmap = self.view.grab()
        finally:
            self.export_button.show()
        if pixmap.width() < 800:
            pixmap = pixmap.scaledToWidth(800, Qt.SmoothTransformation)
        if not pixmap.save(str(path), "PNG"):
            raise OSError(f"未能写入图片 {path}：请确认文件夹可写、文件未被其他程序打开。")
        return Path(path)

    def ask_export(self) -> str:
        from ui import files
        from ui.messages import show_error

        path = files.ask_save_path(self, "导出图表", self.file_name(), "PNG 图片 (*.png)")
        if path:
            try:
                self.save_png(path)
            except OSError as exc:
                show_error(self, exc, "未能导出")
                return ""
            files.tell_exported(self, path)
        return path


class GlanceCharts(QWidget):
    """The four charts in a 2×2 grid."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.boxes = {key: ChartBox(key, stem) for key, stem in CHARTS}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, box in enumerate(self.boxes.values()):
            grid.addWidget(box, n // 2, n % 2)
        self.glance: Optional[Glance] = None

    def show_glance(self, glance: Glance) -> None:
        self.glance = glance
        for box in self.boxes.values():
            box.show_glance(glance)

    def export_all(self, folder) -> list[Path]:
        """Every chart as a PNG in `folder` (made when missing), named by year and chart."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return [box.save_png(folder / box.file_name()) for box in self.boxes.values()]
