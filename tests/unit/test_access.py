"""A record under a project is held by whoever holds the project — not by its department as well:
a 财政业务科室 sees the 事前评估 of its own 归口科室's projects only, though another office's project
sits in the same department. A department-level record (no project) is held through its department."""

from app.services import exante, projects, users
from app.services.exante_year import list_year
from tests.support import project_raw


def test_an_office_sees_only_its_own_projects_records_in_a_shared_department(county):
    from app.services.base_data import save_office

    save_office(county, {"name": "农业科"})
    ours = projects.save_project(county, project_raw(code="JJ1", office="经建科"))
    theirs = projects.save_project(county, project_raw(code="NY1", office="农业科"))
    for pid in (ours, theirs):
        exante.save(county, exante.new_for_project(county, pid))
    users.add_user(county, "刘绩效", "绩效科", None, "secret-1")
    county.actor = users.login(county, "刘绩效", "secret-1")
    users.add_user(county, "王科室", "财政业务科室", "经建科", "secret-1")
    users.add_user(county, "张主管", "主管部门", "213001", "secret-1")
    assert len(list_year(county, 2023)) == 2  # 绩效科: the whole county
    county.actor = users.login(county, "王科室", "secret-1")
    assert [p.code for p in projects.list_projects(county, 2023)] == ["JJ1"]
    assert [r.project_id for r in list_year(county, 2023)] == [ours]
    county.actor = users.login(county, "张主管", "secret-1")  # the department holds both
    assert sorted(r.project_id for r in list_year(county, 2023)) == sorted([ours, theirs])
