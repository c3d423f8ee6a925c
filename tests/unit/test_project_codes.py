"""Project codes are unique within a region: the county holds its own projects and its townships',
and townships may reuse a code. The project import's 区划代码 column says whose project a row is;
without it an ambiguous code is refused, naming the cell. The stages' imports take the county's own
project for a code it uses, a township's when only that township uses it, and refuse a code only
townships share."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.projects import PROJECT_FIELDS, REGION_FIELD
from app.rules.validation import RejectedError
from app.services.base_data import save_region
from app.services.project_import import import_file
from db.models import Department, Project
from tests.support import project_raw, write_sheet

TOWNS = {"370117101": "艾山街道", "370117102": "里辛街道"}


@pytest.fixture
def shared_codes(county):
    """本级 holds 2023001; both townships hold 2023001 and 2023009 (the same codes, their own projects)."""
    from app.services import projects

    projects.save_project(county, project_raw(code="2023001", name="本级项目"))
    for code, name in TOWNS.items():
        save_region(county, {"code": code, "name": name, "level": "乡镇"}, parent_code="370117")
        with county.session() as s:
            dept = Department(code="901", name=f"{name}财政所", kind="部门", region_code=code)
            s.add(dept)
            s.flush()
            for pcode in ("2023001", "2023009"):
                s.add(Project(year=2023, code=pcode, name=f"{name}项目{pcode[-1]}", department_id=dept.id,
                              unit_id=dept.id, fund_type="一般公共预算", category="新增", initial_budget_fen=100,
                              annual_budget_fen=100, fiscal_fen=100, other_fen=0, region_code=code))
    return county


def _sheet(tmp_path, rows: list[dict], region: bool = True):
    specs = [*PROJECT_FIELDS, REGION_FIELD] if region else PROJECT_FIELDS
    return write_sheet(tmp_path / "项目.xlsx", "项目", [s.label for s in specs],
                       [[raw.get(s.key, "") for s in specs] for raw in rows])


def _names(ws) -> dict[tuple[str, str], str]:
    with ws.session() as s:
        return {(p.region_code, p.code): p.name for p in s.scalars(select(Project).where(Project.year == 2023))}


def test_a_code_townships_share_is_refused_without_the_region_column(shared_codes, tmp_path):
    before = _names(shared_codes)
    with pytest.raises(RejectedError) as refused:
        import_file(shared_codes, _sheet(tmp_path, [project_raw(code="2023009", name="改名")], region=False))
    [cell] = refused.value.cells
    assert cell.header == "项目编码" and "艾山街道（370117101）、里辛街道（370117102）共用" in cell.expected
    assert "区划代码" in cell.expected
    assert _names(shared_codes) == before  # nothing written


def test_the_region_column_decides_and_a_township_row_uses_its_own_departments(shared_codes, tmp_path):
    town = "[901]里辛街道财政所"
    import_file(shared_codes, _sheet(tmp_path, [
        project_raw(code="2023009", name="里辛改名", department=town, unit=town, region_code="370117102"),
        project_raw(code="2023001", name="本级改名", region_code="370117"),
        project_raw(code="2023077", name="里辛新项目", department=town, unit=town, region_code="370117102"),
    ]))
    names = _names(shared_codes)
    assert names[("370117102", "2023009")] == "里辛改名"
    assert names[("370117101", "2023009")] == "艾山街道项目9"  # the other township's project untouched
    assert names[("370117", "2023001")] == "本级改名" and names[("370117101", "2023001")] == "艾山街道项目1"
    assert names[("370117102", "2023077")] == "里辛新项目"
    with shared_codes.session() as s:  # the township's 财政所, not a new department in the county
        assert s.scalar(select(Department.region_code).join(Project, Project.department_id == Department.id)
                        .where(Project.code == "2023077")) == "370117102"


def test_a_region_not_of_this_county_is_a_bad_cell(shared_codes, tmp_path):
    with pytest.raises(RejectedError) as refused:
        import_file(shared_codes, _sheet(tmp_path, [project_raw(code="2023050", region_code="420117101")]))
    [cell] = refused.value.cells
    assert cell.header == "区划代码" and "应为本级（370117）或所属乡镇的区划代码" in cell.expected


def test_a_new_code_without_a_region_is_the_countys_own(shared_codes, tmp_path):
    import_file(shared_codes, _sheet(tmp_path, [project_raw(code="2023050", name="新项目")], region=False))
    assert _names(shared_codes)[("370117", "2023050")] == "新项目"


def test_a_stage_import_takes_the_countys_project_and_refuses_a_code_only_townships_share(shared_codes, tmp_path):
    from app.services import target_import
    from app.services.targets import open_target
    from tests.unit.test_targets_io import flat, sheet  # the targets import's own sheet builder

    with pytest.raises(RejectedError) as refused:
        target_import.import_file(shared_codes, sheet(tmp_path / "t.xlsx", flat(code="2023009", goal="目标")))
    assert any("共用" in c.expected and c.actual == "2023009" for c in refused.value.cells)
    target_import.import_file(shared_codes, sheet(tmp_path / "t2.xlsx", flat(code="2023001", goal="目标")))
    with shared_codes.session() as s:
        own = s.scalar(select(Project.id).where(Project.code == "2023001", Project.region_code == "370117"))
    assert open_target(shared_codes, own).indicators  # the county's project got the file's grid


def test_the_countys_own_list_without_the_region_column_updates_its_own_project(shared_codes, tmp_path):
    import_file(shared_codes, _sheet(tmp_path, [project_raw(code="2023001", name="本级改名")], region=False))
    names = _names(shared_codes)  # the county and both townships hold 2023001: the county's own is meant
    assert names[("370117", "2023001")] == "本级改名" and names[("370117101", "2023001")] == "艾山街道项目1"


def test_a_code_twice_once_its_region_is_settled_is_named(shared_codes, tmp_path):
    with pytest.raises(RejectedError) as refused:
        import_file(shared_codes, _sheet(tmp_path, [project_raw(code="2023050", name="甲"),
                                                    project_raw(code="2023050", name="乙", region_code="370117")]))
    [cell] = refused.value.cells
    assert cell.header == "项目编码" and cell.row == 3 and "与第2行重复" in cell.expected
