"""绩效目标 (issue 4, service layer): a target per project-year, its indicator grid, the automatic
check on every save, and the workflow 草稿 → 已提交 → 审核通过 / 退回修改 → 已批复.

Approved targets are read-only; changing one needs a recorded 退回 with a reason, which keeps the
approved version as a snapshot. Every change goes into the audit log."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from sqlalchemy import select

from app.rules.target_check import CheckResult, CheckSettings, IndicatorIn, TargetIn, check_target
from app.rules.validation import RejectedError, Report
from app.services import audit
from app.services.records import load_for_change
from app.services.workspace import Workspace
from db.models import PerformanceTarget, Project, TargetIndicator, TargetReview, TargetSnapshot, TargetTask

DRAFT, SUBMITTED, PASSED, RETURNED, APPROVED = "草稿", "已提交", "审核通过", "退回修改", "已批复"
PROJECT, DEPARTMENT = "项目支出", "部门整体支出"
EDITABLE = (DRAFT, RETURNED)
DIRECTIONS = ("≥", "≤", "=", "定性")
LEVEL1 = ("产出", "效益", "满意度", "履职效能", "管理效率")


@dataclass
class IndicatorDraft:
    level1: str = "产出"
    level2: str = ""
    level3: str = ""
    direction: str = "≥"
    value: str = ""
    unit: str = ""
    points: str = ""
    explanation: str = ""
    last_year: str = ""
    library_id: Optional[int] = None


@dataclass
class TaskDraft:
    """年度主要任务 of a 部门整体 target: what, and its 预算数 in 万元 as typed."""

    content: str = ""
    budget: str = ""


@dataclass
class TargetDraft:
    """What the target form edits: header text and the grid, all as text. A 项目支出 target has a
    project_id; a 部门整体支出 target a department_id, 部门职能 and 年度主要任务."""

    target_id: int
    project_id: Optional[int]
    year: int
    status: str
    version: int
    overall_goal: str = ""
    annual_goal: str = ""
    funds_fen: Optional[int] = None
    indicators: list[IndicatorDraft] = field(default_factory=list)
    kind: str = PROJECT
    department_id: Optional[int] = None
    functions: str = ""
    tasks: list[TaskDraft] = field(default_factory=list)
    revision: int = 1  # above 1: earlier approved versions are kept (snapshots)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


def points_of(text: str) -> Optional[Decimal]:
    """分值 text as a number (None when empty or not a number ≥ 0)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def first_number_of(text: str) -> Optional[Decimal]:
    from app.rules.target_check import first_number

    return first_number(text)


def check_input(draft: TargetDraft) -> TargetIn:
    return TargetIn(year=draft.year, annual_goal=draft.annual_goal, funds_fen=draft.funds_fen, kind=draft.kind,
                    indicators=[IndicatorIn(i.level1, i.level2, i.level3, i.direction, i.value, i.unit,
                                            points_of(i.points), i.last_year) for i in draft.indicators])


def check(ws: Workspace, draft: TargetDraft) -> CheckResult:
    return check_target(check_input(draft), CheckSettings.from_pack(ws.rule_pack()))


def validate_grid(draft: TargetDraft) -> Report:
    """Cell problems the grid shows inline; field keys are "row:column" (0-based row)."""
    report = Report()
    for n, ind in enumerate(draft.indicators):
        if ind.level1 not in LEVEL1:
            report.add(f"{n}:level1", f"应为{'、'.join(LEVEL1)}之一")
        if not ind.level2.strip():
            report.add(f"{n}:level2", "为必填项")
        if ind.direction not in DIRECTIONS:
            report.add(f"{n}:direction", "应为≥、≤、=或定性")
        if ind.points.strip() and points_of(ind.points) is None:
            report.add(f"{n}:points", "应为不小于0的数字")
    for n, task in enumerate(draft.tasks):
        if task.budget.strip() and task_budget_fen(task.budget) is None:
            report.add(f"task{n}:budget", f"年度主要任务第{n + 1}项的预算数应为不小于0的万元金额，如 12.5")
    return report


def task_budget_fen(text: str) -> Optional[int]:
    """A task's 预算数 (万元 text) in fen; None when empty or not an amount ≥ 0."""
    from app.rules.fields import FieldInvalid, money_wan

    try:
        return money_wan(required=False)(text)
    except FieldInvalid:
        return None


# -- reading ---------------------------------------------------------------------------------------
def open_target(ws: Workspace, project_id: int) -> TargetDraft:
    """The project's target for its year, created as an empty 草稿 the first time."""
    with ws.session() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise RejectedError("这个项目已被删除。")
        target = s.scalars(select(PerformanceTarget).where(PerformanceTarget.project_id == project_id)).first()
        if target is None:
            target = PerformanceTarget(year=project.year, kind="项目支出", project_id=project_id, status=DRAFT,
                                       total_funds_fen=project.annual_budget_fen, fiscal_fen=project.fiscal_fen,
                                       other_fen=project.other_fen, region_code=project.region_code)
            s.add(target)
            s.flush()
            audit.record(s, "新增", PerformanceTarget.label, f"建立绩效目标：{project.code} {project.name}", uuid=target.uuid)
        return as_draft(target)


def as_draft(target: PerformanceTarget) -> TargetDraft:
    """The stored target as the form edits it."""
    from app.money import wan_text

    return TargetDraft(
        target.id, target.project_id, target.year, target.status, target.version, target.overall_goal or "",
        target.annual_goal or "", target.total_funds_fen,
        [IndicatorDraft(i.level1, i.level2, i.level3, i.direction, i.value_text or "", i.unit or "",
                        "" if i.points is None else f"{i.points.normalize():f}", i.explanation or "",
                        i.last_year_actual or "", i.library_id) for i in target.indicators],
        kind=target.kind, department_id=target.department_id, functions=target.functions or "",
        tasks=[TaskDraft(t.content, "" if t.budget_fen is None else wan_text(t.budget_fen))
               for t in target.tasks], revision=target.revision)


# -- writing ---------------------------------------------------------------------------------------
def _load_for_change(s, draft: TargetDraft, allowed: tuple[str, ...]) -> PerformanceTarget:
    return load_for_change(s, PerformanceTarget, draft.target_id, draft.version, allowed, "这个绩效目标", "绩效目标")


def save_target(ws: Workspace, draft: TargetDraft, submitting: bool = False) -> TargetDraft:
    """Save header and grid (草稿 or 退回修改 only); the check's quality score is stored with it.
    When submitting, an 错误 from the check refuses the save with nothing written."""
    from app.services.department_targets import refresh_money

    report = validate_grid(draft)
    if not report.ok:
        raise RejectedError("指标表中有填写错误，请按提示修改。", report)
    with ws.session() as s:
        target = _load_for_change(s, draft, EDITABLE)
        refresh_money(s, target)  # a department's money as the projects stand now
        result = check(ws, replace(draft, funds_fen=target.total_funds_fen))
        if submitting and result.blocks_submission:
            errors = [f for f in result.findings if f.severity == "错误"]
            raise RejectedError(f"还有{len(errors)}处错误，不能提交：" + "；".join(f.problem for f in errors[:3]))
        target.overall_goal, target.annual_goal = draft.overall_goal, draft.annual_goal
        if target.kind == DEPARTMENT:
            target.functions = draft.functions
            target.tasks = [TargetTask(seq=n + 1, content=t.content.strip(), budget_fen=task_budget_fen(t.budget),
                                       region_code=target.region_code)
                            for n, t in enumerate(draft.tasks) if t.content.strip() or t.budget.strip()]
        target.indicators.clear()
        s.flush()
        for n, i in enumerate(draft.indicators):
            target.indicators.append(TargetIndicator(
                seq=n + 1, level1=i.level1, level2=i.level2.strip(), level3=i.level3.strip(), direction=i.direction,
                value_text=i.value.strip(), value_num=first_number_of(i.value),
                unit=i.unit.strip(), points=points_of(i.points), explanation=i.explanation,
                last_year_actual=i.last_year, library_id=i.library_id, region_code=target.region_code))
        target.quality_score = result.quality_score
        target.rule_pack_version = ws.rule_pack().version
        s.flush()
        audit.record(s, "修改", PerformanceTarget.label, f"保存绩效目标（质量得分{result.quality_score}）", uuid=target.uuid)
        return as_draft(target)


def submit(ws: Workspace, draft: TargetDraft) -> TargetDraft:
    """草稿/退回修改 → 已提交 (saving it), refused — with nothing written — while the check finds
    an 错误."""
    saved = save_target(ws, draft, submitting=True)
    return _transition(ws, saved, EDITABLE, SUBMITTED, "提交", submitted_at=date.today())


def _transition(ws: Workspace, draft: TargetDraft, allowed, status: str, action: str, **fields) -> TargetDraft:
    with ws.session() as s:
        target = _load_for_change(s, draft, allowed)
        target.status = status
        for key, value in fields.items():
            setattr(target, key, value)
        s.flush()
        audit.record(s, action, PerformanceTarget.label, f"绩效目标{action}，状态：{status}", uuid=target.uuid)
        return as_draft(target)


def review(ws: Workspace, draft: TargetDraft, scores: dict[str, Decimal], passed: bool, opinion: str,
           reviewer: str = "") -> TargetDraft:
    """绩效科 review of a submitted target: 完整性/相关性/合理性/可衡量性 each 0–100, weighted by the
    pack; 审核通过 needs the pack's pass line (澄江: 75); 退回修改 needs an opinion."""
    section = ws.rule_pack().section("target_review")
    weights = {k: Decimal(v) for k, v in section["weights"].items()}
    if set(scores) != set(weights) or any(not 0 <= v <= 100 for v in scores.values()):
        raise RejectedError(f"请为{'、'.join(weights)}各打0到100分。")
    score = (sum(scores[k] * w for k, w in weights.items()) / sum(weights.values())).quantize(Decimal("0.01"))
    pass_line = Decimal(section["pass_line"])
    if passed and score < pass_line:
        raise RejectedError(f"审核得分{score}分，低于{pass_line}分的通过线，不能审核通过，请退回修改。")
    if not passed and not opinion.strip():
        raise RejectedError("退回修改时请填写审核意见，说明要改什么。")
    decision = PASSED if passed else RETURNED
    with ws.session() as s:
        target = _load_for_change(s, draft, (SUBMITTED,))
        target.status, target.review_score = decision, score
        s.add(TargetReview(target_id=target.id, reviewer_role="绩效科", reviewer=reviewer or audit.current_user(),
                           scores=json.dumps({k: str(v) for k, v in scores.items()}, ensure_ascii=False), score=score,
                           decision=decision, opinion=opinion, reviewed_on=date.today(),
                           rule_pack_version=ws.rule_pack().version, region_code=target.region_code))
        s.flush()
        audit.record(s, "审核", PerformanceTarget.label, f"{decision}（审核得分{score}）：{opinion}", uuid=target.uuid)
        return as_draft(target)


def approve(ws: Workspace, draft: TargetDraft) -> TargetDraft:
    return _transition(ws, draft, (PASSED,), APPROVED, "批复", approved_at=date.today())


def reopen(ws: Workspace, draft: TargetDraft, reason: str) -> TargetDraft:
    """An approved target back to 退回修改, with a reason; the approved version stays viewable."""
    if not reason.strip():
        raise RejectedError("退回已批复的绩效目标必须填写原因。")
    with ws.session() as s:
        target = _load_for_change(s, draft, (APPROVED,))
        s.add(TargetSnapshot(target_id=target.id, revision=target.revision, reason=reason,
                             content=json.dumps(asdict(as_draft(target)), ensure_ascii=False, default=str),
                             region_code=target.region_code))
        target.revision += 1
        target.status = RETURNED
        s.flush()
        audit.record(s, "退回", PerformanceTarget.label, f"已批复目标退回修改：{reason}", uuid=target.uuid)
        return as_draft(target)


def snapshots(ws: Workspace, target_id: int) -> list[dict[str, Any]]:
    """Earlier (approved) versions, oldest first, as saved."""
    with ws.session() as s:
        rows = s.scalars(select(TargetSnapshot).where(TargetSnapshot.target_id == target_id).order_by(TargetSnapshot.revision))
        return [{"revision": r.revision, "reason": r.reason, **json.loads(r.content)} for r in rows]


@dataclass(slots=True)
class TargetRow:
    """A line of the 绩效目标 page: a project (项目支出) or a department (部门整体支出) with its target's state."""

    project_id: Optional[int]
    code: str
    name: str
    department: str
    annual_fen: int
    status: str  # 未填报 when the project has no target yet
    quality_score: Optional[Decimal]
    review_score: Optional[Decimal]
    search_key: str = ""
    department_id: Optional[int] = None


NOT_STARTED = "未填报"


def list_targets(ws: Workspace, year: int) -> list[TargetRow]:
    """Every project of the year with its target's state (Core read, one query)."""
    from app.services.projects import list_projects

    t = PerformanceTarget.__table__
    with ws.read() as conn:
        found = {pid: (status, q, r) for pid, status, q, r in conn.execute(
            select(t.c.project_id, t.c.status, t.c.quality_score, t.c.review_score).where(
                t.c.year == year, t.c.project_id.is_not(None)))}
    out = []
    for p in list_projects(ws, year):
        status, quality, review_score = found.get(p.id, (NOT_STARTED, None, None))
        out.append(TargetRow(p.id, p.code, p.name, p.department, p.annual_fen, status, quality, review_score,
                             p.search_key))
    return out


def year_drafts(ws: Workspace, year: int) -> list[tuple[TargetRow, TargetDraft]]:
    """Every target of the year with its grid — projects by code, then departments' — read in plain
    queries (for checks and reports)."""
    from app.services.department_targets import list_department_targets

    t, i = PerformanceTarget.__table__, TargetIndicator.__table__
    by_project = {r.project_id: r for r in list_targets(ws, year)}
    by_department = {r.department_id: r for r in list_department_targets(ws, year)}
    with ws.read() as conn:
        heads = conn.execute(select(t.c.id, t.c.project_id, t.c.department_id, t.c.kind, t.c.status, t.c.version,
                                    t.c.overall_goal, t.c.annual_goal, t.c.total_funds_fen).where(t.c.year == year)).all()
        grid: dict[int, list[IndicatorDraft]] = {}
        for r in conn.execute(select(i.c.target_id, i.c.level1, i.c.level2, i.c.level3, i.c.direction, i.c.value_text,
                                     i.c.unit, i.c.points, i.c.explanation, i.c.last_year_actual, i.c.library_id)
                              .join(t, t.c.id == i.c.target_id).where(t.c.year == year).order_by(i.c.target_id, i.c.seq)):
            grid.setdefault(r[0], []).append(IndicatorDraft(
                r[1], r[2], r[3], r[4], r[5] or "", r[6] or "", "" if r[7] is None else f"{r[7].normalize():f}",
                r[8] or "", r[9] or "", r[10]))
    out = []
    for tid, pid, did, kind, status, version, overall, annual, funds in heads:
        row = by_project.get(pid) if kind == PROJECT else by_department.get(did)
        if row is not None:
            draft = TargetDraft(tid, pid, year, status, version, overall or "", annual or "", funds, grid.get(tid, []),
                                kind=kind, department_id=did)
            out.append((row, draft))
    out.sort(key=lambda pair: (pair[1].kind != PROJECT, pair[0].code))
    return out


def last_year_rows(ws: Workspace, draft: TargetDraft) -> list[IndicatorDraft]:
    """For a 延续 project: last year's indicator rows (same 项目编码, or else the same name and 主管部门)."""
    with ws.session() as s:
        if draft.kind == DEPARTMENT:
            earlier_target = s.scalars(select(PerformanceTarget).where(
                PerformanceTarget.department_id == draft.department_id, PerformanceTarget.year == draft.year - 1)).first()
            return as_draft(earlier_target).indicators if earlier_target is not None else []
        project = s.get(Project, draft.project_id)
        earlier = s.scalars(select(Project).where(Project.year == project.year - 1, Project.code == project.code)).first()
        if earlier is None:
            earlier = s.scalars(select(Project).where(Project.year == project.year - 1, Project.name == project.name,
                                                      Project.department_id == project.department_id)).first()
        if earlier is None:
            return []
        target = s.scalars(select(PerformanceTarget).where(PerformanceTarget.project_id == earlier.id)).first()
        return as_draft(target).indicators if target is not None else []


def rows_from_text(text: str) -> list[IndicatorDraft]:
    """Rows pasted from Excel (tab-separated, in the grid's column order); a header row is skipped."""
    rows = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells) or cells[0] in ("一级指标", "一级"):
            continue
        cells += [""] * (9 - len(cells))
        rows.append(IndicatorDraft(*cells[:9]))
    return rows
