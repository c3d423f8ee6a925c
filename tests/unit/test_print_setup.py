"""Every xlsx export is ready to print: A4, landscape only when the columns are wider than a
portrait page, one page wide and as many tall as needed, the header row on every page, and
"第 x 页 共 y 页" in the footer — the table exports and the paper forms alike."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook

from app.io.columns import Column
from app.io.xlsx import FOOTER, XlsxWriter, write_problems
from app.rules.validation import CellProblem


def _setup(path, sheet=None):
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return ws


def assert_print_ready(path, orientation: str, titles: str, sheet=None) -> None:
    ws = _setup(path, sheet)
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == orientation
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == titles
    assert ws.oddFooter.center.text == FOOTER == "第 &P 页 共 &N 页"
    with zipfile.ZipFile(path) as archive:  # as Excel and WPS read it
        xml = archive.read(f"xl/worksheets/sheet{ws.parent.index(ws) + 1}.xml").decode("utf-8")
    assert '<pageSetUpPr fitToPage="1"/>' in xml
    assert 'fitToHeight="0"' in xml and 'fitToWidth="1"' in xml and 'paperSize="9"' in xml
    assert "&amp;P" in xml and "&amp;N" in xml


def _table(path, columns):
    writer = XlsxWriter()
    writer.add_table("表", title="标题", columns=columns, rows=[["甲"] * len(columns)] * 80)
    writer.save(path)
    return path


def test_a_narrow_table_prints_portrait(tmp_path):
    path = _table(tmp_path / "narrow.xlsx", [Column("项目名称", width=40), Column("金额（万元）", "money", width=16)])
    assert_print_ready(path, "portrait", "$3:$3")


def test_a_table_wider_than_a_portrait_page_prints_landscape(tmp_path):
    columns = [Column(f"第{i}列", width=14) for i in range(8)]  # 112 characters
    assert_print_ready(_table(tmp_path / "wide.xlsx", columns), "landscape", "$3:$3")


def test_the_error_list_is_print_ready(tmp_path):
    path = tmp_path / "errors.xlsx"
    write_problems(path, [CellProblem("项目", 4, "项目名称", "必填", "")])
    assert_print_ready(path, "portrait", "$3:$3")  # six columns, the 说明 60 characters wide: fits upright


def test_project_list_export(year, tmp_path):
    from app.io.projects_io import render_projects
    from app.services.projects import list_projects

    path = tmp_path / "projects.xlsx"
    render_projects(list_projects(year, 2023), 2023, "xlsx", path)
    assert_print_ready(path, "landscape", "$3:$3")


def test_target_form_prints_with_its_indicator_header_repeated(year, tmp_path):
    from app.services import projects, target_reports, targets

    row = next(r for r in projects.list_projects(year, 2023) if r.code == "DH2023002")
    draft = targets.open_target(year, row.id)
    path = tmp_path / "申报表.xlsx"
    target_reports.export_form(year, draft, path)
    ws = _setup(path)
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
    assert_print_ready(path, "landscape", f"${header}:${header}")


def test_monitoring_reports_and_record(year, round_id, tmp_path):
    from app.io.monitoring_reports import FORM_HEADERS, render_record, render_summary, render_warnings
    from app.services import monitoring, monitoring_records

    view = monitoring.round_view(year, round_id)
    summary, warnings = tmp_path / "summary.xlsx", tmp_path / "warnings.xlsx"
    render_summary(view, "xlsx", summary)
    render_warnings(view, "xlsx", warnings)
    for sheet in load_workbook(summary).sheetnames:  # every sheet of the 汇总表
        ws = _setup(summary, sheet)
        assert_print_ready(summary, ws.page_setup.orientation, ws.print_title_rows, sheet)
    assert_print_ready(warnings, _setup(warnings).page_setup.orientation, "$3:$3")

    record = tmp_path / "监控表.xlsx"
    render_record(monitoring_records.record_sheet(year, view.rows[0].record_id), record)
    ws = _setup(record)
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == FORM_HEADERS[0])
    assert_print_ready(record, "landscape", f"${header}:${header}")
