"""Monitoring in and out of Excel and PDF: the two-sheet import (all or nothing, bad cells named,
empty cells keep values, the same rule as the form), the summary workbook with lights as fills,
the PDF with its chart, the 预警清单 and the per-project 监控表 — each rendered from the view the
page shows."""

import subprocess

import openpyxl
import pytest

from app.io import monitoring_import as imp, monitoring_reports as reports
from app.rules.validation import RejectedError
from app.services import monitoring as mon, monitoring_records as rec
from app.services.monitoring_import import import_file, write_fill_sheet
from tests.support import rows_by_code


def export_summary(ws, round_id, fmt, path) -> int:
    return reports.render_summary(mon.round_view(ws, round_id), fmt, path)


def workbook(path, budget, indicators=None):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = imp.BUDGET_SHEET
    sheet.append(["项目编码", "截至执行数（万元）", "全年预计执行数（万元）"])
    for row in budget:
        sheet.append(row)
    if indicators is not None:
        other = wb.create_sheet(imp.INDICATOR_SHEET)
        other.append(["项目编码", "三级指标", "截至完成值", "全年预计完成值", "偏差原因类别", "偏差原因说明", "完成可能性", "纠偏措施"])
        for row in indicators:
            other.append(row)
    wb.save(path)
    return path


def test_import_fills_money_and_indicators_and_keeps_what_the_file_leaves_empty(year, round_id, tmp_path):
    path = workbook(tmp_path / "ok.xlsx", [["DH2023002", "9.46", "50"], ["DH2023005", 0, None]],
                    [["DH2023002", "城区道路清扫保洁面积", "200", "300", "经费保障", "资金到位晚", "有可能", "加快拨付"]])
    assert import_file(year, round_id, path) == "导入完成：更新项目执行数2个，指标完成情况1条。"
    rows = rows_by_code(year, round_id)
    assert (rows["DH2023002"].executed_fen, rows["DH2023002"].projected_fen, rows["DH2023002"].light) == (9_460_000, 50_000_000, "红")
    assert rows["DH2023002"].missed == 1 and rows["DH2023005"].executed_fen == 0
    ind = rec.open_record(year, rows["DH2023002"].record_id).indicators[0]
    assert (ind.completed, ind.projected, ind.cause_class, ind.likelihood) == ("200", "300", "经费保障", "有可能")
    import_file(year, round_id, workbook(tmp_path / "again.xlsx", [["DH2023002", "12", None]]))
    again = rows_by_code(year, round_id)["DH2023002"]
    assert (again.executed_fen, again.projected_fen) == (12_000_000, 50_000_000)  # empty cell kept the projection


def test_bad_cells_in_both_sheets_are_named_and_nothing_lands(year, round_id, tmp_path):
    path = workbook(tmp_path / "bad.xlsx", [["DH2023002", "九万", None], ["NOPE", "1", None], ["DH2023002", "1", None]],
                    [["DH2023002", "不存在的指标", "", "", "", "", "", ""],
                     ["DH2023002", "垃圾日产日清率", "", "100", "天气", "", "大概", ""]])
    with pytest.raises(RejectedError) as exc:
        import_file(year, round_id, path)
    assert [c.message() for c in exc.value.cells] == [
        "工作表「预算执行」第2行「截至执行数（万元）」应为不小于0的数字，实际为“九万”",
        "工作表「预算执行」第3行「项目编码」应为本监控批次中的项目编码，实际为“NOPE”",
        "工作表「预算执行」第4行「项目编码」在表中应唯一（与第2行重复），实际为“DH2023002”",
        "工作表「指标完成」第2行「三级指标」应为该项目监控表中已有的三级指标，实际为“不存在的指标”",
        "工作表「指标完成」第3行「偏差原因类别」应为经费保障、制度保障、人员保障、硬件条件保障、其他之一，实际为“天气”",
        "工作表「指标完成」第3行「完成可能性」应为确定能、有可能、完全不可能之一，实际为“大概”",
    ]
    assert all(r.executed_fen is None for r in mon.round_rows(year, round_id))


def test_a_submitted_record_is_not_changed_by_import(year, round_id, tmp_path):
    rows = rows_by_code(year, round_id)
    draft = rec.open_record(year, rows["DH2023005"].record_id)
    draft.executed, draft.budget_cause = "0", "原水价格未谈定，暂未支付。"
    rec.submit_record(year, draft)
    with pytest.raises(RejectedError) as exc:
        import_file(year, round_id, workbook(tmp_path / "s.xlsx", [["DH2023005", "10", None]]))
    assert exc.value.cells[0].expected == "对应的监控记录状态为“已提交”，不能用导入修改"


def test_summary_workbook_carries_lights_as_fills_and_words(year, round_id, tmp_path):
    import_file(year, round_id, workbook(tmp_path / "in.xlsx", [["DH2023002", "9.46", None], ["DH2023005", "0", None]]))
    out = tmp_path / "汇总.xlsx"
    assert export_summary(year, round_id, "xlsx", out) == 2
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "项目", "预警清单"]
    projects = wb["项目"]
    headers = [c.value for c in projects[3]]
    assert [projects.cell(row=n, column=1).value for n in (4, 5)] == ["DH2023005", "DH2023002"]  # furthest behind first
    light = projects.cell(row=5, column=headers.index("预警") + 1)
    assert light.value == "红" and light.fill.fgColor.rgb.endswith("FFC7CE")
    rate = projects.cell(row=5, column=headers.index("执行率") + 1)
    assert rate.number_format == "0.00%" and float(rate.value) == pytest.approx(0.1577)
    deviation = projects.cell(row=5, column=headers.index("偏差（百分点）") + 1)
    assert float(deviation.value) == pytest.approx(-50.9)  # 15.77% − 66.67%
    summary = wb["汇总"]
    assert "总体进度1.69%，低于序时进度。" in summary["A2"].value
    assert [c.value for c in summary[summary.max_row]][:2] == ["合计", 2]
    warnings = [r for r in wb["预警清单"].iter_rows(min_row=4, values_only=True)]
    assert [r[0] for r in warnings] == ["DH2023005", "DH2023002"]


def test_summary_pdf_with_chart_and_the_per_project_form(year, round_id, tmp_path):
    import_file(year, round_id, workbook(tmp_path / "in.xlsx", [["DH2023002", "9.46", None]]))
    pdf = tmp_path / "汇总.pdf"
    export_summary(year, round_id, "pdf", pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")
    for expected in ("2023年1-8月（截至8月）绩效运行监控汇总表", "各部门执行率（%）与序时进度", "序时进度66.67%", "合计"):
        assert expected in text, expected
    record = rows_by_code(year, round_id)["DH2023002"].record_id
    form = tmp_path / "监控表.pdf"
    reports.render_record(rec.record_sheet(year, record), form)
    text = subprocess.run(["pdftotext", str(form), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")
    for expected in ("项目绩效运行监控表", "救灾物资和防汛物资管理", "15.77%", "城区道路清扫保洁面积", "单位负责人"):
        assert expected in text, expected
    reports.render_record(rec.record_sheet(year, record), tmp_path / "监控表.xlsx")
    cells = [c.value for row in openpyxl.load_workbook(tmp_path / "监控表.xlsx")["监控表"].iter_rows() for c in row if c.value]
    assert cells[0] == "项目绩效运行监控表" and "偏差原因类别" in cells


def test_template_prefilled_for_a_round_imports_back(year, round_id, tmp_path):
    path = tmp_path / "填报表.xlsx"
    write_fill_sheet(year, round_id, path)
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["预算执行"][3]] == imp.BUDGET_HEADERS and "填报说明" in wb.sheetnames
    assert [c.value for c in wb["指标完成"][4]][:3] == ["DH2023002", "城区道路清扫保洁面积", "≥320万平方米"]
    wb["预算执行"]["C4"] = "30"
    wb.save(path)
    assert import_file(year, round_id, path) == "导入完成：更新项目执行数1个，指标完成情况0条。"



def test_an_import_of_indicators_only_outdates_an_open_record(year, round_id, tmp_path):
    record = rows_by_code(year, round_id)["DH2023002"].record_id
    open_form = rec.open_record(year, record)
    import_file(year, round_id, workbook(tmp_path / "i.xlsx", [],
                                                   [["DH2023002", "垃圾日产日清率", "100", "100", "", "", "确定能", ""]]))
    open_form.indicators[2].completed = "90"
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        rec.save_record(year, open_form)
    assert rec.open_record(year, record).indicators[2].completed == "100"


def test_indicators_with_the_same_name_import_in_their_order(year, round_id, tmp_path):
    from sqlalchemy import select

    from db.models import MonitoringIndicator

    record = rows_by_code(year, round_id)["DH2023002"].record_id
    with year.session() as s:  # a target may name two indicators alike (the check only warns)
        first, second = s.scalars(select(MonitoringIndicator).where(MonitoringIndicator.record_id == record)
                                  .order_by(MonitoringIndicator.id).limit(2)).all()
        second.level3 = first.level3
    name = rec.open_record(year, record).indicators[0].level3
    rows = [["DH2023002", name, "100", "330", "", "", "", ""], ["DH2023002", name, "90", "96", "", "", "", ""]]
    import_file(year, round_id, workbook(tmp_path / "same.xlsx", [], rows))
    assert [i.projected for i in rec.open_record(year, record).indicators[:2]] == ["330", "96"]
    with pytest.raises(RejectedError) as exc:
        import_file(year, round_id, workbook(tmp_path / "three.xlsx", [], rows + [rows[0]]))
    assert exc.value.cells[0].row == 4 and exc.value.cells[0].header == "三级指标"


def test_a_round_deleted_meanwhile_is_a_sentence(year, tmp_path):
    with pytest.raises(RejectedError, match="这个监控批次已被删除"):
        export_summary(year, 999, "xlsx", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(RejectedError, match="这个监控批次已被删除"):
        import_file(year, 999, workbook(tmp_path / "in.xlsx", [["DH2023002", "1", None]]))


def test_the_import_and_the_form_refuse_a_bad_cause_class_with_the_same_words(year, round_id, tmp_path):
    """One rule: what the form says next to the cell is what the import's error list says."""
    record = rows_by_code(year, round_id)["DH2023002"].record_id
    draft = rec.open_record(year, record)
    draft.indicators[0].cause_class = "天气"
    with pytest.raises(RejectedError) as form:
        rec.save_record(year, draft)
    (said,) = form.value.report.for_field("0:cause_class")
    with pytest.raises(RejectedError) as imported:
        import_file(year, round_id, workbook(tmp_path / "cause.xlsx", [],
                                             [["DH2023002", draft.indicators[0].level3, "", "", "天气", "", "", ""]]))
    (cell,) = imported.value.cells
    assert (cell.header, cell.expected, cell.actual) == ("偏差原因类别", said, "天气")


def test_the_parser_alone_names_format_problems_and_reads_rows_as_drafts(tmp_path):
    path = workbook(tmp_path / "p.xlsx", [["DH1", "1.5", None], ["", "x", "2"], ["DH1", "3", None]],
                    [["DH1", "指标甲", "10", "12", "其他", "说明", "有可能", "措施"]])
    parsed, problems = imp.parse_monitoring(path)
    assert [(b.row, b.code, b.executed_fen, b.projected_fen) for b in parsed.budget] == [(2, "DH1", 1_500_000, None)]
    assert [(c.row, c.header, c.expected) for c in problems] == [
        (3, "项目编码", "为必填项"), (3, "截至执行数（万元）", "应为不小于0的数字"), (4, "项目编码", "在表中应唯一（与第2行重复）")]
    (line,) = parsed.progress
    assert (line.row, line.level3, line.projected, line.cause_class, line.measures) == (2, "指标甲", "12", "其他", "措施")
