"""部门整体支出绩效目标: funds from the department's projects, 部门职能 and 年度主要任务 kept, the
department's own mandatory categories, and the same workflow as a project's target."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.domain.targets import IndicatorDraft, TaskDraft
from app.rules.validation import RejectedError
from app.services import projects, targets
from app.services.department_targets import list_department_targets, open_department_target
from db.models import AuditLog, Department, Project
from tests.support import project_raw

ROWS = [
    IndicatorDraft("产出", "数量", "城区道路清扫保洁面积", "≥", "320", "万平方米"),
    IndicatorDraft("产出", "质量", "市容环境卫生考核达标率", "≥", "95", "%"),
    IndicatorDraft("产出", "时效", "重点任务按期完成率", "≥", "95", "%"),
    IndicatorDraft("效益", "社会效益", "城市管理投诉办结率", "≥", "98", "%"),
    IndicatorDraft("满意度", "服务对象满意度", "城区居民对市容环境满意度", "≥", "90", "%"),
    IndicatorDraft("履职效能", "重点工作", "年度重点工作任务完成率", "=", "100", "%"),
]
GOAL = "全年完成城区320万平方米道路保洁、路灯与公厕运行维护，市容考核达标率95%以上，群众满意度90%以上。"


@pytest.fixture
def bureau(county):
    projects.save_project(county, project_raw())  # 3201.18万元
    projects.save_project(county, project_raw(code="3701172023002", name="路灯电费及维护", annual_budget="88.5",
                                              initial_budget="88.5"))
    with county.session() as s:
        return s.scalars(select(Department.id).where(Department.code == "213001")).one()


def test_a_department_target_takes_its_projects_money(county, bureau):
    draft = open_department_target(county, bureau, 2023)
    assert (draft.kind, draft.status, draft.funds_fen, draft.project_id) == ("部门整体支出", "草稿", 3_289_680_000, None)
    other_year = open_department_target(county, bureau, 2024)
    assert (other_year.year, other_year.funds_fen) == (2024, 0)
    saved = targets.save_target(county, replace(draft, annual_goal=GOAL))
    assert (saved.funds_fen, saved.department_id, saved.year) == (3_289_680_000, bureau, 2023)
    assert open_department_target(county, bureau, 2024).target_id is None  # the other year still has none


def test_functions_and_tasks_are_kept_and_a_bad_budget_is_named(county, bureau):
    draft = open_department_target(county, bureau, 2023)
    tasks = [TaskDraft("城区环卫一体化保洁", "3201.18"), TaskDraft("路灯运行维护", "88.50")]
    saved = targets.save_target(county, replace(draft, functions="负责城区市容环境卫生管理", annual_goal=GOAL,
                                                indicators=ROWS, tasks=tasks))
    again = open_department_target(county, bureau, 2023)
    assert again.functions == "负责城区市容环境卫生管理" and again.tasks == [TaskDraft("城区环卫一体化保洁", "3201.18"),
                                                                         TaskDraft("路灯运行维护", "88.50")]
    assert [i.level3 for i in again.indicators] == [r.level3 for r in ROWS]
    with pytest.raises(RejectedError) as exc:
        targets.save_target(county, replace(saved, tasks=[TaskDraft("路灯运行维护", "八十万")]))
    assert [p.message for p in exc.value.report.problems] == ["年度主要任务第1项的预算数应为不小于0的万元金额，如 12.5"]


def test_department_targets_use_their_own_mandatory_categories(county, bureau):
    draft = replace(open_department_target(county, bureau, 2023), annual_goal=GOAL, indicators=ROWS)
    assert not targets.check(county, draft).blocks_submission  # no 成本 needed for 部门整体
    as_project = replace(draft, kind="项目支出")
    assert any("产出—成本" in f.problem for f in targets.check(county, as_project).findings)
    missing = replace(draft, indicators=[r for r in ROWS if r.level2 != "时效"])
    assert any("产出—时效" in f.problem for f in targets.check(county, missing).findings)


def test_a_department_target_goes_through_the_workflow_and_lists_with_its_state(county, bureau):
    draft = replace(open_department_target(county, bureau, 2023), annual_goal=GOAL, indicators=ROWS)
    submitted = targets.submit(county, draft)
    rows = {r.code: r for r in list_department_targets(county, 2023)}
    assert rows["213001"].status == "已提交" and rows["213001"].annual_fen == 3_289_680_000
    assert rows["207001"].status == "未填报" and rows["207001"].annual_fen == 0
    with pytest.raises(RejectedError):
        targets.save_target(county, submitted)  # read-only once submitted
    kinds = [d.kind for _, d in targets.year_drafts(county, 2023)]
    assert kinds == ["部门整体支出"]


def test_copying_last_year_finds_the_departments_earlier_target(county, bureau):
    last = open_department_target(county, bureau, 2022)
    targets.save_target(county, replace(last, annual_goal=GOAL, indicators=ROWS))
    this_year = open_department_target(county, bureau, 2023)
    assert [r.level3 for r in targets.last_year_rows(county, this_year)] == [r.level3 for r in ROWS]


def test_money_follows_the_projects_until_submitted_and_each_change_is_recorded(county, bureau):
    draft = targets.save_target(county, replace(open_department_target(county, bureau, 2023), annual_goal=GOAL,
                                                indicators=ROWS))
    projects.save_project(county, project_raw(code="3701172023003", name="城市照明节能改造", annual_budget="10.32",
                                              initial_budget="10.32"))
    saved = targets.save_target(county, draft)  # the form was opened before the new project
    assert saved.funds_fen == 3_300_000_000
    with county.session() as s:
        logged = list(s.scalars(select(AuditLog.summary).order_by(AuditLog.id)))
    assert "年度资金总额随本年度项目更新：3,289.68万元 → 3,300.00万元" in logged
    submitted = targets.submit(county, saved)
    projects.save_project(county, project_raw(code="3701172023004", name="新增项目", annual_budget="99",
                                              initial_budget="99"))
    rows = {r.code: r for r in list_department_targets(county, 2023)}
    assert rows["213001"].annual_fen == 3_300_000_000  # submitted: the money it was declared with
    assert open_department_target(county, bureau, 2023).funds_fen == submitted.funds_fen


def test_the_check_uses_the_money_as_the_projects_stand(county, bureau):
    cost = IndicatorDraft("产出", "成本", "城区保洁与照明运行成本", "≤", "3289.68", "万元")
    saved = targets.save_target(county, replace(open_department_target(county, bureau, 2023), annual_goal=GOAL,
                                                indicators=ROWS + [cost]))
    assert saved.funds_fen == 3_289_680_000
    with county.session() as s:  # 路灯 (88.5万元) is dropped while the form stays open
        lamp = s.scalars(select(Project).where(Project.code == "3701172023002")).one()
        lamp.initial_budget_fen = lamp.annual_budget_fen = lamp.fiscal_fen = 0
    with pytest.raises(RejectedError, match="成本指标合计3289.68万元，超过年度资金总额3201.18万元"):
        targets.submit(county, saved)


def test_department_targets_are_named_as_such_in_the_review_and_summary(county, bureau):
    targets.save_target(county, replace(open_department_target(county, bureau, 2023), annual_goal=GOAL, indicators=ROWS))
    assert [(r.code, r.name) for r in targets.summary_lines(county, 2023)] == [("213001", "钢城区城市管理局（部门整体支出）")]
    assert {r.name for r in targets.review_lines(county, 2023)} == {"钢城区城市管理局（部门整体支出）"}


def test_opening_a_department_target_creates_nothing_the_first_save_does(county, bureau):
    told = []
    county.subscribe(told.append)
    draft = open_department_target(county, bureau, 2023)
    assert not draft.saved and told == []
    assert {r.code: r.status for r in list_department_targets(county, 2023)}["213001"] == "未填报"
    saved = targets.save_target(county, replace(draft, annual_goal=GOAL))
    assert told and told[0].ids("targets") == {saved.target_id}
    with county.session() as s:
        said = list(s.scalars(select(AuditLog.summary).where(AuditLog.entity == "绩效目标").order_by(AuditLog.id)))
    assert said[0] == "建立部门整体绩效目标：[213001]钢城区城市管理局 2023年度"
    assert not any("随本年度项目更新" in x for x in said)  # created with the money as it stands
    open_department_target(county, bureau, 2023)  # already there, money unchanged: nothing changed
    assert len(told) == 1
    with pytest.raises(RejectedError, match="刚由其他人建立"):
        targets.save_target(county, replace(draft, annual_goal="另一个窗口"))
