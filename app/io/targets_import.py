"""Targets from Excel in the flat layout of the 一体化 systems: one row per indicator; 总体目标 and
年度目标 may stand on a project's first row only. All or nothing, every bad cell named; each
target in the file gets exactly the file's indicator rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import delete, insert, select, update

from app.jobs import JobControl, control
from app.rules.fields import as_text
from app.rules.validation import CellProblem, RejectedError
from app.services import audit, targets as svc
from app.services.workspace import Workspace
from db.models import PerformanceTarget, Project, TargetIndicator

SHEET = "绩效目标"
HEADERS = ["项目编码", "年度", "总体目标", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
           "计量单位", "分值", "指标解释"]
REQUIRED = ["项目编码", "年度", "一级指标", "二级指标", "三级指标", "指标性质", "指标值"]
_GRID_KEYS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "指标性质": "direction", "指标值": "value",
              "计量单位": "unit", "分值": "points", "指标解释": "explanation"}


def write_template(path) -> None:
    from app.io.columns import Column
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(SHEET, title="项目绩效目标导入模板", unit_line="一行一个指标", columns=[Column(h) for h in HEADERS], rows=[])
    writer.add_text_sheet("填报说明", [
        "填报说明", "",
        "1. 一行一个指标；同一项目的各行项目编码、年度相同。总体目标、年度目标只需填在该项目的第一行。",
        "2. 项目编码须是该年度项目库中已有的项目；已提交或已批复的目标不能用导入修改。",
        f"3. 一级指标填{'、'.join(svc.LEVEL1)}之一；指标性质填≥、≤、=或定性；分值可不填，填写时为不小于0的数字。",
        "4. 文件中的每个项目，其指标以文件为准整体替换；任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。",
        "", "填写示例：3701172023001｜2023｜｜全年完成城区道路清扫保洁320万平方米……｜产出｜数量｜城区道路清扫保洁面积｜≥｜320｜万平方米｜20｜"])
    writer.save(path)


@dataclass
class _Target:
    first_row: int
    year: int
    code: str
    overall: str = ""
    annual: str = ""
    rows: list[svc.IndicatorDraft] = field(default_factory=list)


def import_targets(ws: Workspace, path, job: Optional[JobControl] = None) -> str:
    from app.io.xlsx import read_table

    job = control(job)
    table = read_table(path, sheet=SHEET, required=REQUIRED, optional=[h for h in HEADERS if h not in REQUIRED], job=job)
    problems: list[CellProblem] = []
    found: dict[tuple[int, str], _Target] = {}
    for row_no, cells in table.rows:
        text = {h: as_text(cells.get(h)) for h in HEADERS}
        bad = lambda header, expected: problems.append(CellProblem(table.sheet, row_no, header, expected, text[header]))  # noqa: E731
        if not text["年度"].isdigit() or len(text["年度"]) != 4:
            bad("年度", "应为四位年份，如2023")
            continue
        if not text["项目编码"]:
            bad("项目编码", "为必填项")
            continue
        key = (int(text["年度"]), text["项目编码"])
        target = found.setdefault(key, _Target(row_no, *key))
        target.overall = target.overall or text["总体目标"]
        target.annual = target.annual or text["年度目标"]
        draft = svc.IndicatorDraft(**{attr: text[h] for h, attr in _GRID_KEYS.items()})
        report = svc.validate_grid(svc.TargetDraft(0, 0, key[0], "", 0, indicators=[draft]))
        by_attr = {v: k for k, v in _GRID_KEYS.items()}
        for p in report.problems:
            bad(by_attr[p.field.split(":")[1]], p.message)
        for header in ("三级指标", "指标值"):  # 二级指标 is checked with the grid
            if not text[header]:
                bad(header, "为必填项")
        target.rows.append(draft)
    with ws.session() as s:
        projects = {(y, c): pid for pid, y, c in s.execute(select(Project.id, Project.year, Project.code)
                                                            .where(Project.year.in_({y for y, _ in found} or {0})))}
        existing = {t.project_id: t for t in s.scalars(select(PerformanceTarget).where(
            PerformanceTarget.project_id.in_(list(projects.values()) or [0])))}
        for (year, code), target in found.items():
            pid = projects.get((year, code))
            if pid is None:
                problems.append(CellProblem(table.sheet, target.first_row, "项目编码", f"应为{year}年度已有的项目编码", code))
            elif pid in existing and existing[pid].status not in svc.EDITABLE:
                problems.append(CellProblem(table.sheet, target.first_row, "项目编码",
                                            f"对应的绩效目标状态为“{existing[pid].status}”，不能用导入修改", code))
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        if not found:
            raise RejectedError("文件中没有指标数据行，未导入任何数据。")
        _write(s, ws, found, projects, existing, job)
        sentence = f"导入完成：{len(found)}个项目的绩效目标，共{sum(len(t.rows) for t in found.values())}个指标。"
        audit.record(s, "导入", PerformanceTarget.label, sentence, changes={"file": str(path)})
    return sentence


def _write(s, ws: Workspace, found: dict[tuple[int, str], _Target], projects: dict, existing: dict,
           job: JobControl) -> None:
    """Bulk writes (no per-object flush): new targets inserted, held ones updated by primary key
    with their version, every target's grid replaced by the file's rows."""
    from app.rules.target_check import CheckSettings, check_target

    settings, pack_version = CheckSettings.from_pack(ws.rule_pack()), ws.rule_pack().version
    p = Project.__table__
    wanted = [projects[key] for key in found]
    money = {pid: (total, fiscal, other, region) for pid, total, fiscal, other, region in s.execute(
        select(p.c.id, p.c.annual_budget_fen, p.c.fiscal_fen, p.c.other_fen, p.c.region_code).where(p.c.id.in_(wanted)))}
    inserts, updates = [], []
    for n, ((year, code), item) in enumerate(found.items()):
        pid = projects[(year, code)]
        held = existing.get(pid)
        overall = item.overall or (held.overall_goal if held is not None else "") or ""
        annual = item.annual or (held.annual_goal if held is not None else "") or ""
        funds = held.total_funds_fen if held is not None else money[pid][0]
        draft = svc.TargetDraft(0, pid, year, svc.DRAFT, 0, overall, annual, funds, item.rows)
        head = {"overall_goal": overall or None, "annual_goal": annual or None, "rule_pack_version": pack_version,
                "quality_score": check_target(svc.check_input(draft), settings).quality_score}
        if held is None:
            total, fiscal, other, region = money[pid]
            inserts.append({**head, "year": year, "kind": svc.PROJECT, "project_id": pid, "status": svc.DRAFT,
                            "total_funds_fen": total, "fiscal_fen": fiscal, "other_fen": other, "region_code": region})
        else:
            updates.append({**head, "id": held.id, "version": held.version})
        if n % 500 == 0:
            job.step(n, len(found))
    if inserts:
        s.execute(insert(PerformanceTarget), inserts)
    if updates:
        s.execute(update(PerformanceTarget), updates)
        s.execute(delete(TargetIndicator).where(TargetIndicator.target_id.in_([u["id"] for u in updates])))
    t = PerformanceTarget.__table__
    ids = {pid: (tid, region) for pid, tid, region in s.execute(
        select(t.c.project_id, t.c.id, t.c.region_code).where(t.c.project_id.in_(wanted)))}
    rows = []
    for key, item in found.items():
        tid, region = ids[projects[key]]
        rows.extend({"target_id": tid, "seq": seq, "level1": r.level1, "level2": r.level2, "level3": r.level3,
                     "direction": r.direction, "value_text": r.value, "value_num": svc.first_number_of(r.value),
                     "unit": r.unit, "points": svc.points_of(r.points), "explanation": r.explanation,
                     "region_code": region} for seq, r in enumerate(item.rows, 1))
    s.execute(insert(TargetIndicator), rows)
