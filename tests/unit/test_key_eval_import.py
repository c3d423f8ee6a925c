"""重点评价 from Excel: published reports taken as printed (the check then flags their slips),
钢城-like lines with only a total and a grade, 资金性质 by name or short form, a project linked when
its code is held, re-import replacing what may still change, and nothing written on a bad cell."""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

from app.rules.validation import RejectedError
from app.services import key_eval
from app.services.key_eval_import import import_file
from app.services.key_eval_year import check_year, list_year

EVALS = ["评价编号", "年度", "评价对象类型", "项目编码", "项目名称", "实施单位", "归口科室", "资金性质", "预算批复金额（万元）",
         "实际支出（万元）", "评价机构", "综合得分", "评价等级", "执行率"]
SCORES = ["评价编号", "一级指标", "二级指标", "三级指标", "分值", "得分", "等级", "扣分原因"]
# 潜江's published dimension table: 项目过程 26.5 of 30 printed 优 (88.3% is 良)
QIANJIANG = [["QJ-01", 2022, "", "", "城乡供水一体化项目", "潜江市水务局", "", "一般公共预算", 1200, 1100, "某会计师事务所",
              91.5, "优", ""]]
QIANJIANG_SCORES = [["QJ-01", "项目决策", "", "", 20, 19, "优", ""], ["QJ-01", "项目过程", "", "", 30, 26.5, "优", "资金拨付滞后"],
                    ["QJ-01", "项目产出", "", "", 30, 28, "优", ""], ["QJ-01", "项目效益", "", "", 20, 18, "优", ""]]
# 钢城's 附件 lines: only the total and the grade
GANGCHENG = [["A-01", 2022, "项目", "", "城区环卫一体化保洁费", "钢城区城市管理局", "经建科", "一般公共预算", 3201.18, None, "",
              91.36, "优", ""],
             ["A-09", 2022, "项目", "", "机关养老金缺口", "钢城区人力资源和社会保障局", "社保科", "政府性基金预算", 5792, None, "",
              96, "优", ""]]


def workbook(path, evals, scores=()):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "评价项目"
    sheet.append(EVALS)
    for row in evals:
        sheet.append(row)
    sheet = wb.create_sheet("评分")
    sheet.append(SCORES)
    for row in scores:
        sheet.append(row)
    wb.save(path)
    return path


def test_a_published_dimension_table_is_kept_as_printed_and_the_check_flags_its_grade(county, tmp_path):
    sentence = import_file(county, workbook(tmp_path / "潜江.xlsx", QIANJIANG, QIANJIANG_SCORES))
    assert sentence.startswith("导入完成：1项重点评价（新增1项，更新0项），评分4行，状态为已定稿。")
    assert "检查发现1处问题" in sentence
    [row] = list_year(county, 2022)
    assert (row.code, row.status, row.total, row.grade, row.as_printed) == ("QJ-01", "已定稿", D("91.5"), "优", True)
    assert row.budget_fen == 1_200_000_000 and row.findings == 1
    [finding] = check_year(county, 2022)
    assert (finding.code, finding.category, finding.where) == ("QJ-01", "等级不符", "指标“项目过程”")
    assert (finding.filed, finding.reference) == ("优", "良")
    draft = key_eval.open_evaluation(county, row.eval_id)
    assert [(t.level1, t.points, t.score, t.printed_grade) for t in draft.leaves][1] == ("项目过程", "30", "26.5", "优")


def test_total_and_grade_only_with_no_spend_and_a_short_fund_name(county, tmp_path):
    import_file(county, workbook(tmp_path / "钢城.xlsx", GANGCHENG))
    rows = list_year(county, 2022)
    assert [(r.code, r.total, r.grade, r.spend_fen) for r in rows] == [("A-01", D("91.36"), "优", None),
                                                                        ("A-09", D("96"), "优", None)]
    assert [r.fund_type for r in rows] == ["一般公共预算", "政府性基金"]  # 政府性基金预算 is the short form's long name
    assert (rows[0].office, rows[0].unit_name) == ("经建科", "钢城区城市管理局")
    assert check_year(county, 2022) == []


def test_an_unknown_fund_type_and_malformed_cells_are_named_and_nothing_lands(county, tmp_path):
    evals = [[*QIANJIANG[0][:7], "自筹资金", *QIANJIANG[0][8:]],
             ["QJ-02", 2022, "项目", "", "某项目", "", "", "", "一千二", None, "", None, "好", ""],
             ["", 2022, "项目", "", "没有编号", "", "", "", 10, None, "", None, "", ""]]
    scores = [*QIANJIANG_SCORES[:3], ["QJ-09", "项目效益", "", "", 20, 18, "", ""], ["QJ-01", "项目效益", "", "", 20, "满分", "", ""]]
    with pytest.raises(RejectedError) as refused:
        import_file(county, workbook(tmp_path / "坏.xlsx", evals, scores))
    named = {(c.sheet, c.row, c.header) for c in refused.value.cells}
    assert named == {("评价项目", 2, "资金性质"), ("评价项目", 3, "预算批复金额（万元）"), ("评价项目", 3, "评价等级"),
                     ("评价项目", 4, "评价编号"), ("评分", 5, "评价编号"), ("评分", 6, "得分")}
    assert list_year(county, 2022) == []


def test_a_project_code_held_that_year_links_the_project(year, tmp_path):
    evals = [["DH-05", 2023, "", "DH2023005", "净水厂原水水费及场地租金", "", "", "一般公共预算", 500, 480, "", 80.7, "良",
              "96%"],
             ["DH-06", 2023, "", "NOPE-1", "困难残疾人生活补贴", "县残联", "", "", 576, 570, "", 99.4, "优", ""]]
    import_file(year, workbook(tmp_path / "德惠.xlsx", evals))
    linked = {r.code: key_eval.open_evaluation(year, r.eval_id).project_id for r in list_year(year, 2023)}
    assert linked["DH-05"] is not None and linked["DH-06"] is None


def test_re_import_replaces_once_the_evaluation_is_reopened(county, tmp_path):
    import_file(county, workbook(tmp_path / "一.xlsx", QIANJIANG, QIANJIANG_SCORES))
    fixed = [[*QIANJIANG[0][:11], 91.5, "优", ""]]
    corrected = [[*r[:6], "良" if r[1] == "项目过程" else r[6], r[7]] for r in QIANJIANG_SCORES]
    with pytest.raises(RejectedError) as refused:  # 已定稿: an import may not change it
        import_file(county, workbook(tmp_path / "二.xlsx", fixed, corrected))
    [cell] = refused.value.cells
    assert (cell.row, cell.header) == (2, "评价编号") and "已定稿" in cell.expected
    [row] = list_year(county, 2022)
    key_eval.reopen(county, key_eval.open_evaluation(county, row.eval_id), "等级填错，重新导入")
    sentence = import_file(county, workbook(tmp_path / "二.xlsx", fixed, corrected[:2]))
    assert "新增0项，更新1项" in sentence and "评分2行" in sentence
    [again] = list_year(county, 2022)
    assert again.eval_id == row.eval_id and again.status == "已定稿"
    assert len(key_eval.open_evaluation(county, row.eval_id).leaves) == 2
    assert [f.category for f in check_year(county, 2022)] == ["权重不符", "合计不符"]


def test_a_full_tree_with_a_score_above_its_points_is_imported_and_flagged(county, tmp_path):
    evals = [["DH-01", 2023, "", "", "退役军人安置补助项目", "县退役军人事务局", "", "一般公共预算", 524, 463.71, "",
              None, "", "88.5%"]]
    scores = [["DH-01", "决策", "项目立项", "立项依据充分性", 15, 15, "", ""],
              ["DH-01", "过程", "资金管理", "资金到位率", 15, 16, "", "超出"],
              ["DH-01", "产出", "产出数量", "安置人数", 50, 50, "", ""],
              ["DH-01", "效益", "社会效益", "满意度", 20, 19, "", "个别不满意"]]
    import_file(county, workbook(tmp_path / "树.xlsx", evals, scores))
    [row] = list_year(county, 2023)
    assert (row.total, row.grade) == (None, "")  # blank 综合得分 and 等级 stay blank: nothing is invented
    assert [f.category for f in check_year(county, 2023)] == ["得分越界"]  # 88.5% agrees at its precision
    draft = key_eval.open_evaluation(county, row.eval_id)
    assert [t.level3 for t in draft.leaves] == ["立项依据充分性", "资金到位率", "安置人数", "满意度"]
