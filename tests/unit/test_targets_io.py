"""Targets in and out of Excel: the flat template, the file parsed on its own (io), an
all-or-nothing import (the service), the review workbook, the 审核汇总表 and the 申报表."""

import subprocess
from dataclasses import replace

import openpyxl
import pytest

from app.io import targets_import
from app.rules.validation import RejectedError
from app.services import projects, targets
from tests.support import GOAL, GOOD_ROWS, project_raw, write_sheet

HEADERS = targets_import.HEADERS


def sheet(path, rows):
    return write_sheet(path, "绩效目标", HEADERS, rows)


def flat(code="3701172023001", year="2023", goal=""):
    out = []
    for n, r in enumerate(GOOD_ROWS):
        out.append([code, year, "", goal if n == 0 else "", r.level1, r.level2, r.level3, r.direction, r.value, r.unit,
                    r.points, ""])
    return out


@pytest.fixture
def project(county):
    return projects.save_project(county, project_raw())


def test_template_has_the_flat_headers(tmp_path):
    path = tmp_path / "t.xlsx"
    targets_import.write_template(path)
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["绩效目标"][3]] == HEADERS and "填报说明" in wb.sheetnames


def test_the_file_is_parsed_into_one_draft_per_project_with_its_rows_and_bad_cells(tmp_path):
    rows = flat(goal=GOAL) + flat(code="B2")[:2]
    rows[1][7] = "大于"
    rows[2][6] = ""
    rows.append(["B2", "二〇二三", "", "", "产出", "数量", "某指标", "≥", "1", "个", "", ""])
    rows.append(["B2", "①②③④", "", "", "产出", "数量", "某指标", "≥", "1", "个", "", ""])  # digits to str.isdigit
    drafts, problems = targets_import.parse_targets(sheet(tmp_path / "p.xlsx", rows))
    assert [(d.code, d.year, d.first_row, d.rows[:2], len(d.indicators)) for d in drafts] == [
        ("3701172023001", 2023, 2, [2, 3], 6), ("B2", 2023, 8, [8, 9], 2)]
    assert drafts[0].annual == GOAL and drafts[0].indicators[1].direction == "大于"
    assert [(c.row, c.header, c.expected) for c in problems] == [
        (3, "指标性质", "应为≥、≤、=或定性"), (4, "三级指标", "为必填项"), (10, "年度", "应为四位年份，如2023"),
        (11, "年度", "应为四位年份，如2023")]


def test_a_good_file_lands_with_goals_from_the_first_row(county, project, tmp_path):
    told = []
    county.subscribe(told.append)
    sentence = targets.import_file(county, sheet(tmp_path / "g.xlsx", flat(goal=GOAL)))
    assert sentence == "导入完成：1个项目的绩效目标，共6个指标。"
    draft = targets.open_target(county, project)
    assert [c.ids("targets") for c in told] == [{draft.target_id}]  # the pages are told which target changed
    assert draft.annual_goal == GOAL and [i.level3 for i in draft.indicators] == [r.level3 for r in GOOD_ROWS]
    assert targets.list_targets(county, 2023)[0].quality_score == 100


def test_importing_again_replaces_the_grid_keeps_the_goal_and_outdates_open_forms(county, project, tmp_path):
    targets.import_file(county, sheet(tmp_path / "g.xlsx", flat(goal=GOAL)))
    open_form = targets.open_target(county, project)
    again = flat()[:2]  # no goal on the first row this time, two indicators only
    again[0][8] = "350"
    assert targets.import_file(county, sheet(tmp_path / "h.xlsx", again)) == "导入完成：1个项目的绩效目标，共2个指标。"
    draft = targets.open_target(county, project)
    assert draft.annual_goal == GOAL and [(i.level3, i.value) for i in draft.indicators] == [
        ("城区道路清扫保洁面积", "350"), ("道路保洁质量考核达标率", "95")]
    assert targets.list_targets(county, 2023)[0].quality_score < 100  # fewer categories now
    with pytest.raises(RejectedError):
        targets.save_target(county, open_form)  # the import changed it under the open form


def test_bad_cells_and_unknown_projects_are_named_and_nothing_lands(county, project, tmp_path):
    rows = flat(goal=GOAL)
    rows[1][7] = "大于"
    rows[2][10] = "十分"
    rows.append(["9999", "2023", "", "", "产出", "数量", "某指标", "≥", "1", "个", "", ""])
    with pytest.raises(RejectedError) as exc:
        targets.import_file(county, sheet(tmp_path / "b.xlsx", rows))
    assert [c.message() for c in exc.value.cells] == [
        "工作表「绩效目标」第3行「指标性质」应为≥、≤、=或定性，实际为“大于”",
        "工作表「绩效目标」第4行「分值」应为不小于0的数字，实际为“十分”",
        "工作表「绩效目标」第8行「项目编码」应为2023年度已有的项目编码，实际为“9999”",
    ]
    assert targets.open_target(county, project).indicators == []


def test_a_submitted_target_cannot_be_overwritten_by_import(county, project, tmp_path):
    draft = targets.open_target(county, project)
    targets.submit(county, replace(draft, annual_goal=GOAL, indicators=GOOD_ROWS))
    with pytest.raises(RejectedError) as exc:
        targets.import_file(county, sheet(tmp_path / "s.xlsx", flat(goal="改过的目标")))
    assert exc.value.cells[0].expected == "对应的绩效目标状态为“已提交”，不能用导入修改"


def test_review_workbook_and_summary(county, project, tmp_path):
    projects.save_project(county, project_raw(code="B2", name="第二个项目"))
    targets.import_file(county, sheet(tmp_path / "g.xlsx", flat(goal=GOAL) + flat(code="B2", goal="完成全年目标")))
    out = tmp_path / "review.xlsx"
    assert targets.export_review(county, 2023, out) == 2
    rows = list(openpyxl.load_workbook(out)["检查结果"].iter_rows(min_row=4, values_only=True))
    assert rows[0][:4] == ("3701172023001", "城区环卫一体化保洁费", 100, "无")
    assert rows[1][3:6] == ("错误", "整体", "年度目标只写了“完成全年目标”，没有说明要完成什么。")
    pdf = tmp_path / "summary.pdf"
    assert targets.export_summary(county, 2023, "pdf", pdf) == 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2023年度绩效目标审核汇总表" in text.replace(" ", "") and "第二个项目" in text


def test_the_declaration_form_prints_like_the_paper_form(county, project, tmp_path):
    rows = [replace(r) for r in GOOD_ROWS]
    rows[0] = replace(rows[0], explanation="=SUM(A1) 按<道路&桥梁>合同面积计")
    saved = targets.save_target(county, replace(targets.open_target(county, project), annual_goal=GOAL, indicators=rows))
    pdf, xlsx = tmp_path / "form.pdf", tmp_path / "form.xlsx"
    targets.export_form(county, saved, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")
    for expected in ("项目支出绩效目标申报表", "城区环卫一体化保洁费", "[213001]钢城区城市管理局", "3,201.18",
                     "=SUM(A1)按<道路&桥梁>合同面积计", "单位负责人", "财务负责人", "填报人", "填报日期"):
        assert expected in text, expected
    targets.export_form(county, saved, xlsx)
    sheet = openpyxl.load_workbook(xlsx)["申报表"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value}
    assert cells["=SUM(A1) 按<道路&桥梁>合同面积计"].data_type == "s"
    assert "年度目标" in cells and GOAL in cells and any(str(v).startswith("单位负责人") for v in cells)


def test_the_department_form_prints_functions_and_tasks(county, project, tmp_path):
    from app.domain.targets import TaskDraft
    from app.services.department_targets import open_department_target

    draft = open_department_target(county, _dept(county), 2023)
    saved = targets.save_target(county, replace(draft, functions="负责城区市容<环境>卫生管理", annual_goal=GOAL,
                                                indicators=[replace(r) for r in GOOD_ROWS],
                                                tasks=[TaskDraft("城区环卫一体化保洁", "3201.18")]))
    pdf, xlsx = tmp_path / "dept.pdf", tmp_path / "dept.xlsx"
    targets.export_form(county, saved, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")
    for expected in ("部门整体支出绩效目标申报表", "钢城区城市管理局", "213001", "负责城区市容<环境>卫生管理",
                     "1.城区环卫一体化保洁（预算数3201.18万元）", "3,201.18", "城区道路清扫保洁面积"):
        assert expected in text, expected
    targets.export_form(county, saved, xlsx)
    sheet = openpyxl.load_workbook(xlsx)["申报表"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert values[0] == "部门整体支出绩效目标申报表" and "年度主要任务" in values and "部门职能" in values


def _dept(county):
    from sqlalchemy import select

    from db.models import Department

    with county.session() as s:
        return s.scalars(select(Department.id).where(Department.code == "213001")).one()


SPELLINGS = [">=", "＞＝", "大于等于", "正向", "<=", "反向"]  # as the 一体化 systems and county sheets write them


def test_directions_as_users_write_them_are_read_as_the_sign_in_a_targets_import(county, project, tmp_path):
    rows = flat(goal=GOAL)
    for row, spelled in zip(rows, SPELLINGS):
        row[7] = spelled
    drafts, problems = targets_import.parse_targets(sheet(tmp_path / "d.xlsx", rows))
    assert problems == [] and [i.direction for i in drafts[0].indicators] == ["≥", "≥", "≥", "≥", "≤", "≤"]
    targets.import_file(county, sheet(tmp_path / "d.xlsx", rows))
    assert [i.direction for i in targets.open_target(county, project).indicators] == ["≥", "≥", "≥", "≥", "≤", "≤"]


def test_directions_pasted_from_excel_are_read_as_the_sign():
    text = "\n".join(f"产出\t数量\t指标{n}\t{d}\t1\t个" for n, d in enumerate(SPELLINGS + ["小于等于", "＜＝", "等于", "定性"]))
    assert [r.direction for r in targets.rows_from_text(text)] == ["≥", "≥", "≥", "≥", "≤", "≤", "≤", "≤", "=", "定性"]


def test_directions_in_a_library_import_are_read_as_the_sign(county, tmp_path):
    from app.domain.library import HEADERS as LIBRARY_HEADERS
    from app.io.library_io import SHEET, parse_library
    from tests.support import LIBRARY_ROW

    at, name = LIBRARY_HEADERS.index("指标性质"), LIBRARY_HEADERS.index("三级指标")
    rows = []
    for n, spelled in enumerate(SPELLINGS + ["≧", "≦", "等于"]):
        row = list(LIBRARY_ROW)
        row[0], row[at], row[name] = f"X{n}", spelled, f"{row[name]}{n}"
        rows.append(row)
    parsed, problems = parse_library(write_sheet(tmp_path / "l.xlsx", SHEET, LIBRARY_HEADERS, rows))
    assert problems == [] and [r.values["direction"] for r in parsed.rows] == ["≥", "≥", "≥", "≥", "≤", "≤", "≥", "≤", "="]
    from app.services import library

    library.import_file(county, tmp_path / "l.xlsx")
    stored = {r.code: r.direction for r in library.list_library(county) if r.code.startswith("X")}
    assert stored == {f"X{n}": d for n, d in enumerate(["≥", "≥", "≥", "≥", "≤", "≤", "≥", "≤", "="])}
