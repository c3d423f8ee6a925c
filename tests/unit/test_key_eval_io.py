"""重点评价 files without a database: the template read back, every malformed cell named (and a past
report's slips let through for the check), the 报告摘要 PDF in 德惠's four sections with 潜江's
dimension table, the year's 附件 (合计 equal to the sum, money as #,##0.00) and the findings."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import openpyxl
import pytest

from app.domain.key_eval import DimensionLine, KeyEvalReport, KeyEvalRow, KeyEvalYear
from app.domain.self_eval import Finding
from app.io.key_eval_io import parse_evaluations, write_template
from app.io.key_eval_reports import render_findings, render_report, render_year


def header_row(sheet, first="评价编号") -> int:
    return next(r for r in range(1, 11) if sheet.cell(r, 1).value == first)


def filled_template(path, evals, scores):
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert {"评价项目", "评分", "填报说明"} <= set(book.sheetnames)
    for name, rows in (("评价项目", evals), ("评分", scores)):
        sheet = book[name]
        start = header_row(sheet) + 1
        for n, row in enumerate(rows):
            for col, value in enumerate(row, 1):
                sheet.cell(start + n, col, value)
    book.save(path)
    return path, header_row(book["评价项目"])


def test_the_template_read_back_keeps_a_past_reports_slips(tmp_path):
    evals = [["A-01", 2022, "", "", "城区环卫一体化保洁费", "城市管理局", "经建科", "政府性基金预算", 3201.18, None, "", 91.36, "优", ""],
             ["QJ-01", 2022, "项目", "QJ001", "城乡供水", "水务局", "", "一般公共预算", "1,200", 1100, "某所", 91.5, "优", "91.7%"]]
    scores = [["QJ-01", "项目决策", "", "", 20, 19, "优", ""], ["QJ-01", "项目过程", "", "", 30, 31, "优", "超出分值，照印"],
              ["QJ-01", "项目产出", "", "", 40, "28分", "良", ""]]  # weights 90, a score above its points
    path, head = filled_template(tmp_path / "模板.xlsx", evals, scores)
    parsed, problems = parse_evaluations(path)
    assert problems == []
    first, second = parsed.evaluations
    assert (first.row, first.code, first.object_type, first.fund_type, first.budget_fen, first.spend_fen) == (
        head + 1, "A-01", "项目", "政府性基金", 3_201_180_000, None)
    assert (second.project_code, second.budget_fen, second.total, second.grade, second.rate) == (
        "QJ001", 1_200_000_000, D("91.5"), "优", "91.7%")
    assert [(s.level1, s.points, s.score, s.grade) for s in parsed.scores] == [
        ("项目决策", D(20), D(19), "优"), ("项目过程", D(30), D(31), "优"), ("项目产出", D(40), D(28), "良")]


def test_malformed_cells_are_each_named(tmp_path):
    evals = [["A-01", "二〇二二", "专项", "", "某项目", "", "", "自筹", "五百", None, "", "九十", "优秀", ""],
             ["A-01", 2022, "", "", "重复编号", "", "", "", 10, None, "", None, "甲", ""],
             [None, 2022, "", "", "没有编号", "", "", "", 10, None, "", None, "", ""]]
    scores = [["A-01", "决策", "", "", "二十", 18, "", ""], ["B-99", "过程", "", "", 30, 20, "", ""],
              ["A-01", "决策", "论证", "", 10, 9, "", ""]]
    path, head = filled_template(tmp_path / "坏.xlsx", evals, scores)
    _, problems = parse_evaluations(path)
    named = {(c.sheet, c.row - head, c.header) for c in problems}
    assert named == {("评价项目", 1, "年度"), ("评价项目", 1, "评价对象类型"), ("评价项目", 1, "资金性质"),
                     ("评价项目", 1, "预算批复金额（万元）"), ("评价项目", 1, "综合得分"),
                     ("评价项目", 2, "评价编号"), ("评价项目", 2, "评价等级"), ("评价项目", 3, "评价编号"),
                     ("评分", 1, "分值"), ("评分", 2, "评价编号"), ("评分", 3, "二级指标")}
    said = {(c.row - head, c.header): c.message() for c in problems if c.sheet == "评价项目"}
    assert "与第" in said[2, "评价编号"] and "不能重复" in said[2, "评价编号"]
    assert "政府性基金" in said[1, "资金性质"] and "自筹" in said[1, "资金性质"]


# -- reports ---------------------------------------------------------------------------------------------------
def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")


REPORT = KeyEvalReport(
    title="净水厂原水水费及场地租金绩效评价报告摘要",
    funds="2023年，净水厂原水水费及场地租金项目预算安排500万元，实际支出0万元，执行率为0%。",
    conclusion="该项目综合得分80.7分，绩效评价结果为“良”。该项目决策指标权重15分，得分11.7分；过程指标权重15分，得分4分；"
               "产出指标权重50分，得分50分；效益指标权重20分，得分15分。",
    problems="资金绩效目标不明确 <甲&乙>。", suggestions="抓好抓实绩效目标管理工作。",
    dimensions=(DimensionLine("决策", "15%", D(15), D("11.7"), "中"), DimensionLine("过程", "15%", D(15), D(4), "差"),
                DimensionLine("产出", "50%", D(50), D(50), "优"), DimensionLine("效益", "20%", D(20), D(15), "中")),
    total=D("80.7"), grade="良", evaluator="财政")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_summary_pdf_has_the_four_sections_and_the_dimension_table(tmp_path):
    path = tmp_path / "摘要.pdf"
    render_report(REPORT, path)
    text = pdf_text(path)
    heads = ["一、项目资金投入及支出情况", "二、评价结论", "三、存在问题及原因", "四、有关建议", "评价指标", "综合绩效"]
    assert [text.index(h) for h in heads] == sorted(text.index(h) for h in heads)
    assert "决策指标权重15分，得分11.7分；过程指标权重15分，得分4分；" in text.replace("\n", "")
    assert "<甲&乙>" in text and "&amp;" not in text
    assert "100%" in text and "80.7" in text


def row(n, code, office, unit, name, budget_fen, total, grade) -> KeyEvalRow:
    return KeyEvalRow(n, 2022, code, "项目", name, unit, office, "一般公共预算", budget_fen, None, None, total, grade,
                      "已定稿", "财政", 0)


YEAR = KeyEvalYear(2022, (row(1, "A-01", "经建科", "城市管理局", "=城区环卫一体化保洁费", 3_201_180_000, D("91.36"), "优"),
                          row(2, "A-02", "经建科", "城市管理局", "莱钢道路、公厕运行费用", 1_350_930_000, D("94.5"), "优"),
                          row(3, "A-04", "经建科", "住建局", "农村公厕建设", 1_125_400_000, D("82"), "良")),
                   "2个项目评价结果为“优”，1个项目评价结果为“良”")


def test_the_years_annexes_in_excel(tmp_path):
    path = tmp_path / "附件.xlsx"
    assert render_year(YEAR, "xlsx", path) == 3
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["附件1 明细表", "附件2 综合评分统计表"]
    detail = book["附件1 明细表"]
    head = header_row(detail, "序号")
    assert [c.value for c in detail[head]] == ["序号", "归口科室", "实施单位", "项目名称", "预算批复金额（万元）"]
    lines = [[c.value for c in r] for r in detail.iter_rows(min_row=head + 1)]
    assert [line[0] for line in lines] == [1, 2, 3, "合计"]
    assert lines[0][3] == "=城区环卫一体化保洁费" and detail.cell(head + 1, 4).data_type == "s"
    assert D(str(lines[-1][4])) == sum(D(str(line[4])) for line in lines[:-1]) == D("5677.51")
    assert detail.cell(head + 1, 5).number_format == "#,##0.00" and detail.cell(head + 4, 5).number_format == "#,##0.00"
    scores = book["附件2 综合评分统计表"]
    head = header_row(scores, "序号")
    assert [c.value for c in scores[head]] == ["序号", "实施单位", "项目名称", "财政综合评分", "财政综合评价等级"]
    assert [r[3:] for r in scores.iter_rows(min_row=head + 1, max_row=head + 3, values_only=True)] == [
        (91.36, "优"), (94.5, "优"), (82, "良")]
    assert "2个项目评价结果为“优”，1个项目评价结果为“良”。" in [c for r in scores.iter_rows(values_only=True) for c in r]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_years_annexes_in_pdf(tmp_path):
    path = tmp_path / "附件.pdf"
    render_year(YEAR, "pdf", path)
    text = pdf_text(path)
    first, second = text.index("附件12022年度重点绩效评价项目明细表"), text.index("附件22022年度重点绩效评价项目综合评分统计表")
    assert first < text.index("5,677.51") < second < text.index("2个项目评价结果为“优”，1个项目评价结果为“良”。")
    assert "=城区环卫一体化保洁费" in text


def test_findings_one_row_each_or_none_found(tmp_path):
    found = [Finding("QJ-01", "城乡供水", "指标“项目过程”", "等级不符", "“项目过程”26.5/30分（88.3%）按等级标准应为“良”，表上评为“优”。",
                     "优", "良")]
    path = tmp_path / "检查.xlsx"
    assert render_findings(found, path) == 1
    sheet = openpyxl.load_workbook(path).worksheets[0]
    head = header_row(sheet)
    assert [c.value for c in sheet[head]] == ["评价编号", "项目名称", "指标", "类别", "问题", "填报值", "参考值"]
    assert [c.value for c in sheet[head + 1]][:4] == ["QJ-01", "城乡供水", "指标“项目过程”", "等级不符"]
    assert render_findings([], path) == 0
    assert "未发现问题" in [c for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True) for c in r]
