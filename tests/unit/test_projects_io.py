"""Project list in and out of Excel and PDF: all-or-nothing imports that name every bad cell,
exports that keep user text as text."""

import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from app.io import projects_io as pio
from app.jobs import Cancelled, JobControl
from app.rules.validation import RejectedError
from app.services import projects as svc
from app.services.project_import import import_file
from db.models import Department, Project
from tests.support import project_raw

HEADERS = [spec.label for spec in svc.PROJECT_FIELDS]


def workbook(path, rows, headers=HEADERS, sheet="项目", header_row=1):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for _ in range(header_row - 1):
        ws.append(["标题行"])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    wb.save(path)
    return path


def row(**overrides):
    raw = project_raw(**overrides)
    return {spec.label: raw[spec.key] for spec in svc.PROJECT_FIELDS}


def export(ws, year, fmt, path):
    return pio.render_projects(svc.list_projects(ws, year), year, fmt, path)


def count_projects(ws):
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(Project))


def test_template_has_the_headers_and_instructions(tmp_path):
    path = tmp_path / "t.xlsx"
    pio.write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["项目", "填报说明"]
    headers = [c.value for c in wb["项目"][3]]
    assert headers == [*HEADERS, "区划代码"]  # optional: whose project, where townships reuse a code
    assert wb["项目"].max_row == 3  # no sample row that could be imported by mistake
    notes = "\n".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "整个文件都不导入" in notes and "全年预算数（万元）（必填）" in notes and "填写示例：项目编码=" in notes
    assert "请在“区划代码”列写明是哪个区划的项目" in notes


def test_a_good_file_lands_and_creates_unknown_departments(county, tmp_path):
    path = workbook(tmp_path / "in.xlsx", [
        row(),
        row(code="3701172023002", name="农村公厕建设", department="[208001]钢城区住房和城乡建设局",
            unit="[208001]钢城区住房和城乡建设局", annual_budget="1125.4", initial_budget="1125.4", office="经建科"),
        row(code="3701172023003", name="公厕二级项目", parent_code="3701172023002", annual_budget="10", initial_budget="10"),
    ])
    summary = import_file(county, path)
    assert (summary.created, summary.updated) == (3, 0)
    assert summary.new_departments == ("[208001]钢城区住房和城乡建设局",)
    assert "新建部门/单位1个：[208001]钢城区住房和城乡建设局" in summary.sentence()
    rows = {r.code: r for r in svc.list_projects(county, 2023)}
    assert rows["3701172023002"].annual_fen == 1_125_400_000
    assert rows["3701172023003"].parent_code == "3701172023002"
    assert rows["3701172023001"].office == "经建科"


def test_a_bad_cell_stops_the_whole_file_and_is_named(county, tmp_path):
    rows = [row(code=f"P{i:03d}") for i in range(1, 7)] + [row(code="P007", annual_budget="abc")]
    path = workbook(tmp_path / "bad.xlsx", rows)
    with pytest.raises(RejectedError) as exc:
        import_file(county, path)
    messages = [c.message() for c in exc.value.cells]
    assert messages == ["工作表「项目」第8行「全年预算数（万元）」应为不小于0的数字，实际为“abc”"]
    assert "未导入任何数据" in exc.value.summary
    assert count_projects(county) == 0
    with county.session() as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 2  # nothing created


def test_every_bad_cell_is_listed(county, tmp_path):
    path = workbook(tmp_path / "bad.xlsx", [
        row(code="A1", name=""),
        row(code="A2", fund_type="预算内", fiscal="1", other="1"),
        row(code="A1"),
        row(code="A4", parent_code="NOPE"),
    ], header_row=3)
    with pytest.raises(RejectedError) as exc:
        import_file(county, path)
    found = {(c.row, c.header) for c in exc.value.cells}
    assert found == {(4, "项目名称"), (5, "资金性质"), (5, "财政拨款（万元）"), (6, "项目编码"), (7, "上级项目编码")}
    dup = next(c for c in exc.value.cells if c.row == 6)
    assert dup.expected == "在同一年度内应唯一（与第4行重复）"


def test_a_missing_column_is_named(county, tmp_path):
    path = workbook(tmp_path / "cols.xlsx", [row()], headers=[h for h in HEADERS if h != "资金性质"])
    with pytest.raises(RejectedError) as exc:
        import_file(county, path)
    assert [(c.header, c.expected) for c in exc.value.cells] == [("资金性质", "缺少此列")]


def test_an_export_reimports_as_updates(demo_ws, tmp_path):
    path = tmp_path / "out.xlsx"
    assert export(demo_ws, 2022, "xlsx", path) == 17
    before = {r.code: r.annual_fen for r in svc.list_projects(demo_ws, 2022)}
    summary = import_file(demo_ws, path)
    assert (summary.created, summary.updated) == (0, 17) and summary.new_departments == ()
    assert {r.code: r.annual_fen for r in svc.list_projects(demo_ws, 2022)} == before


def test_export_layout_and_numbers(demo_ws, tmp_path):
    path = tmp_path / "out.xlsx"
    export(demo_ws, 2022, "xlsx", path)
    sheet = openpyxl.load_workbook(path)["项目"]
    assert sheet["A1"].value == "2022年度项目清单" and sheet["A2"].value == "单位：万元"
    assert sheet.freeze_panes == "A4"
    header = [c.value for c in sheet[3]]
    col = header.index("全年预算数（万元）") + 1
    cell = sheet.cell(row=4, column=col)
    assert isinstance(cell.value, (int, float)) and cell.number_format == "#,##0.00"
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "合计" and round(last[col - 1], 2) == 27326.83  # 钢城's 13997.53 and six more of 2022
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["C"].width  # names wider than 年度


def test_user_text_never_becomes_a_formula(county, tmp_path):
    svc.save_project(county, project_raw(name="=HYPERLINK(\"http://x\",\"点我\")"))
    svc.save_project(county, project_raw(code="B2", name="+1+1"))
    path = tmp_path / "inj.xlsx"
    export(county, 2023, "xlsx", path)
    sheet = openpyxl.load_workbook(path)["项目"]
    names = sorted(sheet.cell(row=r, column=2).value for r in (4, 5))
    assert names == ["+1+1", "=HYPERLINK(\"http://x\",\"点我\")"]
    assert all(sheet.cell(row=r, column=2).data_type == "s" for r in (4, 5))
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_prints_angle_brackets_and_ampersands_literally(county, tmp_path):
    svc.save_project(county, project_raw(name="<道路&桥梁>维护"))
    path = tmp_path / "p.pdf"
    export(county, 2023, "pdf", path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")
    assert "<道路&桥梁>维护" in text and "2023年度项目清单" in text and "第1页共1页" in text


def test_a_cancelled_import_writes_nothing(county, tmp_path):
    path = workbook(tmp_path / "many.xlsx", [row(code=f"C{i:04d}") for i in range(1200)])
    seen = []

    def progress(done, total):
        seen.append(done)
        if done >= 500:
            job.cancel()

    job = JobControl(progress=progress)
    with pytest.raises(Cancelled):
        import_file(county, path, job)
    assert count_projects(county) == 0 and seen


def test_an_import_tells_which_years_and_stages_changed(county, tmp_path):
    told = []
    county.subscribe(told.append)
    path = workbook(tmp_path / "in.xlsx", [row(), row(code="Y24", year="2024"),
                                           row(code="NEW", department="[208001]钢城区住房和城乡建设局")])
    import_file(county, path)
    assert len(told) == 1  # one commit, one batch
    changed = told[0]
    assert changed.touches({"projects"}, 2023) and changed.touches({"projects"}, 2024)
    assert not changed.touches({"projects"}, 2022)
    assert "base_data" in changed.stages  # a department was created
    told.clear()
    with pytest.raises(RejectedError):
        import_file(county, workbook(tmp_path / "bad.xlsx", [row(annual_budget="abc")]))
    assert told == []  # nothing written, nothing told
    import_file(county, workbook(tmp_path / "again.xlsx", [row()]))
    assert told[0].stages == {"projects"}  # nothing new in 基础数据
