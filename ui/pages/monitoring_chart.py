"""The chart of the monitoring summary: 执行率 by department as bars against the 序时进度 line
(QtCharts; the PDF draws the same chart with reportlab)."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.rules import monitoring as rules
from app.domain.monitoring import Summary, chart_labels

MAX_BARS = 20  # more departments than that do not read as bars; the table lists them all


def rate_value(rate) -> float:
    """A rate as a percentage for plotting only (the tables show the exact figures)."""
    return float(rules.percent(rate) or 0)


class RateChart(QChartView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setRenderHint(QPainter.Antialiasing)
        self.setMinimumHeight(240)
        self.show_summary(None)

    def show_summary(self, summary: Summary | None) -> None:
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignBottom)
        chart.setTitle("各部门执行率（%）与序时进度")
        self.setChart(chart)
        if summary is None:
            return
        lines = [line for line in summary.departments if line.rate is not None][:MAX_BARS]
        bars = QBarSet("执行率")
        bars.setColor(QColor("#4472C4"))
        for line in lines:
            bars.append(rate_value(line.rate))
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        schedule = QLineSeries()
        schedule.setName(f"序时进度 {rules.percent(summary.schedule)}%")
        pen = QPen(QColor("#C00000"))
        pen.setWidth(2)
        pen.setStyle(Qt.DashLine)
        schedule.setPen(pen)
        level = rate_value(summary.schedule)
        schedule.append(QPointF(-0.5, level))
        schedule.append(QPointF(max(len(lines), 1) - 0.5, level))
        chart.addSeries(schedule)
        categories = QBarCategoryAxis()
        categories.append(chart_labels([line.department for line in lines]) or [""])
        categories.setLabelsAngle(-90 if len(lines) > 8 else -30)  # many bars: upright names, never "…"
        values = QValueAxis()
        values.setRange(0, max(100.0, *(rate_value(line.rate) for line in lines)) if lines else 100.0)
        values.setLabelFormat("%d")
        chart.addAxis(categories, Qt.AlignBottom)
        chart.addAxis(values, Qt.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        x_line = QValueAxis()
        x_line.setRange(-0.5, max(len(lines), 1) - 0.5)
        x_line.setVisible(False)
        chart.addAxis(x_line, Qt.AlignBottom)
        schedule.attachAxis(x_line)
        schedule.attachAxis(values)
        self.bars = [bars.at(i) for i in range(bars.count())]
