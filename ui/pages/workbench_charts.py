"""The 工作台's year at a glance: four QtCharts charts of the year shown — 绩效目标 (the projects by
their target's state, the 覆盖率 in the title), 运行监控 (each round's 总体进度 against its 序时进度),
绩效自评 (the self-evaluations carried out in the year by grade) and 整改 (the items by state, the
overdue ones apart). The numbers come from the stages' own services (app.services.year_report.figures
— the very figures the year's report prints — the target list and the 整改 ledger); `read_glance`
runs on a worker thread and returns plain data, `GlanceCharts.show_glance` draws it.

Each chart has 导出PNG…; `GlanceCharts.export_all(folder)` writes every chart as a PNG (for the
year's report). Values become floats for plotting only: the tables and the report keep Decimals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from app.domain.rectification import STATES as RECT_STATES
from app.domain.year_report import MONITORING, RECTIFICATION, SELF_EVAL, TARGETS, Figure
from app.services import rectification, year_report
from app.services.target_records import list_targets
from app.services.workflow import APPROVED, DRAFT, PASSED, RETURNED, SUBMITTED

GRADES = ("优", "良", "中", "差")
NOT_STARTED = "未填报"
TARGET_STATES = (APPROVED, PASSED, SUBMITTED, RETURNED, DRAFT, NOT_STARTED)
BLUE, ORANGE, GREY, RED = QColor("#4472C4"), QColor("#ED7D31"), QColor("#A5A5A5"), QColor("#C00000")
# chart key → (title stem, file name stem)
CHARTS = (("targets", "绩效目标"), ("monitoring", "运行监控"), ("self_eval", "绩效自评"), ("rectification", "整改"))
SECTION_OF = {"targets": TARGETS, "monitoring": MONITORING, "self_eval": SELF_EVAL, "rectification": RECTIFICATION}


@dataclass(frozen=True)
class Glance:
    """The year's numbers the charts draw (plain data, read off the GUI thread)."""

    year: int
    targets: tuple[tuple[str, int], ...] = ()  # (state, projects)
    coverage: str = ""  # 绩效目标审核覆盖率 as the report writes it
    rounds: tuple[tuple[str, float, float], ...] = ()  # (1-8月, 总体进度 %, 序时进度 %)
    grades: tuple[tuple[str, int], ...] = ()  # (优, 份数)
    rectification: tuple[tuple[str, int], ...] = ()  # (state, items)
    overdue: int = 0
    notes: dict[str, str] = field(default_factory=dict)  # chart key → 上报数 said under its title


def _value(found: dict[str, Figure], key: str):
    f = found.get(key)
    return f.value if f is not None else None


def read_glance(ws, year: int, at: Optional[date] = None) -> Glance:
    """The year's chart numbers (on a worker thread): the report's figures, the target list's states
    and the 整改 ledger as it stands on `at` (today)."""
    at = at or date.today()
    figures = year_report.figures(ws, year, at)
    found = {f.key: f for f in figures}
    states = [r.status for r in list_targets(ws, year)]
    targets = tuple((s, states.count(s)) for s in TARGET_STATES if states.count(s))
    coverage = found["targets.coverage"].text if "targets.coverage" in found else ""
    rounds = []
    for f in figures:
        parts = f.key.split(".")
        if len(parts) == 3 and parts[0] == "monitoring" and parts[2] == "progress":
            schedule = _value(found, f"monitoring.{parts[1]}.schedule")
            rounds.append((f.item.replace("监控总体进度", ""), float(f.value or 0), float(schedule or 0)))
    grades = tuple((g, int(_value(found, f"self_eval.grade.{g}") or 0)) for g in GRADES)
    ledger = rectification.list_year(ws, year, at)
    rect = tuple((s, sum(r.status == s for r in ledger.rows)) for s in RECT_STATES)
    notes = {key: "（含上报数）" for key, section in SECTION_OF.items() if any(f.reported and f.section == section for f in figures)}
    return Glance(year, targets, coverage, tuple(rounds), grades if any(n for _, n in grades) else (), rect,
                  sum(r.overdue for r in ledger.rows), notes)


def _bar_chart(title: str, categories: list[str], sets: list[tuple[str, list[float], QColor]], percent: bool = False) -> QChart:
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
    series = QBarSeries()
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
    top = max([v for _, values, _ in sets for v in values] + [1.0])
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
    overdue = f"（其中逾期{glance.overdue}项）" if glance.overdue else ""
    rows = glance.rectification if any(n for _, n in glance.rectification) else ()
    return _bar_chart(f"{glance.year}年度整改：事项按状态{overdue}{note}", [s for s, _ in rows],
                      [("事项数", [n for _, n in rows], RED if glance.overdue else BLUE)])


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
