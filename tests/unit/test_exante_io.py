"""事前评估 in Excel: the template filled and imported as printed (调减 derived), all or nothing with
every bad cell named; the year's 汇总表 with its 合计 row."""

from decimal import Decimal

import openpyxl
import pytest

from app.rules.validation import RejectedError
from tests.support import project_raw


@pytest.fixture
def ex_county(county):
    from app.services import projects

    projects.save_project(county, project_raw(code="B2024031", name="教育综合改革专项资金", year="2024",
                                              category="新增", annual_budget="10825.34", initial_budget="10825.34"))
    return county


def _filled(tmp_path, rows):
    from app.io.exante_io import write_template

    path = tmp_path / "exante.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    sheet = wb["事前评估"]
    for n, row in enumerate(rows):
        for c, value in enumerate(row, 1):
            sheet.cell(row=4 + n, column=c, value=value)
    wb.save(path)
    return path


def test_template_round_trip(ex_county, tmp_path):
    from app.io.exante_reports import render_summary
    from app.services import exante_year as year_svc
    from app.services.exante_import import import_file

    path = _filled(tmp_path, [
        [2024, "B2024031", "教育综合改革专项资金", "10825.34", "2000", "80", "良", "调整后再申报", "某会计师事务所"],
        [2024, None, "生态保护项目资金", 7144.44, None, "77.5分", "中", "予以支持", "财政"]])
    said = import_file(ex_county, path)
    assert "2份事前评估" in said
    rows = {r.name: r for r in year_svc.list_year(ex_county, 2024)}
    education = rows["教育综合改革专项资金"]
    assert (education.total, education.grade, education.conclusion, education.status) == (
        Decimal("80.00"), "良", "调整后支持", "已定稿")
    assert education.cut_fen == 8_825_340_000 and education.evaluator == "某会计师事务所"
    assert rows["生态保护项目资金"].code == "" and rows["生态保护项目资金"].cut_fen is None
    out = tmp_path / "summary.xlsx"
    assert render_summary(year_svc.summary(ex_county, 2024), "xlsx", out) == 2
    values = [[c for c in row] for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    total = next(row for row in values if "合计" in row)
    assert Decimal(str(total[4])) == Decimal("17969.78") and Decimal(str(total[9])) == Decimal("8825.34")
    with pytest.raises(RejectedError) as again:
        import_file(ex_county, path)  # the same assessments a second time
    assert {c.row for c in again.value.cells} == {4, 5}


def test_bad_cells_are_named_and_nothing_lands(ex_county, tmp_path):
    from app.services import exante_year as year_svc
    from app.services.exante_import import import_file

    path = _filled(tmp_path, [
        [2024, "B2024031", "教育综合改革专项资金", "一万", "2000", "80", "良", "调整后支持", ""],
        [2024, "NOPE", "某新项目", "100", "50", "70", "中", "可以", ""],
        [2024, None, "", "100", "150", "101", "很好", "予以支持", ""]])
    with pytest.raises(RejectedError) as refused:
        import_file(ex_county, path)
    bad = {(c.row, c.header) for c in refused.value.cells}
    assert bad == {(4, "申报金额（万元）"), (5, "评估结论"), (5, "项目编码"), (6, "评估对象"),
                   (6, "建议安排金额（万元）"), (6, "评估得分"), (6, "评估等级")}
    assert any("2024年度已有的项目编码" in c.expected for c in refused.value.cells)
    assert year_svc.list_year(ex_county, 2024) == []


def test_summary_pdf(ex_county, tmp_path):
    from app.io.exante_reports import render_summary
    from app.services import exante_year as year_svc
    from app.services.exante_import import import_file

    import_file(ex_county, _filled(tmp_path, [[2024, "B2024031", "教育综合改革专项资金", "10825.34", "2000", "80", "良",
                                               "调整后支持", ""]]))
    out = tmp_path / "summary.pdf"
    render_summary(year_svc.summary(ex_county, 2024), "pdf", out)
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 10_000
