"""Monitoring figures from Excel, all or nothing, every bad cell named:

- sheet 预算执行 (项目编码, 截至执行数（万元）, 全年预计执行数（万元）) — the shape a treasury payment
  export can be pasted into;
- sheet 指标完成 (项目编码, 三级指标, 截至完成值, 全年预计完成值, 偏差原因类别, 偏差原因说明, 完成可能性,
  纠偏措施), optional.

A cell the file leaves empty keeps what the record holds. Submitted records are not changed."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select, update

from app.jobs import JobControl, control
from app.rules import fields as F
from app.rules import monitoring as rules
from app.rules.validation import CellProblem, RejectedError
from app.services import audit
from app.services.monitoring import EDITABLE
from app.services.workspace import Workspace
from db.base import now
from db.models import MonitoringIndicator, MonitoringRecord, Project

BUDGET_SHEET, INDICATOR_SHEET = "预算执行", "指标完成"
BUDGET_HEADERS = ["项目编码", "项目名称", "截至执行数（万元）", "全年预计执行数（万元）"]
INDICATOR_HEADERS = ["项目编码", "三级指标", "全年目标值", "截至完成值", "全年预计完成值", "偏差原因类别", "偏差原因说明",
                     "完成可能性", "纠偏措施"]
_INDICATOR_FIELDS = {"截至完成值": "completed_value", "全年预计完成值": "projected_value", "偏差原因类别": "deviation_class",
                     "偏差原因说明": "deviation_note", "完成可能性": "likelihood", "纠偏措施": "measures"}
_CHOICES = {"偏差原因类别": rules.CAUSE_CLASSES, "完成可能性": rules.LIKELIHOODS}
_money = F.money_wan(required=False)


def write_template(path, budget_rows: Optional[list] = None, indicator_rows: Optional[list] = None) -> None:
    """The template; given a round's rows, pre-filled with its projects and indicators."""
    from app.io.columns import Column
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
        "5. 任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。"])
    writer.save(path)


def import_monitoring(ws: Workspace, round_id: int, path, job: Optional[JobControl] = None) -> str:
    from app.io.xlsx import SheetSpec, read_tables

    job = control(job)
    budget, indicators = read_tables(path, [
        SheetSpec(BUDGET_SHEET, ["项目编码", "截至执行数（万元）"], ["项目名称", "全年预计执行数（万元）"]),
        SheetSpec(INDICATOR_SHEET, ["项目编码", "三级指标"], INDICATOR_HEADERS[2:], needed=False)], job)
    rec, p, mi = MonitoringRecord.__table__, Project.__table__, MonitoringIndicator.__table__
    with ws.read() as conn:
        records = {code: (rid, version, status) for code, rid, version, status in conn.execute(
            select(p.c.code, rec.c.id, rec.c.version, rec.c.status).join(p, p.c.id == rec.c.project_id)
            .where(rec.c.round_id == round_id))}
        progress: dict[tuple[str, str], list[tuple]] = {}  # the same name twice in a target: in its order
        for code, level3, iid, version, direction in conn.execute(
                select(p.c.code, mi.c.level3, mi.c.id, mi.c.version, mi.c.direction).join(rec, rec.c.id == mi.c.record_id)
                .join(p, p.c.id == rec.c.project_id).where(rec.c.round_id == round_id).order_by(mi.c.id)):
            progress.setdefault((code, level3), []).append((iid, version, direction))
    problems: list[CellProblem] = []

    def record_for(sheet: str, row_no: int, code: str):
        found = records.get(code)
        if not code:
            problems.append(CellProblem(sheet, row_no, "项目编码", "为必填项", ""))
        elif found is None:
            problems.append(CellProblem(sheet, row_no, "项目编码", "应为本监控批次中的项目编码", code))
        elif found[2] not in EDITABLE:
            problems.append(CellProblem(sheet, row_no, "项目编码", f"对应的监控记录状态为“{found[2]}”，不能用导入修改", code))
        else:
            return found
        return None

    money_updates, seen = {}, {}
    for row_no, cells in budget.rows:
        code = F.as_text(cells.get("项目编码"))
        if code in seen:
            problems.append(CellProblem(budget.sheet, row_no, "项目编码", f"在表中应唯一（与第{seen[code]}行重复）", code))
            continue
        seen[code] = row_no
        found = record_for(budget.sheet, row_no, code)
        values = {}
        for header, key in (("截至执行数（万元）", "executed_fen"), ("全年预计执行数（万元）", "projected_fen")):
            try:
                amount = _money(cells.get(header))
            except F.FieldInvalid as exc:
                problems.append(CellProblem(budget.sheet, row_no, header, exc.expected, F.as_text(cells.get(header))))
                continue
            if amount is not None:
                values[key] = amount
        if found is not None and values:
            money_updates[found[0]] = {"id": found[0], "version": found[1], **values}
    progress_updates = []
    if indicators is not None:
        progress_updates = _read_progress(indicators, progress, record_for, problems)
        for found in {records[code] for code in {u.pop("code") for u in progress_updates}}:
            # the record's version moves with its indicator rows, and is checked when the import writes
            money_updates.setdefault(found[0], {"id": found[0], "version": found[1]})
    if problems:
        problems.sort(key=lambda c: (c.sheet != BUDGET_SHEET, c.row))
        raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
    if not money_updates and not progress_updates:
        raise RejectedError("文件中没有可导入的执行数或指标完成情况，未导入任何数据。")
    with ws.session() as s:
        if money_updates:
            stamp = now()
            s.execute(update(MonitoringRecord), [{**u, "updated_at": stamp} for u in money_updates.values()])
        if progress_updates:
            s.execute(update(MonitoringIndicator), progress_updates)
        amounts = sum(1 for u in money_updates.values() if len(u) > 2)
        sentence = f"导入完成：更新项目执行数{amounts}个，指标完成情况{len(progress_updates)}条。"
        audit.record(s, "导入", MonitoringRecord.label, sentence, changes={"file": str(path)})
    return sentence


def _read_progress(table, progress: dict, record_for, problems: list[CellProblem]) -> list[dict]:
    updates, seen = [], {}
    for row_no, cells in table.rows:
        text = {h: F.as_text(cells.get(h)) for h in INDICATOR_HEADERS}
        if record_for(table.sheet, row_no, text["项目编码"]) is None:
            continue
        key = (text["项目编码"], text["三级指标"])
        if key not in progress:
            problems.append(CellProblem(table.sheet, row_no, "三级指标", "应为该项目监控表中已有的三级指标", text["三级指标"]))
            continue
        earlier = seen.setdefault(key, [])
        if len(earlier) >= len(progress[key]):
            problems.append(CellProblem(table.sheet, row_no, "三级指标", f"同一项目内重复（与第{earlier[0]}行相同，"
                                        f"监控表中只有{len(progress[key])}个同名指标）", text["三级指标"]))
            continue
        iid, version, direction = progress[key][len(earlier)]
        earlier.append(row_no)
        for header, options in _CHOICES.items():
            if text[header] and text[header] not in options:
                problems.append(CellProblem(table.sheet, row_no, header, f"应为{'、'.join(options)}之一", text[header]))
        answer = text["全年预计完成值"]
        if direction == "定性" and answer and answer not in rules.QUALITATIVE_ANSWERS:
            problems.append(CellProblem(table.sheet, row_no, "全年预计完成值",
                                        f"定性指标应为{'、'.join(rules.QUALITATIVE_ANSWERS)}之一", answer))
        values = {column: text[header] for header, column in _INDICATOR_FIELDS.items() if text[header]}
        if values:
            updates.append({"id": iid, "version": version, "code": text["项目编码"], **values})
    return updates
