"""The demo county's 绩效自评 of 2022 budgets (carried out in 2023): the 24 tables one report
re-checked — 17 项目支出 and 7 部门整体, 17 优, 3 良, 4 中 — made as a user makes them, through
app.services.self_eval: a project's table opened on its approved 2022 target, actuals typed (some
indicators missed, with the 偏差原因; one score set apart from the 参考得分 with its 评分说明),
submitted and passed (two left 已提交); a department's table scored item by item with the 扣分原因,
submitted and passed. Grades are the pack's, from these figures."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.services.workspace import Workspace
from db.models import Department, Project

PASSED = "审核通过"


def load_self_evals(ws: Workspace, data: dict[str, Any]) -> None:
    if not data:
        return
    from app.services import self_eval as svc

    year, opinion = data["year"], data["opinion"]
    with ws.session() as s:
        projects = dict(s.execute(select(Project.code, Project.id).where(Project.year == year)).all())
        depts = dict(s.execute(select(Department.code, Department.id)).all())
    for item in data.get("projects", []):
        draft = svc.open_project(ws, projects[item["code"]])
        executed = item["executed_wan"]
        total, fiscal, other = draft.budget
        budget = [replace(total, executed=executed), replace(fiscal, executed=executed), replace(other, executed="0")]
        deviations, scores = item.get("deviations", {}), item.get("scores", {})
        lines = []
        for n, (line, actual) in enumerate(zip(draft.indicators, item["actuals"])):
            score, note = scores.get(str(n), ("", ""))
            lines.append(replace(line, actual=actual, deviation=deviations.get(str(n), ""), score=score, score_note=note))
        draft = replace(draft, budget=budget, indicators=lines, budget_cause=item.get("budget_cause", ""),
                        goal_actual=item.get("goal_actual", ""), problems=item.get("problems", ""),
                        improvements=item.get("improvements", ""), project_leader=item.get("project_leader", ""),
                        finance_leader=item.get("finance_leader", ""),
                        conclusion=item.get("conclusion", ""))
        draft = svc.submit(ws, draft)
        if item.get("status", PASSED) == PASSED:
            svc.review(ws, draft, True, opinion)
    for item in data.get("departments", []):
        draft = svc.open_department(ws, depts[item["code"]], year)
        basic_a, basic_e = Decimal(item["basic_annual_wan"]), Decimal(item["basic_executed_wan"])
        proj_a, proj_e = Decimal(item["project_annual_wan"]), Decimal(item["project_executed_wan"])
        total, basic, project = draft.budget
        budget = [replace(total, initial=f"{basic_a + proj_a}", annual=f"{basic_a + proj_a}", executed=f"{basic_e + proj_e}"),
                  replace(basic, annual=f"{basic_a}", executed=f"{basic_e}"),
                  replace(project, annual=f"{proj_a}", executed=f"{proj_e}")]
        off = item.get("deductions", {})
        lines = [replace(line, score=off[line.level3][0], score_note=off[line.level3][1]) if line.level3 in off
                 else (line if line.rule else replace(line, score=line.points))
                 for line in draft.indicators]
        draft = replace(draft, budget=budget, indicators=lines, staff_quota=item.get("staff_quota", ""),
                        staff_actual=item.get("staff_actual", ""), functions=item.get("functions", ""),
                        goal_actual=item.get("goal_actual", ""))
        draft = svc.submit(ws, draft)
        if item.get("status", PASSED) == PASSED:
            svc.review(ws, draft, True, opinion)
