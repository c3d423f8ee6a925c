"""文件 → 年度工作情况说明…: the work year, the format (Word / PDF / Excel), in a county with townships
the 范围 (本级 — the default, as the seeds report —, 全县 or one township) and 附统计图 (the 工作台's
four charts, counted as the text counts: its 范围, 整改 to the year's end; on by default); 导出… asks where to save it and writes it in the background
(ui.workers.export_to), then says where the file went. With the charts, their numbers are read on a
worker first (app.services.year_glance.report_glance), the charts drawn on the GUI thread
(ui.chart_images), then the file written with them."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from app.services import regions, year_text
from app.services.year_glance import report_glance
from app.services.workspace import Workspace
from ui.chart_images import chart_images
from ui.ops import QueryOp
from ui.workers import export_to, run_export

FORMATS = (("docx", "Word 文档（可修改后签发）", "Word 文档 (*.docx)"), ("pdf", "PDF 文件", "PDF 文件 (*.pdf)"),
           ("xlsx", "Excel 工作簿（说明和数据）", "Excel 工作簿 (*.xlsx)"))
TITLE = "导出年度工作情况说明"


class YearSummaryDialog(QDialog):
    def __init__(self, ws: Workspace, years: list[int], year: Optional[int], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.op = None
        self.setWindowTitle("年度预算绩效工作开展情况说明")
        self.year = QComboBox()
        self.year.setObjectName("summary_year")
        for y in sorted(set(years) | ({year} if year else set()), reverse=True):
            self.year.addItem(f"{y}年", y)
        if year:
            self.year.setCurrentIndex(self.year.findData(year))
        self.format = QComboBox()
        self.format.setObjectName("summary_format")
        for key, label, _ in FORMATS:
            self.format.addItem(label, key)
        self.scope = QComboBox()  # 本级 (the seeds' reports), 全县, or one township; only with townships
        self.scope.setObjectName("summary_scope")
        self.known = known = regions.choices(ws)
        for label, code in ((f"{known.home_name}本级", None), (f"全县（{known.home_name}及所属乡镇）", regions.WHOLE),
                            *((name, code) for code, name in known.townships)):
            self.scope.addItem(label, code)
        self.charts = QCheckBox("附统计图（绩效目标、运行监控、绩效自评、整改，与说明同一范围和口径）")
        self.charts.setObjectName("summary_charts")
        self.charts.setChecked(True)
        self.charts.setToolTip("绩效目标、运行监控、绩效自评、整改四张图，各放在说明相应部分之后；Excel 放在“图表”表中。")
        form = QFormLayout(self)
        note = QLabel("按系统中该年度的记录起草说明，每个数字都列在“数据”表中可查；系统中没有记录的部分采用上报数并注明。"
                      "导出后请核对、补充文字再签发。")
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow("工作年度：", self.year)
        form.addRow("格式：", self.format)
        if known.shown:
            form.addRow("范围：", self.scope)
        form.addRow("", self.charts)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("导出…")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def export(self, path: Optional[str] = None):
        """Ask where to save (unless `path` is given) and write in the background; the dialog closes
        once a file is chosen. With 附统计图: read the charts' numbers, draw them, then write."""
        ws, year, fmt, with_charts = self.ws, self.year.currentData(), self.format.currentData(), self.charts.isChecked()
        region = self.scope.currentData()
        pattern = next(p for key, _, p in FORMATS if key == fmt)
        suggested = f"{year}年度{year_text.place_of(self.known, region)[1]}预算绩效工作开展情况说明.{fmt}"  # as its title
        parent = self.parentWidget()
        self.op = None
        if not with_charts:
            self.op = export_to(parent, path, suggested, pattern,
                                lambda target, job: year_text.export(ws, year, target, fmt, job, region=region), title=TITLE)
        else:
            if not path:
                from ui.files import ask_save_path

                path = ask_save_path(parent, TITLE, suggested, pattern)
            if path:
                target = str(path)

                def drawn(glance) -> None:  # on the GUI thread
                    charts = chart_images(glance)
                    run_export(parent, "正在导出…", lambda job: year_text.export(ws, year, target, fmt, job, charts, region),
                               path=target)

                self.op = QueryOp(parent, lambda job: report_glance(ws, year, region), drawn, label="正在绘制统计图…").run()
        if self.op is not None:
            self.accept()
        return self.op
