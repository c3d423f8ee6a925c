"""What a user sees and may change is their scope: a 主管部门 its department, a 预算单位 its unit, a
财政业务科室 its 归口科室's projects, a 乡镇财政所 its township's — in lists, exports and imports (a row
outside is a bad cell saying 名下无此项目, and nothing lands); a 只读 user changes nothing; a form
offers only the steps the user may take."""

from dataclasses import replace

import openpyxl
import pytest
from sqlalchemy import func, select

from app.io import monitoring_import as imp
from app.rules.validation import RejectedError
from app.services import base_data, monitoring, projects, targets, users
from app.services.monitoring_import import import_file as import_monitoring
from app.services.project_import import import_file as import_projects
from db.models import MonitoringRecord, Project
from tests.support import GOAL, GOOD_ROWS, project_raw

TOWN = "370117101"
CODES = {"UNIT": "P-UNIT", "DEPT": "P-DEPT", "ROAD": "P-ROAD", "TOWN": "P-TOWN"}


@pytest.fixture
def scoped(county):
    """Four projects — the unit's, its 主管部门's own, the transport bureau's (another 归口科室) and a
    township's — and a user of every kind (password "secret-1")."""
    ws = county
    base_data.save_department(ws, {"code": "213001001", "name": "钢城区环卫中心", "kind": "单位"})
    base_data.save_office(ws, {"name": "农业科"})
    base_data.save_region(ws, {"code": TOWN, "name": "艾山街道", "level": "乡镇"}, parent_code="370117")
    ws.set_setting("home_region", TOWN)  # a department of the township
    base_data.save_department(ws, {"code": "101001", "name": "艾山街道办事处", "kind": "部门"})
    ws.set_setting("home_region", "370117")
    for code, dept, unit, office in (
            (CODES["UNIT"], "[213001]钢城区城市管理局", "[213001001]钢城区环卫中心", "经建科"),
            (CODES["DEPT"], "[213001]钢城区城市管理局", "[213001]钢城区城市管理局", "经建科"),
            (CODES["ROAD"], "[207001]钢城区城乡交通运输局", "[207001]钢城区城乡交通运输局", "农业科"),
            (CODES["TOWN"], "[101001]艾山街道办事处", "[101001]艾山街道办事处", "农业科")):
        projects.save_project(ws, project_raw(code=code, department=dept, unit=unit, office=office))
    users.add_user(ws, "刘绩效", "绩效科", None, "secret-1")
    ws.actor = users.login(ws, "刘绩效", "secret-1")
    for name, role, scope in (("李单位", "预算单位", "213001001"), ("张主管", "主管部门", "213001"),
                              ("王科室", "财政业务科室", "经建科"), ("领导", "只读", None),
                              ("赵交通", "主管部门", "207001"), ("孙乡镇", "乡镇财政所", TOWN)):
        users.add_user(ws, name, role, scope, "secret-1")
    return ws


def as_user(ws, name):
    ws.actor = users.login(ws, name, "secret-1")
    return ws.actor


def listed(ws):
    return {r.code for r in projects.list_projects(ws, 2023)}


def codes_in(path) -> set[str]:
    """Which of the four projects' codes a workbook names anywhere."""
    book = openpyxl.load_workbook(path)
    text = {str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    return {code for code in CODES.values() if any(code in cell for cell in text)}


@pytest.mark.parametrize("name, seen", [
    ("刘绩效", set(CODES.values())), ("领导", set(CODES.values())),
    ("张主管", {CODES["UNIT"], CODES["DEPT"]}), ("李单位", {CODES["UNIT"]}),
    ("王科室", {CODES["UNIT"], CODES["DEPT"]}), ("赵交通", {CODES["ROAD"]}), ("孙乡镇", {CODES["TOWN"]}),
])
def test_each_user_lists_only_the_projects_in_their_scope(scoped, name, seen):
    as_user(scoped, name)
    assert listed(scoped) == seen
    assert {r.code for r in targets.list_targets(scoped, 2023)} == seen


def test_a_department_users_target_and_monitoring_exports_hold_only_its_department(scoped, tmp_path):
    round_id = monitoring.open_round(scoped, 2023, 8)  # by 绩效科: every project of the county gets a record
    for pid in [r.project_id for r in targets.list_targets(scoped, 2023)]:  # a target for each project
        targets.save_target(scoped, replace(targets.open_target(scoped, pid), annual_goal=GOAL))
    as_user(scoped, "张主管")
    targets.export_summary(scoped, 2023, "xlsx", tmp_path / "targets.xlsx")
    assert codes_in(tmp_path / "targets.xlsx") == {CODES["UNIT"], CODES["DEPT"]}
    from app.io.monitoring_reports import render_summary

    render_summary(monitoring.round_view(scoped, round_id), "xlsx", tmp_path / "monitoring.xlsx")
    assert codes_in(tmp_path / "monitoring.xlsx") == {CODES["UNIT"], CODES["DEPT"]}
    as_user(scoped, "刘绩效")  # the whole county sees its own three (the township makes its record itself)
    render_summary(monitoring.round_view(scoped, round_id), "xlsx", tmp_path / "all.xlsx")
    assert codes_in(tmp_path / "all.xlsx") == set(CODES.values()) - {CODES["TOWN"]}


def test_a_monitoring_import_with_a_row_outside_the_scope_lands_nothing(scoped, tmp_path):
    round_id = monitoring.open_round(scoped, 2023, 8)
    as_user(scoped, "张主管")
    path = tmp_path / "in.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = imp.BUDGET_SHEET
    sheet.append(["项目编码", "截至执行数（万元）", "全年预计执行数（万元）"])
    sheet.append([CODES["DEPT"], "100", None])
    sheet.append([CODES["ROAD"], "100", None])
    wb.save(path)
    with pytest.raises(RejectedError) as refused:
        import_monitoring(scoped, round_id, path)
    bad = [(c.row, c.header, c.expected, c.actual) for c in refused.value.cells]
    assert bad == [(3, "项目编码", "名下无此项目", CODES["ROAD"])]
    with scoped.session() as s:
        assert s.scalar(select(func.count()).select_from(MonitoringRecord)
                        .where(MonitoringRecord.executed_fen.is_not(None))) == 0


def test_a_project_import_outside_the_scope_is_refused_by_cell(scoped, tmp_path):
    as_user(scoped, "张主管")
    headers = [spec.label for spec in projects.PROJECT_FIELDS]
    path = tmp_path / "p.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "项目"
    sheet.append(headers)
    for raw in (project_raw(code="P-NEW"),  # its own department: fine
                project_raw(code="P-AWAY", department="[207001]钢城区城乡交通运输局",
                            unit="[207001]钢城区城乡交通运输局")):
        sheet.append([raw[spec.key] for spec in projects.PROJECT_FIELDS])
    wb.save(path)
    with pytest.raises(RejectedError) as refused:
        import_projects(scoped, path)
    assert [(c.row, c.header, c.expected, c.actual) for c in refused.value.cells] == [(3, "项目编码", "名下无此项目", "P-AWAY")]
    with scoped.session() as s:
        assert s.scalar(select(func.count()).select_from(Project)) == 4


def test_a_department_user_may_not_put_a_project_under_another_department(scoped):
    as_user(scoped, "张主管")
    with pytest.raises(RejectedError) as refused:
        projects.save_project(scoped, project_raw(code="P-X", department="[207001]钢城区城乡交通运输局",
                                                  unit="[207001]钢城区城乡交通运输局"))
    assert "名下无此项目" in str(refused.value.report.problems)
    new = projects.save_project(scoped, project_raw(code="P-MINE"))  # its own: saved
    assert "P-MINE" in listed(scoped)
    as_user(scoped, "赵交通")
    with pytest.raises(RejectedError, match="不在您的管理范围"):
        projects.delete_project(scoped, new)


def test_a_read_only_user_changes_nothing(scoped, tmp_path):
    ws = scoped
    with ws.session() as s:
        pid = s.scalar(select(Project.id).where(Project.code == CODES["DEPT"]))
    as_user(ws, "领导")
    assert listed(ws) == set(CODES.values())  # sees everything
    with pytest.raises(RejectedError, match="您是只读用户"):
        projects.save_project(ws, {**project_raw(code=CODES["DEPT"]), **projects.form_values(ws, pid), "name": "改名"}, pid)
    with pytest.raises(RejectedError, match="您是只读用户"):
        projects.delete_project(ws, pid)
    with pytest.raises(RejectedError, match="您是只读用户"):
        targets.save_target(ws, replace(targets.open_target(ws, pid), annual_goal=GOAL))
    with pytest.raises(RejectedError, match="您是只读用户"):
        import_projects(ws, tmp_path / "never-read.xlsx")
    with pytest.raises(RejectedError, match="您是只读用户"):
        base_data.save_office(ws, {"name": "预算科"})
    assert projects.form_values(ws, pid)["name"] == project_raw()["name"]


def test_bureau_only_areas_refuse_other_roles_in_the_packs_words(scoped):
    as_user(scoped, "张主管")
    with pytest.raises(RejectedError, match="新增基础数据需由绩效科办理，您的角色是主管部门"):
        base_data.save_office(scoped, {"name": "预算科"})
    with pytest.raises(RejectedError, match="需由绩效科办理"):
        monitoring.open_round(scoped, 2023, 8)
    from app.services import new_year

    with pytest.raises(RejectedError, match="需由绩效科办理"):
        new_year.start_year(scoped, 2024)


def test_forms_offer_only_the_users_own_steps(scoped):
    ws = scoped
    with ws.session() as s:
        pid = s.scalar(select(Project.id).where(Project.code == CODES["UNIT"]))
    as_user(ws, "领导")
    opened = targets.open_target(ws, pid)
    assert opened.actions == () and opened.editable is False
    as_user(ws, "赵交通")  # another department's: nothing offered on this project
    assert targets.open_target(ws, pid).actions == ()
    as_user(ws, "李单位")
    opened = targets.open_target(ws, pid)
    assert opened.actions == ("提交",) and opened.editable
    draft = targets.submit(ws, replace(opened, annual_goal=GOAL, indicators=[
        replace(r, value="50" if r.level2 == "成本" else r.value) for r in GOOD_ROWS]))
    assert draft.actions == () and draft.editable is False  # the unit waits for its 主管部门
    as_user(ws, "张主管")
    assert targets.open_target(ws, pid).actions == ("审核通过", "退回修改")
    as_user(ws, "刘绩效")
    assert targets.open_target(ws, pid).actions == ("审核通过", "退回修改")
