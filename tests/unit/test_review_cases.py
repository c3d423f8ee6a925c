"""What a finance officer meets beyond the happy path: round trips, Excel's own number habits,
two levels of projects, two people editing, files that cannot be written."""

import openpyxl
import pytest

from app.errors import user_sentence
from app.io import projects_io as pio
from app.rules.validation import RejectedError
from app.services import projects as svc
from app.services.project_import import import_file
from app.services.maintenance import backup_to
from tests.support import project_raw, write_sheet

LABELS = [spec.label for spec in svc.PROJECT_FIELDS]


def sheet_with(path, headers, rows):
    return write_sheet(path, "项目", headers, rows)


def raw_row(**overrides):
    raw = project_raw(**overrides)
    return [raw[spec.key] for spec in svc.PROJECT_FIELDS]


def snapshot(ws, year):
    return {r.code: svc.form_values(ws, r.id) | {"version": ""} for r in svc.list_projects(ws, year)}


def test_export_then_import_keeps_every_field(demo_ws, tmp_path):
    before = snapshot(demo_ws, 2022)
    assert any(v["period_start"] for v in before.values()) and any(v["office"] for v in before.values())
    path = tmp_path / "all.xlsx"
    pio.render_projects(svc.list_projects(demo_ws, 2022), 2022, "xlsx", path)
    summary = import_file(demo_ws, path)
    assert summary.updated == len(before) and summary.created == 0
    assert snapshot(demo_ws, 2022) == before


def test_a_sheet_with_only_the_required_columns_leaves_the_rest_alone(county, tmp_path):
    pid = svc.save_project(county, project_raw(annual_budget="100", initial_budget="100", fiscal="70", other="30"))
    required = [s.label for s in svc.PROJECT_FIELDS if s.required]
    raw = project_raw(annual_budget="120", initial_budget="100")
    row = [raw[s.key] for s in svc.PROJECT_FIELDS if s.required]
    import_file(county, sheet_with(tmp_path / "req.xlsx", required, [row]))
    after = svc.form_values(county, pid)
    assert (after["is_key"], after["office"], after["period_start"]) == ("是", "经建科", "2023-01")
    assert (after["annual_budget"], after["fiscal"], after["other"]) == ("120.00", "90.00", "30.00")


def test_a_budget_below_the_kept_other_funds_is_named(county, tmp_path):
    svc.save_project(county, project_raw(annual_budget="100", initial_budget="100", fiscal="70", other="30"))
    required = [s.label for s in svc.PROJECT_FIELDS if s.required]
    raw = project_raw(annual_budget="20", initial_budget="100")
    with pytest.raises(RejectedError) as exc:
        import_file(county, sheet_with(tmp_path / "r.xlsx", required, [[raw[s.key] for s in svc.PROJECT_FIELDS if s.required]]))
    assert exc.value.cells[0].expected.startswith("小于该项目原有其他资金30.00万元")


def test_excel_formula_results_are_read_as_the_user_sees_them(county, tmp_path):
    row = raw_row(initial_budget=3201.1800000000003, annual_budget=0.1 + 0.2, fiscal="", other="")
    import_file(county, sheet_with(tmp_path / "f.xlsx", LABELS, [row]))
    got = svc.list_projects(county, 2023)[0]
    assert (got.initial_fen, got.annual_fen) == (3_201_180_000, 300_000)


@pytest.mark.parametrize("text,expected", [
    ("1,5", "应为不小于0的数字"), ("1_000", "应为不小于0的数字"), ("1e3", "应为不小于0的数字"),
    ("200000000", "金额过大（单位是万元，请检查是否多填了位数）"),
])
def test_money_text_is_not_guessed(text, expected):
    values, report = svc.validate(project_raw(annual_budget=text))
    assert report.for_field("annual_budget") == [expected]


def test_full_width_and_grouped_money_is_read():
    values, report = svc.validate(project_raw(annual_budget="１，２３４．５", initial_budget="1,234.50", fiscal=""))
    assert report.ok and values["annual_budget"] == values["initial_budget"] == 1_234_500_000


def test_codes_excel_stored_as_numbers(county, tmp_path):
    rows = [raw_row(code=2023001), raw_row(code=370117202300099968, name="长编码")]
    with pytest.raises(RejectedError) as exc:
        import_file(county, sheet_with(tmp_path / "c.xlsx", LABELS, rows))
    assert [(c.row, c.header) for c in exc.value.cells] == [(3, "项目编码")]
    assert exc.value.cells[0].expected.startswith("应按文本填写")
    import_file(county, sheet_with(tmp_path / "c2.xlsx", LABELS, rows[:1]))
    assert [r.code for r in svc.list_projects(county, 2023)] == ["2023001"]


def test_template_types_code_columns_as_text(tmp_path):
    path = tmp_path / "t.xlsx"
    pio.write_template(path)
    sheet = openpyxl.load_workbook(path)["项目"]
    assert sheet.column_dimensions["A"].number_format == "@"


def test_projects_have_two_levels_in_the_form(county):
    svc.save_project(county, project_raw(code="A", name="一级"))
    b = svc.save_project(county, project_raw(code="B", name="二级", parent_code="A"))
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, project_raw(code="C", name="三级", parent_code="B"))
    assert exc.value.report.for_field("parent_code") == ["上级项目B本身是二级项目，上级项目应为一级项目"]
    a = next(r.id for r in svc.list_projects(county, 2023) if r.code == "A")
    values = svc.form_values(county, a)
    with pytest.raises(RejectedError) as exc:  # A under B would make a loop
        svc.save_project(county, {**values, "parent_code": "B"}, a)
    assert exc.value.report.problems
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, {**values, "year": "2024"}, a)
    assert exc.value.report.for_field("year") == ["本项目下已有1个二级项目，不能单独改年度"]
    assert svc.form_values(county, b)["parent_code"] == "A"


def test_a_loop_inside_one_import_file_is_refused(county, tmp_path):
    rows = [raw_row(code="P1", parent_code="P2"), raw_row(code="P2", parent_code="P1")]
    with pytest.raises(RejectedError) as exc:
        import_file(county, sheet_with(tmp_path / "loop.xlsx", LABELS, rows))
    assert {c.header for c in exc.value.cells} == {"上级项目编码"}
    assert svc.list_projects(county, 2023) == []


def test_a_form_opened_before_someone_elses_save_is_refused(county):
    pid = svc.save_project(county, project_raw())
    mine, theirs = svc.form_values(county, pid), svc.form_values(county, pid)
    svc.save_project(county, {**theirs, "name": "同事改的名称"}, pid)
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, {**mine, "annual_budget": "9", "initial_budget": "9", "fiscal": "", "other": ""}, pid)
    assert exc.value.summary == svc.STALE
    assert svc.form_values(county, pid)["name"] == "同事改的名称"
    svc.delete_project(county, pid)
    with pytest.raises(RejectedError) as exc:
        svc.save_project(county, theirs, pid)
    assert exc.value.summary == svc.GONE and svc.list_projects(county, 2023) == []


def test_exports_name_the_chosen_file_when_it_cannot_be_written(demo_ws, tmp_path, monkeypatch):
    missing = tmp_path / "没有这个文件夹" / "p.xlsx"
    with pytest.raises(FileNotFoundError) as exc:
        pio.render_projects(svc.list_projects(demo_ws, 2023), 2023, "xlsx", missing)
    assert user_sentence(exc.value) == f"找不到“{missing.parent}”。请检查文件或文件夹是否存在。"
    target = tmp_path / "open-in-excel.pdf"

    def replace_refused(src, dst):  # what Windows does while Excel holds the file
        raise PermissionError(13, "Permission denied", src)

    monkeypatch.setattr("app.io.xlsx.os.replace", replace_refused)
    with pytest.raises(PermissionError) as exc:
        pio.render_projects(svc.list_projects(demo_ws, 2023), 2023, "pdf", target)
    assert user_sentence(exc.value) == f"没有权限写入“{target}”。如果文件正在Excel等程序中打开，请先关闭它再试。"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_a_backup_cannot_overwrite_the_live_database(ws):
    with pytest.raises(RejectedError) as exc:
        backup_to(ws, ws.db_file)
    assert exc.value.summary == "备份文件不能是正在使用的数据库本身，请另选一个文件名。"


def test_a_locked_database_gets_a_sentence(db_path):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    error = OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))
    assert user_sentence(error) == "数据库正被其他窗口或同事使用，请稍后再试。"
