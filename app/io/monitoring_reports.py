"""Monitoring reports: the 监控汇总表 (xlsx: 汇总 by department, 项目, 预警清单, and 按区划汇总 when
the county holds townships' records; PDF: the summary with the chart of 执行率 against 序时进度,
then the 按区划汇总), the 预警清单 on its own, and the 项目绩效运行监控表 per project. Lights are
cell fills carrying the words 红/黄/绿, so a grey print still reads. A view of one region names it
in every title.

Each renders the view the page shows (app.services.monitoring.round_view → RoundView; the record's
sheet from app.services.monitoring_records.record_sheet): nothing here reads the database."""

from __future__ import annotations

from typing import Optional

from app.domain.monitoring import (
    MonitorRow, RecordSheet, RoundView, Summary, SummaryLine, WarningRow, chart_labels, judged_words,
)
from app.io.columns import Column
from app.io.forms import FormContent, write_pdf as write_form_pdf, write_xlsx as write_form_xlsx
from app.io.region_tables import add_region_sheet, region_figures
from app.jobs import JobControl
from app.rules import monitoring as rules

LIGHT_FILLS = ((rules.RED, "FFC7CE"), (rules.YELLOW, "FFEB9C"), (rules.GREEN, "C6EFCE"))
PROJECT_COLUMNS = [Column("项目编码"), Column("项目名称"), Column("主管部门"), Column("全年预算数（万元）", "money"),
                   Column("截至执行数（万元）", "money"), Column("执行率", "rate"), Column("序时进度", "rate"),
                   Column("偏差（百分点）", "points"), Column("预警", fills=LIGHT_FILLS),
                   Column("全年预计执行数（万元）", "money"), Column("绩效目标"), Column("未达目标指标数", "int"),
                   Column("填报状态"), Column("重点监控")]
DEPT_COLUMNS = [Column("主管部门"), Column("项目数", "int"), Column("全年预算数（万元）", "money"),
                Column("已填报预算数（万元）", "money"), Column("截至执行数（万元）", "money"), Column("执行率", "rate"),
                Column("序时进度", "rate"),
                Column("偏差（百分点）", "points"), Column("红灯", "int"), Column("黄灯", "int"), Column("绿灯", "int"),
                Column("未填报", "int")]
WARNING_COLUMNS = [Column("项目编码"), Column("项目名称"), Column("主管部门"), Column("全年预算数（万元）", "money"),
                   Column("截至执行数（万元）", "money"), Column("执行率", "rate"), Column("偏差（百分点）", "points"),
                   Column("预警", fills=LIGHT_FILLS), Column("预计年末执行率", "rate"), Column("建议可调减（万元）", "money"),
                   Column("重点监控候选理由")]


REGION_COLUMNS = [Column("区划"), *DEPT_COLUMNS[1:]]


def project_row(r: MonitorRow, with_region: bool = False) -> list:
    return [*([r.region] if with_region else []), r.code, r.name, r.department, r.budget_fen, r.executed_fen, r.rate,
            r.schedule, r.deviation, r.light, r.projected_fen, r.target_state, r.missed, r.status,
            "是" if r.is_key else ""]


def dept_row(line: SummaryLine, month: int) -> list:
    rate, schedule = line.rate, rules.schedule(month)
    return [line.department, line.projects, line.budget_fen, line.filled_budget_fen, line.reported_fen, rate, schedule,
            None if rate is None else rate - schedule, line.red, line.yellow, line.green, line.not_filled]


def warning_row(w: WarningRow) -> list:
    """A red or yellow project with the year-end estimate, what could be 调减, and why the pack
    proposes it for 重点监控."""
    r = w.row
    return [r.code, r.name, r.department, r.budget_fen, r.executed_fen, r.rate, r.deviation, r.light,
            w.year_end_rate, w.cut_fen, w.reason_text]


def unit_line(view: RoundView) -> str:
    """单位：万元　按规则方案第1版判定预警 — the version the round's lights are judged by."""
    return "　".join(t for t in ("单位：万元", view.round.judged) if t)


def render_summary(view: RoundView, fmt: str, path, job: Optional[JobControl] = None) -> int:
    """监控汇总表; returns the number of projects."""
    round_, summary = view.round, view.summary
    title = f"{view.title}绩效运行监控汇总表"
    depts = [dept_row(line, round_.month) for line in summary.lines]
    places = [dept_row(line, round_.month) for line in view.by_region]  # 按区划汇总 (none: no townships)
    total = summary.overall
    notes = [summary.sentence, f"红灯{total.red}个，黄灯{total.yellow}个，绿灯{total.green}个，未填报{total.not_filled}个。"]
    unit = unit_line(view)
    if fmt == "xlsx":
        from app.io.xlsx import XlsxWriter

        writer = XlsxWriter()
        writer.add_table("汇总", title=title, unit_line=f"{unit}　{'　'.join(notes)}", columns=DEPT_COLUMNS, rows=depts)
        writer.add_table("项目", title=f"{view.title}项目绩效运行监控明细",
                         columns=[Column("区划"), *PROJECT_COLUMNS] if places else PROJECT_COLUMNS,
                         rows=[project_row(r, bool(places)) for r in view.rows], job=job)
        writer.add_table("预警清单", title=f"{view.title}预警清单", columns=WARNING_COLUMNS,
                         rows=[warning_row(w) for w in view.warnings])
        if places:
            add_region_sheet(writer, f"{view.title}绩效运行监控按区划汇总", REGION_COLUMNS, places)
        writer.save(path)
    elif fmt == "pdf":
        from app.io.pdf import write_table_pdf

        figures = [rate_chart(summary)]
        if places:
            figures += region_figures("按区划汇总", REGION_COLUMNS, places)
        write_table_pdf(path, title=title, unit_line=unit, columns=DEPT_COLUMNS, rows=depts, notes=notes,
                        figures=figures, job=job)
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(view.rows)


def render_warnings(view: RoundView, fmt: str, path, job: Optional[JobControl] = None) -> int:
    """预警清单 on its own; returns its number of projects."""
    found = [warning_row(w) for w in view.warnings]
    title = f"{view.title}预警清单"
    if fmt == "xlsx":
        from app.io.xlsx import XlsxWriter

        writer = XlsxWriter()
        writer.add_table("预警清单", title=title, unit_line=unit_line(view), columns=WARNING_COLUMNS, rows=found, job=job)
        writer.save(path)
    else:
        from app.io.pdf import write_table_pdf

        write_table_pdf(path, title=title, unit_line=unit_line(view), columns=WARNING_COLUMNS, rows=found, job=job)
    return len(found)


def rate_chart(summary: Summary, width: float = 760, height: float = 220):
    """执行率 by department as bars, 序时进度 as a dashed line: the same chart the page shows."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    from app.io.columns import hundredths
    from app.io.pdf import FONT, register_font

    register_font()
    lines = [line for line in summary.departments if line.rate is not None][:20]
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 50, width - 60, height - 80
    chart.data = [[float(hundredths(line.rate) * 100) for line in lines] or [0]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, max(100, *(chart.data[0]))
    chart.valueAxis.labels.fontName = FONT
    chart.categoryAxis.categoryNames = chart_labels([line.department for line in lines], 8) or [""]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 8
    chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 30, "ne"
    chart.bars[0].fillColor = colors.HexColor("#4472C4")
    drawing.add(chart)
    y = chart.y + chart.height * float(hundredths(summary.schedule) * 100) / chart.valueAxis.valueMax
    drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=colors.black, strokeDashArray=[4, 2]))
    drawing.add(String(chart.x + chart.width - 2, y + 3, f"序时进度{rules.percent(summary.schedule)}%", fontName=FONT,
                       fontSize=7, textAnchor="end"))
    drawing.add(String(chart.x, height - 14, "各部门执行率（%）与序时进度", fontName=FONT, fontSize=9))
    return drawing


# -- 项目绩效运行监控表 -------------------------------------------------------------------------------------
FORM_HEADERS = ["三级指标", "指标性质", "全年目标值", "计量单位", "截至完成值", "全年预计完成值", "偏差原因类别",
                "偏差原因说明", "完成可能性", "纠偏措施"]


def record_form(sheet: RecordSheet) -> FormContent:
    from app.money import fmt_wan

    d = sheet.draft
    fields = [("项目名称", d.name), ("项目编码", d.code), ("全年预算数（万元）", fmt_wan(d.budget_fen)),
              ("截至执行数（万元）", d.executed), ("执行率", f"{rules.percent(sheet.rate)}%" if sheet.rate is not None else ""),
              ("序时进度", f"{rules.percent(rules.schedule(d.month))}%"),
              ("预警", f"{sheet.light}（{judged_words(d.pack_version)}）" if d.pack_version else sheet.light),
              ("全年预计执行数（万元）", d.projected), ("填报状态", d.status), ("绩效目标", "有" if d.has_target else "无")]
    texts = [("执行偏慢原因及措施", d.budget_cause), ("目标执行总体情况", d.overall),
             *(sheet.opinions or (("审核意见", d.review_opinion),))]
    rows = [[i.level3, i.direction, i.target, i.unit, i.completed, i.projected, i.cause_class, i.cause_note,
             i.likelihood, i.measures] for i in d.indicators]
    return FormContent("项目绩效运行监控表", f"（{d.round_title}，截至{d.month}月）", fields, texts, FORM_HEADERS,
                       [0.18, 0.05, 0.08, 0.06, 0.08, 0.09, 0.09, 0.16, 0.07, 0.14], rows, sheet="监控表")


def render_record(sheet: RecordSheet, path) -> None:
    """The 项目绩效运行监控表: PDF, or Excel when the path ends in .xlsx."""
    content = record_form(sheet)
    (write_form_xlsx if str(path).lower().endswith(".xlsx") else write_form_pdf)(content, path)
