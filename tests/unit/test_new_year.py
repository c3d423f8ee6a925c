"""新建年度: last year's 延续 projects carried into the new year with their approved targets as 草稿,
amounts left for the user, nothing doubled; the year list shows a started year even when empty."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.rules.validation import RejectedError
from app.services import new_year, projects, targets
from app.services.actor import Actor
from app.services.projects import list_projects, list_years
from db.models import AuditLog
from tests.support import project_raw


@pytest.mark.parametrize("code, carried", [
    ("3701172023001", "3701172024001"),
    ("DH2023002", "DH2024002"),
    ("1202302023001", "1202302024001"),  # the region prefix holds 2023 too: the year part moves
    ("XM-001", "XM-001"),
])
def test_the_project_code_moves_to_the_new_year_when_it_holds_the_old_one(code, carried):
    assert new_year.new_code(code, 2023, 2024) == carried


def test_the_plan_lists_last_years_continuing_projects_and_writes_nothing(year):
    projects.save_project(year, project_raw(code="XZ2023009", name="新增的项目", category="新增"))
    plan = new_year.plan(year, 2024)
    assert [(r.old_code, r.code, r.has_target, r.there) for r in plan.rows] == [
        ("DH2023002", "DH2024002", True, False), ("DH2023005", "DH2024005", False, False)]
    assert plan.rows[0].department == "[213001]钢城区城市管理局"
    assert plan.sentence() == ("将把2023年度的2个延续项目结转到2024年度（其中1个带上年已批复的绩效目标作为草稿），"
                               "预算金额为0，请结转后填写。")
    assert list_projects(year, 2024) == [] and 2024 not in list_years(year)
    assert new_year.next_year(year) == 2024


def test_starting_a_year_carries_projects_and_approved_targets_as_drafts(year):
    seen = []
    year.subscribe(seen.append)
    result = new_year.start_year(year, 2024, actor=Actor("王科长"))
    assert result.sentence() == "已建立2024年度：结转延续项目2个，带入绩效目标草稿1个。请为结转的项目填写本年度预算金额。"
    rows = {r.code: r for r in list_projects(year, 2024)}
    assert set(rows) == {"DH2024002", "DH2024005"}
    relief = rows["DH2024002"]
    assert (relief.name, relief.department, relief.unit, relief.category) == (
        "救灾物资和防汛物资管理", "[213001]钢城区城市管理局", "[213001]钢城区城市管理局", "延续")
    assert (relief.initial_fen, relief.annual_fen, relief.fiscal_fen, relief.other_fen) == (0, 0, 0, 0)
    assert (relief.period_start, relief.period_end) == ("2024-01", "2024-12")
    assert 2024 in list_years(year)

    old = targets.open_target(year, next(r.id for r in list_projects(year, 2023) if r.code == "DH2023002"))
    draft = targets.open_target(year, relief.id)
    assert draft.status == "草稿" and draft.year == 2024
    assert draft.annual_goal == old.annual_goal and draft.overall_goal == old.overall_goal
    assert [(i.level1, i.level2, i.level3, i.direction, i.value, i.unit, i.points) for i in draft.indicators] == [
        (i.level1, i.level2, i.level3, i.direction, i.value, i.unit, i.points) for i in old.indicators]
    assert old.status == "已批复"  # last year's stays as it was
    saved = targets.save_target(year, draft)  # the user takes it from here
    assert saved.status == "草稿"
    states = {r.code: r.status for r in targets.list_targets(year, 2024)}
    assert states == {"DH2024002": "草稿", "DH2024005": "未填报"}

    with year.session() as s:
        entries = s.scalars(select(AuditLog).where(AuditLog.summary.like("新建年度%"))).all()
    assert len(entries) == 3 and {e.user for e in entries} == {"王科长"}
    told = [c for changes in seen for c in changes.items]
    assert {(c.stage, c.year) for c in told} >= {("projects", 2024), ("targets", 2024)}


def test_a_year_that_has_them_all_is_refused_and_one_that_has_some_carries_the_rest(year):
    projects.save_project(year, project_raw(code="DH2024005", name="净水厂原水水费及场地租金", year="2024",
                                            annual_budget="520", initial_budget="520", period_start="2024-01",
                                            period_end="2024-12"))
    result = new_year.start_year(year, 2024)
    assert (result.carried, result.skipped) == (1, 1)
    assert "跳过1个（2024年度已有）" in result.sentence()
    assert {r.code: r.annual_fen for r in list_projects(year, 2024)} == {"DH2024002": 0, "DH2024005": 520_000_000}
    with pytest.raises(RejectedError) as refused:
        new_year.start_year(year, 2024)
    assert refused.value.summary == "2024年度已有2023年度全部2个延续项目，没有需要结转的项目。"
    assert len(list_projects(year, 2024)) == 2


def test_a_year_with_nothing_to_carry_is_started_empty_and_listed(county):
    assert list_years(county) == []
    plan = new_year.plan(county, 2026)
    assert plan.sentence() == "2025年度没有延续项目，将建立空的2026年度。"
    result = new_year.start_year(county, 2026)
    assert result.carried == 0 and list_years(county) == [2026]
    assert new_year.next_year(county) == 2027
    with pytest.raises(RejectedError) as refused:
        new_year.start_year(county, 2026)
    assert refused.value.summary == "2026年度已经建立，2025年度没有可结转的延续项目。"
    projects.save_project(county, project_raw(code="X2027001", year="2027", category="新增", period_start="2027-01",
                                             period_end="2027-12"))
    assert list_years(county) == [2026, 2027]


def test_a_second_level_project_follows_its_first_level_project(county):
    projects.save_project(county, project_raw(code="3701172023001", name="一级：城乡环卫"))
    projects.save_project(county, project_raw(code="3701172023002", name="二级：城区保洁", parent_code="3701172023001"))
    new_year.start_year(county, 2024)
    rows = {r.code: r for r in list_projects(county, 2024)}
    assert rows["3701172024002"].parent_code == "3701172024001"
