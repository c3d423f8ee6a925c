"""绩效自评 files (app.io.self_eval_io, app.io.self_eval_reports): the two-sheet import as users fill
it (万元 to fen, 填报 stored as 草稿, blanks meaning 已提交 and 总额, printed values kept), every
malformed cell named with nothing returned, the template parsing back to nothing, and the
exports — the 自评表 PDF within two pages with user text printed literally, the xlsx keeping
formula-like text as text, the 汇总表 with its 等级分布 and sentence."""

from datetime import date
from decimal import Decimal

import openpyxl
import pypdfium2
import pytest

from app.domain.self_eval import (
    DrawnRow, DrawView, Finding, GradeShare, ImportedSelfEvals, SelfEvalFormView, SelfEvalRow, SelfEvalSummary,
)
from app.io import self_eval_io as io, self_eval_reports as reports
from app.rules.validation import RejectedError


def workbook(path, budget, indicators, *, budget_headers=None, sheets=(io.BUDGET_SHEET, io.INDICATOR_SHEET)):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if io.BUDGET_SHEET in sheets:
        sheet = wb.create_sheet(io.BUDGET_SHEET)
        sheet.append(["2023年度项目支出绩效自评表"])  # a banner above the header, as offices print it
        sheet.append(budget_headers or ["项目编码", "年度", "预算行", "年初预算数", "全年预算数", "全年执行数", "执行率",
                                        "分值", "得分", "原因", "总分", "评价等级", "状态"])
        for row in budget:
            sheet.append(row)
    if io.INDICATOR_SHEET in sheets:
        sheet = wb.create_sheet(io.INDICATOR_SHEET)
        sheet.append(io.INDICATOR_HEADERS)
        for row in indicators:
            sheet.append(row)
    if not sheets:
        wb.create_sheet("Sheet1")
    wb.save(path)
    return path


def pdf_pages_and_text(path) -> tuple[int, str]:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        return len(doc), "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def test_a_filled_file_becomes_rows_in_fen_with_the_workflow_words(tmp_path):
    path = workbook(tmp_path / "ok.xlsx", [
        ["3701172023001", 2023, None, 3201.18, "3201.18", 3100, "96.84%", 10, 9.68, "", 92.5, "优", "填报"],
        ["3701172023001", 2023, "其中：财政拨款", 3000, 3000, "2900.5", 0.9668, None, None, "资金到位晚", None, None, None],
        ["3701172023002", "2023", "总额", None, 50, 0, None, "10分", 0, "未实施", None, "", "审核通过"],
    ], [
        ["3701172023001", 2023, "产出指标", "数量指标", "城区道路清扫保洁面积", ">=", 320, "万平方米", "≥266米", None, 18,
         "按考核结果扣分", ""],
        ["3701172023001", 2023, "满意度", "群众满意度", "群众满意度", "", "90%", "%", "按时完成", 10, "9.5", "", ""],
    ])
    found, problems = io.parse_self_eval(path)
    assert problems == []
    total, fiscal, other = found.budget
    assert (total.row, total.line, total.initial_fen, total.annual_fen, total.executed_fen) == (
        3, "总额", 3_201_180_000, 3_201_180_000, 3_100_000_000)
    assert (total.rate, total.points, total.score, total.total, total.grade, total.status) == (
        "96.84%", Decimal(10), Decimal("9.68"), Decimal("92.5"), "优", "草稿")
    assert (fiscal.line, fiscal.executed_fen, fiscal.rate, fiscal.points, fiscal.cause, fiscal.status) == (
        "财政资金", 2_900_500_000, "0.9668", None, "资金到位晚", "已提交")
    assert (other.code, other.initial_fen, other.points, other.grade, other.status) == (
        "3701172023002", None, Decimal(10), "", "审核通过")
    area, satisfied = found.indicators
    assert (area.level1, area.level2, area.direction, area.target_value, area.actual, area.points, area.score) == (
        "产出", "数量", "≥", "320", "≥266米", None, Decimal(18))
    assert (satisfied.level2, satisfied.direction, satisfied.actual, satisfied.points, satisfied.score) == (
        "群众满意度", "", "按时完成", Decimal(10), Decimal("9.5"))  # a county's own 二级指标 kept as it is


def test_amounts_headed_in_yuan_are_read_in_yuan(tmp_path):
    headers = ["项目编码", "年度", "全年预算数（元）", "全年执行数（元）"]
    found, problems = io.parse_self_eval(workbook(tmp_path / "yuan.xlsx", [["P1", 2023, 32011800, "31000000.5"]], [],
                                                  budget_headers=headers))
    assert problems == [] and (found.budget[0].annual_fen, found.budget[0].executed_fen) == (3_201_180_000, 3_100_000_050)


def test_every_malformed_cell_is_named_with_the_rows_kept_for_the_service_to_judge(tmp_path):
    path = workbook(tmp_path / "bad.xlsx", [
        ["P1", 2023, None, "三千", 100, 90, "", 10, "九分", "", None, "优良", "已审"],
        [None, "23", "上年结转", 1, 1, 1, "", "", "", "", "九十", "", ""],
        ["P1", 2023, "总额", 1, 1, 1, "", "", "", "", "", "", ""],
    ], [
        ["P1", 2023, "产出", "数量", "面积", "≥", "320", "万平方米", "300", "二十", 18, "", ""],
        ["P1", 2023, "产出", "数量", "面积", "≥", "320", "万平方米", "300", 20, 18, "", ""],
        ["P1", 2023, "产出", "数量", None, "≥", "320", "万平方米", "300", 20, 18, "", ""],
    ])
    found, problems = io.parse_self_eval(path)
    # rows whose key is readable come back (a bad cell as None): the service names unknown projects too
    assert [(b.row, b.initial_fen, b.score) for b in found.budget] == [(3, None, None)]
    assert [r.row for r in found.indicators] == [2]
    assert [p.message() for p in problems] == [
        "工作表「预算执行」第3行「年初预算数（万元）」应为不小于0的数字，实际为“三千”",
        "工作表「预算执行」第3行「得分」应为0到1000之间的数字（可不填），实际为“九分”",
        "工作表「预算执行」第3行「评价等级」应为优、良、中、差之一，或不填，实际为“优良”",
        "工作表「预算执行」第3行「状态」应为填报、已提交、审核通过之一，或不填（视为已提交），实际为“已审”",
        "工作表「预算执行」第4行「项目编码」为必填项，实际为空",
        "工作表「预算执行」第4行「年度」应为四位年份，如2023，实际为“23”",
        "工作表「预算执行」第4行「预算行」应为总额、财政资金、其他资金之一（不填视为总额），实际为“上年结转”",
        "工作表「预算执行」第4行「总分」应为0到1000之间的数字（可不填），实际为“九十”",
        "工作表「预算执行」第5行「预算行」同一项目同一年度的总额行只能有一行（与第3行重复），实际为“总额”",
        "工作表「指标」第2行「分值」应为0到1000之间的数字（可不填），实际为“二十”",
        "工作表「指标」第3行「三级指标」同一项目同一年度的三级指标不能重复（与第2行重复），实际为“面积”",
        "工作表「指标」第4行「三级指标」为必填项，实际为空",
    ]


def test_a_workbook_without_the_two_sheets_is_refused_in_a_sentence(tmp_path):
    with pytest.raises(RejectedError) as neither:
        io.parse_self_eval(workbook(tmp_path / "none.xlsx", [], [], sheets=()))
    assert "「预算执行」和「指标」" in neither.value.summary and "模板" in neither.value.summary
    with pytest.raises(RejectedError) as one:
        io.parse_self_eval(workbook(tmp_path / "one.xlsx", [["P1", 2023]], [], sheets=(io.BUDGET_SHEET,)))
    assert "没有「指标」工作表" in one.value.summary


def test_the_empty_template_parses_to_nothing_and_offers_the_closed_lists(tmp_path):
    path = tmp_path / "template.xlsx"
    io.write_template(path)
    assert io.parse_self_eval(path) == (ImportedSelfEvals(), [])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["预算执行", "指标", "填报说明"]
    lists = {(ws.title, dv.formula1) for ws in wb for dv in ws.data_validations.dataValidation}
    assert {("预算执行", '"总额,财政资金,其他资金"'), ("预算执行", '"填报,已提交,审核通过"'), ("预算执行", '"优,良,中,差"'),
            ("指标", '"≥,≤,=,定性"')} <= lists
    notes = "".join(str(row[0].value or "") for row in wb["填报说明"].iter_rows())
    assert "万元" in notes and "三级指标" in notes and "执行率、总分、评价等级可以不填" in notes


# -- exports -------------------------------------------------------------------------------------------
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值", "分值", "参考得分",
                    "得分", "评分说明", "偏差原因分析及改进措施")


def form_view(indicators: int = 12) -> SelfEvalFormView:
    rows = tuple(("产出", "数量", f"城区道路清扫保洁面积{n}", "≥", "320", "万平方米", "300", "7.5", "7.03", "7",
                  "按考核结果扣分" if n % 3 == 0 else "",
                  "部分路段因施工未能清扫，下一年度加强与住建部门协调，提前安排保洁计划。" if n % 2 else "")
                 for n in range(indicators))
    return SelfEvalFormView(
        kind="项目", year=2023, status="已提交", title="项目支出绩效自评表",
        fields=(("项目名称", "城区环卫保洁<合同&面积>"), ("项目编码", "3701172023001"), ("主管部门", "钢城区城市管理局"),
                ("实施单位", "钢城区城市管理局")),
        budget_header=("预算行", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率", "分值", "得分", "原因"),
        budget_rows=(("总额", "3,201.18", "3,201.18", "3,100.00", "96.84%", "10", "9.68", ""),
                     ("财政资金", "3,201.18", "3,201.18", "3,100.00", "96.84%", "", "", "")),
        indicator_header=INDICATOR_HEADER, indicator_rows=rows, total="92.50", grade="优",
        texts=(("年度目标完成情况", "全年完成城区道路清扫保洁300万平方米，达标率96%。"), ("存在问题", "=SUM(A1)"),
               ("改进措施", "加强与住建部门的协调。")),
        signatures=(("项目负责人", "张三"), ("财务负责人", "")), pack_note="评分依据：规则包第1版。")


def test_the_form_pdf_of_twelve_indicators_fits_two_pages_and_prints_user_text_literally(tmp_path):
    path = tmp_path / "form.pdf"
    reports.render_form(form_view(12), "pdf", path)
    pages, text = pdf_pages_and_text(path)
    flat = "".join(text.split())
    assert pages <= 2
    assert "2023年度项目支出绩效自评表" in flat and "<合同&面积>" in flat and "城区道路清扫保洁面积11" in flat
    assert "项目负责人：张三" in flat and "签字" in flat and "评分依据：规则包第1版。" in flat


def test_the_department_form_carries_its_own_title(tmp_path):
    path = tmp_path / "dept.pdf"
    view = form_view(3)
    reports.render_form(SelfEvalFormView(**{**view.__dict__, "kind": "部门整体", "title": ""}), "pdf", path)
    assert "2023年度部门整体支出绩效自评表" in "".join(pdf_pages_and_text(path)[1].split())


def test_the_form_xlsx_keeps_formula_like_text_as_text_and_money_as_numbers(tmp_path):
    path = tmp_path / "form.xlsx"
    reports.render_form(form_view(12), "xlsx", path)
    ws = openpyxl.load_workbook(path).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells["=SUM(A1)"].data_type == "s"
    money = [c for row in ws.iter_rows() for c in row if c.number_format == "#,##0.00" and c.value is not None]
    assert [float(c.value) for c in money[:3]] == [3201.18, 3201.18, 3100.0]
    assert "<合同&面积>" in str(cells["城区环卫保洁<合同&面积>"].value)
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"  # A4


def summary() -> SelfEvalSummary:
    def row(n: int, kind: str = "项目") -> SelfEvalRow:
        return SelfEvalRow(n, kind, n, None, f"P{n:03d}", "=SUM(A1)" if n == 0 else f"项目{n}", "城管局", 3_201_180_000,
                           3_100_000_000, Decimal("0.9684"), Decimal("91.2"), Decimal("90.5"), "优", "已提交", 1)
    return SelfEvalSummary(
        2022, tuple(row(n) for n in range(24)) + (row(99, "部门整体"),),
        (GradeShare("优", 17, Decimal("70.83")), GradeShare("良", 3, Decimal("12.50")), GradeShare("中", 4, Decimal("16.67")),
         GradeShare("差", 0, Decimal("0.00"))),
        "本次24个绩效自评表中，自评等级为“优”的17份，占70.83%；自评等级为“良”的3份，占12.50%；自评等级为“中”的4份，占16.67%。",
        (("城管局", 24, Decimal("90.50"), {"优": 17, "良": 3, "中": 4}),))


def test_the_summary_workbook_has_the_rows_the_distribution_with_its_sentence_and_the_departments(tmp_path):
    path = tmp_path / "summary.xlsx"
    assert reports.render_summary(summary(), "xlsx", path) == 25
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["自评汇总表", "等级分布", "部门汇总"]
    table = wb["自评汇总表"]
    assert [c.value for c in table[3]][:7] == ["类别", "项目编码", "项目名称", "主管部门", "全年预算数（万元）", "全年执行数（万元）", "执行率"]
    assert (table["C4"].value, table["C4"].data_type) == ("=SUM(A1)", "s")
    assert (float(table["E4"].value), table["E4"].number_format) == (3201.18, "#,##0.00")
    assert (float(table["G4"].value), table["G4"].number_format) == (0.9684, "0.00%")
    assert table["A28"].value == "部门整体"
    shares = wb["等级分布"]
    assert [(r[0].value, r[1].value, float(r[2].value), r[2].number_format) for r in shares.iter_rows(min_row=4, max_row=6)] == [
        ("优", 17, 0.7083, "0.00%"), ("良", 3, 0.125, "0.00%"), ("中", 4, 0.1667, "0.00%")]
    below = [c.value for row in shares.iter_rows(min_row=8) for c in row if c.value]
    assert below == [summary().sentence]
    depts = wb["部门汇总"]
    assert [c.value for c in depts[3]] == ["部门", "份数", "平均分", "优", "良", "中", "差"]
    assert [c.value for c in depts[4]][:2] == ["城管局", 24] and [c.value for c in depts[4]][3:] == [17, 3, 4, 0]


def test_the_summary_pdf_ends_with_the_distribution_and_the_sentence(tmp_path):
    path = tmp_path / "summary.pdf"
    assert reports.render_summary(summary(), "pdf", path) == 25
    flat = "".join(pdf_pages_and_text(path)[1].split())
    assert "2022年度绩效自评汇总表" in flat and "70.83%" in flat and "占16.67%" in flat and "=SUM(A1)" in flat


def test_findings_are_one_row_each_and_a_clean_year_says_so(tmp_path):
    findings = [Finding("P001", "项目1", "指标“面积”", "未达成却满分", "未完成目标却给了满分", "7.5", "7.03"),
                Finding("P002", "=SUM(A1)", "总分", "总分不符", "总分与各行合计不符", "92", "90")]
    path = tmp_path / "findings.xlsx"
    assert reports.render_findings(findings, path) == 2
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[3]] == ["项目编码", "项目名称", "指标", "类别", "问题", "填报值", "参考值"]
    assert [c.value for c in ws[4]] == ["P001", "项目1", "指标“面积”", "未达成却满分", "未完成目标却给了满分", "7.5", "7.03"]
    assert (ws["B5"].value, ws["B5"].data_type) == ("=SUM(A1)", "s")
    empty = tmp_path / "none.xlsx"
    assert reports.render_findings([], empty) == 0
    ws = openpyxl.load_workbook(empty).active
    assert [c.value for c in ws[3]][0] == "项目编码" and ws["A4"].value == "未发现问题" and ws.max_row == 4


def test_the_draw_states_its_seed_and_population_above_the_drawn_tables(tmp_path):
    view = DrawView(1, 2023, "20231130", 448, True, date(2024, 3, 1),
                    (DrawnRow(7, "P007", "项目7", "城管局", Decimal("90.5"), "优"), DrawnRow(9, "P009", "项目9", "教育局", None, "")))
    path = tmp_path / "draw.xlsx"
    assert reports.render_draw(view, path) == 2
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "真实性核查抽样"
    line = ws["A2"].value
    assert all(part in line for part in ("年度：2023", "随机种子：20231130", "抽样范围：448份", "抽取数量：2份", "是否按部门分布：是"))
    assert [c.value for c in ws[3]] == ["项目编码", "项目名称", "主管部门", "总分", "评价等级"]
    assert [c.value for c in ws[4]] == ["P007", "项目7", "城管局", 90.5, "优"]
