"""Project rules and edits as a finance officer meets them (no Qt)."""


import pytest
from sqlalchemy import func, select

from app.rules.validation import RejectedError
from app.services import projects as svc
from app.services.base_data import delete_department, list_departments
from db.models import AuditLog, KeyEvaluation, Project
from tests.support import project_raw


def messages(raw):
    return {p.field: p.message for p in svc.validate(raw)[1].problems}


def test_a_complete_project_passes_and_fills_the_fund_split():
    values, report = svc.validate(project_raw())
    assert report.ok
    assert values["annual_budget"] == 3_201_180_000  # 3201.18万元 in fen
    assert (values["fiscal"], values["other"]) == (3_201_180_000, 0)


@pytest.mark.parametrize("field,value,expected", [
    ("name", "", "为必填项"),
    ("annual_budget", "abc", "应为不小于0的数字"),
    ("annual_budget", "-1", "应为不小于0的数字"),
    ("initial_budget", "1.0000001", "最多保留6位小数（精确到分，单位万元）"),
    ("fund_type", "预算内", "应为一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算、专项债券之一"),
    ("year", "23", "应为四位年份，如2023"),
    ("is_key", "可能", "应为“是”或“否”"),
    ("period_start", "2023-13", "应为年月，如2023-01"),
])
def test_bad_fields_are_named_with_what_was_expected(field, value, expected):
    assert messages(project_raw(**{field: value}))[field] == expected


def test_fiscal_plus_other_must_equal_the_annual_budget():
    found = messages(project_raw(annual_budget="100", fiscal="60", other="30"))
    assert found["fiscal"] == "财政拨款与其他资金之和应等于全年预算数100.00万元"
    assert messages(project_raw(annual_budget="100", fiscal="60", other="40")) == {}
    assert svc.validate(project_raw(annual_budget="100", other="40"))[0]["fiscal"] == 60_000_000


def test_money_is_kept_to_the_fen_without_float_error(county):
    pid = svc.save_project(county, project_raw(annual_budget="0.1", initial_budget="0.2", fiscal="0.1"))
    row = svc.list_projects(county, 2023)[0]
    assert row.id == pid and row.annual_fen == 100_000 and row.initial_fen == 200_000
    assert svc.form_values(county, pid)["annual_budget"] == "0.10"


def test_codes_are_unique_within_a_year_only(county):
    svc.save_project(county, project_raw())
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, project_raw(name="另一个"))
    assert "2023年度已有编码为3701172023001的项目" in exc.value.report.for_field("code")[0]
    svc.save_project(county, project_raw(year="2024"))  # same code, next year: allowed
    assert svc.list_years(county) == [2023, 2024]


def test_unknown_department_in_the_form_is_refused(county):
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, project_raw(department="[999]不存在局"))
    assert exc.value.report.for_field("department") == ["应从列表中选择已有的部门，新部门请先在“基础数据”中建立"]


def test_edit_keeps_identity_and_writes_the_audit_log(county):
    pid = svc.save_project(county, project_raw())
    svc.save_project(county, project_raw(name="城区环卫保洁费（调整）", version="1"), project_id=pid)
    with county.session() as s:
        p = s.get(Project, pid)
        assert p.name == "城区环卫保洁费（调整）" and p.version == 2
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity_uuid == p.uuid).order_by(AuditLog.id)).all()
    assert actions == ["新增", "修改"]


def test_an_edit_without_the_version_it_was_read_at_is_refused(county):
    pid = svc.save_project(county, project_raw())
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, project_raw(name="没有版本的修改"), project_id=pid)
    assert exc.value.summary == svc.NO_VERSION
    assert svc.form_values(county, pid)["name"] == project_raw()["name"]


def test_deleting_a_project_in_use_is_refused_with_what_uses_it(county):
    pid = svc.save_project(county, project_raw())
    with county.session() as s:
        s.add(KeyEvaluation(year=2023, object_name="x", project_id=pid, region_code="370117"))
    with pytest.raises(RejectedError) as exc:
        svc.delete_project(county, pid)
    assert exc.value.summary == "项目“3701172023001 城区环卫一体化保洁费”正被1条重点评价使用，不能删除。请先删除或改挂这些记录后再删。"
    assert len(svc.list_projects(county, 2023)) == 1


def test_deleting_a_department_with_projects_is_refused(county):
    svc.save_project(county, project_raw())
    dept = next(d for d in list_departments(county) if d.code == "213001")
    with pytest.raises(RejectedError) as exc:
        delete_department(county, dept.id)
    assert "正被2条项目使用" in exc.value.summary  # as 主管部门 and as 实施单位


def test_an_unused_project_is_deleted_and_logged(county):
    pid = svc.save_project(county, project_raw())
    svc.delete_project(county, pid)
    with county.session() as s:
        assert s.scalar(select(func.count()).select_from(Project)) == 0
        assert s.scalar(select(AuditLog.summary).where(AuditLog.action == "删除")).startswith("删除项目")


def test_search_matches_every_term_across_code_name_and_department(demo_ws):
    rows = svc.list_projects(demo_ws, 2022)
    assert {r.name for r in svc.filter_rows(rows, "城市管理局 公厕")} == {
        "城区环卫一体化保洁费（城区、莱钢大道及公厕）", "莱钢道路、公厕运行费用"}
    assert [r.code for r in svc.filter_rows(rows, "213001 莱钢道路")] == [r.code for r in rows if r.name == "莱钢道路、公厕运行费用"]
    assert svc.filter_rows(rows, "不存在的词") == []
    fund = svc.filter_rows(rows, fund_type="政府性基金预算")
    assert [r.name for r in fund] == ["机关养老金缺口"]


def test_every_edit_tells_which_year_changed(county):
    told = []
    county.subscribe(told.append)
    pid = svc.save_project(county, project_raw())
    moved = {"year": "2024", "period_start": "2024-01", "period_end": "2024-12"}
    svc.save_project(county, {**svc.form_values(county, pid), **moved}, pid)  # moved: both lists change
    svc.delete_project(county, pid)
    assert [sorted((c.stage, c.year) for c in batch.items) for batch in told] == [
        [("projects", 2023)], [("projects", 2023), ("projects", 2024)], [("projects", 2024)]]
    told.clear()
    with pytest.raises(RejectedError):
        svc.save_project(county, project_raw(name=""))
    assert told == []


def test_edits_name_the_actor_in_the_audit_log(county):
    from app.services.actor import Actor

    pid = svc.save_project(county, project_raw(), actor=Actor("张会计"))
    svc.delete_project(county, pid, actor=Actor("李科长"))
    with county.session() as s:
        assert s.execute(select(AuditLog.action, AuditLog.user).order_by(AuditLog.id)).all()[-2:] == [
            ("新增", "张会计"), ("删除", "李科长")]


@pytest.mark.parametrize("start,end,field,message", [
    ("2024-01", "2024-12", "period_start", "实施期起2024-01晚于项目年度2023年，实施期应包含2023年度内的月份"),
    ("2021-01", "2022-12", "period_end", "实施期止2022-12早于项目年度2023年，实施期应包含2023年度内的月份"),
    ("", "2022-06", "period_end", "实施期止2022-06早于项目年度2023年，实施期应包含2023年度内的月份"),
    ("2023-09", "2023-03", "period_end", "实施期止应不早于实施期起"),
])
def test_a_period_outside_the_projects_year_is_named(county, start, end, field, message):
    report = svc.validate(project_raw(period_start=start, period_end=end))[1]
    assert [(p.field, p.message) for p in report.problems] == [(field, message)]
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, project_raw(period_start=start, period_end=end))
    assert exc.value.report.for_field(field) == [message]


def test_a_period_running_over_the_year_is_a_multi_year_project(county):
    assert svc.validate(project_raw(period_start="2022-07", period_end="2024-06"))[1].ok
    assert svc.validate(project_raw(period_start="", period_end=""))[1].ok


def test_the_units_offered_for_a_department_are_itself_and_its_units():
    from app.domain.projects import unit_choices
    from app.services.base_data import DeptRow

    rows = [DeptRow(1, "213001", "城市管理局", "部门", None, "370117"),
            DeptRow(2, "213001001", "环卫所", "单位", 1, "370117"),
            DeptRow(3, "207001", "交通运输局", "部门", None, "370117"),
            DeptRow(4, "207001001", "公路站", "单位", 3, "370117"),
            DeptRow(5, "213002", "城管执法大队", "单位", 1, "370117")]
    assert unit_choices(rows, "[213001]城市管理局") == ["[213001]城市管理局", "[213001001]环卫所", "[213002]城管执法大队"]
    assert unit_choices(rows, "[207001]交通运输局") == ["[207001]交通运输局", "[207001001]公路站"]
    assert unit_choices(rows, "") == [r.display for r in rows] == unit_choices(rows, "[9]不存在")
