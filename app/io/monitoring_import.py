"""Monitoring figures from Excel, all or nothing, every bad cell named:

- sheet 预算执行 (项目编码, 截至执行数（万元）, 全年预计执行数（万元）) — the shape a treasury payment
  export can be pasted into;
- sheet 指标完成 (项目编码, 三级指标, 截至完成值, 全年预计完成值, 偏差原因类别, 偏差原因说明, 完成可能性,
  纠偏措施), optional.

Parse only (app.services.monitoring_import checks the drafts against the round and writes them):
the amounts' format, a missing or repeated 项目编码 are named here. A cell the file leaves empty
keeps what the record holds."""

from __future__ import annotations

from typing import Optional

from app.domain.monitoring import BudgetLine, MonitoringFile, ProgressLine
from app.jobs import JobControl, control
from app.rules import fields as F
from app.rules import monitoring as rules
from app.rules.validation import CellProblem

BUDGET_SHEET, INDICATOR_SHEET = "预算执行", "指标完成"
BUDGET_HEADERS = ["项目编码", "项目名称", "截至执行数（万元）", "全年预计执行数（万元）"]
INDICATOR_HEADERS = ["项目编码", "三级指标", "全年目标值", "截至完成值", "全年预计完成值", "偏差原因类别", "偏差原因说明",
                     "完成可能性", "纠偏措施"]
# an indicator row's fields (app.domain.monitoring.ProgressLine, the rule's field names) by column
PROGRESS_COLUMNS = {"截至完成值": "completed", "全年预计完成值": "projected", "偏差原因类别": "cause_class",
                    "偏差原因说明": "cause_note", "完成可能性": "likelihood", "纠偏措施": "measures"}
_money = F.money_wan(required=False)


def write_template(path, budget_rows: Optional[list] = None, indicator_rows: Optional[list] = None) -> None:
    """The template; given a round's rows, pre-filled with its projects and indicators."""
    from app.io.columns import Column
    from app.io.templates import TemplateSheet, finish_template
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(BUDGET_SHEET, title="预算执行情况", unit_line="单位：万元",
                     columns=[Column(h) for h in BUDGET_HEADERS], rows=budget_rows or [])
    writer.add_table(INDICATOR_SHEET, title="绩效指标完成情况", unit_line="一行一个三级指标",
                     columns=[Column(h) for h in INDICATOR_HEADERS], rows=indicator_rows or [])
    writer.add_text_sheet("填报说明", [
        "填报说明", "",
        "1. 预算执行：每个项目一行，截至执行数为截至本批次月末的实际支出（万元），可直接粘贴国库支付数据。",
        "2. 指标完成：每个三级指标一行，项目编码和三级指标须与本批次监控表一致；这张表可以不填。",
        f"3. 偏差原因类别填{'、'.join(rules.CAUSE_CLASSES)}之一；完成可能性填{'、'.join(rules.LIKELIHOODS)}之一；"
        f"定性指标的全年预计完成值填{'、'.join(rules.QUALITATIVE_ANSWERS)}之一。",
        "4. 留空的单元格不改变已填内容；已提交或已审核的监控记录不能用导入修改。",
        "5. 任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。",
        "6. 金额列按数字填写（显示两位小数）；表头写成“（元）”时按元读入并换算为万元，不写单位时按万元读入。"
        "偏差原因类别、完成可能性可从下拉列表中选择。也可以导入Excel 97-2003格式（.xls）的文件。",
        "", "各列说明：",
        "项目编码（必填）：本批次监控表中的项目编码；项目名称只为核对，不导入",
        "截至执行数（万元）（必填列）：截至本批次月末的实际支出，不小于0",
        "全年预计执行数（万元）：预计全年支出，不小于0",
        "三级指标：与本批次监控表中的三级指标一致；全年目标值只为核对，不导入",
        "截至完成值、全年预计完成值：定量指标填数字，定性指标填文字",
        f"偏差原因类别：{'、'.join(rules.CAUSE_CLASSES)}之一；偏差原因说明：具体原因",
        f"完成可能性：{'、'.join(rules.LIKELIHOODS)}之一；纠偏措施：下一步的具体措施"])
    writer.save(path)
    finish_template(path, [TemplateSheet(BUDGET_SHEET, money=BUDGET_HEADERS[2:]),
                           TemplateSheet(INDICATOR_SHEET, choices={"偏差原因类别": rules.CAUSE_CLASSES,
                                                                   "完成可能性": rules.LIKELIHOODS})])


def parse_monitoring(path, job: Optional[JobControl] = None) -> tuple[MonitoringFile, list[CellProblem]]:
    """The file's rows as drafts (with their row numbers), and the cells wrong on their own: an
    amount that is not one, a 项目编码 missing or repeated in the 预算执行 sheet."""
    from app.io.xlsx import SheetSpec, read_tables

    job = control(job)
    budget, indicators = read_tables(path, [
        SheetSpec(BUDGET_SHEET, ["项目编码", "截至执行数（万元）"], ["项目名称", "全年预计执行数（万元）"]),
        SheetSpec(INDICATOR_SHEET, ["项目编码", "三级指标"], INDICATOR_HEADERS[2:], needed=False)], job)
    problems: list[CellProblem] = []
    lines, seen = [], {}
    for row_no, cells in budget.rows:
        code = F.as_text(cells.get("项目编码"))
        if code in seen:
            problems.append(CellProblem(budget.sheet, row_no, "项目编码", f"在表中应唯一（与第{seen[code]}行重复）", code))
            continue
        seen[code] = row_no
        if not code:
            problems.append(CellProblem(budget.sheet, row_no, "项目编码", "为必填项", ""))
        amounts = []
        for header in ("截至执行数（万元）", "全年预计执行数（万元）"):
            try:
                amounts.append(_money(cells.get(header)))
            except F.FieldInvalid as exc:
                problems.append(CellProblem(budget.sheet, row_no, header, exc.expected, F.as_text(cells.get(header))))
                amounts.append(None)
        if code:
            lines.append(BudgetLine(row_no, code, *amounts))
    progress = []
    if indicators is not None:
        for row_no, cells in indicators.rows:
            text = {h: F.as_text(cells.get(h)) for h in INDICATOR_HEADERS}
            if not text["项目编码"]:
                problems.append(CellProblem(indicators.sheet, row_no, "项目编码", "为必填项", ""))
                continue
            progress.append(ProgressLine(row_no, text["项目编码"], text["三级指标"],
                                         **{attr: text[header] for header, attr in PROGRESS_COLUMNS.items()}))
    return MonitoringFile(budget.sheet, tuple(lines), INDICATOR_SHEET if indicators is None else indicators.sheet,
                          tuple(progress)), problems
