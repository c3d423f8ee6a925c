"""整改台账 in Excel and on paper: the template, the all-or-nothing import naming bad cells, the 台账
with its 汇总 by 责任单位 and the 整改通知书 per unit."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest

from app.domain.rectification import RectificationDraft
from app.io import rectification_io as rio
from app.rules.validation import RejectedError
from app.services import rectification as rect
from app.services.rectification_import import import_file

UNIT_A, UNIT_B = "钢城区城市管理局", "钢城区城乡交通运输局"


def _fill(path, rows):
    rio.write_template(path)
    wb = openpyxl.load_workbook(path)
    sheet = wb[rio.SHEET]
    for n, row in enumerate(rows, 4):
        for c, value in enumerate(row, 1):
            sheet.cell(n, c, value)
    wb.save(path)
    return path


def _row(**kw):
    base = dict(来源="重点评价", 来源编号="钢财绩〔2023〕3号-1", 年度=2023, 项目编码="DH2023002", 问题类别="资金管理",
                问题描述="资金拨付滞后", 整改要求="加快拨付", 责任单位=UNIT_A, 反馈日期="2023-09-15", 整改期限=None,
                整改措施=None, 完成日期=None, 状态="待整改")
    base.update(kw)
    return [base[h] for h in rio.HEADERS]


def test_the_template_has_the_columns_and_the_choice_lists(tmp_path):
    path = tmp_path / "t.xlsx"
    rio.write_template(path)
    sheet = openpyxl.load_workbook(path)[rio.SHEET]
    assert [c.value for c in sheet[3]] == rio.HEADERS
    lists = " ".join(dv.formula1 for dv in sheet.data_validations.dataValidation)
    assert "满意度调查" in lists and "已整改待核验" in lists and "真实性核查" in lists


def test_an_import_lands_with_defaulted_deadlines_and_closed_items_need_no_verification(year, tmp_path):
    path = _fill(tmp_path / "in.xlsx", [
        _row(),
        _row(项目编码=None, 问题描述="绩效目标不明确", 责任单位=UNIT_B, 反馈日期=None, 整改期限=datetime(2023, 10, 15),
             整改措施="已修订目标", 完成日期="2023/10/10", 状态="已销号"),
        _row(问题描述="满意度调查未开展", 问题类别="满意度调查", 整改措施="已开展", 完成日期="2023年10月12日",
             状态="已整改待核验", 责任单位=None)])
    assert "3项整改事项" in import_file(year, path)
    rows = {r.description: r for r in rect.list_year(year, 2023, date(2023, 11, 1)).rows}
    first = rows["资金拨付滞后"]
    assert (first.feedback_date, first.deadline, first.project_code) == (date(2023, 9, 15), date(2023, 10, 15), "DH2023002")
    assert first.overdue_days == 17
    closed = rows["绩效目标不明确"]
    assert (closed.status, closed.project_code, closed.verify_result, closed.overdue_days) == ("已销号", "", "", 0)
    assert rows["满意度调查未开展"].responsible == UNIT_A  # the project's unit when none is written


def test_a_problem_found_this_year_links_the_evaluated_project_of_the_year_before(year, tmp_path):
    """钢城: problems found in 2023 evaluating 2022's budgets are 2023 items on 2022's projects; here
    a 2024 row of a 2023 project's evaluation, and a 2024 monitoring row that has no 2024 project."""
    path = _fill(tmp_path / "in.xlsx", [_row(年度=2024, 反馈日期="2024-09-15"),
                                        _row(年度=2024, 来源="监控", 问题描述="执行进度滞后", 反馈日期="2024-09-15")])
    assert "2项整改事项" in import_file(year, path)
    rows = rect.list_year(year, 2024, date(2024, 9, 30)).rows
    assert {(r.source, r.project_code, r.year) for r in rows} == {("重点评价", "DH2023002", 2024), ("监控", "DH2023002", 2024)}


def test_every_bad_cell_is_named_and_nothing_lands(year, tmp_path):
    path = _fill(tmp_path / "bad.xlsx", [
        _row(反馈日期="9月15日"), _row(来源="巡察"), _row(问题类别="其他"), _row(状态="逾期"),
        _row(项目编码="NOPE"), _row(状态="已整改待核验"), _row(问题描述=None)])
    with pytest.raises(RejectedError) as refused:
        import_file(year, path)
    named = {(c.row, c.header) for c in refused.value.cells}
    assert named == {(4, "反馈日期"), (5, "来源"), (6, "问题类别"), (7, "状态"), (8, "项目编码"), (9, "整改措施"),
                     (9, "完成日期"), (10, "问题描述")}
    assert "应为2023或2022年度已有的项目编码" in next(c.message() for c in refused.value.cells if c.header == "项目编码")
    assert rect.list_year(year, 2023, date(2023, 11, 1)).rows == ()


def _ledger(ws):
    a = rect.save(ws, RectificationDraft(
        None, 2023, description="资金<未>按用途使用&", category="资金管理", requirement="收回资金", responsible=UNIT_A,
        deadline=date(2023, 10, 15)))
    rect.save(ws, RectificationDraft(None, 2023, description="满意度调查未开展", requirement="开展调查", responsible=UNIT_B,
                              deadline=date(2023, 10, 15)))
    return a


def test_the_ledger_workbook_has_the_items_and_a_summary_by_unit(county, tmp_path):
    _ledger(county)
    path = tmp_path / "台账.xlsx"
    rect.export_ledger(county, 2023, date(2023, 10, 20), path)
    wb = openpyxl.load_workbook(path)
    ledger, summary = wb["整改台账"], wb["汇总"]
    header = [c.value for c in ledger[3]]
    first = dict(zip(header, [c.value for c in ledger[4]]))
    assert first["逾期天数"] == 5 and first["状态"] == "待整改" and first["逾期"] == "逾期"
    assert [[c.value for c in r] for r in summary.iter_rows(min_row=3)] == [
        ["责任单位", "问题数", "已销号", "逾期"], [UNIT_B, 1, 0, 1], [UNIT_A, 1, 0, 1], ["合计", 2, 0, 2]]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_ledger_pdf_and_one_notice_per_unit(county, tmp_path):
    _ledger(county)
    path = tmp_path / "台账.pdf"
    rect.export_ledger(county, 2023, date(2023, 10, 20), path, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "2023年度整改台账" in text and "资金<未>按用途使用&" in text and "按责任单位汇总" in text
    made = rect.notices(county, 2023, "钢财绩〔2023〕12号", date(2023, 9, 1), tmp_path / "通知书")
    assert sorted(p.name for p in made) == sorted(f"整改通知书-{u}.pdf" for u in (UNIT_A, UNIT_B))
    notice = subprocess.run(["pdftotext", str(tmp_path / "通知书" / f"整改通知书-{UNIT_A}.pdf"), "-"],
                            capture_output=True, text=True).stdout
    for said in ("钢城区财政局", "钢财绩〔2023〕12号", "整改通知书", f"{UNIT_A}：", "收回资金", "2023-10-15", "（盖章）",
                 "2023年9月1日"):
        assert said in notice
    assert "满意度调查未开展" not in notice


def test_cells_are_read_as_the_user_sees_them_and_checked_by_the_forms_rules(tmp_path):
    path = _fill(tmp_path / "cells.xlsx", [
        _row(来源编号=3.0, 年度=2023.0, 反馈日期=20231015.0),
        _row(问题描述="  ", 反馈日期="2023-09-15", 整改期限="2023/9/1"),
        _row(状态="已整改待核验", 完成日期="不知道"),
        _row(来源=" ", 问题类别=None, 状态=None, 反馈日期=None)])
    rows, problems = rio.parse_rectifications(path)
    said = {(p.row, p.header): (p.expected, p.actual) for p in problems}
    assert said == {
        (4, "反馈日期"): ("应为日期，如2023-10-15（可不填）", "20231015"),
        (5, "问题描述"): ("为必填项", ""),
        (5, "整改期限"): ("不能早于反馈日期", "2023/9/1"),
        (6, "整改措施"): ("状态为已整改待核验的事项须填写整改措施", ""),
        (6, "完成日期"): ("应为日期，如2023-10-15（可不填）", "不知道")}  # named once: unreadable
    assert (rows[0].source_ref, rows[0].year, rows[0].feedback_date) == ("3", 2023, None)
    assert (rows[3].source, rows[3].category, rows[3].status) == ("审计", "", "待整改")  # blank: the defaults
